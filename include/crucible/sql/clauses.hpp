// The clause parts statements are built from: lists of nodes, WHERE, ORDER BY terms, LIMIT, labels.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "crucible/reflect/fixed_string.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

// A clause slot that has not been given.
struct no_clause {
    using sources = detail::type_list<>;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = true;
    static constexpr bool given = false;
    template <class D>
    constexpr void render(sql_string&, render_context&) const {}
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

// A comma-separated list of nodes, after a keyword (" WHERE ", " GROUP BY ", ...).
template <class Keyword, class... E>
struct node_list {
    using sources = detail::sources_of<E...>;
    using bare_columns = detail::bare_columns_of<E...>;
    static constexpr bool has_aggregate = (E::has_aggregate || ...);
    static constexpr bool is_static = (E::is_static && ...);
    static constexpr bool given = true;
    using columns = detail::type_list<E...>;

    detail::node_pack<E...> nodes;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += Keyword::text;
        if constexpr (sizeof...(E) == 1) {  // WHERE, HAVING, a one-item list: no lambda to instantiate
            render_node<D>(nodes.value, out, ctx);
        } else {
            detail::apply_nodes(
                [&](const auto&... node) {
                    bool first = true;
                    ((out += first ? "" : ", ", first = false, render_node<D>(node, out, ctx)), ...);
                },
                nodes);
        }
    }

    // A select list writes its items' labels (`expr AS "label"`); elsewhere a label is dropped.
    template <class D, class Node>
    static constexpr void render_node(const Node& node, sql_string& out, render_context& ctx) {
        if constexpr (Keyword::shows_labels && requires { node.template render_with_label<D>(out, ctx); }) {
            node.template render_with_label<D>(out, ctx);
        } else {
            node.template render<D>(out, ctx);
        }
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        if constexpr (sizeof...(E) == 1) {
            nodes.value.bind(sink);
        } else {
            nodes.bind(sink);
        }
    }
};

namespace detail {
template <class Keyword, class... E>
inline constexpr bool binds_nothing<node_list<Keyword, E...>> = (binds_nothing<E> && ...);
} // namespace detail

namespace keyword {
struct none {
    static constexpr std::string_view text = "";
    static constexpr bool shows_labels = true;  // the select list
};
struct where {
    static constexpr std::string_view text = " WHERE ";
    static constexpr bool shows_labels = false;
};
struct group_by {
    static constexpr std::string_view text = " GROUP BY ";
    static constexpr bool shows_labels = false;
};
struct having {
    static constexpr std::string_view text = " HAVING ";
    static constexpr bool shows_labels = false;
};
struct order_by {
    static constexpr std::string_view text = " ORDER BY ";
    static constexpr bool shows_labels = false;
};
struct set {
    static constexpr std::string_view text = " SET ";
    static constexpr bool shows_labels = false;
};
struct returning {
    static constexpr std::string_view text = " RETURNING ";
    static constexpr bool shows_labels = true;
};
} // namespace keyword

// `expr AS "label"` in a select list. Used anywhere else (WHERE, ORDER BY, an operand) it is the
// expression alone: SQL has no `AS` there, and a label is not visible in WHERE.
template <class E, reflect::fixed_string Label>
struct labeled : node_tag {
    using value_type = typename E::value_type;
    using sources = typename E::sources;
    using bare_columns = typename E::bare_columns;
    static constexpr bool has_aggregate = E::has_aggregate;
    static constexpr bool is_static = E::is_static;
    E node{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        node.template render<D>(out, ctx);
    }
    template <class D>
    constexpr void render_with_label(sql_string& out, render_context& ctx) const {
        node.template render<D>(out, ctx);
        out += " AS ";
        D::quote_identifier(out, Label.view());
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        node.bind(sink);
    }
};

// `as<"total">(sum(col<&Order::amount>))`
template <reflect::fixed_string Label, class E>
constexpr auto as(E&& e) {
    return labeled<node_t<E>, Label>{{}, as_node(std::forward<E>(e))};
}

// ORDER BY terms.
template <class E, bool Descending>
struct order_term {
    using value_type = typename E::value_type;
    using sources = typename E::sources;
    using bare_columns = typename E::bare_columns;
    static constexpr bool has_aggregate = E::has_aggregate;
    static constexpr bool is_static = E::is_static;
    E node{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        node.template render<D>(out, ctx);
        out += Descending ? " DESC" : " ASC";
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        node.bind(sink);
    }
};

namespace detail {
// ORDER BY and GROUP BY take columns or expressions of them: a plain value ("year", 2) would be
// bound as a parameter, and every row would sort (or group) the same.
template <class E>
consteval void check_order_term() {
    static_assert(expression<std::remove_cvref_t<E>>,
                  "crucible: ORDER BY needs a column or an expression, not a plain value (\"year\" would be bound "
                  "as a parameter and sort nothing): write col<&T::field>");
}
template <class E>
consteval void check_group_term() {
    static_assert(expression<std::remove_cvref_t<E>>,
                  "crucible: GROUP BY needs a column or an expression, not a plain value (it would be bound as a "
                  "parameter and group nothing): write col<&T::field>");
}
} // namespace detail

template <class E>
constexpr auto asc(E&& e) {
    detail::check_order_term<E>();
    return order_term<node_t<E>, false>{as_node(std::forward<E>(e))};
}
template <class E>
constexpr auto desc(E&& e) {
    detail::check_order_term<E>();
    return order_term<node_t<E>, true>{as_node(std::forward<E>(e))};
}

namespace detail {
template <class E>
struct as_order_term {
    static_assert((check_order_term<E>(), true));
    using type = order_term<node_t<E>, false>;
    static constexpr type make(E&& e) { return type{as_node(std::forward<E>(e))}; }
};
template <class E, bool Descending>
struct as_order_term<order_term<E, Descending>> {
    using type = order_term<E, Descending>;
    static constexpr type make(type t) { return t; }
};
} // namespace detail

// LIMIT / OFFSET: the count is a bound parameter too.
template <class Keyword>
struct count_clause {
    using sources = detail::type_list<>;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = true;
    static constexpr bool given = true;
    std::int64_t count = 0;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += Keyword::text;
        D::placeholder(out, ++ctx.parameter_count);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        sink(count);
    }
};

namespace keyword {
struct limit {
    static constexpr std::string_view text = " LIMIT ";
};
struct offset {
    static constexpr std::string_view text = " OFFSET ";
};
} // namespace keyword

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
