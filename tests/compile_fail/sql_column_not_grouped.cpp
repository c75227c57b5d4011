// expect: a column is selected next to an aggregate but is not in GROUP BY
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

const auto query = select(col<&Album::artist_id>, col<&Album::title>, count()).from<Album>().group_by(col<&Album::artist_id>);
constexpr auto text = sql_text<decltype(query), postgres>;
