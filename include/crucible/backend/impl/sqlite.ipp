// Definitions for crucible/backend/sqlite.hpp: included by it when header-only, else by
// crucible/src/sqlite.hpp (compiled once).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "crucible/backend/sqlite.hpp"
#include "crucible/error.hpp"

namespace crucible::backend {

namespace detail {

[[noreturn]] CRUCIBLE_DECL void throw_sqlite_error(int code, std::string_view message, std::string_view sql) {
    std::string what = "sqlite: ";
    what.append(message);
    what.append(" [").append(sqlite3_errstr(code)).append("]");
    if (!sql.empty()) {
        what.append(" in: ").append(sql);
    }
    std::string sql_text(sql);
    std::string driver(message);
    switch (code & 0xff) {
        case SQLITE_CONSTRAINT:
            if (code == SQLITE_CONSTRAINT_DATATYPE) {  // STRICT table: wrong value type
                throw data_error(what, std::move(sql_text), std::move(driver));
            }
            throw integrity_error(what, std::move(sql_text), std::move(driver));
        case SQLITE_BUSY:       // the busy timeout ran out waiting for a lock
        case SQLITE_INTERRUPT:  // cancel(), like PostgreSQL's query_canceled
            throw timeout_error(what, std::move(sql_text), std::move(driver));
        case SQLITE_ERROR:  // syntax error, no such table/column, ...
        case SQLITE_RANGE:
        case SQLITE_MISUSE:
        case SQLITE_AUTH:
            throw programming_error(what, std::move(sql_text), std::move(driver));
        case SQLITE_MISMATCH:
        case SQLITE_TOOBIG:
            throw data_error(what, std::move(sql_text), std::move(driver));
        default:  // LOCKED, IOERR, FULL, CANTOPEN, CORRUPT, READONLY, NOMEM, ...
            throw operational_error(what, std::move(sql_text), std::move(driver));
    }
}

[[noreturn]] CRUCIBLE_DECL void throw_sqlite_error(sqlite3* db, int code, std::string_view sql) {
    throw_sqlite_error(code, sqlite3_errmsg(db), sql);
}

[[noreturn]] CRUCIBLE_DECL void throw_bind_error(std::string_view problem, int index, std::string_view sql) {
    std::string message = "parameter ";
    message.append(std::to_string(index)).append(": ").append(problem);
    throw data_error(message, std::string(sql));
}

[[noreturn]] CRUCIBLE_DECL void throw_unsigned_bind_error(std::uint64_t value, int index, std::string_view sql) {
    throw_bind_error("unsigned value " + std::to_string(value) + " does not fit in a 64-bit signed integer", index,
                     sql);
}

CRUCIBLE_DECL bool sqlite_json_append_text(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte == 0) {
            return false;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 15];
        } else {
            out += c;
        }
    }
    out += '"';
    return true;
}

[[noreturn, gnu::cold]] CRUCIBLE_DECL void throw_parameter_count_error(int expected, std::size_t given,
                                                                      std::string_view sql) {
    throw programming_error("sqlite: the statement takes " + std::to_string(expected) + " parameters, " +
                                std::to_string(given) + " given",
                            std::string(sql));
}

[[noreturn]] CRUCIBLE_DECL void throw_read_error(sqlite3_stmt* stmt, int column, const column_context& where,
                                                 std::string_view problem) {
    const char* name = sqlite3_column_name(stmt, column);
    throw_data_error(problem, where, name ? name : "", column, sqlite3_sql(stmt));
}

[[noreturn]] CRUCIBLE_DECL void throw_null_read_error(sqlite3_stmt* stmt, int column, const column_context& where,
                                                      const char* label) {
    throw_read_error(stmt, column, where, std::string("NULL read into non-optional ") + label);
}

[[noreturn]] CRUCIBLE_DECL void throw_integer_range_error(sqlite3_stmt* stmt, int column,
                                                          const column_context& where, std::int64_t number,
                                                          const char* label) {
    throw_read_error(stmt, column, where, "value " + std::to_string(number) + " out of range for " + label);
}

[[noreturn]] CRUCIBLE_DECL void throw_boolean_range_error(sqlite3_stmt* stmt, int column,
                                                          const column_context& where, std::int64_t number) {
    throw_read_error(stmt, column, where, std::to_string(number) + " is not a boolean (0 or 1)");
}

[[noreturn]] CRUCIBLE_DECL void throw_float_range_error(sqlite3_stmt* stmt, int column, const column_context& where,
                                                        double number) {
    throw_read_error(stmt, column, where, "value " + std::to_string(number) + " out of range for float");
}

CRUCIBLE_DECL std::int64_t sqlite_read_integer(sqlite3_stmt* stmt, int column, const column_context& where,
                                               sqlite3_value* value, int type, const char* label) {
    switch (type) {
        case SQLITE_INTEGER:
            return sqlite3_value_int64(value);
        case SQLITE_FLOAT:
            if (const auto integral = integral_double(sqlite3_value_double(value))) {
                return *integral;
            }
            throw_read_error(stmt, column, where,
                             "real value " + std::string(sqlite_text(value)) + " read into " + label);
        case SQLITE_TEXT: {
            const auto text = sqlite_text(value);
            if (const auto parsed = parse_number<std::int64_t>(text)) {
                return *parsed;
            }
            throw_read_error(stmt, column, where, "text '" + std::string(text) + "' is not an integer");
        }
        case SQLITE_NULL:
            throw_null_read_error(stmt, column, where, label);
        default:
            throw_read_error(stmt, column, where, std::string("blob read into ") + label);
    }
}

CRUCIBLE_DECL double sqlite_read_real(sqlite3_stmt* stmt, int column, const column_context& where,
                                      sqlite3_value* value, int type, const char* label) {
    switch (type) {
        case SQLITE_FLOAT:
        case SQLITE_INTEGER:
            return sqlite3_value_double(value);
        case SQLITE_TEXT: {
            const auto text = sqlite_text(value);
            if (const auto parsed = parse_number<double>(text)) {
                return *parsed;
            }
            throw_read_error(stmt, column, where, "text '" + std::string(text) + "' is not a number");
        }
        case SQLITE_NULL:
            throw_null_read_error(stmt, column, where, label);
        default:
            throw_read_error(stmt, column, where, std::string("blob read into ") + label);
    }
}

CRUCIBLE_DECL std::string sqlite_read_text(sqlite3_stmt* stmt, int column, const column_context& where,
                                           sqlite3_value* value, int type) {
    if (type == SQLITE_NULL) {
        throw_null_read_error(stmt, column, where, "std::string");
    }
    if (type == SQLITE_BLOB) {
        const auto* data = static_cast<const char*>(sqlite3_value_blob(value));
        return data ? std::string(data, static_cast<std::size_t>(sqlite3_value_bytes(value))) : std::string();
    }
    return std::string(sqlite_text(value));
}

CRUCIBLE_DECL std::int64_t sqlite_read_timestamp(sqlite3_stmt* stmt, int column, const column_context& where,
                                                 sqlite3_value* value, int type) {
    if (type == SQLITE_NULL) {
        throw_null_read_error(stmt, column, where, "timestamp");
    }
    const auto micros = parse_timestamp(type == SQLITE_TEXT ? sqlite_text(value) : std::string_view());
    if (!micros) {
        throw_read_error(stmt, column, where, "'" + std::string(sqlite_text(value)) + "' is not a timestamp");
    }
    return *micros;
}

}  // namespace detail

struct sqlite_connection::statement_caches {
    struct text_entry {
        std::string sql;
        detail::sqlite_cached cached;
    };
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>{}(text);
        }
    };
    // Nodes never move: recent_ points into this table.
    std::unordered_map<const char*, detail::sqlite_cached> static_text;
    std::list<text_entry> text;  // most recently used first
    std::unordered_map<std::string_view, std::list<text_entry>::iterator, string_hash, std::equal_to<>>
        text_index;
};

CRUCIBLE_DECL sqlite_connection::sqlite_connection(const std::string& path, const sqlite_options& options)
    : database_(open(path, options)),
      db_(database_->getHandle()),
      text_capacity_(options.text_cache_capacity),
      caches_(std::make_unique<statement_caches>()) {
    sqlite3_extended_result_codes(db_, 1);
    immediate_ = options.immediate_transactions;
    if (options.foreign_keys) {
        execute_script("PRAGMA foreign_keys = ON");
    }
    if (!options.journal_mode.empty()) {
        static constexpr std::string_view modes[] = {"delete", "truncate", "persist", "memory", "wal", "off"};
        std::string mode;
        for (const char c : options.journal_mode) {
            mode.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
        }
        bool known = false;
        for (const std::string_view m : modes) {
            known = known || m == mode;
        }
        if (!known) {
            throw programming_error("sqlite: journal_mode '" + options.journal_mode +
                                    "' is not one of delete, truncate, persist, memory, wal, off");
        }
        // The PRAGMA answers the mode now in force: an in-memory database stays "memory".
        sqlite3_stmt* raw = nullptr;
        const std::string sql = "PRAGMA journal_mode = " + mode;
        if (const int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr); rc != SQLITE_OK) {
            detail::throw_sqlite_error(db_, rc, sql);
        }
        const detail::sqlite_stmt_ptr stmt(raw);
        if (const int rc = sqlite3_step(raw); rc != SQLITE_ROW) {
            detail::throw_sqlite_error(db_, rc, sql);
        }
    }
    if (!options.synchronous.empty()) {
        static constexpr std::string_view levels[] = {"off", "normal", "full", "extra"};
        bool known = false;
        for (const std::string_view level : levels) {
            known = known || level == options.synchronous;
        }
        if (!known) {
            throw programming_error("sqlite: synchronous '" + options.synchronous +
                                    "' is not one of off, normal, full, extra");
        }
        execute_script("PRAGMA synchronous = " + options.synchronous);
    }
}

CRUCIBLE_DECL sqlite_connection::~sqlite_connection() = default;

CRUCIBLE_DECL std::size_t sqlite_connection::cached_statement_count() const noexcept {
    return caches_->static_text.size() + caches_->text.size();
}

template <bool Copy>
inline sqlite_cursor sqlite_connection::start_bound(detail::sqlite_lease lease,
                                                    const binder_ref<detail::sqlite_sink<Copy>>& binder) {
    sqlite_cursor cursor(std::move(lease), db_);
    sqlite3_stmt* stmt = cursor.lease_.stmt;
    detail::sqlite_sink<Copy> values{stmt, cursor.lease_.parameters};
    binder(values);
    bound_count_ = static_cast<std::size_t>(values.index);
    if (values.index != values.expected) [[unlikely]] {
        detail::throw_parameter_count_error(values.expected, static_cast<std::size_t>(values.index),
                                            sqlite3_sql(stmt));
    }
    if (values.rc != SQLITE_OK) [[unlikely]] {
        detail::throw_sqlite_error(db_, values.rc, sqlite3_sql(stmt));
    }
    return cursor;
}

CRUCIBLE_DECL std::int64_t sqlite_connection::execute_bound(static_sql sql, execute_binder binder) {
    return run_bound(lease(sql), binder);
}
CRUCIBLE_DECL void sqlite_connection::execute_batch_bound(static_sql sql, std::size_t count,
                                                          const batch_binder& binder,
                                                          std::span<std::int64_t> affected,
                                                          std::size_t& failed_at) {
    for (failed_at = 0; failed_at < count; ++failed_at) {
        const std::size_t i = failed_at;
        affected[i] = run_bound(lease(sql), [&](detail::sqlite_sink<false>& sink) { binder(i, sink); });
    }
}
CRUCIBLE_DECL std::int64_t sqlite_connection::execute_text_bound(std::string_view sql,
                                                                 execute_binder binder) {
    return run_bound(lease_text(sql), binder);
}
CRUCIBLE_DECL sqlite_cursor sqlite_connection::query_bound(static_sql sql, query_binder binder) {
    return start_bound(lease(sql), binder);
}
CRUCIBLE_DECL sqlite_cursor sqlite_connection::query_text_bound(std::string_view sql, query_binder binder) {
    return start_bound(lease_text(sql), binder);
}
CRUCIBLE_DECL sqlite_cursor sqlite_connection::query_bound_in_place(static_sql sql,
                                                                    const in_place_binder& binder) {
    return start_bound(lease(sql), binder);
}
CRUCIBLE_DECL sqlite_cursor sqlite_connection::query_text_bound_in_place(std::string_view sql,
                                                                         const in_place_binder& binder) {
    return start_bound(lease_text(sql), binder);
}
CRUCIBLE_DECL sqlite_cursor sqlite_connection::stream_bound(static_sql sql, query_binder binder) {
    return start_bound(lease(sql), binder);
}
CRUCIBLE_DECL sqlite_cursor sqlite_connection::stream_text_bound(std::string_view sql, query_binder binder) {
    return start_bound(lease_text(sql), binder);
}

CRUCIBLE_DECL void sqlite_connection::execute_script(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        detail::throw_sqlite_error(rc, text, sql);
    }
}

CRUCIBLE_DECL void sqlite_connection::begin() {
    if (immediate_) {
        execute("BEGIN IMMEDIATE");
    } else {
        execute("BEGIN");
    }
}
CRUCIBLE_DECL void sqlite_connection::begin_immediate() { execute("BEGIN IMMEDIATE"); }
CRUCIBLE_DECL void sqlite_connection::commit() { execute("COMMIT"); }
CRUCIBLE_DECL void sqlite_connection::rollback() { execute("ROLLBACK"); }
CRUCIBLE_DECL void sqlite_connection::savepoint(std::string_view name) {
    execute_text(named("SAVEPOINT ", name));
}
CRUCIBLE_DECL void sqlite_connection::release_savepoint(std::string_view name) {
    execute_text(named("RELEASE SAVEPOINT ", name));
}
CRUCIBLE_DECL void sqlite_connection::rollback_to_savepoint(std::string_view name) {
    execute_text(named("ROLLBACK TO SAVEPOINT ", name));
}

CRUCIBLE_DECL bool sqlite_connection::ping() {
    try {
        execute("SELECT 1");
        return true;
    } catch (const error&) {
        return false;
    }
}

CRUCIBLE_DECL std::unique_ptr<SQLite::Database> sqlite_connection::open(const std::string& path,
                                                       const sqlite_options& options) {
    int flags = options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
    if (options.create && !options.read_only) {
        flags |= SQLite::OPEN_CREATE;
    }
    flags |= SQLite::OPEN_URI;
    flags |= SQLITE_OPEN_NOMUTEX;  // a pool hands a connection to one thread at a time
    try {
        return std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
    } catch (const SQLite::Exception& e) {
        throw operational_error(std::string("sqlite: cannot open '") + path + "': " + e.what(), "", e.what());
    }
}

CRUCIBLE_DECL std::string sqlite_connection::named(std::string_view verb, std::string_view name) {
    std::string sql(verb);
    sql.push_back('"');
    for (char c : name) {
        if (c == '"') {
            sql.push_back('"');
        }
        sql.push_back(c);
    }
    sql.push_back('"');
    return sql;
}

CRUCIBLE_DECL detail::sqlite_stmt_ptr sqlite_connection::prepare(std::string_view sql, bool persistent) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
    detail::sqlite_stmt_ptr owned(stmt);
    if (rc != SQLITE_OK) {
        detail::throw_sqlite_error(db_, rc, sql);
    }
    if (!stmt) {
        throw programming_error("sqlite: empty statement", std::string(sql));
    }
    for (const char* end = sql.data() + sql.size(); tail && tail < end; ++tail) {
        if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';') {
            throw programming_error("sqlite: more than one statement (use execute_script)", std::string(sql));
        }
    }
    ++prepare_count_;
    return owned;
}

CRUCIBLE_DECL detail::sqlite_lease sqlite_connection::lend(detail::sqlite_cached& cached,
                                                           std::string_view sql) {
    if (cached.in_use) {  // a cursor is still stepping it: use a private copy
        auto fresh = prepare(sql, false);
        sqlite3_stmt* stmt = fresh.get();
        return {stmt, std::move(fresh), nullptr, sqlite3_bind_parameter_count(stmt)};
    }
    cached.in_use = true;
    return {cached.stmt.get(), nullptr, &cached.in_use, cached.parameters};
}

CRUCIBLE_DECL detail::sqlite_lease sqlite_connection::lease_slow(static_sql sql) {
    auto found = caches_->static_text.find(sql.c_str());
    if (found == caches_->static_text.end()) {
        auto stmt = prepare(sql.view(), true);
        found = caches_->static_text.emplace(sql.c_str(), detail::sqlite_cached{std::move(stmt)}).first;
    }
    recent_[recent_index(sql.c_str())] = {sql.c_str(), &found->second};
    return lend(found->second, sql.view());
}

CRUCIBLE_DECL detail::sqlite_lease sqlite_connection::lease_text(std::string_view sql) {
    if (text_capacity_ == 0) {
        auto fresh = prepare(sql, false);
        sqlite3_stmt* stmt = fresh.get();
        return {stmt, std::move(fresh), nullptr, sqlite3_bind_parameter_count(stmt)};
    }
    auto found = caches_->text_index.find(sql);
    if (found != caches_->text_index.end()) {
        caches_->text.splice(caches_->text.begin(), caches_->text, found->second);
        return lend(found->second->cached, sql);
    }
    auto stmt = prepare(sql, true);
    if (caches_->text.size() >= text_capacity_) {
        evict_one();
    }
    caches_->text.push_front(
        statement_caches::text_entry{std::string(sql), detail::sqlite_cached{std::move(stmt)}});
    caches_->text_index.emplace(std::string_view(caches_->text.front().sql), caches_->text.begin());
    return lend(caches_->text.front().cached, sql);
}

CRUCIBLE_DECL void sqlite_connection::evict_one() {
    for (auto it = caches_->text.end(); it != caches_->text.begin();) {
        --it;
        if (!it->cached.in_use) {
            caches_->text_index.erase(std::string_view(it->sql));
            caches_->text.erase(it);
            return;
        }
    }
}

CRUCIBLE_DECL std::int64_t sqlite_connection::run_bound(detail::sqlite_lease lease,
                                                        const execute_binder& binder) {
    return finish(start_bound<false>(std::move(lease), binder));
}

CRUCIBLE_DECL std::int64_t sqlite_connection::finish(sqlite_cursor cursor) {
    std::int64_t rows = 0;
    while (cursor.next()) {
        ++rows;
    }
    return sqlite3_stmt_readonly(cursor.lease_.stmt) ? rows : sqlite3_changes64(db_);
}

}  // namespace crucible::backend
