// What only the PostgreSQL backend does: COPY, aborted transactions, timeouts, dropped connections,
// numeric results and the raw libpq handle under libpqxx.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <vector>

#include "crucible/backend/postgres.hpp"
#include "postgres_env.hpp"

// The PostgreSQL backend never needs SQLite or SQLiteCpp.
#if defined(SQLITE_VERSION) || defined(SQLITECPP_VERSION)
#error "crucible/backend/postgres.hpp pulled in SQLite headers"
#endif

namespace {

using crucible::backend::postgres_connection;
using namespace std::chrono_literals;

postgres_connection connect() { return postgres_connection(crucible::testing::postgres_conninfo()); }

TEST(backend_postgres, libpqxx_owns_the_connection_and_libpq_runs_the_statements) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    EXPECT_TRUE(db.is_open());
    EXPECT_TRUE(db.pqxx_connection().is_open());
    EXPECT_EQ(db.native_handle() != nullptr, true);
    EXPECT_EQ(PQbackendPID(db.native_handle()), db.pqxx_connection().backendpid());
    auto rows = db.query("SELECT pg_backend_pid()");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<int>(0), db.backend_pid());
}

TEST(backend_postgres, the_session_runs_in_utc) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    auto rows =
        db.query("SELECT current_setting('TimeZone'), '2024-01-01 12:00:00+02'::timestamptz::timestamp");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<std::string>(0), "UTC");
    using namespace std::chrono;
    EXPECT_EQ(rows.get<sys_seconds>(1), sys_days{2024y / January / 1} + 10h);
}

TEST(backend_postgres, text_cannot_hold_nul_bytes) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    EXPECT_THROW(db.execute("SELECT $1", std::string("a\0b", 3)), crucible::data_error);
    EXPECT_TRUE(db.ping());
}

TEST(backend_postgres, narrow_columns_check_the_range_on_the_server) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    db.execute_script("CREATE TEMP TABLE n (small SMALLINT, flag BOOLEAN)");
    EXPECT_EQ(db.execute("INSERT INTO n (small, flag) VALUES ($1, $2)", std::int8_t{-5}, true), 1);
    EXPECT_THROW(db.execute("INSERT INTO n (small, flag) VALUES ($1, $2)", 40000, false),
                 crucible::data_error);
    auto rows = db.query("SELECT small, flag FROM n WHERE small = $1", -5);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<std::int8_t>(0), -5);
    EXPECT_TRUE(rows.get<bool>(1));
}

TEST(backend_postgres, reads_numeric_and_other_server_types) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    auto rows = db.query(
        "SELECT SUM(v), AVG(v), COUNT(*), 12.50::numeric, -0.000123::numeric, 123456789012345678::numeric, "
        "'2024-01-02 03:04:05.678901+00'::timestamptz, '2024-01-02'::date, "
        "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 'x'::varchar, 'y'::char(3), '{\"k\": 1}'::jsonb, "
        "7::oid "
        "FROM (VALUES (1::bigint), (2), (4)) AS t (v)");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<std::int64_t>(0), 7);
    EXPECT_NEAR(rows.get<double>(1), 7.0 / 3.0, 1e-12);
    EXPECT_THROW((void)rows.get<std::int64_t>(1), crucible::data_error);
    EXPECT_EQ(rows.get<std::int64_t>(2), 3);
    EXPECT_EQ(rows.get<std::string>(3), "12.50");
    EXPECT_EQ(rows.get<double>(3), 12.5);
    EXPECT_THROW((void)rows.get<int>(3), crucible::data_error);
    EXPECT_EQ(rows.get<std::string>(4), "-0.000123");
    EXPECT_EQ(rows.get<std::int64_t>(5), 123456789012345678);
    using namespace std::chrono;
    EXPECT_EQ(rows.get<sys_time<microseconds>>(6), sys_days{2024y / January / 2} + 3h + 4min + 5s + 678901us);
    EXPECT_EQ(rows.get<sys_days>(7), sys_days{2024y / January / 2});
    EXPECT_EQ(rows.get<std::string>(8), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    EXPECT_EQ(rows.get<std::string>(9), "x");
    EXPECT_EQ(rows.get<std::string>(10), "y  ");
    EXPECT_EQ(rows.get<std::string>(11), "{\"k\": 1}");
    EXPECT_EQ(rows.get<std::uint32_t>(12), 7u);
}

TEST(backend_postgres, a_failed_statement_aborts_the_transaction_until_rollback) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    db.execute_script("CREATE TEMP TABLE t (id BIGINT PRIMARY KEY)");
    db.execute("INSERT INTO t (id) VALUES ($1)", 1);
    db.begin();
    EXPECT_THROW(db.execute("INSERT INTO t (id) VALUES ($1)", 1), crucible::integrity_error);
    EXPECT_TRUE(db.transaction_failed());
    EXPECT_THROW(db.execute("INSERT INTO t (id) VALUES ($1)", 2), crucible::programming_error);  // 25P02
    db.rollback();
    EXPECT_FALSE(db.in_transaction());
    // COMMIT of an aborted transaction rolls back: reported, not silent.
    db.begin();
    db.execute("INSERT INTO t (id) VALUES ($1)", 3);
    EXPECT_THROW(db.execute("INSERT INTO t (id) VALUES ($1)", 1), crucible::integrity_error);
    EXPECT_THROW(db.commit(), crucible::programming_error);
    EXPECT_FALSE(db.in_transaction());
    // Outside a transaction a failure leaves nothing behind.
    EXPECT_THROW(db.execute("INSERT INTO t (id) VALUES ($1)", 1), crucible::integrity_error);
    EXPECT_EQ(db.execute("INSERT INTO t (id) VALUES ($1)", 2), 1);
    auto rows = db.query("SELECT COUNT(*) FROM t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.get<int>(0), 2);
}

TEST(backend_postgres, a_cancelled_statement_is_a_timeout_error) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    db.set_statement_timeout(50ms);
    try {
        db.execute("SELECT pg_sleep(5)");
        ADD_FAILURE() << "no timeout";
    } catch (const crucible::timeout_error& e) {
        EXPECT_NE(e.sql().find("pg_sleep"), std::string::npos);
        EXPECT_FALSE(e.driver_message().empty());
    }
    db.set_statement_timeout(0ms);
    EXPECT_TRUE(db.ping());
}

TEST(backend_postgres, a_dropped_connection_is_detected) {
    CRUCIBLE_NEED_POSTGRES();
    auto victim = connect();
    auto killer = connect();
    EXPECT_TRUE(victim.ping());
    killer.execute("SELECT pg_terminate_backend($1)", victim.backend_pid());
    EXPECT_THROW(victim.execute("SELECT 1"), crucible::operational_error);
    EXPECT_FALSE(victim.ping());
    EXPECT_FALSE(victim.is_open());
    EXPECT_TRUE(killer.ping());
}

TEST(backend_postgres, connecting_to_nothing_is_an_operational_error) {
    EXPECT_THROW(postgres_connection("host=127.0.0.1 port=1 connect_timeout=2"), crucible::operational_error);
}

TEST(backend_postgres, copies_rows_in_bulk) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    db.execute_script(
        "CREATE TEMP TABLE \"copy target\" (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION, "
        "data BYTEA, at TIMESTAMP, ok BOOLEAN)");
    using namespace std::chrono;
    using row = std::tuple<std::int64_t, std::optional<std::string>, double, std::vector<std::byte>,
                           std::optional<sys_time<microseconds>>, bool>;
    const sys_time<microseconds> at = sys_days{2020y / May / 17} + 1us;
    std::vector<row> rows;
    rows.emplace_back(1, "tab\there, newline\n, backslash \\ and \\N", 0.1,
                      std::vector<std::byte>{std::byte{0}, std::byte{92}}, at, true);
    rows.emplace_back(2, std::nullopt, -1e308, std::vector<std::byte>{}, std::nullopt, false);
    for (std::int64_t i = 3; i <= 5000; ++i) {
        rows.emplace_back(i, "name " + std::to_string(i), static_cast<double>(i) / 7,
                          std::vector<std::byte>{}, at, i % 2 == 0);
    }
    EXPECT_EQ(db.copy_rows("\"copy target\"", "\"id\", \"name\", \"score\", \"data\", \"at\", \"ok\"", rows),
              5000);

    auto first =
        db.query("SELECT id, name, score, data, at, ok FROM \"copy target\" WHERE id <= $1 ORDER BY id", 2);
    ASSERT_TRUE(first.next());
    EXPECT_EQ(first.get<std::optional<std::string>>(1), std::get<1>(rows[0]));
    EXPECT_EQ(first.get<double>(2), 0.1);
    EXPECT_EQ(first.get<std::vector<std::byte>>(3), std::get<3>(rows[0]));
    EXPECT_EQ(first.get<sys_time<microseconds>>(4), at);
    EXPECT_TRUE(first.get<bool>(5));
    ASSERT_TRUE(first.next());
    EXPECT_EQ(first.get<std::optional<std::string>>(1), std::nullopt);
    EXPECT_EQ(first.get<double>(2), -1e308);
    EXPECT_EQ(first.get<std::optional<sys_time<microseconds>>>(4), std::nullopt);
    auto sum = db.query("SELECT SUM(score) FROM \"copy target\" WHERE id > 2");
    ASSERT_TRUE(sum.next());

    // Rows may be tuples of references, e.g. a view over structs.
    struct user {
        std::int64_t id;
        std::string name;
    };
    const std::vector<user> users{{10001, "ref one"}, {10002, "ref two"}};
    auto as_tuples = users | std::views::transform([](const user& u) { return std::tie(u.id, u.name); });
    EXPECT_EQ(db.copy_rows("\"copy target\"", "\"id\", \"name\"", as_tuples), 2);
    EXPECT_EQ(db.execute("DELETE FROM \"copy target\" WHERE id > $1", 10000), 2);

    // A failing COPY leaves the connection usable.
    std::vector<std::tuple<int, std::string>> duplicate{{1, "again"}};
    EXPECT_THROW(db.copy_rows("\"copy target\"", "\"id\", \"name\"", duplicate), crucible::integrity_error);
    std::vector<std::tuple<int, std::string>> nul{{9999, std::string("a\0b", 3)}};
    EXPECT_THROW(db.copy_rows("\"copy target\"", "\"id\", \"name\"", nul), crucible::data_error);
    auto count = db.query("SELECT COUNT(*) FROM \"copy target\"");
    ASSERT_TRUE(count.next());
    EXPECT_EQ(count.get<int>(0), 5000);
}

TEST(backend_postgres, statements_are_reprepared_for_new_parameter_types_and_evictions_deallocated) {
    CRUCIBLE_NEED_POSTGRES();
    crucible::backend::postgres_options options;
    options.text_cache_capacity = 3;
    postgres_connection db(crucible::testing::postgres_conninfo(), options);
    auto as_text = [&](auto value) {
        auto rows = db.query("SELECT $1::text", value);
        EXPECT_TRUE(rows.next());
        return rows.template get<std::string>(0);
    };
    EXPECT_EQ(as_text(42L), "42");
    EXPECT_EQ(as_text(43LL), "43");  // long and long long: the same OIDs, no new statement
    EXPECT_EQ(db.prepare_count(), 1u);
    EXPECT_EQ(as_text(std::string("s")), "s");
    EXPECT_EQ(as_text(1.5), "1.5");
    EXPECT_EQ(as_text(7), "7");  // int is an int4 parameter
    EXPECT_EQ(db.prepare_count(), 4u);
    for (int i = 0; i < 20; ++i) {
        db.execute_text("SELECT " + std::to_string(i));
    }
    auto prepared = db.query("SELECT COUNT(*) FROM pg_prepared_statements");
    ASSERT_TRUE(prepared.next());
    EXPECT_EQ(prepared.get<int>(0), 1 + 3 + 1);  // re-prepared and evicted ones are gone
}

// ---- streaming (single-row mode) ------------------------------------------------------------

constexpr auto no_parameters = [](auto&) {};

TEST(backend_postgres, a_stream_holds_one_row_at_a_time) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    auto rows = db.stream_text_bound("SELECT x, repeat('v', 100) FROM generate_series(1, $1) AS s (x)",
                                     [](auto& sink) { sink(200000); });
    std::int64_t count = 0;
    bool one_row_each = true;
    bool values_match = true;
    while (rows.next()) {
        ++count;
        one_row_each = one_row_each && PQntuples(rows.native_handle()) == 1;
        values_match =
            values_match && rows.get<std::int64_t>(0) == count && rows.get<std::string>(1).size() == 100;
    }
    EXPECT_EQ(count, 200000);
    EXPECT_TRUE(one_row_each) << "each row arrives in its own one-row result, never the whole result";
    EXPECT_TRUE(values_match);
    EXPECT_EQ(PQntuples(rows.native_handle()), 0) << "the final result carries no rows";
    EXPECT_FALSE(rows.is_open());

    // The whole-result cursor, for contrast, holds every row at once.
    auto whole = db.query_text("SELECT x FROM generate_series(1, 1000) AS s (x)");
    EXPECT_EQ(PQntuples(whole.native_handle()), 1000);
}

TEST(backend_postgres, another_statement_while_a_stream_is_open_is_a_programming_error) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    db.execute_script("CREATE TEMP TABLE t (id INTEGER)");
    auto rows = db.stream_text_bound("SELECT x FROM generate_series(1, 1000) AS s (x)", no_parameters);
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(rows.is_open());
    EXPECT_THROW(db.query("SELECT 1"), crucible::programming_error);
    EXPECT_THROW(db.query_text("SELECT 2"), crucible::programming_error);  // not prepared yet
    EXPECT_THROW(db.execute("INSERT INTO t VALUES ($1)", 1), crucible::programming_error);
    EXPECT_THROW(db.execute_script("SELECT 1"), crucible::programming_error);
    EXPECT_THROW(db.begin(), crucible::programming_error);
    EXPECT_THROW(db.stream_text_bound("SELECT 3", no_parameters), crucible::programming_error);
    EXPECT_THROW(db.copy_rows("t", "id", std::vector<std::tuple<int>>{{1}}), crucible::programming_error);
    try {
        db.query("SELECT 4");
    } catch (const crucible::programming_error& e) {
        EXPECT_NE(std::string(e.what()).find("stream"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(db.ping());
    int rest = 1;
    while (rows.next()) {
        ++rest;
        EXPECT_EQ(rows.get<int>(0), rest) << "the refused statements did not disturb the stream";
    }
    EXPECT_EQ(rest, 1000);
    EXPECT_EQ(db.prepare_count(), 1u) << "nothing was prepared while the stream was open";
    EXPECT_EQ(db.execute("INSERT INTO t VALUES ($1)", 1), 1);
}

TEST(backend_postgres, a_server_error_mid_stream_keeps_its_sqlstate_kind) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = connect();
    db.begin();
    int seen = 0;
    try {
        auto rows = db.stream_text_bound("SELECT 1 / (5000 - x) FROM generate_series(1, 10000) AS s (x)",
                                         no_parameters);
        while (rows.next()) {
            ++seen;
        }
        FAIL() << "division by zero must fail the stream";
    } catch (const crucible::data_error& e) {
        EXPECT_NE(std::string(e.what()).find("22012"), std::string::npos) << e.what();
        EXPECT_NE(e.sql().find("generate_series"), std::string::npos);
    }
    EXPECT_EQ(seen, 4999);
    EXPECT_TRUE(db.transaction_failed()) << "as with any failed statement in a transaction";
    db.rollback();
    auto rows = db.query("SELECT 1");
    EXPECT_TRUE(rows.next());

    // A statement that fails outright throws when the stream starts, as query would.
    EXPECT_THROW(db.stream_text_bound("SELECT * FROM no_such_table", no_parameters),
                 crucible::programming_error);
    EXPECT_THROW(db.stream_text_bound("SELECT 1 / 0", no_parameters), crucible::data_error);
    EXPECT_TRUE(db.ping());
}

TEST(backend_postgres, a_stream_that_outlives_its_connection_fails_cleanly) {
    CRUCIBLE_NEED_POSTGRES();
    auto db = std::make_unique<postgres_connection>(crucible::testing::postgres_conninfo());
    auto rows = db->stream_text_bound("SELECT x FROM generate_series(1, 100) AS s (x)", no_parameters);
    ASSERT_TRUE(rows.next());
    db.reset();
    EXPECT_THROW(rows.next(), crucible::operational_error);
}

}  // namespace
