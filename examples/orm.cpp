// The ORM session on the venues: add, flush, the identity map, a plain field write, commit,
// a query through the session, relationships loaded with selectin, optimistic locking, rollback,
// remove.
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

// A venue's shows: Show::venue_id references Venue::id, and the relationships follow that key.
struct Show {
    std::int64_t id;
    std::int64_t venue_id;
    std::string artist;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::table_name("orm_example_shows"),
                                   crucible::foreign_key<&Show::venue_id, &Venue::id>};
}
inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;  // venue.related(venue_shows)
inline constexpr auto show_venue = crucible::many_to_one<Show, Venue>;   // show.related(show_venue)

template <class Engine>
int run(Engine& engine) {
    using namespace crucible;
    {
        auto db = engine.connect();
        db.template drop_all<Show, Venue>();
        db.template create_all<Venue, Show>();
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

    // Relationships: a show per venue and two for the first; then every venue with its shows, and
    // each show's venue, in three statements however many venues there are (selectin).
    session.add(Show{0, venue->id, "Guns N Petals"});
    session.add(Show{0, venue->id, "The Wild Sax Band"});
    for (auto v : session.all(select<Venue>().where(col<&Venue::id> != venue->id))) {
        session.add(Show{0, v->id, "Matt Quevedo"});
    }
    session.commit();
    std::size_t statements = 0;
    engine.set_echo([&](const crucible::echo_event& e) { statements += e.kind == crucible::echo_kind::statement ? 1 : 0; });
    auto venues = session.all(select<Venue>().order_by(col<&Venue::name>),
                              crucible::selectin(venue_shows, crucible::selectin(show_venue)));
    engine.set_echo({});
    for (const auto& v : venues) {
        std::cout << v->name << ':';
        for (const auto& show : v.related(venue_shows)) {
            std::cout << ' ' << show->artist;
            expect(show.related(show_venue) == v, "a show's venue is the same object as the venue");
        }
        std::cout << '\n';
    }
    expect(statements == 3, "selectin: one statement per level");
    expect(venue.related(venue_shows).size() == 2, "the first venue has two shows");
    try {
        session.all(select<Venue>())[0].related(venue_shows);  // loaded above: no error
        auto shows = session.all(select<Show>());              // venues of these were loaded above too
        (void)shows[0].related(show_venue);
    } catch (const crucible::programming_error& e) {
        expect(false, e.what());
    }
    session.commit();
    {
        // A relationship not loaded is an error that says how to load it, never a hidden query.
        crucible::session fresh(engine);
        auto first = fresh.template get<Venue>(venue->id);
        try {
            (void)first.related(venue_shows);
            expect(false, "an unloaded relationship is refused");
        } catch (const crucible::programming_error& e) {
            std::cout << "refused: " << std::string(e.what()).substr(0, 90) << "...\n";
        }
        fresh.commit();
    }

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

    for (auto show : session.all(select<Show>().where(col<&Show::venue_id> == venue->id))) {
        session.remove(show);  // its shows first (no cascade is declared)
    }
    session.remove(venue);
    session.commit();  // DELETEs: shows, then the venue (children first)
    expect(!session.template get<Venue>(venue->id), "the removed row is gone");
    session.commit();  // that SELECT began a transaction: end it (on SQLite it holds a read lock)
    {
        auto db = engine.connect();
        const auto left = db.scalar(select(count()).template from<Venue>());
        std::cout << left << " venues left on " << Engine::dialect::name << '\n';
        expect(left == 2, "two venues are left");
        db.template drop_all<Show, Venue>();
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
