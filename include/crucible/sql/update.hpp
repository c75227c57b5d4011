// UPDATE ... SET ... WHERE and DELETE FROM ... WHERE; both need WHERE or an explicit all_rows().
#pragma once

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/schema/table.hpp"
#include "crucible/sql/assignment.hpp"
#include "crucible/sql/clauses.hpp"
#include "crucible/sql/insert.hpp"
#include "crucible/sql/operators.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

// WHERE for UPDATE/DELETE: a condition, or the explicit marker that every row is meant.
struct all_rows_marker {
    using sources = detail::type_list<>;
    static constexpr bool given = true;
    static constexpr bool is_static = true;
    template <class D>
    constexpr void render(sql_string&, render_context&) const {}
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

namespace detail {

struct update_kind {
    static constexpr std::string_view text = "UPDATE ";
};
struct delete_kind {
    static constexpr std::string_view text = "DELETE FROM ";
};

} // namespace detail

template <class Kind, class T, class Set, class Where, class Returning>
struct modify_statement {
    static constexpr bool is_static = Set::is_static && Where::is_static;
    using result_type = typename detail::returning_result<Returning>::type;
    using row_tuple = std::conditional_t<std::is_void_v<result_type>, std::tuple<>, result_type>;

    Set set_part{};
    Where where_part{};
    Returning returning_part{};

    template <class D>
    static consteval void check() {
        static_assert(!std::is_same_v<Kind, detail::update_kind> || Set::given, "crucible: UPDATE needs SET");
        static_assert(Where::given,
                      "crucible: UPDATE or DELETE without WHERE: add .where(...), or .all_rows() to mean every row");
        static_assert(detail::is_subset<detail::concat_t<typename Set::sources, typename Where::sources,
                                                         typename Returning::sources>,
                                        detail::type_list<T>>,
                      "crucible: a column is used whose table is not in FROM or JOIN");
    }

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += Kind::text;
        out += detail::source_sql<T, D>;
        set_part.template render<D>(out, ctx);
        where_part.template render<D>(out, ctx);
        returning_part.template render<D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        set_part.bind(sink);
        where_part.bind(sink);
        returning_part.bind(sink);
    }

    template <class... A>
    constexpr auto set(A... assignments) const {
        static_assert(std::is_same_v<Kind, detail::update_kind>, "crucible: SET belongs to UPDATE");
        static_assert(!Set::given, "crucible: a clause is given twice: SET");
        static_assert(sizeof...(A) > 0, "crucible: SET needs at least one assignment");
        static_assert((std::is_same_v<typename A::column_type::table_type, T> && ...),
                      "crucible: a column is used whose table is not in FROM or JOIN");
        static_assert(detail::assigns_each_column_once<A...>(), "crucible: a column is assigned twice");
        return modify_statement<Kind, T, set_list<A...>, Where, Returning>{
            {{std::move(assignments)...}}, where_part, returning_part};
    }

    template <class E>
    constexpr auto where(E&& condition) const {
        using node = node_t<E>;
        static_assert(!Where::given, "crucible: a clause is given twice: WHERE");
        detail::check_condition<detail::condition_of::where, node>();
        static_assert(!node::has_aggregate, "crucible: an aggregate cannot be used in WHERE (use HAVING)");
        return modify_statement<Kind, T, Set, node_list<keyword::where, node>, Returning>{
            set_part, {{as_node(std::forward<E>(condition))}}, returning_part};
    }

    // Says that the statement is meant for every row of the table.
    constexpr auto all_rows() const {
        static_assert(!Where::given, "crucible: a clause is given twice: WHERE");
        return modify_statement<Kind, T, Set, all_rows_marker, Returning>{set_part, {}, returning_part};
    }

    template <class... E>
    constexpr auto returning(E&&... items) const {
        static_assert(!Returning::given, "crucible: a clause is given twice: RETURNING");
        return modify_statement<Kind, T, Set, Where, returning_clause<node_t<E>...>>{
            set_part, where_part, {{as_node(std::forward<E>(items))...}}};
    }

    template <class... A>
    struct set_list {
        using sources = detail::sources_of<A...>;
        static constexpr bool given = true;
        static constexpr bool is_static = (A::is_static && ...);
        detail::node_pack<A...> assignments;

        template <class D>
        constexpr void render(sql_string& out, render_context& ctx) const {
            out += " SET ";
            detail::render_comma_separated<D>(assignments, out, ctx);
        }
        template <class Sink>
        constexpr void bind(Sink& sink) const {
            assignments.bind(sink);
        }
    };
};

struct no_set {
    using sources = detail::type_list<>;
    static constexpr bool given = false;
    static constexpr bool is_static = true;
    template <class D>
    constexpr void render(sql_string&, render_context&) const {}
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

// `update<Artist>().set(col<&Artist::city> = "Oslo").where(col<&Artist::id> == 7)`
template <class T>
constexpr auto update() {
    return modify_statement<detail::update_kind, T, no_set, no_clause, no_returning>{};
}

// `delete_from<Artist>().where(col<&Artist::id> == 7)`
template <class T>
constexpr auto delete_from() {
    return modify_statement<detail::delete_kind, T, no_set, no_clause, no_returning>{};
}

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
