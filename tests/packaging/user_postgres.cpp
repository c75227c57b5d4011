// A PostgreSQL program built through each packaging route: it must compile and link (CI's
// packaging test has no server of its own; the db suites run PostgreSQL programs).
#include <cstdint>
#include <cstdio>
#include <string>

#include "crucible/postgres.hpp"  // the one include of a PostgreSQL program

struct Note {
    std::int64_t id;
    std::string text;
};

int main(int argc, char** argv) {
    std::printf("%s\n", CRUCIBLE_VERSION_STRING);
    if (argc > 1) {  // given a URL: use it
        auto engine = crucible::create_engine<crucible::backend::postgres_connection>(argv[1]);
        auto db = engine.connect();
        db.create_all<Note>();
        db.execute(crucible::insert(Note{0, "hi"}));
    }
    return 0;
}
