// expect: GROUP BY needs a column or an expression, not a plain value
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <string>

using namespace crucible::sql;

struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
    std::int32_t year;
};

// A column's name as text is a value: it would be bound as a parameter.
const auto query = select(col<&Album::year>, count()).from<Album>().group_by("year");
