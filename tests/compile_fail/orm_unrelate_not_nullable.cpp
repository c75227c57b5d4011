// expect: unrelate() sets the child's foreign key to NULL, and this one is not nullable
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/session.hpp"

#include <cstdint>

struct Venue {
    std::int64_t id;
};
struct Show {
    std::int64_t id;
    std::int64_t venue_id;  // NOT NULL: a show always has a venue
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::foreign_key<&Show::venue_id, &Venue::id>};
}
inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;

void drop(crucible::session<crucible::backend::sqlite_connection>& s, const crucible::handle<Venue>& venue,
          const crucible::handle<Show>& show) {
    s.unrelate(venue, venue_shows, show);  // s.remove(show), or s.relate(other_venue, venue_shows, show)
}
