// expect: SELECT ... FOR UPDATE is not supported by SQLite
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

const auto query = select(col<&Artist::id>).from<Artist>().where(col<&Artist::id> == 1).for_update();
constexpr auto postgres_text = sql_text<decltype(query), postgres>;
constexpr auto sqlite_text = sql_text<decltype(query), sqlite>;
