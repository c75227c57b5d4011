// expect: unrelate() on a many-to-many deletes the link row by its primary key, which must be the two link columns
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/session.hpp"

#include <cstdint>

struct Venue {
    std::int64_t id;
};
struct Tag {
    std::int64_t id;
};
struct VenueTag {  // keyed by a generated id: which row links the two is not known without a query
    std::int64_t id;
    std::int64_t venue_id;
    std::int64_t tag_id;
};
constexpr auto crucible_table(crucible::table_tag<VenueTag>) {
    return crucible::table_options{crucible::foreign_key<&VenueTag::venue_id, &Venue::id>,
                                   crucible::foreign_key<&VenueTag::tag_id, &Tag::id>};
}
inline constexpr auto venue_tags = crucible::many_to_many<Venue, Tag, VenueTag>;

void untag(crucible::session<crucible::backend::sqlite_connection>& s, const crucible::handle<Venue>& venue,
           const crucible::handle<Tag>& jazz) {
    s.relate(venue, venue_tags, jazz);  // fine: a plain link with a generated key
    s.unrelate(venue, venue_tags, jazz);
}
