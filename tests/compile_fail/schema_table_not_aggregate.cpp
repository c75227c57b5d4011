// expect: a table's struct must be an aggregate: public data members only, no user-declared constructor
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>
#include <string>

class Artist {  // private members: reflection cannot see them
    std::int64_t id;
    std::string name;

public:
    const std::string& display() const { return name; }
};

constexpr auto ddl = crucible::schema::create_table_sql<Artist, crucible::dialect::sqlite>;
