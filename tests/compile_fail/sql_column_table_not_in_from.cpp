// expect: a column is used whose table is not in FROM or JOIN
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

// Album is named in the select list but only Artist is in FROM; the check fires with the SQL text.
const auto query = select(col<&Artist::name>, col<&Album::title>).from<Artist>();
constexpr auto text = sql_text<decltype(query), sqlite>;
