// expect: this statement returns no rows (an INSERT, UPDATE or DELETE without .returning(...))
#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"

#include <cstdint>
#include <string>

struct Album {
    std::int64_t id;
    std::string title;
};

void add(crucible::basic_connection<crucible::backend::sqlite_connection>& db) {
    db.one(crucible::insert(Album{0, "Blue"}));  // execute() it, or insert(...).returning(col<&Album::id>)
}
