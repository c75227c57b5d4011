// expect: default_value does not fit the column's type
#include "crucible/schema/table.hpp"

#include <cstdint>

struct Thing {
    std::int64_t id;
    std::uint8_t small;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::default_value<&Thing::small, 300>};
}

constexpr bool keyed = crucible::schema::table<Thing>::has_primary_key;
