// The part of crucible_sqlite_compiled_dep and crucible_postgres_compiled_dep that both share.
#include "crucible/src/common.hpp"
