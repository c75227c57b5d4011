// expect: a table declares its primary key once
#include "crucible/schema/table.hpp"

#include <cstdint>

struct Thing {
    std::int64_t a;
    std::int64_t b;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::primary_key<&Thing::a>, crucible::autoincrement<&Thing::b>};
}

constexpr bool keyed = crucible::schema::table<Thing>::has_primary_key;
