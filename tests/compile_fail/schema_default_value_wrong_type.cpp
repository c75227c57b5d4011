// expect: default_value does not fit the column's type
// An integer default for a text column (default_text is the text form).
#include "crucible/schema/table.hpp"

#include <cstdint>
#include <string>

struct Thing {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::default_value<&Thing::name, 3>};
}

constexpr bool keyed = crucible::schema::table<Thing>::has_primary_key;
