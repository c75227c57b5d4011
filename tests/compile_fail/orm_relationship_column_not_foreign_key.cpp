// expect: the column named for this relationship is not a declared foreign key
#include "crucible/orm/relationship.hpp"

#include <cstdint>

struct Team {
    std::int64_t id;
};
struct Match {
    std::int64_t id;
    std::int64_t home_id;
    std::int64_t away_id;
};
constexpr auto crucible_table(crucible::table_tag<Match>) {
    return crucible::table_options{crucible::foreign_key<&Match::home_id, &Team::id>};
}

inline constexpr auto away_matches = crucible::one_to_many<Team, Match, &Match::away_id>;
