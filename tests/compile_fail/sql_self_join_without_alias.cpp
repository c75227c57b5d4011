// expect: this table is already in FROM or JOIN: a table joined to itself needs an alias
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <optional>
#include <string>

using namespace crucible::sql;

struct Employee {
    std::int64_t id;
    std::optional<std::int64_t> boss_id;
    std::string name;
};

// Both "employee"s are one table to SQL: the ON compares a row with itself.
const auto query = select(col<&Employee::name>).from<Employee>().join<Employee>(col<&Employee::boss_id> == col<&Employee::id>);
