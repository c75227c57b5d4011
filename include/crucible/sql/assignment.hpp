// `col<&T::x> = value`: assignments for INSERT and UPDATE, `excluded(col)`, and RETURNING.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/sql/clauses.hpp"
#include "crucible/sql/column.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

namespace detail {

template <class Column, class Value>
consteval bool value_fits() {
    using target = typename Column::value_type;
    using given = typename Value::value_type;
    if constexpr (category_of<given>() == category::null) {
        return is_optional_v<target>;
    } else {
        return comparable<target, given>() && (is_optional_v<target> || !is_optional_v<given>);
    }
}

// Each column at most once in one SET or column list (both databases refuse a repeated column).
template <class... Assignments>
consteval bool assigns_each_column_once() {
    constexpr std::size_t indexes[] = {Assignments::column_type::index..., 0};
    for (std::size_t i = 0; i < sizeof...(Assignments); ++i) {
        for (std::size_t j = i + 1; j < sizeof...(Assignments); ++j) {
            if (indexes[i] == indexes[j]) {
                return false;
            }
        }
    }
    return true;
}

} // namespace detail

// `"column" = value`, always written without the table (SET and INSERT column lists).
template <class Column, class Value>
struct assignment {
    using column_type = Column;
    using sources = typename Value::sources;
    using bare_columns = typename Value::bare_columns;
    static constexpr bool has_aggregate = Value::has_aggregate;
    static constexpr bool is_static = Value::is_static;
    Value value{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        D::quote_identifier(out, Column::name);
        out += " = ";
        value.template render<D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        value.bind(sink);
    }
};

template <class Source, std::size_t I>
template <class V>
constexpr auto column<Source, I>::operator=(V&& value) const {
    using value_node = node_t<V>;
    static_assert(detail::value_fits<column, value_node>(),
                  "crucible: the value assigned does not fit the column's type");
    return assignment<column, value_node>{as_node(std::forward<V>(value))};
}

// `excluded."column"`: the row an INSERT ... ON CONFLICT DO UPDATE tried to insert.
template <class Column>
struct excluded_node : leaf_node {
    using value_type = typename Column::value_type;
    template <class D>
    constexpr void render(sql_string& out, render_context&) const {
        out += "excluded.";
        D::quote_identifier(out, Column::name);
    }
};

template <class Source, std::size_t I>
constexpr auto excluded(column<Source, I>) {
    return excluded_node<column<Source, I>>{};
}

// RETURNING items, written without their table.
template <class... E>
struct returning_clause {
    static constexpr bool given = true;
    using sources = detail::sources_of<E...>;
    using row_tuple = std::tuple<typename E::value_type...>;
    detail::node_pack<E...> nodes;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        static_assert(D::has_returning, "crucible: RETURNING is not supported by this database");
        const bool qualify = ctx.qualify_columns;
        ctx.qualify_columns = false;
        out += " RETURNING ";
        detail::apply_nodes(
            [&](const auto&... node) {
                bool first = true;
                ((out += first ? "" : ", ", first = false, render_item<D>(node, out, ctx)), ...);
            },
            nodes);
        ctx.qualify_columns = qualify;
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        nodes.bind(sink);
    }

private:
    template <class D, class Node>
    static constexpr void render_item(const Node& node, sql_string& out, render_context& ctx) {
        if constexpr (requires { node.template render_with_label<D>(out, ctx); }) {
            node.template render_with_label<D>(out, ctx);
        } else {
            node.template render<D>(out, ctx);
        }
    }
};

namespace detail {

template <class Returning>
struct returning_result {
    using type = void;
};
template <class... E>
struct returning_result<returning_clause<E...>> {
    using type = std::tuple<typename E::value_type...>;
};
template <class Source>
struct returning_result<returning_clause<all_of_t<Source>>> {
    using type = table_of<Source>;
};

} // namespace detail

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
