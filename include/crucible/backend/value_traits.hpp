// value_traits: which C++ types a backend binds and reads, and the checked conversions between them.
#pragma once

#include <charconv>
#include "crucible/detail/chrono.hpp"
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "crucible/detail/config.hpp"
#include "crucible/error.hpp"
#include "crucible/schema/value_type.hpp"

namespace crucible::backend {

// How a value is stored, whatever its exact C++ type: every integer width is a 64-bit integer.
enum class value_kind { boolean, integer, real, text, blob, timestamp };

// Which C++ types are values is the schema layer's decision (schema/value_type.hpp); the backends
// use the same classification under their own names, coarsened to how a value is stored.

// T without its std::optional, if it has one.
template <class T>
using non_null_t = schema::non_null_t<T>;

// A type a column value is read into and bound from: bool, every integer width, float, double,
// std::string, std::vector<std::byte>, std::vector<unsigned char>, std::chrono::sys_time<D>,
// scoped enums, and std::optional of each (NULL).
template <class T>
concept value_type = schema::column_value<T>;

template <class T>
inline constexpr bool is_nullable_v = schema::is_nullable<T>;

namespace detail {

using schema::detail::is_optional;

constexpr value_kind storage_kind(schema::column_kind kind) noexcept {
    using schema::column_kind;
    switch (kind) {
        case column_kind::boolean:
            return value_kind::boolean;
        case column_kind::real32:
        case column_kind::real64:
            return value_kind::real;
        case column_kind::text:
            return value_kind::text;
        case column_kind::blob:
            return value_kind::blob;
        case column_kind::timestamp:
            return value_kind::timestamp;
        default:
            return value_kind::integer;
    }
}

}  // namespace detail

template <value_type T>
inline constexpr value_kind kind_of = detail::storage_kind(schema::kind_of<T>);

namespace detail {
template <class T>
concept bindable_decayed = value_type<T> || std::is_same_v<T, std::string_view> ||
    std::is_same_v<T, const char*> || std::is_same_v<T, char*> || std::is_same_v<T, std::nullopt_t>;
}

// A type that can be bound as a parameter: every value_type, plus std::string_view, const char*
// and string literals (text), and std::nullopt_t (NULL of no particular type).
template <class T>
concept bindable = detail::bindable_decayed<std::decay_t<T>>;

// Names a column in data_error messages; both parts may be empty (then the result's own column
// name is used).
struct column_context {
    std::string_view table;
    std::string_view column;
};

namespace detail {

// A value read from `result_column` (0-based `index`) did not fit: data_error naming the column.
[[noreturn]] CRUCIBLE_DECL void throw_data_error(std::string_view problem, const column_context& where,
                                                 std::string_view result_column, int index,
                                                 std::string_view sql);

// An integer of the widest kind, checked into T; nullopt when it does not fit.
template <class T>
constexpr std::optional<T> fit_integer(std::int64_t value) noexcept {
    if constexpr (std::is_signed_v<T>) {
        if (value < std::numeric_limits<T>::min() || value > std::numeric_limits<T>::max()) {
            return std::nullopt;
        }
    } else {
        if (value < 0 || static_cast<std::uint64_t>(value) > std::numeric_limits<T>::max()) {
            return std::nullopt;
        }
    }
    return static_cast<T>(value);
}

// The 64-bit integer an integer value is stored as; nullopt for a uint64 above INT64_MAX.
template <class T>
constexpr std::optional<std::int64_t> to_storage_integer(T value) noexcept {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
        if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return std::nullopt;
        }
    }
    return static_cast<std::int64_t>(value);
}

// The whole text as an integer or a floating-point number; nullopt when it is anything else.
template <class Number>
std::optional<Number> parse_number(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    Number value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// The integer value of a double when it has no fractional part and fits in int64.
inline std::optional<std::int64_t> integral_double(double value) noexcept {
    if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0) || __builtin_trunc(value) != value) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(value);
}

// The checked conversion of a time point to microseconds lives in crucible/detail/chrono.hpp, so
// that the SQL layer's dynamic values use it too.
using crucible::detail::checked_microseconds;
using crucible::detail::timestamp_problem;
using crucible::detail::to_microseconds;

// The instants SQLite's text form holds: 0000-01-01 00:00:00 .. 9999-12-31 23:59:59.999999, in
// microseconds since the Unix epoch.
inline constexpr std::int64_t text_timestamp_min_micros = -62167219200LL * 1000000;
inline constexpr std::int64_t text_timestamp_max_micros = 253402300800LL * 1000000 - 1;

// Microseconds since the Unix epoch into sys_time<Duration>; nullopt when Duration cannot hold the
// value exactly (reading 12:00:00.5 into sys_seconds, or the year 2300 into nanoseconds, is an
// error, not a silent truncation or wrap).
template <class Duration>
std::optional<std::chrono::sys_time<Duration>> from_microseconds(std::int64_t micros) noexcept {
    const std::chrono::microseconds us{micros};
    if constexpr (std::is_floating_point_v<typename Duration::rep>) {
        return std::chrono::sys_time<Duration>(std::chrono::duration_cast<Duration>(us));
    } else if constexpr (std::is_same_v<Duration, std::chrono::microseconds>) {
        return std::chrono::sys_time<Duration>(us);
    } else {
        // Exactly, in 128 bits: a duration_cast to a finer unit (nanoseconds) would overflow and
        // wrap for instants beyond its range, and the wrapped value would compare equal.
        using rep = typename Duration::rep;
        using ratio = std::ratio_divide<std::micro, typename Duration::period>;
        __extension__ using wide = __int128;
        const wide scaled = static_cast<wide>(micros) * static_cast<wide>(ratio::num);
        if (scaled % ratio::den != 0) {
            return std::nullopt;
        }
        const wide count = scaled / ratio::den;
        if (count < static_cast<wide>(std::numeric_limits<rep>::min()) ||
            count > static_cast<wide>(std::numeric_limits<rep>::max())) {
            return std::nullopt;
        }
        return std::chrono::sys_time<Duration>(Duration(static_cast<rep>(count)));
    }
}

// Writes 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC), the form SQLite's date functions and PostgreSQL's
// timestamp input read; false outside years 0000..9999 (text_timestamp_min/max_micros), checked on
// the microseconds before any calendar arithmetic.
CRUCIBLE_DECL bool format_timestamp(std::int64_t micros, char (&buffer)[26]) noexcept;

// Reads 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS[.f...]]', with 'T' for the space and an optional 'Z'
// or '+00:00' (other offsets are rejected: values are UTC). Digits beyond microseconds must be 0.
CRUCIBLE_DECL std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept;

}  // namespace detail

}  // namespace crucible::backend

#if CRUCIBLE_HEADER_ONLY
#include "crucible/backend/impl/value_traits.ipp"
#endif
