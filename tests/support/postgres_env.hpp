// Where the PostgreSQL tests find their server, and what they do when there is none.
#pragma once

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace crucible::testing {

// A server is configured when pg_virtualenv (or the user) set PGHOST or PGDATABASE, or when
// CRUCIBLE_TEST_POSTGRES_URL names one.
inline bool postgres_configured() {
    return std::getenv("CRUCIBLE_TEST_POSTGRES_URL") != nullptr || std::getenv("PGHOST") != nullptr ||
           std::getenv("PGDATABASE") != nullptr;
}

// libpq connection string for the test server ("" lets libpq read the PG* variables).
inline std::string postgres_conninfo() {
    const char* url = std::getenv("CRUCIBLE_TEST_POSTGRES_URL");
    return url ? url : "";
}

// Under CI (CI=true) or CRUCIBLE_REQUIRE_POSTGRES=1 a missing server is a failure, never a skip.
inline bool postgres_required() {
    const char* ci = std::getenv("CI");
    const char* required = std::getenv("CRUCIBLE_REQUIRE_POSTGRES");
    return (ci && std::string(ci) == "true") || (required && std::string(required) == "1");
}

} // namespace crucible::testing

// First statement of every PostgreSQL test.
#define CRUCIBLE_NEED_POSTGRES()                                                                      \
    do {                                                                                              \
        if (!::crucible::testing::postgres_configured()) {                                            \
            if (::crucible::testing::postgres_required()) {                                           \
                FAIL() << "no PostgreSQL server configured (run the suite under pg_virtualenv)";      \
            }                                                                                         \
            GTEST_SKIP() << "no PostgreSQL server configured; run under pg_virtualenv";               \
        }                                                                                             \
    } while (false)
