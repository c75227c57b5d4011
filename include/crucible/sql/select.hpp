// SELECT: columns, whole structs, joins, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET, DISTINCT,
// subqueries (as values, in IN, in EXISTS), result types, and the checks that make it valid SQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/sql/clauses.hpp"
#include "crucible/sql/column.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/sql/operators.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

namespace detail {

template <class List, class Remove>
struct remove_all;
template <class... Ts, class Remove>
struct remove_all<type_list<Ts...>, Remove> {
    using type = concat_t<std::conditional_t<contains<Ts, Remove>, type_list<>, type_list<Ts>>...>;
};
template <class List, class Remove>
using remove_all_t = typename remove_all<List, Remove>::type;

struct inner_join_keyword {
    static constexpr std::string_view text = " INNER JOIN ";
    static constexpr bool nullable = false;
};
struct left_join_keyword {
    static constexpr std::string_view text = " LEFT JOIN ";
    static constexpr bool nullable = true;
};

} // namespace detail

// ` INNER JOIN "album" ON (...)`
template <class Kind, class Source, class On>
struct join_clause {
    using source = Source;
    using sources = typename On::sources;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = On::has_aggregate;
    static constexpr bool is_static = On::is_static;
    static constexpr bool nullable = Kind::nullable;
    On on{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += Kind::text;
        detail::render_source<Source, D>(out);
        out += " ON ";
        on.template render<D>(out, ctx);
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        on.bind(sink);
    }
};

template <class... Sources>
struct from_clause {
    static constexpr bool given = true;
    using declared = detail::type_list<Sources...>;
    template <class D>
    constexpr void render(sql_string& out) const {
        out += " FROM ";
        bool first = true;
        ((out += first ? "" : ", ", first = false, detail::render_source<Sources, D>(out)), ...);
    }
};

template <bool Distinct, bool ForUpdate, class Into>
struct select_flags {
    static constexpr bool distinct = Distinct;
    static constexpr bool for_update = ForUpdate;
    using into = Into;
};

// The clauses of a SELECT, one member each. A plain aggregate rather than a std::tuple: every clause
// call makes a new statement type, and a ten-element tuple's constructors cost the compiler far
// more overload resolution than aggregate initialisation does.
template <class Items, class From, class Joins, class Where, class GroupBy, class Having, class OrderBy, class Limit,
          class Offset, class Flags>
struct select_parts {
    using items_type = Items;
    using from_type = From;
    using joins_type = Joins;
    using where_type = Where;
    using group_by_type = GroupBy;
    using having_type = Having;
    using order_by_type = OrderBy;
    using limit_type = Limit;
    using offset_type = Offset;
    using flags_type = Flags;

    Items items{};
    From from{};
    Joins joins{};
    Where where{};
    GroupBy group_by{};
    Having having{};
    OrderBy order_by{};
    Limit limit{};
    Offset offset{};
    Flags flags{};
};

namespace detail {

template <class Item>
struct item_shape {
    static constexpr std::size_t width = 1;
    template <bool Nullable>
    using value = std::conditional_t<Nullable, make_optional_t<typename Item::value_type>, typename Item::value_type>;
};
template <class Source>
struct item_shape<all_of_t<Source>> {
    static constexpr std::size_t width = reflect::field_count<table_of<Source>>;
    template <bool Nullable>
    using value = std::conditional_t<Nullable, std::optional<table_of<Source>>, table_of<Source>>;
};

// The sources made nullable by LEFT JOINs.
template <class Joins>
struct nullable_sources;
template <class... J>
struct nullable_sources<node_pack<J...>> {
    using type = concat_t<std::conditional_t<J::nullable, type_list<typename J::source>, type_list<>>...>;
};

template <class Item, class Nullable>
inline constexpr bool item_is_nullable = false;
template <class BareColumns>
struct bare_sources;
template <class... Columns>
struct bare_sources<type_list<Columns...>> {
    using type = type_list<typename Columns::source...>;
};

// An item may be NULL when it reads a column of an outer-joined table outside any aggregate
// (`album.title`, `album.year + COUNT(*)`); an aggregate's own type already says whether it can
// be NULL (COUNT never is; SUM, MIN, ... are optional).
template <class Item, class... N>
inline constexpr bool item_is_nullable<Item, type_list<N...>> =
    (contains<N, typename bare_sources<typename Item::bare_columns>::type> || ...);

template <class Joins, class... Items>
struct row_type {
    using nullable = typename nullable_sources<Joins>::type;
    using tuple = std::tuple<typename item_shape<Items>::template value<item_is_nullable<Items, nullable>>...>;
};

template <class T>
struct is_all_of : std::false_type {};
template <class Source>
struct is_all_of<all_of_t<Source>> : std::true_type {};

// A selected value of type From read into a field of type To: the same type, a NOT NULL value
// into std::optional, or a widening of integers (int32 into int64) or floating point; never a
// narrowing, nor a nullable value into a field that cannot hold NULL.
template <class From, class To>
consteval bool reads_into() {
    if constexpr (std::is_same_v<From, To>) {
        return true;
    } else if constexpr (schema::is_nullable<To>) {
        if constexpr (schema::is_nullable<From>) {
            return reads_into<schema::non_null_t<From>, schema::non_null_t<To>>();
        } else {
            return reads_into<From, schema::non_null_t<To>>();
        }
    } else if constexpr (schema::is_nullable<From>) {
        return false;
    } else if constexpr (std::is_integral_v<From> && std::is_integral_v<To> && !std::is_same_v<From, bool> &&
                         !std::is_same_v<To, bool>) {
        return std::is_signed_v<From> == std::is_signed_v<To> ? sizeof(To) >= sizeof(From)
                                                              : std::is_signed_v<To> && sizeof(To) > sizeof(From);
    } else if constexpr (std::is_floating_point_v<From> && std::is_floating_point_v<To>) {
        return sizeof(To) >= sizeof(From);
    } else {
        return false;
    }
}

template <class Tuple, class Struct>
consteval bool struct_matches() {
    if constexpr (!reflect::reflectable<Struct>) {
        return false;
    } else if constexpr (std::tuple_size_v<Tuple> != reflect::field_count<Struct>) {
        return false;
    } else {
        return []<std::size_t... I>(std::index_sequence<I...>) {
            return (reads_into<std::tuple_element_t<I, Tuple>, reflect::field_type<Struct, I>>() && ...);
        }(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
    }
}

} // namespace detail

namespace detail {
// The JOINs so far and one more: JOINs are kept in a node_pack, an aggregate, whose copies and
// growth cost the compiler less than a std::tuple's constructors and std::tuple_cat.
template <class... J, class N>
constexpr node_pack<J..., N> append_join(const node_pack<J...>& joins, N&& join) {
    if constexpr (sizeof...(J) == 0) {
        return {std::move(join)};
    } else if constexpr (sizeof...(J) == 1) {
        return {{{joins.value}, {std::move(join)}}};
    } else {
        return joins.apply([&](const J&... each) { return node_pack<J..., N>{{{each}..., {std::move(join)}}}; });
    }
}
} // namespace detail

namespace detail {

// GROUP BY has every primary key column of Source (a table, not an alias): each of its columns is
// then one value per group (functionally dependent, in SQL:1999's words), which PostgreSQL and
// SQLite accept next to an aggregate: `select(col<&Venue::id>, col<&Venue::name>, count())` grouped
// by `col<&Venue::id>` alone.
template <class Source, class GroupBy>
consteval bool key_grouped() {
    if constexpr (!std::is_same_v<Source, table_of<Source>>) {
        return false;
    } else {
        constexpr std::size_t key_size = schema::table<Source>::description.primary_key.size;
        if constexpr (key_size == 0) {
            return false;
        } else {
            return []<std::size_t... K>(std::index_sequence<K...>) {
                return (contains<column<Source, schema::table<Source>::description.primary_key.at[K]>, GroupBy> && ...);
            }(std::make_index_sequence<key_size>{});
        }
    }
}

template <class Bare, class GroupBy>
inline constexpr bool grouped_column = contains<Bare, GroupBy>;
template <class Source, std::size_t I, class GroupBy>
inline constexpr bool grouped_column<column<Source, I>, GroupBy> =
    contains<column<Source, I>, GroupBy> || key_grouped<Source, GroupBy>();
template <class Source, class GroupBy>
inline constexpr bool grouped_column<all_of_t<Source>, GroupBy> = key_grouped<Source, GroupBy>();

template <class List, class GroupBy>
inline constexpr bool all_grouped = false;
template <class... Bare, class GroupBy>
inline constexpr bool all_grouped<type_list<Bare...>, GroupBy> = (grouped_column<Bare, GroupBy> && ...);


// A term as written without its label or sort direction.
template <class E>
struct unlabeled {
    using type = E;
};
template <class E, reflect::fixed_string Label>
struct unlabeled<labeled<E, Label>> {
    using type = E;
};
template <class E, bool Descending>
struct unlabeled<order_term<E, Descending>> {
    using type = typename unlabeled<E>::type;
};
template <class E>
using unlabeled_t = typename unlabeled<E>::type;

template <class T>
inline constexpr bool is_plain_column = false;
template <class Source, std::size_t I>
inline constexpr bool is_plain_column<column<Source, I>> = true;

// The GROUP BY terms (none when there is no GROUP BY), and those that are plain columns.
template <class GroupBy>
struct group_terms {
    using all = type_list<>;
    using columns = type_list<>;
};
template <class Keyword, class... E>
struct group_terms<node_list<Keyword, E...>> {
    using all = type_list<unlabeled_t<E>...>;
    using columns = concat_t<std::conditional_t<is_plain_column<unlabeled_t<E>>, type_list<unlabeled_t<E>>, type_list<>>...>;
};

// An item (or HAVING / ORDER BY term) of a grouped select: its bare columns are GROUP BY columns
// (or come with a grouped primary key), or it is itself a GROUP BY expression that binds no
// parameter. A column inside a grouped expression is not grouped: `year` beside GROUP BY
// `year / 10` is refused by PostgreSQL, and so is `year / $1` beside GROUP BY `year / $2` (two
// parameters it cannot prove equal).
// Binds no parameter, for certain: columns and operators or functions of them. Anything else
// counts as binding one (the safe side: such an expression is not taken as "the same" as a
// GROUP BY term, whose parameters PostgreSQL cannot prove equal to the select list's).
template <class E>
struct is_specialization_of_labeled : std::false_type {};
template <class E, reflect::fixed_string Label>
struct is_specialization_of_labeled<labeled<E, Label>> : std::true_type {
    using inner = E;
};
template <class E>
struct is_unary : std::false_type {};
template <class Op, class E>
struct is_unary<unary_node<Op, E>> : std::true_type {
    using operand = E;
};
template <class E>
struct is_binary : std::false_type {};
template <class Op, class L, class R>
struct is_binary<binary_node<Op, L, R>> : std::true_type {
    using left = L;
    using right = R;
};

template <class E>
inline constexpr bool parameter_free = false;
template <class Source, std::size_t I>
inline constexpr bool parameter_free<column<Source, I>> = true;
template <class Op, class E>
inline constexpr bool parameter_free<unary_node<Op, E>> = parameter_free<E>;
template <class Op, class L, class R>
inline constexpr bool parameter_free<binary_node<Op, L, R>> = parameter_free<L> && parameter_free<R>;

// An item (or HAVING / ORDER BY term) of a grouped select is one value per group when it is a
// GROUP BY expression that binds no parameter, a GROUP BY column (or a column of a table whose
// primary key is grouped), an aggregate, a parameter, or an operator or function of such values.
// A column inside a grouped expression is not grouped itself: `year` beside GROUP BY `year / 10`
// is refused by PostgreSQL, and so is `year / $1` beside GROUP BY `year / $2` (parameters it
// cannot prove equal). Other expressions (CASE, COALESCE, subqueries) need their columns grouped.
template <class E, class GroupBy>
consteval bool expr_grouped() {
    using terms = group_terms<GroupBy>;
    if constexpr (parameter_free<E> && contains<E, typename terms::all>) {
        return true;
    } else if constexpr (is_specialization_of_labeled<E>::value) {
        return expr_grouped<typename is_specialization_of_labeled<E>::inner, GroupBy>();
    } else if constexpr (is_unary<E>::value) {
        return expr_grouped<typename is_unary<E>::operand, GroupBy>();
    } else if constexpr (is_binary<E>::value) {
        return expr_grouped<typename is_binary<E>::left, GroupBy>() && expr_grouped<typename is_binary<E>::right, GroupBy>();
    } else {
        return all_grouped<typename E::bare_columns, typename terms::columns>;
    }
}

template <class Item, class GroupBy>
inline constexpr bool item_grouped = expr_grouped<unlabeled_t<Item>, GroupBy>();

// SELECT DISTINCT ... ORDER BY: each ORDER BY expression is in the select list (a column of a
// whole selected struct counts), as PostgreSQL requires.
template <class Term, class Items>
inline constexpr bool term_selected = false;
template <class Term, class Items>
inline constexpr bool in_selected_struct = false;
template <class Source, std::size_t I, class... Items>
inline constexpr bool in_selected_struct<column<Source, I>, type_list<Items...>> = contains<all_of_t<Source>, type_list<Items...>>;
template <class Term, class... Items>
inline constexpr bool term_selected<Term, type_list<Items...>> =
    contains<unlabeled_t<Term>, type_list<unlabeled_t<Items>...>> || in_selected_struct<unlabeled_t<Term>, type_list<Items...>>;

template <class Terms, class Items>
inline constexpr bool terms_selected = false;
template <class... Terms, class Items>
inline constexpr bool terms_selected<type_list<Terms...>, Items> = (term_selected<Terms, Items> && ...);

template <class OrderBy>
struct order_terms {
    using type = type_list<>;
};
template <class Keyword, class... E>
struct order_terms<node_list<Keyword, E...>> {
    using type = type_list<E...>;
};

template <class Items, class GroupBy>
inline constexpr bool items_grouped = false;
template <class... Items, class GroupBy>
inline constexpr bool items_grouped<type_list<Items...>, GroupBy> = (item_grouped<Items, GroupBy> && ...);

} // namespace detail

namespace detail {

// The name a selected item carries into its row: a column's name, a label; none for an unlabelled
// expression or a whole struct.
template <class Item>
struct item_name {
    static constexpr std::string_view value{};
};
template <class Source, std::size_t I>
struct item_name<column<Source, I>> {
    static constexpr std::string_view value = column<Source, I>::name;
};
template <class E, reflect::fixed_string Label>
struct item_name<labeled<E, Label>> {
    static constexpr std::string_view value = Label.view();
};

// .as<S>() reads item i into S's field i: where item i has a name, it must be that field's name
// (two fields of one type in swapped order would otherwise swap values unseen). Selects of whole
// structs are matched by type alone.
template <class Struct, class Items>
struct names_match : std::true_type {};
template <class Struct, class... Items>
    requires(!is_all_of<Items>::value && ...)
struct names_match<Struct, type_list<Items...>> {
    static constexpr bool value = []<std::size_t... I>(std::index_sequence<I...>) {
        return ((item_name<Items>::value.empty() || item_name<Items>::value == reflect::field_name<Struct, I>) && ...);
    }(std::index_sequence_for<Items...>{});
};

} // namespace detail

// A table named by a value rather than a template argument: `from(table<T>)`,
// `join(table<T>, on)`. In generic code, where `from<T>()` needs `.template from<T>()`, this
// spelling needs nothing.
template <class Source>
struct table_ref {};
template <class Source>
inline constexpr table_ref<Source> table{};

template <class Parts>
struct select_statement;

// The statement with one clause replaced: each clause call builds its result in place (aggregate
// initialisation from the new clause's prvalue), with no intermediate copy of the other parts.
// Aliases at namespace scope, not members: each select_statement type the builder goes through
// would otherwise declare them all again.
namespace detail {
template <class P, class V>
using select_with_from =
    select_statement<select_parts<typename P::items_type, V, typename P::joins_type, typename P::where_type,
                                  typename P::group_by_type, typename P::having_type,
                                  typename P::order_by_type, typename P::limit_type, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_joins =
    select_statement<select_parts<typename P::items_type, typename P::from_type, V, typename P::where_type,
                                  typename P::group_by_type, typename P::having_type,
                                  typename P::order_by_type, typename P::limit_type, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_where =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type, V,
                                  typename P::group_by_type, typename P::having_type,
                                  typename P::order_by_type, typename P::limit_type, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_group_by =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type,
                                  typename P::where_type, V, typename P::having_type,
                                  typename P::order_by_type, typename P::limit_type, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_having =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type,
                                  typename P::where_type, typename P::group_by_type, V,
                                  typename P::order_by_type, typename P::limit_type, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_order_by =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type,
                                  typename P::where_type, typename P::group_by_type, typename P::having_type,
                                  V, typename P::limit_type, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_limit =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type,
                                  typename P::where_type, typename P::group_by_type, typename P::having_type,
                                  typename P::order_by_type, V, typename P::offset_type,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_offset =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type,
                                  typename P::where_type, typename P::group_by_type, typename P::having_type,
                                  typename P::order_by_type, typename P::limit_type, V,
                                  typename P::flags_type>>;
template <class P, class V>
using select_with_flags =
    select_statement<select_parts<typename P::items_type, typename P::from_type, typename P::joins_type,
                                  typename P::where_type, typename P::group_by_type, typename P::having_type,
                                  typename P::order_by_type, typename P::limit_type, typename P::offset_type,
                                  V>>;

// What a SELECT's parts say about it, outside select_statement: each is made once per distinct
// part (JOIN list, select list, FROM), shared by every statement type that has it.
template <class J>
struct joins_info;
template <class... J>
struct joins_info<node_pack<J...>> {
    static constexpr std::size_t count = sizeof...(J);
    using sources = sources_of<J...>;
    using declared = type_list<typename J::source...>;
    static constexpr bool has_aggregate = (J::has_aggregate || ...);
    static constexpr bool is_static = (J::is_static && ...);
};
template <class Joins, class I>
struct items_info;
template <class Joins, class... I>
struct items_info<Joins, node_list<keyword::none, I...>> {
    using row = typename row_type<Joins, I...>::tuple;
    static constexpr std::size_t count = sizeof...(I);
    static constexpr bool single_struct = sizeof...(I) == 1 && (is_all_of<I>::value && ...);
    static constexpr std::size_t width = (item_shape<I>::width + ... + 0);
};
template <class F>
struct declared_of {
    using type = type_list<>;
};
template <class... S>
struct declared_of<from_clause<S...>> {
    using type = type_list<S...>;
};
} // namespace detail

template <class Parts>
struct select_statement : node_tag {
    using items_t = typename Parts::items_type;
    using from_t = typename Parts::from_type;
    using joins_t = typename Parts::joins_type;
    using where_t = typename Parts::where_type;
    using group_by_t = typename Parts::group_by_type;
    using having_t = typename Parts::having_type;
    using order_by_t = typename Parts::order_by_type;
    using limit_t = typename Parts::limit_type;
    using offset_t = typename Parts::offset_type;
    using flags_t = typename Parts::flags_type;

    Parts parts;

    template <class J>
    using joins_info = detail::joins_info<J>;
    template <class I>
    using items_info = detail::items_info<joins_t, I>;

public:
    // Tables in FROM and JOIN.
    using declared_sources = detail::concat_t<typename detail::declared_of<from_t>::type, typename joins_info<joins_t>::declared>;
    using referenced_sources =
        detail::concat_t<typename items_t::sources, typename joins_info<joins_t>::sources, typename where_t::sources,
                         typename group_by_t::sources, typename having_t::sources, typename order_by_t::sources>;
    // Tables read but not declared here: for a subquery, the outer query's (correlation); at
    // the top level, an error.
    using sources = detail::remove_all_t<referenced_sources, declared_sources>;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = items_t::is_static && joins_info<joins_t>::is_static && where_t::is_static &&
                                      group_by_t::is_static && having_t::is_static && order_by_t::is_static;

    static constexpr std::size_t column_count = items_info<items_t>::count;
    // Columns of the result set, counting each column of a whole struct.
    static constexpr std::size_t result_width = items_info<items_t>::width;
    using row_tuple = typename items_info<items_t>::row;
    // What one row is read into: the struct for `select<T>()`, a user struct after `.as<S>()`,
    // else a tuple of the items' types.
    using result_type = std::conditional_t<
        !std::is_void_v<typename flags_t::into>, typename flags_t::into,
        std::conditional_t<items_info<items_t>::single_struct, std::tuple_element_t<0, row_tuple>, row_tuple>>;
    // As an operand (a scalar subquery): the single column's type, NULL when no row.
    using value_type = detail::make_optional_t<std::tuple_element_t<0, row_tuple>>;
    static constexpr std::size_t subquery_column_count = column_count;

    template <class D>
    static consteval void check() {
        static_assert(detail::remove_all_t<referenced_sources, declared_sources>::size == 0,
                      "crucible: a column is used whose table is not in FROM or JOIN");
        check_dialect<D>();
        check_grouping();
    }

    // The rules of the dialect, which a subquery keeps too (its FROM check waits for the outer
    // query's): rendered for a dialect, a select nested anywhere runs them.
    template <class D>
    static consteval void check_dialect() {
        static_assert(!flags_t::for_update || D::has_for_update,
                      "crucible: SELECT ... FOR UPDATE is not supported by SQLite");
        // PostgreSQL locks rows it can name: not groups, not distinct rows, not an outer join's
        // missing side.
        static_assert(!flags_t::for_update || !(flags_t::distinct || grouped || outer_joined),
                      "crucible: FOR UPDATE cannot be used with DISTINCT, GROUP BY, aggregates or LEFT JOIN");
    }

    static constexpr bool grouped = items_t::has_aggregate || group_by_t::given || having_t::given;
    static constexpr bool outer_joined = detail::nullable_sources<joins_t>::type::size > 0;

    // The rules that need no dialect; a subquery runs them when it is made (its FROM check waits
    // for the outer query, whose tables it may read).
    static consteval void check_grouping() {
        if constexpr (flags_t::distinct) {
            static_assert(detail::terms_selected<typename detail::order_terms<order_by_t>::type, typename items_t::columns>,
                          "crucible: SELECT DISTINCT ... ORDER BY needs each ORDER BY expression in the select list "
                          "(PostgreSQL refuses it otherwise): select it too, or drop DISTINCT");
        }
        if constexpr (grouped) {
            static_assert(detail::items_grouped<typename items_t::columns, group_by_t>,
                          "crucible: a column is selected next to an aggregate but is not in GROUP BY (nor is its "
                          "table's primary key; a column inside a grouped expression, like year beside GROUP BY "
                          "year / 10, is not grouped itself)");
            static_assert(detail::item_grouped<having_t, group_by_t> &&
                              detail::items_grouped<typename detail::order_terms<order_by_t>::type, group_by_t>,
                          "crucible: a column in HAVING or ORDER BY of a grouped select is neither in GROUP BY "
                          "nor inside an aggregate");
        }
    }

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += flags_t::distinct ? "SELECT DISTINCT " : "SELECT ";
        parts.items.template render<D>(out, ctx);
        if constexpr (from_t::given) {
            parts.from.template render<D>(out);
        }
        if constexpr (joins_info<joins_t>::count > 0) {  // most selects join nothing: no lambda then
            parts.joins.apply([&](const auto&... join) { (join.template render<D>(out, ctx), ...); });
        }
        parts.where.template render<D>(out, ctx);
        parts.group_by.template render<D>(out, ctx);
        parts.having.template render<D>(out, ctx);
        parts.order_by.template render<D>(out, ctx);
        parts.limit.template render<D>(out, ctx);
        if constexpr (offset_t::given && !limit_t::given && D::offset_needs_limit) {
            out += " LIMIT -1";  // SQLite has no OFFSET without LIMIT; -1 is no limit
        }
        parts.offset.template render<D>(out, ctx);
        if constexpr (flags_t::for_update) {
            out += " FOR UPDATE";
        }
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        // Only the clauses that may hold values: most statements bind one or two of ten.
        if constexpr (!detail::binds_nothing<items_t>) {
            parts.items.bind(sink);
        }
        if constexpr (joins_info<joins_t>::count > 0) {
            parts.joins.bind(sink);
        }
        if constexpr (!detail::binds_nothing<where_t>) {
            parts.where.bind(sink);
        }
        if constexpr (!detail::binds_nothing<group_by_t>) {
            parts.group_by.bind(sink);
        }
        if constexpr (!detail::binds_nothing<having_t>) {
            parts.having.bind(sink);
        }
        if constexpr (!detail::binds_nothing<order_by_t>) {
            parts.order_by.bind(sink);
        }
        if constexpr (!detail::binds_nothing<limit_t>) {
            parts.limit.bind(sink);
        }
        if constexpr (!detail::binds_nothing<offset_t>) {
            parts.offset.bind(sink);
        }
    }

    template <class... Sources>
    constexpr auto from() const {
        static_assert(!from_t::given, "crucible: a clause is given twice: FROM");
        static_assert(sizeof...(Sources) > 0, "crucible: FROM needs at least one table");
        static_assert((((void)schema::detail::check_table_shape<detail::table_of<Sources>>(), true) && ...));
        return detail::select_with_from<Parts, from_clause<Sources...>>{
            {},
            {parts.items, {}, parts.joins, parts.where, parts.group_by, parts.having, parts.order_by,
             parts.limit, parts.offset, parts.flags}};
    }

    template <class Source, class On>
    constexpr auto join(On&& on) const {
        return add_join<detail::inner_join_keyword, Source>(std::forward<On>(on));
    }
    template <class Source, class On>
    constexpr auto left_join(On&& on) const {
        return add_join<detail::left_join_keyword, Source>(std::forward<On>(on));
    }

    // The same clauses with the tables as values (table<T>): no `.template` in generic code.
    template <class... Sources>
        requires(sizeof...(Sources) > 0)
    constexpr auto from(table_ref<Sources>...) const {
        return from<Sources...>();
    }
    template <class Source, class On>
    constexpr auto join(table_ref<Source>, On&& on) const {
        return add_join<detail::inner_join_keyword, Source>(std::forward<On>(on));
    }
    template <class Source, class On>
    constexpr auto left_join(table_ref<Source>, On&& on) const {
        return add_join<detail::left_join_keyword, Source>(std::forward<On>(on));
    }

    template <class E>
    constexpr auto where(E&& condition) const {
        using node = node_t<E>;
        static_assert(!where_t::given, "crucible: a clause is given twice: WHERE");
        detail::check_condition<detail::condition_of::where, node>();
        static_assert(!node::has_aggregate, "crucible: an aggregate cannot be used in WHERE (use HAVING)");
        return detail::select_with_where<Parts, node_list<keyword::where, node>>{
            {},
            {parts.items, parts.from, parts.joins, {{as_node(std::forward<E>(condition))}}, parts.group_by,
             parts.having, parts.order_by, parts.limit, parts.offset, parts.flags}};
    }

    template <class... E>
    constexpr auto group_by(E&&... e) const {
        static_assert(!group_by_t::given, "crucible: a clause is given twice: GROUP BY");
        (detail::check_group_term<E>(), ...);
        static_assert(!(node_t<E>::has_aggregate || ...), "crucible: an aggregate cannot be used in GROUP BY");
        return detail::select_with_group_by<Parts, node_list<keyword::group_by, node_t<E>...>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, {{as_node(std::forward<E>(e))...}},
             parts.having, parts.order_by, parts.limit, parts.offset, parts.flags}};
    }

    template <class E>
    constexpr auto having(E&& condition) const {
        static_assert(!having_t::given, "crucible: a clause is given twice: HAVING");
        static_assert(group_by_t::given, "crucible: HAVING needs GROUP BY");
        detail::check_condition<detail::condition_of::having, node_t<E>>();
        return detail::select_with_having<Parts, node_list<keyword::having, node_t<E>>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by,
             {{as_node(std::forward<E>(condition))}}, parts.order_by, parts.limit, parts.offset,
             parts.flags}};
    }

    template <class... E>
    constexpr auto order_by(E&&... e) const {
        static_assert(!order_by_t::given, "crucible: a clause is given twice: ORDER BY");
        using clause = node_list<keyword::order_by, typename detail::as_order_term<E>::type...>;
        return detail::select_with_order_by<Parts, clause>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by, parts.having,
             {{detail::as_order_term<E>::make(std::forward<E>(e))...}}, parts.limit, parts.offset,
             parts.flags}};
    }

    constexpr auto limit(std::int64_t count) const {
        static_assert(!limit_t::given, "crucible: a clause is given twice: LIMIT");
        return detail::select_with_limit<Parts, count_clause<keyword::limit>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by, parts.having, parts.order_by,
             {count}, parts.offset, parts.flags}};
    }
    constexpr auto offset(std::int64_t count) const {
        static_assert(!offset_t::given, "crucible: a clause is given twice: OFFSET");
        return detail::select_with_offset<Parts, count_clause<keyword::offset>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by, parts.having, parts.order_by,
             parts.limit, {count}, parts.flags}};
    }

    constexpr auto distinct() const {
        static_assert(!flags_t::distinct, "crucible: a clause is given twice: DISTINCT");
        return detail::select_with_flags<Parts, select_flags<true, flags_t::for_update, typename flags_t::into>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by, parts.having, parts.order_by,
             parts.limit, parts.offset, {}}};
    }
    constexpr auto for_update() const {
        static_assert(!flags_t::for_update, "crucible: a clause is given twice: FOR UPDATE");
        return detail::select_with_flags<Parts, select_flags<flags_t::distinct, true, typename flags_t::into>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by, parts.having, parts.order_by,
             parts.limit, parts.offset, {}}};
    }

    // Read each row into a user struct whose fields have exactly the selected columns' types.
    template <class Struct>
    constexpr auto as() const {
        static_assert(detail::struct_matches<row_tuple, Struct>(),
                      "crucible: the struct's field types do not match the selected columns (each field takes its "
                      "column's type, a wider integer or floating type, or std::optional of it)");
        static_assert(detail::names_match<Struct, typename items_t::columns>::value,
                      "crucible: .as<S>() reads the selected items into S's fields in order, and a selected column "
                      "or label is named differently from its field (swapped, the values would swap): select them in "
                      "S's field order, or label each with as<\"field\">(...)");
        return detail::select_with_flags<Parts, select_flags<flags_t::distinct, flags_t::for_update, Struct>>{
            {},
            {parts.items, parts.from, parts.joins, parts.where, parts.group_by, parts.having, parts.order_by,
             parts.limit, parts.offset, {}}};
    }

private:
    template <class Kind, class Source, class On>
    constexpr auto add_join(On&& on) const {
        static_assert(from_t::given, "crucible: JOIN needs FROM first");
        static_assert(!detail::contains<Source, declared_sources>,
                      "crucible: this table is already in FROM or JOIN: a table joined to itself needs an alias for "
                      "one side, like join<aliased<Employee, \"boss\">>(...) with col<&Employee::id, ...> naming its columns");
        using node = node_t<On>;
        detail::check_condition<detail::condition_of::on, node>();
        static_assert(!node::has_aggregate, "crucible: an aggregate cannot be used in JOIN ... ON");
        auto joined = detail::append_join(parts.joins, join_clause<Kind, Source, node>{as_node(std::forward<On>(on))});
        return detail::select_with_joins<Parts, decltype(joined)>{
            {},
            {parts.items, parts.from, std::move(joined), parts.where, parts.group_by, parts.having,
             parts.order_by, parts.limit, parts.offset, parts.flags}};
    }
};

// `select(col<&Artist::id>, col<&Artist::name>).from<Artist>()`
template <class... Items>
    requires(sizeof...(Items) > 0 && (expression<std::remove_cvref_t<Items>> && ...))
constexpr auto select(Items&&... items) {
    using items_type = node_list<keyword::none, node_t<Items>...>;
    using parts_type = select_parts<items_type, no_clause, detail::node_pack<>, no_clause, no_clause, no_clause, no_clause,
                                    no_clause, no_clause, select_flags<false, false, void>>;
    return select_statement<parts_type>{{}, {items_type{{as_node(std::forward<Items>(items))...}}}};
}

// `select<Artist>()`: every column of Artist, FROM Artist, rows read into Artist.
template <class Source>
constexpr auto select() {
    return select(all_of<Source>).template from<Source>();
}

template <class T>
struct is_select : std::false_type {};
template <class Parts>
struct is_select<select_statement<Parts>> : std::true_type {};

// `(SELECT ...)` used as an operand.
template <class S>
struct subquery_node : node_tag {
    using value_type = typename S::value_type;
    using sources = typename S::sources;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = S::is_static;
    S query{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        if constexpr (requires { S::template check_dialect<D>(); }) {
            S::template check_dialect<D>();
        }
        out += '(';
        query.template render<D>(out, ctx);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        query.bind(sink);
    }
};

// A select used as a value: exactly one column.
template <class S>
    requires is_select<std::remove_cvref_t<S>>::value
constexpr auto subquery(S&& query) {
    static_assert(std::remove_cvref_t<S>::column_count == 1,
                  "crucible: a subquery used as a value must select exactly one column");
    std::remove_cvref_t<S>::check_grouping();
    return subquery_node<std::remove_cvref_t<S>>{{}, std::forward<S>(query)};
}

namespace op {
struct in_spelling {
    static constexpr std::string_view text = " IN ";
};
} // namespace op

// `(x IN (SELECT ...))`
template <class E, class S>
    requires expression<std::remove_cvref_t<E>> && is_select<std::remove_cvref_t<S>>::value
constexpr auto in(E&& e, S&& query) {
    auto sub = subquery(std::forward<S>(query));
    detail::check_comparable<node_t<E>, decltype(sub)>();
    return detail::make_binary<op::predicate<op::in_spelling>>(std::forward<E>(e), std::move(sub));
}

// `(x NOT IN (SELECT ...))`
template <class E, class S>
    requires expression<std::remove_cvref_t<E>> && is_select<std::remove_cvref_t<S>>::value
constexpr auto not_in(E&& e, S&& query) {
    return !in(std::forward<E>(e), std::forward<S>(query));
}

namespace op {
struct exists {
    static constexpr std::string_view prefix = "(EXISTS ";
    static constexpr std::string_view suffix = ")";
    template <class>
    using result = bool;
};
} // namespace op

// `(EXISTS (SELECT ...))`: any number of columns.
template <class S>
    requires is_select<std::remove_cvref_t<S>>::value
constexpr auto exists(S&& query) {
    std::remove_cvref_t<S>::check_grouping();
    using sub = subquery_node<std::remove_cvref_t<S>>;
    return unary_node<op::exists, sub>{{}, sub{{}, std::forward<S>(query)}};
}

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
