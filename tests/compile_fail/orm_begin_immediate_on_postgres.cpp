// expect: begin_immediate() is SQLite's BEGIN IMMEDIATE
#include "crucible/engine/postgres.hpp"
#include "crucible/orm/session.hpp"

void write(crucible::session<crucible::backend::postgres_connection>& s) {
    s.begin_immediate();  // PostgreSQL has no BEGIN IMMEDIATE: its rows lock as they are written
}
