// expect: WHERE needs a boolean condition
// gcc-note: column Artist::name (text)
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <string>

using namespace crucible::sql;

struct Artist {
    std::int64_t id;
    std::string name;
};
struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
};

const auto query = select(col<&Artist::id>).from<Artist>().where(col<&Artist::name>);  // meant: == "Nina"
