// expect: the member pointer belongs to another struct than the table's
// A table option names a column of another struct.
#include "crucible/dialect/sqlite.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>
#include <string>

struct Other {
    std::int64_t id;
    std::string x;
};
struct Thing {
    std::int64_t id;
    std::string x;
};
constexpr auto crucible_table(crucible::table_tag<Thing>) {
    return crucible::table_options{crucible::unique<&Other::x>};
}

constexpr auto sql = crucible::schema::create_table_sql<Thing, crucible::dialect::sqlite>;
