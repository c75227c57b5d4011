// The behaviour both backends share, as typed tests: value round trips, error kinds, transactions,
// savepoints and the statement caches.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

#include "crucible/backend/connection.hpp"
#include "crucible/backend/postgres.hpp"
#include "crucible/backend/sqlite.hpp"
#include "postgres_env.hpp"

namespace {

using namespace std::chrono_literals;
using crucible::backend::kind_of;
using crucible::backend::non_null_t;
using crucible::backend::value_kind;

static_assert(crucible::backend::connection<crucible::backend::sqlite_connection>);
static_assert(crucible::backend::connection<crucible::backend::postgres_connection>);

enum class color : std::int16_t { red = 1, green = 2, blue = -7 };
enum plain_enum { plain };
struct not_a_value {};

// The classification is the schema layer's; the backends only coarsen it to a storage kind.
static_assert(kind_of<std::uint8_t> == value_kind::integer && kind_of<color> == value_kind::integer &&
              kind_of<std::optional<float>> == value_kind::real && kind_of<bool> == value_kind::boolean &&
              kind_of<std::vector<std::byte>> == value_kind::blob &&
              kind_of<std::chrono::sys_days> == value_kind::timestamp &&
              !crucible::backend::value_type<plain_enum> && !crucible::backend::value_type<char>);
static_assert(crucible::backend::bindable<std::string_view> && crucible::backend::bindable<const char*> &&
              crucible::backend::bindable<std::nullopt_t> && !crucible::backend::bindable<not_a_value>);

struct sqlite_backend {
    using connection = crucible::backend::sqlite_connection;
    static constexpr bool needs_server = false;
    static std::unique_ptr<connection> open(std::size_t text_capacity = 64) {
        crucible::backend::sqlite_options options;
        options.text_cache_capacity = text_capacity;
        return std::make_unique<connection>(":memory:", options);
    }
    static std::string param(int) { return "?"; }
    // The column types the SQLite dialect declares.
    template <class T>
    static std::string type_for() {
        switch (kind_of<T>) {
            case value_kind::boolean:
                return "BOOLEAN";
            case value_kind::integer:
                return "INTEGER";
            case value_kind::real:
                return "";  // as the dialect declares it: REAL affinity would turn -0.0 into 0
            case value_kind::text:
                return "TEXT";
            case value_kind::blob:
                return "BLOB";
            case value_kind::timestamp:
                return "TIMESTAMP";
        }
        return "";
    }
    static constexpr crucible::backend::static_sql select_param{"SELECT ?"};
    static constexpr crucible::backend::static_sql insert_item{"INSERT INTO item (id, name) VALUES (?, ?)"};
    // Rows 1..49, then a run-time error on the 50th row (abs of the smallest integer overflows).
    static constexpr const char* fails_on_row_50 =
        "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 100) "
        "SELECT CASE WHEN x < 50 THEN x ELSE abs(x - 9223372036854775807 - 51) END FROM s";
};

struct postgres_backend {
    using connection = crucible::backend::postgres_connection;
    static constexpr bool needs_server = true;
    static std::unique_ptr<connection> open(std::size_t text_capacity = 64) {
        crucible::backend::postgres_options options;
        options.text_cache_capacity = text_capacity;
        return std::make_unique<connection>(crucible::testing::postgres_conninfo(), options);
    }
    static std::string param(int index) { return "$" + std::to_string(index); }
    // The column types the PostgreSQL dialect declares: narrow integers get narrow columns.
    template <class T>
    static std::string type_for() {
        switch (kind_of<T>) {
            case value_kind::boolean:
                return "BOOLEAN";
            case value_kind::integer: {
                using integer = std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>,
                                                   std::type_identity<T>>::type;
                constexpr auto bits = sizeof(integer) * 8 + (std::is_unsigned_v<integer> ? 1 : 0);
                return bits <= 16 ? "SMALLINT" : bits <= 32 ? "INTEGER" : "BIGINT";
            }
            case value_kind::real:
                return std::is_same_v<T, float> ? "REAL" : "DOUBLE PRECISION";
            case value_kind::text:
                return "TEXT";
            case value_kind::blob:
                return "BYTEA";
            case value_kind::timestamp:
                return "TIMESTAMP";
        }
        return "";
    }
    static constexpr crucible::backend::static_sql select_param{"SELECT $1"};
    static constexpr crucible::backend::static_sql insert_item{"INSERT INTO item (id, name) VALUES ($1, $2)"};
    // Rows 1..49, then division by zero on the 50th row.
    static constexpr const char* fails_on_row_50 =
        "SELECT x + 0 * (1 / (50 - x)) FROM generate_series(1, 100) AS s (x)";
};

template <class Backend>
class backend_test : public ::testing::Test {
protected:
    void SetUp() override {
        if constexpr (Backend::needs_server) {
            CRUCIBLE_NEED_POSTGRES();
        }
        db = Backend::open();
    }

    // Stores `value` in a fresh temporary table whose column fits T, reads it back as T.
    template <class T>
    T round_trip(const T& value) {
        const std::string table = "rt" + std::to_string(++tables);
        using base = non_null_t<T>;
        db->execute_script("CREATE TEMP TABLE " + table + " (v " + Backend::template type_for<base>() + ")");
        EXPECT_EQ(db->execute_text("INSERT INTO " + table + " (v) VALUES (" + Backend::param(1) + ")", value),
                  1);
        auto rows = db->query_text("SELECT v FROM " + table);
        EXPECT_TRUE(rows.next());
        T out = rows.template get<T>(0, {table, "v"});
        EXPECT_FALSE(rows.next());
        return out;
    }

    template <class T>
    void expect_round_trip(const T& value) {
        EXPECT_EQ(round_trip(value), value);
    }

    std::int64_t count(const std::string& table) {
        auto rows = db->query_text("SELECT COUNT(*) FROM " + table);
        EXPECT_TRUE(rows.next());
        return rows.template get<std::int64_t>(0);
    }

    void make_item_table() {
        db->execute_script("CREATE TEMP TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
    }

    std::unique_ptr<typename Backend::connection> db;
    int tables = 0;
};

using backends = ::testing::Types<sqlite_backend, postgres_backend>;
class backend_names {
public:
    template <class T>
    static std::string GetName(int) {
        return std::is_same_v<T, sqlite_backend> ? "sqlite" : "postgres";
    }
};
TYPED_TEST_SUITE(backend_test, backends, backend_names);

// ---- round trips ----------------------------------------------------------------------------

TYPED_TEST(backend_test, round_trips_booleans_and_integers) {
    this->expect_round_trip(true);
    this->expect_round_trip(false);
    this->expect_round_trip(std::numeric_limits<std::int8_t>::min());
    this->expect_round_trip(std::numeric_limits<std::int8_t>::max());
    this->expect_round_trip(std::numeric_limits<std::int16_t>::min());
    this->expect_round_trip(std::numeric_limits<std::int32_t>::max());
    this->expect_round_trip(std::numeric_limits<std::int64_t>::min());
    this->expect_round_trip(std::numeric_limits<std::int64_t>::max());
    this->expect_round_trip(std::numeric_limits<std::uint8_t>::max());
    this->expect_round_trip(std::numeric_limits<std::uint16_t>::max());
    this->expect_round_trip(std::numeric_limits<std::uint32_t>::max());
    this->expect_round_trip(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    this->expect_round_trip(std::uint64_t{0});
    this->expect_round_trip(color::blue);
    this->expect_round_trip(color::green);
}

TYPED_TEST(backend_test, round_trips_floating_point_bit_exact) {
    for (double value :
         {0.1, 1e308, -1e308, 4.9e-324, 2.2250738585072014e-308, 1.0 / 3.0, 123456789.123456789,
          std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        const double out = this->round_trip(value);
        EXPECT_EQ(std::memcmp(&out, &value, sizeof value), 0) << value;
    }
    // The bind and read paths keep the sign of zero...
    auto zero = this->db->query(TypeParam::select_param, -0.0);
    ASSERT_TRUE(zero.next());
    EXPECT_TRUE(std::signbit(zero.template get<double>(0)));
    // ...and so does a column declared as the dialect declares it.
    const double negative_zero = this->round_trip(-0.0);
    EXPECT_EQ(negative_zero, 0.0);
    EXPECT_TRUE(std::signbit(negative_zero));
    EXPECT_TRUE(std::signbit(this->round_trip(-0.0f)));
    EXPECT_EQ(this->round_trip(1.5f), 1.5f);
    EXPECT_EQ(this->round_trip(0.1f), 0.1f);
    EXPECT_EQ(this->round_trip(std::numeric_limits<float>::max()), std::numeric_limits<float>::max());
}

TYPED_TEST(backend_test, round_trips_text) {
    this->expect_round_trip(std::string());
    this->expect_round_trip(std::string("it's; DROP TABLE rt1; -- \"quoted\" 'single' \\ backslash"));
    this->expect_round_trip(std::string("tab\tnew\nline\r\n"));
    this->expect_round_trip(
        std::string("h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\x89"));
    this->expect_round_trip(std::string(100000, 'x'));
    // string_view and const char* bind as text.
    const std::string table = "txt";
    this->db->execute_script("CREATE TEMP TABLE txt (v TEXT)");
    this->db->execute_text("INSERT INTO txt (v) VALUES (" + TypeParam::param(1) + ")",
                           std::string_view("view"));
    this->db->execute_text("INSERT INTO txt (v) VALUES (" + TypeParam::param(1) + ")", "pointer");
    auto rows = this->db->query_text("SELECT v FROM txt ORDER BY v DESC");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<std::string>(0), "view");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<std::string>(0), "pointer");
}

TYPED_TEST(backend_test, round_trips_blobs_with_zero_bytes) {
    this->expect_round_trip(std::vector<std::byte>{std::byte{0}, std::byte{1}, std::byte{0}, std::byte{255}});
    this->expect_round_trip(std::vector<std::byte>{});
    this->expect_round_trip(std::vector<unsigned char>{0, 0, 0, 10, 13, 92, 39, 34, 0});
    std::vector<unsigned char> every_byte(256);
    for (int i = 0; i < 256; ++i) {
        every_byte[static_cast<std::size_t>(i)] = static_cast<unsigned char>(i);
    }
    this->expect_round_trip(every_byte);
    using optional_blob = std::optional<std::vector<std::byte>>;
    const auto empty = this->round_trip(optional_blob(std::vector<std::byte>()));
    ASSERT_TRUE(empty.has_value()) << "an empty blob is not NULL";
    EXPECT_TRUE(empty->empty());
}

TYPED_TEST(backend_test, round_trips_timestamps_with_microseconds) {
    using namespace std::chrono;
    const sys_time<microseconds> with_micros = sys_days{2024y / February / 29} + 23h + 59min + 58s + 123456us;
    this->expect_round_trip(with_micros);
    this->expect_round_trip(sys_time<microseconds>{});  // the Unix epoch
    this->expect_round_trip(sys_time<microseconds>{sys_days{1900y / January / 1} + 1us});
    this->expect_round_trip(sys_time<microseconds>{sys_days{9999y / December / 31} + 86399999999us});
    this->expect_round_trip(sys_seconds{sys_days{2001y / September / 9} + 1h + 46min + 40s});
    this->expect_round_trip(sys_days{1969y / July / 20});
    // Storage keeps microseconds: a nanosecond time point holding whole microseconds round-trips;
    // one finer than that is refused (values_test.cpp has the rest of the rule).
    const sys_time<nanoseconds> whole_micros = with_micros;
    EXPECT_EQ(this->round_trip(whole_micros), whole_micros);
    EXPECT_THROW((void)this->round_trip(with_micros + 789ns), crucible::data_error);
}

TYPED_TEST(backend_test, round_trips_nulls) {
    using namespace std::chrono;
    EXPECT_EQ(this->round_trip(std::optional<std::int64_t>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<std::int64_t>{0}), 0);
    EXPECT_EQ(this->round_trip(std::optional<bool>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<double>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<std::string>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<std::string>{""}), std::string());
    EXPECT_EQ(this->round_trip(std::optional<std::vector<std::byte>>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<sys_time<microseconds>>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<color>{}), std::nullopt);
    EXPECT_EQ(this->round_trip(std::optional<color>{color::red}), color::red);
    // std::nullopt binds NULL of no particular type.
    this->db->execute_script("CREATE TEMP TABLE n (v BIGINT)");
    this->db->execute_text("INSERT INTO n (v) VALUES (" + TypeParam::param(1) + ")", std::nullopt);
    auto rows = this->db->query_text("SELECT v FROM n");
    ASSERT_TRUE(rows.next());
    EXPECT_TRUE(rows.is_null(0));
}

TYPED_TEST(backend_test, reads_columns_by_index_with_names) {
    auto rows = this->db->query_text("SELECT 1 AS one, 'two' AS two, NULL AS three");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.column_count(), 3);
    EXPECT_EQ(rows.column_name(1), "two");
    EXPECT_EQ(rows.template get<int>(0), 1);
    EXPECT_EQ(rows.template get<std::string>(1), "two");
    EXPECT_TRUE(rows.is_null(2));
    EXPECT_FALSE(rows.next());
}

TYPED_TEST(backend_test, binds_through_a_binder_with_a_run_time_count) {
    auto& db = *this->db;
    this->make_item_table();
    // execute_bound's values live until it returns (SQLite binds them in place); query_bound
    // copies them, since its cursor may outlive them.
    auto insert = [&](std::int64_t id, std::string name) {
        return db.execute_bound(TypeParam::insert_item, [&](auto& sink) {
            sink(id);
            sink(name);
        });
    };
    EXPECT_EQ(insert(1, std::string(40, 'a')), 1);
    EXPECT_EQ(insert(2, std::string(40, 'b')), 1);
    const auto prepared = db.prepare_count();
    EXPECT_EQ(insert(3, "c"), 1);
    EXPECT_EQ(db.prepare_count(), prepared);

    // An IN list of run-time length goes through the text path.
    const std::vector<std::int64_t> ids{1, 3};
    std::string sql = "SELECT name FROM item WHERE id IN (";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        sql += (i ? ", " : "") + TypeParam::param(static_cast<int>(i) + 1);
    }
    sql += ") ORDER BY id";
    auto rows = db.query_text_bound(sql, [&](auto& sink) {
        for (auto id : ids) {
            sink(id);
        }
    });
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<std::string>(0), std::string(40, 'a'));
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<std::string>(0), "c");
    EXPECT_FALSE(rows.next());

    auto one =
        db.query_bound(TypeParam::select_param, [](auto& sink) { sink(std::optional<std::string>{"z"}); });
    ASSERT_TRUE(one.next());
    EXPECT_EQ(one.template get<std::string>(0), "z");
    EXPECT_EQ(db.execute_text_bound("DELETE FROM item WHERE id = " + TypeParam::param(1),
                                    [](auto& sink) { sink(2); }),
              1);
    // Too few values is a programming error, not a silent NULL.
    EXPECT_THROW(db.execute_bound(TypeParam::insert_item, [](auto& sink) { sink(9); }),
                 crucible::programming_error);
    EXPECT_EQ(this->count("item"), 2);
}

// ---- errors ---------------------------------------------------------------------------------

template <class Error, class Backend, class Body>
void expect_error(Backend& db, Body body, std::string_view sql_part) {
    try {
        body(db);
        ADD_FAILURE() << "no exception; expected " << typeid(Error).name();
    } catch (const Error& e) {
        EXPECT_NE(std::string_view(e.sql()).find(sql_part), std::string_view::npos)
            << "sql() = " << e.sql() << "; what() = " << e.what();
        EXPECT_FALSE(e.driver_message().empty()) << e.what();
    } catch (const crucible::error& e) {
        ADD_FAILURE() << "wrong kind: " << typeid(e).name() << ": " << e.what();
    }
}

TYPED_TEST(backend_test, constraint_violations_are_integrity_errors_and_leave_the_connection_usable) {
    auto& db = *this->db;
    db.execute_script(
        "CREATE TEMP TABLE parent (id BIGINT PRIMARY KEY, code TEXT UNIQUE, "
        "qty BIGINT NOT NULL CHECK (qty > 0))");
    db.execute_script(
        "CREATE TEMP TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES parent (id))");
    const std::string p1 = TypeParam::param(1), p2 = TypeParam::param(2), p3 = TypeParam::param(3);
    const std::string insert_parent =
        "INSERT INTO parent (id, code, qty) VALUES (" + p1 + ", " + p2 + ", " + p3 + ")";
    const std::string insert_child = "INSERT INTO child (id, parent_id) VALUES (" + p1 + ", " + p2 + ")";
    db.execute_text(insert_parent, 1, "a", 5);  // committed (autocommit)

    using crucible::integrity_error;
    expect_error<integrity_error>(
        db, [&](auto& c) { c.execute_text(insert_parent, 1, "b", 5); }, "INSERT INTO parent");
    expect_error<integrity_error>(
        db, [&](auto& c) { c.execute_text(insert_parent, 2, "a", 5); }, "INSERT INTO parent");
    expect_error<integrity_error>(
        db, [&](auto& c) { c.execute_text(insert_parent, 3, "c", std::optional<int>{}); },
        "INSERT INTO parent");
    expect_error<integrity_error>(
        db, [&](auto& c) { c.execute_text(insert_parent, 4, "d", -1); }, "INSERT INTO parent");
    expect_error<integrity_error>(
        db, [&](auto& c) { c.execute_text(insert_child, 1, 99); }, "INSERT INTO child");

    EXPECT_EQ(db.execute_text(insert_child, 1, 1), 1);
    EXPECT_EQ(this->count("parent"), 1);
    EXPECT_EQ(this->count("child"), 1);
    EXPECT_FALSE(db.in_transaction());
}

TYPED_TEST(backend_test, bad_sql_and_missing_tables_are_programming_errors) {
    auto& db = *this->db;
    using crucible::programming_error;
    expect_error<programming_error>(
        db, [](auto& c) { c.execute_text("SELEC 1"); }, "SELEC 1");
    expect_error<programming_error>(
        db, [](auto& c) { c.query_text("SELECT * FROM no_such_table"); }, "no_such_table");
    expect_error<programming_error>(
        db, [](auto& c) { c.execute_script("DROP TABLE no_such_table"); }, "no_such_table");
    EXPECT_TRUE(db.ping());
    auto rows = db.query(TypeParam::select_param, 7);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<int>(0), 7);
}

TYPED_TEST(backend_test, values_that_do_not_fit_are_data_errors_naming_the_column) {
    auto& db = *this->db;
    db.execute_script("CREATE TEMP TABLE d (big BIGINT, txt TEXT, absent BIGINT)");
    db.execute_text("INSERT INTO d (big, txt, absent) VALUES (" + TypeParam::param(1) + ", " +
                        TypeParam::param(2) + ", NULL)",
                    300, "abc");
    auto rows = db.query_text("SELECT big, txt, absent FROM d");
    ASSERT_TRUE(rows.next());
    auto expect_data_error = [&](auto read, std::string_view column) {
        try {
            read();
            ADD_FAILURE() << "no data_error for " << column;
        } catch (const crucible::data_error& e) {
            EXPECT_NE(std::string_view(e.what()).find(column), std::string_view::npos) << e.what();
            EXPECT_NE(e.sql().find("SELECT big"), std::string::npos) << e.sql();
        }
    };
    expect_data_error([&] { (void)rows.template get<std::int8_t>(0, {"d", "big"}); }, "d.big");
    expect_data_error([&] { (void)rows.template get<std::uint8_t>(0); }, "big");
    expect_data_error([&] { (void)rows.template get<bool>(0); }, "big");
    expect_data_error([&] { (void)rows.template get<std::int64_t>(1, {"d", "txt"}); }, "d.txt");
    expect_data_error([&] { (void)rows.template get<double>(1); }, "txt");
    expect_data_error([&] { (void)rows.template get<std::int64_t>(2, {"d", "absent"}); }, "d.absent");
    expect_data_error([&] { (void)rows.template get<std::string>(2); }, "absent");
    EXPECT_EQ(rows.template get<std::int16_t>(0), 300);
    EXPECT_EQ(rows.template get<std::optional<std::int64_t>>(2), std::nullopt);

    // A uint64 above INT64_MAX is never wrapped.
    EXPECT_THROW(db.execute_text("INSERT INTO d (big) VALUES (" + TypeParam::param(1) + ")",
                                 std::numeric_limits<std::uint64_t>::max()),
                 crucible::data_error);
    // Negative into unsigned.
    db.execute_text("INSERT INTO d (big) VALUES (" + TypeParam::param(1) + ")", -1);
    auto negative = db.query_text("SELECT big FROM d WHERE big < 0");
    ASSERT_TRUE(negative.next());
    EXPECT_THROW((void)negative.template get<std::uint64_t>(0), crucible::data_error);
    EXPECT_EQ(negative.template get<std::int64_t>(0), -1);
}

// ---- transactions ---------------------------------------------------------------------------

TYPED_TEST(backend_test, commit_and_rollback) {
    auto& db = *this->db;
    this->make_item_table();
    db.begin();
    EXPECT_TRUE(db.in_transaction());
    db.execute(TypeParam::insert_item, 1, "kept");
    db.commit();
    EXPECT_FALSE(db.in_transaction());
    db.begin();
    db.execute(TypeParam::insert_item, 2, "dropped");
    db.rollback();
    EXPECT_EQ(this->count("item"), 1);
}

TYPED_TEST(backend_test, savepoint_rollback_keeps_the_outer_transaction) {
    auto& db = *this->db;
    this->make_item_table();
    db.begin();
    db.execute(TypeParam::insert_item, 1, "outer");
    db.savepoint("sp1");
    db.execute(TypeParam::insert_item, 2, "inner");
    db.rollback_to_savepoint("sp1");
    db.release_savepoint("sp1");
    // A failed statement inside a savepoint is undone by rolling back to it.
    db.savepoint("sp \"2\"");
    EXPECT_THROW(db.execute(TypeParam::insert_item, 1, "duplicate"), crucible::integrity_error);
    db.rollback_to_savepoint("sp \"2\"");
    db.execute(TypeParam::insert_item, 3, "after");
    db.release_savepoint("sp \"2\"");
    db.commit();
    auto rows = db.query_text("SELECT id FROM item ORDER BY id");
    std::vector<std::int64_t> ids;
    while (rows.next()) {
        ids.push_back(rows.template get<std::int64_t>(0));
    }
    EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 3}));
}

TYPED_TEST(backend_test, execute_counts_rows_changed_or_returned) {
    auto& db = *this->db;
    this->make_item_table();
    db.execute(TypeParam::insert_item, 1, "a");
    db.execute(TypeParam::insert_item, 2, "b");
    EXPECT_EQ(db.execute_text("UPDATE item SET name = 'c'"), 2);
    EXPECT_EQ(db.execute_text("SELECT id FROM item"), 2);
    EXPECT_EQ(db.execute_text("DELETE FROM item WHERE id = 99"), 0);
}

TYPED_TEST(backend_test, cancel_from_another_thread_is_a_timeout_error) {
    auto& db = *this->db;
    std::atomic<bool> done{false};
    std::thread canceller([&] {
        while (!done) {  // cancel again until the statement has started and stopped
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            db.cancel();
        }
    });
    try {
        if constexpr (std::is_same_v<TypeParam, postgres_backend>) {
            db.execute_text("SELECT pg_sleep(10)");
        } else {
            db.execute_text(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c");
        }
        ADD_FAILURE() << "not cancelled";
    } catch (const crucible::timeout_error& e) {
        EXPECT_FALSE(e.driver_message().empty());
    }
    done = true;
    canceller.join();
    EXPECT_TRUE(db.ping());
}

// ---- statement caches -----------------------------------------------------------------------

TYPED_TEST(backend_test, static_statements_are_prepared_once) {
    auto& db = *this->db;
    this->make_item_table();
    db.execute(TypeParam::insert_item, 0, "first");
    const auto prepared = db.prepare_count();
    for (int i = 1; i <= 100; ++i) {
        EXPECT_EQ(db.execute(TypeParam::insert_item, i, std::string("name ") + std::to_string(i)), 1);
        auto rows = db.query(TypeParam::select_param, i);
        ASSERT_TRUE(rows.next());
        EXPECT_EQ(rows.template get<int>(0), i);
    }
    EXPECT_EQ(db.prepare_count(), prepared + 1);  // only select_param was new
    EXPECT_EQ(this->count("item"), 101);
}

TYPED_TEST(backend_test, text_statements_are_cached_least_recently_used) {
    auto db = TypeParam::open(2);
    auto run = [&](int n) {
        auto rows = db->query_text("SELECT " + std::to_string(n));
        EXPECT_TRUE(rows.next());
        EXPECT_EQ(rows.template get<int>(0), n);
    };
    const auto start = db->prepare_count();
    run(1);
    run(2);
    run(1);
    EXPECT_EQ(db->prepare_count(), start + 2);
    run(3);  // evicts 2, the least recently used
    run(1);
    EXPECT_EQ(db->prepare_count(), start + 3);
    run(2);
    EXPECT_EQ(db->prepare_count(), start + 4);
    EXPECT_LE(db->cached_statement_count(), 2u);
}

// A series 1..n with a text column, in SQL both backends run.
inline std::string series_sql(const std::string& n_param) {
    return "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < " + n_param +
           ") SELECT x, 'row ' || x FROM s";
}

TYPED_TEST(backend_test, streams_rows_in_order_and_frees_the_connection_at_the_end) {
    auto& db = *this->db;
    const std::string sql = series_sql(TypeParam::param(1));
    auto rows = db.stream_text_bound(sql, [](auto& sink) { sink(5000); });
    EXPECT_EQ(rows.column_count(), 2);
    int count = 0;
    bool values_match = true;
    while (rows.next()) {
        ++count;
        values_match = values_match && rows.template get<int>(0) == count &&
                       rows.template get<std::string>(1) == "row " + std::to_string(count) &&
                       !rows.is_null(0);
    }
    EXPECT_EQ(count, 5000);
    EXPECT_TRUE(values_match);
    EXPECT_FALSE(rows.next()) << "past the end stays at the end";
    auto after = db.query_text("SELECT 7");  // the stream is done: the connection is free
    ASSERT_TRUE(after.next());
    EXPECT_EQ(after.template get<int>(0), 7);

    auto none = db.stream_bound(TypeParam::select_param, [](auto& sink) { sink(1); });
    ASSERT_TRUE(none.next());
    EXPECT_EQ(none.template get<int>(0), 1);
    EXPECT_FALSE(none.next());
    auto empty = db.stream_text_bound(sql + " LIMIT 0", [](auto& sink) { sink(3); });
    EXPECT_FALSE(empty.next());
    this->make_item_table();
    EXPECT_EQ(this->count("item"), 0) << "an empty stream frees the connection too";
}

TYPED_TEST(backend_test, an_abandoned_stream_leaves_the_connection_and_its_transaction_usable) {
    auto& db = *this->db;
    this->make_item_table();
    const std::string sql = series_sql(TypeParam::param(1));
    db.begin();
    {
        auto rows = db.stream_text_bound(sql, [](auto& sink) { sink(100000); });
        for (int i = 1; i <= 10; ++i) {
            ASSERT_TRUE(rows.next());
            EXPECT_EQ(rows.template get<int>(0), i);
        }
    }  // destroyed after 10 of 100000 rows
    EXPECT_EQ(db.execute(TypeParam::insert_item, 1, "kept"), 1);
    db.commit();
    EXPECT_EQ(this->count("item"), 1) << "abandoning the stream did not abort the transaction";
    {
        auto rows = db.stream_text_bound(sql, [](auto& sink) { sink(1000); });
        ASSERT_TRUE(rows.next());
        auto moved = std::move(rows);  // the moved-to cursor owns the rest
        ASSERT_TRUE(moved.next());
        EXPECT_EQ(moved.template get<int>(0), 2);
    }
    auto rows = db.query_text("SELECT 8");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<int>(0), 8);
}

TYPED_TEST(backend_test, an_error_mid_stream_has_the_kind_a_whole_result_query_gives) {
    auto& db = *this->db;
    auto kind_of_failure = [](auto&& read_all) -> std::string {
        try {
            read_all();
        } catch (const crucible::error& e) {
            return typeid(e).name();
        }
        return "no error";
    };
    int streamed = 0;
    const auto stream_kind = kind_of_failure([&] {
        auto rows = db.stream_text_bound(TypeParam::fails_on_row_50, [](auto&) {});
        while (rows.next()) {
            ++streamed;
        }
    });
    const auto query_kind = kind_of_failure([&] {
        auto rows = db.query_text(TypeParam::fails_on_row_50);
        while (rows.next()) {
        }
    });
    EXPECT_EQ(streamed, 49) << "the rows before the failing one arrive";
    EXPECT_NE(stream_kind, "no error");
    EXPECT_EQ(stream_kind, query_kind);
    auto rows = db.query_text("SELECT 9");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.template get<int>(0), 9);
}

}  // namespace
