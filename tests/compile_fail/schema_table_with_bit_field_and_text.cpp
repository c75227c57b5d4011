// expect: a table's struct cannot have a bit-field member
// gcc-only: clang 16 cannot build libstdc++ 12's std::string at compile time, which the bit-field probe needs
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>
#include <optional>
#include <string>

struct Venue {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
    int seats : 12;  // a bit-field: reflection binds each member by reference
};

constexpr auto ddl = crucible::schema::create_table_sql<Venue, crucible::dialect::postgres>;
