// SQL text of a statement for a dialect: a compile-time constant when the statement is static.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "crucible/reflect/fixed_string.hpp"
#include "crucible/sql/errors.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

// A statement: it checks itself for a dialect (firing the named static_asserts), renders, binds.
template <class S, class D>
concept statement_for = requires(const S& s, sql_string& out, render_context& ctx) {
    S::template check<D>();
    s.template render<D>(out, ctx);
};

namespace detail {

template <class S, class D>
constexpr sql_string render_statement(const S& statement) {
    sql_string out;
    render_context ctx;
    statement.template render<D>(out, ctx);
    return out;
}

template <class S, class D>
constexpr std::size_t count_parameters() {
    sql_string out;
    render_context ctx;
    S{}.template render<D>(out, ctx);
    return ctx.parameter_count;
}

} // namespace detail

// The SQL text of statement type S in dialect D, computed by the compiler. Its characters have
// static storage and are NUL-terminated, so `.data()` is also a C string, and its address
// identifies the statement type (the backends key their prepared-statement caches on it).
template <class S, class D>
    requires statement_for<S, D> && S::is_static
inline constexpr std::string_view sql_text = reflect::static_text<[] {
    S::template check<D>();
    return detail::render_statement<S, D>(S{});
}>;

// How many parameters a static statement binds.
template <class S, class D>
    requires statement_for<S, D> && S::is_static
inline constexpr std::size_t parameter_count = detail::count_parameters<S, D>();

// The SQL text of a statement object: the compile-time text when the statement is static, else
// rendered now (an IN list of run-time length, a dynamic filter, a multi-row INSERT).
template <class D, class S>
    requires statement_for<S, D>
std::string to_sql(const S& statement) {
    S::template check<D>();
    if constexpr (S::is_static) {
        return std::string(sql_text<S, D>);
    } else {
        // Only here can the count pass the database's limit (a multi-row VALUES, a long dynamic
        // filter): a programming_error before the driver sees it, not the driver's own error.
        sql_string out;
        render_context ctx;
        statement.template render<D>(out, ctx);
        if (ctx.parameter_count > D::max_parameters) [[unlikely]] {
            detail::throw_too_many_parameters(D::name, ctx.parameter_count, D::max_parameters,
                                              crucible::detail::to_std_string(std::move(out)));
        }
        return crucible::detail::to_std_string(std::move(out));
    }
}

} // namespace crucible::sql
