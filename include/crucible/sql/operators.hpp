// Operators on expressions: comparison, logic, arithmetic, LIKE/ILIKE, IN, BETWEEN, IS NULL, ||.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "crucible/reflect/fixed_string.hpp"
#include "crucible/reflect/type_name.hpp"
#include "crucible/sql/errors.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/sql/value_list.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

CRUCIBLE_BRACE_ELISION_BEGIN

namespace detail {

template <class L, class R>
consteval void check_comparable() {
    static_assert(comparable<typename L::value_type, typename R::value_type>(),
                  "crucible: incompatible types: these operands cannot be compared or combined "
                  "(e.g. text with a number, bool with a number)");
}

// Either side is a crucible node, so the operator is ours.
template <class L, class R>
concept involves_node = expression<std::remove_cvref_t<L>> || expression<std::remove_cvref_t<R>>;

} // namespace detail

// `(lhs <op> rhs)`. Op supplies the SQL spelling and the result type.
template <class Op, class L, class R>
struct binary_node : node_tag {
    using value_type = typename Op::template result<typename L::value_type, typename R::value_type>;
    using sources = detail::sources_of<L, R>;
    using bare_columns = detail::bare_columns_of<L, R>;
    static constexpr bool has_aggregate = L::has_aggregate || R::has_aggregate;
    static constexpr bool is_static = L::is_static && R::is_static;

    // An aggregate: `{{}, lhs, rhs}` builds each operand in place from the prvalue that makes it.
    L lhs{};
    R rhs{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += '(';
        lhs.template render<D>(out, ctx);
        Op::template render<D>(out);
        rhs.template render<D>(out, ctx);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        if constexpr (!detail::binds_nothing<L>) {
            lhs.bind(sink);
        }
        if constexpr (!detail::binds_nothing<R>) {
            rhs.bind(sink);
        }
    }
};

// `<prefix>(operand)<suffix>`: NOT, IS NULL, functions of one argument.
template <class Op, class E>
struct unary_node : node_tag {
    using value_type = typename Op::template result<typename E::value_type>;
    using sources = typename E::sources;
    using bare_columns = typename E::bare_columns;
    static constexpr bool has_aggregate = E::has_aggregate;
    static constexpr bool is_static = E::is_static;

    E operand{};  // an aggregate, as binary_node

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += Op::prefix;
        operand.template render<D>(out, ctx);
        out += Op::suffix;
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        operand.bind(sink);
    }
};

namespace op {

template <class Spelling>
struct infix {
    template <class D>
    static constexpr void render(sql_string& out) {
        out += Spelling::text;
    }
};

#define CRUCIBLE_SQL_SPELLING(name, sql)              \
    struct name##_spelling {                          \
        static constexpr std::string_view text = sql; \
    }
CRUCIBLE_SQL_SPELLING(eq, " = ");
CRUCIBLE_SQL_SPELLING(ne, " <> ");
CRUCIBLE_SQL_SPELLING(lt, " < ");
CRUCIBLE_SQL_SPELLING(le, " <= ");
CRUCIBLE_SQL_SPELLING(gt, " > ");
CRUCIBLE_SQL_SPELLING(ge, " >= ");
CRUCIBLE_SQL_SPELLING(and_, " AND ");
CRUCIBLE_SQL_SPELLING(or_, " OR ");
CRUCIBLE_SQL_SPELLING(plus, " + ");
CRUCIBLE_SQL_SPELLING(minus, " - ");
CRUCIBLE_SQL_SPELLING(times, " * ");
CRUCIBLE_SQL_SPELLING(divide, " / ");
CRUCIBLE_SQL_SPELLING(modulo, " % ");
CRUCIBLE_SQL_SPELLING(concat, " || ");
CRUCIBLE_SQL_SPELLING(like, " LIKE ");
#undef CRUCIBLE_SQL_SPELLING

template <class Spelling>
struct predicate : infix<Spelling> {
    template <class L, class R>
    using result = detail::nullable_if_any_t<bool, L, R>;
};

template <class Spelling>
struct arithmetic : infix<Spelling> {
    template <class L, class R>
    using result = detail::nullable_if_any_t<
        std::common_type_t<schema::non_null_t<L>, schema::non_null_t<R>>, L, R>;
};

struct concat : infix<concat_spelling> {
    template <class L, class R>
    using result = detail::nullable_if_any_t<std::string, L, R>;
};

struct ilike {
    template <class L, class R>
    using result = detail::nullable_if_any_t<bool, L, R>;
    template <class D>
    static constexpr void render(sql_string& out) {
        static_assert(D::has_ilike, "crucible: ILIKE is not supported by SQLite (use lower(x) LIKE lower(y))");
        out += " ILIKE ";
    }
};

// A LIKE pattern followed by its escape character: `pattern ESCAPE '\'` (like_escaped).
struct escaped_pattern {
    static constexpr std::string_view prefix = "";
    static constexpr std::string_view suffix = " ESCAPE '\\'";
    template <class T>
    using result = T;
};

struct not_ {
    static constexpr std::string_view prefix = "(NOT ";
    static constexpr std::string_view suffix = ")";
    template <class T>
    using result = T;
};
struct is_null {
    static constexpr std::string_view prefix = "(";
    static constexpr std::string_view suffix = " IS NULL)";
    template <class>
    using result = bool;
};
struct is_not_null {
    static constexpr std::string_view prefix = "(";
    static constexpr std::string_view suffix = " IS NOT NULL)";
    template <class>
    using result = bool;
};

} // namespace op

namespace detail {

template <class Op, class L, class R>
constexpr auto make_binary(L&& l, R&& r) {
    using left = node_t<L>;
    using right = node_t<R>;
    return binary_node<Op, left, right>{{}, as_node(std::forward<L>(l)), as_node(std::forward<R>(r))};
}

template <class Spelling, class L, class R>
constexpr auto comparison(L&& l, R&& r) {
    check_comparable<node_t<L>, node_t<R>>();
    // make_binary's body, written out: one function fewer for each comparison a program makes.
    return binary_node<op::predicate<Spelling>, node_t<L>, node_t<R>>{
        {}, as_node(std::forward<L>(l)), as_node(std::forward<R>(r))};
}

template <class E>
consteval void check_boolean() {
    static_assert(category_of<typename E::value_type>() == category::boolean,
                  "crucible: incompatible types: AND, OR and NOT need boolean operands");
}

// Where a condition stands, so that its message names the clause.
enum class condition_of { where, on, having, when };

constexpr std::string_view category_word(category c) {
    switch (c) {
    case category::boolean: return "boolean";
    case category::number: return "number";
    case category::text: return "text";
    case category::blob: return "bytes";
    case category::timestamp: return "timestamp";
    case category::enumeration: return "enum";
    case category::null: return "NULL";
    default: return "non-SQL";
    }
}

// What an operand is, in words, for a message: "column Artist::name (text)", "an expression of
// number type". Computed only when a message needs it.
template <class E>
inline constexpr auto operand_description = reflect::static_text<[] {
    sql_string out;
    if constexpr (requires { E::index; E::name; typename E::table_type; }) {
        out += "column ";
        out += reflect::type_name<typename E::table_type>;
        out += "::";
        out += E::name;
        out += " (";
        out += category_word(category_of<typename E::value_type>());
        out += ')';
    } else {
        out += "an expression of ";
        out += category_word(category_of<typename E::value_type>());
        out += " type";
    }
    return out;
}>;

// Always false: named in a failed static_assert, it shows the operand that was given (GCC's note
// says `is_boolean_condition<fixed_string<26>{"column Artist::name (text)"}>' evaluates to false`).
template <reflect::fixed_string Given>
inline constexpr bool is_boolean_condition = false;

template <condition_of Clause, class E>
consteval void check_condition() {
    constexpr bool boolean = category_of<typename E::value_type>() == category::boolean;
    if constexpr (!boolean) {
        if constexpr (Clause == condition_of::where) {
            static_assert(is_boolean_condition<operand_description<E>>,
                          "crucible: WHERE needs a boolean condition (a comparison such as col<&T::x> == value, "
                          "or a bool column), not a value of another type");
        } else if constexpr (Clause == condition_of::on) {
            static_assert(is_boolean_condition<operand_description<E>>,
                          "crucible: JOIN ... ON needs a boolean condition (such as col<&B::a_id> == col<&A::id>), "
                          "not a value of another type");
        } else if constexpr (Clause == condition_of::having) {
            static_assert(is_boolean_condition<operand_description<E>>,
                          "crucible: HAVING needs a boolean condition (such as count() > 1), not a value of "
                          "another type");
        } else {
            static_assert(is_boolean_condition<operand_description<E>>,
                          "crucible: CASE WHEN needs a boolean condition, not a value of another type");
        }
    }
}

template <class E>
consteval void check_number() {
    static_assert(category_of<typename E::value_type>() == category::number,
                  "crucible: incompatible types: arithmetic needs numbers (e.g. text with a number)");
}

// SUM and AVG of a column that is not a number.
template <reflect::fixed_string Given>
inline constexpr bool is_number_operand = false;

template <class E>
consteval void check_summable() {
    if constexpr (category_of<typename E::value_type>() != category::number) {
        static_assert(is_number_operand<operand_description<E>>,
                      "crucible: SUM and AVG need a number column or expression, not text, a timestamp or a bool "
                      "(count() counts rows of any type)");
    }
}

template <class E>
consteval void check_nullable_for_null_test() {
    static_assert(is_optional_v<typename E::value_type>,
                  "crucible: comparing a non-nullable column with NULL is never true; only std::optional "
                  "columns can be NULL");
}

} // namespace detail

// `x == std::nullopt` is `x IS NULL`, as SQLAlchemy spells `x == None`.
template <class L>
    requires expression<std::remove_cvref_t<L>>
constexpr auto operator==(L&& l, std::nullopt_t) {
    detail::check_nullable_for_null_test<node_t<L>>();
    return unary_node<op::is_null, node_t<L>>{{}, as_node(std::forward<L>(l))};
}
template <class L>
    requires expression<std::remove_cvref_t<L>>
constexpr auto operator!=(L&& l, std::nullopt_t) {
    detail::check_nullable_for_null_test<node_t<L>>();
    return unary_node<op::is_not_null, node_t<L>>{{}, as_node(std::forward<L>(l))};
}

template <class L, class R>
    requires detail::involves_node<L, R> && (!std::is_same_v<std::remove_cvref_t<R>, std::nullopt_t>)
constexpr auto operator==(L&& l, R&& r) {
    return detail::comparison<op::eq_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R> && (!std::is_same_v<std::remove_cvref_t<R>, std::nullopt_t>)
constexpr auto operator!=(L&& l, R&& r) {
    return detail::comparison<op::ne_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator<(L&& l, R&& r) {
    return detail::comparison<op::lt_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator<=(L&& l, R&& r) {
    return detail::comparison<op::le_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator>(L&& l, R&& r) {
    return detail::comparison<op::gt_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator>=(L&& l, R&& r) {
    return detail::comparison<op::ge_spelling>(std::forward<L>(l), std::forward<R>(r));
}

template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator&&(L&& l, R&& r) {
    detail::check_boolean<node_t<L>>();
    detail::check_boolean<node_t<R>>();
    return detail::make_binary<op::predicate<op::and__spelling>>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator||(L&& l, R&& r) {
    detail::check_boolean<node_t<L>>();
    detail::check_boolean<node_t<R>>();
    return detail::make_binary<op::predicate<op::or__spelling>>(std::forward<L>(l), std::forward<R>(r));
}
template <class E>
    requires expression<std::remove_cvref_t<E>>
constexpr auto operator!(E&& e) {
    detail::check_boolean<node_t<E>>();
    return unary_node<op::not_, node_t<E>>{{}, as_node(std::forward<E>(e))};
}

namespace detail {

template <class Spelling, class L, class R>
constexpr auto arithmetic(L&& l, R&& r) {
    check_number<node_t<L>>();
    check_number<node_t<R>>();
    return make_binary<op::arithmetic<Spelling>>(std::forward<L>(l), std::forward<R>(r));
}

} // namespace detail

// `+` adds numbers and concatenates text (`||`).
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator+(L&& l, R&& r) {
    if constexpr (detail::category_of<typename node_t<L>::value_type>() == detail::category::text) {
        static_assert(detail::category_of<typename node_t<R>::value_type>() == detail::category::text,
                      "crucible: incompatible types: these operands cannot be compared or combined "
                      "(e.g. text with a number, bool with a number)");
        return detail::make_binary<op::concat>(std::forward<L>(l), std::forward<R>(r));
    } else {
        return detail::arithmetic<op::plus_spelling>(std::forward<L>(l), std::forward<R>(r));
    }
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator-(L&& l, R&& r) {
    return detail::arithmetic<op::minus_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator*(L&& l, R&& r) {
    return detail::arithmetic<op::times_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator/(L&& l, R&& r) {
    return detail::arithmetic<op::divide_spelling>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
    requires detail::involves_node<L, R>
constexpr auto operator%(L&& l, R&& r) {
    using left = schema::non_null_t<typename node_t<L>::value_type>;
    using right = schema::non_null_t<typename node_t<R>::value_type>;
    static_assert(!std::is_floating_point_v<left> && !std::is_floating_point_v<right>,
                  "crucible: % needs integer operands: PostgreSQL has no % for REAL or DOUBLE PRECISION (SQLite "
                  "truncates them to integers first); cast<std::int64_t>(...) what you mean to truncate");
    return detail::arithmetic<op::modulo_spelling>(std::forward<L>(l), std::forward<R>(r));
}

// `a || b` for text: concat(a, b).
template <class L, class R>
constexpr auto concat(L&& l, R&& r) {
    return std::forward<L>(l) + std::forward<R>(r);
}

namespace detail {

template <class L, class R>
consteval void check_text_operands() {
    static_assert(category_of<typename L::value_type>() == category::text &&
                      category_of<typename R::value_type>() == category::text,
                  "crucible: incompatible types: LIKE and ILIKE need text operands");
}

} // namespace detail

template <class L, class R>
constexpr auto like(L&& l, R&& pattern) {
    detail::check_text_operands<node_t<L>, node_t<R>>();
    return detail::make_binary<op::predicate<op::like_spelling>>(std::forward<L>(l), std::forward<R>(pattern));
}

// `l LIKE pattern ESCAPE '\'`, the same on both databases: in the pattern, `\%`, `\_` and `\\`
// match a literal %, _ and backslash. escape_like(text) makes user input such a pattern's literal
// part: like_escaped(lower(col<&Venue::name>), "%" + escape_like(lower_term) + "%").
template <class L, class R>
constexpr auto like_escaped(L&& l, R&& pattern) {
    detail::check_text_operands<node_t<L>, node_t<R>>();
    return detail::make_binary<op::predicate<op::like_spelling>>(
        std::forward<L>(l), unary_node<op::escaped_pattern, node_t<R>>{{}, as_node(std::forward<R>(pattern))});
}

inline std::string escape_like(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// ILIKE exists on PostgreSQL only; rendering it for SQLite is a compile error.
template <class L, class R>
constexpr auto ilike(L&& l, R&& pattern) {
    detail::check_text_operands<node_t<L>, node_t<R>>();
    return detail::make_binary<op::ilike>(std::forward<L>(l), std::forward<R>(pattern));
}

template <class E>
constexpr auto is_null(E&& e) {
    return unary_node<op::is_null, node_t<E>>{{}, as_node(std::forward<E>(e))};
}
template <class E>
constexpr auto is_not_null(E&& e) {
    return unary_node<op::is_not_null, node_t<E>>{{}, as_node(std::forward<E>(e))};
}

// `(x BETWEEN lo AND hi)`.
template <class E, class Low, class High>
struct between_node : node_tag {
    using value_type =
        detail::nullable_if_any_t<bool, typename E::value_type, typename Low::value_type, typename High::value_type>;
    using sources = detail::sources_of<E, Low, High>;
    using bare_columns = detail::bare_columns_of<E, Low, High>;
    static constexpr bool has_aggregate = E::has_aggregate || Low::has_aggregate || High::has_aggregate;
    static constexpr bool is_static = E::is_static && Low::is_static && High::is_static;

    E operand{};
    Low low{};
    High high{};

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += '(';
        operand.template render<D>(out, ctx);
        out += " BETWEEN ";
        low.template render<D>(out, ctx);
        out += " AND ";
        high.template render<D>(out, ctx);
        out += ')';
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        operand.bind(sink);
        low.bind(sink);
        high.bind(sink);
    }
};

template <class E, class Low, class High>
constexpr auto between(E&& e, Low&& low, High&& high) {
    detail::check_comparable<node_t<E>, node_t<Low>>();
    detail::check_comparable<node_t<E>, node_t<High>>();
    return between_node<node_t<E>, node_t<Low>, node_t<High>>{
        {}, as_node(std::forward<E>(e)), as_node(std::forward<Low>(low)), as_node(std::forward<High>(high))};
}

// `x IN (...)` over a list whose length is known only at run time: this node renders at run time,
// and how depends on the dialect and the length, so that no length reaches a driver's parameter
// limit. PostgreSQL: `(x = ANY($n))` / `(x <> ALL($n))` with the values as one array parameter.
// SQLite: `(x IN (?, ?, ...))` up to dialect::sqlite::in_list_inline_max values, beyond it
// `(x IN (SELECT value FROM json_each(?)))` with the values as one JSON array (blobs cannot be JSON:
// a longer list of them is a programming_error). The values are bound as one value_list, which each
// backend's sink binds to match. An empty list renders `(1 = 0)` (`(1 = 1)` negated) on both.
template <class E, class V>
struct in_list_node : node_tag {
    using value_type = detail::nullable_if_any_t<bool, typename E::value_type>;
    using sources = typename E::sources;
    using bare_columns = typename E::bare_columns;
    static constexpr bool has_aggregate = E::has_aggregate;
    static constexpr bool is_static = false;

    E operand{};
    std::vector<V> values;
    bool negated = false;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        if (values.empty()) {
            out += negated ? "(1 = 1)" : "(1 = 0)";
            return;
        }
        out += '(';
        operand.template render<D>(out, ctx);
        if constexpr (D::has_array_parameters) {
            out += negated ? " <> ALL(" : " = ANY(";
            D::placeholder(out, ++ctx.parameter_count);
            out += "))";
        } else {
            if (values.size() <= D::in_list_inline_max) {
                out += negated ? " NOT IN (" : " IN (";
                for (std::size_t i = 0; i < values.size(); ++i) {
                    if (i > 0) {
                        out += ", ";
                    }
                    D::placeholder(out, ++ctx.parameter_count);
                }
                out += "))";
                return;
            }
            if constexpr (detail::category_of<V>() == detail::category::blob) {
                detail::throw_blob_list_too_long(D::name, values.size(), D::in_list_inline_max);
            }
            out += negated ? " NOT IN (SELECT value FROM json_each(" : " IN (SELECT value FROM json_each(";
            D::placeholder(out, ++ctx.parameter_count);
            out += ")))";
        }
    }
    template <class Sink>
    constexpr void bind(Sink& sink) const {
        // An empty list renders without its operand, so the operand's parameters are not bound.
        if (values.empty()) {
            return;
        }
        operand.bind(sink);
        sink(value_list<V>{&values});
    }
};

template <class E, class Range>
    requires expression<std::remove_cvref_t<E>> && requires(const Range& r) { r.begin(); r.end(); }
constexpr auto in(E&& e, const Range& values) {
    using element = typename detail::parameter_type<std::remove_cvref_t<decltype(*values.begin())>>::type;
    detail::check_comparable<node_t<E>, parameter<element>>();
    return in_list_node<node_t<E>, element>{
        {}, as_node(std::forward<E>(e)), std::vector<element>(values.begin(), values.end()), false};
}

template <class E, class Range>
    requires expression<std::remove_cvref_t<E>> && requires(const Range& r) { r.begin(); r.end(); }
constexpr auto not_in(E&& e, const Range& values) {
    auto node = in(std::forward<E>(e), values);
    node.negated = true;
    return node;
}

template <class E, class V>
constexpr auto in(E&& e, std::initializer_list<V> values) {
    return in(std::forward<E>(e), std::vector<V>(values));
}
template <class E, class V>
constexpr auto not_in(E&& e, std::initializer_list<V> values) {
    return not_in(std::forward<E>(e), std::vector<V>(values));
}

CRUCIBLE_BRACE_ELISION_END

} // namespace crucible::sql
