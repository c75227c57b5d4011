// crucible on SQLite as a benchmark peer (its own translation unit, so crucible's headers stay out
// of the other peers').
#include <string>

#include "crucible/engine/sqlite.hpp"
#include "crucible_peer.hpp"
#include "harness.hpp"
#include "sqlite_backend.hpp"

namespace bench {
namespace {

struct crucible_sqlite {
    // The harness names an SQLite URI filename ("file:/crucible-bench-N?vfs=memdb"), which a
    // database URL carries whole: sqlite:///file:...?vfs=memdb.
    static crucible::sqlite_engine engine(const std::string& connection) {
        return crucible::create_engine<crucible::backend::sqlite_connection>("sqlite:///" + connection + "&pool_size=1");
    }
};

}  // namespace

void register_sqlite_crucible_peer() {
    register_peer<sqlite_backend, orm::crucible_peer<crucible_sqlite>>("crucible");
}

}  // namespace bench
