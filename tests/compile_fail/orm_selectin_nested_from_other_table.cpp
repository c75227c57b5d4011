// expect: a nested selectin must start from the table its outer relationship loads
#include "crucible/orm/session.hpp"

#include <cstdint>

struct Venue {
    std::int64_t id;
};
struct Artist {
    std::int64_t id;
};
struct Show {
    std::int64_t id;
    std::int64_t venue_id;
    std::int64_t artist_id;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::foreign_key<&Show::venue_id, &Venue::id>,
                                   crucible::foreign_key<&Show::artist_id, &Artist::id>};
}
inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;
inline constexpr auto artist_shows = crucible::one_to_many<Artist, Show>;

// venue_shows loads Shows; artist_shows starts from Artists.
inline constexpr auto load = crucible::selectin(venue_shows, crucible::selectin(artist_shows));
