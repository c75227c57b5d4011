// expect: a table needs at least one column
#include "crucible/dialect/sqlite.hpp"
#include "crucible/schema/ddl.hpp"

struct Nothing {};

constexpr auto sql = crucible::schema::create_table_sql<Nothing, crucible::dialect::sqlite>;
