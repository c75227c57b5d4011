// SQL expressions rendered per dialect, compared as exact strings at compile time: one case per
// construct (operators, functions, aggregates), with the C++ type each expression has.
#include "sql_test_tables.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace sql_test {
namespace {

using namespace crucible::sql;

template <class S>
constexpr bool renders(std::string_view sqlite_text, std::string_view postgres_text) {
    return lite<S> == sqlite_text && pg<S> == postgres_text;
}

// The statement `SELECT <expression> FROM "albums"`.
template <class E>
using on_albums = decltype(select(std::declval<E>()).template from<Album>());
#define ALBUMS(...) on_albums<decltype(__VA_ARGS__)>

// The statement `SELECT "albums"."id" FROM "albums" WHERE <condition>`.
template <class E>
using albums_where = decltype(select(col<&Album::id>).template from<Album>().where(std::declval<E>()));
#define WHERE(...) albums_where<decltype(__VA_ARGS__)>

template <class E>
using type_of = typename E::value_type;
#define TYPE(...) type_of<decltype(__VA_ARGS__)>

// ---- comparison -----------------------------------------------------------------------------------

static_assert(renders<WHERE(col<&Album::year> == 1999)>(R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."year" = ?))",
                                                       R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."year" = $1))"));
static_assert(renders<ALBUMS(col<&Album::year> != 1)>(R"(SELECT ("albums"."year" <> ?) FROM "albums")",
                                                     R"(SELECT ("albums"."year" <> $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> < 1)>(R"(SELECT ("albums"."year" < ?) FROM "albums")",
                                                    R"(SELECT ("albums"."year" < $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> <= 1)>(R"(SELECT ("albums"."year" <= ?) FROM "albums")",
                                                     R"(SELECT ("albums"."year" <= $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> > 1)>(R"(SELECT ("albums"."year" > ?) FROM "albums")",
                                                    R"(SELECT ("albums"."year" > $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> >= 1)>(R"(SELECT ("albums"."year" >= ?) FROM "albums")",
                                                     R"(SELECT ("albums"."year" >= $1) FROM "albums")"));
// Column with column, value on the left, text values.
static_assert(renders<ALBUMS(col<&Album::year> < col<&Album::id>)>(R"(SELECT ("albums"."year" < "albums"."id") FROM "albums")",
                                                                  R"(SELECT ("albums"."year" < "albums"."id") FROM "albums")"));
static_assert(renders<ALBUMS(2000 > col<&Album::year>)>(R"(SELECT (? > "albums"."year") FROM "albums")",
                                                       R"(SELECT ($1 > "albums"."year") FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::title> == "Blue")>(R"(SELECT ("albums"."title" = ?) FROM "albums")",
                                                           R"(SELECT ("albums"."title" = $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::title> == std::string_view("Blue"))>(R"(SELECT ("albums"."title" = ?) FROM "albums")",
                                                                             R"(SELECT ("albums"."title" = $1) FROM "albums")"));
// A nullable column compares with a plain value; the result may be NULL.
static_assert(renders<ALBUMS(col<&Album::price> > 9.5)>(R"(SELECT ("albums"."price" > ?) FROM "albums")",
                                                       R"(SELECT ("albums"."price" > $1) FROM "albums")"));
static_assert(std::is_same_v<TYPE(col<&Album::year> == 1), bool>);
static_assert(std::is_same_v<TYPE(col<&Album::price> > 9.5), std::optional<bool>>);
// Values are parameters of their own C++ type; text literals become std::string.
static_assert(std::is_same_v<decltype(std::declval<decltype(col<&Album::year> == 1)>().rhs), parameter<int>>);
static_assert(std::is_same_v<decltype(std::declval<decltype(col<&Album::title> == "x")>().rhs), parameter<std::string>>);

// ---- AND, OR, NOT ---------------------------------------------------------------------------------

static_assert(renders<WHERE(col<&Album::year> > 1990 && col<&Album::year> < 2000)>(
    R"(SELECT "albums"."id" FROM "albums" WHERE (("albums"."year" > ?) AND ("albums"."year" < ?)))",
    R"(SELECT "albums"."id" FROM "albums" WHERE (("albums"."year" > $1) AND ("albums"."year" < $2)))"));
static_assert(renders<WHERE(col<&Album::year> == 1 || col<&Album::year> == 2 || col<&Album::year> == 3)>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ((("albums"."year" = ?) OR ("albums"."year" = ?)) OR ("albums"."year" = ?)))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ((("albums"."year" = $1) OR ("albums"."year" = $2)) OR ("albums"."year" = $3)))"));
static_assert(renders<WHERE(!(col<&Album::year> < 1) || col<&Album::price> > 2.5)>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ((NOT ("albums"."year" < ?)) OR ("albums"."price" > ?)))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ((NOT ("albums"."year" < $1)) OR ("albums"."price" > $2)))"));
// A bool column is a condition by itself.
static_assert(renders<decltype(select(col<&Employee::id>).from<Employee>().where(col<&Employee::active> && !col<&Employee::active>))>(
    R"(SELECT "employee"."id" FROM "employee" WHERE ("employee"."active" AND (NOT "employee"."active")))",
    R"(SELECT "employee"."id" FROM "employee" WHERE ("employee"."active" AND (NOT "employee"."active")))"));
static_assert(std::is_same_v<TYPE(col<&Album::year> == 1 && col<&Album::price> > 1.0), std::optional<bool>>);

// ---- arithmetic -----------------------------------------------------------------------------------

static_assert(renders<ALBUMS(col<&Album::year> + 1)>(R"(SELECT ("albums"."year" + ?) FROM "albums")",
                                                    R"(SELECT ("albums"."year" + $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> - 1)>(R"(SELECT ("albums"."year" - ?) FROM "albums")",
                                                    R"(SELECT ("albums"."year" - $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> * col<&Album::price>)>(R"(SELECT ("albums"."year" * "albums"."price") FROM "albums")",
                                                                     R"(SELECT ("albums"."year" * "albums"."price") FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> / 2)>(R"(SELECT ("albums"."year" / ?) FROM "albums")",
                                                    R"(SELECT ("albums"."year" / $1) FROM "albums")"));
static_assert(renders<ALBUMS(col<&Album::year> % 2)>(R"(SELECT ("albums"."year" % ?) FROM "albums")",
                                                    R"(SELECT ("albums"."year" % $1) FROM "albums")"));
static_assert(renders<ALBUMS((col<&Album::year> + 1) * 2 - col<&Album::id>)>(
    R"(SELECT ((("albums"."year" + ?) * ?) - "albums"."id") FROM "albums")",
    R"(SELECT ((("albums"."year" + $1) * $2) - "albums"."id") FROM "albums")"));
static_assert(std::is_same_v<TYPE(col<&Album::year> + col<&Album::id>), std::int64_t>);
static_assert(std::is_same_v<TYPE(col<&Album::year> * col<&Album::price>), std::optional<double>>);

// ---- LIKE, ILIKE (PostgreSQL; SQLite is a compile-fail case) ---------------------------------------

static_assert(renders<WHERE(like(col<&Album::title>, "%Blue%"))>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."title" LIKE ?))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."title" LIKE $1))"));
static_assert(pg<WHERE(ilike(col<&Album::title>, "blue%"))> ==
              R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."title" ILIKE $1))");
// The portable spelling of a case-insensitive match.
static_assert(renders<WHERE(like(lower(col<&Album::title>), lower(std::string("B%"))))>(
    R"(SELECT "albums"."id" FROM "albums" WHERE (LOWER("albums"."title") LIKE LOWER(?)))",
    R"(SELECT "albums"."id" FROM "albums" WHERE (LOWER("albums"."title") LIKE LOWER($1)))"));

// User input as a literal part of a pattern: LIKE ... ESCAPE '\' on both databases.
static_assert(renders<WHERE(like_escaped(lower(col<&Album::title>), std::string("%50\\%%")))>(
    R"(SELECT "albums"."id" FROM "albums" WHERE (LOWER("albums"."title") LIKE ? ESCAPE '\'))",
    R"(SELECT "albums"."id" FROM "albums" WHERE (LOWER("albums"."title") LIKE $1 ESCAPE '\'))"));

// ---- BETWEEN, IS [NOT] NULL ------------------------------------------------------------------------

static_assert(renders<WHERE(between(col<&Album::year>, 1990, 1999))>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."year" BETWEEN ? AND ?))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."year" BETWEEN $1 AND $2))"));
static_assert(renders<WHERE(col<&Album::price> == std::nullopt)>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NULL))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NULL))"));
static_assert(renders<WHERE(col<&Album::price> != std::nullopt)>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NOT NULL))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NOT NULL))"));
static_assert(renders<WHERE(is_null(col<&Album::price>))>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NULL))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NULL))"));
static_assert(renders<WHERE(is_not_null(col<&Album::price>))>(
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NOT NULL))",
    R"(SELECT "albums"."id" FROM "albums" WHERE ("albums"."price" IS NOT NULL))"));
static_assert(std::is_same_v<TYPE(col<&Album::price> == std::nullopt), bool>);
static_assert(std::is_same_v<TYPE(between(col<&Album::year>, 1, 2)), bool>);
static_assert(std::is_same_v<TYPE(between(col<&Album::year>, 1, col<&Album::price>)), std::optional<bool>>);

// ---- COALESCE, CASE --------------------------------------------------------------------------------

static_assert(renders<ALBUMS(coalesce(col<&Album::price>, 0.0))>(R"(SELECT COALESCE("albums"."price", ?) FROM "albums")",
                                                                R"(SELECT COALESCE("albums"."price", $1) FROM "albums")"));
static_assert(renders<ALBUMS(coalesce(col<&Album::price>, col<&Album::price>, 1.5))>(
    R"(SELECT COALESCE("albums"."price", "albums"."price", ?) FROM "albums")",
    R"(SELECT COALESCE("albums"."price", "albums"."price", $1) FROM "albums")"));
static_assert(std::is_same_v<TYPE(coalesce(col<&Album::price>, 0.0)), double>);
static_assert(std::is_same_v<TYPE(coalesce(col<&Album::price>, col<&Album::price>)), std::optional<double>>);

static_assert(renders<ALBUMS(case_when(col<&Album::year> < 2000, "old"))>(
    R"(SELECT CASE WHEN ("albums"."year" < ?) THEN ? END FROM "albums")",
    R"(SELECT CASE WHEN ("albums"."year" < $1) THEN $2 END FROM "albums")"));
static_assert(renders<ALBUMS(case_when(col<&Album::year> < 2000, "old").else_(col<&Album::title>))>(
    R"(SELECT CASE WHEN ("albums"."year" < ?) THEN ? ELSE "albums"."title" END FROM "albums")",
    R"(SELECT CASE WHEN ("albums"."year" < $1) THEN $2 ELSE "albums"."title" END FROM "albums")"));
static_assert(renders<ALBUMS(case_when(col<&Album::year> < 2000, "old").when(col<&Album::year> < 2010, "mid").else_("new"))>(
    R"(SELECT CASE WHEN ("albums"."year" < ?) THEN ? WHEN ("albums"."year" < ?) THEN ? ELSE ? END FROM "albums")",
    R"(SELECT CASE WHEN ("albums"."year" < $1) THEN $2 WHEN ("albums"."year" < $3) THEN $4 ELSE $5 END FROM "albums")"));
// Without ELSE, or with a nullable branch, the result may be NULL.
static_assert(std::is_same_v<TYPE(case_when(col<&Album::year> < 2000, "old")), std::optional<std::string>>);
static_assert(std::is_same_v<TYPE(case_when(col<&Album::year> < 2000, "old").else_("new")), std::string>);
static_assert(std::is_same_v<TYPE(case_when(col<&Album::year> < 2000, col<&Album::price>).else_(0.0)), std::optional<double>>);

// ---- LOWER, UPPER, LENGTH, concatenation, CAST ------------------------------------------------------

static_assert(renders<ALBUMS(lower(col<&Album::title>))>(R"(SELECT LOWER("albums"."title") FROM "albums")",
                                                        R"(SELECT LOWER("albums"."title") FROM "albums")"));
static_assert(renders<ALBUMS(upper(col<&Album::title>))>(R"(SELECT UPPER("albums"."title") FROM "albums")",
                                                        R"(SELECT UPPER("albums"."title") FROM "albums")"));
static_assert(renders<ALBUMS(length(col<&Album::title>))>(R"(SELECT LENGTH("albums"."title") FROM "albums")",
                                                         R"(SELECT LENGTH("albums"."title") FROM "albums")"));
static_assert(std::is_same_v<TYPE(length(col<&Album::title>)), std::int64_t>);
static_assert(std::is_same_v<TYPE(upper(col<&Artist::city>)), std::optional<std::string>>);

static_assert(renders<ALBUMS(col<&Album::title> + " (" + col<&Album::title> + ")")>(
    R"(SELECT ((("albums"."title" || ?) || "albums"."title") || ?) FROM "albums")",
    R"(SELECT ((("albums"."title" || $1) || "albums"."title") || $2) FROM "albums")"));
static_assert(renders<ALBUMS(concat(col<&Album::title>, "!"))>(R"(SELECT ("albums"."title" || ?) FROM "albums")",
                                                              R"(SELECT ("albums"."title" || $1) FROM "albums")"));
static_assert(std::is_same_v<TYPE(col<&Album::title> + "!"), std::string>);
static_assert(std::is_same_v<TYPE(col<&Artist::name> + col<&Artist::city>), std::optional<std::string>>);

static_assert(renders<ALBUMS(cast<std::string>(col<&Album::year>))>(R"(SELECT CAST("albums"."year" AS TEXT) FROM "albums")",
                                                                   R"(SELECT CAST("albums"."year" AS TEXT) FROM "albums")"));
static_assert(renders<ALBUMS(cast<double>(col<&Album::year>))>(R"(SELECT CAST("albums"."year" AS REAL) FROM "albums")",
                                                              R"(SELECT CAST("albums"."year" AS DOUBLE PRECISION) FROM "albums")"));
static_assert(renders<ALBUMS(cast<std::int64_t>(col<&Album::price>))>(R"(SELECT CAST("albums"."price" AS INTEGER) FROM "albums")",
                                                                     R"(SELECT CAST("albums"."price" AS BIGINT) FROM "albums")"));
static_assert(std::is_same_v<TYPE(cast<std::string>(col<&Album::year>)), std::string>);
static_assert(std::is_same_v<TYPE(cast<std::int64_t>(col<&Album::price>)), std::optional<std::int64_t>>);

// ---- aggregates -----------------------------------------------------------------------------------

static_assert(renders<ALBUMS(count())>(R"(SELECT COUNT(*) FROM "albums")", R"(SELECT COUNT(*) FROM "albums")"));
static_assert(renders<ALBUMS(count(col<&Album::price>))>(R"(SELECT COUNT("albums"."price") FROM "albums")",
                                                        R"(SELECT COUNT("albums"."price") FROM "albums")"));
static_assert(renders<ALBUMS(count_distinct(col<&Album::artist_id>))>(R"(SELECT COUNT(DISTINCT "albums"."artist_id") FROM "albums")",
                                                                     R"(SELECT COUNT(DISTINCT "albums"."artist_id") FROM "albums")"));
// SUM and AVG are cast so both databases return the C++ type the expression has.
static_assert(renders<ALBUMS(sum(col<&Album::year>))>(R"(SELECT CAST(SUM("albums"."year") AS BIGINT) FROM "albums")",
                                                     R"(SELECT CAST(SUM("albums"."year") AS BIGINT) FROM "albums")"));
static_assert(renders<ALBUMS(sum(col<&Album::price>))>(R"(SELECT CAST(SUM("albums"."price") AS DOUBLE PRECISION) FROM "albums")",
                                                      R"(SELECT CAST(SUM("albums"."price") AS DOUBLE PRECISION) FROM "albums")"));
static_assert(renders<ALBUMS(avg(col<&Album::year>))>(R"(SELECT CAST(AVG("albums"."year") AS DOUBLE PRECISION) FROM "albums")",
                                                     R"(SELECT CAST(AVG("albums"."year") AS DOUBLE PRECISION) FROM "albums")"));
static_assert(renders<ALBUMS(min(col<&Album::title>))>(R"(SELECT MIN("albums"."title") FROM "albums")",
                                                      R"(SELECT MIN("albums"."title") FROM "albums")"));
static_assert(renders<ALBUMS(max(col<&Album::year>))>(R"(SELECT MAX("albums"."year") FROM "albums")",
                                                     R"(SELECT MAX("albums"."year") FROM "albums")"));
static_assert(renders<ALBUMS(max(col<&Album::year> + 1))>(R"(SELECT MAX(("albums"."year" + ?)) FROM "albums")",
                                                         R"(SELECT MAX(("albums"."year" + $1)) FROM "albums")"));
static_assert(std::is_same_v<TYPE(count()), std::int64_t>);
static_assert(std::is_same_v<TYPE(count(col<&Album::price>)), std::int64_t>);
static_assert(std::is_same_v<TYPE(count_distinct(col<&Album::artist_id>)), std::int64_t>);
static_assert(std::is_same_v<TYPE(sum(col<&Album::year>)), std::optional<std::int64_t>>);
static_assert(std::is_same_v<TYPE(sum(col<&Album::price>)), std::optional<double>>);
static_assert(std::is_same_v<TYPE(avg(col<&Album::year>)), std::optional<double>>);
static_assert(std::is_same_v<TYPE(min(col<&Album::title>)), std::optional<std::string>>);
static_assert(std::is_same_v<TYPE(max(col<&Album::year>)), std::optional<std::int32_t>>);

// ---- the rules, as predicates (each has a compile-fail case for the statement that breaks it) ------

namespace rules = crucible::sql::detail;
// 2: text with a number, bool with a number; enums only with the same enum.
enum class Genre : std::int32_t { jazz, rock };
enum class Mood : std::int32_t { calm };
static_assert(!rules::comparable<std::string, int>());
static_assert(!rules::comparable<bool, std::int64_t>());
static_assert(!rules::comparable<std::optional<std::string>, double>());
static_assert(!rules::comparable<Genre, std::int32_t>() && !rules::comparable<Genre, Mood>());
static_assert(rules::comparable<Genre, std::optional<Genre>>());
static_assert(rules::comparable<std::int32_t, std::optional<double>>() && rules::comparable<std::string, std::string>());
// 3: what an assignment accepts.
static_assert(rules::value_fits<column_t<&Album::year>, parameter<int>>());
static_assert(!rules::value_fits<column_t<&Album::year>, parameter<std::string>>());
static_assert(!rules::value_fits<column_t<&Album::title>, parameter<std::optional<std::string>>>());
static_assert(!rules::value_fits<column_t<&Album::title>, null_literal>());
static_assert(rules::value_fits<column_t<&Album::price>, null_literal>());
static_assert(rules::value_fits<column_t<&Album::price>, parameter<std::optional<double>>>());

// Constraints reject what is not an expression at all, before any check runs.
template <class... A>
concept can_select = requires(A... a) { select(a...); };
static_assert(can_select<column_t<&Album::id>> && !can_select<int> && !can_select<>);
template <class A, class B>
concept can_compare = requires(A a, B b) { a == b; };
static_assert(can_compare<column_t<&Album::id>, int> && can_compare<int, column_t<&Album::id>>);
template <class Q>
concept can_be_subquery = requires(Q q) { subquery(q); };
static_assert(!can_be_subquery<column_t<&Album::id>> && !can_be_subquery<int>);
template <class E, class R>
concept can_in = requires(E e, R r) { in(e, r); };
static_assert(!can_in<column_t<&Album::id>, int> && !can_in<int, std::vector<int>>);

TEST(SqlExpression, RendersAtCompileTime) {
    // Everything above is checked by the compiler; the SQL text also lives at run time.
    EXPECT_EQ(pg<ALBUMS(count())>, "SELECT COUNT(*) FROM \"albums\"");
}

} // namespace
} // namespace sql_test
