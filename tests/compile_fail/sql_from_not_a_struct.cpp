// expect: a table is a struct (from<T>(), select<T>(), insert(T{...})); this type is not a class
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

using namespace crucible::sql;

const auto query = select(count()).from<int>();
