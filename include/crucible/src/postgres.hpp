// crucible's PostgreSQL code, compiled once: include this header in exactly one .cpp of a program built
// with CRUCIBLE_SEPARATE_COMPILATION (and crucible/src/sqlite.hpp in the same or another .cpp when
// the program uses both backends). See "Separate compilation" in the README.
#pragma once

#include "crucible/src/common.hpp"

#include "crucible/engine/impl/postgres.ipp"
