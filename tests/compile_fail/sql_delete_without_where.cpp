// expect: UPDATE or DELETE without WHERE: add .where(...), or .all_rows() to mean every row
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

const auto statement = delete_from<Album>();
constexpr auto text = sql_text<decltype(statement), postgres>;
