// Everything for a program on SQLite, in one include: the schema and SQL layers, the engine and
// pool for SQLite (link SQLiteCpp and sqlite3: pkg-config crucible-sqlite, CMake crucible::sqlite,
// meson dependency('crucible-sqlite')), and the ORM session.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/orm.hpp"
