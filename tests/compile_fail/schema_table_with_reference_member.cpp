// expect: a table's struct must be constructible as T{}: a reference member
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>
#include <string>

struct Artist {
    std::int64_t id;
    const std::string& name;  // a row cannot be read into a reference
};

constexpr auto ddl = crucible::schema::create_table_sql<Artist, crucible::dialect::sqlite>;
