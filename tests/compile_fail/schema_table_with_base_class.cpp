// expect: a table's struct cannot have a base class
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>
#include <string>

struct Named {
    std::string name;
};
struct Artist : Named {  // reflection sees no inherited members
    std::int64_t id;
};

constexpr auto ddl = crucible::schema::create_table_sql<Artist, crucible::dialect::sqlite>;
