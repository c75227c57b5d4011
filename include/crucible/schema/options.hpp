// The table customisation point: what a user declares next to a struct beyond its fields.
#pragma once

#include <string_view>
#include <tuple>

#include "crucible/reflect/fixed_string.hpp"

namespace crucible {

// Declare, next to the struct and in its namespace,
//
//     constexpr auto crucible_table(crucible::table_tag<Album>) {
//         return crucible::table_options{
//             crucible::table_name("albums"),
//             crucible::foreign_key<&Album::artist_id, &Artist::id>.on_delete(crucible::fk_action::cascade),
//             crucible::unique<&Album::artist_id, &Album::title>,
//         };
//     }
//
// or inside the struct, where it cannot be misplaced (a free function in another namespace than
// the struct's is not found, and the table silently keeps the defaults):
//
//     struct Album {
//         std::int64_t id;
//         std::string title;
//         static constexpr auto crucible_table() {
//             return crucible::table_options{crucible::table_name("albums"), crucible::unique<&Album::title>};
//         }
//     };
//
// Everything is optional; a struct without it gets the defaults (snake_case name, `id` key).
template <class T>
struct table_tag {};

template <class... Options>
struct table_options {
    std::tuple<Options...> options;
    constexpr table_options(Options... given) : options(given...) {}
};
template <class... Options>
table_options(Options...) -> table_options<Options...>;

// The table's name, when the snake_case of the type name is not it.
struct table_name {
    std::string_view value;
    constexpr explicit table_name(std::string_view name) : value(name) {}
};

// The primary key (one column or several). Replaces the `id` default.
template <auto... Columns>
struct primary_key_t {};
template <auto... Columns>
inline constexpr primary_key_t<Columns...> primary_key{};

// An integer primary key the database assigns.
template <auto Column>
struct autoincrement_t {};
template <auto Column>
inline constexpr autoincrement_t<Column> autoincrement{};

// A UNIQUE constraint over one column or several.
template <auto... Columns>
struct unique_t {};
template <auto... Columns>
inline constexpr unique_t<Columns...> unique{};

// CREATE INDEX / CREATE UNIQUE INDEX over one column or several. (Named index_on, not index: with
// `using namespace crucible;`, `index` would collide with POSIX's index() from <strings.h>.)
template <bool Unique, auto... Columns>
struct index_t {};
template <auto... Columns>
inline constexpr index_t<false, Columns...> index_on{};
template <auto... Columns>
inline constexpr index_t<true, Columns...> unique_index{};

enum class fk_action { no_action, restrict, cascade, set_null, set_default };

// FOREIGN KEY (From) REFERENCES table-of-To (To), with ON DELETE / ON UPDATE actions.
template <auto From, auto To>
struct foreign_key_t {
    fk_action delete_action = fk_action::no_action;
    fk_action update_action = fk_action::no_action;

    constexpr foreign_key_t on_delete(fk_action action) const {
        auto copy = *this;
        copy.delete_action = action;
        return copy;
    }
    constexpr foreign_key_t on_update(fk_action action) const {
        auto copy = *this;
        copy.update_action = action;
        return copy;
    }
};
template <auto From, auto To>
inline constexpr foreign_key_t<From, To> foreign_key{};

// An integer version counter for optimistic locking: the ORM session checks it in the WHERE of
// every UPDATE and DELETE of a row and bumps it on UPDATE (`version<&Venue::version>`).
template <auto Column>
struct version_t {};
template <auto Column>
inline constexpr version_t<Column> version{};

// DEFAULT for an integer, bool or enum column: `default_value<&Track::plays, 0>`.
template <auto Column, auto Value>
struct default_value_t {};
template <auto Column, auto Value>
inline constexpr default_value_t<Column, Value> default_value{};

// DEFAULT for a text column, written as a quoted literal: `default_text<&Artist::city, "unknown">`.
template <auto Column, reflect::fixed_string Text>
struct default_text_t {};
template <auto Column, reflect::fixed_string Text>
inline constexpr default_text_t<Column, Text> default_text{};

// DEFAULT given as an SQL expression written by the programmer: `default_sql<&T::at, "CURRENT_TIMESTAMP">`.
template <auto Column, reflect::fixed_string Sql>
struct default_sql_t {};
template <auto Column, reflect::fixed_string Sql>
inline constexpr default_sql_t<Column, Sql> default_sql{};

// A CHECK constraint, as an SQL expression over the table's quoted column names.
template <reflect::fixed_string Sql>
struct check_t {};
template <reflect::fixed_string Sql>
inline constexpr check_t<Sql> check{};

} // namespace crucible
