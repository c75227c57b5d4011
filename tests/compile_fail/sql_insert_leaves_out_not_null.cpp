// expect: INSERT leaves out a NOT NULL column that has no default
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

// Album::year is NOT NULL and has no default.
const auto statement = insert_into<Album>.values(col<&Album::artist_id> = 1, col<&Album::title> = "Blue");
