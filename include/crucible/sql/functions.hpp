// SQL functions and aggregates: COUNT, SUM, AVG, MIN, MAX, COALESCE, CASE, LOWER, UPPER, LENGTH, CAST.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/sql/operators.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

// An aggregate over one expression (or `*`). Columns inside it are not bare columns.
template <class Fn, class E>
struct aggregate_node : node_tag {
    using value_type = typename Fn::template result<typename E::value_type>;
    using sources = typename E::sources;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = true;
    static constexpr bool is_static = E::is_static;
    static constexpr bool nested_aggregate = E::has_aggregate;

    E operand{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        static_assert(!nested_aggregate, "crucible: an aggregate cannot contain another aggregate");
        Fn::template render<D>(out, ctx, operand);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        operand.bind(sink);
    }
};

// The operand of COUNT(*).
struct star_node : leaf_node {
    using value_type = std::int64_t;
    template <class D>
    constexpr void render(sql_string& out, render_context&) const {
        out += '*';
    }
};

namespace fn {

template <class Name, bool Distinct = false>
struct simple {
    template <class D, class E>
    static constexpr void render(sql_string& out, render_context& ctx, const E& operand) {
        out += Name::text;
        out += Distinct ? "(DISTINCT " : "(";
        operand.template render<D>(out, ctx);
        out += ')';
    }
};

struct count_name {
    static constexpr std::string_view text = "COUNT";
};
struct sum_name {
    static constexpr std::string_view text = "SUM";
};
struct avg_name {
    static constexpr std::string_view text = "AVG";
};
struct min_name {
    static constexpr std::string_view text = "MIN";
};
struct max_name {
    static constexpr std::string_view text = "MAX";
};

template <bool Distinct>
struct count : simple<count_name, Distinct> {
    template <class>
    using result = std::int64_t;
};

// PostgreSQL widens SUM of integers to NUMERIC; the cast keeps the result a 64-bit integer (an
// overflow is then an error, never a rounded value).
struct sum {
    template <class T>
    using result = std::optional<std::conditional_t<std::is_integral_v<schema::non_null_t<T>>, std::int64_t, double>>;
    template <class D, class E>
    static constexpr void render(sql_string& out, render_context& ctx, const E& operand) {
        constexpr bool integral = std::is_integral_v<schema::non_null_t<typename E::value_type>>;
        out += "CAST(SUM(";
        operand.template render<D>(out, ctx);
        out += integral ? ") AS BIGINT)" : ") AS DOUBLE PRECISION)";
    }
};

struct avg {
    template <class>
    using result = std::optional<double>;
    template <class D, class E>
    static constexpr void render(sql_string& out, render_context& ctx, const E& operand) {
        out += "CAST(AVG(";
        operand.template render<D>(out, ctx);
        out += ") AS DOUBLE PRECISION)";
    }
};

template <class Name>
struct extreme : simple<Name> {
    template <class T>
    using result = std::optional<schema::non_null_t<T>>;
};

} // namespace fn

namespace detail {

template <class E>
consteval void check_aggregate_operand() {
    static_assert(!E::has_aggregate, "crucible: an aggregate cannot contain another aggregate");
}

template <class Fn, class E>
constexpr auto make_aggregate(E&& e) {
    check_aggregate_operand<node_t<E>>();
    return aggregate_node<Fn, node_t<E>>{{}, as_node(std::forward<E>(e))};
}

} // namespace detail

// COUNT(*)
constexpr auto count() { return aggregate_node<fn::count<false>, star_node>{}; }
// COUNT(x): the rows where x is not NULL.
template <class E>
constexpr auto count(E&& e) {
    return detail::make_aggregate<fn::count<false>>(std::forward<E>(e));
}
template <class E>
constexpr auto count_distinct(E&& e) {
    return detail::make_aggregate<fn::count<true>>(std::forward<E>(e));
}
template <class E>
constexpr auto sum(E&& e) {
    detail::check_summable<node_t<E>>();
    return detail::make_aggregate<fn::sum>(std::forward<E>(e));
}
template <class E>
constexpr auto avg(E&& e) {
    detail::check_summable<node_t<E>>();
    return detail::make_aggregate<fn::avg>(std::forward<E>(e));
}
template <class E>
constexpr auto min(E&& e) {
    return detail::make_aggregate<fn::extreme<fn::min_name>>(std::forward<E>(e));
}
template <class E>
constexpr auto max(E&& e) {
    return detail::make_aggregate<fn::extreme<fn::max_name>>(std::forward<E>(e));
}

namespace fn {

struct lower {
    static constexpr std::string_view prefix = "LOWER(";
    static constexpr std::string_view suffix = ")";
    template <class T>
    using result = T;
};
struct upper {
    static constexpr std::string_view prefix = "UPPER(";
    static constexpr std::string_view suffix = ")";
    template <class T>
    using result = T;
};
struct length {
    static constexpr std::string_view prefix = "LENGTH(";
    static constexpr std::string_view suffix = ")";
    template <class T>
    using result = detail::nullable_if_any_t<std::int64_t, T>;
};

} // namespace fn

namespace detail {

template <class E>
consteval void check_text() {
    static_assert(category_of<typename E::value_type>() == category::text,
                  "crucible: incompatible types: LOWER, UPPER and LENGTH need text");
}

} // namespace detail

template <class E>
constexpr auto lower(E&& e) {
    detail::check_text<node_t<E>>();
    return unary_node<fn::lower, node_t<E>>{{}, as_node(std::forward<E>(e))};
}
template <class E>
constexpr auto upper(E&& e) {
    detail::check_text<node_t<E>>();
    return unary_node<fn::upper, node_t<E>>{{}, as_node(std::forward<E>(e))};
}
template <class E>
constexpr auto length(E&& e) {
    detail::check_text<node_t<E>>();
    return unary_node<fn::length, node_t<E>>{{}, as_node(std::forward<E>(e))};
}

// COALESCE(a, b, ...): NULL only when the last operand may be.
template <class... E>
struct coalesce_node : node_tag {
    using last = std::tuple_element_t<sizeof...(E) - 1, std::tuple<E...>>;
    using value_type = std::conditional_t<
        detail::is_optional_v<typename last::value_type>,
        detail::make_optional_t<typename std::tuple_element_t<0, std::tuple<E...>>::value_type>,
        schema::non_null_t<typename std::tuple_element_t<0, std::tuple<E...>>::value_type>>;
    using sources = detail::sources_of<E...>;
    using bare_columns = detail::bare_columns_of<E...>;
    static constexpr bool has_aggregate = (E::has_aggregate || ...);
    static constexpr bool is_static = (E::is_static && ...);

    detail::node_pack<E...> operands;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += "COALESCE(";
        detail::render_comma_separated<D>(operands, out, ctx);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        operands.bind(sink);
    }
};

template <class First, class... Rest>
constexpr auto coalesce(First&& first, Rest&&... rest) {
    static_assert(sizeof...(Rest) > 0, "crucible: COALESCE needs at least two operands");
    (detail::check_comparable<node_t<First>, node_t<Rest>>(), ...);
    return coalesce_node<node_t<First>, node_t<Rest>...>{
        {}, {as_node(std::forward<First>(first)), as_node(std::forward<Rest>(rest))...}};
}

// CASE WHEN c1 THEN v1 [WHEN ...] [ELSE e] END. Without ELSE the result may be NULL.
template <class Else, class... Branches>
struct case_node : node_tag {
    using first_value = typename std::tuple_element_t<0, std::tuple<Branches...>>::second_type;
    static constexpr bool has_else = !std::is_same_v<Else, null_literal>;
    using value_type =
        std::conditional_t<has_else && !detail::is_optional_v<typename Else::value_type> &&
                               !(detail::is_optional_v<typename Branches::second_type::value_type> || ...),
                           schema::non_null_t<typename first_value::value_type>,
                           detail::make_optional_t<typename first_value::value_type>>;
    using sources = detail::concat_t<detail::sources_of<typename Branches::first_type, typename Branches::second_type>...,
                                     typename Else::sources>;
    using bare_columns =
        detail::concat_t<detail::bare_columns_of<typename Branches::first_type, typename Branches::second_type>...,
                         typename Else::bare_columns>;
    static constexpr bool has_aggregate =
        ((Branches::first_type::has_aggregate || Branches::second_type::has_aggregate) || ... || Else::has_aggregate);
    static constexpr bool is_static =
        ((Branches::first_type::is_static && Branches::second_type::is_static) && ... && Else::is_static);

    std::tuple<Branches...> branches;
    Else otherwise{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += "CASE";
        std::apply(
            [&](const auto&... branch) {
                ((out += " WHEN ", branch.first.template render<D>(out, ctx), out += " THEN ",
                  branch.second.template render<D>(out, ctx)),
                 ...);
            },
            branches);
        if constexpr (has_else) {
            out += " ELSE ";
            otherwise.template render<D>(out, ctx);
        }
        out += " END";
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        std::apply([&](const auto&... branch) { ((branch.first.bind(sink), branch.second.bind(sink)), ...); },
                   branches);
        otherwise.bind(sink);
    }

    template <class C, class V>
    constexpr auto when(C&& condition, V&& value) const {
        detail::check_condition<detail::condition_of::when, node_t<C>>();
        detail::check_comparable<first_value, node_t<V>>();
        static_assert(!has_else, "crucible: a clause is given twice: WHEN after ELSE");
        return case_node<Else, Branches..., std::pair<node_t<C>, node_t<V>>>{
            {},
            // Spelled out: CTAD would turn `std::tuple{std::pair{...}}` into a tuple of the pair's two members.
            std::tuple_cat(branches, std::tuple<std::pair<node_t<C>, node_t<V>>>{
                                         {as_node(std::forward<C>(condition)), as_node(std::forward<V>(value))}}),
            otherwise};
    }

    template <class V>
    constexpr auto else_(V&& value) const {
        static_assert(!has_else, "crucible: a clause is given twice: ELSE");
        detail::check_comparable<first_value, node_t<V>>();
        return case_node<node_t<V>, Branches...>{{}, branches, as_node(std::forward<V>(value))};
    }
};

template <class C, class V>
constexpr auto case_when(C&& condition, V&& value) {
    detail::check_condition<detail::condition_of::when, node_t<C>>();
    using branch = std::pair<node_t<C>, node_t<V>>;
    return case_node<null_literal, branch>{
        {}, std::tuple<branch>{branch{as_node(std::forward<C>(condition)), as_node(std::forward<V>(value))}}, {}};
}

// CAST(x AS <the SQL type of T>).
template <class T, class E>
struct cast_node : node_tag {
    using value_type = detail::nullable_if_any_t<T, typename E::value_type>;
    using sources = typename E::sources;
    using bare_columns = typename E::bare_columns;
    static constexpr bool has_aggregate = E::has_aggregate;
    static constexpr bool is_static = E::is_static;

    E operand{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += "CAST(";
        operand.template render<D>(out, ctx);
        out += " AS ";
        out += D::type_name(schema::kind_of<T>);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        operand.bind(sink);
    }
};

template <class T, class E>
constexpr auto cast(E&& e) {
    static_assert(schema::column_value<T>, "crucible: CAST needs a column value type");
    return cast_node<T, node_t<E>>{{}, as_node(std::forward<E>(e))};
}

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
