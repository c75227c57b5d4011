// Tables shared by the schema, DDL and catalogue tests: every value type (AllTypes), and an
// artist with albums that carry every kind of constraint.
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
        crucible::index<&Album::year>,
        crucible::unique_index<&Album::title, &Album::year>,
        crucible::default_value<&Album::plays, 0>,
        crucible::check<"\"plays\" >= 0">,
    };
}

}  // namespace music
