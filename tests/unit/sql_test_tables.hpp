// The tables the SQL expression tests query: small, and covering each schema feature a statement
// depends on (declared name, nullable columns, autoincrement or not, composite and unique keys, a
// default, a self-reference).
#pragma once

#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/schema.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sql_test {

using crucible::dialect::postgres;
using crucible::dialect::sqlite;

// `id` is the autoincrement key by default.
struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};

// A declared table name and a two-column unique constraint (an ON CONFLICT target).
struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
    std::int32_t year;
    std::optional<double> price;
};
constexpr auto crucible_table(crucible::table_tag<Album>) {
    return crucible::table_options{crucible::table_name("albums"), crucible::unique<&Album::artist_id, &Album::title>};
}

// A self-reference, for self-joins with an alias.
struct Employee {
    std::int64_t id;
    std::string name;
    std::optional<std::int64_t> boss_id;
    double salary;
    bool active;
};
using boss = crucible::sql::aliased<Employee, "boss">;

// A text key the program assigns, a unique column and a column with a default.
struct Tag {
    std::string code;
    std::string label;
    std::int32_t weight;
    std::optional<std::string> note;
};
constexpr auto crucible_table(crucible::table_tag<Tag>) {
    return crucible::table_options{crucible::primary_key<&Tag::code>, crucible::unique<&Tag::label>,
                                   crucible::default_value<&Tag::weight, 0>};
}

// A composite key; the graph a recursive CTE walks.
struct Edge {
    std::int64_t src;
    std::int64_t dst;
};
constexpr auto crucible_table(crucible::table_tag<Edge>) {
    return crucible::table_options{crucible::primary_key<&Edge::src, &Edge::dst>};
}

// The shape of a common table expression's rows.
struct Reach {
    std::int64_t node;
};

// The SQL text of a statement type in each dialect.
template <class S>
inline constexpr std::string_view lite = crucible::sql::sql_text<S, sqlite>;
template <class S>
inline constexpr std::string_view pg = crucible::sql::sql_text<S, postgres>;

} // namespace sql_test
