// A SQLite program, built by tests/packaging/check.sh through each way of using crucible.
#include <cstdint>
#include <string>

#include "crucible/sqlite.hpp"  // the one include of a SQLite program

struct Note {
    std::int64_t id;
    std::string text;
};

int main() {
    auto engine = crucible::create_engine<crucible::backend::sqlite_connection>("sqlite://");
    auto db = engine.connect();
    db.create_all<Note>();
    db.execute(crucible::insert(Note{0, "hi"}));
    return db.scalar(crucible::sql::select(crucible::count()).from<Note>()) == 1 ? 0 : 1;
}
