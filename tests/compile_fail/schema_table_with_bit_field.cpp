// expect: a table's struct cannot have a bit-field member
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>

struct Flag {
    std::int64_t id;
    unsigned flags : 3;  // a bit-field: reflection binds each member by reference
};

constexpr auto ddl = crucible::schema::create_table_sql<Flag, crucible::dialect::sqlite>;
