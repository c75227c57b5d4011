// SOCI's postgresql backend as a PostgreSQL benchmark peer.
#include <soci/postgresql/soci-postgresql.h>

#include "harness.hpp"
#include "postgres_backend.hpp"
#include "soci_peer.hpp"

namespace bench {
namespace {

struct soci_postgres {
    static const soci::backend_factory& factory() { return soci::postgresql; }
    // SOCI hands the string to PQconnectdb.
    static std::string connect_string(const std::string& conninfo) { return conninfo; }
};

}  // namespace

void register_postgres_soci_peer() { register_peer<postgres_backend, soci_peer<soci_postgres>>("soci"); }

}  // namespace bench
