// basic_engine<Backend>: a URL, a pool of connections, the echo and pool event hooks; create_engine(url).
#pragma once

#include <cstddef>
#include <ios>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "crucible/detail/backend_check.hpp"
#include "crucible/detail/chrono.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/engine/connection.hpp"
#include "crucible/engine/url.hpp"
#include "crucible/pool/pool.hpp"

namespace crucible {

// Everything an engine is created with: the pool's options and the backend's
// (backend::sqlite_options, backend::postgres_options). A URL's query sets the same options by
// name, and wins over what is given here.
template <class Backend>
struct engine_options {
    pool_options pool;
    typename Backend::options backend;
};

// The engine: thread-safe; any number of threads may call connect() at once. The connections it
// hands out are each for one thread at a time. Connections, transactions and streams keep what
// they need of the engine alive, so they may outlive it. Copies share one pool (cheap to copy).
template <class Backend>
class basic_engine {
public:
    using backend_type = Backend;
    using dialect = typename backend_traits<Backend>::dialect;
    using connection = basic_connection<Backend>;
    using options_type = engine_options<Backend>;

    explicit basic_engine(url location, options_type options = {});
    // A copy is the same engine: it shares the pool, the hooks and (SQLite in memory) the database.
    basic_engine(const basic_engine&) = default;
    basic_engine& operator=(const basic_engine&) = default;
    basic_engine(basic_engine&&) noexcept;
    basic_engine& operator=(basic_engine&&) noexcept;
    ~basic_engine();

    // A connection from the pool; it goes back when destroyed (and its transactions and streams
    // with it).
    connection connect();

    // Receives every statement's SQL, duration and parameter count (never the values). Set it
    // before connections are used from other threads.
    void set_echo(echo_hook hook) { state_->echo = std::move(hook); }
    // Receives the pool's connects, checkouts, checkins, invalidations and closes. Set it before
    // the engine is used from several threads.
    void set_pool_events(pool_event_hook hook) { state_->pool.set_events(std::move(hook)); }

    // Closes the idle connections now, and those checked out when they come back.
    void dispose() noexcept { state_->pool.dispose(); }
    pool_status status() const { return state_->pool.status(); }

    const url& location() const noexcept { return url_; }
    const options_type& options() const noexcept { return options_; }
    basic_pool<Backend>& pool() noexcept { return state_->pool; }

private:
    struct shared_state {
        shared_state(typename basic_pool<Backend>::factory open, const pool_options& options,
                     std::shared_ptr<void> keep)
            : pool(std::move(open), options), keeper(std::move(keep)) {}
        basic_pool<Backend> pool;
        echo_hook echo;
        std::shared_ptr<void> keeper;  // what the backend keeps open for the engine (SQLite in memory)
    };
    url url_;
    options_type options_;
    std::shared_ptr<shared_state> state_;  // shared with every handle the pool gives out
};

// Out of the class, so that with CRUCIBLE_SEPARATE_COMPILATION the explicit instantiations for each
// backend (crucible/src/*.hpp) are the only copy: see crucible/detail/config.hpp.

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_engine<Backend>::basic_engine(url location, options_type options)
    : url_(std::move(location)), options_(std::move(options)) {
    take_pool_options(url_.query, options_.pool);
    backend_traits<Backend>::take_options(url_, options_.backend);
    std::shared_ptr<void> keeper = backend_traits<Backend>::prepare(url_, options_.backend);
    state_ = std::make_shared<shared_state>(
        [location = url_, backend_options = options_.backend] {
            return backend_traits<Backend>::open(location, backend_options);
        },
        options_.pool, std::move(keeper));
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_engine<Backend>::basic_engine(basic_engine&&) noexcept = default;

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_engine<Backend>::operator=(basic_engine&&) noexcept -> basic_engine& = default;

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_engine<Backend>::~basic_engine() = default;

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_engine<Backend>::connect() -> connection {
    // The handle holds the pool through an aliasing pointer to the whole shared state, so the echo
    // hook the connection points at lives as long as the connection.
    auto handle = basic_pool<Backend>::checkout(std::shared_ptr<basic_pool<Backend>>(state_, &state_->pool));
    return connection(std::make_shared<detail::connection_state<Backend>>(std::move(handle), &state_->echo));
}

namespace detail {

// "850 ns", "12.3 µs", "4.56 ms", "1.20 s": three significant digits in the unit that fits.
inline void write_duration(std::ostream& out, std::chrono::nanoseconds duration) {
    const double ns = static_cast<double>(duration.count());
    const auto flags = out.flags();
    const auto precision = out.precision();
    out.setf(std::ios::fixed, std::ios::floatfield);
    if (ns < 1e3) {
        out.precision(0);
        out << ns << " ns";
    } else if (ns < 1e6) {
        out.precision(ns < 1e4 ? 2 : ns < 1e5 ? 1 : 0);
        out << ns / 1e3 << " \u00b5s";
    } else if (ns < 1e9) {
        out.precision(ns < 1e7 ? 2 : ns < 1e8 ? 1 : 0);
        out << ns / 1e6 << " ms";
    } else {
        out.precision(2);
        out << ns / 1e9 << " s";
    }
    out.flags(flags);
    out.precision(precision);
}

// A multi-row VALUES list of more than three rows is shown as its first row, "...", its last row
// and the row count: an insert_many of 10,000 rows is one readable line.
inline void write_shortened_sql(std::ostream& out, std::string_view sql) {
    const std::size_t values = sql.find(" VALUES (");
    if (values == std::string_view::npos) {
        out << sql;
        return;
    }
    const std::size_t first_row = values + 8;  // at "("
    std::size_t rows = 1;
    std::size_t first_end = std::string_view::npos;
    std::size_t last_start = first_row;
    for (std::size_t at = sql.find("), (", first_row); at != std::string_view::npos; at = sql.find("), (", at + 4)) {
        if (first_end == std::string_view::npos) {
            first_end = at + 1;
        }
        last_start = at + 3;
        ++rows;
    }
    if (rows <= 3) {
        out << sql;
        return;
    }
    const std::size_t last_end = sql.find(')', last_start);
    out << sql.substr(0, first_end) << ", ... " << sql.substr(last_start, last_end + 1 - last_start) << " /* " << rows
        << " rows */" << sql.substr(last_end + 1);
}

} // namespace detail

// A ready echo hook: one line per event on a stream. Statements with their parameter count (never
// the values), transaction commands, and failures with their error:
//   [crucible] SELECT ... WHERE "a"."id" = ?  -- 1 parameter(s), 12.3 µs
//   [crucible] COMMIT  -- 85.0 µs
//   [crucible] FAILED INSERT INTO "a" ...  -- 2 parameter(s), 40.1 µs: UNIQUE constraint failed: a.name
inline echo_hook echo_to(std::ostream& out) {
    return [&out](const echo_event& event) {
        out << "[crucible] ";
        if (event.kind == echo_kind::failed) {
            out << "FAILED ";
        }
        detail::write_shortened_sql(out, event.sql);
        out << "  -- ";
        if (event.kind != echo_kind::transaction && (event.parameter_count != 0 || event.kind == echo_kind::statement)) {
            out << event.parameter_count << " parameter(s), ";
        }
        if (event.executions != 1) {
            out << event.executions << " executions (batch), ";
        }
        detail::write_duration(out, event.duration);
        if (event.kind == echo_kind::failed) {
            out << ": " << event.error;
        }
        out << '\n';
    };
}

// An engine for one backend, from a URL of its scheme; options in the URL's query win over
// `options`. A malformed URL, an unknown option or a bad option value is a programming_error.
template <class Backend>
basic_engine<Backend> create_engine(std::string_view text, engine_options<Backend> options = {}) {
    url location = parse_url(text);
    if (location.scheme != backend_traits<Backend>::scheme) {
        throw programming_error("URL scheme '" + location.scheme + "' does not match this engine's backend (" +
                                std::string(backend_traits<Backend>::scheme) + ")");
    }
    return basic_engine<Backend>(std::move(location), std::move(options));
}

} // namespace crucible
