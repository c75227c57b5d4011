// expect: a select inside UNION cannot have ORDER BY, LIMIT, OFFSET or FOR UPDATE
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
// Both databases read LIMIT before UNION as a syntax error.
const auto query = union_(select(col<&Artist::name>).from<Artist>().limit(3), select(col<&Album::title>).from<Album>());
