// The seed's todo list: create the table, insert with typed statements, select, print.
// Runs on SQLite (in memory) with no argument, and on PostgreSQL when given a URL:
//   todo                                   # sqlite://
//   todo postgresql://user:pw@host/dbname  # or postgresql:// for the PG* environment variables
#include <cstdint>
#include <iostream>
#include <string>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"

struct Todo {
    std::int64_t id;  // the autoincrement primary key, by convention
    std::string description;
    bool completed;
};

constexpr auto crucible_table(crucible::table_tag<Todo>) {
    return crucible::table_options{crucible::table_name("todos"), crucible::default_value<&Todo::completed, false>};
}

template <class Engine>
int run(Engine engine) {
    using namespace crucible;
    auto db = engine.connect();
    db.template drop_all<Todo>();
    db.template create_all<Todo>();

    {
        auto tx = db.begin();
        db.execute(insert(Todo{0, "write the schema", true}));
        db.execute(insert(Todo{0, "write the queries", false}));
        db.execute(insert_into<Todo>.values(col<&Todo::description> = "ship it"));
        tx.commit();
    }
    db.execute(update<Todo>().set(col<&Todo::completed> = true).where(col<&Todo::description> == "ship it"));

    for (const Todo& todo : db.all(select<Todo>().order_by(col<&Todo::id>))) {
        std::cout << (todo.completed ? "[x] " : "[ ] ") << todo.id << ' ' << todo.description << '\n';
    }
    const auto open = db.scalar(select(count()).from(table<Todo>).where(col<&Todo::completed> == false));
    std::cout << open << " open of "
              << db.scalar(select(count()).from(table<Todo>)) << " on " << Engine::dialect::name << '\n';
    db.template drop_all<Todo>();
    return 0;
}

int main(int argc, char** argv) {
    const std::string url = argc > 1 ? argv[1] : "sqlite://";
    try {
        if (crucible::parse_url(url).scheme == "sqlite") {
            return run(crucible::create_engine<crucible::backend::sqlite_connection>(url));
        }
        return run(crucible::create_engine<crucible::backend::postgres_connection>(url));
    } catch (const crucible::error& e) {
        std::cerr << "todo: " << e.what() << '\n';
        return 1;
    }
}
