// expect: % needs integer operands: PostgreSQL has no % for REAL or DOUBLE PRECISION
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>

using namespace crucible::sql;

struct Album {
    std::int64_t id;
    double price;
};

const auto query = select(col<&Album::price> % 2).from<Album>();
