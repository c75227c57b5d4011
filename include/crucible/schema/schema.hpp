// The schema layer: tables from structs, and their DDL.
#pragma once

#include "crucible/schema/ddl.hpp"
#include "crucible/schema/options.hpp"
#include "crucible/schema/table.hpp"
#include "crucible/schema/value_type.hpp"
