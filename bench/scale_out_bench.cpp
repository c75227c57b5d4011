// Prepared statements on and off, directly and through pgbouncer (transaction mode): a key lookup
// and a 100-row read, crucible against raw libpq (PQprepare + PQexecPrepared, and PQexecParams).
//   CRUCIBLE_BENCH_DIRECT_URL   the server (default "postgresql://": libpq's PG* variables)
//   CRUCIBLE_BENCH_PGBOUNCER_URL pgbouncer in front of it (scripts/bench-scale-out starts one);
//                                without it the pgbouncer rows are skipped
// Prepared statements through pgbouncer fail even with one client at a time: the server
// connections outlive the clients, and a statement an earlier benchmark prepared is still there
// (`prepared statement "crucible_1" already exists`); those rows report the error.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"

namespace {

struct Kv {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Kv>) {
    return crucible::table_options{crucible::table_name("scale_out_bench_kv")};
}

std::string url_of(bool bouncer) {
    const char* value = std::getenv(bouncer ? "CRUCIBLE_BENCH_PGBOUNCER_URL" : "CRUCIBLE_BENCH_DIRECT_URL");
    return value ? value : (bouncer ? "" : "postgresql://");
}

void ensure_table() {
    static const bool done = [] {
        auto engine = crucible::create_engine<crucible::backend::postgres_connection>(url_of(false));
        auto db = engine.connect();
        db.drop_all<Kv>();
        db.create_all<Kv>();
        std::vector<Kv> rows;
        for (int i = 1; i <= 1000; ++i) {
            rows.push_back({0, "name " + std::to_string(i)});
        }
        db.insert_all(rows);
        return true;
    }();
    (void)done;
}

using namespace crucible;

// One crucible connection to the server or through pgbouncer; `call(db, i)` is the timed work of
// iteration i. A statement that fails (prepared statements behind pgbouncer, see the top) ends
// the benchmark with its error.
template <bool Bouncer, bool Prepared, class Call>
void crucible_run(benchmark::State& state, Call call) {
    if (Bouncer && url_of(true).empty()) {
        state.SkipWithError("CRUCIBLE_BENCH_PGBOUNCER_URL not set");
        return;
    }
    ensure_table();
    auto engine = create_engine<backend::postgres_connection>(url_of(Bouncer) +
                                                             (Prepared ? "" : "?prepared_statements=false"));
    auto db = engine.connect();
    std::int64_t i = 0;
    try {
        for (auto _ : state) {
            call(db, i++);
        }
    } catch (const crucible::error& e) {
        state.SkipWithError(e.what());
    }
}

template <bool Bouncer, bool Prepared>
void crucible_lookup(benchmark::State& state) {
    crucible_run<Bouncer, Prepared>(state, [](auto& db, std::int64_t i) {
        auto row = db.first(select<Kv>().where(col<&Kv::id> == i % 1000 + 1));
        benchmark::DoNotOptimize(row);
    });
}

template <bool Bouncer, bool Prepared>
void crucible_hundred_rows(benchmark::State& state) {
    crucible_run<Bouncer, Prepared>(state, [](auto& db, std::int64_t i) {
        const std::int64_t from = (i + 1) * 100 % 900;
        auto rows = db.all(select<Kv>().where(col<&Kv::id> > from).order_by(col<&Kv::id>).limit(100));
        benchmark::DoNotOptimize(rows);
    });
}

// Raw libpq, binary parameters and results, as crucible sends them.
struct raw_connection {
    PGconn* conn;
    explicit raw_connection(const std::string& url) : conn(PQconnectdb(url == "postgresql://" ? "" : url.c_str())) {
        if (PQstatus(conn) != CONNECTION_OK) {
            throw std::runtime_error(PQerrorMessage(conn));
        }
    }
    ~raw_connection() { PQfinish(conn); }
};

constexpr const char* lookup_sql = R"(SELECT "id", "name" FROM "scale_out_bench_kv" WHERE "id" = $1 LIMIT 1)";
constexpr const char* hundred_sql =
    R"(SELECT "id", "name" FROM "scale_out_bench_kv" WHERE "id" > $1 ORDER BY "id" LIMIT 100)";

template <bool Bouncer, bool Prepared>
void raw_run(benchmark::State& state, const char* sql, std::int64_t step, std::int64_t wrap) {
    if (Bouncer && url_of(true).empty()) {
        state.SkipWithError("CRUCIBLE_BENCH_PGBOUNCER_URL not set");
        return;
    }
    ensure_table();
    raw_connection c(url_of(Bouncer));
    const Oid types[1] = {20};  // int8
    if (Prepared) {
        PGresult* r = PQprepare(c.conn, "q", sql, 1, types);
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) {
            state.SkipWithError(PQresultErrorMessage(r));
        }
        PQclear(r);
        if (!ok) {
            return;
        }
    }
    std::int64_t key = 0;
    for (auto _ : state) {
        key = (key + step) % wrap;
        const std::uint64_t be = __builtin_bswap64(static_cast<std::uint64_t>(key + (step == 1 ? 1 : 0)));
        const char* values[1] = {reinterpret_cast<const char*>(&be)};
        const int lengths[1] = {8};
        const int formats[1] = {1};
        PGresult* r = Prepared ? PQexecPrepared(c.conn, "q", 1, values, lengths, formats, 1)
                               : PQexecParams(c.conn, sql, 1, types, values, lengths, formats, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            state.SkipWithError(PQresultErrorMessage(r));
            PQclear(r);
            return;
        }
        // Read every value, as a program would.
        std::int64_t sum = 0;
        for (int i = 0; i < PQntuples(r); ++i) {
            sum += PQgetlength(r, i, 1);
        }
        benchmark::DoNotOptimize(sum);
        PQclear(r);
    }
}

template <bool Bouncer, bool Prepared>
void raw_lookup(benchmark::State& state) {
    raw_run<Bouncer, Prepared>(state, lookup_sql, 1, 1000);
}
template <bool Bouncer, bool Prepared>
void raw_hundred_rows(benchmark::State& state) {
    raw_run<Bouncer, Prepared>(state, hundred_sql, 100, 900);
}

}  // namespace

// name: <workload>/<route>/<mode>/<library>
BENCHMARK(raw_lookup<false, true>)->Name("lookup/direct/prepared/raw");
BENCHMARK(crucible_lookup<false, true>)->Name("lookup/direct/prepared/crucible");
BENCHMARK(raw_lookup<false, false>)->Name("lookup/direct/unprepared/raw");
BENCHMARK(crucible_lookup<false, false>)->Name("lookup/direct/unprepared/crucible");
BENCHMARK(raw_lookup<true, true>)->Name("lookup/pgbouncer/prepared/raw");
BENCHMARK(crucible_lookup<true, true>)->Name("lookup/pgbouncer/prepared/crucible");
BENCHMARK(raw_lookup<true, false>)->Name("lookup/pgbouncer/unprepared/raw");
BENCHMARK(crucible_lookup<true, false>)->Name("lookup/pgbouncer/unprepared/crucible");
BENCHMARK(raw_hundred_rows<false, true>)->Name("hundred_rows/direct/prepared/raw");
BENCHMARK(crucible_hundred_rows<false, true>)->Name("hundred_rows/direct/prepared/crucible");
BENCHMARK(raw_hundred_rows<false, false>)->Name("hundred_rows/direct/unprepared/raw");
BENCHMARK(crucible_hundred_rows<false, false>)->Name("hundred_rows/direct/unprepared/crucible");
BENCHMARK(raw_hundred_rows<true, true>)->Name("hundred_rows/pgbouncer/prepared/raw");
BENCHMARK(crucible_hundred_rows<true, true>)->Name("hundred_rows/pgbouncer/prepared/crucible");
BENCHMARK(raw_hundred_rows<true, false>)->Name("hundred_rows/pgbouncer/unprepared/raw");
BENCHMARK(crucible_hundred_rows<true, false>)->Name("hundred_rows/pgbouncer/unprepared/crucible");

BENCHMARK_MAIN();
