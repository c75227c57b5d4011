// A program of another meson project that uses crucible as a subproject.
#include <cstdint>
#include <string>

#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"

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
