// expect: comparing a non-nullable column with NULL is never true
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

const auto condition = col<&Artist::name> == std::nullopt;
