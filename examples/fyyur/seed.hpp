// The original fyyur's mock data: three venues, three artists and five shows, with their names,
// cities, genres and show times (the original's "Swing" for The Musical Hop is not among the 19
// genres its own form offers, so it is left out).
#pragma once

#include <string>
#include <vector>

#include "forms.hpp"
#include "models.hpp"
#include "web.hpp"

namespace fyyur {

// False (and nothing written) when the database has venues already.
template <class Backend>
bool seed(crucible::basic_engine<Backend>& engine) {
    using namespace crucible;
    using crucible::select;
    crucible::session<Backend> s(engine);
    if (s.connection().scalar(select(count()).template from<Venue>()) > 0) {
        return false;
    }
    const auto genres_named = [&](const std::vector<std::string>& names) {
        return s.all(select<Genre>().where(in(col<&Genre::name>, names)).order_by(col<&Genre::id>));
    };
    const auto venue = [&](Venue v, const std::vector<std::string>& genres) {
        auto h = s.add(std::move(v));
        for (const auto& g : genres_named(genres)) {
            s.relate(h, venue_genres, g);
        }
        return h;
    };
    const auto artist = [&](Artist a, const std::vector<std::string>& genres) {
        auto h = s.add(std::move(a));
        for (const auto& g : genres_named(genres)) {
            s.relate(h, artist_genres, g);
        }
        return h;
    };
    const auto hop = venue(
        Venue{0, "The Musical Hop", "San Francisco", "CA", "1015 Folsom Street", "123-123-1234",
              "https://images.unsplash.com/photo-1543900694-133f37abaaa5?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=400&q=60",
              "https://www.facebook.com/TheMusicalHop", "https://www.themusicalhop.com", true,
              "We are on the lookout for a local artist to play every two weeks. Please call us."},
        {"Jazz", "Reggae", "Classical", "Folk"});
    venue(Venue{0, "The Dueling Pianos Bar", "New York", "NY", "335 Delancey Street", "914-003-1132",
                "https://images.unsplash.com/photo-1497032205916-ac775f0649ae?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=750&q=80",
                "https://www.facebook.com/theduelingpianos", "https://www.theduelingpianos.com", false, std::nullopt},
          {"Classical", "R&B", "Hip-Hop"});
    const auto park = venue(
        Venue{0, "Park Square Live Music & Coffee", "San Francisco", "CA", "34 Whiskey Moore Ave", "415-000-1234",
              "https://images.unsplash.com/photo-1485686531765-ba63b07845a7?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=747&q=80",
              "https://www.facebook.com/ParkSquareLiveMusicAndCoffee", "https://www.parksquarelivemusicandcoffee.com",
              false, std::nullopt},
        {"Rock n Roll", "Jazz", "Classical", "Folk"});
    const auto guns = artist(
        Artist{0, "Guns N Petals", "San Francisco", "CA", "326-123-5000",
               "https://images.unsplash.com/photo-1549213783-8284d0336c4f?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=300&q=80",
               "https://www.facebook.com/GunsNPetals", "https://www.gunsnpetalsband.com", true,
               "Looking for shows to perform at in the San Francisco Bay Area!"},
        {"Rock n Roll"});
    const auto matt = artist(
        Artist{0, "Matt Quevedo", "New York", "NY", "300-400-5000",
               "https://images.unsplash.com/photo-1495223153807-b916f75de8c5?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=334&q=80",
               "https://www.facebook.com/mattquevedo923251523", std::nullopt, false, std::nullopt},
        {"Jazz"});
    const auto sax = artist(
        Artist{0, "The Wild Sax Band", "San Francisco", "CA", "432-325-5432",
               "https://images.unsplash.com/photo-1558369981-f9ca78462e61?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=794&q=80",
               std::nullopt, std::nullopt, false, std::nullopt},
        {"Jazz", "Classical"});
    const auto at = [](const char* text) { return *web::parse_time(text); };
    // New venues and artists: relate() gives each show their keys at flush, after their INSERTs.
    const auto show = [&](const auto& v, const auto& a, const char* when) {
        auto h = s.add(Show{0, 0, 0, at(when)});
        s.relate(h, show_venue, v);
        s.relate(h, show_artist, a);
    };
    show(hop, guns, "2019-05-21 21:30:00");
    show(park, matt, "2019-06-15 23:00:00");
    show(park, sax, "2035-04-01 20:00:00");
    show(park, sax, "2035-04-08 20:00:00");
    show(park, sax, "2035-04-15 20:00:00");
    s.commit();
    return true;
}

}  // namespace fyyur
