// Every kind of statement the SQL expression layer renders is valid SQL: each text is prepared on
// real SQLite 3.40 (SQLiteCpp) and PostgreSQL 15 (libpqxx), over the tables' own DDL.
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/schema.hpp"
#include "crucible/sql/sql.hpp"

#include "../unit/sql_test_tables.hpp"
#include "postgres_env.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sql_test {
namespace {

using namespace crucible::sql;

template <class D>
std::vector<std::string> create_tables() {
    return {std::string(crucible::schema::create_table_sql<Artist, D>), std::string(crucible::schema::create_table_sql<Album, D>),
            std::string(crucible::schema::create_table_sql<Employee, D>), std::string(crucible::schema::create_table_sql<Tag, D>),
            std::string(crucible::schema::create_table_sql<Edge, D>)};
}

// A statement's text in both dialects.
struct rendered {
    std::string lite;
    std::string pg;
    template <class S>
    rendered(const S& statement) : lite(to_sql<sqlite>(statement)), pg(to_sql<postgres>(statement)) {}
};

// One statement of each construct.
std::vector<rendered> statements() {
    const std::vector<std::int64_t> ids{1, 2, 3};
    const std::vector<std::int64_t> none;
    dynamic_filter<Artist> filter;
    filter.add(col<&Artist::name> != "x").add(col<&Artist::city> == std::nullopt);
    const auto A = [](auto e) { return select(e).template from<Album>(); };
    constexpr auto year = as<"y">(col<&Album::year>);
    constexpr auto per_year = as<"per_year">(count());
    const auto W = [](auto e) { return select(col<&Album::id>).template from<Album>().where(e); };

    std::vector<rendered> out{
        // operators and functions
        W(col<&Album::year> == 1999), A(col<&Album::year> != 1), A(col<&Album::year> < col<&Album::id>), A(2000 > col<&Album::year>),
        A(col<&Album::title> == "Blue"), A(col<&Album::price> > 9.5),
        W(col<&Album::year> > 1990 && col<&Album::year> < 2000), W(!(col<&Album::year> < 1) || col<&Album::price> > 2.5),
        select(col<&Employee::id>).from<Employee>().where(col<&Employee::active> && !col<&Employee::active>),
        A((col<&Album::year> + 1) * 2 - col<&Album::id>), A(col<&Album::year> / 2), A(col<&Album::year> % 2),
        A(col<&Album::year> * col<&Album::price>), W(like(col<&Album::title>, "%B%")),
        W(like(lower(col<&Album::title>), lower(std::string("B%")))), W(between(col<&Album::year>, 1990, 1999)),
        W(col<&Album::price> == std::nullopt), W(col<&Album::price> != std::nullopt), W(in(col<&Album::id>, ids)),
        W(not_in(col<&Album::id>, ids)), W(in(col<&Album::id>, none)), W(not_in(col<&Album::id>, none)),
        A(coalesce(col<&Album::price>, col<&Album::price>, 1.5)),
        A(case_when(col<&Album::year> < 2000, "old").when(col<&Album::year> < 2010, "mid").else_("new")),
        A(case_when(col<&Album::year> < 2000, col<&Album::price>)), A(upper(col<&Album::title>)), A(length(col<&Album::title>)),
        A(col<&Album::title> + " (" + col<&Album::title> + ")"), A(cast<std::string>(col<&Album::year>)),
        A(cast<double>(col<&Album::year>)), A(cast<std::int64_t>(col<&Album::price>)),
        // aggregates and grouping
        A(count()), A(count(col<&Album::price>)), A(count_distinct(col<&Album::artist_id>)), A(sum(col<&Album::year>)),
        A(sum(col<&Album::price>)), A(avg(col<&Album::year>)), A(min(col<&Album::title>)), A(max(col<&Album::year> + 1)),
        select(col<&Album::artist_id>, as<"albums">(count()), as<"first">(min(col<&Album::year>)))
                      .from<Album>()
                      .group_by(col<&Album::artist_id>)
                      .having(count() > 2 && max(col<&Album::price>) < 10.0)
                      .order_by(desc(count())),
        // select forms; labels reused outside the select list
        select(year, per_year, as<"next">(year + 1))
            .from<Album>()
            .where(year > 1900)
            .group_by(year)
            .having(per_year > 1)
            .order_by(desc(per_year), year),
        insert(Album{}).returning(as<"key">(col<&Album::id>), as<"shout">(upper(col<&Album::title>))),
        select(as<"who">(col<&Artist::name>), as<"n">(length(col<&Artist::name>) + 1)).from<Artist>(),
        select<Artist>(), select(col<&Artist::city>).from<Artist>().distinct(),
        select(as<"one">(cast<std::int64_t>(std::int64_t{1}))),
        select(col<&Artist::id>, col<&Artist::name>)
                      .from<Artist>()
                      .where(col<&Artist::name> == "Nina")
                      .order_by(desc(col<&Artist::id>), asc(lower(col<&Artist::name>)))
                      .limit(10)
                      .offset(20),
        select(all_of<Artist>, all_of<Album>).from<Artist>().join<Album>(col<&Album::artist_id> == col<&Artist::id>),
        select(col<&Artist::name>, col<&Album::title>)
                      .from<Artist>()
                      .left_join<Album>(col<&Album::artist_id> == col<&Artist::id> && col<&Album::year> > 2000),
        select(col<&Employee::name>, col<&Employee::name, boss>)
                      .from<Employee>()
                      .left_join<boss>(col<&Employee::boss_id> == col<&Employee::id, boss>)
                      .where(col<&Employee::salary, boss> > col<&Employee::salary>),
        select(col<&Artist::name>, col<&Album::title>).from<Artist, Album>().where(col<&Album::artist_id> == col<&Artist::id>),
        select(col<&Artist::name>).from<Artist>().where(filter).limit(3),
        // subqueries
        select(col<&Artist::name>,
                         as<"albums">(subquery(select(count()).from<Album>().where(col<&Album::artist_id> == col<&Artist::id>))))
                      .from<Artist>(),
        W(col<&Album::price> > subquery(select(avg(col<&Album::price>)).from<Album>())),
        select(col<&Artist::name>)
                      .from<Artist>()
                      .where(in(col<&Artist::id>, select(col<&Album::artist_id>).from<Album>().where(col<&Album::year> > 2000))),
        select(col<&Artist::name>)
                      .from<Artist>()
                      .where(!exists(select<Album>().where(col<&Album::artist_id> == col<&Artist::id>))),
        // compound
        union_all(select(col<&Artist::name>).from<Artist>().where(col<&Artist::id> == 1),
                            select(col<&Album::title>).from<Album>())
                      .union_(select(col<&Employee::name>).from<Employee>()),
        with(cte<Reach>(select(col<&Edge::dst>).from<Edge>().where(col<&Edge::src> == 1)))(
            select(col<&Reach::node>).from<Reach>().order_by(col<&Reach::node>)),
        with_recursive(cte<Reach>(union_(select(col<&Edge::src>).from<Edge>().where(col<&Edge::src> == 1),
                                                   select(col<&Edge::dst>).from<Edge>().join<Reach>(col<&Edge::src> == col<&Reach::node>))))(
            select(all_of<Reach>).from<Reach>().limit(100)),
        // INSERT
        insert(Album{}), insert(Tag{}), insert_many(std::vector<Album>(3)),
        insert_into<Tag>.values(col<&Tag::code> = "x", col<&Tag::label> = lower(std::string("X")), col<&Tag::note> = std::nullopt),
        insert(Album{}).returning(col<&Album::id>), insert(Album{}).returning(all_of<Album>),
        insert(Tag{}).on_conflict<&Tag::code>().do_nothing(),
        insert(Album{}).on_conflict<&Album::title, &Album::artist_id>().do_nothing().returning(col<&Album::id>),
        insert(Edge{}).on_conflict<&Edge::src, &Edge::dst>().do_nothing(),
        insert(Tag{})
                      .on_conflict<&Tag::code>()
                      .do_update(col<&Tag::weight> = col<&Tag::weight> + excluded(col<&Tag::weight>) + 1,
                                 col<&Tag::label> = excluded(col<&Tag::label>))
                      .returning(col<&Tag::weight>),
        // UPDATE, DELETE
        update<Album>()
                      .set(col<&Album::price> = std::nullopt, col<&Album::year> = col<&Album::year> + 1,
                           col<&Album::title> = upper(col<&Album::title>))
                      .where(col<&Album::id> == 3 || col<&Album::price> == std::nullopt),
        update<Artist>()
                      .set(col<&Artist::city> = std::optional<std::string>("Rome"))
                      .where(in(col<&Artist::id>, select(col<&Album::artist_id>).from<Album>().where(col<&Album::year> < 1970))),
        update<Album>().set(col<&Album::price> = 3.0).all_rows().returning(col<&Album::id>, col<&Album::price>),
        delete_from<Album>().where(col<&Album::year> < 1950), delete_from<Album>().all_rows(),
        delete_from<Album>().where(col<&Album::id> == 3).returning(all_of<Album>),
    };
    return out;
}

TEST(SqlPrepare, EveryStatementPreparesOnSqlite) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const std::string& ddl : create_tables<sqlite>()) {
        db.exec(ddl);
    }
    const std::vector<rendered> all = statements();
    EXPECT_GE(all.size(), 70U);
    for (const rendered& each : all) {
        const std::string& sql = each.lite;
        try {
            SQLite::Statement statement(db, sql);
            EXPECT_EQ(static_cast<std::size_t>(statement.getColumnCount()) > 0 || sql.rfind("SELECT", 0) != 0, true) << sql;
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what() << "\n  in: " << sql;
        }
    }
}

TEST(SqlPrepare, EveryStatementPreparesOnPostgres) {
    CRUCIBLE_NEED_POSTGRES();
    pqxx::connection conn(crucible::testing::postgres_conninfo());
    {
        pqxx::work setup(conn);
        setup.exec0("DROP SCHEMA IF EXISTS sql_prepare_test CASCADE");
        setup.exec0("CREATE SCHEMA sql_prepare_test");
        setup.exec0("SET LOCAL search_path TO sql_prepare_test");
        for (const std::string& ddl : create_tables<postgres>()) {
            setup.exec0(ddl);
        }
        setup.commit();
    }
    pqxx::nontransaction path(conn);
    path.exec0("SET search_path TO sql_prepare_test");
    std::vector<std::string> all;
    for (const rendered& each : statements()) {
        all.push_back(each.pg);
    }
    // What SQLite lacks.
    all.push_back(to_sql<postgres>(select(col<&Album::id>).from<Album>().where(ilike(col<&Album::title>, "b%"))));
    all.push_back(to_sql<postgres>(select<Employee>().where(col<&Employee::id> == 1).for_update()));
    EXPECT_GE(all.size(), 72U);
    std::size_t n = 0;
    for (const std::string& sql : all) {
        const std::string name = "sql_prepare_" + std::to_string(n++);
        try {
            conn.prepare(name, sql);
            conn.prepare_now(name);
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what() << "\n  in: " << sql;
        }
    }
    path.exec0("DROP SCHEMA sql_prepare_test CASCADE");
}

} // namespace
} // namespace sql_test
