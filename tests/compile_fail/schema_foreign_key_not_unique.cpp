// expect: a foreign key must reference a primary key or unique column
// Parent::code is neither the key nor unique: PostgreSQL would refuse the table, SQLite every write.
#include "crucible/schema/table.hpp"

#include <cstdint>
#include <string>

struct Parent {
    std::int64_t id;
    std::string code;
};
struct Child {
    std::int64_t id;
    std::string parent_code;
};
constexpr auto crucible_table(crucible::table_tag<Child>) {
    return crucible::table_options{crucible::foreign_key<&Child::parent_code, &Parent::code>};
}

constexpr auto keys = crucible::schema::table<Child>::description.foreign_key_count;
