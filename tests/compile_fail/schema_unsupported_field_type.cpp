// expect: this field's type cannot be stored in a column
// The context of the error names the struct, the field ("z") and its type.
#include "crucible/dialect/postgres.hpp"
#include "crucible/schema/ddl.hpp"

#include <complex>
#include <cstdint>

struct Thing {
    std::int64_t id;
    std::complex<double> z;
};

constexpr auto sql = crucible::schema::create_table_sql<Thing, crucible::dialect::postgres>;
