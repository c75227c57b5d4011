// Definitions for crucible/backend/postgres.hpp: included by it when header-only, else by
// crucible/src/postgres.hpp (compiled once).
#pragma once

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/except>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "crucible/backend/postgres.hpp"
#include "crucible/error.hpp"

namespace crucible::backend {

namespace detail {

[[noreturn]] CRUCIBLE_DECL void throw_postgres_error(PGconn* conn, const PGresult* result,
                                                     std::string_view sql) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = result ? PQresultErrorMessage(result) : "";
    if (message.empty() && conn) {
        message = PQerrorMessage(conn);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    const std::string_view code = state ? state : "";
    std::string what = "postgres: ";
    what.append(message);
    if (!code.empty()) {
        what.append(" [SQLSTATE ").append(code).append("]");
    }
    if (!sql.empty()) {
        what.append(" in: ").append(sql);
    }
    std::string sql_text(sql);
    if (code.empty() || !conn || PQstatus(conn) != CONNECTION_OK) {  // no server answer: the link failed
        throw operational_error(what, std::move(sql_text), std::move(message));
    }
    const std::string_view cls = code.substr(0, 2);
    if (cls == "23") throw integrity_error(what, std::move(sql_text), std::move(message));
    if (code == "57014")
        throw timeout_error(what, std::move(sql_text), std::move(message));  // query_canceled
    if (code == "55P03")
        throw timeout_error(what, std::move(sql_text), std::move(message));  // lock_not_available
    if (cls == "42" || cls == "0A" || cls == "26" || cls == "25" || cls == "34" || cls == "3F" ||
        cls == "2B" || code == "07001" || code == "08P01") {
        throw programming_error(what, std::move(sql_text), std::move(message));
    }
    if (cls == "22") throw data_error(what, std::move(sql_text), std::move(message));
    // 08 connection, 40 serialization/deadlock, 53 resources, 57 shutdown, 58 system, XX internal
    throw operational_error(what, std::move(sql_text), std::move(message));
}

[[noreturn]] CRUCIBLE_DECL void throw_param_error(std::string_view problem, int index, std::string_view sql) {
    std::string message = "parameter ";
    message.append(std::to_string(index)).append(": ").append(problem);
    throw data_error(message, std::string(sql));
}

CRUCIBLE_DECL std::optional<std::string> pg_numeric_text(const char* data, int length) {
    if (length < 8) return std::nullopt;
    const int ndigits = static_cast<std::int16_t>(get_be<std::uint16_t>(data));
    const int weight = static_cast<std::int16_t>(get_be<std::uint16_t>(data + 2));
    const unsigned sign = get_be<std::uint16_t>(data + 4);
    const int dscale = get_be<std::uint16_t>(data + 6);
    if (sign == 0xC000) return std::string("NaN");
    if (sign == 0xD000) return std::string("Infinity");
    if (sign == 0xF000) return std::string("-Infinity");
    if (length < 8 + 2 * ndigits) return std::nullopt;
    auto digit = [&](int i) -> int {
        return i >= 0 && i < ndigits ? get_be<std::uint16_t>(data + 8 + 2 * i) : 0;
    };
    std::string out;
    if (sign == 0x4000) out.push_back('-');
    if (weight < 0) {
        out.push_back('0');
    } else {
        for (int i = 0; i <= weight; ++i) {
            const std::string part = std::to_string(digit(i));
            if (i > 0) out.append(4 - part.size(), '0');
            out.append(part);
        }
    }
    if (dscale > 0) {
        out.push_back('.');
        for (int i = weight + 1, written = 0; written < dscale; ++i) {
            std::string part = std::to_string(digit(i));
            part.insert(0, 4 - part.size(), '0');
            const int take = std::min(4, dscale - written);
            out.append(part, 0, static_cast<std::size_t>(take));
            written += take;
        }
    }
    return out;
}

[[noreturn]] CRUCIBLE_DECL void throw_pg_read_error(const PGresult* result, int column,
                                                    const column_context& where, std::string_view problem,
                                                    const pg_sql_text& sql) {
    const char* name = PQfname(result, column);
    throw_data_error(problem, where, name ? name : "", column, sql.view());
}

CRUCIBLE_DECL auto capturing_policy::do_startconnect(handle orig) -> handle {
    return raw = pqxx::connect_direct::do_startconnect(orig);
}

CRUCIBLE_DECL auto capturing_policy::do_completeconnect(handle orig) -> handle {
    return raw = pqxx::connect_direct::do_completeconnect(orig);
}

CRUCIBLE_DECL auto capturing_policy::do_dropconnect(handle orig) noexcept -> handle {
    raw = nullptr;
    return pqxx::connect_direct::do_dropconnect(orig);
}

CRUCIBLE_DECL auto capturing_policy::do_disconnect(handle orig) noexcept -> handle {
    raw = nullptr;
    return pqxx::connect_direct::do_disconnect(orig);
}

CRUCIBLE_DECL pqxx_owner::pqxx_owner(const std::string& options)
    : pqxx::connection_base(policy_), options_(options), policy_(options_) {
    init();
}

CRUCIBLE_DECL pqxx_owner::~pqxx_owner() noexcept { close(); }

}  // namespace detail

CRUCIBLE_DECL postgres_connection::postgres_connection(const std::string& conninfo,
                                                       const postgres_options& options)
    : owner_(open(conninfo)),
      conn_(owner_->raw()),
      text_capacity_(std::max<std::size_t>(1, options.text_cache_capacity)),
      prepared_statements_(options.prepared_statements) {
    if (!conn_) {
        throw operational_error("postgres: connected, but the connection handle was not captured");
    }
    if (options.utc_utf8_session) {
        simple("SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'");
    }
}

CRUCIBLE_DECL std::int64_t postgres_connection::execute_bound(static_sql sql, const execute_binder& binder) {
    collect(binder, sql.view());
    auto result = run_collected(statement(sql, collected_.types, nullptr), sql.c_str());
    return rows_affected(result.get());
}

CRUCIBLE_DECL std::int64_t postgres_connection::execute_text_bound(std::string_view sql,
                                                                   const execute_binder& binder) {
    collect(binder, sql);
    auto& entry = text_statement(sql, collected_.types, nullptr);
    auto result = run_collected(entry.statement, entry.sql.c_str());
    return rows_affected(result.get());
}

CRUCIBLE_DECL postgres_cursor postgres_connection::query_bound(static_sql sql, const query_binder& binder) {
    collect(binder, sql.view());
    return postgres_cursor(run_collected(statement(sql, collected_.types, nullptr), sql.c_str()), sql.c_str(),
                           {});
}

CRUCIBLE_DECL postgres_cursor postgres_connection::query_text_bound(std::string_view sql,
                                                                    const query_binder& binder) {
    collect(binder, sql);
    auto& entry = text_statement(sql, collected_.types, nullptr);
    return postgres_cursor(run_collected(entry.statement, entry.sql.c_str()), nullptr, std::string(sql));
}

CRUCIBLE_DECL postgres_cursor postgres_connection::query_bound_in_place(static_sql sql,
                                                                        const in_place_binder& binder) {
    return query_bound(sql, binder);
}

CRUCIBLE_DECL postgres_cursor postgres_connection::query_text_bound_in_place(std::string_view sql,
                                                                             const in_place_binder& binder) {
    return query_text_bound(sql, binder);
}

CRUCIBLE_DECL postgres_stream_cursor postgres_connection::stream_bound(static_sql sql,
                                                                       const query_binder& binder) {
    ensure_idle(sql.view());
    collect(binder, sql.view());
    return start_stream(statement(sql, collected_.types, nullptr), sql.c_str(), {});
}

CRUCIBLE_DECL postgres_stream_cursor postgres_connection::stream_text_bound(std::string_view sql,
                                                                            const query_binder& binder) {
    ensure_idle(sql);
    collect(binder, sql);
    auto& entry = text_statement(sql, collected_.types, nullptr);
    return start_stream(entry.statement, nullptr, std::string(sql));
}

CRUCIBLE_DECL void postgres_connection::execute_script(const std::string& sql) { simple(sql); }

CRUCIBLE_DECL void postgres_connection::begin() { simple("BEGIN"); }

CRUCIBLE_DECL void postgres_connection::commit() {
    if (simple("COMMIT") == "ROLLBACK") {
        throw programming_error(
            "postgres: commit of a transaction that a failed statement aborted; it was rolled back", "COMMIT",
            "ROLLBACK");
    }
}

CRUCIBLE_DECL void postgres_connection::rollback() { simple("ROLLBACK"); }

CRUCIBLE_DECL void postgres_connection::savepoint(std::string_view name) {
    simple(named("SAVEPOINT ", name));
}

CRUCIBLE_DECL void postgres_connection::release_savepoint(std::string_view name) {
    simple(named("RELEASE SAVEPOINT ", name));
}

CRUCIBLE_DECL void postgres_connection::rollback_to_savepoint(std::string_view name) {
    simple(named("ROLLBACK TO SAVEPOINT ", name));
}

CRUCIBLE_DECL void postgres_connection::set_statement_timeout(std::chrono::milliseconds timeout) {
    simple("SET statement_timeout = " + std::to_string(timeout.count()));
}

CRUCIBLE_DECL bool postgres_connection::ping() noexcept {
    if (!is_open()) return false;
    if (stream_) return true;  // rows are arriving: the link is up, and no query may interrupt them
    detail::pg_result_ptr result(PQexec(conn_, ""));
    return result && PQresultStatus(result.get()) == PGRES_EMPTY_QUERY && is_open();
}

CRUCIBLE_DECL void postgres_connection::cancel() noexcept {
    if (PGcancel* handle = PQgetCancel(conn_)) {
        char message[256];
        PQcancel(handle, message, sizeof message);
        PQfreeCancel(handle);
    }
}

CRUCIBLE_DECL std::unique_ptr<detail::pqxx_owner> postgres_connection::open(const std::string& conninfo) {
    try {
        return std::make_unique<detail::pqxx_owner>(conninfo);
    } catch (const pqxx::broken_connection& e) {
        throw operational_error(std::string("postgres: cannot connect: ") + e.what(), "", e.what());
    } catch (const pqxx::failure& e) {
        throw operational_error(std::string("postgres: cannot connect: ") + e.what(), "", e.what());
    }
}

CRUCIBLE_DECL std::string postgres_connection::named(std::string_view verb, std::string_view name) {
    std::string sql(verb);
    sql.push_back('"');
    for (char c : name) {
        if (c == '"') sql.push_back('"');
        sql.push_back(c);
    }
    sql.push_back('"');
    return sql;
}

CRUCIBLE_DECL std::int64_t postgres_connection::rows_affected(const PGresult* result) {
    const char* text = PQcmdTuples(const_cast<PGresult*>(result));
    std::int64_t count = 0;
    if (text && *text) {
        std::from_chars(text, text + std::strlen(text), count);
    } else if (PQresultStatus(result) == PGRES_TUPLES_OK) {
        count = PQntuples(result);
    }
    return count;
}

CRUCIBLE_DECL void postgres_connection::drain() noexcept {
    while (PGresult* rest = PQgetResult(conn_)) {
        PQclear(rest);
    }
}

CRUCIBLE_DECL std::string postgres_connection::simple(const std::string& sql) {
    ensure_idle(sql);
    detail::pg_result_ptr result(PQexec(conn_, sql.c_str()));
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        detail::throw_postgres_error(conn_, result.get(), sql);
    }
    return PQcmdStatus(result.get());
}

CRUCIBLE_DECL void postgres_connection::prepare(prepared& into, const char* sql, std::span<const Oid> types,
                                                const void* key) {
    ensure_idle(sql);
    if (!prepared_statements_) {  // nothing on the server: the text goes out with each execution
        into.name.clear();
        into.types.assign(types.begin(), types.end());
        into.key = key;
        return;
    }
    std::string name = "crucible_" + std::to_string(++name_counter_);
    detail::pg_result_ptr result(PQprepare(conn_, name.c_str(), sql, static_cast<int>(types.size()),
                                           types.empty() ? nullptr : types.data()));
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        detail::throw_postgres_error(conn_, result.get(), sql);
    }
    ++prepare_count_;
    if (!into.name.empty()) {
        retired_.push_back(std::move(into.name));
    }
    into.name = std::move(name);
    into.types.assign(types.begin(), types.end());
    into.key = key;
}

CRUCIBLE_DECL auto postgres_connection::statement(static_sql sql, std::span<const Oid> types, const void* key)
    -> prepared& {
    auto found = static_cache_.find(sql.c_str());
    if (found != static_cache_.end() && found->second.accepts(types, key)) [[likely]] {
        return found->second;
    }
    if (found == static_cache_.end()) {
        prepared fresh;
        prepare(fresh, sql.c_str(), types, key);
        return static_cache_.emplace(sql.c_str(), std::move(fresh)).first->second;
    }
    prepare(found->second, sql.c_str(), types, key);  // the same text with other parameter types
    return found->second;
}

CRUCIBLE_DECL auto postgres_connection::text_statement(std::string_view sql, std::span<const Oid> types,
                                                       const void* key) -> text_entry& {
    auto found = text_index_.find(sql);
    if (found != text_index_.end()) {
        text_cache_.splice(text_cache_.begin(), text_cache_, found->second);
        auto& entry = *found->second;
        if (!entry.statement.accepts(types, key)) {
            prepare(entry.statement, entry.sql.c_str(), types, key);
        }
        return entry;
    }
    text_entry entry{std::string(sql), {}};
    prepare(entry.statement, entry.sql.c_str(), types, key);
    if (text_cache_.size() >= text_capacity_) {
        if (!text_cache_.back().statement.name.empty()) {  // (unnamed with prepared statements off)
            retired_.push_back(std::move(text_cache_.back().statement.name));
        }
        text_index_.erase(std::string_view(text_cache_.back().sql));
        text_cache_.pop_back();
    }
    text_cache_.push_front(std::move(entry));
    text_index_.emplace(std::string_view(text_cache_.front().sql), text_cache_.begin());
    return text_cache_.front();
}

CRUCIBLE_DECL void postgres_connection::collect(const query_binder& binder, std::string_view sql) {
    collected_.clear();
    detail::pg_sink sink{&collected_, sql};
    binder(sink);
    bound_count_ = collected_.types.size();
}

CRUCIBLE_DECL void postgres_connection::execute_batch_bound(static_sql sql, std::size_t count,
                                                            const batch_binder& binder,
                                                            std::span<std::int64_t> affected,
                                                            std::size_t& failed_at) {
    ensure_idle(sql.view());
    failed_at = count;
    if (count == 0) {
        return;
    }
    const auto collect_one = [&](std::size_t i) {
        collected_.clear();
        detail::pg_sink sink{&collected_, sql.view()};
        binder(i, sink);
        bound_count_ = collected_.types.size();
        auto& c = collected_;
        c.values.resize(c.types.size());
        c.formats.assign(c.types.size(), 1);
        for (std::size_t k = 0; k < c.types.size(); ++k) {
            c.values[k] = c.offsets[k] < 0 ? nullptr : c.arena.data() + c.offsets[k];
        }
    };
    // Prepared (if it is not yet) before the pipeline starts, with the first execution's types.
    failed_at = 0;
    collect_one(0);
    const prepared& statement = this->statement(sql, collected_.types, nullptr);
    failed_at = count;
    const std::vector<Oid> types = statement.types;
    if (PQenterPipelineMode(conn_) != 1) {
        detail::throw_postgres_error(conn_, nullptr, sql.view());
    }
    detail::pg_result_ptr error;  // the first failure's result
    bool lost = false;
    std::size_t lost_at = count;  // the execution being sent or read when the link failed
    for (std::size_t start = 0; start < count && failed_at == count && !lost; start += batch_pipeline_depth) {
        const std::size_t end = std::min(count, start + batch_pipeline_depth);
        std::size_t sent = start;
        std::exception_ptr bind_error;
        for (; sent < end; ++sent) {
            try {
                if (sent != 0) {
                    collect_one(sent);
                }
                if (!std::ranges::equal(collected_.types, types)) {
                    throw programming_error(
                        "postgres: the executions of one batch bind values of different types (parameter types "
                        "are fixed when the statement is prepared)",
                        std::string(sql.view()));
                }
            } catch (...) {
                bind_error = std::current_exception();  // sent so far: still read below
                break;
            }
            const auto& c = collected_;
            if (send(statement, sql.c_str(), static_cast<int>(c.types.size()), c.values.data(), c.lengths.data(),
                     c.formats.data()) != 1) {
                lost = true;
                lost_at = sent;
                break;
            }
        }
        if (!lost && PQpipelineSync(conn_) != 1) {
            lost = true;
            lost_at = start;
        }
        // One result (then a null) per execution sent, then the sync point.
        for (std::size_t i = start; i < sent && !lost; ++i) {
            detail::pg_result_ptr result(PQgetResult(conn_));
            if (!result) {
                lost = true;
                lost_at = i;
                break;
            }
            const auto status = PQresultStatus(result.get());
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
                affected[i] = rows_affected(result.get());
            } else if (status != PGRES_PIPELINE_ABORTED && failed_at == count) {
                failed_at = i;
                error = std::move(result);
            }
            while (detail::pg_result_ptr rest{PQgetResult(conn_)}) {
            }
        }
        if (!lost) {
            detail::pg_result_ptr sync(PQgetResult(conn_));
            lost = !sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC;
        }
        if (bind_error && !lost) {
            if (failed_at == count) {
                failed_at = sent;
                PQexitPipelineMode(conn_);
                std::rethrow_exception(bind_error);
            }
        }
    }
    // Sending fails when the link does (blocking mode), and a result goes missing only then: the
    // connection is dead, and the pool replaces it. If libpq refused for another reason (memory),
    // what was queued is synced and drained so that the connection leaves pipeline mode.
    if (lost || PQstatus(conn_) != CONNECTION_OK) {
        failed_at = std::min(failed_at, std::min(lost_at, count - 1));
        if (PQstatus(conn_) == CONNECTION_OK && PQpipelineSync(conn_) == 1) {
            for (int nulls = 0; nulls < 2;) {
                detail::pg_result_ptr result(PQgetResult(conn_));
                if (!result) {
                    ++nulls;
                    continue;
                }
                nulls = 0;
                if (PQresultStatus(result.get()) == PGRES_PIPELINE_SYNC) {
                    break;
                }
            }
            PQexitPipelineMode(conn_);
        }
        detail::throw_postgres_error(conn_, nullptr, sql.view());
    }
    PQexitPipelineMode(conn_);
    if (failed_at != count) {
        detail::throw_postgres_error(conn_, error.get(), sql.view());
    }
    if (!retired_.empty()) [[unlikely]] {
        deallocate_retired();
    }
}

CRUCIBLE_DECL detail::pg_result_ptr postgres_connection::run_collected(const prepared& statement,
                                                                       const char* sql) {
    ensure_idle(sql);
    auto& c = collected_;
    const std::size_t n = c.types.size();
    c.values.resize(n);
    c.formats.assign(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        c.values[i] = c.offsets[i] < 0 ? nullptr : c.arena.data() + c.offsets[i];
    }
    detail::pg_result_ptr result(
        exec(statement, sql, static_cast<int>(n), c.values.data(), c.lengths.data(), c.formats.data()));
    return checked(std::move(result), sql);
}

CRUCIBLE_DECL detail::pg_result_ptr postgres_connection::checked(detail::pg_result_ptr result,
                                                                 const char* sql) {
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) [[unlikely]] {
        detail::throw_postgres_error(conn_, result.get(), sql);
    }
    if (!retired_.empty()) [[unlikely]] {
        deallocate_retired();
    }
    return result;
}

CRUCIBLE_DECL void postgres_connection::deallocate_retired() {
    if (retired_.empty() || PQtransactionStatus(conn_) == PQTRANS_INERROR) {
        return;
    }
    std::string sql;
    for (const auto& name : retired_) {
        sql.append(named("DEALLOCATE ", name)).append(";");
    }
    retired_.clear();
    simple(sql);
}

CRUCIBLE_DECL postgres_stream_cursor postgres_connection::start_stream(const prepared& statement,
                                                                       const char* static_sql,
                                                                       std::string text_sql) {
    const char* sql = static_sql ? static_sql : text_sql.c_str();
    if (!retired_.empty()) [[unlikely]] {
        deallocate_retired();
    }
    auto& c = collected_;
    const std::size_t n = c.types.size();
    c.values.resize(n);
    c.formats.assign(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        c.values[i] = c.offsets[i] < 0 ? nullptr : c.arena.data() + c.offsets[i];
    }
    if (!send(statement, sql, static_cast<int>(n), c.values.data(), c.lengths.data(), c.formats.data())) {
        detail::throw_postgres_error(conn_, nullptr, sql);
    }
    PQsetSingleRowMode(conn_);  // cannot fail right after a successful send
    // The first row (or the error, or an empty result) arrives now, so a statement that fails
    // outright throws here, as query_bound does.
    detail::pg_result_ptr first(PQgetResult(conn_));
    const auto status = first ? PQresultStatus(first.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_SINGLE_TUPLE) [[likely]] {
        return postgres_stream_cursor(this, std::move(first), static_sql, std::move(text_sql));
    }
    drain();
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        detail::throw_postgres_error(conn_, first.get(), sql);
    }
    return postgres_stream_cursor(nullptr, std::move(first), static_sql, std::move(text_sql));
}

CRUCIBLE_DECL postgres_connection::~postgres_connection() {
    if (stream_) {  // a stream outliving its connection fails instead of reading freed memory
        stream_->connection_ = nullptr;
        stream_->lost_ = true;
        stream_->result_.reset();
    }
}

}  // namespace crucible::backend
