// The pool and the engine's lifetimes and thread rules, on SQLite (no server needed): QueuePool's
// overflow, timeout, recycle, LIFO, reset on return, statistics, events and dispose; URL options;
// one in-memory database per engine; connections, transactions and streams that outlive their
// engine or move; one connection used from two threads at once.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"

namespace pool_test {

struct Item {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Item>) {
    return crucible::table_options{crucible::table_name("pool_items")};
}

using namespace crucible;
using crucible::select;
using sqlite = backend::sqlite_connection;
using namespace std::chrono_literals;

std::int64_t count_items(sqlite_connection& db) { return db.scalar(select(count()).from<Item>()); }

TEST(Pool, DefaultsAreSqlalchemyQueuePools) {
    const pool_options defaults;
    EXPECT_EQ(defaults.pool_size, 5u);
    EXPECT_EQ(defaults.max_overflow, 10);
    EXPECT_EQ(defaults.timeout, 30s);
    EXPECT_LT(defaults.recycle.count(), 0) << "off";
    EXPECT_FALSE(defaults.pre_ping);
    EXPECT_FALSE(defaults.lifo);
}

TEST(Pool, OverflowThenTimeoutNamingThePool) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=2&max_overflow=1&pool_timeout=0.2");
    auto a = engine.connect();
    auto b = engine.connect();
    auto c = engine.connect();
    EXPECT_EQ(engine.status().checked_out, 3u);
    EXPECT_EQ(engine.status().overflow, 1u);
    const auto start = std::chrono::steady_clock::now();
    try {
        auto d = engine.connect();
        FAIL() << "a fourth checkout must time out";
    } catch (const timeout_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("pool_size 2"), std::string::npos) << what;
        EXPECT_NE(what.find("max_overflow 1"), std::string::npos) << what;
        EXPECT_NE(what.find("3 connections checked out"), std::string::npos) << what;
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms) << "it waited pool_timeout";
    { auto returned = std::move(c); }
    { auto returned = std::move(b); }
    { auto returned = std::move(a); }
    const pool_status s = engine.status();
    EXPECT_EQ(s.checked_out, 0u);
    EXPECT_EQ(s.idle, 2u) << "pool_size connections are kept";
    EXPECT_EQ(s.overflow, 0u);
    EXPECT_EQ(s.connects, 3u);
    EXPECT_EQ(s.closes, 1u) << "the overflow connection is closed when it comes back";
}

TEST(Pool, AWaitingCheckoutGetsTheConnectionReturned) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=1&max_overflow=0&pool_timeout=10");
    std::optional<sqlite_connection> held(engine.connect());
    const sqlite* first = &held->native();
    std::thread returner([&] {
        std::this_thread::sleep_for(100ms);
        held.reset();
    });
    auto next = engine.connect();  // waits for the one connection
    returner.join();
    EXPECT_EQ(&next.native(), first) << "the same connection, handed over";
    EXPECT_EQ(engine.status().connects, 1u);
}

TEST(Pool, UnlimitedOverflow) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=1&max_overflow=-1&pool_timeout=0");
    std::vector<sqlite_connection> many;
    for (int i = 0; i < 20; ++i) {
        many.push_back(engine.connect());
    }
    EXPECT_EQ(engine.status().checked_out, 20u);
    EXPECT_EQ(engine.status().overflow, 19u);
}

TEST(Pool, RecycleReplacesOldConnectionsAtCheckout) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=1&pool_recycle=0.05");
    std::vector<std::string> closes;
    engine.set_pool_events([&](const pool_event& e) {
        if (e.kind == pool_event_kind::close) {
            closes.emplace_back(e.reason);
        }
    });
    { auto db = engine.connect(); }
    { auto db = engine.connect(); }
    EXPECT_EQ(engine.status().connects, 1u) << "young enough to be reused";
    std::this_thread::sleep_for(80ms);
    { auto db = engine.connect(); }
    EXPECT_EQ(engine.status().connects, 2u) << "older than pool_recycle: replaced";
    ASSERT_EQ(closes.size(), 1u);
    EXPECT_NE(closes[0].find("recycle"), std::string::npos) << closes[0];
}

TEST(Pool, FifoByDefaultLifoAsAnOption) {
    for (const bool lifo : {false, true}) {
        auto engine = create_engine<sqlite>(std::string("sqlite://?pool_size=2&pool_use_lifo=") + (lifo ? "true" : "false"));
        std::optional<sqlite_connection> a(engine.connect());
        std::optional<sqlite_connection> b(engine.connect());
        const sqlite* first = &a->native();
        const sqlite* second = &b->native();
        a.reset();  // returned first
        b.reset();  // returned last
        auto next = engine.connect();
        EXPECT_EQ(&next.native(), lifo ? second : first) << (lifo ? "LIFO" : "FIFO");
    }
}

TEST(Pool, ReturnRollsBackAndStatisticsAndEventsFollow) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=2");
    std::vector<pool_event_kind> kinds;
    engine.set_pool_events([&](const pool_event& e) { kinds.push_back(e.kind); });
    {
        auto db = engine.connect();
        db.create_all<Item>();
        auto tx = db.begin();
        db.execute(insert(Item{0, "uncommitted"}));
        tx.commit();
        db.execute(text("BEGIN"));  // a transaction the connection object does not know of
        db.execute(insert(Item{0, "left open"}));
        EXPECT_TRUE(db.in_transaction());
    }
    auto db = engine.connect();
    EXPECT_FALSE(db.in_transaction()) << "rolled back on return";
    EXPECT_EQ(count_items(db), 1);
    const std::vector<pool_event_kind> expected{pool_event_kind::connect, pool_event_kind::checkout,
                                                pool_event_kind::checkin, pool_event_kind::checkout};
    EXPECT_EQ(kinds, expected);
    EXPECT_EQ(engine.status().checked_out, 1u);
    EXPECT_EQ(engine.status().idle, 0u);
}

TEST(Pool, DisposeClosesIdleNowAndCheckedOutOnReturn) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=3");
    std::optional<sqlite_connection> held(engine.connect());
    held->create_all<Item>();
    held->execute(insert(Item{0, "kept"}));
    { auto a = engine.connect(); auto b = engine.connect(); }
    EXPECT_EQ(engine.status().idle, 2u);
    engine.dispose();
    EXPECT_EQ(engine.status().idle, 0u);
    EXPECT_EQ(engine.status().closes, 2u);
    EXPECT_EQ(count_items(*held), 1) << "a checked-out connection works on";
    held.reset();
    EXPECT_EQ(engine.status().idle, 0u) << "closed when it came back";
    EXPECT_EQ(engine.status().closes, 3u);
    auto db = engine.connect();
    EXPECT_EQ(count_items(db), 1) << "the in-memory database outlives its connections";
}

TEST(PoolOptions, FromTheUrlAndFromTheOptionsStructTheUrlWins) {
    auto engine = create_engine<sqlite>(
        "sqlite://?pool_size=3&max_overflow=-1&pool_timeout=2.5&pool_recycle=3600&pool_pre_ping=true&pool_use_lifo=1");
    const pool_options& o = engine.pool().options();
    EXPECT_EQ(o.pool_size, 3u);
    EXPECT_EQ(o.max_overflow, -1);
    EXPECT_EQ(o.timeout, 2500ms);
    EXPECT_EQ(o.recycle, 3600s);
    EXPECT_TRUE(o.pre_ping);
    EXPECT_TRUE(o.lifo);

    engine_options<sqlite> given;
    given.pool.pool_size = 7;
    given.pool.max_overflow = 0;
    given.backend.busy_timeout_ms = 1234;
    auto from_struct = create_engine<sqlite>("sqlite://", given);
    EXPECT_EQ(from_struct.pool().options().pool_size, 7u);
    EXPECT_EQ(from_struct.pool().options().max_overflow, 0);
    EXPECT_EQ(from_struct.options().backend.busy_timeout_ms, 1234);
    auto url_wins = create_engine<sqlite>("sqlite://?pool_size=2&busy_timeout=99", given);
    EXPECT_EQ(url_wins.pool().options().pool_size, 2u);
    EXPECT_EQ(url_wins.pool().options().max_overflow, 0);
    EXPECT_EQ(url_wins.options().backend.busy_timeout_ms, 99);
}

void expect_bad_option(const std::string& url, const std::string& named) {
    try {
        if (url.starts_with("sqlite")) {
            create_engine<sqlite>(url);
        } else {
            create_engine<backend::postgres_connection>(url);
        }
        ADD_FAILURE() << url << " was accepted";
    } catch (const programming_error& e) {
        EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << url << ": " << e.what();
    }
}

TEST(PoolOptions, ABadValueIsAProgrammingErrorNamingTheOption) {
    expect_bad_option("sqlite://?pool_size=abc", "pool_size");
    expect_bad_option("sqlite://?pool_size=-1", "pool_size");
    expect_bad_option("sqlite://?max_overflow=-2", "max_overflow");
    expect_bad_option("sqlite://?pool_timeout=soon", "pool_timeout");
    expect_bad_option("sqlite://?pool_timeout=-1", "pool_timeout");
    expect_bad_option("sqlite://?pool_recycle=1h", "pool_recycle");
    expect_bad_option("sqlite://?pool_pre_ping=maybe", "pool_pre_ping");
    expect_bad_option("sqlite://?pool_use_lifo=2", "pool_use_lifo");
    expect_bad_option("sqlite://?poolsize=3", "poolsize");
    expect_bad_option("sqlite://?busy_timeout=x", "busy_timeout");
    expect_bad_option("sqlite://?begin=now", "begin");
    expect_bad_option("sqlite://?pool_size=0&max_overflow=0", "pool_size");
    // PostgreSQL: checked when the engine is made, before any connection.
    expect_bad_option("postgresql://localhost/db?pool_size=x", "pool_size");
    expect_bad_option("postgresql://localhost/db?pool_sise=3", "pool_sise");
    // Pragmas are checked by the first connection (in memory, the engine holds one from the start).
    expect_bad_option("sqlite://?journal_mode=fast", "journal_mode");
    expect_bad_option("sqlite://?synchronous=sometimes", "synchronous");
    auto engine = create_engine<sqlite>("sqlite:///" + ::testing::TempDir() + "never_created.db?journal_mode=fast");
    EXPECT_THROW(engine.connect(), programming_error);
}

TEST(Engine, ACopyIsTheSameEngine) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=2");
    auto copy = engine;
    copy.connect().create_all<Item>();
    auto db = engine.connect();
    db.execute(insert(Item{0, "through the original"}));
    auto other = copy.connect();
    EXPECT_EQ(count_items(other), 1) << "one database";
    EXPECT_EQ(engine.status().checked_out, 2u) << "one pool";
    EXPECT_EQ(&engine.pool(), &copy.pool());
}

TEST(SqliteMemory, OneDatabasePerEngineSharedByItsConnections) {
    auto engine = create_engine<sqlite>("sqlite://");
    auto a = engine.connect();
    auto b = engine.connect();
    a.create_all<Item>();
    a.execute(insert(Item{0, "seen by b"}));
    EXPECT_EQ(count_items(b), 1) << "every connection of the engine sees the same database";
    auto other = create_engine<sqlite>("sqlite://");
    auto c = other.connect();
    EXPECT_THROW(count_items(c), programming_error) << "another engine has a database of its own";
    c.create_all<Item>();
    EXPECT_EQ(count_items(c), 0);
    EXPECT_EQ(count_items(a), 1);
}

// ---- lifetimes ----------------------------------------------------------------------------

TEST(Lifetimes, ConnectionTransactionAndStreamOutliveTheirEngine) {
    std::optional<sqlite_connection> db;
    std::optional<basic_transaction<sqlite>> tx;
    {
        auto engine = create_engine<sqlite>("sqlite://");
        db.emplace(engine.connect());
        db->create_all<Item>();
        db->insert_all(std::vector<Item>{{0, "a"}, {0, "b"}, {0, "c"}});
        tx.emplace(db->begin());
    }  // the engine is gone
    db->execute(insert(Item{0, "d"}));
    tx->commit();
    EXPECT_EQ(count_items(*db), 4);
    {
        std::optional<decltype(db->stream(select<Item>()))> rows;
        rows.emplace(db->stream(select<Item>().order_by(col<&Item::name>)));
        db.reset();  // the connection object is gone too; the stream holds the connection
        std::vector<std::string> names;
        for (const Item& item : *rows) {
            names.push_back(item.name);
        }
        EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d"}));
    }
}

TEST(Lifetimes, TransactionsOfConnectionsMovedInAGrowingVector) {
    auto engine = create_engine<sqlite>("sqlite://?pool_size=1&max_overflow=-1");
    engine.connect().create_all<Item>();
    std::vector<sqlite_connection> connections;
    std::vector<basic_transaction<sqlite>> transactions;
    for (int i = 0; i < 8; ++i) {  // both vectors reallocate, moving what they hold
        connections.push_back(engine.connect());
        transactions.push_back(connections.front().begin());  // nested: savepoints of the first
        connections.front().execute(insert(Item{0, "row " + std::to_string(i)}));
    }
    for (auto it = transactions.rbegin(); it != transactions.rend(); ++it) {
        it->commit();  // innermost savepoint first
    }
    EXPECT_FALSE(connections.front().in_transaction());
    EXPECT_EQ(count_items(connections.back()), 8);
    // Destroyed in any order: a transaction that outlives its connection object rolls back.
    std::optional<basic_transaction<sqlite>> open(connections.front().begin());
    connections.front().execute(insert(Item{0, "rolled back"}));
    connections.clear();
    open.reset();
    auto db = engine.connect();
    EXPECT_EQ(count_items(db), 8);
}

// ---- threads ------------------------------------------------------------------------------

// A connection used from a second thread while a statement runs on it is refused, at once: the
// first thread's statement blocks inside SQLite (in a function of the test's) until the second
// thread has tried.
TEST(Threads, OneConnectionFromTwoThreadsAtOnceIsAProgrammingError) {
    auto engine = create_engine<sqlite>("sqlite://");
    auto db = engine.connect();
    struct gate {
        std::mutex mutex;
        std::condition_variable changed;
        bool entered = false;
        bool tried = false;
    } g;
    sqlite3_create_function(
        db.native().native_handle(), "wait_for_other_thread", 0, SQLITE_UTF8, &g,
        [](sqlite3_context* context, int, sqlite3_value**) {
            auto* shared = static_cast<gate*>(sqlite3_user_data(context));
            std::unique_lock lock(shared->mutex);
            shared->entered = true;
            shared->changed.notify_all();
            shared->changed.wait(lock, [&] { return shared->tried; });
            sqlite3_result_int(context, 7);
        },
        nullptr, nullptr);
    std::int64_t answer = 0;
    std::thread first([&] {
        answer = std::get<0>(db.all<std::tuple<std::int64_t>>(text("SELECT wait_for_other_thread()")).at(0));
    });
    {
        std::unique_lock lock(g.mutex);
        g.changed.wait(lock, [&] { return g.entered; });
    }
    try {
        db.execute(text("SELECT 1"));
        ADD_FAILURE() << "the second thread's statement ran";
    } catch (const programming_error& e) {
        EXPECT_NE(std::string(e.what()).find("two threads"), std::string::npos) << e.what();
    }
    {
        std::lock_guard lock(g.mutex);
        g.tried = true;
    }
    g.changed.notify_all();
    first.join();
    EXPECT_EQ(answer, 7) << "the first thread's statement was not disturbed";
    EXPECT_EQ(db.execute(text("SELECT 1")), 1) << "and the connection is usable afterwards";
}

}  // namespace pool_test
