// Faults against the real PostgreSQL server of pg_virtualenv: idle pooled connections killed with
// pg_terminate_backend, a backend killed mid-transaction, the server restarted (pg_ctlcluster) while
// connections are idle and while one is checked out. Each test counts the statements that fail
// (at most one per engine without pre-ping, none with it), checks that they are operational_error,
// that nothing half-committed remains, and that the engine then works. The suite restarts the
// server, so meson runs it alone.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "postgres_env.hpp"
#include "test_engines.hpp"

namespace fault_test {

struct Ledger {
    std::int64_t id;
    std::string entry;
};
constexpr auto crucible_table(crucible::table_tag<Ledger>) {
    return crucible::table_options{crucible::table_name("fault_ledger")};
}

using namespace crucible;
using crucible::select;
using pg = backend::postgres_connection;
using namespace std::chrono_literals;

std::string url(const std::string& options) {
    const std::string base = crucible::testing::postgres_url();
    return base + (base.find('?') == std::string::npos ? "?" : "&") + options;
}

// A connection outside every pool, for the test's own work on the server.
pg admin() { return pg(crucible::testing::postgres_conninfo()); }

std::int64_t scalar(pg& c, const char* sql) {
    auto cursor = c.query_text(sql);
    cursor.next();
    return cursor.get<std::int64_t>(0);
}

// Terminates every other backend of this database (the pooled connections), and waits until
// they are gone.
void terminate_others() {
    auto c = admin();
    c.execute_text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
    for (int i = 0; i < 100 && scalar(c,
                                      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                      "AND pid <> pg_backend_pid() AND backend_type = 'client backend'") > 0;
         ++i) {
        std::this_thread::sleep_for(20ms);
    }
}

// Restarts the pg_virtualenv cluster and waits until it accepts connections again.
void restart_server() {
    const char* version = std::getenv("PGVERSION");
    const std::string command =
        std::string("pg_ctlcluster ") + (version ? version : "15") + " regress restart -m fast >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    for (int i = 0; i < 200; ++i) {
        try {
            admin();
            return;
        } catch (const operational_error&) {
            std::this_thread::sleep_for(50ms);
        }
    }
    FAIL() << "the server did not come back";
}

bool can_restart() { return std::getenv("PG_CLUSTER_CONF_ROOT") != nullptr; }

#define NEED_RESTARTABLE_SERVER()                                                                      \
    do {                                                                                               \
        CRUCIBLE_NEED_POSTGRES();                                                                      \
        if (!can_restart()) {                                                                          \
            if (crucible::testing::postgres_required()) {                                              \
                FAIL() << "the server is not pg_virtualenv's: cannot restart it";                      \
            }                                                                                          \
            GTEST_SKIP() << "restart tests need pg_virtualenv's cluster";                              \
        }                                                                                              \
    } while (false)

class Faults : public ::testing::Test {
protected:
    void SetUp() override {
        CRUCIBLE_NEED_POSTGRES();
        auto engine = create_engine<pg>(url("pool_size=1"));
        auto db = engine.connect();
        db.drop_all<Ledger>();
        db.create_all<Ledger>();
    }

    // Runs `n` statements, each on a connection checked out for it; counts and checks the failures.
    template <class Engine>
    static int failing_statements(Engine& engine, int n) {
        int failures = 0;
        for (int i = 0; i < n; ++i) {
            try {
                auto db = engine.connect();
                db.execute(insert(Ledger{0, "after " + std::to_string(i)}));
            } catch (const operational_error&) {
                ++failures;
            }
        }
        return failures;
    }

    // Fills the pool with `n` idle connections.
    template <class Engine>
    static void fill(Engine& engine, int n) {
        std::vector<postgres_connection> held;
        for (int i = 0; i < n; ++i) {
            held.push_back(engine.connect());
            held.back().execute(text("SELECT 1"));
        }
    }

    static std::int64_t rows() {
        auto c = admin();
        return scalar(c, "SELECT count(*) FROM fault_ledger");
    }
};

TEST_F(Faults, IdleConnectionsKilledWithoutPrePingOneStatementFails) {
    auto engine = create_engine<pg>(url("pool_size=4"));
    fill(engine, 4);
    terminate_others();
    EXPECT_EQ(failing_statements(engine, 10), 1) << "the first finds its link gone and invalidates the pool";
    EXPECT_EQ(engine.status().invalidations, 1u);
    EXPECT_EQ(rows(), 9);
}

TEST_F(Faults, IdleConnectionsKilledWithPrePingNoStatementFails) {
    auto engine = create_engine<pg>(url("pool_size=4&pool_pre_ping=true"));
    fill(engine, 4);
    terminate_others();
    EXPECT_EQ(failing_statements(engine, 10), 0);
    EXPECT_GE(engine.status().invalidations, 1u);
    EXPECT_EQ(rows(), 10);
}

TEST_F(Faults, BackendKilledMidTransactionCommitsNothing) {
    auto engine = create_engine<pg>(url("pool_size=2"));
    auto db = engine.connect();
    {
        auto tx = db.begin();
        db.execute(insert(Ledger{0, "half"}));
        auto killer = admin();
        killer.execute_text("SELECT pg_terminate_backend(" + std::to_string(db.native().backend_pid()) + ")");
        EXPECT_THROW(db.execute(insert(Ledger{0, "other half"})), operational_error);
        EXPECT_THROW(db.execute(text("SELECT 1")), operational_error)
            << "inside the lost transaction, statements fail until it is rolled back";
        EXPECT_THROW(tx.commit(), operational_error) << "nothing of it was committed";
    }
    EXPECT_EQ(rows(), 0);
    db.execute(insert(Ledger{0, "after"}));  // the same connection object, on a new connection
    EXPECT_EQ(rows(), 1);
    EXPECT_EQ(failing_statements(engine, 5), 0);
}

TEST_F(Faults, LostInAutobeginModeRollbackAcknowledges) {
    auto engine = create_engine<pg>(url("pool_size=2"));
    auto db = engine.connect();
    db.set_autobegin(true);
    db.execute(insert(Ledger{0, "pending"}));
    auto killer = admin();
    killer.execute_text("SELECT pg_terminate_backend(" + std::to_string(db.native().backend_pid()) + ")");
    EXPECT_THROW(db.execute(insert(Ledger{0, "lost"})), operational_error);
    EXPECT_THROW(db.commit(), operational_error);
    db.rollback();
    db.execute(insert(Ledger{0, "new transaction"}));
    db.commit();
    EXPECT_EQ(rows(), 1);
}

TEST_F(Faults, ServerRestartedWhileIdleWithoutPrePingOneStatementFails) {
    NEED_RESTARTABLE_SERVER();
    auto engine = create_engine<pg>(url("pool_size=4"));
    fill(engine, 4);
    restart_server();
    EXPECT_EQ(failing_statements(engine, 10), 1);
    EXPECT_EQ(rows(), 9);
}

TEST_F(Faults, ServerRestartedWhileIdleWithPrePingNoStatementFails) {
    NEED_RESTARTABLE_SERVER();
    auto engine = create_engine<pg>(url("pool_size=4&pool_pre_ping=true"));
    fill(engine, 4);
    restart_server();
    EXPECT_EQ(failing_statements(engine, 10), 0);
    EXPECT_EQ(rows(), 10);
}

TEST_F(Faults, ServerRestartedWhileOneIsCheckedOut) {
    NEED_RESTARTABLE_SERVER();
    for (const bool pre_ping : {false, true}) {
        auto engine = create_engine<pg>(url(std::string("pool_size=4&pool_pre_ping=") + (pre_ping ? "true" : "false")));
        fill(engine, 3);
        auto held = engine.connect();
        held.execute(text("SELECT 1"));
        restart_server();
        int failures = 0;
        try {
            held.execute(insert(Ledger{0, "held"}));
        } catch (const operational_error&) {
            ++failures;
        }
        failures += failing_statements(engine, 5);
        held.execute(insert(Ledger{0, "held again"}));  // renewed
        EXPECT_EQ(failures, 1) << "only the statement on the connection held across the restart fails"
                               << (pre_ping ? " (pre-ping)" : "");
        auto check = admin();
        check.execute_text("DELETE FROM fault_ledger");
    }
}

TEST_F(Faults, ServerRestartedInsideATransactionCommitsNothing) {
    NEED_RESTARTABLE_SERVER();
    auto engine = create_engine<pg>(url("pool_size=2"));
    auto db = engine.connect();
    auto tx = db.begin();
    db.execute(insert(Ledger{0, "before restart"}));
    restart_server();
    EXPECT_THROW(db.execute(insert(Ledger{0, "after restart"})), operational_error);
    EXPECT_THROW(tx.commit(), operational_error);
    EXPECT_EQ(rows(), 0);
    EXPECT_EQ(failing_statements(engine, 3), 0);
    EXPECT_EQ(rows(), 3);
}

}  // namespace fault_test
