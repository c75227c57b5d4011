// DDL for a table, rendered through a dialect at compile time: CREATE/DROP TABLE, CREATE INDEX.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "crucible/reflect/fixed_string.hpp"
#include "crucible/schema/table.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::schema {

namespace detail {

constexpr std::string_view action_sql(fk_action action) {
    switch (action) {
        case fk_action::restrict:
            return "RESTRICT";
        case fk_action::cascade:
            return "CASCADE";
        case fk_action::set_null:
            return "SET NULL";
        case fk_action::set_default:
            return "SET DEFAULT";
        case fk_action::no_action:
            break;
    }
    return "NO ACTION";
}

template <class T, class Dialect>
constexpr void append_column_list(sql_string& out, const column_list& list) {
    out += '(';
    for (std::size_t i = 0; i < list.size; ++i) {
        if (i > 0) {
            out += ", ";
        }
        Dialect::quote_identifier(out, table<T>::columns[list.at[i]].name);
    }
    out += ')';
}

template <class T, class Dialect>
constexpr sql_string create_table(bool if_not_exists) {
    using info = table<T>;
    const auto& d = info::description;
    sql_string out = if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
    Dialect::quote_identifier(out, info::name);
    out += " (";
    const bool composite_key = d.primary_key.size > 1;
    for (std::size_t i = 0; i < info::column_count; ++i) {
        const column_info& column = d.columns[i];
        if (i > 0) {
            out += ", ";
        }
        Dialect::quote_identifier(out, column.name);
        if (column.autoincrement) {
            out += ' ';
            Dialect::autoincrement_column(out, column.kind);
            continue;
        }
        if (const std::string_view type = Dialect::column_type(column.kind); !type.empty()) {
            out += ' ';
            out += type;
        }
        if (!column.nullable) {
            out += " NOT NULL";
        }
        if (column.primary_key && !composite_key) {
            out += " PRIMARY KEY";
        }
        if (column.unique) {
            out += " UNIQUE";
        }
        if (!column.default_sql.empty()) {
            out += " DEFAULT ";
            out += column.default_sql;
        }
    }
    if (composite_key) {
        out += ", PRIMARY KEY ";
        append_column_list<T, Dialect>(out, d.primary_key);
    }
    for (std::size_t u = 0; u < d.unique_count; ++u) {
        out += ", UNIQUE ";
        append_column_list<T, Dialect>(out, d.uniques[u]);
    }
    for (std::size_t f = 0; f < d.foreign_key_count; ++f) {
        const foreign_key_info& key = d.foreign_keys[f];
        out += ", FOREIGN KEY (";
        Dialect::quote_identifier(out, d.columns[key.column].name);
        out += ") REFERENCES ";
        Dialect::quote_identifier(out, key.table);
        out += " (";
        Dialect::quote_identifier(out, key.referenced_column);
        out += ')';
        if (key.on_delete != fk_action::no_action) {
            out += " ON DELETE ";
            out += action_sql(key.on_delete);
        }
        if (key.on_update != fk_action::no_action) {
            out += " ON UPDATE ";
            out += action_sql(key.on_update);
        }
    }
    for (std::size_t c = 0; c < d.check_count; ++c) {
        out += ", CHECK (";
        out += d.checks[c];
        out += ')';
    }
    out += ')';
    return out;
}

template <class T>
constexpr sql_string index_name(const index_info& index) {
    sql_string name = index.unique ? "ux_" : "ix_";
    name += table<T>::name;
    for (std::size_t i = 0; i < index.columns.size; ++i) {
        name += '_';
        name += table<T>::columns[index.columns.at[i]].name;
    }
    return name;
}

template <class T, class Dialect>
constexpr sql_string create_index(std::size_t which, bool if_not_exists) {
    const index_info& index = table<T>::description.indexes[which];
    sql_string out = index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    if (if_not_exists) {
        out += "IF NOT EXISTS ";
    }
    Dialect::quote_identifier(out, index_name<T>(index));
    out += " ON ";
    Dialect::quote_identifier(out, table<T>::name);
    out += ' ';
    append_column_list<T, Dialect>(out, index.columns);
    return out;
}

template <class T, class Dialect>
constexpr sql_string drop_table(bool if_exists) {
    sql_string out = if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ";
    Dialect::quote_identifier(out, table<T>::name);
    return out;
}

} // namespace detail

// `CREATE TABLE [IF NOT EXISTS] ...` for T in Dialect, as a compile-time constant.
template <class T, class Dialect, bool IfNotExists = false>
inline constexpr std::string_view create_table_sql =
    reflect::static_text<[] { return detail::create_table<T, Dialect>(IfNotExists); }>;

// `DROP TABLE [IF EXISTS] ...`.
template <class T, class Dialect, bool IfExists = false>
inline constexpr std::string_view drop_table_sql =
    reflect::static_text<[] { return detail::drop_table<T, Dialect>(IfExists); }>;

// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] ...` for the I-th declared index of T.
template <class T, class Dialect, std::size_t I, bool IfNotExists = false>
inline constexpr std::string_view create_index_sql =
    reflect::static_text<[] { return detail::create_index<T, Dialect>(I, IfNotExists); }>;

// Every statement that creates T: the table, then its indexes.
template <class T, class Dialect, bool IfNotExists = false>
inline constexpr auto create_statements = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::string_view, 1 + sizeof...(I)>{create_table_sql<T, Dialect, IfNotExists>,
                                                          create_index_sql<T, Dialect, I, IfNotExists>...};
}(std::make_index_sequence<table<T>::description.index_count>{});

} // namespace crucible::schema
