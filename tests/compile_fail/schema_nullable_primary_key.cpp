// expect: a primary key column cannot be std::optional
#include "crucible/schema/table.hpp"

#include <cstdint>
#include <optional>

struct Thing {
    std::optional<std::int64_t> maybe;
    std::int32_t value;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::primary_key<&Thing::maybe>};
}

constexpr bool keyed = crucible::schema::table<Thing>::has_primary_key;
