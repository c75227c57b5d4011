// Values are stored exactly or refused, never altered — written once and run on SQLite and
// PostgreSQL: time points at and beyond each database's limits and finer than a microsecond, NULL
// through text() with a name used twice, and IN lists of any length.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "postgres_env.hpp"
#include "test_engines.hpp"

namespace values_test {

using micros = std::chrono::sys_time<std::chrono::microseconds>;

struct Stamp {
    std::int64_t id;
    micros at;
};
constexpr auto crucible_table(crucible::table_tag<Stamp>) {
    return crucible::table_options{crucible::table_name("values_stamps")};
}

struct Item {
    std::int64_t id;
    std::int64_t n;
    std::string name;
    std::optional<std::string> s;
    micros at;
    double d;
    std::vector<std::byte> data;
};
constexpr auto crucible_table(crucible::table_tag<Item>) {
    return crucible::table_options{crucible::table_name("values_items")};
}

using namespace crucible;
using crucible::select;  // not POSIX select(2)
using namespace std::chrono;
using namespace std::chrono_literals;

using crucible::testing::engine_factory;

template <class Backend>
class ValuesTest : public ::testing::Test {
protected:
    static constexpr bool is_sqlite = std::is_same_v<Backend, backend::sqlite_connection>;
    using dialect = typename basic_engine<Backend>::dialect;

    void SetUp() override {
        if constexpr (!is_sqlite) {
            CRUCIBLE_NEED_POSTGRES();
        }
        engine_.emplace(engine_factory<Backend>::make());
        auto db = engine_->connect();
        db.template drop_all<Stamp, Item>();
        db.template create_all<Stamp, Item>();
    }
    void TearDown() override {
        if (engine_) {
            engine_->connect().template drop_all<Stamp, Item>();
        }
    }

    // Binds `at` into an INSERT; true if stored, false if refused with a data_error (whose message
    // must contain `says`). Either way the connection stays usable.
    template <class Connection, class TimePoint>
    static bool store(Connection& db, TimePoint at, std::string_view says = {}) {
        try {
            db.execute(insert_into<Stamp>.values(col<&Stamp::at> = at));
            return true;
        } catch (const data_error& e) {
            EXPECT_NE(std::string_view(e.what()).find(says), std::string_view::npos) << e.what();
            return false;
        }
    }

    template <class Connection>
    static std::vector<micros> stamps(Connection& db) {
        std::vector<micros> out;
        for (const auto& [at] : db.all(select(col<&Stamp::at>).template from<Stamp>().order_by(col<&Stamp::id>))) {
            out.push_back(at);
        }
        return out;
    }

    std::optional<basic_engine<Backend>> engine_;
};

using Backends = ::testing::Types<backend::sqlite_connection, backend::postgres_connection>;
TYPED_TEST_SUITE(ValuesTest, Backends);

// ---- time points ------------------------------------------------------------------------------

TYPED_TEST(ValuesTest, TimePointsAtEachLimitAreStoredAndBeyondRefused) {
    auto db = this->engine_->connect();
    std::vector<micros> kept;
    if constexpr (TestFixture::is_sqlite) {
        // SQLite's text form: years 0000..9999.
        const micros last = sys_days{year{9999} / December / 31} + 86399999999us;
        const micros first = sys_days{year{0} / January / 1};
        EXPECT_TRUE(this->store(db, last));
        EXPECT_TRUE(this->store(db, first));
        kept = {last, first};
        EXPECT_FALSE(this->store(db, last + 1us, "9999-12-31"));
        EXPECT_FALSE(this->store(db, first - 1us, "0000-01-01"));
        // Far out, where year_month_day's 16-bit year would wrap into a valid-looking one.
        EXPECT_FALSE(this->store(db, sys_days{days{365 * 65536 + 20000}}, "range"));
        EXPECT_FALSE(this->store(db, micros::max(), "range"));
        EXPECT_FALSE(this->store(db, micros::min(), "range"));
    } else {
        // PostgreSQL: 4713-11-24 BC 00:00:00 is its first instant; every later one a 64-bit count of
        // Unix-epoch microseconds holds is valid (its last, 294276-12-31, is beyond that count).
        const micros first{microseconds{-211813488000000000LL + 946684800000000LL}};
        EXPECT_TRUE(this->store(db, first));
        EXPECT_TRUE(this->store(db, micros::max()));
        kept = {first, micros::max()};
        EXPECT_FALSE(this->store(db, first - 1us, "PostgreSQL's range"));
        EXPECT_FALSE(this->store(db, micros::min(), "PostgreSQL's range"));
        // The server reads them back as the same instants.
        auto text_rows = db.template all<std::tuple<std::string>>(
            crucible::text("SELECT at::text FROM values_stamps ORDER BY id"));
        ASSERT_EQ(text_rows.size(), 2U);
        EXPECT_EQ(std::get<0>(text_rows[0]), "4714-11-24 00:00:00 BC");
        EXPECT_EQ(std::get<0>(text_rows[1]), "294247-01-10 04:00:54.775807");
    }
    // A duration that overflows when converted to microseconds, on both.
    EXPECT_FALSE(this->store(db, sys_seconds{seconds{std::numeric_limits<std::int64_t>::max() / 1000}}, "out of range"));
    EXPECT_FALSE(this->store(db, sys_days{days{std::numeric_limits<std::int32_t>::max()}}, "out of range"));
    EXPECT_EQ(this->stamps(db), kept) << "nothing refused was stored";
}

TYPED_TEST(ValuesTest, SubMicrosecondTimePointsAreRefusedTheSameOnBoth) {
    auto db = this->engine_->connect();
    const micros at = sys_days{2024y / February / 29} + 23h + 59min + 58s + 123456us;
    const sys_time<nanoseconds> whole = at;
    EXPECT_TRUE(this->store(db, whole)) << "nanoseconds holding whole microseconds are exact";
    EXPECT_FALSE(this->store(db, whole + 1ns, "std::chrono::floor<std::chrono::microseconds>"));
    EXPECT_FALSE(this->store(db, whole + 999ns, "round it first"));
    EXPECT_FALSE(this->store(db, sys_time<nanoseconds>::max(), "round it first"));
    const auto now = system_clock::now();
    EXPECT_TRUE(this->store(db, floor<microseconds>(now))) << "as the message says";
    // Through a query's parameter too, and through text() (refused when bound there).
    EXPECT_THROW((void)db.scalar(select(count()).template from<Stamp>().where(col<&Stamp::at> == whole + 1ns)), data_error);
    EXPECT_THROW(crucible::text("SELECT 1 WHERE :t IS NULL").bind("t", whole + 1ns), data_error);
    EXPECT_EQ(this->stamps(db), (std::vector<micros>{at, floor<microseconds>(now)}));
    EXPECT_EQ(db.scalar(select(count()).template from<Stamp>().where(col<&Stamp::at> == whole)), 1);
}

// Read back, the same rule: a stored instant that a time point's duration cannot hold exactly is a
// data_error, not a truncated or wrapped value.
TYPED_TEST(ValuesTest, ReadingIntoANarrowerTimePointIsExactOrRefused) {
    auto db = this->engine_->connect();
    const micros past_nanoseconds = sys_days{2300y / January / 1} + 1us;  // int64 nanoseconds end in 2262
    EXPECT_TRUE(this->store(db, past_nanoseconds));
    const auto read = [&]<class T>(std::type_identity<T>) {
        return db.template all<std::tuple<T>>(crucible::text("SELECT at FROM values_stamps"));
    };
    EXPECT_EQ(std::get<0>(read(std::type_identity<micros>{}).at(0)), past_nanoseconds);
    EXPECT_THROW((void)read(std::type_identity<sys_time<nanoseconds>>{}), data_error);
    EXPECT_THROW((void)read(std::type_identity<sys_seconds>{}), data_error);
    EXPECT_EQ(this->stamps(db), std::vector<micros>{past_nanoseconds}) << "the connection is usable";
}

TYPED_TEST(ValuesTest, ARefusalInsideATransactionSendsNothing) {
    auto db = this->engine_->connect();
    const micros at = sys_days{2001y / January / 1};
    {
        auto tx = db.begin();
        EXPECT_TRUE(this->store(db, at));
        EXPECT_FALSE(this->store(db, sys_time<nanoseconds>(at) + 5ns, "round it first"));
        // Refused before the server saw it: on PostgreSQL the transaction is not aborted.
        EXPECT_TRUE(this->store(db, at + 1s));
        tx.commit();
    }
    EXPECT_EQ(this->stamps(db), (std::vector<micros>{at, at + 1s}));
}

// ---- NULL through text() --------------------------------------------------------------------

TYPED_TEST(ValuesTest, TextBindsANameUsedTwiceOnceAndNullWithoutAType) {
    auto db = this->engine_->connect();
    const micros at = sys_days{2020y / May / 17};
    db.execute(insert(Item{0, 1, "one", "a", at, 1.0, {}}));
    db.execute(insert(Item{0, 2, "two", "b", at, 2.0, {}}));
    db.execute(insert(Item{0, 3, "three", std::nullopt, at, 3.0, {}}));

    auto query = crucible::text("SELECT n FROM values_items WHERE :s IS NULL OR s = :s ORDER BY n");
    EXPECT_EQ(query.parameter_count(), 1U) << "one parameter per name";
    EXPECT_EQ(query.template render<typename TestFixture::dialect>(),
              TestFixture::is_sqlite ? "SELECT n FROM values_items WHERE ?1 IS NULL OR s = ?1 ORDER BY n"
                                     : "SELECT n FROM values_items WHERE $1 IS NULL OR s = $1 ORDER BY n");
    using row = std::tuple<std::int64_t>;
    EXPECT_EQ(db.template all<row>(query.bind("s", std::optional<std::string>{})),
              (std::vector<row>{{1}, {2}, {3}}));
    EXPECT_EQ(db.template all<row>(query.bind("s", std::optional<std::string>{"b"})), (std::vector<row>{{2}}));
    EXPECT_EQ(db.template all<row>(query.bind("s", "a")), (std::vector<row>{{1}}));
    // std::nullopt is a NULL of no type: PostgreSQL infers it from its uses, which it can when the
    // first use says it (it cannot from `$1 IS NULL` alone; an empty std::optional<T> has T's type).
    auto untyped = crucible::text("SELECT n FROM values_items WHERE s = :s OR :s IS NULL ORDER BY n");
    EXPECT_EQ(db.template all<row>(untyped.bind("s", std::nullopt)), (std::vector<row>{{1}, {2}, {3}}));
    EXPECT_EQ(db.template all<row>(untyped.bind("s", "b")), (std::vector<row>{{2}}));

    // A NULL of another type, and two names of which one is used twice.
    auto by_number = crucible::text(
        "SELECT name FROM values_items WHERE (:n IS NULL OR n = :n) AND name <> :not ORDER BY n");
    EXPECT_EQ(by_number.parameter_count(), 2U);
    using name_row = std::tuple<std::string>;
    EXPECT_EQ(db.template all<name_row>(by_number.bind("n", std::optional<std::int64_t>{}).bind("not", "two")),
              (std::vector<name_row>{{"one"}, {"three"}}));
    EXPECT_EQ(db.template all<name_row>(by_number.bind("n", std::int64_t{3}).bind("not", "two")),
              (std::vector<name_row>{{"three"}}));
    // And a NULL written through text().
    db.execute(crucible::text("UPDATE values_items SET s = :s WHERE n = :n")
                   .bind("s", std::optional<std::string>{})
                   .bind("n", 1));
    EXPECT_EQ(db.scalar(select(count()).template from<Item>().where(col<&Item::s> == std::nullopt)), 2);
}

// ---- IN lists -------------------------------------------------------------------------------

template <class Connection>
void load_items(Connection& db, std::int64_t count, micros base) {
    std::vector<Item> rows;
    rows.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
        rows.push_back(Item{0, i, "n" + std::to_string(i), std::nullopt, base + seconds{i}, static_cast<double>(i) / 4,
                            {std::byte{static_cast<unsigned char>(i & 0xff)}, std::byte{static_cast<unsigned char>(i >> 8)}}});
    }
    db.insert_all(rows);
}

TYPED_TEST(ValuesTest, InListsOfAHundredThousandValues) {
    auto db = this->engine_->connect();
    constexpr std::int64_t rows = 150'000;
    const micros base = sys_days{2010y / March / 3};
    load_items(db, rows, base);

    // Every third number from 0: 100,000 values, of which those below 150,000 are rows.
    std::vector<std::int64_t> numbers;
    std::vector<std::string> names;
    for (std::int64_t i = 0; i < 100'000; ++i) {
        numbers.push_back(3 * i);
        names.push_back("n" + std::to_string(3 * i));
    }
    std::vector<std::int64_t> expected;
    std::vector<std::int64_t> expected_not;
    for (std::int64_t i = 0; i < rows; ++i) {
        (i % 3 == 0 ? expected : expected_not).push_back(i);
    }
    auto numbers_where = [&](const auto& condition) {
        std::vector<std::int64_t> out;
        for (const auto& [n] : db.all(select(col<&Item::n>).template from<Item>().where(condition).order_by(col<&Item::n>))) {
            out.push_back(n);
        }
        return out;
    };
    EXPECT_EQ(numbers_where(in(col<&Item::n>, numbers)), expected);
    EXPECT_EQ(numbers_where(not_in(col<&Item::n>, numbers)), expected_not);
    EXPECT_EQ(numbers_where(in(col<&Item::name>, names)), expected);
    EXPECT_EQ(numbers_where(not_in(col<&Item::name>, names)), expected_not);
    // With another condition's parameters before and after the list.
    EXPECT_EQ(db.scalar(select(count()).template from<Item>().where(col<&Item::n> >= std::int64_t{3} &&
                                                                     in(col<&Item::n>, numbers) &&
                                                                     col<&Item::name> != "n6")),
              static_cast<std::int64_t>(expected.size()) - 2);
}

// SQLite compares a json_each value with the column as it would a bound value (type affinity): an
// INTEGER, TEXT, TIMESTAMP (numeric affinity, text stored), an untyped REAL column and a BOOLEAN.
TYPED_TEST(ValuesTest, LongInListsMatchEveryColumnKind) {
    auto db = this->engine_->connect();
    const micros base = sys_days{1999y / December / 31} + 23h;
    load_items(db, 3000, base);
    std::vector<std::int64_t> numbers;
    std::vector<micros> times;
    std::vector<double> reals;
    std::vector<std::optional<std::int64_t>> with_nulls;
    for (std::int64_t i = 0; i < 2000; i += 1) {
        numbers.push_back(i + 1000);  // rows 1000..2999
        times.push_back(base + seconds{i + 1000});
        reals.push_back(static_cast<double>(i + 1000) / 4);
        with_nulls.push_back(i % 2 == 0 ? std::optional<std::int64_t>{i} : std::nullopt);
    }
    auto count_where = [&](const auto& condition) {
        return db.scalar(select(count()).template from<Item>().where(condition));
    };
    EXPECT_EQ(count_where(in(col<&Item::n>, numbers)), 2000);
    EXPECT_EQ(count_where(in(col<&Item::at>, times)), 2000);
    EXPECT_EQ(count_where(not_in(col<&Item::at>, times)), 1000);
    EXPECT_EQ(count_where(in(col<&Item::d>, reals)), 2000);
    EXPECT_EQ(count_where(in(col<&Item::n>, with_nulls)), 1000) << "the even numbers below 2000";
    EXPECT_EQ(count_where(not_in(col<&Item::n>, with_nulls)), 0) << "NOT IN a list holding NULL is never true";
    EXPECT_EQ(count_where(in(col<&Item::d> > 100.0, std::vector<bool>(1500, true))), 3000 - 401);
    // A NaN is refused as when bound alone (SQLite would store NULL); PostgreSQL compares it.
    reals.push_back(std::nan(""));
    if constexpr (TestFixture::is_sqlite) {
        EXPECT_THROW((void)count_where(in(col<&Item::d>, reals)), data_error);
    } else {
        EXPECT_EQ(count_where(in(col<&Item::d>, reals)), 2000);
    }
    // Byte strings: PostgreSQL takes any length; SQLite's JSON cannot hold them past its plain list.
    std::vector<std::vector<std::byte>> blobs;
    for (int i = 0; i < 1001; ++i) {
        blobs.push_back({std::byte{static_cast<unsigned char>(i & 0xff)}, std::byte{static_cast<unsigned char>(i >> 8)}});
    }
    if constexpr (TestFixture::is_sqlite) {
        EXPECT_THROW((void)count_where(in(col<&Item::data>, blobs)), programming_error);
        blobs.pop_back();
        EXPECT_EQ(count_where(in(col<&Item::data>, blobs)), 1000) << "at the limit, plain placeholders";
    } else {
        EXPECT_EQ(count_where(in(col<&Item::data>, blobs)), 1001);
    }
    EXPECT_EQ(count_where(col<&Item::n> >= std::int64_t{0}), 3000) << "the connection is usable";
}

TYPED_TEST(ValuesTest, ShortInListsKeepTheirPlainForm) {
    auto db = this->engine_->connect();
    load_items(db, 10, sys_days{2000y / January / 1});
    const auto query = select(col<&Item::name>).template from<Item>().where(in(col<&Item::n>, std::vector<std::int64_t>{2, 5, 7})).order_by(col<&Item::n>);
    using dialect = typename TestFixture::dialect;
    if constexpr (TestFixture::is_sqlite) {
        EXPECT_EQ(sql::to_sql<dialect>(query),
                  R"(SELECT "values_items"."name" FROM "values_items" WHERE ("values_items"."n" IN (?, ?, ?)) ORDER BY "values_items"."n" ASC)");
    } else {
        EXPECT_EQ(sql::to_sql<dialect>(query),
                  R"(SELECT "values_items"."name" FROM "values_items" WHERE ("values_items"."n" = ANY($1)) ORDER BY "values_items"."n" ASC)");
    }
    EXPECT_EQ(db.all(query), (std::vector<std::tuple<std::string>>{{"n2"}, {"n5"}, {"n7"}}));
    EXPECT_EQ(db.all(select(col<&Item::name>).template from<Item>().where(in(col<&Item::n>, std::vector<std::int64_t>{}))).size(), 0U);
    EXPECT_EQ(db.all(select(col<&Item::name>).template from<Item>().where(not_in(col<&Item::n>, std::vector<std::int64_t>{}))).size(), 10U);
    // Small integer types, enums' widths: the array's element type follows the C++ type.
    EXPECT_EQ(db.all(select(col<&Item::name>).template from<Item>().where(in(col<&Item::n>, std::vector<std::int16_t>{1, 3}))).size(), 2U);
    EXPECT_EQ(db.all(select(col<&Item::name>).template from<Item>().where(in(col<&Item::n>, std::vector<std::uint32_t>{4}))).size(), 1U);
}

// A multi-row VALUES over the parameter limit is a programming_error before the driver sees it;
// insert_all splits the same rows into statements that fit.
TYPED_TEST(ValuesTest, AMultiRowInsertOverTheLimitIsAProgrammingError) {
    auto db = this->engine_->connect();
    const std::vector<Stamp> rows(TestFixture::dialect::max_parameters + 1, Stamp{0, sys_days{2000y / January / 1}});
    EXPECT_THROW(db.execute(insert_many(rows)), programming_error);
    EXPECT_THROW(db.execute(insert_many_view(std::span<const Stamp>(rows))), programming_error);
    EXPECT_EQ(db.scalar(select(count()).template from<Stamp>()), 0);
    EXPECT_EQ(db.insert_all(rows), static_cast<std::int64_t>(rows.size()));
}

} // namespace values_test
