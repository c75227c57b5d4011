// The compiled code both backends share (URL parsing, data errors, interned SQL, SQL rendering errors), for
// CRUCIBLE_SEPARATE_COMPILATION: included by crucible/src/sqlite.hpp and crucible/src/postgres.hpp.
#pragma once

#include "crucible/detail/config.hpp"

#if CRUCIBLE_HEADER_ONLY
#error "crucible/src/*.hpp compile crucible once for a CRUCIBLE_SEPARATE_COMPILATION build: define CRUCIBLE_SEPARATE_COMPILATION for the whole program, or do not include this header"
#endif

#include "crucible/backend/static_sql.hpp"
#include "crucible/backend/value_traits.hpp"
#include "crucible/engine/url.hpp"
#include "crucible/sql/errors.hpp"

#include "crucible/backend/impl/static_sql.ipp"
#include "crucible/backend/impl/value_traits.ipp"
#include "crucible/engine/impl/url.ipp"
#include "crucible/sql/impl/errors.ipp"
