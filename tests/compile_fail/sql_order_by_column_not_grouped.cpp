// expect: a column in HAVING or ORDER BY of a grouped select is neither in GROUP BY nor inside an aggregate
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <optional>
#include <string>

using namespace crucible::sql;
using crucible::dialect::postgres;
using crucible::dialect::sqlite;

struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};
struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
    std::int32_t year;
};
// PostgreSQL refuses to order groups by a column that differs within a group.
const auto query = select(col<&Album::artist_id>, count()).from<Album>().group_by(col<&Album::artist_id>).order_by(col<&Album::year>);
constexpr auto text = sql_text<decltype(query), sqlite>;
