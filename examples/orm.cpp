// The ORM session on the venues: add, flush, the identity map, a plain field write, commit,
// a query through the session, optimistic locking, rollback, remove.
// Runs on SQLite (in memory) with no argument, and on PostgreSQL when given a URL:
//   orm                                   # sqlite://
//   orm postgresql://user:pw@host/dbname  # or postgresql:// for the PG* environment variables
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/orm.hpp"

struct Venue {
    std::int64_t id;  // the autoincrement primary key, by convention
    std::string name;
    std::string city;
    std::optional<std::string> phone;
    std::int64_t version;  // optimistic locking (below)
};

constexpr auto crucible_table(crucible::table_tag<Venue>) {
    return crucible::table_options{crucible::table_name("orm_example_venues"), crucible::unique<&Venue::name>,
                                   crucible::version<&Venue::version>};
}

template <class Engine>
int run(Engine& engine) {
    using namespace crucible;
    using crucible::select;  // not POSIX select(2)
    {
        auto db = engine.connect();
        db.template drop_all<Venue>();
        db.template create_all<Venue>();
    }
    int failures = 0;
    const auto expect = [&](bool ok, const char* what) {
        if (!ok) {
            std::cerr << "orm example: not as expected: " << what << '\n';
            ++failures;
        }
    };

    crucible::session session(engine);
    auto venue = session.add(Venue{0, "The Musical Hop", "San Francisco", std::nullopt, 0});  // pending
    session.add(Venue{0, "Park Square Live Music & Coffee", "San Francisco", "415-000-1234", 0});
    session.add(Venue{0, "The Dueling Pianos Bar", "New York", std::nullopt, 0});
    session.flush();  // one INSERT ... RETURNING for the three rows; the generated ids are in the objects
    expect(venue->id != 0, "the generated id is written back");

    auto same = session.template get<Venue>(venue->id);  // the identity map: the same object, no SQL
    expect(same.get() == venue.get(), "get() returns the mapped object");
    same->phone = "123-123-1234";  // a plain field write
    session.commit();              // flush (one UPDATE of that row) + COMMIT

    for (auto v : session.all(select<Venue>().where(col<&Venue::city> == "San Francisco").order_by(col<&Venue::name>))) {
        std::cout << v->id << ' ' << v->name << " (" << v->city << ") " << v->phone.value_or("-") << " v"
                  << v->version << '\n';
    }
    session.commit();

    // Someone else changes the row; this session's copy is now stale.
    {
        crucible::session other(engine);
        other.template get<Venue>(venue->id)->city = "Oakland";
        other.commit();
    }
    venue->phone = "555-555-5555";
    try {
        session.commit();
        expect(false, "a stale update is refused");
    } catch (const crucible::stale_data_error& e) {
        std::cout << "refused: " << e.what() << '\n';
        expect(venue->phone == "123-123-1234", "rollback restored the object");
    }
    session.refresh(venue);  // the current row
    std::cout << venue->name << " is in " << venue->city << " now (version " << venue->version << ")\n";

    session.remove(venue);
    session.commit();  // DELETE
    expect(!session.template get<Venue>(venue->id), "the removed row is gone");
    session.commit();  // that SELECT began a transaction: end it (on SQLite it holds a read lock)
    {
        auto db = engine.connect();
        const auto left = db.scalar(select(count()).template from<Venue>());
        std::cout << left << " venues left on " << Engine::dialect::name << '\n';
        expect(left == 2, "two venues are left");
        db.template drop_all<Venue>();
    }
    return failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
    const std::string url = argc > 1 ? argv[1] : "sqlite://";
    try {
        if (crucible::parse_url(url).scheme == "sqlite") {
            auto engine = crucible::create_engine<crucible::backend::sqlite_connection>(url);
            return run(engine);
        }
        auto engine = crucible::create_engine<crucible::backend::postgres_connection>(url);
        return run(engine);
    } catch (const crucible::error& e) {
        std::cerr << "orm: " << e.what() << '\n';
        return 1;
    }
}
