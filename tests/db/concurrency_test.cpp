// Many threads through one engine: 16 threads x 1,000 transactions on PostgreSQL, and 4 threads x
// 1,000 read-then-write transactions on an SQLite file in WAL mode with immediate transactions.
// Every committed row is present exactly once and no transaction fails. CI builds this suite a
// second time with ThreadSanitizer.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "postgres_env.hpp"
#include "test_engines.hpp"

namespace concurrency_test {

struct Entry {
    std::int64_t id;
    std::int32_t thread;
    std::int32_t seq;
    std::int64_t previous;  // how many of this thread's rows it read before writing this one
};
constexpr auto crucible_table(crucible::table_tag<Entry>) {
    return crucible::table_options{crucible::table_name("concurrency_entries"),
                                   crucible::unique<&Entry::thread, &Entry::seq>};
}

using namespace crucible;
using crucible::select;

// Each thread runs `transactions` transactions: read how many rows it has written, write the next.
template <class Engine, class Begin>
void run_threads(Engine& engine, int threads, int transactions, Begin begin) {
    std::atomic<int> failures{0};
    std::vector<std::string> errors;
    std::mutex errors_mutex;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < transactions; ++i) {
                try {
                    auto db = engine.connect();
                    auto tx = begin(db);
                    const std::int64_t mine =
                        db.scalar(select(count()).template from<Entry>().where(col<&Entry::thread> == t));
                    db.execute(insert(Entry{0, t, i, mine}));
                    tx.commit();
                } catch (const std::exception& e) {
                    if (failures++ < 5) {
                        std::lock_guard lock(errors_mutex);
                        errors.emplace_back(e.what());
                    }
                }
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    EXPECT_EQ(failures.load(), 0) << (errors.empty() ? "" : errors.front());
    auto db = engine.connect();
    EXPECT_EQ(db.scalar(select(count()).template from<Entry>()), std::int64_t{threads} * transactions);
    // Exactly once each, and each transaction saw all of its thread's earlier ones.
    EXPECT_EQ(db.scalar(select(count()).template from<Entry>().where(col<&Entry::previous> != col<&Entry::seq>)), 0);
    EXPECT_EQ(engine.status().checked_out, 1u);
}

TEST(Concurrency, PostgresSixteenThreadsThousandTransactionsEach) {
    CRUCIBLE_NEED_POSTGRES();
    auto engine = create_engine<backend::postgres_connection>(crucible::testing::postgres_url());  // 5 + 10 overflow: one thread waits at times
    {
        auto db = engine.connect();
        db.drop_all<Entry>();
        db.create_all<Entry>();
    }
    std::atomic<std::size_t> most_open{0};
    engine.set_pool_events([&](const pool_event& e) {
        const std::size_t open = e.status.checked_out + e.status.idle;
        std::size_t seen = most_open.load();
        while (open > seen && !most_open.compare_exchange_weak(seen, open)) {
        }
    });
    run_threads(engine, 16, 1000, [](auto& db) { return db.begin(); });
    engine.set_pool_events({});
    EXPECT_LE(most_open.load(), 15u) << "never more than pool_size + max_overflow connections";
    EXPECT_GE(most_open.load(), 6u) << "16 threads needed the overflow";
}

TEST(Concurrency, SqliteWalFourThreadsThousandReadThenWriteTransactions) {
    const std::string path = ::testing::TempDir() + "crucible_concurrency.db";
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::remove((path + suffix).c_str());
    }
    auto engine = create_engine<backend::sqlite_connection>("sqlite:///" + path +
                                                            "?journal_mode=wal&synchronous=normal&busy_timeout=10000");
    {
        auto db = engine.connect();
        db.create_all<Entry>();
        EXPECT_EQ(std::get<0>(db.all<std::tuple<std::string>>(text("PRAGMA journal_mode")).at(0)), "wal");
    }
    run_threads(engine, 4, 1000, [](auto& db) { return db.begin_immediate(); });
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::remove((path + suffix).c_str());
    }
}

TEST(Concurrency, SqliteBeginImmediateFromTheUrl) {
    const std::string path = ::testing::TempDir() + "crucible_concurrency_url.db";
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::remove((path + suffix).c_str());
    }
    auto engine = create_engine<backend::sqlite_connection>(
        "sqlite:///" + path + "?journal_mode=wal&synchronous=normal&busy_timeout=10000&begin=immediate");
    engine.connect().create_all<Entry>();
    run_threads(engine, 4, 250, [](auto& db) { return db.begin(); });
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::remove((path + suffix).c_str());
    }
}

}  // namespace concurrency_test
