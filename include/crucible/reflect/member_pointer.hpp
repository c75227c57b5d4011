// Member pointers: their class, their field type, and their field index.
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "crucible/reflect/fields.hpp"

namespace crucible::reflect {

template <class Pointer>
struct member_pointer_traits {
    static constexpr bool is_member = false;
};

template <class Class, class Field>
struct member_pointer_traits<Field Class::*> {
    static constexpr bool is_member = true;
    using class_type = Class;
    using field_type = Field;
};

template <auto Pointer>
concept data_member_pointer = std::is_member_object_pointer_v<decltype(Pointer)>;

template <auto Pointer>
using class_of = typename member_pointer_traits<decltype(Pointer)>::class_type;

template <auto Pointer>
using member_type = typename member_pointer_traits<decltype(Pointer)>::field_type;

namespace detail {

template <auto Pointer>
consteval auto member_name_probe() {
    return __PRETTY_FUNCTION__;  // "... [with auto Pointer = &ns::Artist::name]"
}

template <auto Pointer>
consteval std::string_view member_name_view() {
    std::string_view pretty = member_name_probe<Pointer>();
    const auto end = pretty.rfind(']');
    const auto start = pretty.rfind("::", end) + 2;
    return pretty.substr(start, end - start);
}

template <class T, auto Pointer>
consteval std::size_t index_of_member() {
    constexpr auto names = field_names<T>;
    constexpr auto name = member_name_view<Pointer>();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) {
            return i;
        }
    }
    return names.size();
}

} // namespace detail

// Index of the field `Pointer` names within T. Naming a member of another struct is a compile
// error that says so.
template <class T, auto Pointer>
consteval std::size_t field_index() {
    static_assert(std::is_member_object_pointer_v<decltype(Pointer)>,
                  "crucible: a column must be named by a pointer to a data member, like &Artist::name");
    static_assert(std::is_same_v<class_of<Pointer>, T>,
                  "crucible: the member pointer belongs to another struct than the table's");
    constexpr std::size_t index = detail::index_of_member<T, Pointer>();
    static_assert(index < field_count<T>, "crucible: member pointer does not name a reflected field");
    return index;
}

// Index of the field a member pointer names within its own struct.
template <auto Pointer>
inline constexpr std::size_t index_of = field_index<class_of<Pointer>, Pointer>();

} // namespace crucible::reflect
