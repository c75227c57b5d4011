// expect: .as<S>() reads the selected items into S's fields in order, and a selected column or label is named differently from its field
#include "crucible/dialect/dialect.hpp"
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <string>

using namespace crucible::sql;

struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
};
struct Pair {  // the same types as the selected columns, in the other order
    std::int64_t artist_id;
    std::int64_t id;
};

const auto query = select(col<&Album::id>, col<&Album::artist_id>).from<Album>().as<Pair>();
