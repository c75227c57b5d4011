// expect: SELECT DISTINCT ... ORDER BY needs each ORDER BY expression in the select list
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <string>

using namespace crucible::sql;
using crucible::dialect::sqlite;

struct Artist {
    std::int64_t id;
    std::string name;
    std::string city;
};

// Which name's order would a distinct city take? PostgreSQL refuses to guess.
const auto query = select(col<&Artist::city>).from<Artist>().distinct().order_by(col<&Artist::name>);
constexpr auto text = sql_text<decltype(query), sqlite>;
