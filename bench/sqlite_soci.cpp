// SOCI's sqlite3 backend as an SQLite benchmark peer (its own translation unit: SOCI's header
// wraps <sqlite3.h> in a namespace, which clashes with the raw peer's use of the C API).
#include <soci/sqlite3/soci-sqlite3.h>

#include "harness.hpp"
#include "soci_peer.hpp"
#include "sqlite_backend.hpp"

namespace bench {
namespace {

struct soci_sqlite {
    static const soci::backend_factory& factory() { return soci::sqlite3; }
    static std::string connect_string(const std::string& path) { return "db=" + path; }
};

}  // namespace

void register_sqlite_soci_peer() { register_peer<sqlite_backend, soci_peer<soci_sqlite>>("soci"); }

}  // namespace bench
