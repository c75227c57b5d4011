// expect: this field's type cannot be stored in a column
#include "crucible/schema/table.hpp"

#include <cstdint>
#include <map>
#include <string>

struct Thing {
    std::int64_t id;
    std::map<std::string, int> tags;
};

constexpr auto columns = crucible::schema::table<Thing>::column_count;
constexpr bool keyed = crucible::schema::table<Thing>::has_primary_key;
