// expect: a foreign key must join columns of the same type
#include "crucible/schema/table.hpp"

#include <cstdint>

struct Parent {
    std::int64_t id;
};
struct Child {
    std::int64_t id;
    std::int32_t parent_id;
};
constexpr auto crucible_table(crucible::table_tag<Child>) {
    return crucible::table_options{crucible::foreign_key<&Child::parent_id, &Parent::id>};
}

constexpr auto keys = crucible::schema::table<Child>::description.foreign_key_count;
