// expect: the session maps only tables with a primary key
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/session.hpp"

#include <string>

struct Note {
    std::string text;  // no `id`, no declared key
};

void add_note(crucible::session<crucible::backend::sqlite_connection>& session) {
    session.add(Note{"x"});
}
