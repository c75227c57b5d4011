// Columns named by member pointer (`col<&Artist::name>`), table aliases, and whole-struct selection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "crucible/reflect/fixed_string.hpp"
#include "crucible/reflect/member_pointer.hpp"
#include "crucible/schema/table.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

// A second name for a table, for self-joins: `using boss = aliased<Employee, "boss">;`.
template <class T, reflect::fixed_string Name>
struct aliased {
    using table_type = T;
    static constexpr std::string_view name = Name.view();
};

namespace detail {

template <class Source>
struct source_traits {
    using table_type = Source;
    static constexpr bool is_alias = false;
};
template <class T, reflect::fixed_string Name>
struct source_traits<aliased<T, Name>> {
    using table_type = T;
    static constexpr bool is_alias = true;
};

template <class Source>
using table_of = typename source_traits<Source>::table_type;

// The name a source is referred to by in the statement: the alias, or the table's name.
template <class Source>
constexpr std::string_view reference_name() {
    if constexpr (source_traits<Source>::is_alias) {
        return Source::name;
    } else {
        return schema::table<Source>::name;
    }
}

// The quoted names are rendered once per table, column and dialect, into static text that every
// statement using them appends whole: a statement's SQL, computed by the compiler, then costs a
// few appends per name rather than the quoting loop again (the compiler evaluates each character).

// `"artist"` or `"employee" AS "boss"`.
template <class Source, class D>
inline constexpr std::string_view source_sql = reflect::static_text<[] {
    sql_string out;
    D::quote_identifier(out, schema::table<table_of<Source>>::name);
    if constexpr (source_traits<Source>::is_alias) {
        out += " AS ";
        D::quote_identifier(out, Source::name);
    }
    return out;
}>;

template <class Source, class D>
constexpr void render_source(sql_string& out) {
    out += source_sql<Source, D>;
}

// Appends `"artist"."name"` (Qualified) or `"name"`, for column i of Source.
template <class Source, class D, bool Qualified>
constexpr void append_column_name(sql_string& out, std::size_t i) {
    if constexpr (Qualified) {
        D::quote_identifier(out, reference_name<Source>());
        out += '.';
    }
    D::quote_identifier(out, schema::table<table_of<Source>>::columns[i].name);
}

// Column I of Source.
template <class Source, std::size_t I, class D, bool Qualified>
inline constexpr std::string_view column_sql = reflect::static_text<[] {
    sql_string out;
    append_column_name<Source, D, Qualified>(out, I);
    return out;
}>;

// Every column of Source, comma-separated.
template <class Source, class D, bool Qualified>
inline constexpr std::string_view all_columns_sql = reflect::static_text<[] {
    sql_string out;
    for (std::size_t i = 0; i < schema::table<table_of<Source>>::column_count; ++i) {
        if (i != 0) {  // not `>`: this lambda is inside a template argument list
            out += ", ";
        }
        append_column_name<Source, D, Qualified>(out, i);
    }
    return out;
}>;

} // namespace detail

// Column I of Source (a table struct or an alias of one).
template <class Source, std::size_t I>
struct column : node_tag {
    using table_type = detail::table_of<Source>;
    using source = Source;
    using value_type = reflect::field_type<table_type, I>;
    using sources = detail::type_list<Source>;
    using bare_columns = detail::type_list<column>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = true;
    static constexpr std::size_t index = I;
    static constexpr std::string_view name = reflect::field_name<table_type, I>;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += ctx.qualify_columns ? detail::column_sql<Source, I, D, true> : detail::column_sql<Source, I, D, false>;
    }
    template <class Sink>
    constexpr void bind(Sink&) const {}

    // `col<&Artist::name> = "Nina"`: an assignment for INSERT ... SET / UPDATE ... SET.
    template <class V>
    constexpr auto operator=(V&& value) const;
};

namespace detail {

template <auto Member, class Source>
struct column_for {
    static_assert(reflect::data_member_pointer<Member>,
                  "crucible: a column must be named by a pointer to a data member, like &Artist::name");
    using type = column<Source, reflect::field_index<table_of<Source>, Member>()>;
};

} // namespace detail

template <auto Member, class Source = reflect::class_of<Member>>
using column_t = typename detail::column_for<Member, Source>::type;

// `col<&Artist::name>`, or `col<&Employee::name, boss>` for a column of an aliased table. (Its
// type is spelled out, not `auto`: GCC 12 treats an `auto` variable template as type-dependent
// inside templates, which would force `.template` on every call that follows it.)
template <auto Member, class Source = reflect::class_of<Member>>
inline constexpr column_t<Member, Source> col{};

// Every column of a table, in field order: selects the whole struct.
template <class Source>
struct all_of_t : node_tag {
    using source = Source;
    using table_type = detail::table_of<Source>;
    using value_type = table_type;
    using sources = detail::type_list<Source>;
    using bare_columns = detail::type_list<all_of_t>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = true;
    static constexpr std::size_t column_count = reflect::field_count<table_type>;

    template <class D>
    constexpr void render(sql_string& out, render_context& ctx) const {
        out += ctx.qualify_columns ? detail::all_columns_sql<Source, D, true>
                                   : detail::all_columns_sql<Source, D, false>;
    }
    template <class Sink>
    constexpr void bind(Sink&) const {}
};

template <class Source>
inline constexpr all_of_t<Source> all_of{};

} // namespace crucible::sql
