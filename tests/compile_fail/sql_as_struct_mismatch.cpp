// expect: the struct's field types do not match the selected columns
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

struct Row {
    std::int64_t id;
    std::int32_t name;  // the column is text
};
const auto query = select(col<&Artist::id>, col<&Artist::name>).from<Artist>().as<Row>();
