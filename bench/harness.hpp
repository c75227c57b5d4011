// The workloads as Google Benchmark functions over any backend and peer, and the binaries' main.
#pragma once

#include <benchmark/benchmark.h>

#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "workloads.hpp"

#if __has_include(<valgrind/callgrind.h>)  // Debian's valgrind package, installed by scripts/install-deps
#include <valgrind/callgrind.h>
#define CRUCIBLE_BENCH_TOGGLE_COLLECT CALLGRIND_TOGGLE_COLLECT
#else
#define CRUCIBLE_BENCH_TOGGLE_COLLECT ((void)0)
#endif

namespace bench {

// A peer is one library running the workloads. It opens its own connection from the backend's
// connection string (an SQLite URI, or a libpq conninfo) and may prepare statements in its
// constructor, which is not timed. Every call below is timed, after one untimed warm-up call for
// the reads (a new PostgreSQL connection's first queries pay for catalog and plan caches).
template <class P>
concept peer = std::constructible_from<P, const std::string&> &&
    requires(P& p, std::span<const new_user> rows, std::string_view hair_color, std::int64_t id) {
    // SELECT id, name, hair_color FROM users
    { p.trivial_query() } -> std::same_as<std::vector<user>>;
    // users LEFT JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?
    { p.medium_complex(hair_color) } -> std::same_as<std::vector<user_and_post>>;
    // one INSERT per row, all in one transaction
    p.insert_one_by_one(rows);
    // the library's fastest route: multi-row VALUES, or COPY on PostgreSQL
    p.bulk_insert(rows);
    // users; posts WHERE user_id IN (...); comments WHERE post_id IN (...); grouped
    { p.load_associations() } -> std::same_as<std::vector<user_with_posts>>;
    // SELECT id, name, hair_color FROM users WHERE id = ?
    { p.find_user(id) } -> std::same_as<user>;
};

// A backend gives each benchmark a fresh database with the schema and no rows:
//   typename B::database db;  db.connection();  db.insert(span of new_user / new_post / new_comment);
//   db.clear_users();  db.count_users();
// plus `static constexpr const char* name`, `static bool available(std::string& why)` and
// `static constexpr bool wall_time`: whether the time that counts is wall time (a server does
// the work elsewhere) or the process's CPU time (in-process, and steadier on a busy machine).

// Every timed call goes through this one function, never inlined, which turns callgrind's
// collection on for the call and off after it: `valgrind --tool=callgrind --collect-atstart=no`
// counts the instructions of exactly the timed work (scripts/bench --instructions). A client
// request rather than `--toggle-collect=bench::measured*`: callgrind follows the call stack, and a
// jump between a function and its `.cold` part can look to it like a return from measured, which
// stopped the count in the middle of a call. Outside valgrind a request is a few no-op instructions.
struct collect_instructions {
    collect_instructions() { CRUCIBLE_BENCH_TOGGLE_COLLECT; }
    ~collect_instructions() { CRUCIBLE_BENCH_TOGGLE_COLLECT; }
    collect_instructions(const collect_instructions&) = delete;
    collect_instructions& operator=(const collect_instructions&) = delete;
};
template <class F>
[[gnu::noinline]] decltype(auto) measured(F&& call) {
    const collect_instructions collect;
    return call();
}

inline int failures = 0;
inline std::string current_benchmark;  // Google Benchmark 1.7's State does not know its name.

inline void check(benchmark::State& state, bool ok, const char* what) {
    if (!ok) {
        ++failures;
        std::fprintf(stderr, "%s: wrong result (%s)\n", current_benchmark.c_str(), what);
        state.SkipWithError(what);
    }
}

template <class Backend, peer Peer>
void trivial_query(benchmark::State& state) {
    const auto n = state.range(0);
    typename Backend::database db;
    const auto rows = plain_users(n);
    db.insert(std::span<const new_user>(rows));
    Peer peer(db.connection());
    std::vector<user> out = peer.trivial_query();  // warm-up: a new connection's first queries are slow
    for (auto _ : state) {
        out = measured([&] { return peer.trivial_query(); });
        benchmark::DoNotOptimize(out.data());
    }
    check(state, fingerprint(out) == fingerprint(expected_users(rows)), "trivial_query rows");
    state.SetItemsProcessed(state.iterations() * n);
}

template <class Backend, peer Peer>
void medium_complex(benchmark::State& state) {
    const auto n = state.range(0);
    typename Backend::database db;
    const auto users = medium_users(n);
    const auto posts = medium_posts(n);
    db.insert(std::span<const new_user>(users));
    db.insert(std::span<const new_post>(posts));
    Peer peer(db.connection());
    std::vector<user_and_post> out = peer.medium_complex(medium_hair_color);  // warm-up
    for (auto _ : state) {
        out = measured([&] { return peer.medium_complex(medium_hair_color); });
        benchmark::DoNotOptimize(out.data());
    }
    check(state, fingerprint(out) == fingerprint(expected_medium(n)), "medium_complex rows");
    state.SetItemsProcessed(state.iterations() * n);
}

template <class Backend, peer Peer, bool bulk>
void insert_users(benchmark::State& state) {
    const auto n = state.range(0);
    typename Backend::database db;
    const auto rows = users_to_insert(n);
    Peer peer(db.connection());
    for (auto _ : state) {
        state.PauseTiming();
        db.clear_users();
        state.ResumeTiming();
        if constexpr (bulk) {
            measured([&] { peer.bulk_insert(std::span<const new_user>(rows)); });
        } else {
            measured([&] { peer.insert_one_by_one(std::span<const new_user>(rows)); });
        }
    }
    check(state, db.count_users() == n, "inserted row count");
    state.SetItemsProcessed(state.iterations() * n);
}

template <class Backend, peer Peer>
void associations(benchmark::State& state) {
    typename Backend::database db;
    const auto users = association_users_data();
    const auto posts = association_posts();
    const auto comments = association_comments();
    db.insert(std::span<const new_user>(users));
    db.insert(std::span<const new_post>(posts));
    db.insert(std::span<const new_comment>(comments));
    Peer peer(db.connection());
    std::vector<user_with_posts> out = peer.load_associations();  // warm-up
    for (auto _ : state) {
        out = measured([&] { return peer.load_associations(); });
        benchmark::DoNotOptimize(out.data());
    }
    check(state, fingerprint(out) == fingerprint(expected_associations()), "association tree");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(comments.size()));
}

template <class Backend, peer Peer>
void short_select(benchmark::State& state) {
    const auto n = state.range(0);
    typename Backend::database db;
    const auto rows = plain_users(n);
    db.insert(std::span<const new_user>(rows));
    const auto expected = expected_users(rows);
    const auto ids = random_user_ids(n);
    Peer peer(db.connection());
    for (std::size_t i = 0; i < 16; ++i) {
        benchmark::DoNotOptimize(peer.find_user(ids[ids.size() - 1 - i]));  // warm-up
    }
    std::size_t next = 0;
    std::uint64_t checksum = 0;
    std::uint64_t wanted = 0;
    for (auto _ : state) {
        const auto id = ids[next++ % ids.size()];
        const user found = measured([&] { return peer.find_user(id); });
        checksum += fingerprint(found);
        wanted += fingerprint(expected[static_cast<std::size_t>(id - 1)]);
    }
    check(state, checksum == wanted, "looked-up users");
    state.SetItemsProcessed(state.iterations());
}

// Registers every workload for one peer as `<workload>/<library>/<N>`.
template <class Backend, peer Peer>
void register_peer(const std::string& library) {
    auto add = [&](const std::string& workload, void (*function)(benchmark::State&), std::int64_t n) {
        const std::string name = workload + "/" + library;
        auto run = [function, full_name = name + "/" + std::to_string(n)](benchmark::State& state) {
            current_benchmark = full_name;
            function(state);
        };
        auto* benchmark =
            benchmark::RegisterBenchmark(name.c_str(), run)->Arg(n)->Unit(benchmark::kMicrosecond);
        if (Backend::wall_time) {
            benchmark->UseRealTime();
        }
    };
    for (auto n : query_sizes) {
        add("trivial_query", trivial_query<Backend, Peer>, n);
    }
    for (auto n : query_sizes) {
        add("medium_complex", medium_complex<Backend, Peer>, n);
    }
    add("single_insert", insert_users<Backend, Peer, false>, single_insert_rows);
    add("bulk_insert", insert_users<Backend, Peer, true>, bulk_insert_rows);
    add("associations", associations<Backend, Peer>, association_users);
    add("short_select", short_select<Backend, Peer>, short_select_table_rows);
}

// Exit status 77 tells meson the test was skipped.
inline bool server_required() {
    const char* ci = std::getenv("CI");
    const char* required = std::getenv("CRUCIBLE_REQUIRE_POSTGRES");
    return (ci && std::string_view(ci) == "true") || (required && std::string_view(required) == "1");
}

template <class Backend>
int run_main(int argc, char** argv, void (*register_peers)()) {
    if (std::string why; !Backend::available(why)) {
        if (server_required()) {
            std::fprintf(stderr, "%s benchmarks: %s\n", Backend::name, why.c_str());
            return 1;
        }
        std::fprintf(stderr, "%s benchmarks skipped: %s\n", Backend::name, why.c_str());
        return 77;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::AddCustomContext("backend", Backend::name);
    register_peers();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (failures != 0) {
        std::fprintf(stderr, "%d benchmark(s) produced wrong results\n", failures);
        return 1;
    }
    return 0;
}

}  // namespace bench
