// The ORM session's workloads (SQLAlchemy's examples/performance, issue 13) for either backend:
// the session, its crucible Core twin and the raw driver side by side, as Google Benchmark
// functions, and the binaries' main. The backend's part (a fresh database, the raw peer) is in
// orm_sqlite_bench.cpp / orm_postgres_bench.cpp.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/orm/orm.hpp"
#include "crucible_peer.hpp"  // users, posts, comments mapped onto the workloads' structs
#include "harness.hpp"        // measured(), check(), server_required()

namespace bench::session_workloads {

inline constexpr std::int64_t table_rows = 10'000;  // the table the reads, updates and deletes work on
inline constexpr std::int64_t add_rows = 10'000;
inline constexpr std::int64_t touched_rows = 1'000;  // gets, updates, deletes

inline std::vector<user> users_to_add(std::int64_t n, const std::string& prefix) {
    std::vector<user> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        out.push_back(user{0, prefix + std::to_string(i),
                           i % 2 == 0 ? std::optional<std::string>("brown") : std::nullopt});
    }
    return out;
}

// 1000 random keys of the table (repeats allowed, as SQLAlchemy's test_orm_query_classic_style).
inline std::vector<std::int64_t> random_keys() {
    std::mt19937_64 random(13);
    std::uniform_int_distribution<std::int64_t> key(1, table_rows);
    std::vector<std::int64_t> out(static_cast<std::size_t>(touched_rows));
    for (auto& k : out) {
        k = key(random);
    }
    return out;
}

inline std::uint64_t name_sum(const user& u) { return u.name.size() + static_cast<std::uint64_t>(u.id); }

// Loading associations through the session: users -> posts -> comments (the suite's workload).
inline constexpr auto user_posts = crucible::one_to_many<user, post>;
inline constexpr auto post_comments = crucible::one_to_many<post, comment>;

// The associations workload's rows (workloads.hpp), inserted into fresh tables so that their keys
// are 1, 2, 3, ... in order, as expected_associations() has them.
template <class Connection>
void insert_associations(Connection& db) {
    std::vector<user> users;
    for (auto& u : association_users_data()) {
        users.push_back(user{0, std::move(u.name), std::move(u.hair_color)});
    }
    std::vector<post> posts;
    for (auto& p : association_posts()) {
        posts.push_back(post{0, p.user_id, std::move(p.title), std::move(p.body)});
    }
    std::vector<comment> comments;
    for (auto& c : association_comments()) {
        comments.push_back(comment{0, c.post_id, std::move(c.text)});
    }
    auto tx = db.begin();
    db.insert_all(users);
    db.insert_all(posts);
    db.insert_all(comments);
    tx.commit();
}

// What each peer reads of the loaded tree: every user's, post's and comment's key and text size.
inline std::uint64_t tree_sum(const std::vector<user_with_posts>& tree) {
    std::uint64_t sum = 0;
    for (const auto& u : tree) {
        sum += static_cast<std::uint64_t>(u.value.id);
        for (const auto& p : u.posts) {
            sum += static_cast<std::uint64_t>(p.value.id);
            for (const auto& c : p.comments) {
                sum += c.text.size() + static_cast<std::uint64_t>(c.id);
            }
        }
    }
    return sum;
}

// Backend: `using engine_type`, `static constexpr const char* name`, `static constexpr bool
// wall_time`, `static bool available(std::string&)`, and `class database` (a fresh database with
// the users table and no rows: engine(), fill(rows), clear(), count(), count_named(like); the raw
// peer takes the database and opens its own connection).
//
// Every peer does the same work, in one transaction per call:
//   add(rows)           INSERT the rows, their generated keys read back (multi-row, 1000 a statement)
//   get(keys)           one row per key (the session: get<user>, from its identity map when warm)
//   update_first(tag, n) load users with id <= n (1,000, or all 10,000), change each one's name,
//                       write them back (the session: one flush; Core: execute_batch)
//   delete_all()        load every user (1000), delete each by its key (Core: execute_batch)
template <class Engine>
class session_peer {
public:
    using backend_type = typename Engine::backend_type;
    // A connection opened (and returned to the engine's pool) before any timing, as Core's peer
    // holds its own: the first session would otherwise time a connect (PostgreSQL: its SCRAM).
    template <class Database>
    explicit session_peer(Database& db) : engine_(db.engine()) {
        engine_.connect().execute(crucible::text("SELECT 1"));
    }

    std::int64_t add(std::span<const user> rows) {
        crucible::session<backend_type> s(engine_);
        std::vector<crucible::handle<user>> added;
        added.reserve(rows.size());
        for (const user& u : rows) {
            added.push_back(s.add(u));
        }
        s.commit();
        return added.back()->id;
    }
    // Cold: a new session, every key a SELECT. Warm: the session kept from warm_up().
    std::uint64_t get(std::span<const std::int64_t> keys) {
        crucible::session<backend_type> s(engine_);
        const std::uint64_t sum = get_in(s, keys);
        s.commit();
        return sum;
    }
    void warm_up(std::span<const std::int64_t> keys) {
        warm_.emplace(engine_);
        get_in(*warm_, keys);
        warm_->commit();
    }
    std::uint64_t get_warm(std::span<const std::int64_t> keys) { return get_in(*warm_, keys); }

    // A new session: users, their posts and the posts' comments in three queries (selectin).
    std::uint64_t associations() {
        crucible::session<backend_type> s(engine_);
        std::uint64_t sum = 0;
        for (const auto& u : s.all(crucible::select<user>(), crucible::selectin(user_posts, crucible::selectin(post_comments)))) {
            sum += static_cast<std::uint64_t>(u->id);
            for (const auto& p : u.related(user_posts)) {
                sum += static_cast<std::uint64_t>(p->id);
                for (const auto& c : p.related(post_comments)) {
                    sum += c->text.size() + static_cast<std::uint64_t>(c->id);
                }
            }
        }
        s.commit();
        return sum;
    }

    void update_first(const std::string& tag, std::int64_t n) {
        using crucible::col;
        crucible::session<backend_type> s(engine_);
        for (auto& u : s.all(crucible::select<user>().where(col<&user::id> <= n))) {
            u->name = tag + std::to_string(u->id);
        }
        s.commit();
    }
    void delete_all() {
        crucible::session<backend_type> s(engine_);
        for (auto& u : s.all(crucible::select<user>())) {
            s.remove(u);
        }
        s.commit();
    }

private:
    static std::uint64_t get_in(crucible::session<backend_type>& s, std::span<const std::int64_t> keys) {
        std::uint64_t sum = 0;
        for (const std::int64_t k : keys) {
            sum += name_sum(*s.template get<user>(k));
        }
        return sum;
    }
    Engine engine_;
    std::optional<crucible::session<backend_type>> warm_;
};

// The same work written with crucible Core: typed statements, prepared once per connection.
template <class Engine>
class core_peer {
public:
    template <class Database>
    explicit core_peer(Database& db) : engine_(db.engine()), db_(engine_.connect()) {}

    std::int64_t add(std::span<const user> rows) {
        using crucible::col;
        auto tx = db_.begin();
        std::int64_t last = 0;
        for (std::size_t at = 0; at < rows.size(); at += 1000) {
            const auto chunk = rows.subspan(at, std::min<std::size_t>(1000, rows.size() - at));
            for (auto& [id] : db_.all(crucible::insert_many_view(chunk).returning(col<&user::id>))) {
                last = std::max(last, id);
            }
        }
        tx.commit();
        return last;
    }
    std::uint64_t get(std::span<const std::int64_t> keys) {
        using crucible::col;
        auto tx = db_.begin();
        std::uint64_t sum = 0;
        for (const std::int64_t k : keys) {
            sum += name_sum(db_.first(crucible::select<user>().where(col<&user::id> == k)).value());
        }
        tx.commit();
        return sum;
    }
    void warm_up(std::span<const std::int64_t>) {}
    // The same three queries, grouped by hand (the suite's crucible associations peer).
    std::uint64_t associations() {
        using crucible::col;
        auto tx = db_.begin();
        auto users = db_.all(crucible::select<user>());
        std::vector<std::int64_t> user_ids;
        user_ids.reserve(users.size());
        for (const auto& u : users) {
            user_ids.push_back(u.id);
        }
        auto posts = db_.all(crucible::select<post>().where(crucible::in(col<&post::user_id>, user_ids)));
        std::vector<std::int64_t> post_ids;
        post_ids.reserve(posts.size());
        for (const auto& p : posts) {
            post_ids.push_back(p.id);
        }
        auto comments = db_.all(crucible::select<comment>().where(crucible::in(col<&comment::post_id>, post_ids)));
        tx.commit();
        return tree_sum(group_associations(std::move(users), std::move(posts), std::move(comments)));
    }

    // Core has no identity map: the warm run SELECTs again.
    std::uint64_t get_warm(std::span<const std::int64_t> keys) { return get(keys); }

    // One statement per row, as a batch: pipelined on PostgreSQL (what the session's flush does).
    void update_first(const std::string& tag, std::int64_t n) {
        using crucible::col;
        auto tx = db_.begin();
        auto users = db_.all(crucible::select<user>().where(col<&user::id> <= n));
        for (auto& u : users) {
            u.name = tag + std::to_string(u.id);
        }
        db_.execute_batch(users, [](const user& u) {
            return crucible::update<user>().set(col<&user::name> = u.name).where(col<&user::id> == u.id);
        });
        tx.commit();
    }
    void delete_all() {
        using crucible::col;
        auto tx = db_.begin();
        db_.execute_batch(db_.all(crucible::select<user>()),
                          [](const user& u) { return crucible::delete_from<user>().where(col<&user::id> == u.id); });
        tx.commit();
    }

private:
    Engine engine_;
    typename Engine::connection db_;
};

template <class Backend, class Peer>
void add(benchmark::State& state) {
    typename Backend::database db;
    const auto rows = users_to_add(add_rows, "Added user ");
    Peer peer(db);
    for (auto _ : state) {
        state.PauseTiming();
        db.clear();
        state.ResumeTiming();
        benchmark::DoNotOptimize(measured([&] { return peer.add(rows); }));
    }
    check(state, db.count() == add_rows, "added row count");
    state.SetItemsProcessed(state.iterations() * add_rows);
}

template <class Backend, class Peer, bool warm>
void get(benchmark::State& state) {
    typename Backend::database db;
    db.fill(users_to_add(table_rows, "User "));
    const auto keys = random_keys();
    std::uint64_t expected = 0;
    for (const std::int64_t k : keys) {
        expected += std::to_string(k - 1).size() + 5 + static_cast<std::uint64_t>(k);  // "User <k-1>"
    }
    Peer peer(db);
    if constexpr (warm) {
        peer.warm_up(keys);  // the session's identity map holds the rows
    } else {
        benchmark::DoNotOptimize(peer.get(keys));  // warm-up: the statements prepared
    }
    std::uint64_t sum = 0;
    for (auto _ : state) {
        sum = measured([&] { return warm ? peer.get_warm(keys) : peer.get(keys); });
    }
    check(state, sum == expected, "looked-up users");
    state.SetItemsProcessed(state.iterations() * touched_rows);
}

template <class Backend, class Peer>
void update(benchmark::State& state) {
    typename Backend::database db;
    db.fill(users_to_add(table_rows, "User "));
    const std::int64_t n = state.range(0);
    Peer peer(db);
    peer.update_first("Warm ", n);
    std::int64_t round = 0;
    for (auto _ : state) {
        const std::string tag = "Round " + std::to_string(++round) + " ";  // every row changes
        measured([&] { peer.update_first(tag, n); });
    }
    check(state, db.count_named("Round " + std::to_string(round) + " %") == n, "updated rows");
    state.SetItemsProcessed(state.iterations() * n);
}

template <class Backend, class Peer>
void associations(benchmark::State& state) {
    typename Backend::database db;
    db.fill_associations();
    Peer peer(db);
    const std::uint64_t expected = tree_sum(expected_associations());
    std::uint64_t sum = peer.associations();  // warm-up
    for (auto _ : state) {
        sum = measured([&] { return peer.associations(); });
    }
    check(state, sum == expected, "association tree");
    state.SetItemsProcessed(state.iterations() * association_users * posts_per_user * comments_per_post);
}

template <class Backend, class Peer>
void remove(benchmark::State& state) {
    typename Backend::database db;
    const auto rows = users_to_add(touched_rows, "Doomed ");
    Peer peer(db);
    for (auto _ : state) {
        state.PauseTiming();
        db.fill(rows);
        state.ResumeTiming();
        measured([&] { peer.delete_all(); });
    }
    check(state, db.count() == 0, "rows left");
    state.SetItemsProcessed(state.iterations() * touched_rows);
}

// `session_<workload>/<library>/<N>`: library crucible_session, crucible_core or raw.
template <class Backend, class Peer>
void register_peer(const std::string& library) {
    auto add_one = [&](const std::string& workload, void (*function)(benchmark::State&), std::int64_t n) {
        const std::string name = "session_" + workload + "/" + library;
        auto run = [function, full_name = name + "/" + std::to_string(n)](benchmark::State& state) {
            current_benchmark = full_name;
            function(state);
        };
        auto* b = benchmark::RegisterBenchmark(name.c_str(), run)->Arg(n)->Unit(benchmark::kMicrosecond);
        if (Backend::wall_time) {
            b->UseRealTime();
        }
    };
    add_one("add", add<Backend, Peer>, add_rows);
    add_one("get_cold", get<Backend, Peer, false>, touched_rows);
    add_one("get_identity_map", get<Backend, Peer, true>, touched_rows);
    add_one("update", update<Backend, Peer>, touched_rows);
    add_one("update", update<Backend, Peer>, table_rows);  // the flush of 10,000 UPDATEs
    add_one("delete", remove<Backend, Peer>, touched_rows);
    if constexpr (requires(Peer& p) { p.associations(); }) {
        add_one("associations", associations<Backend, Peer>, association_users);  // issue 14
    }
}

template <class Backend, class Raw>
void register_all() {
    using engine_type = typename Backend::engine_type;
    register_peer<Backend, session_peer<engine_type>>("crucible_session");
    register_peer<Backend, core_peer<engine_type>>("crucible_core");
    register_peer<Backend, Raw>("raw");
}

}  // namespace bench::session_workloads
