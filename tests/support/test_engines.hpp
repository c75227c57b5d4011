// One engine per backend for the typed tests: SQLite in memory, PostgreSQL from the PG* variables
// (pg_virtualenv's) or CRUCIBLE_TEST_POSTGRES_URL.
#pragma once

#include <string>

#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "postgres_env.hpp"

namespace crucible::testing {

// The test server's URL: CRUCIBLE_TEST_POSTGRES_URL, or "postgresql://" (libpq reads PG*).
inline std::string postgres_url() {
    const std::string given = postgres_conninfo();
    return given.empty() ? "postgresql://" : given;
}

template <class Backend>
struct engine_factory;
template <>
struct engine_factory<backend::sqlite_connection> {
    static auto make() { return create_engine<backend::sqlite_connection>("sqlite://"); }
};
template <>
struct engine_factory<backend::postgres_connection> {
    static auto make() { return create_engine<backend::postgres_connection>(postgres_url()); }
};

} // namespace crucible::testing
