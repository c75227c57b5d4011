// expect: crucible: insert_view of a temporary would bind a row that is gone before the statement runs
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <optional>
#include <string>

struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};

void run() {
    auto statement = crucible::sql::insert_view(Artist{0, "Nina", std::nullopt});
    (void)statement;
}
