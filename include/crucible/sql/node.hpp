// What every SQL expression node is: its C++ value type, the tables it reads, how it renders and binds.
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/schema/value_type.hpp"
#include "crucible/sql/type_list.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

// State threaded through rendering: the next placeholder's number, and whether columns are
// written with their table (`"artist"."name"`) or alone (SET and INSERT column lists).
struct render_context {
    std::size_t parameter_count = 0;
    bool qualify_columns = true;
};

// Every node derives from this tag and provides:
//   value_type          the C++ type of its value (std::optional<T> when it may be NULL)
//   sources             type_list of the tables (or aliases) it reads columns from
//   bare_columns        type_list of the columns it reads outside any aggregate
//   has_aggregate       whether an aggregate function is inside
//   is_static           whether its SQL text depends on its type only (else it renders at run time)
//   render<D>(out, ctx) const, bind(sink) const — parameters in placeholder order.
struct node_tag {};

template <class E>
concept expression = std::derived_from<E, node_tag> && requires { typename E::value_type; };

// Defaults for leaf nodes.
struct leaf_node : node_tag {
    using sources = detail::type_list<>;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = true;
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

namespace detail {

template <class... Nodes>
using sources_of = concat_t<typename Nodes::sources...>;
template <class... Nodes>
using bare_columns_of = concat_t<typename Nodes::bare_columns...>;

// Value categories: what may be compared or combined with what.
enum class category { boolean, number, text, blob, timestamp, enumeration, null, other };

template <class T>
consteval category category_of() {
    using U = schema::non_null_t<T>;
    if constexpr (std::is_same_v<U, std::nullopt_t>) {
        return category::null;
    } else if constexpr (std::is_same_v<U, bool>) {
        return category::boolean;
    } else if constexpr (std::is_enum_v<U>) {
        return category::enumeration;
    } else if constexpr (std::is_arithmetic_v<U>) {
        return category::number;
    } else if constexpr (std::is_same_v<U, std::string>) {
        return category::text;
    } else if constexpr (schema::column_value<U>) {
        return schema::kind_of<U> == schema::column_kind::blob ? category::blob : category::timestamp;
    } else {
        return category::other;
    }
}

template <class A, class B>
consteval bool comparable() {
    constexpr category a = category_of<A>();
    constexpr category b = category_of<B>();
    if constexpr (a == category::enumeration || b == category::enumeration) {
        return std::is_same_v<schema::non_null_t<A>, schema::non_null_t<B>>;
    } else if constexpr (a == category::timestamp && b == category::timestamp) {
        return true;
    } else {
        return a == b && a != category::other;
    }
}

template <class T>
inline constexpr bool is_optional_v = schema::is_nullable<T>;

template <class T>
using make_optional_t = std::optional<schema::non_null_t<T>>;

// A result is nullable when either operand is.
template <class Result, class... Operands>
using nullable_if_any_t = std::conditional_t<(is_optional_v<Operands> || ...), make_optional_t<Result>, Result>;

// A node or clause that binds no value: one without data (a column, a table's columns, a clause not
// given). Binding skips it at compile time, so a statement's bind() calls only what binds.
template <class T>
inline constexpr bool binds_nothing = std::is_empty_v<T>;

template <class Node, class D>
constexpr void render(const Node& node, sql_string& out, render_context& ctx) {
    node.template render<D>(out, ctx);
}

// The nodes of a clause or a function call, in order: a minimal tuple. An aggregate (`{a, b}`
// initialises it) whose only operation is `apply`; std::tuple's constructors, _Tuple_impl recursion
// and std::apply cost the compiler much more for each of the many node lists a program builds.
template <std::size_t I, class T>
struct pack_leaf {
    T value;
};
template <class Indexes, class... T>
struct node_pack_base;
template <std::size_t... I, class... T>
struct node_pack_base<std::index_sequence<I...>, T...> : pack_leaf<I, T>... {
    template <class F>
    constexpr decltype(auto) apply(F&& f) const {
        return f(static_cast<const pack_leaf<I, T>&>(*this).value...);
    }
    // Binds each node, in order: a fold rather than apply() and a lambda, one function fewer for
    // each of the many packs a program binds.
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        (static_cast<const pack_leaf<I, T>&>(*this).value.bind(sink), ...);
    }
};
template <class... T>
struct node_pack : node_pack_base<std::index_sequence_for<T...>, T...> {};
// One node (a WHERE, a HAVING, a one-item list): no base classes, one constructor and destructor
// fewer for the compiler to make.
template <class T>
struct node_pack<T> {
    T value;
    template <class F>
    constexpr decltype(auto) apply(F&& f) const {
        return f(value);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        value.bind(sink);
    }
};

template <class F, class... T>
constexpr decltype(auto) apply_nodes(F&& f, const node_pack<T...>& nodes) {
    return nodes.apply(std::forward<F>(f));
}
template <class F, class... T>
constexpr decltype(auto) apply_nodes(F&& f, const std::tuple<T...>& nodes) {
    return std::apply(std::forward<F>(f), nodes);
}

// Renders each node of a pack or tuple, separated by ", " (select lists, SET, RETURNING, COALESCE, ...).
template <class D, class Nodes>
constexpr void render_comma_separated(const Nodes& nodes, sql_string& out, render_context& ctx) {
    apply_nodes(
        [&](const auto&... node) {
            bool first = true;
            ((out += first ? "" : ", ", first = false, node.template render<D>(out, ctx)), ...);
        },
        nodes);
}

// Binds each node of a tuple, in order (a node_pack binds itself).
template <class Sink, class... T>
constexpr void bind_each(const std::tuple<T...>& nodes, Sink& sink) {
    std::apply([&](const auto&... node) { (node.bind(sink), ...); }, nodes);
}

} // namespace detail

// A bound parameter: the value travels beside the SQL text, never inside it.
// The value is held in a std::optional only so that the default-constructed statement the
// compiler renders at compile time holds no std::string (GCC 12 mis-evaluates the destructor of a
// value-initialised std::string inside a std::tuple in a constant expression).
template <class T>
struct parameter : leaf_node {
    using value_type = T;
    std::optional<T> value;

    constexpr parameter() = default;
    constexpr explicit parameter(T given) : value(std::move(given)) {}

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        D::placeholder(out, ++ctx.parameter_count);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        sink(*value);
    }
};

// SQL NULL, from std::nullopt.
struct null_literal : leaf_node {
    using value_type = std::optional<std::nullopt_t>;
    template <class D>
    constexpr void render(sql_string& out, render_context&) const {
        out += "NULL";
    }
};

namespace detail {

template <class T>
struct parameter_type {
    using type = T;
};
template <std::size_t N>
struct parameter_type<char[N]> {
    using type = std::string;
};
template <>
struct parameter_type<const char*> {
    using type = std::string;
};
template <>
struct parameter_type<char*> {
    using type = std::string;
};
template <>
struct parameter_type<std::string_view> {
    using type = std::string;
};

} // namespace detail

// Turns an operand into a node: nodes stay as they are, C++ values become bound parameters.
template <class V>
constexpr auto as_node(V&& value) {
    using plain = std::remove_cvref_t<V>;
    if constexpr (expression<plain>) {
        return plain(std::forward<V>(value));
    } else if constexpr (std::is_same_v<plain, std::nullopt_t>) {
        return null_literal{};
    } else {
        using type = typename detail::parameter_type<std::remove_cvref_t<std::decay_t<V>>>::type;
        return parameter<type>(type(std::forward<V>(value)));
    }
}

template <class V>
using node_t = decltype(as_node(std::declval<V>()));

} // namespace crucible::sql
