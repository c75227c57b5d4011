// expect: SUM and AVG need a number column or expression
// gcc-note: column Album::title (text)
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

const auto query = select(sum(col<&Album::title>)).from<Album>();
