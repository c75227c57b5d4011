// expect: relate() on a many-to-many adds a row of its link table, and this link table has columns of its own
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/session.hpp"

#include <cstdint>
#include <string>

struct Venue {
    std::int64_t id;
};
struct Artist {
    std::int64_t id;
};
struct Show {  // a link with data of its own: relate() could not know its title
    std::int64_t id;
    std::int64_t venue_id;
    std::int64_t artist_id;
    std::string title;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::foreign_key<&Show::venue_id, &Venue::id>,
                                   crucible::foreign_key<&Show::artist_id, &Artist::id>};
}
inline constexpr auto venue_artists = crucible::many_to_many<Venue, Artist, Show>;

void book(crucible::session<crucible::backend::sqlite_connection>& s, const crucible::handle<Venue>& venue,
          const crucible::handle<Artist>& artist) {
    s.relate(venue, venue_artists, artist);  // add a Show and relate it with many_to_one instead
}
