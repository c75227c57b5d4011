// expect: crucible: insert_many_view of a temporary would bind rows that are gone before the statement runs
#include "crucible/sql/sql.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};

void run() {
    auto statement = crucible::sql::insert_many_view(std::vector<Artist>{{0, "Nina", std::nullopt}});
    (void)statement;
}
