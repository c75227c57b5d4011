// Everything for a program on PostgreSQL, in one include: the schema and SQL layers, the engine
// and pool for PostgreSQL (link libpqxx and libpq: pkg-config crucible-postgres, CMake
// crucible::postgres, meson dependency('crucible-postgres')), and the ORM session.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/replicas.hpp"
#include "crucible/orm/orm.hpp"
