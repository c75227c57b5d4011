// INSERT, UPDATE and DELETE rendered per dialect at compile time, one case per construct: one
// struct, many structs, chosen columns, the autoincrement key left out, RETURNING, ON CONFLICT,
// SET values and expressions, WHERE or the explicit all_rows().
#include "sql_test_tables.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
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

// ---- INSERT ---------------------------------------------------------------------------------------

// The autoincrement `id` is left to the database.
using one_album = STMT(insert(Album{}));
static_assert(renders<one_album>(R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?))",
                                 R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4))"));
static_assert(yields<one_album, void>);
static_assert(parameter_count<one_album, postgres> == 4);
// insert_view binds the caller's row where it is: the same SQL.
static_assert(renders<STMT(insert_view(std::declval<const Album&>()))>(
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?))",
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4))"));
// A key the program assigns is written like any column.
static_assert(renders<STMT(insert(Tag{}))>(R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES (?, ?, ?, ?))",
                                           R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES ($1, $2, $3, $4))"));
static_assert(renders<STMT(insert(Edge{}))>(R"(INSERT INTO "edge" ("src", "dst") VALUES (?, ?))",
                                            R"(INSERT INTO "edge" ("src", "dst") VALUES ($1, $2))"));

// Chosen columns; a NOT NULL column with a default (Tag::weight) and nullable ones may be left out.
using chosen = STMT(insert_into<Album>.values(col<&Album::artist_id> = 1, col<&Album::title> = "Blue", col<&Album::year> = 1971));
static_assert(renders<chosen>(R"(INSERT INTO "albums" ("artist_id", "title", "year") VALUES (?, ?, ?))",
                              R"(INSERT INTO "albums" ("artist_id", "title", "year") VALUES ($1, $2, $3))"));
static_assert(renders<STMT(insert_into<Tag>.values(col<&Tag::label> = "Jazz", col<&Tag::code> = "jz"))>(
    R"(INSERT INTO "tag" ("label", "code") VALUES (?, ?))", R"(INSERT INTO "tag" ("label", "code") VALUES ($1, $2))"));
// NULL and expressions as values.
static_assert(renders<STMT(insert_into<Tag>.values(col<&Tag::code> = "x", col<&Tag::label> = lower(std::string("X")),
                                                   col<&Tag::note> = std::nullopt, col<&Tag::weight> = 3 + 4))>(
    R"(INSERT INTO "tag" ("code", "label", "note", "weight") VALUES (?, LOWER(?), NULL, ?))",
    R"(INSERT INTO "tag" ("code", "label", "note", "weight") VALUES ($1, LOWER($2), NULL, $3))"));

// RETURNING, both dialects (SQLite 3.35+ has it).
using returning_id = STMT(insert(Album{}).returning(col<&Album::id>));
static_assert(renders<returning_id>(R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?) RETURNING "id")",
                                    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4) RETURNING "id")"));
static_assert(yields<returning_id, std::tuple<std::int64_t>>);
using returning_row = STMT(insert(Album{}).returning(all_of<Album>));
static_assert(renders<returning_row>(
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?) RETURNING "id", "artist_id", "title", "year", "price")",
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4) RETURNING "id", "artist_id", "title", "year", "price")"));
static_assert(yields<returning_row, Album>);
using returning_two = STMT(insert_into<Artist>.values(col<&Artist::name> = "Nina").returning(col<&Artist::id>, col<&Artist::city>));
static_assert(renders<returning_two>(R"(INSERT INTO "artist" ("name") VALUES (?) RETURNING "id", "city")",
                                     R"(INSERT INTO "artist" ("name") VALUES ($1) RETURNING "id", "city")"));
static_assert(yields<returning_two, std::tuple<std::int64_t, std::optional<std::string>>>);
static_assert(renders<STMT(insert(Album{}).returning(as<"key">(col<&Album::id>), as<"shout">(upper(col<&Album::title>))))>(
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?) RETURNING "id" AS "key", UPPER("title") AS "shout")",
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4) RETURNING "id" AS "key", UPPER("title") AS "shout")"));

// ---- ON CONFLICT ----------------------------------------------------------------------------------

static_assert(renders<STMT(insert(Tag{}).on_conflict<&Tag::code>().do_nothing())>(
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES (?, ?, ?, ?) ON CONFLICT ("code") DO NOTHING)",
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES ($1, $2, $3, $4) ON CONFLICT ("code") DO NOTHING)"));
// A unique column, a composite unique constraint in any order, a composite primary key.
static_assert(renders<STMT(insert(Tag{}).on_conflict<&Tag::label>().do_nothing())>(
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES (?, ?, ?, ?) ON CONFLICT ("label") DO NOTHING)",
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES ($1, $2, $3, $4) ON CONFLICT ("label") DO NOTHING)"));
static_assert(renders<STMT(insert(Album{}).on_conflict<&Album::title, &Album::artist_id>().do_nothing().returning(col<&Album::id>))>(
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?) ON CONFLICT ("title", "artist_id") DO NOTHING RETURNING "id")",
    R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4) ON CONFLICT ("title", "artist_id") DO NOTHING RETURNING "id")"));
static_assert(renders<STMT(insert(Edge{}).on_conflict<&Edge::src, &Edge::dst>().do_nothing())>(
    R"(INSERT INTO "edge" ("src", "dst") VALUES (?, ?) ON CONFLICT ("src", "dst") DO NOTHING)",
    R"(INSERT INTO "edge" ("src", "dst") VALUES ($1, $2) ON CONFLICT ("src", "dst") DO NOTHING)"));
static_assert(renders<STMT(insert(Tag{}).on_conflict<&Tag::code>().do_update(col<&Tag::label> = excluded(col<&Tag::label>),
                                                                            col<&Tag::note> = excluded(col<&Tag::note>)))>(
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES (?, ?, ?, ?) ON CONFLICT ("code") DO UPDATE SET "label" = excluded."label", "note" = excluded."note")",
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES ($1, $2, $3, $4) ON CONFLICT ("code") DO UPDATE SET "label" = excluded."label", "note" = excluded."note")"));
// The existing row's columns are qualified with the table (PostgreSQL finds a bare name ambiguous
// next to `excluded`); parameters continue the numbering of VALUES.
using upsert_counter = STMT(insert(Tag{})
                                .on_conflict<&Tag::code>()
                                .do_update(col<&Tag::weight> = col<&Tag::weight> + excluded(col<&Tag::weight>) + 1)
                                .returning(col<&Tag::weight>));
static_assert(renders<upsert_counter>(
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES (?, ?, ?, ?) ON CONFLICT ("code") DO UPDATE SET "weight" = (("tag"."weight" + excluded."weight") + ?) RETURNING "weight")",
    R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES ($1, $2, $3, $4) ON CONFLICT ("code") DO UPDATE SET "weight" = (("tag"."weight" + excluded."weight") + $5) RETURNING "weight")"));
static_assert(parameter_count<upsert_counter, postgres> == 5);
static_assert(yields<upsert_counter, std::tuple<std::int32_t>>);

// ---- UPDATE ---------------------------------------------------------------------------------------

using set_value = STMT(update<Artist>().set(col<&Artist::city> = "Oslo").where(col<&Artist::id> == 7));
static_assert(renders<set_value>(R"(UPDATE "artist" SET "city" = ? WHERE ("artist"."id" = ?))",
                                 R"(UPDATE "artist" SET "city" = $1 WHERE ("artist"."id" = $2))"));
static_assert(yields<set_value, void>);
static_assert(renders<STMT(update<Album>()
                               .set(col<&Album::price> = std::nullopt, col<&Album::year> = col<&Album::year> + 1,
                                    col<&Album::title> = upper(col<&Album::title>))
                               .where(col<&Album::id> == 3 || col<&Album::price> == std::nullopt))>(
    R"(UPDATE "albums" SET "price" = NULL, "year" = ("albums"."year" + ?), "title" = UPPER("albums"."title") WHERE (("albums"."id" = ?) OR ("albums"."price" IS NULL)))",
    R"(UPDATE "albums" SET "price" = NULL, "year" = ("albums"."year" + $1), "title" = UPPER("albums"."title") WHERE (("albums"."id" = $2) OR ("albums"."price" IS NULL)))"));
// A nullable column takes a std::optional value; WHERE may hold a subquery.
static_assert(renders<STMT(update<Artist>()
                               .set(col<&Artist::city> = std::optional<std::string>("Rome"))
                               .where(in(col<&Artist::id>, select(col<&Album::artist_id>).from<Album>().where(col<&Album::year> < 1970))))>(
    R"(UPDATE "artist" SET "city" = ? WHERE ("artist"."id" IN (SELECT "albums"."artist_id" FROM "albums" WHERE ("albums"."year" < ?))))",
    R"(UPDATE "artist" SET "city" = $1 WHERE ("artist"."id" IN (SELECT "albums"."artist_id" FROM "albums" WHERE ("albums"."year" < $2))))"));
using update_every = STMT(update<Album>().set(col<&Album::price> = 3.0).all_rows().returning(col<&Album::id>, col<&Album::price>));
static_assert(renders<update_every>(R"(UPDATE "albums" SET "price" = ? RETURNING "id", "price")",
                                    R"(UPDATE "albums" SET "price" = $1 RETURNING "id", "price")"));
static_assert(yields<update_every, std::tuple<std::int64_t, std::optional<double>>>);

// ---- DELETE ---------------------------------------------------------------------------------------

static_assert(renders<STMT(delete_from<Album>().where(col<&Album::year> < 1950))>(R"(DELETE FROM "albums" WHERE ("albums"."year" < ?))",
                                                                                 R"(DELETE FROM "albums" WHERE ("albums"."year" < $1))"));
static_assert(renders<STMT(delete_from<Album>().all_rows())>(R"(DELETE FROM "albums")", R"(DELETE FROM "albums")"));
using delete_returning = STMT(delete_from<Album>().where(col<&Album::id> == 3).returning(all_of<Album>));
static_assert(renders<delete_returning>(
    R"(DELETE FROM "albums" WHERE ("albums"."id" = ?) RETURNING "id", "artist_id", "title", "year", "price")",
    R"(DELETE FROM "albums" WHERE ("albums"."id" = $1) RETURNING "id", "artist_id", "title", "year", "price")"));
static_assert(yields<delete_returning, Album>);

// ---- the rules, as predicates --------------------------------------------------------------------

namespace rules = crucible::sql::detail;
// 11: every NOT NULL column without a default must be given.
static_assert(rules::covers_required_columns<Tag, STMT(col<&Tag::code> = ""), STMT(col<&Tag::label> = "")>());
static_assert(!rules::covers_required_columns<Tag, STMT(col<&Tag::code> = "")>());
static_assert(!rules::covers_required_columns<Album, STMT(col<&Album::artist_id> = 1), STMT(col<&Album::title> = "")>());
// 13: ON CONFLICT targets.
static_assert(rules::names_unique_key<Album, &Album::id>() && rules::names_unique_key<Album, &Album::artist_id, &Album::title>());
static_assert(!rules::names_unique_key<Album, &Album::title>() && !rules::names_unique_key<Album, &Album::id, &Album::title>());
static_assert(rules::names_unique_key<Edge, &Edge::dst, &Edge::src>() && !rules::names_unique_key<Edge, &Edge::src>());
// 8: the statement exists without WHERE, but has no SQL text (its check fails) until one is given.
static_assert(!decltype(std::declval<STMT(update<Album>().set(col<&Album::year> = 1))>().where_part)::given);

TEST(SqlModify, MultiRowInsertRendersForItsRowCount) {
    const auto three = insert_many(std::vector<Album>(3));
    EXPECT_EQ(to_sql<sqlite>(three),
              R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?))");
    EXPECT_EQ(to_sql<postgres>(three),
              R"(INSERT INTO "albums" ("artist_id", "title", "year", "price") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12))");
    const auto upsert = insert_many(std::vector<Tag>(2)).on_conflict<&Tag::code>().do_update(col<&Tag::label> = excluded(col<&Tag::label>)).returning(col<&Tag::code>);
    EXPECT_EQ(to_sql<postgres>(upsert),
              R"(INSERT INTO "tag" ("code", "label", "weight", "note") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8) ON CONFLICT ("code") DO UPDATE SET "label" = excluded."label" RETURNING "code")");
    static_assert(std::is_same_v<decltype(upsert)::result_type, std::tuple<std::string>>);
}

} // namespace
} // namespace sql_test
