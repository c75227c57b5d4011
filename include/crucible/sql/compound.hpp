// UNION / UNION ALL of selects, and common table expressions (WITH, WITH RECURSIVE).
#pragma once

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/reflect/reflect.hpp"
#include "crucible/schema/table.hpp"
#include "crucible/sql/select.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

template <bool All, class A, class B>
struct union_statement {
    static constexpr bool is_static = A::is_static && B::is_static;
    using result_type = typename A::result_type;
    using row_tuple = typename A::row_tuple;
    using sources = detail::concat_t<typename A::sources, typename B::sources>;
    static constexpr std::size_t result_width = A::result_width;

    A first{};
    B second{};

    template <class D>
    static consteval void check() {
        A::template check<D>();
        B::template check<D>();
    }
    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        first.template render<D>(out, ctx);
        out += All ? " UNION ALL " : " UNION ";
        second.template render<D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        first.bind(sink);
        second.bind(sink);
    }

    template <class C>
    constexpr auto union_(C other) const;
    template <class C>
    constexpr auto union_all(C other) const;
};

namespace detail {

// ORDER BY, LIMIT, OFFSET and FOR UPDATE end a whole statement: inside a UNION they are a syntax
// error on SQLite and PostgreSQL alike.
template <class S>
consteval bool ends_statement() {
    if constexpr (is_select<S>::value) {
        return S::order_by_t::given || S::limit_t::given || S::offset_t::given || S::flags_t::for_update;
    } else {
        return false;
    }
}

template <bool All, class A, class B>
constexpr auto make_union(A a, B b) {
    static_assert(std::is_same_v<typename A::row_tuple, typename B::row_tuple>,
                  "crucible: UNION of selects whose column types differ");
    static_assert(!ends_statement<A>() && !ends_statement<B>(),
                  "crucible: a select inside UNION cannot have ORDER BY, LIMIT, OFFSET or FOR UPDATE");
    return union_statement<All, A, B>{std::move(a), std::move(b)};
}

} // namespace detail

template <bool All, class A, class B>
template <class C>
constexpr auto union_statement<All, A, B>::union_(C other) const {
    return detail::make_union<false>(*this, std::move(other));
}
template <bool All, class A, class B>
template <class C>
constexpr auto union_statement<All, A, B>::union_all(C other) const {
    return detail::make_union<true>(*this, std::move(other));
}

// `union_(a, b)`: rows of both, without duplicates; `union_all(a, b)` keeps them.
template <class A, class B>
constexpr auto union_(A a, B b) {
    return detail::make_union<false>(std::move(a), std::move(b));
}
template <class A, class B>
constexpr auto union_all(A a, B b) {
    return detail::make_union<true>(std::move(a), std::move(b));
}

// A common table expression whose rows have the shape of struct R: its name is R's table name and
// its columns R's fields, so the main query reads it with col<&R::field> and from<R>().
template <class R, class Query>
struct cte_definition {
    using query_type = Query;
    Query query{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        D::quote_identifier(out, schema::table<R>::name);
        out += " (";
        for (std::size_t i = 0; i < reflect::field_count<R>; ++i) {
            if (i > 0) {
                out += ", ";
            }
            D::quote_identifier(out, schema::table<R>::columns[i].name);
        }
        out += ") AS (";
        query.template render<D>(out, ctx);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        query.bind(sink);
    }
};

template <class R>
struct cte_t {
    template <class Query>
    constexpr auto operator()(Query query) const {
        static_assert(detail::struct_matches<typename Query::row_tuple, R>(),
                      "crucible: the struct's field types do not match the selected columns");
        return cte_definition<R, Query>{std::move(query)};
    }
};

// `cte<Reachable>(select(...))`
template <class R>
inline constexpr cte_t<R> cte{};

template <bool Recursive, class Main, class... Ctes>
struct with_statement {
    static constexpr bool is_static = Main::is_static;
    using result_type = typename Main::result_type;
    using row_tuple = typename Main::row_tuple;

    std::tuple<Ctes...> ctes;
    Main main{};

    template <class D>
    static consteval void check() {
        (Ctes::query_type::template check<D>(), ...);
        Main::template check<D>();
    }
    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += Recursive ? "WITH RECURSIVE " : "WITH ";
        detail::render_comma_separated<D>(ctes, out, ctx);
        out += ' ';
        main.template render<D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        detail::bind_each(ctes, sink);
        main.bind(sink);
    }
};

namespace detail {

// Does a CTE's query read table R (in FROM or a JOIN, of any member of a UNION)?
template <class Q, class R>
consteval bool reads_table() {
    if constexpr (requires { typename Q::declared_sources; }) {
        return contains<R, typename Q::declared_sources>;
    } else if constexpr (requires { Q::first; Q::second; }) {
        return reads_table<decltype(Q::first), R>() || reads_table<decltype(Q::second), R>();
    } else {
        return false;
    }
}
template <class Cte>
inline constexpr bool reads_itself = false;
template <class R, class Query>
inline constexpr bool reads_itself<cte_definition<R, Query>> = reads_table<Query, R>();

} // namespace detail

template <bool Recursive, class... Ctes>
struct with_clause {
    std::tuple<Ctes...> ctes;

    // `with(cte<R>(q))(select(...).from<R>())`
    template <class Main>
    constexpr auto operator()(Main main) const {
        return with_statement<Recursive, Main, Ctes...>{ctes, std::move(main)};
    }
};

template <class... Ctes>
constexpr auto with(Ctes... ctes) {
    static_assert(!(detail::reads_itself<Ctes> || ...),
                  "crucible: a common table expression that reads itself needs with_recursive(...) (WITH RECURSIVE), "
                  "not with(...): PostgreSQL refuses it otherwise");
    return with_clause<false, Ctes...>{{std::move(ctes)...}};
}
template <class... Ctes>
constexpr auto with_recursive(Ctes... ctes) {
    return with_clause<true, Ctes...>{{std::move(ctes)...}};
}

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
