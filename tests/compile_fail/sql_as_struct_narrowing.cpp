// expect: the struct's field types do not match the selected columns
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <optional>
#include <string>

using namespace crucible::sql;

struct Artist {
    std::int64_t id;
    std::optional<std::string> city;
};
struct Row {
    std::int32_t id;   // narrower than the column's int64_t
    std::string city;  // the column may be NULL
};

const auto query = select(col<&Artist::id>, col<&Artist::city>).from<Artist>().as<Row>();
