// The SQLite dialect: `?` placeholders, SQLite type names, rowid keys, its capabilities.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "crucible/dialect/column_kind.hpp"
#include "crucible/dialect/quote.hpp"

namespace crucible::dialect {

struct sqlite {
    static constexpr std::string_view name = "SQLite";

    // Capabilities (SQLite 3.40, Debian 12). A construct that needs one the dialect lacks fails to
    // compile with a message naming the backend.
    static constexpr bool has_ilike = false;
    static constexpr bool has_returning = true;
    static constexpr bool has_upsert = true;
    static constexpr bool has_full_outer_join = true;
    static constexpr bool has_copy = false;
    static constexpr bool has_for_update = false;
    // OFFSET is only allowed after a LIMIT ("LIMIT -1" is none).
    static constexpr bool offset_needs_limit = true;
    // SQLITE_MAX_VARIABLE_NUMBER since 3.32.
    static constexpr std::size_t max_parameters = 32766;
    // No array parameters: an IN list of up to in_list_inline_max values is `IN (?, ?, ...)`; a
    // longer one is `IN (SELECT value FROM json_each(?))` with the values as one JSON array (SQLite
    // 3.40 has JSON built in), so no list length reaches max_parameters. The threshold is a choice,
    // not a measurement: well under the limit, and short lists keep their plain form.
    static constexpr bool has_array_parameters = false;
    static constexpr std::size_t in_list_inline_max = 1000;

    // `index` counts from 1 in the statement; SQLite numbers `?` by position.
    static constexpr void placeholder(auto& out, std::size_t /*index*/) { out += '?'; }
    // A placeholder that names its number (`?3`), for a value used at several places of a text.
    static constexpr void numbered_placeholder(auto& out, std::size_t index) {
        out += '?';
        detail::append_unsigned(out, index);
    }

    static constexpr void quote_identifier(auto& out, std::string_view identifier) {
        detail::append_quoted(out, identifier, '"');
    }

    static constexpr std::string_view type_name(column_kind kind) {
        switch (kind) {
            case column_kind::boolean:
                return "BOOLEAN";
            case column_kind::real32:
            case column_kind::real64:
                return "REAL";
            case column_kind::text:
                return "TEXT";
            case column_kind::blob:
                return "BLOB";
            case column_kind::timestamp:
                return "TIMESTAMP";
            default:
                return "INTEGER";
        }
    }

    // The type a column is declared with. Floating-point columns get none: a REAL column has REAL
    // affinity, and SQLite stores an integral REAL value as an integer, so -0.0 would read back as
    // 0.0. A column with no declared type (BLOB affinity) keeps every double bit for bit; crucible
    // always binds them as REAL, so the stored values are REAL either way. CAST still says REAL.
    static constexpr std::string_view column_type(column_kind kind) {
        if (kind == column_kind::real32 || kind == column_kind::real64) {
            return "";
        }
        return type_name(kind);
    }

    // An INTEGER PRIMARY KEY is SQLite's rowid: the database assigns it when left out.
    static constexpr void autoincrement_column(auto& out, column_kind /*kind*/) {
        out += "INTEGER PRIMARY KEY";
    }
};

} // namespace crucible::dialect
