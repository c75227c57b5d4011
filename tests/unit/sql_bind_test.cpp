// Run-time side of statements: values are bound in exactly the order of their placeholders, and
// the parts whose length is known only at run time (IN lists, multi-row INSERT, dynamic filters)
// render their text then.
#include "sql_test_tables.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sql_test {
namespace {

using namespace crucible::sql;

struct Photo {
    std::int64_t id;
    std::vector<std::byte> data;
};

// A sink like the backends' binders: called once per parameter with its value. Records each value
// as text, with the C++ type's family, so the order and the types are both checked.
// An IN list (one value_list) is recorded as "[a, b, ...]"; `sqlite_parameters` counts the
// placeholders SQLite's text has for it (one per value up to in_list_inline_max, else one).
struct recorder {
    std::vector<std::string> values;
    std::size_t sqlite_parameters = 0;

    template <class V>
    void operator()(const crucible::sql::value_list<V>& list) {
        recorder items;
        for (const V& value : list) {
            items(value);
        }
        std::string text = "[";
        for (std::size_t i = 0; i < items.values.size(); ++i) {
            text += (i > 0 ? ", " : "") + items.values[i];
        }
        values.push_back(text + "]");
        sqlite_parameters += list.size() <= sqlite::in_list_inline_max ? list.size() : 1;
    }

    template <class V>
    void operator()(const V& value) {
        ++sqlite_parameters;
        if constexpr (std::is_same_v<V, std::nullopt_t>) {
            values.emplace_back("NULL");
        } else if constexpr (crucible::schema::is_nullable<V>) {
            if (value) {
                --sqlite_parameters;
                (*this)(*value);
            } else {
                values.emplace_back("NULL");
            }
        } else if constexpr (std::is_same_v<V, std::string>) {
            values.push_back("'" + value + "'");
        } else if constexpr (std::is_same_v<V, bool>) {
            values.emplace_back(value ? "true" : "false");
        } else if constexpr (std::is_arithmetic_v<V>) {
            std::ostringstream out;
            out << value << (std::is_floating_point_v<V> ? "f" : std::is_same_v<V, std::int64_t> ? "L" : "");
            values.push_back(out.str());
        } else {
            values.emplace_back("<other>");
        }
    }
};

template <class S>
recorder record(const S& statement) {
    recorder sink;
    statement.bind(sink);
    return sink;
}

template <class S>
std::vector<std::string> bound(const S& statement) {
    return record(statement).values;
}

// The SQLite text has one `?` per value SQLite binds; the PostgreSQL text has $1..$n, in order, one
// per bound value (an IN list is one array).
template <class S>
void expect_placeholders_match(const S& statement, std::size_t values) {
    const std::string lite_text = to_sql<sqlite>(statement);
    std::size_t marks = 0;
    for (char c : lite_text) {
        marks += c == '?' ? 1 : 0;
    }
    EXPECT_EQ(marks, record(statement).sqlite_parameters) << lite_text;
    const std::string pg_text = to_sql<postgres>(statement);
    std::size_t from = 0;
    for (std::size_t n = 1; n <= values; ++n) {
        const std::string mark = "$" + std::to_string(n);
        const std::size_t at = pg_text.find(mark, from);
        ASSERT_NE(at, std::string::npos) << mark << " in " << pg_text;
        from = at + mark.size();
    }
    EXPECT_EQ(pg_text.find("$" + std::to_string(values + 1)), std::string::npos) << pg_text;
}

template <class S>
void expect_binds(const S& statement, const std::vector<std::string>& expected) {
    EXPECT_EQ(bound(statement), expected);
    expect_placeholders_match(statement, expected.size());
    if constexpr (S::is_static) {
        EXPECT_EQ((parameter_count<S, sqlite>), expected.size());
        EXPECT_EQ((parameter_count<S, postgres>), expected.size());
    }
}

TEST(SqlBind, SelectBindsInClauseOrder) {
    const auto query = select(col<&Artist::name>, as<"next">(col<&Album::year> + 1))
                           .from<Artist>()
                           .join<Album>(col<&Album::artist_id> == col<&Artist::id> && col<&Album::year> > 2000)
                           .where(col<&Artist::name> != "Nina" && col<&Artist::city> == std::optional<std::string>("Oslo"))
                           .group_by(col<&Artist::name>, col<&Album::year>)
                           .having(count() > std::int64_t{2})
                           .order_by(desc(col<&Album::year> * 2))
                           .limit(10)
                           .offset(20);
    expect_binds(query, {"1", "2000", "'Nina'", "'Oslo'", "2L", "2", "10L", "20L"});
}

TEST(SqlBind, FunctionsBindTheirOperandsInOrder) {
    const auto query = select(case_when(col<&Album::year> < 1970, "old").when(col<&Album::price> > 9.5, "dear").else_("new"),
                              coalesce(col<&Album::price>, 1.5),
                              cast<std::string>(col<&Album::year> - 3))
                           .from<Album>()
                           .where(between(col<&Album::year>, 1960, 1980) && like(col<&Album::title>, "B%"));
    expect_binds(query, {"1970", "'old'", "9.5f", "'dear'", "'new'", "1.5f", "3", "1960", "1980", "'B%'"});
}

TEST(SqlBind, SubqueriesBindWhereTheyAppear) {
    const auto query =
        select(col<&Artist::name>,
               subquery(select(max(col<&Album::year>)).from<Album>().where(col<&Album::artist_id> == col<&Artist::id> && col<&Album::year> < 1999)))
            .from<Artist>()
            .where(in(col<&Artist::id>, select(col<&Album::artist_id>).from<Album>().where(col<&Album::title> == "Blue")) &&
                   exists(select(col<&Album::id>).from<Album>().where(col<&Album::price> > 2.0)))
            .limit(3);
    expect_binds(query, {"1999", "'Blue'", "2f", "3L"});
}

TEST(SqlBind, InListRendersAndBindsAtRunTime) {
    const std::vector<std::int64_t> ids{4, 5, 6};
    const auto query = select(col<&Artist::name>)
                           .from<Artist>()
                           .where(col<&Artist::name> == "a" && in(col<&Artist::id>, ids) && col<&Artist::id> > std::int64_t{1})
                           .limit(2);
    static_assert(!decltype(query)::is_static);
    EXPECT_EQ(to_sql<sqlite>(query),
              R"(SELECT "artist"."name" FROM "artist" WHERE ((("artist"."name" = ?) AND ("artist"."id" IN (?, ?, ?))) AND ("artist"."id" > ?)) LIMIT ?)");
    EXPECT_EQ(to_sql<postgres>(query),
              R"(SELECT "artist"."name" FROM "artist" WHERE ((("artist"."name" = $1) AND ("artist"."id" = ANY($2))) AND ("artist"."id" > $3)) LIMIT $4)");
    expect_binds(query, {"'a'", "[4L, 5L, 6L]", "1L", "2L"});

    const std::vector<std::string> names{"x", "y"};
    const auto negated = select(col<&Artist::id>).from<Artist>().where(not_in(col<&Artist::name>, names));
    EXPECT_EQ(to_sql<postgres>(negated), R"(SELECT "artist"."id" FROM "artist" WHERE ("artist"."name" <> ALL($1)))");
    EXPECT_EQ(to_sql<sqlite>(negated), R"(SELECT "artist"."id" FROM "artist" WHERE ("artist"."name" NOT IN (?, ?)))");
    expect_binds(negated, {"['x', 'y']"});
    const auto listed = select(col<&Artist::id>).from<Artist>().where(in(col<&Artist::name>, {"p", "q", "r"}));
    EXPECT_EQ(to_sql<sqlite>(listed), R"(SELECT "artist"."id" FROM "artist" WHERE ("artist"."name" IN (?, ?, ?)))");
    expect_binds(listed, {"['p', 'q', 'r']"});
}

TEST(SqlBind, EmptyInListIsFalseAndNotInTrue) {
    const std::vector<std::int64_t> none;
    const auto query = select(col<&Artist::id>).from<Artist>().where(in(col<&Artist::id>, none) || col<&Artist::id> == std::int64_t{9});
    EXPECT_EQ(to_sql<sqlite>(query), R"(SELECT "artist"."id" FROM "artist" WHERE ((1 = 0) OR ("artist"."id" = ?)))");
    EXPECT_EQ(to_sql<postgres>(query), R"(SELECT "artist"."id" FROM "artist" WHERE ((1 = 0) OR ("artist"."id" = $1)))");
    expect_binds(query, {"9L"});
    const auto negated = select(col<&Artist::id>).from<Artist>().where(not_in(col<&Artist::id>, none));
    EXPECT_EQ(to_sql<postgres>(negated), R"(SELECT "artist"."id" FROM "artist" WHERE (1 = 1))");
    expect_binds(negated, {});
    // The operand is not rendered then, so its parameters are not bound either.
    const auto shifted = select(col<&Album::id>).from<Album>().where(in(col<&Album::year> + 1, std::vector<int>{}) || col<&Album::year> == 3);
    EXPECT_EQ(to_sql<postgres>(shifted), R"(SELECT "albums"."id" FROM "albums" WHERE ((1 = 0) OR ("albums"."year" = $1)))");
    expect_binds(shifted, {"3"});
    const auto kept = select(col<&Album::id>).from<Album>().where(in(col<&Album::year> + 1, std::vector<int>{5}));
    EXPECT_EQ(to_sql<postgres>(kept), R"(SELECT "albums"."id" FROM "albums" WHERE (("albums"."year" + $1) = ANY($2)))");
    EXPECT_EQ(to_sql<sqlite>(kept), R"(SELECT "albums"."id" FROM "albums" WHERE (("albums"."year" + ?) IN (?)))");
    expect_binds(kept, {"1", "[5]"});
}

// Past in_list_inline_max values SQLite reads the list from one JSON array; PostgreSQL's text is the
// same for every length. A list of blobs that long cannot be JSON: a programming_error.
TEST(SqlBind, LongInListsAreOneParameter) {
    std::vector<std::int64_t> ids(sqlite::in_list_inline_max + 1);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ids[i] = static_cast<std::int64_t>(i);
    }
    const auto query = select(col<&Artist::name>).from<Artist>().where(in(col<&Artist::id>, ids) && col<&Artist::id> > std::int64_t{1});
    EXPECT_EQ(to_sql<sqlite>(query),
              R"(SELECT "artist"."name" FROM "artist" WHERE (("artist"."id" IN (SELECT value FROM json_each(?))) AND ("artist"."id" > ?)))");
    EXPECT_EQ(to_sql<postgres>(query),
              R"(SELECT "artist"."name" FROM "artist" WHERE (("artist"."id" = ANY($1)) AND ("artist"."id" > $2)))");
    EXPECT_EQ(record(query).sqlite_parameters, 2U);
    const auto negated = select(col<&Artist::name>).from<Artist>().where(not_in(col<&Artist::id>, ids));
    EXPECT_EQ(to_sql<sqlite>(negated),
              R"(SELECT "artist"."name" FROM "artist" WHERE ("artist"."id" NOT IN (SELECT value FROM json_each(?))))");
    ids.pop_back();
    const auto at_limit = select(col<&Artist::name>).from<Artist>().where(in(col<&Artist::id>, ids));
    EXPECT_EQ(record(at_limit).sqlite_parameters, sqlite::in_list_inline_max);
    EXPECT_EQ(to_sql<sqlite>(at_limit).find("json_each"), std::string::npos);

    using bytes = std::vector<std::byte>;
    const std::vector<bytes> blobs(sqlite::in_list_inline_max + 1, bytes{std::byte{1}});
    const auto blob_query = select(col<&Photo::id>).from<Photo>().where(in(col<&Photo::data>, blobs));
    EXPECT_THROW((void)to_sql<sqlite>(blob_query), crucible::programming_error);
    EXPECT_EQ(to_sql<postgres>(blob_query), R"(SELECT "photo"."id" FROM "photo" WHERE ("photo"."data" = ANY($1)))");
}

// A multi-row VALUES past the database's parameter limit is a programming_error when rendered,
// before any driver sees it.
TEST(SqlBind, TooManyParametersIsAProgrammingError) {
    const std::vector<Album> rows(sqlite::max_parameters / 4 + 1, Album{0, 1, "t", 2000, std::nullopt});
    EXPECT_THROW((void)to_sql<sqlite>(insert_many(rows)), crucible::programming_error);
    EXPECT_NO_THROW((void)to_sql<postgres>(insert_many(rows)));
    const std::vector<Album> more(postgres::max_parameters / 4 + 1, Album{0, 1, "t", 2000, std::nullopt});
    EXPECT_THROW((void)to_sql<postgres>(insert_many_view(std::span<const Album>(more))), crucible::programming_error);
}

TEST(SqlBind, InsertLeavesOutTheAutoincrementKey) {
    expect_binds(insert(Album{9, 1, "Blue", 1971, std::nullopt}), {"1L", "'Blue'", "1971", "NULL"});
    expect_binds(insert(Tag{"jz", "Jazz", 3, "note"}), {"'jz'", "'Jazz'", "3", "'note'"});
    Album kept{9, 1, "Blue", 1971, std::nullopt};
    const auto view = insert_view(kept);
    kept.title = "Green";  // bound where it is, when the statement binds
    expect_binds(view, {"1L", "'Green'", "1971", "NULL"});
    const auto many = insert_many(std::vector<Album>{{1, 2, "A", 2001, 9.5}, {3, 4, "B", 2002, std::nullopt}});
    expect_binds(many, {"2L", "'A'", "2001", "9.5f", "4L", "'B'", "2002", "NULL"});
    const auto chosen = insert_into<Album>.values(col<&Album::title> = "T", col<&Album::year> = 1999, col<&Album::artist_id> = std::int64_t{5},
                                                  col<&Album::price> = std::nullopt);
    EXPECT_EQ(to_sql<sqlite>(chosen), R"(INSERT INTO "albums" ("title", "year", "artist_id", "price") VALUES (?, ?, ?, NULL))");
    expect_binds(chosen, {"'T'", "1999", "5L"});
}

TEST(SqlBind, UpsertBindsValuesThenUpdateThenReturning) {
    const auto statement = insert(Tag{"jz", "Jazz", 3, std::nullopt})
                               .on_conflict<&Tag::code>()
                               .do_update(col<&Tag::weight> = col<&Tag::weight> + 10, col<&Tag::note> = "again")
                               .returning(col<&Tag::weight>);
    expect_binds(statement, {"'jz'", "'Jazz'", "3", "NULL", "10", "'again'"});
}

TEST(SqlBind, UpdateBindsSetThenWhere) {
    const auto statement = update<Album>()
                               .set(col<&Album::title> = "New", col<&Album::year> = col<&Album::year> + 1, col<&Album::price> = std::optional<double>{})
                               .where(col<&Album::id> == std::int64_t{3} && col<&Album::title> != "Old");
    expect_binds(statement, {"'New'", "1", "NULL", "3L", "'Old'"});
    expect_binds(delete_from<Album>().where(between(col<&Album::year>, 1, 2)).returning(col<&Album::id>), {"1", "2"});
    expect_binds(update<Album>().set(col<&Album::price> = 1.0).all_rows(), {"1f"});
}

TEST(SqlBind, CompoundStatementsBindEachPartInOrder) {
    const auto both = union_all(select(col<&Artist::name>).from<Artist>().where(col<&Artist::id> == std::int64_t{1}),
                                select(col<&Album::title>).from<Album>().where(col<&Album::year> == 2))
                          .union_(select(col<&Employee::name>).from<Employee>().where(col<&Employee::active> == true));
    expect_binds(both, {"1L", "2", "true"});
    const auto walk = with_recursive(cte<Reach>(union_(select(col<&Edge::src>).from<Edge>().where(col<&Edge::src> == std::int64_t{7}),
                                                       select(col<&Edge::dst>).from<Edge>().join<Reach>(col<&Edge::src> == col<&Reach::node>))))(
        select(col<&Reach::node>).from<Reach>().where(col<&Reach::node> != std::int64_t{8}).limit(50));
    expect_binds(walk, {"7L", "8L", "50L"});
}

TEST(SqlBind, DynamicFilterRendersAndBindsAtRunTime) {
    const std::optional<std::string> city = "Oslo";
    const std::optional<std::int64_t> min_id;
    dynamic_filter<Artist> filter;
    filter.add(col<&Artist::name> != "x");
    if (city) {
        filter.add(col<&Artist::city> == *city || col<&Artist::city> == std::nullopt);
    }
    if (min_id) {
        filter.add(col<&Artist::id> > *min_id);
    }
    EXPECT_EQ(filter.size(), 2U);
    const auto query = select(col<&Artist::id>).from<Artist>().where(filter).order_by(col<&Artist::id>).limit(5);
    static_assert(!decltype(query)::is_static);
    EXPECT_EQ(to_sql<sqlite>(query),
              R"(SELECT "artist"."id" FROM "artist" WHERE (("artist"."name" <> ?) AND (("artist"."city" = ?) OR ("artist"."city" IS NULL))) ORDER BY "artist"."id" ASC LIMIT ?)");
    EXPECT_EQ(to_sql<postgres>(query),
              R"(SELECT "artist"."id" FROM "artist" WHERE (("artist"."name" <> $1) AND (("artist"."city" = $2) OR ("artist"."city" IS NULL))) ORDER BY "artist"."id" ASC LIMIT $3)");
    expect_binds(query, {"'x'", "'Oslo'", "5L"});

    // An empty filter is true, and binds nothing.
    const dynamic_filter<Artist> empty;
    const auto everything = select(col<&Artist::id>).from<Artist>().where(empty);
    EXPECT_EQ(to_sql<postgres>(everything), R"(SELECT "artist"."id" FROM "artist" WHERE (1 = 1))");
    expect_binds(everything, {});

    // A filter over a join reads both tables; it is also usable in UPDATE and DELETE.
    dynamic_filter<Artist, Album> joined;
    joined.add(col<&Album::year> > 1990).add(lower(col<&Artist::name>) == "nina");
    const auto rows = select(col<&Album::title>).from<Album>().join<Artist>(col<&Artist::id> == col<&Album::artist_id>).where(joined);
    EXPECT_EQ(to_sql<postgres>(rows),
              R"(SELECT "albums"."title" FROM "albums" INNER JOIN "artist" ON ("artist"."id" = "albums"."artist_id") WHERE (("albums"."year" > $1) AND (LOWER("artist"."name") = $2)))");
    dynamic_filter<Album> old;
    old.add(col<&Album::year> < 1950);
    const auto removal = delete_from<Album>().where(old);
    EXPECT_EQ(to_sql<sqlite>(removal), R"(DELETE FROM "albums" WHERE (("albums"."year" < ?)))");
    EXPECT_EQ(bound(removal).size(), 1U);
}

} // namespace
} // namespace sql_test
