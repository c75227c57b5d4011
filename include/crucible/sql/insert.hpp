// INSERT of one struct, of many (multi-row VALUES), or of chosen columns; ON CONFLICT; RETURNING.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <span>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "crucible/schema/table.hpp"
#include "crucible/sql/assignment.hpp"
#include "crucible/sql/clauses.hpp"
#include "crucible/sql/column.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

namespace detail {

// The columns an INSERT of a whole struct writes: all but the one the database assigns.
template <class T>
constexpr bool inserted(std::size_t i) {
    return i != schema::table<T>::autoincrement_column;
}

template <class T, class D>
constexpr void render_struct_columns(sql_string& out) {
    out += " (";
    bool first = true;
    for (std::size_t i = 0; i < schema::table<T>::column_count; ++i) {
        if (inserted<T>(i)) {
            out += first ? "" : ", ";
            first = false;
            D::quote_identifier(out, schema::table<T>::columns[i].name);
        }
    }
    out += ") VALUES ";
}

template <class T, class D>
constexpr void render_struct_row(sql_string& out, render_context& ctx) {
    out += '(';
    bool first = true;
    for (std::size_t i = 0; i < schema::table<T>::column_count; ++i) {
        if (inserted<T>(i)) {
            out += first ? "" : ", ";
            first = false;
            D::placeholder(out, ++ctx.parameter_count);
        }
    }
    out += ')';
}

template <class T, class Sink>
constexpr void bind_struct(const T& row, Sink& sink) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((inserted<T>(I) ? void(sink(boost::pfr::get<I>(row))) : void()), ...);
    }(std::make_index_sequence<schema::table<T>::column_count>{});
}

} // namespace detail

// VALUES of one struct: a copy the statement owns, or (Row = const T*) the caller's own row.
// The copy is held in a std::optional so that the statement the compiler default-constructs to
// render its text holds no row (clang 16 cannot construct libstdc++'s std::string members there).
template <class T, class Row = T>
struct struct_row {
    static constexpr bool is_static = true;
    using sources = detail::type_list<>;
    std::conditional_t<std::is_pointer_v<Row>, Row, std::optional<Row>> row{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        detail::render_struct_columns<T, D>(out);
        detail::render_struct_row<T, D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        detail::bind_struct(*row, sink);
    }
};

// VALUES of many structs: one statement of (?, ...), (?, ...), rendered for the row count.
// Rows: a std::vector<T> the statement owns, or a std::span<const T> of rows that outlive it.
template <class T, class Rows = std::vector<T>>
struct struct_rows {
    static constexpr bool is_static = false;
    using sources = detail::type_list<>;
    Rows rows;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        detail::render_struct_columns<T, D>(out);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (r > 0) {
                out += ", ";
            }
            detail::render_struct_row<T, D>(out, ctx);
        }
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        for (const T& row : rows) {
            detail::bind_struct(row, sink);
        }
    }
};

// VALUES of chosen columns: `insert_into<Artist>().values(col<&Artist::name> = "Nina")`.
template <class... Assignments>
struct assigned_values {
    static constexpr bool is_static = (Assignments::is_static && ...);
    using sources = detail::sources_of<Assignments...>;
    detail::node_pack<Assignments...> assignments;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += " (";
        bool first = true;
        ((out += first ? "" : ", ", first = false, D::quote_identifier(out, Assignments::column_type::name)), ...);
        out += ") VALUES (";
        detail::apply_nodes(
            [&](const auto&... assignment) {
                bool first_value = true;
                ((out += first_value ? "" : ", ", first_value = false, assignment.value.template render<D>(out, ctx)),
                 ...);
            },
            assignments);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        assignments.bind(sink);
    }
};

// ON CONFLICT ("a", "b") DO NOTHING | DO UPDATE SET ...
template <class Target, class... Assignments>
struct conflict_clause {
    static constexpr bool given = true;
    static constexpr bool is_static = (Assignments::is_static && ...);
    detail::node_pack<Assignments...> assignments;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        static_assert(D::has_upsert, "crucible: ON CONFLICT is not supported by this database");
        out += " ON CONFLICT ";
        Target::template render<D>(out);
        if constexpr (sizeof...(Assignments) == 0) {
            out += " DO NOTHING";
        } else {
            // The values keep their table: PostgreSQL finds a bare column name ambiguous next to
            // `excluded` ("column reference is ambiguous"); both databases accept `"tag"."weight"`.
            out += " DO UPDATE SET ";
            detail::render_comma_separated<D>(assignments, out, ctx);
        }
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        assignments.bind(sink);
    }
};

namespace detail {

template <class T, auto... Columns>
struct conflict_target {
    template <class D>
    static constexpr void render(sql_string& out) {
        out += '(';
        bool first = true;
        ((out += first ? "" : ", ", first = false,
          D::quote_identifier(out, schema::table<T>::columns[reflect::field_index<T, Columns>()].name)),
         ...);
        out += ')';
    }
};

// The columns name the primary key or a unique constraint or unique index, in any order.
template <class T, auto... Columns>
consteval bool names_unique_key() {
    using info = schema::table<T>;
    constexpr schema::column_list wanted = [] {
        schema::column_list list;
        (list.push(reflect::field_index<T, Columns>()), ...);
        return list;
    }();
    auto same = [&](const schema::column_list& key) {
        if (key.size != wanted.size) {
            return false;
        }
        for (std::size_t i = 0; i < key.size; ++i) {
            if (!wanted.contains(key.at[i])) {
                return false;
            }
        }
        return true;
    };
    if (same(info::description.primary_key)) {
        return true;
    }
    if (wanted.size == 1 && info::columns[wanted.at[0]].unique) {
        return true;
    }
    for (std::size_t u = 0; u < info::description.unique_count; ++u) {
        if (same(info::description.uniques[u])) {
            return true;
        }
    }
    for (std::size_t x = 0; x < info::description.index_count; ++x) {
        if (info::description.indexes[x].unique && same(info::description.indexes[x].columns)) {
            return true;
        }
    }
    return false;
}

// Every NOT NULL column without a default and not assigned by the database is given.
template <class T, class... Assignments>
consteval bool covers_required_columns() {
    using info = schema::table<T>;
    for (std::size_t i = 0; i < info::column_count; ++i) {
        const auto& column = info::columns[i];
        const bool required = !column.nullable && column.default_sql.empty() && !column.autoincrement;
        const bool given = ((Assignments::column_type::index == i) || ...);
        if (required && !given) {
            return false;
        }
    }
    return true;
}

} // namespace detail

template <class T, class Values, class Conflict, class Returning>
struct insert_statement {
    static constexpr bool is_static = Values::is_static && Conflict::is_static;
    using result_type = typename detail::returning_result<Returning>::type;
    using row_tuple = std::conditional_t<std::is_void_v<result_type>, std::tuple<>, result_type>;

    Values values_part{};
    Conflict conflict_part{};
    Returning returning_part{};

    template <class D>
    static consteval void check() {
        static_assert(detail::is_subset<detail::concat_t<typename Values::sources, typename Returning::sources>,
                                        detail::type_list<T>>,
                      "crucible: a column is used whose table is not in FROM or JOIN");
    }

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += "INSERT INTO ";
        out += detail::source_sql<T, D>;
        const bool qualify = ctx.qualify_columns;
        ctx.qualify_columns = false;
        values_part.template render<D>(out, ctx);
        ctx.qualify_columns = qualify;
        conflict_part.template render<D>(out, ctx);
        returning_part.template render<D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        values_part.bind(sink);
        conflict_part.bind(sink);
        returning_part.bind(sink);
    }

    // `RETURNING "id"`: the statement then yields rows.
    template <class... E>
    constexpr auto returning(E&&... items) const {
        static_assert(!Returning::given, "crucible: a clause is given twice: RETURNING");
        return insert_statement<T, Values, Conflict, returning_clause<node_t<E>...>>{
            values_part, conflict_part, {{as_node(std::forward<E>(items))...}}};
    }

    template <auto... Columns>
    constexpr auto on_conflict() const {
        static_assert(!Conflict::given, "crucible: a clause is given twice: ON CONFLICT");
        static_assert(detail::names_unique_key<T, Columns...>(),
                      "crucible: ON CONFLICT must name the primary key or a unique constraint's columns");
        return conflict_builder<detail::conflict_target<T, Columns...>>{values_part, returning_part};
    }

    template <class Target>
    struct conflict_builder {
        Values values;
        Returning returning;
        constexpr auto do_nothing() const {
            return insert_statement<T, Values, conflict_clause<Target>, Returning>{values, {}, returning};
        }
        template <class... A>
        constexpr auto do_update(A... assignments) const {
            static_assert(sizeof...(A) > 0, "crucible: DO UPDATE needs at least one assignment");
            static_assert((std::is_same_v<typename A::column_type::table_type, T> && ...) &&
                              detail::is_subset<detail::sources_of<A...>, detail::type_list<T>>,
                          "crucible: a column is used whose table is not in FROM or JOIN");
            static_assert(detail::assigns_each_column_once<A...>(), "crucible: a column is assigned twice");
            return insert_statement<T, Values, conflict_clause<Target, A...>, Returning>{
                values, {{std::move(assignments)...}}, returning};
        }
    };
};

struct no_conflict {
    static constexpr bool given = false;
    static constexpr bool is_static = true;
    template <class D>
    constexpr void render(sql_string&, render_context&) const {}
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

struct no_returning {
    static constexpr bool given = false;
    using sources = detail::type_list<>;
    template <class D>
    constexpr void render(sql_string&, render_context&) const {}
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

// INSERT of one struct; the key the database assigns is left out.
template <class T>
    requires reflect::reflectable<T>
constexpr auto insert(T row) {
    return insert_statement<T, struct_row<T>, no_conflict, no_returning>{{std::move(row)}, {}, {}};
}

// The same over a row the caller keeps alive until the statement has run: its fields are bound
// where they are, with no copy (Diesel's `insert_into(users).values(&new_user)`).
template <class T>
    requires reflect::reflectable<T>
constexpr auto insert_view(const T& row) {
    return insert_statement<T, struct_row<T, const T*>, no_conflict, no_returning>{{&row}, {}, {}};
}

// A temporary would be gone before the statement runs, leaving its fields bound where nothing is.
template <class T>
    requires(!std::is_lvalue_reference_v<T> && reflect::reflectable<std::remove_cvref_t<T>>)
constexpr auto insert_view(T&&) {
    static_assert(sizeof(T) == 0,
                  "crucible: insert_view of a temporary would bind a row that is gone before the statement "
                  "runs; use insert(row), which keeps its own copy");
}

// INSERT of many structs in one statement (multi-row VALUES). The engine splits a large range
// into chunks that respect the backend's parameter limit.
template <class T>
auto insert_many(std::vector<T> rows) {
    return insert_statement<T, struct_rows<T>, no_conflict, no_returning>{{std::move(rows)}, {}, {}};
}

// The same over rows the caller keeps alive until the statement has run: no copy of them.
template <class T>
auto insert_many_view(std::span<const T> rows) {
    return insert_statement<T, struct_rows<T, std::span<const T>>, no_conflict, no_returning>{{rows}, {}, {}};
}
template <class T>
auto insert_many_view(std::span<T> rows) {
    return insert_many_view(std::span<const T>(rows));
}

// Any contiguous range the caller keeps (a std::vector, a std::array, a C array).
template <class Range>
    requires(std::is_lvalue_reference_v<Range> && requires(Range r) { std::span(r); })
auto insert_many_view(Range&& rows) {
    using T = std::remove_const_t<typename decltype(std::span(rows))::element_type>;
    return insert_many_view(std::span<const T>(rows));
}
template <class Range>
    requires(!std::is_lvalue_reference_v<Range> && requires(Range& r) { std::span(r); })
auto insert_many_view(Range&&) {
    static_assert(sizeof(Range) == 0,
                  "crucible: insert_many_view of a temporary would bind rows that are gone before the statement "
                  "runs; use insert_many(rows), which keeps its own copy");
}

template <class T>
struct insert_into_t {
    // Chosen columns. Every NOT NULL column without a default must be given.
    template <class... A>
    constexpr auto values(A... assignments) const {
        static_assert((std::is_same_v<typename A::column_type::table_type, T> && ...),
                      "crucible: a column is used whose table is not in FROM or JOIN");
        static_assert(detail::assigns_each_column_once<A...>(), "crucible: a column is assigned twice");
        static_assert(detail::covers_required_columns<T, A...>(),
                      "crucible: INSERT leaves out a NOT NULL column that has no default");
        return insert_statement<T, assigned_values<A...>, no_conflict, no_returning>{
            {{std::move(assignments)...}}, {}, {}};
    }
};

template <class T>
inline constexpr insert_into_t<T> insert_into{};

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
