// expect: a column is selected next to an aggregate but is not in GROUP BY
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>

using namespace crucible::sql;
using crucible::dialect::postgres;

struct Album {
    std::int64_t id;
    std::int32_t year;
};

// Grouped by decade, a year is not one value per group (PostgreSQL refuses it; SQLite picks one).
const auto query = select(col<&Album::year>, count()).from<Album>().group_by(col<&Album::year> / 10);
constexpr auto text = sql_text<decltype(query), postgres>;
