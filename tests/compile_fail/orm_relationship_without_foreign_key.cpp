// expect: a relationship needs a foreign key between its two tables
#include "crucible/orm/relationship.hpp"

#include <cstdint>
#include <string>

struct Venue {
    std::int64_t id;
    std::string name;
};
struct Show {
    std::int64_t id;
    std::int64_t venue_id;  // no foreign_key<&Show::venue_id, &Venue::id> declared
};

inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;
