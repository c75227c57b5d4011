// expect: FOR UPDATE cannot lock the missing rows of the LEFT JOIN that joined(relationship) adds
#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
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
inline constexpr auto show_venue = crucible::many_to_one<Show, Venue>;

void lock(crucible::session<crucible::backend::postgres_connection>& s) {
    s.all(crucible::select<Show>().for_update(), crucible::joined(show_venue));  // selectin loads without a JOIN
}
