// The SQLite half of crucible_sqlite_compiled_dep (meson.build): crucible/src/sqlite.hpp without the part both
// backends share, which src/common.cpp compiles once for both.
#include "crucible/engine/impl/sqlite.ipp"
