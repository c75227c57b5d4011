// expect: the value assigned does not fit the column's type
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

// A nullable value into a NOT NULL column does not fit either.
const auto statement = insert_into<Album>.values(col<&Album::artist_id> = 1, col<&Album::title> = std::optional<std::string>{}, col<&Album::year> = 2000);
