// postgres_connection: the PostgreSQL backend — binary prepared statements over libpq, connection
// owned by libpqxx, transactions, COPY, error translation by SQLSTATE.
#pragma once

// Why libpq under libpqxx: libpqxx 6 sends and receives text only and its row/field objects copy a
// shared_ptr per access. libpqxx 6 does let a connection policy see the PGconn* it opens
// (connectionpolicy::do_startconnect / do_completeconnect receive the handle), so this backend
// derives its own connection from pqxx::connection_base — exactly as pqxx::basic_connection_base
// does — with a policy that records the handle. libpqxx opens, configures and closes the
// connection; the hot path calls PQprepare / PQexecPrepared with binary parameters and binary
// results, which is libpq speed. Nothing here asks libpqxx to run a statement after connecting, so
// libpqxx never reactivates (silently reconnects) under the recorded handle.
//
// Parameters are typed by their C++ type (int16/int32/int64 by width, float4, float8, bool, text,
// bytea, timestamp), so the server never guesses; values are sent and read in binary. PostgreSQL
// text cannot hold NUL bytes (data_error). A failed statement inside a transaction leaves it
// aborted until ROLLBACK (TO SAVEPOINT), as PostgreSQL does; outside one, nothing is left behind.

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include "crucible/detail/chrono.hpp"
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <list>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/except>
#include <functional>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif

#include "crucible/backend/binder.hpp"
#include "crucible/backend/static_sql.hpp"
#include "crucible/backend/value_traits.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/error.hpp"
#include "crucible/sql/value_list.hpp"

namespace crucible::backend {

namespace detail {

// Type OIDs from pg_type.dat (stable across server versions).
namespace pg_oid {
inline constexpr Oid unknown = 0, boolean = 16, bytea = 17, name = 19, int8 = 20, int2 = 21, int4 = 23,
                     text = 25, oid = 26, json = 114, xml = 142, float4 = 700, float8 = 701, bpchar = 1042,
                     varchar = 1043, date = 1082, timestamp = 1114, timestamptz = 1184, numeric = 1700,
                     uuid = 2950, jsonb = 3802, unknown_literal = 705;
}

// Microseconds between the Unix epoch and PostgreSQL's (2000-01-01).
inline constexpr std::int64_t pg_epoch_micros = 946684800LL * 1000000;

// PostgreSQL's timestamp range, 4713-11-24 BC 00:00 .. 294276-12-31 23:59:59.999999, in microseconds
// since its own epoch: [min, end). INT64_MIN and INT64_MAX are -infinity and infinity in the binary
// format, so a value beyond the range must never be sent: the server would store 'infinity' or
// another instant.
inline constexpr std::int64_t pg_timestamp_min = -211813488000000000LL;
inline constexpr std::int64_t pg_timestamp_end = 9223371331200000000LL;

// Whether `unix_micros` (microseconds since the Unix epoch) is a PostgreSQL timestamp.
constexpr bool pg_timestamp_in_range(std::int64_t unix_micros) noexcept {
    return unix_micros >= pg_timestamp_min + pg_epoch_micros && unix_micros - pg_epoch_micros < pg_timestamp_end;
}
inline constexpr const char* pg_timestamp_range_problem =
    "timestamp outside PostgreSQL's range 4713-11-24 BC .. 294276-12-31 23:59:59.999999";

// ---- connection ownership -------------------------------------------------------------------

// connect_direct that remembers the handle it opened.
class capturing_policy final : public pqxx::connect_direct {
public:
    explicit capturing_policy(const std::string& options) : pqxx::connect_direct(options) {}
    CRUCIBLE_DECL handle do_startconnect(handle orig) override;
    CRUCIBLE_DECL handle do_completeconnect(handle orig) override;
    CRUCIBLE_DECL handle do_dropconnect(handle orig) noexcept override;
    CRUCIBLE_DECL handle do_disconnect(handle orig) noexcept override;
    PGconn* raw = nullptr;
};

// pqxx::connection with the handle visible (the same layout as pqxx::basic_connection_base).
class pqxx_owner final : public pqxx::connection_base {
public:
    CRUCIBLE_DECL explicit pqxx_owner(const std::string& options);
    CRUCIBLE_DECL ~pqxx_owner() noexcept;
    PGconn* raw() const noexcept { return policy_.raw; }

private:
    std::string options_;  // must precede the policy, which keeps a reference
    capturing_policy policy_;
};

struct pg_result_deleter {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using pg_result_ptr = std::unique_ptr<PGresult, pg_result_deleter>;

// ---- errors ---------------------------------------------------------------------------------

[[noreturn]] CRUCIBLE_DECL void throw_postgres_error(PGconn* conn, const PGresult* result, std::string_view sql);

// ---- parameters -----------------------------------------------------------------------------

template <class T>
consteval Oid pg_param_oid() {
    using base = non_null_t<std::decay_t<T>>;
    if constexpr (std::is_same_v<base, std::nullopt_t>)
        return pg_oid::unknown;
    else if constexpr (std::is_same_v<base, std::string_view> || std::is_same_v<base, const char*> ||
                       std::is_same_v<base, char*>)
        return pg_oid::text;
    else if constexpr (std::is_same_v<base, bool>)
        return pg_oid::boolean;
    else if constexpr (std::is_same_v<base, float>)
        return pg_oid::float4;
    else if constexpr (std::is_same_v<base, double>)
        return pg_oid::float8;
    else if constexpr (kind_of<base> == value_kind::integer) {
        // The narrowest PostgreSQL integer that holds every value of the C++ type, as the dialect's
        // columns do: an `int` is an `integer`, so `substr(t, $1)` or `pg_terminate_backend($1)`
        // resolve, and cross-type operators still compare it with any integer column.
        using integer = typename std::conditional_t<std::is_enum_v<base>, std::underlying_type<base>,
                                                    std::type_identity<base>>::type;
        constexpr auto bits = sizeof(integer) * 8 + (std::is_unsigned_v<integer> ? 1 : 0);
        return bits <= 16 ? pg_oid::int2 : bits <= 32 ? pg_oid::int4 : pg_oid::int8;
    } else if constexpr (kind_of<base> == value_kind::text)
        return pg_oid::text;
    else if constexpr (kind_of<base> == value_kind::blob)
        return pg_oid::bytea;
    else
        return pg_oid::timestamp;
}

// The array type of an element type (pg_type.dat's typarray), for an IN list bound as one array.
consteval Oid pg_array_oid(Oid element) {
    switch (element) {
        case pg_oid::boolean:
            return 1000;
        case pg_oid::bytea:
            return 1001;
        case pg_oid::int2:
            return 1005;
        case pg_oid::int4:
            return 1007;
        case pg_oid::int8:
            return 1016;
        case pg_oid::text:
            return 1009;
        case pg_oid::float4:
            return 1021;
        case pg_oid::float8:
            return 1022;
        case pg_oid::timestamp:
            return 1115;
        default:
            throw "crucible: no PostgreSQL array type for this element type";
    }
}

// One static array per parameter type list: its address identifies the list.
template <class... Args>
inline constexpr std::array<Oid, sizeof...(Args)> pg_param_oids{pg_param_oid<Args>()...};

inline void put_be(char* out, std::uint64_t value, int bytes) noexcept {
    for (int i = bytes - 1; i >= 0; --i) {
        out[i] = static_cast<char>(value & 0xff);
        value >>= 8;
    }
}

// One load and a byte swap (g++ 12 did not fold the byte-at-a-time loop into one).
template <class Unsigned>
Unsigned get_be(const char* in) noexcept {
    static_assert(sizeof(Unsigned) == 2 || sizeof(Unsigned) == 4 || sizeof(Unsigned) == 8);
    Unsigned value;
    std::memcpy(&value, in, sizeof value);
    if constexpr (std::endian::native == std::endian::little) {
        if constexpr (sizeof(Unsigned) == 2) {
            value = __builtin_bswap16(value);
        } else if constexpr (sizeof(Unsigned) == 4) {
            value = __builtin_bswap32(value);
        } else {
            value = __builtin_bswap64(value);
        }
    }
    return value;
}

[[noreturn]] CRUCIBLE_DECL void throw_param_error(std::string_view problem, int index, std::string_view sql);

// Where one bound parameter's bytes are: into `scratch` for fixed-size values, or the value's own
// storage for text and bytes (which outlive the call).
struct pg_param_slot {
    const char* value = nullptr;
    int length = 0;
};

template <class T>
pg_param_slot pg_encode(const T& value, char* scratch, int index, std::string_view sql) {
    if constexpr (std::is_array_v<T>) {  // a string literal
        return pg_encode(static_cast<const char*>(value), scratch, index, sql);
    } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
        return {};
    } else if constexpr (is_optional<T>::value) {
        return value ? pg_encode(*value, scratch, index, sql) : pg_param_slot{};
    } else if constexpr (std::is_same_v<T, bool>) {
        scratch[0] = value ? 1 : 0;
        return {scratch, 1};
    } else if constexpr (std::is_enum_v<T>) {
        return pg_encode(static_cast<std::underlying_type_t<T>>(value), scratch, index, sql);
    } else if constexpr (std::is_integral_v<T>) {
        const auto stored = to_storage_integer(value);
        if (!stored) {
            throw_param_error(
                "unsigned value " + std::to_string(value) + " does not fit in a 64-bit signed integer", index,
                sql);
        }
        // The width pg_param_oid chose: 2, 4 or 8 bytes, big-endian two's complement.
        constexpr int bytes = pg_param_oid<T>() == pg_oid::int2   ? 2
                              : pg_param_oid<T>() == pg_oid::int4 ? 4
                                                                  : 8;
        put_be(scratch, static_cast<std::uint64_t>(*stored), bytes);
        return {scratch, bytes};
    } else if constexpr (std::is_same_v<T, float>) {
        std::uint32_t bits;
        std::memcpy(&bits, &value, 4);
        put_be(scratch, bits, 4);
        return {scratch, 4};
    } else if constexpr (std::is_same_v<T, double>) {
        std::uint64_t bits;
        std::memcpy(&bits, &value, 8);
        put_be(scratch, bits, 8);
        return {scratch, 8};
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
        return {value.empty() ? "" : value.data(), static_cast<int>(value.size())};
    } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
        return value ? pg_param_slot{value, static_cast<int>(std::strlen(value))} : pg_param_slot{};
    } else if constexpr (kind_of<T> == value_kind::blob) {
        return {value.empty() ? "" : reinterpret_cast<const char*>(value.data()),
                static_cast<int>(value.size())};
    } else {
        static_assert(kind_of<T> == value_kind::timestamp);
        const checked_microseconds micros = to_microseconds(value);
        if (micros.problem != checked_microseconds::status::exact) [[unlikely]] {
            throw_param_error(timestamp_problem(micros.problem), index, sql);
        }
        if (!pg_timestamp_in_range(micros.value)) [[unlikely]] {
            throw_param_error(pg_timestamp_range_problem, index, sql);
        }
        put_be(scratch, static_cast<std::uint64_t>(micros.value - pg_epoch_micros), 8);
        return {scratch, 8};
    }
}

// ---- results --------------------------------------------------------------------------------

inline bool pg_is_text_type(Oid type) noexcept {
    return type == pg_oid::text || type == pg_oid::varchar || type == pg_oid::bpchar ||
           type == pg_oid::name || type == pg_oid::json || type == pg_oid::xml ||
           type == pg_oid::unknown_literal;
}

// numeric's binary form (base-10000 digits) as its decimal text.
CRUCIBLE_DECL std::optional<std::string> pg_numeric_text(const char* data, int length);

struct pg_field {
    const char* data;
    int length;
    Oid type;
};

// A cursor's statement text, measured only when an error names it (a strlen per value read was a
// visible share of decoding a row).
struct pg_sql_text {
    const char* static_sql;
    const std::string* text_sql;
    std::string_view view() const noexcept {
        return static_sql ? std::string_view(static_sql) : std::string_view(*text_sql);
    }
};

[[noreturn]] CRUCIBLE_DECL void throw_pg_read_error(const PGresult* result, int column, const column_context& where,
                                                    std::string_view problem, const pg_sql_text& sql);

template <class T>
constexpr const char* pg_type_label() {
    if constexpr (std::is_same_v<T, bool>)
        return "bool";
    else if constexpr (std::is_enum_v<T>)
        return "enum";
    else if constexpr (std::is_integral_v<T>)
        return std::is_signed_v<T> ? "signed integer" : "unsigned integer";
    else if constexpr (std::is_floating_point_v<T>)
        return "floating-point number";
    else if constexpr (std::is_same_v<T, std::string>)
        return "std::string";
    else if constexpr (kind_of<T> == value_kind::blob)
        return "byte vector";
    else
        return "timestamp";
}

// The field as a 64-bit integer; nullopt with `problem` set when it is not one.
inline std::optional<std::int64_t> pg_integer(const pg_field& f, std::string& problem) {
    switch (f.type) {
        case pg_oid::int8:
            return static_cast<std::int64_t>(get_be<std::uint64_t>(f.data));
        case pg_oid::int4:
            return static_cast<std::int32_t>(get_be<std::uint32_t>(f.data));
        case pg_oid::int2:
            return static_cast<std::int16_t>(get_be<std::uint16_t>(f.data));
        case pg_oid::oid:
            return get_be<std::uint32_t>(f.data);
        case pg_oid::boolean:
            return f.data[0] != 0 ? 1 : 0;
        case pg_oid::float4:
        case pg_oid::float8: {
            double value;
            if (f.type == pg_oid::float4) {
                const auto bits = get_be<std::uint32_t>(f.data);
                float narrow;
                std::memcpy(&narrow, &bits, 4);
                value = narrow;
            } else {
                const auto bits = get_be<std::uint64_t>(f.data);
                std::memcpy(&value, &bits, 8);
            }
            auto integral = integral_double(value);
            if (!integral) problem = "real value " + std::to_string(value) + " is not an integer";
            return integral;
        }
        case pg_oid::numeric: {
            auto text = pg_numeric_text(f.data, f.length);
            std::string_view digits = text ? std::string_view(*text) : std::string_view();
            if (auto dot = digits.find('.');
                dot != std::string_view::npos &&
                digits.find_first_not_of('0', dot + 1) == std::string_view::npos) {
                digits = digits.substr(0, dot);  // 12.000 is the integer 12
            }
            auto parsed = parse_number<std::int64_t>(digits);
            if (!parsed)
                problem = "numeric " + (text ? *text : std::string("?")) + " is not a 64-bit integer";
            return parsed;
        }
        default:
            if (pg_is_text_type(f.type)) {
                const std::string_view text(f.data, static_cast<std::size_t>(f.length));
                auto parsed = parse_number<std::int64_t>(text);
                if (!parsed) problem = "text '" + std::string(text) + "' is not an integer";
                return parsed;
            }
            problem = "a value of type OID " + std::to_string(f.type) + " is not an integer";
            return std::nullopt;
    }
}

inline std::optional<double> pg_real(const pg_field& f, std::string& problem) {
    switch (f.type) {
        case pg_oid::float8: {
            const auto bits = get_be<std::uint64_t>(f.data);
            double value;
            std::memcpy(&value, &bits, 8);
            return value;
        }
        case pg_oid::float4: {
            const auto bits = get_be<std::uint32_t>(f.data);
            float value;
            std::memcpy(&value, &bits, 4);
            return value;
        }
        case pg_oid::int8:
        case pg_oid::int4:
        case pg_oid::int2:
        case pg_oid::oid:
            return static_cast<double>(*pg_integer(f, problem));
        case pg_oid::numeric: {
            auto text = pg_numeric_text(f.data, f.length);
            auto parsed = text ? parse_number<double>(*text) : std::nullopt;
            if (!parsed) problem = "numeric value is not a number";
            return parsed;
        }
        default:
            if (pg_is_text_type(f.type)) {
                const std::string_view text(f.data, static_cast<std::size_t>(f.length));
                auto parsed = parse_number<double>(text);
                if (!parsed) problem = "text '" + std::string(text) + "' is not a number";
                return parsed;
            }
            problem = "a value of type OID " + std::to_string(f.type) + " is not a number";
            return std::nullopt;
    }
}

// Any non-NULL field into T, from every type OID that has a faithful conversion.
template <class T>
T pg_decode(const PGresult* result, const pg_field& f, int column, const column_context& where,
            const pg_sql_text& sql) {
    std::string problem;
    if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_enum_v<T>) {
        const auto value = pg_integer(f, problem);
        if (!value) throw_pg_read_error(result, column, where, problem, sql);
        if constexpr (std::is_same_v<T, bool>) {
            if (*value != 0 && *value != 1) {
                throw_pg_read_error(result, column, where, std::to_string(*value) + " is not a boolean", sql);
            }
            return *value == 1;
        } else {
            using integer =
                std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>;
            const auto fitted = fit_integer<typename integer::type>(*value);
            if (!fitted) {
                throw_pg_read_error(result, column, where,
                                    "value " + std::to_string(*value) + " out of range for " +
                                        std::to_string(sizeof(T) * 8) + "-bit " + pg_type_label<T>(),
                                    sql);
            }
            return static_cast<T>(*fitted);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        const auto value = pg_real(f, problem);
        if (!value) throw_pg_read_error(result, column, where, problem, sql);
        if constexpr (std::is_same_v<T, float>) {
            if (__builtin_isfinite(*value) && __builtin_fabs(*value) > std::numeric_limits<float>::max()) {
                throw_pg_read_error(result, column, where, "value out of range for float", sql);
            }
        }
        return static_cast<T>(*value);
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (pg_is_text_type(f.type) || f.type == pg_oid::bytea) {
            return std::string(f.data, static_cast<std::size_t>(f.length));
        }
        if (f.type == pg_oid::jsonb && f.length >= 1) {  // version byte, then the text
            return std::string(f.data + 1, static_cast<std::size_t>(f.length - 1));
        }
        if (f.type == pg_oid::numeric) {
            if (auto text = pg_numeric_text(f.data, f.length)) return *text;
        }
        if (f.type == pg_oid::uuid && f.length == 16) {
            static constexpr char hex[] = "0123456789abcdef";
            std::string out;
            for (int i = 0; i < 16; ++i) {
                if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
                const auto byte = static_cast<unsigned char>(f.data[i]);
                out.push_back(hex[byte >> 4]);
                out.push_back(hex[byte & 15]);
            }
            return out;
        }
        if (f.type == pg_oid::int2 || f.type == pg_oid::int4 || f.type == pg_oid::int8) {
            return std::to_string(*pg_integer(f, problem));
        }
        throw_pg_read_error(result, column, where,
                            "a value of type OID " + std::to_string(f.type) + " cannot be read as text", sql);
    } else if constexpr (kind_of<T> == value_kind::blob) {
        if (f.type == pg_oid::bytea || pg_is_text_type(f.type)) {
            const auto* bytes = reinterpret_cast<const typename T::value_type*>(f.data);
            return T(bytes, bytes + f.length);
        }
        throw_pg_read_error(result, column, where,
                            "a value of type OID " + std::to_string(f.type) + " is not bytea", sql);
    } else {
        static_assert(kind_of<T> == value_kind::timestamp);
        std::optional<std::int64_t> micros;
        if (f.type == pg_oid::timestamp || f.type == pg_oid::timestamptz) {
            const auto pg_micros = static_cast<std::int64_t>(get_be<std::uint64_t>(f.data));
            std::int64_t unix_micros = 0;
            if (pg_micros != std::numeric_limits<std::int64_t>::max() &&
                pg_micros != std::numeric_limits<std::int64_t>::min() &&
                !__builtin_add_overflow(pg_micros, pg_epoch_micros, &unix_micros)) {
                micros = unix_micros;  // not ±infinity
            }
        } else if (f.type == pg_oid::date) {
            const auto days = static_cast<std::int32_t>(get_be<std::uint32_t>(f.data));
            if (days != std::numeric_limits<std::int32_t>::max() &&
                days != std::numeric_limits<std::int32_t>::min()) {
                micros = static_cast<std::int64_t>(days) * 86400000000LL + pg_epoch_micros;
            }
        } else if (pg_is_text_type(f.type)) {
            micros = parse_timestamp(std::string_view(f.data, static_cast<std::size_t>(f.length)));
        }
        if (!micros) {
            throw_pg_read_error(result, column, where, "the value is not a finite timestamp", sql);
        }
        const auto time = from_microseconds<typename T::duration>(*micros);
        if (!time) {
            throw_pg_read_error(result, column, where, "timestamp does not fit the time_point's duration",
                                sql);
        }
        return *time;
    }
}

// Column `column` (of type OID `type`) of row `row` into T (std::optional<T> reads NULL as nullopt).
// The types the library itself declares for T (bigint, integer, text, double precision) are decoded
// inline; every other conversion goes through pg_decode.
template <class T>
T pg_read(const PGresult* result, int row, int column, Oid type, const column_context& where,
          const pg_sql_text& sql) {
    using base = non_null_t<T>;
    const int length = PQgetlength(result, row, column);
    if (length == 0 && PQgetisnull(result, row, column)) {  // libpq gives NULL the length 0
        if constexpr (is_optional<T>::value) {
            return std::nullopt;
        } else {
            throw_pg_read_error(result, column, where,
                                std::string("NULL read into non-optional ") + pg_type_label<base>(), sql);
        }
    }
    const pg_field f{PQgetvalue(result, row, column), length, type};
    if constexpr (std::is_same_v<base, std::int64_t>) {
        if (f.type == pg_oid::int8) [[likely]] {
            return static_cast<std::int64_t>(get_be<std::uint64_t>(f.data));
        }
    } else if constexpr (std::is_same_v<base, std::int32_t>) {
        if (f.type == pg_oid::int4) [[likely]] {
            return static_cast<std::int32_t>(get_be<std::uint32_t>(f.data));
        }
    } else if constexpr (std::is_same_v<base, double>) {
        if (f.type == pg_oid::float8) [[likely]] {
            return std::bit_cast<double>(get_be<std::uint64_t>(f.data));
        }
    } else if constexpr (std::is_same_v<base, std::string>) {
        if (f.type == pg_oid::text || f.type == pg_oid::varchar) [[likely]] {
            if constexpr (is_optional<T>::value) {
                return T(std::in_place, f.data, static_cast<std::size_t>(f.length));
            } else {
                return std::string(f.data, static_cast<std::size_t>(f.length));
            }
        }
    }
    return pg_decode<base>(result, f, column, where, sql);
}

// ---- COPY text format -----------------------------------------------------------------------

template <class T>
void copy_append(std::string& out, const T& value) {
    if constexpr (std::is_array_v<T>) {  // a string literal
        copy_append(out, static_cast<const char*>(value));
    } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
        out.append("\\N");
    } else if constexpr (is_optional<T>::value) {
        if (value) {
            copy_append(out, *value);
        } else {
            out.append("\\N");
        }
    } else if constexpr (std::is_same_v<T, bool>) {
        out.push_back(value ? 't' : 'f');
    } else if constexpr (std::is_enum_v<T>) {
        copy_append(out, static_cast<std::underlying_type_t<T>>(value));
    } else if constexpr (std::is_integral_v<T>) {
        const auto stored = to_storage_integer(value);
        if (!stored) {
            throw data_error("COPY: unsigned value " + std::to_string(value) +
                             " does not fit in a 64-bit signed integer");
        }
        char buffer[24];
        auto end = std::to_chars(buffer, buffer + sizeof buffer, *stored).ptr;
        out.append(buffer, end);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (__builtin_isnan(value)) {
            out.append("NaN");
        } else if (__builtin_isinf(value)) {
            out.append(value > 0 ? "Infinity" : "-Infinity");
        } else {
            char buffer[32];
            auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;  // shortest exact form
            out.append(buffer, end);
        }
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view> ||
                         std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
        const std::string_view text(value);
        for (char c : text) {
            switch (c) {
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\0':
                    throw data_error("COPY: PostgreSQL text cannot contain a NUL byte");
                default:
                    out.push_back(c);
            }
        }
    } else if constexpr (kind_of<T> == value_kind::blob) {
        static constexpr char hex[] = "0123456789abcdef";
        out.append("\\\\x");
        for (auto byte : value) {
            const auto b = static_cast<unsigned char>(byte);
            out.push_back(hex[b >> 4]);
            out.push_back(hex[b & 15]);
        }
    } else {
        static_assert(kind_of<T> == value_kind::timestamp);
        const checked_microseconds micros = to_microseconds(value);
        if (micros.problem != checked_microseconds::status::exact) [[unlikely]] {
            throw data_error(std::string("COPY: ") + timestamp_problem(micros.problem));
        }
        char text[26];
        if (!format_timestamp(micros.value, text)) [[unlikely]] {
            throw data_error("COPY: timestamp outside years 0000..9999 (the text form COPY sends)");
        }
        out.append(text, sizeof text);
    }
}

// Parameters gathered from a binder, in buffers a connection reuses.
struct pg_collected {
    std::vector<Oid> types;
    std::vector<std::ptrdiff_t> offsets;  // into arena; -1 for NULL
    std::vector<int> lengths;
    std::vector<char> arena;
    std::vector<const char*> values;
    std::vector<int> formats;

    void clear() noexcept {
        types.clear();
        offsets.clear();
        lengths.clear();
        arena.clear();
    }
};

struct pg_sink {
    pg_collected* into;
    std::string_view sql;

    template <class V>
    requires bindable<V>
    void operator()(const V& value) {
        char scratch[8];
        const auto slot = pg_encode(value, scratch, static_cast<int>(into->types.size()), sql);
        into->types.push_back(pg_param_oid<V>());
        if (slot.value) {
            into->offsets.push_back(static_cast<std::ptrdiff_t>(into->arena.size()));
            into->arena.insert(into->arena.end(), slot.value, slot.value + slot.length);
        } else {
            into->offsets.push_back(-1);
        }
        into->lengths.push_back(slot.length);
    }

    // An IN list: one array parameter in the binary array format (ndim 1, has-null flag, element
    // OID, length, lower bound 1, then each element as its length and its bytes, -1 for NULL), the
    // elements encoded and checked exactly as single values are.
    template <class V>
    void operator()(const sql::value_list<V>& list) {
        constexpr Oid element = pg_param_oid<V>();
        const int index = static_cast<int>(into->types.size());
        std::vector<char>& arena = into->arena;
        const std::size_t start = arena.size();
        char header[20];
        put_be(header, 1, 4);
        put_be(header + 4, 0, 4);  // has NULLs: set below
        put_be(header + 8, element, 4);
        put_be(header + 12, list.size(), 4);
        put_be(header + 16, 1, 4);
        arena.insert(arena.end(), header, header + sizeof header);
        bool has_null = false;
        for (const V& value : list) {
            char scratch[8];
            const auto slot = pg_encode(value, scratch, index, sql);
            char length[4];
            put_be(length, static_cast<std::uint32_t>(slot.value ? slot.length : -1), 4);
            arena.insert(arena.end(), length, length + 4);
            if (slot.value) {
                arena.insert(arena.end(), slot.value, slot.value + slot.length);
            } else {
                has_null = true;
            }
        }
        if (has_null) {
            put_be(arena.data() + start + 4, 1, 4);
        }
        const std::size_t size = arena.size() - start;
        if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
            list.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) [[unlikely]] {
            throw_param_error("an IN list's array is larger than a PostgreSQL parameter can be (2 GiB)", index, sql);
        }
        into->types.push_back(pg_array_oid(element));
        into->offsets.push_back(static_cast<std::ptrdiff_t>(start));
        into->lengths.push_back(static_cast<int>(size));
    }
};

}  // namespace detail

// The rows of one execution, all received: next() moves through them, get<T>() decodes a column
// from its binary form.
class postgres_cursor {
public:
    postgres_cursor(postgres_cursor&&) noexcept = default;
    postgres_cursor& operator=(postgres_cursor&&) noexcept = default;

    bool next() noexcept { return ++row_ < rows_; }

    template <value_type T>
    T get(int column, const column_context& where = {}) const {
        const Oid type = static_cast<std::size_t>(column) < types_.size()
                             ? types_[static_cast<std::size_t>(column)]
                             : PQftype(result_.get(), column);
        return detail::pg_read<T>(result_.get(), row_, column, type, where, {static_sql_, &text_sql_});
    }
    bool is_null(int column) const { return PQgetisnull(result_.get(), row_, column) != 0; }
    int column_count() const { return PQnfields(result_.get()); }
    int row_count() const { return rows_; }
    std::string_view column_name(int column) const {
        const char* name = PQfname(result_.get(), column);
        return name ? name : "";
    }
    std::string_view sql() const {
        return static_sql_ ? std::string_view(static_sql_) : std::string_view(text_sql_);
    }
    const PGresult* native_handle() const noexcept { return result_.get(); }

private:
    friend class postgres_connection;
    postgres_cursor(detail::pg_result_ptr result, const char* static_sql, std::string text_sql)
        : result_(std::move(result)),
          rows_(PQntuples(result_.get())),
          static_sql_(static_sql),
          text_sql_(std::move(text_sql)) {
        const int columns = std::min(PQnfields(result_.get()), static_cast<int>(types_.size()));
        for (int i = 0; i < columns; ++i) {
            types_[static_cast<std::size_t>(i)] = PQftype(result_.get(), i);
        }
    }

    detail::pg_result_ptr result_;
    int row_ = -1;
    int rows_ = 0;
    const char* static_sql_;
    std::string text_sql_;
    // The first columns' type OIDs, asked once per result rather than once per value read (0, as
    // PQftype answers, past the last column).
    std::array<Oid, 16> types_{};
};

class postgres_connection;

// The rows of one execution, received one at a time (libpq single-row mode): the cursor holds only
// the current row's result, never the whole result. While rows are still arriving the connection
// runs nothing else (another statement is a programming_error); destroyed before the end, the
// cursor reads and discards the rest, so the connection is usable again.
class postgres_stream_cursor {
public:
    postgres_stream_cursor(postgres_stream_cursor&& other) noexcept;
    postgres_stream_cursor& operator=(postgres_stream_cursor&& other) noexcept;
    ~postgres_stream_cursor() { close(); }

    // The next row; false at the end. An error the server reports mid-stream throws the same
    // error kind as a whole-result query would.
    bool next();

    template <value_type T>
    T get(int column, const column_context& where = {}) const {
        return detail::pg_read<T>(result_.get(), 0, column, PQftype(result_.get(), column), where,
                                  {static_sql_, &text_sql_});
    }
    bool is_null(int column) const { return PQgetisnull(result_.get(), 0, column) != 0; }
    int column_count() const { return PQnfields(result_.get()); }
    std::string_view column_name(int column) const {
        const char* name = PQfname(result_.get(), column);
        return name ? name : "";
    }
    std::string_view sql() const {
        return static_sql_ ? std::string_view(static_sql_) : std::string_view(text_sql_);
    }
    // Whether rows are still arriving (the connection is busy until they stop).
    bool is_open() const noexcept { return connection_ != nullptr; }
    // Discards the rows not read yet and frees the connection.
    void close() noexcept;
    // The current row's result (one tuple), or the final result at the end.
    const PGresult* native_handle() const noexcept { return result_.get(); }

private:
    friend class postgres_connection;
    postgres_stream_cursor(postgres_connection* connection, detail::pg_result_ptr first,
                           const char* static_sql, std::string text_sql) noexcept;

    postgres_connection* connection_;  // while rows are arriving
    detail::pg_result_ptr result_;     // the current row, or the final result
    bool started_ = false;             // the first result, fetched when the statement ran, was taken
    bool lost_ = false;                // the connection was closed under the cursor
    const char* static_sql_;
    std::string text_sql_;
};

struct postgres_options {
    std::size_t text_cache_capacity = 64;  // prepared statements kept for run-time SQL text (LRU)
    // SET TimeZone = 'UTC' and client_encoding = 'UTF8' on connecting (one round trip), so that
    // server-side conversions (now() into a timestamp column, timestamptz::timestamp) agree with
    // the library's rule that timestamp values are UTC, and text is UTF-8 whatever the server's
    // defaults.
    bool utc_utf8_session = true;
    // false: no named prepared statement is ever created; each statement goes out as one unnamed
    // Parse/Bind/Execute (PQexecParams / PQsendQueryParams), with the same binary parameters and
    // parameter types. For a transaction-mode pooler (pgbouncer 1.18), which hands each transaction
    // a different server connection: a statement prepared on one is missing on the next. URL
    // option `prepared_statements=false`.
    bool prepared_statements = true;
};

// One PostgreSQL connection. Not thread-safe: a pool hands it to one thread at a time.
class postgres_connection {
public:
    using cursor = postgres_cursor;
    using stream_cursor = postgres_stream_cursor;
    using options = postgres_options;
    static constexpr std::string_view backend_name = "postgres";

    // `conninfo` is a libpq connection string or URI; "" reads the PG* environment variables.
    CRUCIBLE_DECL explicit postgres_connection(const std::string& conninfo, const postgres_options& options = {});

    postgres_connection(const postgres_connection&) = delete;
    postgres_connection& operator=(const postgres_connection&) = delete;
    CRUCIBLE_DECL ~postgres_connection();

    // Runs a statement; returns the rows it changed (INSERT, UPDATE, DELETE) or returned.
    template <bindable... Args>
    std::int64_t execute(static_sql sql, const Args&... args) {
        auto result = run(statement(sql, oids_of<Args...>(), key_of<Args...>()), sql.c_str(), args...);
        return rows_affected(result.get());
    }
    template <bindable... Args>
    std::int64_t execute_text(std::string_view sql, const Args&... args) {
        auto& entry = text_statement(sql, oids_of<Args...>(), key_of<Args...>());
        auto result = run(entry.statement, entry.sql.c_str(), args...);
        return rows_affected(result.get());
    }

    template <bindable... Args>
    postgres_cursor query(static_sql sql, const Args&... args) {
        return postgres_cursor(
            run(statement(sql, oids_of<Args...>(), key_of<Args...>()), sql.c_str(), args...), sql.c_str(),
            {});
    }
    template <bindable... Args>
    postgres_cursor query_text(std::string_view sql, const Args&... args) {
        auto& entry = text_statement(sql, oids_of<Args...>(), key_of<Args...>());
        return postgres_cursor(run(entry.statement, entry.sql.c_str(), args...), nullptr, std::string(sql));
    }

    // The same four with parameters from a binder: `binder(sink)` calls `sink(value)` once per
    // parameter, in order (the SQL layer's statements bind this way; the count may vary at run time).
    // The binder type these take: non-template entry points, so that their code is compiled once
    // whatever the statement; any callable converts (see binder.hpp).
    using execute_binder = binder_ref<detail::pg_sink>;
    using query_binder = binder_ref<detail::pg_sink>;

    CRUCIBLE_DECL std::int64_t execute_bound(static_sql sql, const execute_binder& binder);
    CRUCIBLE_DECL std::int64_t execute_text_bound(std::string_view sql, const execute_binder& binder);
    CRUCIBLE_DECL postgres_cursor query_bound(static_sql sql, const query_binder& binder);
    CRUCIBLE_DECL postgres_cursor query_text_bound(std::string_view sql, const query_binder& binder);

    // The values are copied into the connection's buffers either way.
    using in_place_binder = query_binder;
    CRUCIBLE_DECL postgres_cursor query_bound_in_place(static_sql sql, const in_place_binder& binder);
    CRUCIBLE_DECL postgres_cursor query_text_bound_in_place(std::string_view sql, const in_place_binder& binder);

    // As query_bound, but the rows arrive one at a time as the cursor asks for them (single-row
    // mode), so a large result is never held in memory. Until the cursor has read the last row or
    // is destroyed, any other statement on this connection is a programming_error.
    CRUCIBLE_DECL postgres_stream_cursor stream_bound(static_sql sql, const query_binder& binder);
    CRUCIBLE_DECL postgres_stream_cursor stream_text_bound(std::string_view sql, const query_binder& binder);

    // One statement run `count` times, `binder(i, sink)` binding the i-th execution's values, in
    // libpq's pipeline mode: up to batch_pipeline_depth executions are sent before their results
    // are read, so a batch costs one round trip per that many rather than one per execution.
    // `affected[i]` receives the rows the i-th changed. When one fails, the rest of its pipeline is
    // skipped by the server, nothing more is sent, `failed_at` names it and its error is thrown
    // (inside a transaction, the transaction is then aborted, as after any failed statement).
    using batch_binder = batch_binder_ref<detail::pg_sink>;
    static constexpr std::size_t batch_pipeline_depth = 500;
    CRUCIBLE_DECL void execute_batch_bound(static_sql sql, std::size_t count, const batch_binder& binder,
                                           std::span<std::int64_t> affected, std::size_t& failed_at);

    // Runs SQL text that may hold several statements and no parameters (DDL scripts), unprepared.
    CRUCIBLE_DECL void execute_script(const std::string& sql);
    CRUCIBLE_DECL void begin();
    // COMMIT of a transaction a failed statement aborted rolls it back: that is an error here, not
    // a silent success.
    CRUCIBLE_DECL void commit();
    CRUCIBLE_DECL void rollback();
    CRUCIBLE_DECL void savepoint(std::string_view name);
    CRUCIBLE_DECL void release_savepoint(std::string_view name);
    CRUCIBLE_DECL void rollback_to_savepoint(std::string_view name);
    bool in_transaction() const noexcept { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
    // A statement failed inside the transaction: only ROLLBACK (TO SAVEPOINT) is accepted now.
    bool transaction_failed() const noexcept { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

    CRUCIBLE_DECL void set_statement_timeout(std::chrono::milliseconds timeout);

    // Whether the link is up, as last seen by libpq (no round trip).
    bool is_open() const noexcept { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
    // A round trip (an empty query): false when the server is gone.
    CRUCIBLE_DECL bool ping() noexcept;
    int backend_pid() const noexcept { return PQbackendPID(conn_); }

    // Stops the statement running now, from any thread: it fails with timeout_error (57014).
    CRUCIBLE_DECL void cancel() noexcept;

    // Bulk load by COPY (text format): `rows` is a range of tuples (or of values that `as_tuple`
    // turns into tuples), one element per column of `quoted_columns` (e.g. "\"name\", \"city\"").
    // Returns the number of rows copied.
    template <std::ranges::input_range Rows, class AsTuple = std::identity>
    std::int64_t copy_rows(std::string_view quoted_table, std::string_view quoted_columns, Rows&& rows,
                           AsTuple as_tuple = {}) {
        std::string sql = "COPY ";
        sql.append(quoted_table).append(" (").append(quoted_columns).append(") FROM STDIN");
        ensure_idle(sql);
        detail::pg_result_ptr start(PQexec(conn_, sql.c_str()));
        if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
            detail::throw_postgres_error(conn_, start.get(), sql);
        }
        std::string buffer;
        buffer.reserve(1 << 16);
        auto flush = [&] {
            if (!buffer.empty() &&
                PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
                detail::throw_postgres_error(conn_, nullptr, sql);
            }
            buffer.clear();
        };
        try {
            for (const auto& row : rows) {
                std::apply(
                    [&buffer](const auto&... values) {
                        char separator = 0;
                        ((separator ? void(buffer.push_back(separator)) : void(separator = '\t'),
                          detail::copy_append(buffer, values)),
                         ...);
                    },
                    as_tuple(row));
                buffer.push_back('\n');
                if (buffer.size() >= (1 << 16) - 1024) {
                    flush();
                }
            }
            flush();
        } catch (const std::exception& e) {
            PQputCopyEnd(conn_, e.what());  // abort the COPY so the connection stays usable
            drain();
            throw;
        }
        if (PQputCopyEnd(conn_, nullptr) != 1) {
            detail::throw_postgres_error(conn_, nullptr, sql);
        }
        detail::pg_result_ptr done(PQgetResult(conn_));
        drain();
        if (!done || PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
            detail::throw_postgres_error(conn_, done.get(), sql);
        }
        return rows_affected(done.get());
    }

    std::size_t prepare_count() const noexcept { return prepare_count_; }
    // How many values the last statement bound (the echo hook reports it).
    std::size_t bound_parameter_count() const noexcept { return bound_count_; }
    std::size_t cached_statement_count() const noexcept { return static_cache_.size() + text_cache_.size(); }

    PGconn* native_handle() const noexcept { return conn_; }
    pqxx::connection_base& pqxx_connection() noexcept { return *owner_; }

private:
    friend class postgres_stream_cursor;

    // A stream still receiving rows owns the protocol: sending anything now would corrupt it.
    void ensure_idle(std::string_view sql) const {
        if (stream_) [[unlikely]] {
            throw programming_error(
                "postgres: a stream is still receiving rows on this connection; read it to the end or "
                "destroy it before running another statement",
                std::string(sql));
        }
    }

    struct prepared {
        std::string name;
        std::vector<Oid> types;     // the parameter types it was prepared for
        const void* key = nullptr;  // the static OID array of the C++ type list, when there is one

        // Pointer equality is the fast path (one array per C++ type list); otherwise the OIDs are
        // compared, so int and long, or std::string and const char*, share a statement.
        bool accepts(std::span<const Oid> other, const void* other_key) const noexcept {
            return (other_key && other_key == key) || std::ranges::equal(types, other);
        }
    };
    struct text_entry {
        std::string sql;
        prepared statement;
    };

    CRUCIBLE_DECL static std::unique_ptr<detail::pqxx_owner> open(const std::string& conninfo);
    CRUCIBLE_DECL static std::string named(std::string_view verb, std::string_view name);
    CRUCIBLE_DECL static std::int64_t rows_affected(const PGresult* result);
    CRUCIBLE_DECL void drain() noexcept;

    // Runs SQL text with the simple protocol; returns the command tag (e.g. "COMMIT").
    CRUCIBLE_DECL std::string simple(const std::string& sql);
    CRUCIBLE_DECL void prepare(prepared& into, const char* sql, std::span<const Oid> types, const void* key);
    CRUCIBLE_DECL prepared& statement(static_sql sql, std::span<const Oid> types, const void* key);
    CRUCIBLE_DECL text_entry& text_statement(std::string_view sql, std::span<const Oid> types, const void* key);

    template <class... Args>
    static constexpr std::span<const Oid> oids_of() noexcept {
        return detail::pg_param_oids<Args...>;
    }
    template <class... Args>
    static constexpr const void* key_of() noexcept {
        return &detail::pg_param_oids<Args...>;
    }

    // Values from a binder: encoded into reused buffers (copied, so a binder may pass temporaries).
    CRUCIBLE_DECL void collect(const query_binder& binder, std::string_view sql);
    CRUCIBLE_DECL detail::pg_result_ptr run_collected(const prepared& statement, const char* sql);
    CRUCIBLE_DECL detail::pg_result_ptr checked(detail::pg_result_ptr result, const char* sql);

    // Statements evicted or replaced are deallocated on the server when that is allowed.
    CRUCIBLE_DECL void deallocate_retired();

    template <class... Args>
    detail::pg_result_ptr run(const prepared& statement, const char* sql, const Args&... args) {
        ensure_idle(sql);
        constexpr std::size_t n = sizeof...(Args);
        bound_count_ = n;
        std::array<const char*, n + 1> values{};
        std::array<int, n + 1> lengths{};
        std::array<int, n + 1> formats{};
        [[maybe_unused]] std::array<std::array<char, 8>, n + 1> scratch;
        [[maybe_unused]] std::size_t i = 0;
        (
            [&] {
                const auto slot = detail::pg_encode(args, scratch[i].data(), static_cast<int>(i), sql);
                values[i] = slot.value;
                lengths[i] = slot.length;
                formats[i] = 1;
                ++i;
            }(),
            ...);
        detail::pg_result_ptr result(exec(statement, sql, static_cast<int>(n), values.data(), lengths.data(),
                                          formats.data()));
        return checked(std::move(result), sql);
    }

    // PQexecPrepared of the named statement, or, with prepared statements off (its name empty),
    // PQexecParams of its text: one unnamed Parse/Bind/Execute.
    PGresult* exec(const prepared& statement, const char* sql, int n, const char* const* values, const int* lengths,
                   const int* formats) {
        if (statement.name.empty()) [[unlikely]] {
            return PQexecParams(conn_, sql, n, n == 0 ? nullptr : statement.types.data(), values, lengths, formats, 1);
        }
        return PQexecPrepared(conn_, statement.name.c_str(), n, values, lengths, formats, 1);
    }
    int send(const prepared& statement, const char* sql, int n, const char* const* values, const int* lengths,
             const int* formats) {
        if (statement.name.empty()) [[unlikely]] {
            return PQsendQueryParams(conn_, sql, n, n == 0 ? nullptr : statement.types.data(), values, lengths,
                                     formats, 1);
        }
        return PQsendQueryPrepared(conn_, statement.name.c_str(), n, values, lengths, formats, 1);
    }

    CRUCIBLE_DECL postgres_stream_cursor start_stream(const prepared& statement, const char* static_sql,
                                        std::string text_sql);

    std::unique_ptr<detail::pqxx_owner> owner_;  // libpqxx owns (opens and closes) the connection
    PGconn* conn_;
    std::size_t text_capacity_;
    bool prepared_statements_;
    std::size_t prepare_count_ = 0;
    std::size_t bound_count_ = 0;
    std::uint64_t name_counter_ = 0;
    std::unordered_map<const char*, prepared> static_cache_;
    std::list<text_entry> text_cache_;
    std::unordered_map<std::string_view, std::list<text_entry>::iterator> text_index_;
    std::vector<std::string> retired_;
    detail::pg_collected collected_;
    postgres_stream_cursor* stream_ = nullptr;  // the stream receiving rows now, if any
};

inline postgres_stream_cursor::postgres_stream_cursor(postgres_connection* connection,
                                                      detail::pg_result_ptr first, const char* static_sql,
                                                      std::string text_sql) noexcept
    : connection_(connection),
      result_(std::move(first)),
      static_sql_(static_sql),
      text_sql_(std::move(text_sql)) {
    if (connection_) {
        connection_->stream_ = this;
    }
}

inline postgres_stream_cursor::postgres_stream_cursor(postgres_stream_cursor&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      result_(std::move(other.result_)),
      started_(other.started_),
      lost_(other.lost_),
      static_sql_(other.static_sql_),
      text_sql_(std::move(other.text_sql_)) {
    if (connection_) {
        connection_->stream_ = this;
    }
}

inline postgres_stream_cursor& postgres_stream_cursor::operator=(postgres_stream_cursor&& other) noexcept {
    if (this != &other) {
        close();
        connection_ = std::exchange(other.connection_, nullptr);
        result_ = std::move(other.result_);
        started_ = other.started_;
        lost_ = other.lost_;
        static_sql_ = other.static_sql_;
        text_sql_ = std::move(other.text_sql_);
        if (connection_) {
            connection_->stream_ = this;
        }
    }
    return *this;
}

inline bool postgres_stream_cursor::next() {
    if (!started_) {
        started_ = true;
        if (lost_) {
            throw operational_error("postgres: the connection of this stream was closed", std::string(sql()));
        }
        return result_ && PQresultStatus(result_.get()) == PGRES_SINGLE_TUPLE;
    }
    if (!connection_) {
        if (lost_) {
            throw operational_error("postgres: the connection of this stream was closed", std::string(sql()));
        }
        return false;  // past the end
    }
    result_.reset();  // one row at a time: the previous one goes before the next arrives
    result_.reset(PQgetResult(connection_->conn_));
    const auto status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_SINGLE_TUPLE) [[likely]] {
        return true;
    }
    // The final result (no rows) or an error: either way libpq has nothing more after it.
    PGconn* conn = connection_->conn_;
    close();
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        detail::throw_postgres_error(conn, result_.get(), sql());
    }
    return false;
}

inline void postgres_stream_cursor::close() noexcept {
    if (auto* connection = std::exchange(connection_, nullptr)) {
        connection->drain();
        connection->stream_ = nullptr;
    }
}

}  // namespace crucible::backend

#if CRUCIBLE_HEADER_ONLY
#include "crucible/backend/impl/postgres.ipp"
#endif
