// expect: a foreign key with ON DELETE/UPDATE SET NULL needs a nullable (std::optional) column
// Both databases accept the table and fail only when a parent row is deleted.
#include "crucible/schema/table.hpp"

#include <cstdint>

struct Parent {
    std::int64_t id;
};
struct Child {
    std::int64_t id;
    std::int64_t parent_id;
};
constexpr auto crucible_table(crucible::table_tag<Child>) {
    return crucible::table_options{
        crucible::foreign_key<&Child::parent_id, &Parent::id>.on_delete(crucible::fk_action::set_null)};
}

constexpr auto keys = crucible::schema::table<Child>::description.foreign_key_count;
