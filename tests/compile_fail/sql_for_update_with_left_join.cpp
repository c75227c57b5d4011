// expect: FOR UPDATE cannot be used with DISTINCT, GROUP BY, aggregates or LEFT JOIN
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
// PostgreSQL cannot lock the missing side of an outer join.
const auto query = select(col<&Artist::name>, col<&Album::title>)
                       .from<Artist>()
                       .left_join<Album>(col<&Album::artist_id> == col<&Artist::id>)
                       .for_update();
constexpr auto text = sql_text<decltype(query), postgres>;
