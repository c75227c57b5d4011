// The reflection layer: everything crucible knows about a struct without any SQL.
#pragma once

#include "crucible/reflect/fields.hpp"
#include "crucible/reflect/fixed_string.hpp"
#include "crucible/reflect/member_pointer.hpp"
#include "crucible/reflect/type_name.hpp"
