// expect: autoincrement needs an integer column
#include "crucible/schema/table.hpp"

#include <string>

struct Thing {
    std::string code;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::autoincrement<&Thing::code>};
}

constexpr bool keyed = crucible::schema::table<Thing>::has_primary_key;
