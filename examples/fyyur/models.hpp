// fyyur's models: plain structs, their tables, and the relationships between them.
//
// Genres are rows of their own (`genre`, the fixed list of 19, inserted when the tables are
// created) linked to venues and artists through two-key link tables. A link table rather than an
// array or JSON column because it is the same on SQLite and PostgreSQL, the database keeps each
// genre valid through a foreign key, and "venues playing Jazz" is an indexed join, not a scan of
// text.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "crucible/crucible.hpp"
#include "crucible/orm/orm.hpp"

namespace fyyur {

using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

struct Venue {
    std::int64_t id;
    std::string name;
    std::string city;
    std::string state;
    std::string address;
    std::optional<std::string> phone;
    std::optional<std::string> image_link;
    std::optional<std::string> facebook_link;
    std::optional<std::string> website;
    bool seeking_talent;
    std::optional<std::string> seeking_description;
};
constexpr auto crucible_table(crucible::table_tag<Venue>) {
    return crucible::table_options{crucible::index_on<&Venue::state, &Venue::city>};
}

struct Artist {
    std::int64_t id;
    std::string name;
    std::string city;
    std::string state;
    std::optional<std::string> phone;
    std::optional<std::string> image_link;
    std::optional<std::string> facebook_link;
    std::optional<std::string> website;
    bool seeking_venue;
    std::optional<std::string> seeking_description;
};

// The association between venues and artists, with its own data.
struct Show {
    std::int64_t id;
    std::int64_t venue_id;
    std::int64_t artist_id;
    timestamp start_time;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    namespace c = crucible;
    return c::table_options{c::foreign_key<&Show::venue_id, &Venue::id>.on_delete(c::fk_action::cascade),
                            c::foreign_key<&Show::artist_id, &Artist::id>.on_delete(c::fk_action::cascade),
                            c::index_on<&Show::venue_id, &Show::start_time>, c::index_on<&Show::artist_id, &Show::start_time>};
}

struct Genre {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Genre>) {
    return crucible::table_options{crucible::unique<&Genre::name>};
}

struct VenueGenre {
    std::int64_t venue_id;
    std::int64_t genre_id;
};
constexpr auto crucible_table(crucible::table_tag<VenueGenre>) {
    namespace c = crucible;
    return c::table_options{c::primary_key<&VenueGenre::venue_id, &VenueGenre::genre_id>,
                            c::foreign_key<&VenueGenre::venue_id, &Venue::id>.on_delete(c::fk_action::cascade),
                            c::foreign_key<&VenueGenre::genre_id, &Genre::id>};
}

struct ArtistGenre {
    std::int64_t artist_id;
    std::int64_t genre_id;
};
constexpr auto crucible_table(crucible::table_tag<ArtistGenre>) {
    namespace c = crucible;
    return c::table_options{c::primary_key<&ArtistGenre::artist_id, &ArtistGenre::genre_id>,
                            c::foreign_key<&ArtistGenre::artist_id, &Artist::id>.on_delete(c::fk_action::cascade),
                            c::foreign_key<&ArtistGenre::genre_id, &Genre::id>};
}

inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;
inline constexpr auto artist_shows = crucible::one_to_many<Artist, Show>;
inline constexpr auto show_venue = crucible::many_to_one<Show, Venue>;
inline constexpr auto show_artist = crucible::many_to_one<Show, Artist>;
inline constexpr auto venue_genres = crucible::many_to_many<Venue, Genre, VenueGenre>;
inline constexpr auto artist_genres = crucible::many_to_many<Artist, Genre, ArtistGenre>;

}  // namespace fyyur
