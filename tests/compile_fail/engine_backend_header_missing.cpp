// expect: create_engine<Backend> needs its backend's header: #include "crucible/sqlite.hpp"
#include "crucible/crucible.hpp"  // the schema and SQL layers only: no backend

int main() {
    auto engine = crucible::create_engine<crucible::backend::sqlite_connection>("sqlite://");
    (void)engine;
}
