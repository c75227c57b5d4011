// expect: joined loading of a one-to-many would LIMIT the joined rows
#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/session.hpp"

#include <cstdint>

struct Venue {
    std::int64_t id;
};
struct Show {
    std::int64_t id;
    std::int64_t venue_id;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::foreign_key<&Show::venue_id, &Venue::id>};
}
inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;

void first_ten(crucible::session<crucible::backend::sqlite_connection>& s) {
    s.all(crucible::select<Venue>().limit(10), crucible::joined(venue_shows));  // selectin limits venues
}
