// expect: a common table expression that reads itself needs with_recursive(...)
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>

using namespace crucible::sql;

struct Edge {
    std::int64_t src;
    std::int64_t dst;
};
struct Reach {
    std::int64_t node;
};

const auto walk = with(cte<Reach>(union_(select(col<&Edge::src>).from<Edge>().where(col<&Edge::src> == 1),
                                         select(col<&Edge::dst>).from<Edge>().join<Reach>(col<&Edge::src> == col<&Reach::node>))))(
    select(all_of<Reach>).from<Reach>());
