// Everything crucible offers, in one include. Backends are separate: include
// crucible/backend/sqlite.hpp or crucible/backend/postgres.hpp (or the engine) for the ones you link.
#pragma once

#include "crucible/dialect/dialect.hpp"
#include "crucible/error.hpp"
#include "crucible/reflect/reflect.hpp"
#include "crucible/schema/schema.hpp"
#include "crucible/sql/sql.hpp"

namespace crucible {
using namespace crucible::sql;  // col, select, insert, update, delete_from, ... at crucible::
}
