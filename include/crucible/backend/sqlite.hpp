// sqlite_connection: the SQLite backend — prepare, bind, step, read, transactions, error translation.
#pragma once

// Storage: integers of every width are INTEGER (64-bit; a uint64 above INT64_MAX is refused, never
// wrapped), bool is 0/1, float and double are REAL (NaN is refused: SQLite would store NULL; the
// dialect declares float columns with no type, since a REAL column would keep -0.0 as the integer 0),
// timestamps are TEXT 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, which sorts correctly and which
// SQLite's date and time functions read. Text may hold NUL bytes.
//
// SQLiteCpp opens and closes the database; statements run through the sqlite3 C API on its
// handle (SQLite::Statement keeps its sqlite3_stmt* private and adds a shared_ptr per statement).

#include <sqlite3.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "crucible/backend/binder.hpp"
#include "crucible/backend/static_sql.hpp"
#include "crucible/backend/value_traits.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/dialect/sqlite.hpp"
#include "crucible/error.hpp"
#include "crucible/sql/errors.hpp"
#include "crucible/sql/value_list.hpp"

// SQLiteCpp opens the connection; its header (which brings <filesystem>) stays out of the programs
// that include this one, and is needed only by those that call database().
namespace SQLite {
class Database;
}

namespace crucible::backend {

struct sqlite_options {
    int busy_timeout_ms = 5000;            // how long a statement waits for a lock before timeout_error
    std::size_t text_cache_capacity = 64;  // prepared statements kept for run-time SQL text (LRU)
    bool foreign_keys = true;              // PRAGMA foreign_keys = ON
    bool create = true;                    // create the file when it does not exist
    bool read_only = false;
    // PRAGMA journal_mode on connecting ("" leaves the database's own): "wal" lets readers go on
    // while one writer writes; delete, truncate, persist, memory, off as SQLite has them.
    std::string journal_mode;
    // PRAGMA synchronous on connecting ("" leaves SQLite's default, full): "normal" is durable
    // against a crash of the program and, in WAL mode, needs no fsync per commit.
    std::string synchronous;
    // begin() takes the write lock at once (BEGIN IMMEDIATE) instead of at the first write.
    bool immediate_transactions = false;
};

namespace detail {

// SQLite's result code as the crucible error kind; `message` is sqlite3_errmsg at the failure.
[[noreturn]] CRUCIBLE_DECL void throw_sqlite_error(int code, std::string_view message, std::string_view sql);
[[noreturn]] CRUCIBLE_DECL void throw_sqlite_error(sqlite3* db, int code, std::string_view sql);

struct sqlite_stmt_deleter {
    void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using sqlite_stmt_ptr = std::unique_ptr<sqlite3_stmt, sqlite_stmt_deleter>;

// A cached prepared statement; `in_use` while a cursor steps it, so a nested use of the same
// statement gets a fresh one instead of resetting the outer cursor. `parameters` is its
// sqlite3_bind_parameter_count, asked once rather than at every execution.
struct sqlite_cached {
    sqlite_stmt_ptr stmt;
    bool in_use = false;
    int parameters = sqlite3_bind_parameter_count(stmt.get());
};

// A statement lent to one execution: a cached one (`in_use` points at its flag) or a fresh one the
// lease owns.
struct sqlite_lease {
    sqlite3_stmt* stmt = nullptr;
    sqlite_stmt_ptr owned;
    bool* in_use = nullptr;
    int parameters = 0;  // sqlite3_bind_parameter_count(stmt)
};

template <class T>
constexpr const char* type_label() {
    if constexpr (std::is_same_v<T, bool>)
        return "bool";
    else if constexpr (std::is_enum_v<T>)
        return "enum";
    else if constexpr (std::is_integral_v<T>) {
        if constexpr (std::is_signed_v<T>) {
            return sizeof(T) == 1 ? "int8" : sizeof(T) == 2 ? "int16" : sizeof(T) == 4 ? "int32" : "int64";
        } else {
            return sizeof(T) == 1   ? "uint8"
                   : sizeof(T) == 2 ? "uint16"
                   : sizeof(T) == 4 ? "uint32"
                                    : "uint64";
        }
    } else if constexpr (std::is_same_v<T, float>)
        return "float";
    else if constexpr (std::is_same_v<T, double>)
        return "double";
    else if constexpr (std::is_same_v<T, std::string>)
        return "std::string";
    else if constexpr (kind_of<T> == value_kind::blob)
        return "byte vector";
    else
        return "timestamp";
}

[[noreturn]] CRUCIBLE_DECL void throw_bind_error(std::string_view problem, int index, std::string_view sql);
// "unsigned value N does not fit in a 64-bit signed integer"
[[noreturn]] CRUCIBLE_DECL void throw_unsigned_bind_error(std::uint64_t value, int index, std::string_view sql);
// Cold, out of the statement's hot path: its message would make every caller build strings.
[[noreturn, gnu::cold]] CRUCIBLE_DECL void throw_parameter_count_error(int expected, std::size_t given,
                                                                      std::string_view sql);

// Binds one value at 1-based `index`. `Copy` makes SQLite copy text and blobs, for a cursor that
// outlives its arguments.
template <bool Copy, class T>
int sqlite_bind_one(sqlite3_stmt* stmt, int index, const T& value) {
    auto lifetime = Copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
    if constexpr (std::is_array_v<T>) {  // a string literal
        return sqlite_bind_one<Copy>(stmt, index, static_cast<const char*>(value));
    } else if constexpr (std::is_same_v<T, std::nullopt_t>) {
        return sqlite3_bind_null(stmt, index);
    } else if constexpr (is_optional<T>::value) {
        return value ? sqlite_bind_one<Copy>(stmt, index, *value) : sqlite3_bind_null(stmt, index);
    } else if constexpr (std::is_same_v<T, bool>) {
        return sqlite3_bind_int64(stmt, index, value ? 1 : 0);
    } else if constexpr (std::is_enum_v<T>) {
        return sqlite_bind_one<Copy>(stmt, index, static_cast<std::underlying_type_t<T>>(value));
    } else if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
        const auto stored = to_storage_integer(value);
        if (!stored) {
            throw_unsigned_bind_error(static_cast<std::uint64_t>(value), index - 1, sqlite3_sql(stmt));
        }
        return sqlite3_bind_int64(stmt, index, *stored);
    } else if constexpr (std::is_integral_v<T>) {  // every value fits: no error path to compile
        return sqlite3_bind_int64(stmt, index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_floating_point_v<T>) {
        if (__builtin_isnan(value)) {  // SQLite would store NaN as NULL
            throw_bind_error("NaN cannot be stored in SQLite", index - 1, sqlite3_sql(stmt));
        }
        return sqlite3_bind_double(stmt, index, static_cast<double>(value));
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
        // A null data pointer would bind NULL, not ''.
        return sqlite3_bind_text64(stmt, index, value.empty() ? "" : value.data(), value.size(), lifetime,
                                   SQLITE_UTF8);
    } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
        return value ? sqlite3_bind_text64(stmt, index, value, std::strlen(value), lifetime, SQLITE_UTF8)
                     : sqlite3_bind_null(stmt, index);
    } else if constexpr (kind_of<T> == value_kind::blob) {
        return value.empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                             : sqlite3_bind_blob64(stmt, index, value.data(), value.size(), lifetime);
    } else {
        static_assert(kind_of<T> == value_kind::timestamp);
        const checked_microseconds micros = to_microseconds(value);
        if (micros.problem != checked_microseconds::status::exact) [[unlikely]] {
            throw_bind_error(timestamp_problem(micros.problem), index - 1, sqlite3_sql(stmt));
        }
        char text[26];
        if (!format_timestamp(micros.value, text)) [[unlikely]] {
            throw_bind_error("timestamp outside SQLite's text range 0000-01-01 00:00:00 .. 9999-12-31 23:59:59.999999",
                             index - 1, sqlite3_sql(stmt));
        }
        return sqlite3_bind_text64(stmt, index, text, sizeof text, SQLITE_TRANSIENT, SQLITE_UTF8);
    }
}

inline std::string_view sqlite_text(sqlite3_value* value) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    const auto size = static_cast<std::size_t>(sqlite3_value_bytes(value));
    return text ? std::string_view(text, size) : std::string_view();
}

[[noreturn]] CRUCIBLE_DECL void throw_read_error(sqlite3_stmt* stmt, int column, const column_context& where,
                                                 std::string_view problem);

// The cold cases of reading a value, alike for every C++ type but for its label: conversions from
// another storage class (a whole REAL or a numeric TEXT into an integer, ...) and the data errors.
// Not templates, so a program compiles them once (with CRUCIBLE_SEPARATE_COMPILATION, never).
// An integer: INTEGER, a whole REAL, a numeric TEXT; NULL or anything else is a data_error.
CRUCIBLE_DECL std::int64_t sqlite_read_integer(sqlite3_stmt* stmt, int column, const column_context& where,
                                               sqlite3_value* value, int type, const char* label);
// A floating-point number: REAL, INTEGER, a numeric TEXT.
CRUCIBLE_DECL double sqlite_read_real(sqlite3_stmt* stmt, int column, const column_context& where,
                                      sqlite3_value* value, int type, const char* label);
// Text: TEXT, a BLOB's bytes, a number's text.
CRUCIBLE_DECL std::string sqlite_read_text(sqlite3_stmt* stmt, int column, const column_context& where,
                                           sqlite3_value* value, int type);
// A timestamp's microseconds since the epoch, from its TEXT.
CRUCIBLE_DECL std::int64_t sqlite_read_timestamp(sqlite3_stmt* stmt, int column, const column_context& where,
                                                 sqlite3_value* value, int type);
// "NULL read into non-optional <label>".
[[noreturn]] CRUCIBLE_DECL void throw_null_read_error(sqlite3_stmt* stmt, int column, const column_context& where,
                                                      const char* label);
// An integer that does not fit the C++ type.
[[noreturn]] CRUCIBLE_DECL void throw_integer_range_error(sqlite3_stmt* stmt, int column,
                                                          const column_context& where, std::int64_t number,
                                                          const char* label);
// An integer read as bool that is neither 0 nor 1.
[[noreturn]] CRUCIBLE_DECL void throw_boolean_range_error(sqlite3_stmt* stmt, int column,
                                                          const column_context& where, std::int64_t number);
// A REAL beyond float's range.
[[noreturn]] CRUCIBLE_DECL void throw_float_range_error(sqlite3_stmt* stmt, int column, const column_context& where,
                                                        double number);

// Every case of reading a value of storage class `type` as T. Out of line and cold: sqlite_read_as
// inlines only the common case into each row reader. What depends on T here is small (the range
// of an integer type, a duration); the conversions and the messages are the functions above.
template <class T>
[[gnu::noinline, gnu::cold]] T sqlite_read_checked(sqlite3_stmt* stmt, int column, const column_context& where,
                                                   sqlite3_value* value, const int type) {
    if constexpr (is_optional<T>::value) {
        if (type == SQLITE_NULL) {
            return std::nullopt;
        }
        return sqlite_read_checked<typename T::value_type>(stmt, column, where, value, type);
    } else if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_enum_v<T>) {
        const std::int64_t number = sqlite_read_integer(stmt, column, where, value, type, type_label<T>());
        if constexpr (std::is_same_v<T, bool>) {
            if (number != 0 && number != 1) {
                throw_boolean_range_error(stmt, column, where, number);
            }
            return number == 1;
        } else {
            using integer = std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>;
            const auto fitted = fit_integer<typename integer::type>(number);
            if (!fitted) {
                throw_integer_range_error(stmt, column, where, number, type_label<T>());
            }
            return static_cast<T>(*fitted);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        const double number = sqlite_read_real(stmt, column, where, value, type, type_label<T>());
        if constexpr (std::is_same_v<T, float>) {
            if (__builtin_isfinite(number) && __builtin_fabs(number) > std::numeric_limits<float>::max()) {
                throw_float_range_error(stmt, column, where, number);
            }
        }
        return static_cast<T>(number);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return sqlite_read_text(stmt, column, where, value, type);
    } else if constexpr (kind_of<T> == value_kind::blob) {
        if (type == SQLITE_NULL) {
            throw_null_read_error(stmt, column, where, type_label<T>());
        }
        const auto* data = static_cast<const typename T::value_type*>(sqlite3_value_blob(value));
        const auto size = static_cast<std::size_t>(sqlite3_value_bytes(value));
        return data ? T(data, data + size) : T();
    } else {
        static_assert(kind_of<T> == value_kind::timestamp);
        const auto time = from_microseconds<typename T::duration>(sqlite_read_timestamp(stmt, column, where, value, type));
        if (!time) {
            throw_read_error(stmt, column, where, "timestamp does not fit the time_point's duration");
        }
        return *time;
    }
}

// Reads a value of storage class `type` as T: the storage class that matches T is read here,
// inline; anything else (NULL into a non-optional, a conversion, a value out of range) goes to
// sqlite_read_checked. Always inline, as is sqlite_read: left to itself GCC kept the std::string
// case (and an optional's) out of line, a call more per column.
template <class T>
[[gnu::always_inline]] inline T sqlite_read_as(sqlite3_stmt* stmt, int column, const column_context& where,
                                               sqlite3_value* value, const int type) {
    if constexpr (is_optional<T>::value) {
        if (type == SQLITE_NULL) {
            return std::nullopt;
        }
        if constexpr (std::is_same_v<typename T::value_type, std::string>) {
            if (type == SQLITE_TEXT) [[likely]] {
                const auto text = sqlite_text(value);  // built inside the optional, not moved in
                return T(std::in_place, text.data(), text.size());
            }
        }
        return sqlite_read_as<typename T::value_type>(stmt, column, where, value, type);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        if (type == SQLITE_INTEGER) [[likely]] {
            return sqlite3_value_int64(value);
        }
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (type == SQLITE_INTEGER) [[likely]] {
            if (const auto fitted = fit_integer<T>(sqlite3_value_int64(value))) [[likely]] {
                return *fitted;
            }
        }
    } else if constexpr (std::is_same_v<T, double>) {
        if (type == SQLITE_FLOAT || type == SQLITE_INTEGER) [[likely]] {
            return sqlite3_value_double(value);
        }
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (type == SQLITE_TEXT) [[likely]] {
            return std::string(sqlite_text(value));
        }
    }
    return sqlite_read_checked<T>(stmt, column, where, value, type);
}

// Reads column `column` as T; the storage class is asked once, also for an optional. The column is
// fetched once, as a value read with sqlite3_value_*: every sqlite3_column_* call checks the index
// and enters and leaves the connection's mutex again (two or three calls a column). The value is
// unprotected, which is safe: only the thread holding the connection reads it, before the next step.
template <class T>
[[gnu::always_inline]] inline T sqlite_read(sqlite3_stmt* stmt, int column, const column_context& where) {
    sqlite3_value* value = sqlite3_column_value(stmt, column);
    return sqlite_read_as<T>(stmt, column, where, value, sqlite3_value_type(value));
}

// ---- IN lists (sql::value_list) ---------------------------------------------------------------

// Appends `text` to `out` as a JSON string; false if it holds a NUL byte, which SQLite's JSON reader
// would cut the string at.
CRUCIBLE_DECL bool sqlite_json_append_text(std::string& out, std::string_view text);

// Appends one value of an IN list to the JSON array json_each(?) reads back as the value SQLite
// stores for it: integers and bools as JSON integers, doubles in their shortest exact form, text as
// JSON strings, timestamps as the text SQLite stores. NaN (SQLite would store NULL), a uint64 above
// INT64_MAX and text with a NUL byte are data_errors, as when bound alone.
template <class T>
void sqlite_json_append(std::string& out, const T& value, int index, sqlite3_stmt* stmt) {
    if constexpr (is_optional<T>::value) {
        if (value) {
            sqlite_json_append(out, *value, index, stmt);
        } else {
            out += "null";
        }
    } else if constexpr (std::is_same_v<T, bool>) {
        out += value ? '1' : '0';
    } else if constexpr (std::is_enum_v<T>) {
        sqlite_json_append(out, static_cast<std::underlying_type_t<T>>(value), index, stmt);
    } else if constexpr (std::is_integral_v<T>) {
        const auto stored = to_storage_integer(value);
        if (!stored) {
            throw_unsigned_bind_error(static_cast<std::uint64_t>(value), index - 1, sqlite3_sql(stmt));
        }
        char buffer[24];
        out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, *stored).ptr);
    } else if constexpr (std::is_floating_point_v<T>) {
        const double number = static_cast<double>(value);
        if (__builtin_isnan(number)) {
            throw_bind_error("NaN cannot be stored in SQLite", index - 1, sqlite3_sql(stmt));
        } else if (__builtin_isinf(number)) {
            out += number > 0 ? "9e999" : "-9e999";  // SQLite's JSON reads these as the infinities
        } else {
            char buffer[32];
            out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, number).ptr);
        }
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view> ||
                         std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
        if (!sqlite_json_append_text(out, std::string_view(value))) {
            throw_bind_error("text with a NUL byte cannot be in an IN list of more than " +
                                 std::to_string(dialect::sqlite::in_list_inline_max) +
                                 " values on SQLite (the list is sent as JSON)",
                             index - 1, sqlite3_sql(stmt));
        }
    } else if constexpr (kind_of<T> == value_kind::blob) {
        // The statement's rendering refused such a list already.
        sql::detail::throw_blob_list_too_long(dialect::sqlite::name, 0, dialect::sqlite::in_list_inline_max);
    } else {
        static_assert(kind_of<T> == value_kind::timestamp);
        const checked_microseconds micros = to_microseconds(value);
        if (micros.problem != checked_microseconds::status::exact) {
            throw_bind_error(timestamp_problem(micros.problem), index - 1, sqlite3_sql(stmt));
        }
        char text[26];
        if (!format_timestamp(micros.value, text)) {
            throw_bind_error("timestamp outside SQLite's text range 0000-01-01 00:00:00 .. 9999-12-31 23:59:59.999999",
                             index - 1, sqlite3_sql(stmt));
        }
        out += '"';
        out.append(text, sizeof text);
        out += '"';
    }
}

// Binds an IN list's values as one JSON array text at `index`, for `IN (SELECT value FROM
// json_each(?))`. SQLite copies the text.
template <class V>
int sqlite_bind_json_list(sqlite3_stmt* stmt, int index, const sql::value_list<V>& list) {
    std::string json;
    json.reserve(list.size() * 8 + 2);
    json += '[';
    bool first = true;
    for (const V& value : list) {
        if (!first) {
            json += ',';
        }
        first = false;
        sqlite_json_append(json, value, index, stmt);
    }
    json += ']';
    return sqlite3_bind_text64(stmt, index, json.data(), json.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

// The sink a statement's binder calls: binds each value in turn at the next index. Copy: SQLite
// copies text and blobs (a cursor may outlive the values). Without it they are bound in place,
// which is what execute_bound does: the statement runs to its end before the call returns, so the
// values it was given are still alive.
template <bool Copy>
struct sqlite_sink {
    sqlite3_stmt* stmt;
    int expected;
    int index = 0;
    int rc = SQLITE_OK;

    template <class V>
        requires bindable<V>
    void operator()(const V& value) {
        if (++index <= expected && rc == SQLITE_OK) {
            rc = sqlite_bind_one<Copy>(stmt, index, value);
        }
    }

    // An IN list, as the SQLite dialect rendered it: one `?` per value up to in_list_inline_max,
    // else one JSON array for json_each(?).
    template <class V>
    void operator()(const sql::value_list<V>& list) {
        if (list.size() <= dialect::sqlite::in_list_inline_max) {
            for (const V& value : list) {
                (*this)(value);
            }
        } else if (++index <= expected && rc == SQLITE_OK) {
            rc = sqlite_bind_json_list(stmt, index, list);
        }
    }
};

}  // namespace detail

class sqlite_connection;

// The rows of one execution, stepped with next() and read by column index. The statement is reset
// (and returned to the connection's cache) when the cursor is destroyed.
class sqlite_cursor {
public:
    sqlite_cursor(sqlite_cursor&& other) noexcept
        : lease_(std::exchange(other.lease_, {})), db_(other.db_), done_(other.done_) {}
    sqlite_cursor& operator=(sqlite_cursor&& other) noexcept {
        if (this != &other) {
            release();
            lease_ = std::exchange(other.lease_, {});
            db_ = other.db_;
            done_ = other.done_;
        }
        return *this;
    }
    ~sqlite_cursor() { release(); }

    // Steps to the next row; false when there are no more (and stays false: a step after the end
    // would run the statement again).
    bool next() {
        if (done_) {
            return false;
        }
        const int rc = sqlite3_step(lease_.stmt);
        if (rc == SQLITE_ROW) [[likely]] {
            return true;
        }
        done_ = true;
        if (rc == SQLITE_DONE) {
            return false;
        }
        // Keep the message: sqlite3_reset may replace it.
        std::string message = sqlite3_errmsg(db_);
        sqlite3_reset(lease_.stmt);
        detail::throw_sqlite_error(rc, message, sqlite3_sql(lease_.stmt));
    }

    template <value_type T>
    T get(int column, const column_context& where = {}) const {
        return detail::sqlite_read<T>(lease_.stmt, column, where);
    }
    bool is_null(int column) const { return sqlite3_column_type(lease_.stmt, column) == SQLITE_NULL; }
    int column_count() const { return sqlite3_column_count(lease_.stmt); }
    std::string_view column_name(int column) const {
        const char* name = sqlite3_column_name(lease_.stmt, column);
        return name ? name : "";
    }
    std::string_view sql() const { return sqlite3_sql(lease_.stmt); }
    sqlite3_stmt* native_handle() const noexcept { return lease_.stmt; }

private:
    friend class sqlite_connection;
    sqlite_cursor(detail::sqlite_lease lease, sqlite3* db) : lease_(std::move(lease)), db_(db) {}

    void release() noexcept {
        if (lease_.stmt) {
            sqlite3_reset(lease_.stmt);
            if (lease_.in_use) {
                *lease_.in_use = false;
                lease_.in_use = nullptr;
            } else {
                lease_.owned.reset();  // a private copy: finalized
            }
            lease_.stmt = nullptr;
        }
    }

    detail::sqlite_lease lease_;
    sqlite3* db_;
    bool done_ = false;
};

// One SQLite database connection. Not thread-safe: a pool hands it to one thread at a time.
class sqlite_connection {
public:
    using cursor = sqlite_cursor;
    using stream_cursor = sqlite_cursor;  // sqlite3_step already reads one row at a time
    using options = sqlite_options;
    static constexpr std::string_view backend_name = "sqlite";

    CRUCIBLE_DECL explicit sqlite_connection(const std::string& path, const sqlite_options& options = {});

    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;
    CRUCIBLE_DECL ~sqlite_connection();

    // Runs a statement; returns the rows it changed (INSERT, UPDATE, DELETE) or returned.
    template <bindable... Args>
    std::int64_t execute(static_sql sql, const Args&... args) {
        return run(lease(sql), args...);
    }
    template <bindable... Args>
    std::int64_t execute_text(std::string_view sql, const Args&... args) {
        return run(lease_text(sql), args...);
    }

    // Runs a query; the cursor reads its rows.
    template <bindable... Args>
    sqlite_cursor query(static_sql sql, const Args&... args) {
        return start<true>(lease(sql), args...);
    }
    template <bindable... Args>
    sqlite_cursor query_text(std::string_view sql, const Args&... args) {
        return start<true>(lease_text(sql), args...);
    }

    // The same with parameters from a binder: `binder(sink)` calls `sink(value)` once per parameter,
    // in order (the SQL layer's statements bind this way; the count may vary at run time). The
    // values must live until execute_bound returns (SQLite binds them in place, as the statement runs
    // to its end first); query_bound copies text and blobs, as its cursor may outlive them. These are
    // not templates, so their code is compiled once whatever the statement: any callable converts
    // to the binder types (binder.hpp).
    using execute_binder = binder_ref<detail::sqlite_sink<false>>;
    using query_binder = binder_ref<detail::sqlite_sink<true>>;

    CRUCIBLE_DECL std::int64_t execute_bound(static_sql sql, execute_binder binder);
    // One statement run `count` times, `binder(i, sink)` binding the i-th execution's values
    // (SQLite runs in this process: no round trips to save, so each execution is stepped in turn).
    // `affected[i]` receives the rows the i-th changed; when one fails, `failed_at` names it and
    // its error is thrown.
    using batch_binder = batch_binder_ref<detail::sqlite_sink<false>>;
    CRUCIBLE_DECL void execute_batch_bound(static_sql sql, std::size_t count, const batch_binder& binder,
                                           std::span<std::int64_t> affected, std::size_t& failed_at);
    CRUCIBLE_DECL std::int64_t execute_text_bound(std::string_view sql, execute_binder binder);
    CRUCIBLE_DECL sqlite_cursor query_bound(static_sql sql, query_binder binder);
    CRUCIBLE_DECL sqlite_cursor query_text_bound(std::string_view sql, query_binder binder);
    // As query_bound, but text and blobs are bound in place, not copied: for a caller whose values
    // outlive the cursor (the engine reads every row before its statement goes away).
    using in_place_binder = execute_binder;
    CRUCIBLE_DECL sqlite_cursor query_bound_in_place(static_sql sql, const in_place_binder& binder);
    CRUCIBLE_DECL sqlite_cursor query_text_bound_in_place(std::string_view sql, const in_place_binder& binder);
    // The rows as they are stepped: the same as query_bound, since SQLite never holds a whole result.
    CRUCIBLE_DECL sqlite_cursor stream_bound(static_sql sql, query_binder binder);
    CRUCIBLE_DECL sqlite_cursor stream_text_bound(std::string_view sql, query_binder binder);

    // Runs SQL text that may hold several statements and no parameters (DDL scripts), unprepared.
    CRUCIBLE_DECL void execute_script(const std::string& sql);

    CRUCIBLE_DECL void begin();
    CRUCIBLE_DECL void begin_immediate();  // takes the write lock now
    CRUCIBLE_DECL void commit();
    CRUCIBLE_DECL void rollback();
    CRUCIBLE_DECL void savepoint(std::string_view name);
    CRUCIBLE_DECL void release_savepoint(std::string_view name);
    CRUCIBLE_DECL void rollback_to_savepoint(std::string_view name);
    bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

    // Stops the statement running now, from any thread: it fails with timeout_error.
    void cancel() noexcept { sqlite3_interrupt(db_); }

    std::int64_t rows_affected() const noexcept { return sqlite3_changes64(db_); }
    // How many values the last statement bound (the echo hook reports it).
    std::size_t bound_parameter_count() const noexcept { return bound_count_; }
    std::int64_t last_insert_id() const noexcept { return sqlite3_last_insert_rowid(db_); }

    // A local database does not drop; the checks exist for the pool's sake.
    bool is_open() const noexcept { return db_ != nullptr; }
    CRUCIBLE_DECL bool ping();

    // How many statements this connection has prepared in all, and how many it holds now.
    std::size_t prepare_count() const noexcept { return prepare_count_; }
    CRUCIBLE_DECL std::size_t cached_statement_count() const noexcept;

    sqlite3* native_handle() const noexcept { return db_; }
    SQLite::Database& database() noexcept { return *database_; }

private:
    // The prepared statements: under their static text's address, and under run-time text (LRU).
    // Defined in the implementation, so that the hash tables' headers stay out of user code.
    struct statement_caches;

    CRUCIBLE_DECL static std::unique_ptr<SQLite::Database> open(const std::string& path, const sqlite_options& options);
    CRUCIBLE_DECL static std::string named(std::string_view verb, std::string_view name);
    CRUCIBLE_DECL detail::sqlite_stmt_ptr prepare(std::string_view sql, bool persistent);
    CRUCIBLE_DECL detail::sqlite_lease lend(detail::sqlite_cached& cached, std::string_view sql);
    // The statement cached under `sql`, inline when it is in its recent_ slot and free (every
    // execution but the first, while no other statement text takes the slot); else lease_slow looks
    // it up in the static-text cache (preparing it the first time) or lends a fresh copy while a cursor
    // steps it.
    detail::sqlite_lease lease(static_sql sql) {
        const recent_slot& slot = recent_[recent_index(sql.c_str())];
        if (slot.sql == sql.c_str() && !slot.cached->in_use) [[likely]] {
            slot.cached->in_use = true;
            return {slot.cached->stmt.get(), nullptr, &slot.cached->in_use, slot.cached->parameters};
        }
        return lease_slow(sql);
    }
    [[gnu::cold]] CRUCIBLE_DECL detail::sqlite_lease lease_slow(static_sql sql);
    CRUCIBLE_DECL detail::sqlite_lease lease_text(std::string_view sql);
    CRUCIBLE_DECL void evict_one();

    template <bool Copy, class... Args>
    sqlite_cursor start(detail::sqlite_lease lease, const Args&... args) {
        sqlite_cursor cursor(std::move(lease), db_);
        sqlite3_stmt* stmt = cursor.lease_.stmt;
        const int expected = cursor.lease_.parameters;
        if (expected != static_cast<int>(sizeof...(Args))) [[unlikely]] {
            detail::throw_parameter_count_error(expected, sizeof...(Args), sqlite3_sql(stmt));
        }
        bound_count_ = sizeof...(Args);
        int index = 0;
        int rc = SQLITE_OK;
        ((rc == SQLITE_OK ? (rc = detail::sqlite_bind_one<Copy>(stmt, ++index, args)) : rc), ...);
        if (rc != SQLITE_OK) {
            detail::throw_sqlite_error(db_, rc, sqlite3_sql(stmt));
        }
        return cursor;
    }

    template <bool Copy>
    sqlite_cursor start_bound(detail::sqlite_lease lease, const binder_ref<detail::sqlite_sink<Copy>>& binder);
    CRUCIBLE_DECL std::int64_t run_bound(detail::sqlite_lease lease, const execute_binder& binder);
    // Steps to the end: the rows changed, or for a read-only statement the rows returned (as
    // PostgreSQL's command tag counts them).
    CRUCIBLE_DECL std::int64_t finish(sqlite_cursor cursor);

    template <class... Args>
    std::int64_t run(detail::sqlite_lease lease, const Args&... args) {
        return finish(start<false>(std::move(lease), args...));
    }

    // Declared first so that it is destroyed last, after every statement is finalized.
    std::unique_ptr<SQLite::Database> database_;
    sqlite3* db_;
    bool immediate_ = false;
    std::size_t text_capacity_;
    std::size_t prepare_count_ = 0;
    std::size_t bound_count_ = 0;
    std::unique_ptr<statement_caches> caches_;
    // A direct-mapped front of the static-text cache (whose nodes never move): a hit costs a few
    // instructions where the hash table's lookup costs some 25, on every execution.
    struct recent_slot {
        const char* sql = nullptr;
        detail::sqlite_cached* cached = nullptr;
    };
    static constexpr std::size_t recent_size = 32;
    static std::size_t recent_index(const char* sql) noexcept {
        const auto address = reinterpret_cast<std::uintptr_t>(sql);
        return (address ^ (address >> 5) ^ (address >> 10)) & (recent_size - 1);
    }
    std::array<recent_slot, recent_size> recent_{};
};

}  // namespace crucible::backend

#if CRUCIBLE_HEADER_ONLY
#include "crucible/backend/impl/sqlite.ipp"
#endif
