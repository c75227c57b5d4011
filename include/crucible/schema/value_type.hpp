// Which C++ types are column values, and the column kind each maps to.
#pragma once

#include "crucible/detail/chrono.hpp"
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "crucible/dialect/column_kind.hpp"

namespace crucible::schema {

using dialect::column_kind;

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_sys_time : std::false_type {};
template <class Duration>
struct is_sys_time<std::chrono::sys_time<Duration>> : std::true_type {};

template <class T>
consteval column_kind integer_kind() {
    constexpr bool is_signed = std::is_signed_v<T>;
    if constexpr (sizeof(T) == 1) {
        return is_signed ? column_kind::int8 : column_kind::uint8;
    } else if constexpr (sizeof(T) == 2) {
        return is_signed ? column_kind::int16 : column_kind::uint16;
    } else if constexpr (sizeof(T) == 4) {
        return is_signed ? column_kind::int32 : column_kind::uint32;
    } else {
        return is_signed ? column_kind::int64 : column_kind::uint64;
    }
}

// The kind of a non-optional value type, or nothing when T is no column value.
template <class T>
consteval std::optional<column_kind> kind_if_supported() {
    if constexpr (std::is_same_v<T, bool>) {
        return column_kind::boolean;
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, char> && !std::is_same_v<T, wchar_t> &&
                         !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
                         !std::is_same_v<T, char32_t>) {
        return integer_kind<T>();
    } else if constexpr (std::is_same_v<T, float>) {
        return column_kind::real32;
    } else if constexpr (std::is_same_v<T, double>) {
        return column_kind::real64;
    } else if constexpr (std::is_same_v<T, std::string>) {
        return column_kind::text;
    } else if constexpr (std::is_same_v<T, std::vector<std::byte>> ||
                         std::is_same_v<T, std::vector<unsigned char>>) {
        return column_kind::blob;
    } else if constexpr (is_sys_time<T>::value) {
        return column_kind::timestamp;
    } else if constexpr (std::is_enum_v<T>) {
        // Nested, not `&&`: underlying_type_t of a non-enum is a hard error, not false.
        if constexpr (!std::is_convertible_v<T, std::underlying_type_t<T>>) {
            return integer_kind<std::underlying_type_t<T>>();  // scoped enums only
        } else {
            return std::nullopt;
        }
    } else {
        return std::nullopt;
    }
}

} // namespace detail

template <class T>
inline constexpr bool is_nullable = detail::is_optional<T>::value;

// T without its std::optional, if it has one.
template <class T>
struct non_null {
    using type = T;
};
template <class T>
struct non_null<std::optional<T>> {
    using type = T;
};
template <class T>
using non_null_t = typename non_null<T>::type;

// bool, integers, float, double, std::string, byte vectors, sys_time<D>, scoped enums, and
// std::optional of each.
template <class T>
concept column_value = detail::kind_if_supported<non_null_t<T>>().has_value() && !detail::is_optional<non_null_t<T>>::value;

template <column_value T>
inline constexpr column_kind kind_of = *detail::kind_if_supported<non_null_t<T>>();

} // namespace crucible::schema
