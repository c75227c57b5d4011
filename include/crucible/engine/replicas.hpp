// Read replicas: an engine with one primary and any number of replicas, each with its own pool.
// Its connections send reads to a replica and everything else to the primary:
//   - a typed SELECT (not FOR UPDATE), or text wrapped in read_only(...), outside a transaction,
//     goes to a healthy replica, round-robin; with none healthy, to the primary;
//   - every other statement, every transaction (and the reads inside it), and everything after
//     use_primary() goes to the primary;
//   - read-your-writes: for `read_your_writes` (default 2 s, like Rails) after this connection last
//     wrote, or ended a transaction, its reads go to the primary too;
//   - a replica that fails (cannot be reached, loses the connection) or lags more than `max_lag`
//     is skipped for `retry_after`, then tried again; a read that fails on a replica because the
//     replica is gone is run again on the next one, or the primary, without an error to the caller.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "crucible/engine/engine.hpp"
#include "crucible/engine/text.hpp"
#include "crucible/error.hpp"
#include "crucible/sql/select.hpp"

namespace crucible {

struct replica_options {
    // After a write (or a transaction) through a connection, its reads stay on the primary this long.
    std::chrono::milliseconds read_your_writes{2000};
    // A replica whose replay is further behind than this is skipped (checked at most once per
    // `lag_check_interval` per replica; negative: never checked).
    std::chrono::milliseconds max_lag{30000};
    std::chrono::milliseconds lag_check_interval{1000};
    // A replica that failed or lagged is skipped this long before it is tried again.
    std::chrono::milliseconds retry_after{5000};
};

// Where a connection's last statement went.
enum class route { primary, replica };

// Text that only reads, and may go to a replica: read_only(text("SELECT ...")).
struct read_only_text {
    text_statement statement;
};
inline read_only_text read_only(text_statement statement) { return {std::move(statement)}; }

namespace detail {

template <class S>
inline constexpr bool routable_read = [] {
    if constexpr (sql::is_select<std::remove_cvref_t<S>>::value) {
        return !std::remove_cvref_t<S>::flags_t::for_update;
    } else {
        return false;
    }
}();

template <class Backend>
struct replica_set {
    using clock = std::chrono::steady_clock;
    struct replica {
        std::string url;
        basic_engine<Backend> engine;
        std::atomic<std::int64_t> skip_until{0};    // clock ticks: skipped before then
        std::atomic<std::int64_t> lag_checked_at{0};
    };

    basic_engine<Backend> primary;
    std::vector<std::unique_ptr<replica>> replicas;
    replica_options options;
    std::atomic<std::size_t> next{0};

    static std::int64_t now() { return clock::now().time_since_epoch().count(); }
    static std::int64_t ticks(std::chrono::milliseconds d) {
        return std::chrono::duration_cast<clock::duration>(d).count();
    }
    void skip(replica& r) { r.skip_until.store(now() + ticks(options.retry_after)); }
};

} // namespace detail

template <class Backend>
class routed_connection;

// An engine with a primary and read replicas (see the top of this file). Thread-safe, cheap to
// copy (copies share the pools), like basic_engine.
template <class Backend>
class replicated_engine {
public:
    using backend_type = Backend;
    using dialect = typename basic_engine<Backend>::dialect;

    replicated_engine(basic_engine<Backend> primary, std::vector<std::pair<std::string, basic_engine<Backend>>> replicas,
                      replica_options options)
        : state_(std::make_shared<detail::replica_set<Backend>>(std::move(primary))) {
        state_->options = options;
        for (auto& [url, engine] : replicas) {
            state_->replicas.push_back(std::unique_ptr<typename detail::replica_set<Backend>::replica>(
                new typename detail::replica_set<Backend>::replica{std::move(url), std::move(engine), {}, {}}));
        }
    }

    routed_connection<Backend> connect() const { return routed_connection<Backend>(state_); }

    basic_engine<Backend>& primary() const { return state_->primary; }
    std::size_t replica_count() const { return state_->replicas.size(); }
    basic_engine<Backend>& replica(std::size_t i) const { return state_->replicas.at(i)->engine; }
    // Replicas not being skipped now.
    std::size_t healthy_replicas() const {
        std::size_t n = 0;
        const auto now = detail::replica_set<Backend>::now();
        for (const auto& r : state_->replicas) {
            n += r->skip_until.load() <= now ? 1 : 0;
        }
        return n;
    }
    // The echo hook on every pool (set it before other threads use the engine).
    void set_echo(echo_hook hook) {
        state_->primary.set_echo(hook);
        for (auto& r : state_->replicas) {
            r->engine.set_echo(hook);
        }
    }

private:
    std::shared_ptr<detail::replica_set<Backend>> state_;
};

// A connection of a replicated_engine: one thread at a time, like basic_connection. It checks out
// a primary connection when it first needs one and a replica connection per read (returned at
// once, so an idle routed connection holds no replica).
template <class Backend>
class routed_connection {
public:
    explicit routed_connection(std::shared_ptr<detail::replica_set<Backend>> state) : state_(std::move(state)) {}

    // ---- reads: a replica when allowed, else the primary ----------------------------------------
    template <class S>
    auto all(const S& statement) {
        return read<S>([&](auto& c) { return c.all(statement); });
    }
    template <class S>
    auto one(const S& statement) {
        return read<S>([&](auto& c) { return c.one(statement); });
    }
    template <class S>
    auto one_or_none(const S& statement) {
        return read<S>([&](auto& c) { return c.one_or_none(statement); });
    }
    template <class S>
    auto first(const S& statement) {
        return read<S>([&](auto& c) { return c.first(statement); });
    }
    template <class S>
    auto scalar(const S& statement) {
        return read<S>([&](auto& c) { return c.scalar(statement); });
    }
    template <class Row>
    std::vector<Row> all(const read_only_text& statement) {
        return read_routed(true, [&](auto& c) { return c.template all<Row>(statement.statement); });
    }
    template <class Row>
    std::vector<Row> all(const text_statement& statement) {
        return on_primary([&](auto& c) { return c.template all<Row>(statement); });
    }

    // ---- everything else: the primary -----------------------------------------------------------
    template <class S>
    std::int64_t execute(const S& statement) {
        return on_primary([&](auto& c) { return c.execute(statement); });
    }
    auto begin() {
        return on_primary([](auto& c) { return c.begin(); });
    }
    // The primary's connection itself, for anything else (streams, batches, insert_all, DDL):
    // counted as a write for read-your-writes.
    basic_connection<Backend>& primary() {
        wrote();
        return primary_connection();
    }

    // Every later statement on the primary (a connection that must see its own writes at once).
    void use_primary(bool on = true) noexcept { pinned_ = on; }
    route last_route() const noexcept { return last_route_; }

private:
    using set = detail::replica_set<Backend>;
    using clock = typename set::clock;

    basic_connection<Backend>& primary_connection() {
        if (!primary_) {
            primary_.emplace(state_->primary.connect());
        }
        return *primary_;
    }
    void wrote() { last_write_ = clock::now(); }

    template <class F>
    auto on_primary(F&& f) {
        auto& c = primary_connection();
        last_route_ = route::primary;
        in_transaction_seen_ = true;  // a write or a transaction: the window starts when it is over
        wrote();
        return f(c);
    }

    template <class S, class F>
    auto read(F&& f) {
        return read_routed(detail::routable_read<S>, std::forward<F>(f));
    }

    // The replica to read from now, or nullptr for the primary.
    bool replica_allowed() {
        if (pinned_ || state_->replicas.empty()) {
            return false;
        }
        if (primary_ && primary_->in_transaction()) {
            return false;
        }
        if (in_transaction_seen_) {  // the last write or transaction has ended since: start the window
            in_transaction_seen_ = false;
            last_write_ = clock::now();
        }
        return clock::now() - last_write_ >= state_->options.read_your_writes;
    }

    template <class F>
    auto read_routed(bool routable, F&& f) {
        if (routable && replica_allowed()) {
            const std::size_t n = state_->replicas.size();
            const std::size_t start = state_->next.fetch_add(1);
            for (std::size_t k = 0; k < n; ++k) {
                auto& r = *state_->replicas[(start + k) % n];
                if (r.skip_until.load() > set::now()) {
                    continue;
                }
                try {
                    auto c = r.engine.connect();
                    if (!lag_ok(r, c)) {
                        state_->skip(r);
                        continue;
                    }
                    auto result = f(c);
                    last_route_ = route::replica;
                    return result;
                } catch (const operational_error&) {
                    // Unreachable, or the link broke: reads are safe to run again elsewhere.
                    state_->skip(r);
                }
            }
        }
        auto& c = primary_connection();
        last_route_ = route::primary;
        return f(c);
    }

    // At most once per lag_check_interval per replica: how far its replay is behind.
    bool lag_ok(typename set::replica& r, basic_connection<Backend>& c) {
        const auto& o = state_->options;
        if (o.max_lag.count() < 0) {
            return true;
        }
        const auto now = set::now();
        auto checked = r.lag_checked_at.load();
        if (now - checked < set::ticks(o.lag_check_interval) || !r.lag_checked_at.compare_exchange_strong(checked, now)) {
            return true;  // checked lately (by this or another thread)
        }
        // Lag is the age of the last replayed transaction, counted only while WAL received is not
        // yet replayed (an idle primary sends nothing, and its replica is then not behind).
        const auto rows = c.template all<std::tuple<double>>(
            text("SELECT CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = "
                 "pg_last_wal_replay_lsn() THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - "
                 "pg_last_xact_replay_timestamp()), 0) END::float8"));
        const double lag_ms = rows.empty() ? 0.0 : std::get<0>(rows.front()) * 1000.0;
        return lag_ms <= static_cast<double>(o.max_lag.count());
    }

    std::shared_ptr<set> state_;
    std::optional<basic_connection<Backend>> primary_;
    clock::time_point last_write_{};
    bool in_transaction_seen_ = false;
    bool pinned_ = false;
    route last_route_ = route::primary;
};

namespace detail {

inline std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

// A parsed URL written back as text (what parse_url reads).
inline std::string url_text(const url& u) {
    std::string out = u.scheme + "://";
    if (!u.username.empty() || !u.password.empty()) {
        out += percent_encode(u.username);
        if (!u.password.empty()) {
            out += ":" + percent_encode(u.password);
        }
        out += "@";
    }
    out += u.host;
    if (!u.port.empty()) {
        out += ":" + u.port;
    }
    if (!u.database.empty()) {
        out += "/" + percent_encode(u.database);
    }
    char separator = '?';
    for (const auto& [key, value] : u.query) {
        out += separator + percent_encode(key) + "=" + percent_encode(value);
        separator = '&';
    }
    return out;
}

} // namespace detail

// A replicated engine from a primary URL and replica URLs; each replica's engine takes the same
// options (its own pool of the same size).
template <class Backend>
replicated_engine<Backend> create_replicated_engine(std::string_view primary, const std::vector<std::string>& replicas,
                                                    engine_options<Backend> options = {},
                                                    replica_options routing = {}) {
    auto main = create_engine<Backend>(primary, options);
    std::vector<std::pair<std::string, basic_engine<Backend>>> others;
    for (const auto& url : replicas) {
        others.emplace_back(url, create_engine<Backend>(url, options));
    }
    return replicated_engine<Backend>(std::move(main), std::move(others), routing);
}

// From one configuration string: the primary's URL with `replicas=host:port,host:port` (the same
// user, password, database and other options for each) and optionally `read_your_writes`,
// `max_replica_lag`, `replica_retry` in seconds (decimals allowed). E.g.
//   postgresql://app:pw@db1:5432/shop?replicas=db2:5432,db3:5432&read_your_writes=2
template <class Backend>
replicated_engine<Backend> create_replicated_engine(std::string_view configuration, engine_options<Backend> options = {},
                                                    replica_options routing = {}) {
    url location = parse_url(configuration);
    std::vector<std::string> hosts;
    auto take = [&](const char* key) -> std::optional<std::string> {
        const auto found = location.query.find(key);
        if (found == location.query.end()) {
            return std::nullopt;
        }
        std::string value = found->second;
        location.query.erase(found);
        return value;
    };
    auto seconds = [&](const char* key, std::chrono::milliseconds& into, bool negative_is_off) {
        if (auto value = take(key)) {
            into = detail::parse_seconds_option(key, *value, negative_is_off);
        }
    };
    if (auto list = take("replicas")) {
        std::string_view rest = *list;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            hosts.emplace_back(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
    seconds("read_your_writes", routing.read_your_writes, false);
    seconds("max_replica_lag", routing.max_lag, true);
    seconds("replica_retry", routing.retry_after, false);
    const std::string primary_url = detail::url_text(location);
    std::vector<std::string> replica_urls;
    for (const auto& host_port : hosts) {
        url replica = location;
        const auto colon = host_port.rfind(':');
        replica.host = host_port.substr(0, colon);
        replica.port = colon == std::string::npos ? std::string{} : host_port.substr(colon + 1);
        replica_urls.push_back(detail::url_text(replica));
    }
    return create_replicated_engine<Backend>(primary_url, replica_urls, std::move(options), routing);
}

} // namespace crucible
