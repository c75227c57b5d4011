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
struct Titles {
    std::string title;
};
// The common table expression reads Album without naming it in its FROM.
const auto query = with(cte<Titles>(select(col<&Album::title>).from<Artist>()))(select(col<&Titles::title>).from<Titles>());
constexpr auto text = sql_text<decltype(query), sqlite>;
