// expect: SELECT ... FOR UPDATE is not supported by SQLite
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <string>

using namespace crucible::sql;
using crucible::dialect::sqlite;

struct Artist {
    std::int64_t id;
    std::string name;
};
struct Album {
    std::int64_t id;
    std::int64_t artist_id;
};

// The rule holds inside a subquery as at the top.
const auto query = select(col<&Artist::name>)
                       .from<Artist>()
                       .where(in(col<&Artist::id>, select(col<&Album::artist_id>).from<Album>().for_update()));
constexpr auto text = sql_text<decltype(query), sqlite>;
