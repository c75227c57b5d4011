// expect: a version column must be a non-nullable integer
#include "crucible/schema/table.hpp"

#include <cstdint>
#include <string>

struct Thing {
    std::int64_t id;
    std::string version;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::version<&Thing::version>};
}

constexpr auto column = crucible::schema::table<Thing>::version_column;
