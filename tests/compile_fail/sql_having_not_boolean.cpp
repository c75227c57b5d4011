// expect: HAVING needs a boolean condition
// gcc-note: an expression of number type
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

const auto query = select(col<&Album::artist_id>, count()).from<Album>().group_by(col<&Album::artist_id>).having(count());
