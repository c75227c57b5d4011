// expect: this dynamic_filter_for was made for another database's dialect
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <string>

using namespace crucible::sql;

struct Artist {
    std::int64_t id;
    std::string name;
};

std::string sql_for_sqlite() {
    dynamic_filter_for<crucible::dialect::postgres, Artist> filter;
    filter.add(ilike(col<&Artist::name>, "a%"));  // fine: PostgreSQL has ILIKE
    return to_sql<crucible::dialect::sqlite>(select<Artist>().where(filter));  // but SQLite has not
}
