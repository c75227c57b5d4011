// expect: JOIN ... ON needs a boolean condition
// gcc-note: column Artist::id (number)
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

const auto query = select(col<&Album::title>).from<Album>().join<Artist>(col<&Artist::id>);
