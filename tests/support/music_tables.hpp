// Tables shared by the schema, DDL and catalogue tests: every value type (AllTypes), an artist
// with albums that carry every kind of constraint, and tables for keys and foreign keys.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crucible/schema/schema.hpp"

namespace music {

enum class Tiny : std::int8_t { a, b };
enum class Mid : std::int32_t { a, b };
enum class Big : std::int64_t { a, b };

using micros = std::chrono::sys_time<std::chrono::microseconds>;
using seconds = std::chrono::sys_time<std::chrono::seconds>;

// Every supported value type, then std::optional of each.
struct AllTypes {
    bool b;
    std::int8_t i8;
    std::int16_t i16;
    std::int32_t i32;
    std::int64_t i64;
    std::uint8_t u8;
    std::uint16_t u16;
    std::uint32_t u32;
    std::uint64_t u64;
    float f;
    double d;
    std::string s;
    std::vector<std::byte> bytes;
    std::vector<unsigned char> uchars;
    micros at_us;
    seconds at_s;
    Tiny e8;
    Mid e32;
    Big e64;
    std::optional<bool> ob;
    std::optional<std::int8_t> oi8;
    std::optional<std::int16_t> oi16;
    std::optional<std::int32_t> oi32;
    std::optional<std::int64_t> oi64;
    std::optional<std::uint8_t> ou8;
    std::optional<std::uint16_t> ou16;
    std::optional<std::uint32_t> ou32;
    std::optional<std::uint64_t> ou64;
    std::optional<float> of;
    std::optional<double> od;
    std::optional<std::string> os;
    std::optional<std::vector<std::byte>> obytes;
    std::optional<std::vector<unsigned char>> ouchars;
    std::optional<micros> oat_us;
    std::optional<seconds> oat_s;
    std::optional<Tiny> oe8;
    std::optional<Mid> oe32;
    std::optional<Big> oe64;
};

struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};

struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
    std::optional<std::int32_t> year;
    std::int32_t plays;
};
constexpr auto crucible_table(crucible::table_tag<Album>) {
    return crucible::table_options{
        crucible::table_name("albums"),
        crucible::foreign_key<&Album::artist_id, &Artist::id>.on_delete(crucible::fk_action::cascade),
        crucible::unique<&Album::artist_id, &Album::title>,
        crucible::index_on<&Album::year>,
        crucible::unique_index<&Album::title, &Album::year>,
        crucible::default_value<&Album::plays, 0>,
        crucible::check<"\"plays\" >= 0">,
    };
}

// No `id`: no primary key.
struct LogLine {
    std::string text;
    std::int32_t level;
};

// A text `id` is the key, but not assigned by the database.
struct Country {
    std::string id;
    std::string name;
};

// Composite key: a declared key replaces the `id` default.
struct Membership {
    std::int64_t id;
    std::int64_t group_id;
    std::int64_t user_id;
};
constexpr auto crucible_table(crucible::table_tag<Membership>) {
    return crucible::table_options{crucible::primary_key<&Membership::group_id, &Membership::user_id>};
}

struct Node {
    std::int64_t id;
    std::optional<std::int64_t> parent_id;
};
constexpr auto crucible_table(crucible::table_tag<Node>) {
    return crucible::table_options{
        crucible::foreign_key<&Node::parent_id, &Node::id>.on_delete(crucible::fk_action::set_null).on_update(crucible::fk_action::restrict)};
}

// A foreign key may reference a unique column, or one with a unique index.
struct Account {
    std::int64_t id;
    std::string email;
    std::string handle;
};
constexpr auto crucible_table(crucible::table_tag<Account>) {
    return crucible::table_options{crucible::unique<&Account::email>, crucible::unique_index<&Account::handle>};
}

}  // namespace music
