// What only the SQLite backend does: rowids, nested cursors, busy timeouts, SQLite's text timestamps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "crucible/backend/sqlite.hpp"

// The SQLite backend never needs libpqxx or libpq.
#if defined(PQXX_H_CONNECTION_BASE) || defined(LIBPQ_FE_H)
#error "crucible/backend/sqlite.hpp pulled in PostgreSQL headers"
#endif

namespace {

using crucible::backend::sqlite_connection;
using crucible::backend::sqlite_options;

TEST(backend_sqlite, reports_rowids_and_rows_affected) {
    sqlite_connection db(":memory:");
    db.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    EXPECT_EQ(db.execute("INSERT INTO t (name) VALUES (?)", "a"), 1);
    EXPECT_EQ(db.last_insert_id(), 1);
    db.execute("INSERT INTO t (name) VALUES (?)", "b");
    EXPECT_EQ(db.last_insert_id(), 2);
    EXPECT_EQ(db.execute("UPDATE t SET name = ?", "c"), 2);
    EXPECT_EQ(db.rows_affected(), 2);
    auto returned = db.query("INSERT INTO t (name) VALUES (?) RETURNING id", "d");
    ASSERT_TRUE(returned.next());
    EXPECT_EQ(returned.get<std::int64_t>(0), 3);
}

TEST(backend_sqlite, the_same_statement_can_be_stepped_twice_at_once) {
    sqlite_connection db(":memory:");
    db.execute_script("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);");
    // One named text: two equal literals need not share an address.
    static constexpr char at_least[] = "SELECT v FROM t WHERE v >= ?";
    int pairs = 0;
    {
        auto outer = db.query(at_least, 1);
        while (outer.next()) {
            auto inner = db.query(at_least, outer.get<int>(0));
            while (inner.next()) {
                ++pairs;
            }
        }
    }
    EXPECT_EQ(pairs, 3 + 2 + 1);
    const auto prepared = db.prepare_count();
    auto again = db.query(at_least, 3);  // the cached one is free again
    ASSERT_TRUE(again.next());
    EXPECT_EQ(db.prepare_count(), prepared);
}

TEST(backend_sqlite, a_cursor_keeps_copies_of_its_text_arguments) {
    sqlite_connection db(":memory:");
    db.execute_script(
        "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x'), ('yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy');");
    auto rows = db.query("SELECT v FROM t WHERE v = ?", std::string(33, 'y'));  // the temporary is gone
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<std::string>(0), std::string(33, 'y'));
}

TEST(backend_sqlite, stores_text_and_refuses_what_it_cannot_keep) {
    sqlite_connection db(":memory:");
    db.execute_script("CREATE TABLE t (v REAL, s TEXT)");
    EXPECT_THROW(db.execute("INSERT INTO t (v) VALUES (?)", std::nan("")), crucible::data_error);
    // NUL bytes are kept inside SQLite text.
    const std::string with_nul("a\0b\0", 4);
    db.execute("INSERT INTO t (s) VALUES (?)", with_nul);
    auto rows = db.query("SELECT s FROM t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<std::string>(0), with_nul);
}

TEST(backend_sqlite, timestamps_are_text_that_the_date_functions_read) {
    using namespace std::chrono;
    sqlite_connection db(":memory:");
    db.execute_script("CREATE TABLE t (at TIMESTAMP)");
    const sys_time<microseconds> at = sys_days{2024y / March / 5} + 6h + 7min + 8s + 9us;
    db.execute("INSERT INTO t (at) VALUES (?)", at);
    auto rows =
        db.query("SELECT typeof(at), at, datetime(at, '+1 day'), unixepoch(at), strftime('%f', at) FROM t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<std::string>(0), "text");
    EXPECT_EQ(rows.get<std::string>(1), "2024-03-05 06:07:08.000009");
    EXPECT_EQ(rows.get<std::string>(2), "2024-03-06 06:07:08");
    EXPECT_EQ(rows.get<std::int64_t>(3), duration_cast<seconds>(at.time_since_epoch()).count());
    EXPECT_EQ(rows.get<std::string>(4), "08.000");
    // SQLite's own spellings read back too.
    auto now =
        db.query("SELECT datetime('2024-03-05 06:07:08'), '2024-03-05T06:07:08.5Z', date('2024-03-05')");
    ASSERT_TRUE(now.next());
    EXPECT_EQ(now.get<sys_seconds>(0), sys_days{2024y / March / 5} + 6h + 7min + 8s);
    EXPECT_EQ(now.get<sys_time<milliseconds>>(1), sys_days{2024y / March / 5} + 6h + 7min + 8s + 500ms);
    EXPECT_EQ(now.get<sys_days>(2), sys_days{2024y / March / 5});
    EXPECT_THROW((void)now.get<sys_seconds>(1), crucible::data_error);  // .5 s does not fit in seconds
}

TEST(backend_sqlite, statement_shape_errors_are_programming_errors) {
    sqlite_connection db(":memory:");
    EXPECT_THROW(db.execute_text("SELECT 1; SELECT 2"), crucible::programming_error);
    EXPECT_THROW(db.execute("SELECT ?"), crucible::programming_error);        // too few parameters
    EXPECT_THROW(db.execute("SELECT ?", 1, 2), crucible::programming_error);  // too many
    EXPECT_THROW(db.execute_text(""), crucible::programming_error);
    db.execute_script("CREATE TABLE a (v INTEGER); CREATE TABLE b (v INTEGER);");
    EXPECT_EQ(db.execute("SELECT ?", 1), 1);  // one row returned
}

TEST(backend_sqlite, foreign_keys_are_enforced_and_strict_tables_raise_data_errors) {
    sqlite_connection db(":memory:");
    auto pragma = db.query("PRAGMA foreign_keys");
    ASSERT_TRUE(pragma.next());
    EXPECT_EQ(pragma.get<int>(0), 1);
    db.execute_script("CREATE TABLE s (v INTEGER) STRICT");
    EXPECT_THROW(db.execute("INSERT INTO s (v) VALUES (?)", "not a number"), crucible::data_error);
}

TEST(backend_sqlite, a_held_lock_ends_in_timeout_error) {
    const auto path =
        std::filesystem::temp_directory_path() / ("crucible_busy_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    {
        sqlite_options quick;
        quick.busy_timeout_ms = 50;
        sqlite_connection writer(path.string());
        sqlite_connection other(path.string(), quick);
        writer.execute_script("CREATE TABLE t (v INTEGER)");
        writer.begin_immediate();
        writer.execute("INSERT INTO t (v) VALUES (?)", 1);
        try {
            other.execute("INSERT INTO t (v) VALUES (?)", 2);
            ADD_FAILURE() << "no timeout";
        } catch (const crucible::timeout_error& e) {
            EXPECT_FALSE(e.driver_message().empty());
            EXPECT_NE(e.sql().find("INSERT"), std::string::npos);
        }
        writer.commit();
        EXPECT_EQ(other.execute("INSERT INTO t (v) VALUES (?)", 2), 1);  // usable afterwards
    }
    std::filesystem::remove(path);
}

TEST(backend_sqlite, opening_a_missing_database_read_only_is_an_operational_error) {
    sqlite_options options;
    options.read_only = true;
    EXPECT_THROW(sqlite_connection("/nonexistent/dir/x.db", options), crucible::operational_error);
}

}  // namespace
