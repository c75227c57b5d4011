// SELECT statements rendered per dialect at compile time, one case per construct: select lists,
// DISTINCT, joins, self-joins, GROUP BY/HAVING, ORDER BY, LIMIT/OFFSET, subqueries, UNION, WITH;
// and the result type and parameter count each statement has.
#include "sql_test_tables.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace sql_test {
namespace {

using namespace crucible::sql;

template <class S>
constexpr bool renders(std::string_view sqlite_text, std::string_view postgres_text) {
    return lite<S> == sqlite_text && pg<S> == postgres_text;
}
#define STMT(...) decltype(__VA_ARGS__)

template <class S, class Row>
inline constexpr bool yields = std::is_same_v<typename S::result_type, Row>;

// ---- select lists ---------------------------------------------------------------------------------

using by_columns = STMT(select(col<&Artist::id>, col<&Artist::name>, col<&Artist::city>).from<Artist>());
static_assert(renders<by_columns>(R"(SELECT "artist"."id", "artist"."name", "artist"."city" FROM "artist")",
                                  R"(SELECT "artist"."id", "artist"."name", "artist"."city" FROM "artist")"));
static_assert(yields<by_columns, std::tuple<std::int64_t, std::string, std::optional<std::string>>>);
static_assert(parameter_count<by_columns, sqlite> == 0);

// Aliases in the select list, on columns and on expressions.
using labelled = STMT(select(as<"who">(col<&Artist::name>), as<"n">(length(col<&Artist::name>) + 1)).from<Artist>());
static_assert(renders<labelled>(R"(SELECT "artist"."name" AS "who", (LENGTH("artist"."name") + ?) AS "n" FROM "artist")",
                                R"(SELECT "artist"."name" AS "who", (LENGTH("artist"."name") + $1) AS "n" FROM "artist")"));
static_assert(yields<labelled, std::tuple<std::string, std::int64_t>>);
static_assert(parameter_count<labelled, postgres> == 1);

// A label belongs to the select list (and RETURNING): used again in WHERE, GROUP BY, HAVING or
// ORDER BY, or inside another expression, the labelled expression is written without it. (A
// grouped expression in the select list binds no parameter: PostgreSQL could not prove `$1` in
// the list equal to `$2` in GROUP BY.)
constexpr auto per_year = as<"per_year">(count());
constexpr auto lowered = as<"lowered">(lower(col<&Album::title>));
using reused_labels = STMT(select(lowered, per_year, as<"size">(length(lowered) + 1))
                               .from<Album>()
                               .where(lowered != "x")
                               .group_by(lowered)
                               .having(per_year > 1)
                               .order_by(desc(per_year), lowered));
static_assert(renders<reused_labels>(
    R"(SELECT LOWER("albums"."title") AS "lowered", COUNT(*) AS "per_year", (LENGTH(LOWER("albums"."title")) + ?) AS "size" FROM "albums" WHERE (LOWER("albums"."title") <> ?) GROUP BY LOWER("albums"."title") HAVING (COUNT(*) > ?) ORDER BY COUNT(*) DESC, LOWER("albums"."title") ASC)",
    R"(SELECT LOWER("albums"."title") AS "lowered", COUNT(*) AS "per_year", (LENGTH(LOWER("albums"."title")) + $1) AS "size" FROM "albums" WHERE (LOWER("albums"."title") <> $2) GROUP BY LOWER("albums"."title") HAVING (COUNT(*) > $3) ORDER BY COUNT(*) DESC, LOWER("albums"."title") ASC)"));
static_assert(yields<reused_labels, std::tuple<std::string, std::int64_t, std::int64_t>>);

// The whole struct: the struct is the row.
using whole = STMT(select<Artist>());
static_assert(renders<whole>(R"(SELECT "artist"."id", "artist"."name", "artist"."city" FROM "artist")",
                             R"(SELECT "artist"."id", "artist"."name", "artist"."city" FROM "artist")"));
static_assert(yields<whole, Artist>);
static_assert(renders<STMT(select(all_of<Album>).from<Album>().where(col<&Album::id> == 7))>(
    R"(SELECT "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "albums" WHERE ("albums"."id" = ?))",
    R"(SELECT "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "albums" WHERE ("albums"."id" = $1))"));
static_assert(whole::result_width == 3 && whole::column_count == 1);

using distinct_cities = STMT(select(col<&Artist::city>).from<Artist>().distinct());
static_assert(renders<distinct_cities>(R"(SELECT DISTINCT "artist"."city" FROM "artist")",
                                       R"(SELECT DISTINCT "artist"."city" FROM "artist")"));
static_assert(yields<distinct_cities, std::tuple<std::optional<std::string>>>);

// A select without FROM.
static_assert(renders<STMT(select(as<"one">(cast<std::int64_t>(std::int64_t{1}))))>(R"(SELECT CAST(? AS INTEGER) AS "one")",
                                                                                     R"(SELECT CAST($1 AS BIGINT) AS "one")"));

// Into a user struct of the same shape.
struct NameAndCity {
    std::string name;
    std::optional<std::string> city;
};
using into_struct = STMT(select(col<&Artist::name>, col<&Artist::city>).from<Artist>().as<NameAndCity>());
static_assert(renders<into_struct>(R"(SELECT "artist"."name", "artist"."city" FROM "artist")",
                                   R"(SELECT "artist"."name", "artist"."city" FROM "artist")"));
static_assert(yields<into_struct, NameAndCity>);
static_assert(std::is_same_v<into_struct::row_tuple, std::tuple<std::string, std::optional<std::string>>>);

// ---- WHERE, ORDER BY, LIMIT, OFFSET, FOR UPDATE ----------------------------------------------------

using paged = STMT(select(col<&Artist::id>, col<&Artist::name>)
                       .from<Artist>()
                       .where(col<&Artist::name> == "Nina" && col<&Artist::id> > 3)
                       .order_by(desc(col<&Artist::id>), asc(col<&Artist::name>), col<&Artist::city>)
                       .limit(10)
                       .offset(20));
static_assert(renders<paged>(
    R"(SELECT "artist"."id", "artist"."name" FROM "artist" WHERE (("artist"."name" = ?) AND ("artist"."id" > ?)) ORDER BY "artist"."id" DESC, "artist"."name" ASC, "artist"."city" ASC LIMIT ? OFFSET ?)",
    R"(SELECT "artist"."id", "artist"."name" FROM "artist" WHERE (("artist"."name" = $1) AND ("artist"."id" > $2)) ORDER BY "artist"."id" DESC, "artist"."name" ASC, "artist"."city" ASC LIMIT $3 OFFSET $4)"));
// OFFSET alone: SQLite wants a LIMIT before it (-1, none).
static_assert(renders<STMT(select(col<&Artist::id>).from<Artist>().order_by(col<&Artist::id>).offset(5))>(
    R"(SELECT "artist"."id" FROM "artist" ORDER BY "artist"."id" ASC LIMIT -1 OFFSET ?)",
    R"(SELECT "artist"."id" FROM "artist" ORDER BY "artist"."id" ASC OFFSET $1)"));
// LIMIT and OFFSET are parameters too.
static_assert(parameter_count<paged, sqlite> == 4 && parameter_count<paged, postgres> == 4);
static_assert(renders<STMT(select<Artist>().order_by(desc(lower(col<&Artist::name>))).limit(1))>(
    R"(SELECT "artist"."id", "artist"."name", "artist"."city" FROM "artist" ORDER BY LOWER("artist"."name") DESC LIMIT ?)",
    R"(SELECT "artist"."id", "artist"."name", "artist"."city" FROM "artist" ORDER BY LOWER("artist"."name") DESC LIMIT $1)"));
static_assert(pg<STMT(select<Employee>().where(col<&Employee::id> == 1).for_update())> ==
              R"(SELECT "employee"."id", "employee"."name", "employee"."boss_id", "employee"."salary", "employee"."active" FROM "employee" WHERE ("employee"."id" = $1) FOR UPDATE)");

// ---- GROUP BY, HAVING ------------------------------------------------------------------------------

using per_artist = STMT(select(col<&Album::artist_id>, as<"albums">(count()), as<"first">(min(col<&Album::year>)))
                            .from<Album>()
                            .group_by(col<&Album::artist_id>)
                            .having(count() > 2)
                            .order_by(desc(count())));
static_assert(renders<per_artist>(
    R"(SELECT "albums"."artist_id", COUNT(*) AS "albums", MIN("albums"."year") AS "first" FROM "albums" GROUP BY "albums"."artist_id" HAVING (COUNT(*) > ?) ORDER BY COUNT(*) DESC)",
    R"(SELECT "albums"."artist_id", COUNT(*) AS "albums", MIN("albums"."year") AS "first" FROM "albums" GROUP BY "albums"."artist_id" HAVING (COUNT(*) > $1) ORDER BY COUNT(*) DESC)"));
static_assert(yields<per_artist, std::tuple<std::int64_t, std::int64_t, std::optional<std::int32_t>>>);
// Aggregates alone need no GROUP BY; grouping by an expression groups its columns.
using totals = STMT(select(count(), sum(col<&Album::price>), avg(col<&Album::year>), max(col<&Album::title>)).from<Album>());
static_assert(renders<totals>(
    R"(SELECT COUNT(*), CAST(SUM("albums"."price") AS DOUBLE PRECISION), CAST(AVG("albums"."year") AS DOUBLE PRECISION), MAX("albums"."title") FROM "albums")",
    R"(SELECT COUNT(*), CAST(SUM("albums"."price") AS DOUBLE PRECISION), CAST(AVG("albums"."year") AS DOUBLE PRECISION), MAX("albums"."title") FROM "albums")"));
static_assert(yields<totals, std::tuple<std::int64_t, std::optional<double>, std::optional<double>, std::optional<std::string>>>);
static_assert(renders<STMT(select(col<&Album::year>, col<&Album::artist_id>, count_distinct(col<&Album::title>))
                               .from<Album>()
                               .group_by(col<&Album::year>, col<&Album::artist_id>)
                               .having(count_distinct(col<&Album::title>) >= 2 && max(col<&Album::price>) < 10.0))>(
    R"(SELECT "albums"."year", "albums"."artist_id", COUNT(DISTINCT "albums"."title") FROM "albums" GROUP BY "albums"."year", "albums"."artist_id" HAVING ((COUNT(DISTINCT "albums"."title") >= ?) AND (MAX("albums"."price") < ?)))",
    R"(SELECT "albums"."year", "albums"."artist_id", COUNT(DISTINCT "albums"."title") FROM "albums" GROUP BY "albums"."year", "albums"."artist_id" HAVING ((COUNT(DISTINCT "albums"."title") >= $1) AND (MAX("albums"."price") < $2)))"));

// ---- joins ----------------------------------------------------------------------------------------

using inner = STMT(select(all_of<Artist>, all_of<Album>).from<Artist>().join<Album>(col<&Album::artist_id> == col<&Artist::id>));
static_assert(renders<inner>(
    R"(SELECT "artist"."id", "artist"."name", "artist"."city", "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "artist" INNER JOIN "albums" ON ("albums"."artist_id" = "artist"."id"))",
    R"(SELECT "artist"."id", "artist"."name", "artist"."city", "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "artist" INNER JOIN "albums" ON ("albums"."artist_id" = "artist"."id"))"));
static_assert(yields<inner, std::tuple<Artist, Album>>);
static_assert(inner::result_width == 8);

// The left-joined side is optional in the result.
using outer = STMT(select(all_of<Artist>, all_of<Album>).from<Artist>().left_join<Album>(col<&Album::artist_id> == col<&Artist::id>));
static_assert(yields<outer, std::tuple<Artist, std::optional<Album>>>);
using outer_columns = STMT(select(col<&Artist::name>, col<&Album::title>, col<&Album::price>)
                               .from<Artist>()
                               .left_join<Album>(col<&Album::artist_id> == col<&Artist::id> && col<&Album::year> > 2000)
                               .where(col<&Artist::city> != std::nullopt));
static_assert(renders<outer_columns>(
    R"(SELECT "artist"."name", "albums"."title", "albums"."price" FROM "artist" LEFT JOIN "albums" ON (("albums"."artist_id" = "artist"."id") AND ("albums"."year" > ?)) WHERE ("artist"."city" IS NOT NULL))",
    R"(SELECT "artist"."name", "albums"."title", "albums"."price" FROM "artist" LEFT JOIN "albums" ON (("albums"."artist_id" = "artist"."id") AND ("albums"."year" > $1)) WHERE ("artist"."city" IS NOT NULL))"));
static_assert(yields<outer_columns, std::tuple<std::string, std::optional<std::string>, std::optional<double>>>);

// Tables as values, the spelling generic code uses without `.template`: the same statements.
using inner_by_value = STMT(select(all_of<Artist>, all_of<Album>).from(table<Artist>).join(table<Album>, col<&Album::artist_id> == col<&Artist::id>));
static_assert(std::is_same_v<inner_by_value, inner>);
using outer_by_value = STMT(select(all_of<Artist>, all_of<Album>).from(table<Artist>).left_join(table<Album>, col<&Album::artist_id> == col<&Artist::id>));
static_assert(std::is_same_v<outer_by_value, outer>);
template <class A, class B>
constexpr auto generic_join() {  // in a template: no `.template` before from, join or left_join
    return select(col<&A::name>).from(table<A>).left_join(table<B>, col<&B::artist_id> == col<&A::id>);
}
static_assert(std::is_same_v<decltype(generic_join<Artist, Album>()),
                             STMT(select(col<&Artist::name>).from<Artist>().left_join<Album>(col<&Album::artist_id> == col<&Artist::id>))>);

// COUNT over the outer-joined side counts no rows, never NULL; MAX of nothing is NULL anyway.
using counted = STMT(select(col<&Artist::name>, count(col<&Album::id>), max(col<&Album::year>))
                         .from<Artist>()
                         .left_join<Album>(col<&Album::artist_id> == col<&Artist::id>)
                         .group_by(col<&Artist::name>)
                         .order_by(col<&Artist::name>));
static_assert(renders<counted>(
    R"(SELECT "artist"."name", COUNT("albums"."id"), MAX("albums"."year") FROM "artist" LEFT JOIN "albums" ON ("albums"."artist_id" = "artist"."id") GROUP BY "artist"."name" ORDER BY "artist"."name" ASC)",
    R"(SELECT "artist"."name", COUNT("albums"."id"), MAX("albums"."year") FROM "artist" LEFT JOIN "albums" ON ("albums"."artist_id" = "artist"."id") GROUP BY "artist"."name" ORDER BY "artist"."name" ASC)"));
static_assert(yields<counted, std::tuple<std::string, std::int64_t, std::optional<std::int32_t>>>);

// Grouped by the primary key, the table's other columns are one value per group (functionally
// dependent): they may be selected and ordered by without being listed in GROUP BY.
using by_key = STMT(select(col<&Artist::id>, col<&Artist::name>, count(col<&Album::id>))
                        .from<Artist>()
                        .left_join<Album>(col<&Album::artist_id> == col<&Artist::id>)
                        .group_by(col<&Artist::id>)
                        .order_by(col<&Artist::name>));
static_assert(renders<by_key>(
    R"(SELECT "artist"."id", "artist"."name", COUNT("albums"."id") FROM "artist" LEFT JOIN "albums" ON ("albums"."artist_id" = "artist"."id") GROUP BY "artist"."id" ORDER BY "artist"."name" ASC)",
    R"(SELECT "artist"."id", "artist"."name", COUNT("albums"."id") FROM "artist" LEFT JOIN "albums" ON ("albums"."artist_id" = "artist"."id") GROUP BY "artist"."id" ORDER BY "artist"."name" ASC)"));

// Self-join through an alias; two joins.
using with_boss = STMT(select(col<&Employee::name>, col<&Employee::name, boss>)
                           .from<Employee>()
                           .left_join<boss>(col<&Employee::boss_id> == col<&Employee::id, boss>)
                           .where(col<&Employee::salary, boss> > col<&Employee::salary>));
static_assert(renders<with_boss>(
    R"(SELECT "employee"."name", "boss"."name" FROM "employee" LEFT JOIN "employee" AS "boss" ON ("employee"."boss_id" = "boss"."id") WHERE ("boss"."salary" > "employee"."salary"))",
    R"(SELECT "employee"."name", "boss"."name" FROM "employee" LEFT JOIN "employee" AS "boss" ON ("employee"."boss_id" = "boss"."id") WHERE ("boss"."salary" > "employee"."salary"))"));
static_assert(yields<with_boss, std::tuple<std::string, std::optional<std::string>>>);
using three = STMT(select(col<&Employee::name, boss>, all_of<Album>)
                       .from<Employee>()
                       .join<boss>(col<&Employee::boss_id> == col<&Employee::id, boss>)
                       .join<Album>(col<&Album::artist_id> == col<&Employee::id>));
static_assert(renders<three>(
    R"(SELECT "boss"."name", "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "employee" INNER JOIN "employee" AS "boss" ON ("employee"."boss_id" = "boss"."id") INNER JOIN "albums" ON ("albums"."artist_id" = "employee"."id"))",
    R"(SELECT "boss"."name", "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "employee" INNER JOIN "employee" AS "boss" ON ("employee"."boss_id" = "boss"."id") INNER JOIN "albums" ON ("albums"."artist_id" = "employee"."id"))"));
static_assert(yields<three, std::tuple<std::string, Album>>);
// Several tables in FROM.
static_assert(renders<STMT(select(col<&Artist::name>, col<&Album::title>).from<Artist, Album>().where(col<&Album::artist_id> == col<&Artist::id>))>(
    R"(SELECT "artist"."name", "albums"."title" FROM "artist", "albums" WHERE ("albums"."artist_id" = "artist"."id"))",
    R"(SELECT "artist"."name", "albums"."title" FROM "artist", "albums" WHERE ("albums"."artist_id" = "artist"."id"))"));

// ---- subqueries: as a value, in IN, in EXISTS --------------------------------------------------------

using album_count = STMT(select(col<&Artist::name>,
                                as<"albums">(subquery(select(count()).from<Album>().where(col<&Album::artist_id> == col<&Artist::id>))))
                             .from<Artist>());
static_assert(renders<album_count>(
    R"(SELECT "artist"."name", (SELECT COUNT(*) FROM "albums" WHERE ("albums"."artist_id" = "artist"."id")) AS "albums" FROM "artist")",
    R"(SELECT "artist"."name", (SELECT COUNT(*) FROM "albums" WHERE ("albums"."artist_id" = "artist"."id")) AS "albums" FROM "artist")"));
// A scalar subquery is NULL when it finds no row.
static_assert(yields<album_count, std::tuple<std::string, std::optional<std::int64_t>>>);
using above_average = STMT(select(col<&Album::title>).from<Album>().where(col<&Album::price> > subquery(select(avg(col<&Album::price>)).from<Album>())));
static_assert(renders<above_average>(
    R"(SELECT "albums"."title" FROM "albums" WHERE ("albums"."price" > (SELECT CAST(AVG("albums"."price") AS DOUBLE PRECISION) FROM "albums")))",
    R"(SELECT "albums"."title" FROM "albums" WHERE ("albums"."price" > (SELECT CAST(AVG("albums"."price") AS DOUBLE PRECISION) FROM "albums")))"));

// Parameters are numbered in text order across the outer query and its subqueries.
using in_subquery = STMT(select(col<&Artist::name>)
                             .from<Artist>()
                             .where(col<&Artist::name> != "x" &&
                                    in(col<&Artist::id>, select(col<&Album::artist_id>).from<Album>().where(col<&Album::year> > 2000)))
                             .limit(5));
static_assert(renders<in_subquery>(
    R"(SELECT "artist"."name" FROM "artist" WHERE (("artist"."name" <> ?) AND ("artist"."id" IN (SELECT "albums"."artist_id" FROM "albums" WHERE ("albums"."year" > ?)))) LIMIT ?)",
    R"(SELECT "artist"."name" FROM "artist" WHERE (("artist"."name" <> $1) AND ("artist"."id" IN (SELECT "albums"."artist_id" FROM "albums" WHERE ("albums"."year" > $2)))) LIMIT $3)"));
static_assert(parameter_count<in_subquery, postgres> == 3);

using having_albums = STMT(select(col<&Artist::name>)
                               .from<Artist>()
                               .where(exists(select(col<&Album::id>).from<Album>().where(col<&Album::artist_id> == col<&Artist::id>))));
static_assert(renders<having_albums>(
    R"(SELECT "artist"."name" FROM "artist" WHERE (EXISTS (SELECT "albums"."id" FROM "albums" WHERE ("albums"."artist_id" = "artist"."id"))))",
    R"(SELECT "artist"."name" FROM "artist" WHERE (EXISTS (SELECT "albums"."id" FROM "albums" WHERE ("albums"."artist_id" = "artist"."id"))))"));
static_assert(renders<STMT(select(col<&Artist::name>).from<Artist>().where(!exists(select<Album>().where(col<&Album::artist_id> == col<&Artist::id>))))>(
    R"(SELECT "artist"."name" FROM "artist" WHERE (NOT (EXISTS (SELECT "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "albums" WHERE ("albums"."artist_id" = "artist"."id")))))",
    R"(SELECT "artist"."name" FROM "artist" WHERE (NOT (EXISTS (SELECT "albums"."id", "albums"."artist_id", "albums"."title", "albums"."year", "albums"."price" FROM "albums" WHERE ("albums"."artist_id" = "artist"."id")))))"));
// A subquery's own tables do not leak out; a correlated one reads the outer table.
static_assert(std::is_same_v<STMT(subquery(select(count()).from<Album>()))::sources, crucible::sql::detail::type_list<>>);
static_assert(std::is_same_v<STMT(subquery(select(count()).from<Album>().where(col<&Album::artist_id> == col<&Artist::id>)))::sources,
                             crucible::sql::detail::type_list<Artist>>);

// ---- UNION, UNION ALL -------------------------------------------------------------------------------

using names = STMT(union_(select(col<&Artist::name>).from<Artist>(), select(col<&Album::title>).from<Album>()));
static_assert(renders<names>(R"(SELECT "artist"."name" FROM "artist" UNION SELECT "albums"."title" FROM "albums")",
                             R"(SELECT "artist"."name" FROM "artist" UNION SELECT "albums"."title" FROM "albums")"));
static_assert(yields<names, std::tuple<std::string>>);
using all_names = STMT(union_all(select(col<&Artist::name>).from<Artist>().where(col<&Artist::id> == 1),
                                 select(col<&Album::title>).from<Album>().where(col<&Album::id> == 2))
                           .union_(select(col<&Employee::name>).from<Employee>().where(col<&Employee::id> == 3)));
static_assert(renders<all_names>(
    R"(SELECT "artist"."name" FROM "artist" WHERE ("artist"."id" = ?) UNION ALL SELECT "albums"."title" FROM "albums" WHERE ("albums"."id" = ?) UNION SELECT "employee"."name" FROM "employee" WHERE ("employee"."id" = ?))",
    R"(SELECT "artist"."name" FROM "artist" WHERE ("artist"."id" = $1) UNION ALL SELECT "albums"."title" FROM "albums" WHERE ("albums"."id" = $2) UNION SELECT "employee"."name" FROM "employee" WHERE ("employee"."id" = $3))"));
static_assert(parameter_count<all_names, sqlite> == 3);

// ---- WITH, WITH RECURSIVE ---------------------------------------------------------------------------

using direct = STMT(with(cte<Reach>(select(col<&Edge::dst>).from<Edge>().where(col<&Edge::src> == 1)))(
    select(col<&Reach::node>).from<Reach>().order_by(col<&Reach::node>)));
static_assert(renders<direct>(
    R"(WITH "reach" ("node") AS (SELECT "edge"."dst" FROM "edge" WHERE ("edge"."src" = ?)) SELECT "reach"."node" FROM "reach" ORDER BY "reach"."node" ASC)",
    R"(WITH "reach" ("node") AS (SELECT "edge"."dst" FROM "edge" WHERE ("edge"."src" = $1)) SELECT "reach"."node" FROM "reach" ORDER BY "reach"."node" ASC)"));
static_assert(yields<direct, std::tuple<std::int64_t>>);
using reachable = STMT(with_recursive(cte<Reach>(union_(select(col<&Edge::src>).from<Edge>().where(col<&Edge::src> == 1),
                                                        select(col<&Edge::dst>).from<Edge>().join<Reach>(col<&Edge::src> == col<&Reach::node>))))(
    select(all_of<Reach>).from<Reach>().limit(100)));
static_assert(renders<reachable>(
    R"(WITH RECURSIVE "reach" ("node") AS (SELECT "edge"."src" FROM "edge" WHERE ("edge"."src" = ?) UNION SELECT "edge"."dst" FROM "edge" INNER JOIN "reach" ON ("edge"."src" = "reach"."node")) SELECT "reach"."node" FROM "reach" LIMIT ?)",
    R"(WITH RECURSIVE "reach" ("node") AS (SELECT "edge"."src" FROM "edge" WHERE ("edge"."src" = $1) UNION SELECT "edge"."dst" FROM "edge" INNER JOIN "reach" ON ("edge"."src" = "reach"."node")) SELECT "reach"."node" FROM "reach" LIMIT $2)"));
static_assert(yields<reachable, Reach>);
static_assert(parameter_count<reachable, postgres> == 2);

// ---- what cannot be expressed ---------------------------------------------------------------------

// A statement whose text depends on run-time data has no compile-time text.
template <class S, class D>
concept has_static_text = requires { sql_text<S, D>; };
static_assert(has_static_text<by_columns, sqlite> && has_static_text<names, postgres>);
static_assert(!has_static_text<STMT(select(col<&Album::id>).from<Album>().where(in(col<&Album::year>, std::vector<int>{}))), sqlite>);
// A subquery of a select only; EXISTS of a select only.
template <class Q>
concept can_exist = requires(Q q) { exists(q); };
static_assert(can_exist<by_columns> && !can_exist<column_t<&Artist::id>> && !can_exist<names>);

TEST(SqlSelect, TextIsAStaticCString) {
    // The text has static storage and ends with NUL, so the backends can hand `.data()` to a driver.
    constexpr std::string_view text = pg<paged>;
    EXPECT_EQ(text.data()[text.size()], '\0');
    EXPECT_EQ(lite<paged>.data(), lite<paged>.data());
    EXPECT_NE(static_cast<const void*>(lite<paged>.data()), static_cast<const void*>(pg<paged>.data()));
}

} // namespace
} // namespace sql_test
