// The PostgreSQL half of crucible_postgres_compiled_dep (meson.build): crucible/src/postgres.hpp without the part both
// backends share, which src/common.cpp compiles once for both.
#include "crucible/engine/impl/postgres.ipp"
