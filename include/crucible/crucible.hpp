// crucible's schema and SQL layers, in one include, with no database driver. For a program that
// talks to a database include crucible/sqlite.hpp or crucible/postgres.hpp (or both) instead:
// they add the engine for that backend (whose driver the program links) and the ORM.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include "crucible/detail/backend_check.hpp"
#include "crucible/dialect/dialect.hpp"
#include "crucible/error.hpp"
#include "crucible/reflect/reflect.hpp"
#include "crucible/schema/schema.hpp"
#include "crucible/sql/sql.hpp"
#include "crucible/version.hpp"

namespace crucible {
// The SQL layer's vocabulary, usable as crucible::select, crucible::col, ...
using sql::col;
using sql::column_t;
using sql::aliased;
using sql::all_of;
using sql::select;
using sql::table;
using sql::insert;
using sql::insert_many;
using sql::insert_many_view;
using sql::insert_view;
using sql::insert_into;
using sql::update;
using sql::delete_from;
using sql::count;
using sql::count_distinct;
using sql::sum;
using sql::avg;
using sql::min;
using sql::max;
using sql::coalesce;
using sql::case_when;
using sql::lower;
using sql::upper;
using sql::length;
using sql::cast;
using sql::like;
using sql::ilike;
using sql::like_escaped;
using sql::escape_like;
using sql::in;
using sql::not_in;
using sql::between;
using sql::is_null;
using sql::is_not_null;
using sql::exists;
using sql::subquery;
using sql::as;
using sql::asc;
using sql::desc;
using sql::excluded;
using sql::union_;
using sql::union_all;
using sql::with;
using sql::with_recursive;
using sql::cte;
using sql::dynamic_filter;
using sql::dynamic_filter_for;
using sql::to_sql;
using sql::sql_text;
using sql::parameter_count;
using sql::concat;
} // namespace crucible
