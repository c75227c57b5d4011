// Fields of an aggregate: count, types and names, all at compile time.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <string_view>
#include <type_traits>

#include <boost/pfr/core.hpp>
#include <boost/pfr/tuple_size.hpp>

#include "crucible/reflect/detail/visit_fields_generated.hpp"
#include "crucible/reflect/fixed_string.hpp"
#include "crucible/reflect/type_name.hpp"

namespace crucible::reflect {

// An aggregate struct: what reflection is tried on (see reflectable_shape for what it succeeds on).
template <class T>
concept reflectable = std::is_aggregate_v<T> && std::is_class_v<T> && !std::is_union_v<T>;

namespace detail {
// Converts only to a base class of T: `T{base_probe<T>{}}` compiles exactly when T's first
// initialised subobject is a base (aggregate initialisation starts with the bases).
template <class T>
struct base_probe {
    template <class U>
        requires(std::is_base_of_v<U, T> && !std::is_same_v<U, T>)
    constexpr operator U() const noexcept;
};
} // namespace detail

// Boost.PFR 1.81's limit: it reflects structs of at most this many fields.
inline constexpr std::size_t max_fields = 100;

template <class T>
concept has_base_class = requires { T{detail::base_probe<T>{}}; };

template <class T>
concept value_initializable = requires { T{}; };

template <class T>
inline constexpr bool within_field_limit = boost::pfr::tuple_size_v<T> <= max_fields;

namespace detail {

template <class... U>
struct member_types {};

// The members' declared types, read through structured bindings (which a bit-field passes).
struct collect_member_types {
    template <class... U>
    constexpr member_types<U...> operator()(const U&...) const noexcept {
        return {};
    }
};

// An integer (not bool) or an enum with a fixed underlying type: what a narrow bit-field can be.
template <class U>
constexpr bool probe_integral() {
    if constexpr (std::is_enum_v<U>) {
        return !std::is_same_v<std::underlying_type_t<U>, bool>;
    } else {
        return std::is_integral_v<U> && !std::is_same_v<U, bool>;
    }
}

template <class U>
constexpr U probe_max() {
    if constexpr (std::is_enum_v<U>) {
        return static_cast<U>(std::numeric_limits<std::underlying_type_t<U>>::max());
    } else {
        return std::numeric_limits<U>::max();
    }
}

// The largest value of an integral or enum member; any other member is value-initialised.
template <class U>
constexpr U probe_value() {
    if constexpr (probe_integral<U>()) {
        return probe_max<U>();
    } else {
        return U{};
    }
}

struct any_member_truncated {
    template <class U>
    static constexpr bool truncated(const U& member) {
        if constexpr (probe_integral<U>()) {
            return member != probe_max<U>();
        } else {
            return false;
        }
    }
    template <class... U>
    constexpr bool operator()(const U&... members) const {
        return (false || ... || truncated(members));
    }
};

// Builds T with every integral member at its type's largest value and reads them back: a member
// that does not hold it is a bit-field narrower than its type.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wbitfield-constant-conversion"  // the truncation is what is looked for
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverflow"
#endif
template <class T, class... U>
constexpr bool integral_member_truncates(member_types<U...>) {
    T probe{probe_value<U>()...};
    return visit_fields<sizeof...(U)>(probe, any_member_truncated{});
}
#if defined(__clang__)
#pragma clang diagnostic pop
#else
#pragma GCC diagnostic pop
#endif

template <class T>
using member_types_of = decltype(visit_fields<boost::pfr::tuple_size_v<T>>(std::declval<T&>(), collect_member_types{}));

template <class... U>
constexpr bool probe_constructible(member_types<U...>) {
    return (true && ... && (!std::is_array_v<U> && std::is_default_constructible_v<U> &&
                            std::is_move_constructible_v<U>));
}

// The probe runs only where T can be built at compile time (on GCC 12 that includes std::string;
// clang 16 cannot build libstdc++ 12's std::string there, so the test is false for such structs).
template <class T>
concept bit_field_probe_runs =
    requires { typename std::bool_constant<(integral_member_truncates<T>(member_types_of<T>{}), true)>; };

template <class T>
consteval bool has_bit_field() {
    if constexpr (!probe_constructible(member_types_of<T>{})) {
        return false;
    } else if constexpr (!bit_field_probe_runs<T>) {
        return false;
    } else {
        return integral_member_truncates<T>(member_types_of<T>{});
    }
}

} // namespace detail

// A bit-field member, which Boost.PFR cannot reflect (it binds each member to a reference). Found
// when an integer or enum member cannot hold its type's largest value; a bit-field as wide as its
// type, or of type bool, is not found this way (PFR's own error names it).
template <class T>
concept has_bit_field = detail::has_bit_field<T>();

// What Boost.PFR 1.81 reflects: an aggregate struct with no base class, whose every member can be
// value-initialised by T{} (no reference member), of at most max_fields fields, with no bit-field.
template <class T>
concept reflectable_shape = reflectable<T> && !has_base_class<T> && value_initializable<T> &&
                            within_field_limit<T> && !has_bit_field<T>;

template <reflectable T>
inline constexpr std::size_t field_count = boost::pfr::tuple_size_v<T>;

template <reflectable T, std::size_t I>
using field_type = boost::pfr::tuple_element_t<I, T>;

namespace detail {

// Never defined: only the addresses of its members are taken, at compile time. The wrapper
// makes this work for structs local to a function or in an anonymous namespace (GCC 12).
template <class T>
struct wrapper {
    const T value;
};
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-internal"  // never defined, on purpose (see above)
#endif
template <class T>
extern const wrapper<T> fake_object;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

// Must return auto: with a named return type GCC appends "; std::string_view = ..." to
// __PRETTY_FUNCTION__ and the name below can no longer be found at its end.
template <auto Pointer>
constexpr auto field_name_probe() {
    return __PRETTY_FUNCTION__;  // "... [with auto Pointer = (& fake_object<A>.wrapper<A>::value.A::name)]"
}

constexpr std::string_view name_at_end(std::string_view pretty) {
    auto end = pretty.rfind(']');
    if (pretty[end - 1] == ')' || pretty[end - 1] == '}') {  // GCC: "(& ...)", clang: "address<...>{&...}"
        --end;
    }
    const auto start = pretty.find_last_of(":.", end - 1) + 1;
    return pretty.substr(start, end - start);
}

#if defined(__clang__)
// Clang 16 takes no pointer to a subobject as a template argument, but takes one inside a struct.
// (fake_object is never defined on purpose: clang's -Wundefined-var-template is silenced here.)
template <class P>
struct member_address {
    P pointer;
};
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
template <class T, std::size_t I>
constexpr std::string_view field_name_view() {
    using field = std::remove_reference_t<decltype(boost::pfr::get<I>(fake_object<T>.value))>;
    return name_at_end(field_name_probe<member_address<field*>{&boost::pfr::get<I>(fake_object<T>.value)}>());
}
#pragma clang diagnostic pop
#else
template <class T, std::size_t I>
consteval std::string_view field_name_view() {
    return name_at_end(field_name_probe<&boost::pfr::get<I>(fake_object<T>.value)>());
}
#endif

} // namespace detail

// The name of field I of T, as written in the struct.
template <reflectable T, std::size_t I>
inline constexpr std::string_view field_name =
    static_text<[] { return to_string(detail::field_name_view<T, I>()); }>;

// All field names of T, in declaration order.
template <reflectable T>
inline constexpr auto field_names = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::string_view, sizeof...(I)>{field_name<T, I>...};
}(std::make_index_sequence<field_count<T>>{});

} // namespace crucible::reflect
