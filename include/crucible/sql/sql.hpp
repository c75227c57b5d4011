// The SQL expression layer: columns, operators, functions, statements, rendering, result rows.
#pragma once

#include "crucible/sql/assignment.hpp"
#include "crucible/sql/clauses.hpp"
#include "crucible/sql/column.hpp"
#include "crucible/sql/compound.hpp"
#include "crucible/sql/dynamic.hpp"
#include "crucible/sql/functions.hpp"
#include "crucible/sql/insert.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/sql/operators.hpp"
#include "crucible/sql/render.hpp"
#include "crucible/sql/result.hpp"
#include "crucible/sql/select.hpp"
#include "crucible/sql/update.hpp"
