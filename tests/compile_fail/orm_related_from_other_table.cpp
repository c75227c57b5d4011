// expect: this relationship starts from another table than this object's
#include "crucible/orm/handle.hpp"

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

void shows_of(const crucible::orm::handle<Show>& show) {
    show.related(venue_shows);  // a Show has no venue_shows: show_venue (many_to_one<Show, Venue>) is its
}
