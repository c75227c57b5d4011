// expect: this relationship runs against its foreign key
#include "crucible/orm/relationship.hpp"

#include <cstdint>
#include <string>

struct Venue {
    std::int64_t id;
    std::string name;
};
struct Show {
    std::int64_t id;
    std::int64_t venue_id;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::foreign_key<&Show::venue_id, &Venue::id>};
}

// Shows reference venues: a venue has many shows, not the other way round.
inline constexpr auto wrong = crucible::one_to_many<Show, Venue>;
