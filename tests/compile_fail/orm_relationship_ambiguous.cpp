// expect: the child table has several foreign keys to the parent table
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
    return crucible::table_options{crucible::foreign_key<&Match::home_id, &Team::id>,
                                   crucible::foreign_key<&Match::away_id, &Team::id>};
}

// Home or away? one_to_many<Team, Match, &Match::home_id> says.
inline constexpr auto matches = crucible::one_to_many<Team, Match>;
