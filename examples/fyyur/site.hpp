// fyyur's pages and forms: each route reads and writes through a crucible session and renders a
// Mustache template. One site<Backend> serves SQLite or PostgreSQL; programs use it through app.hpp
// (compiled once, in site.cpp).
#pragma once

#include <httplib.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/orm.hpp"
#include "forms.hpp"
#include "models.hpp"
#include "web.hpp"

namespace fyyur {

namespace mustache = kainjow::mustache;

// The templates and static files, as embed.py wrote them into the binary.
std::string_view asset(std::string_view name);

// Templates compiled once per thread (kainjow's render is not const), with `{{> name}}` partials
// expanded when first compiled.
mustache::mustache& compiled_template(std::string_view name);

// kainjow's set() and push_back() copy the whole value (a list with every element in it); these
// move it in.
inline void put(mustache::data& object, const std::string& key, mustache::data value) {
    object[key] = std::move(value);
}
// (The vector is the data's own; list_value() only hands it out const.)
inline std::vector<mustache::data>& items_of(mustache::data& list) {
    return const_cast<std::vector<mustache::data>&>(list.list_value());
}
inline void append(mustache::data& list, mustache::data item) { items_of(list).push_back(std::move(item)); }
// kainjow's move constructor is not noexcept, so a growing vector of data copies every element:
// lists are sized before they are filled.
inline mustache::data list_of_size(std::size_t n) {
    mustache::data list{mustache::data::type::list};
    items_of(list).reserve(n);
    return list;
}

inline std::string render(std::string_view name, const mustache::data& data) {
    return compiled_template(name).render(data);
}

struct site_options {
    std::ostream* log = &std::cerr;                    // one line per request; errors with detail
    std::function<web::timestamp()> clock;             // "now", for past and upcoming shows; the system clock if empty
};

// The fixed genres as rows (ids 1..19) and the tables, created when missing.
template <class Backend>
void prepare_database(crucible::basic_engine<Backend>& engine) {
    using namespace crucible;
    using crucible::select;
    auto db = engine.connect();
    auto tx = db.begin();
    db.template create_all<Venue, Artist, Show, Genre, VenueGenre, ArtistGenre>();
    if (db.scalar(select(count()).template from<Genre>()) == 0) {
        std::vector<Genre> rows;
        for (std::size_t i = 0; i < forms::genres.size(); ++i) {
            rows.push_back(Genre{static_cast<std::int64_t>(i + 1), std::string(forms::genres[i])});
        }
        db.execute(insert_many(rows));
    }
    tx.commit();
}

// A form's posted fields (urlencoded body, decoded by cpp-httplib).
struct posted_form {
    const httplib::Request& request;
    std::string one(std::string_view name) const { return request.get_param_value(std::string(name)); }
    std::vector<std::string> all(std::string_view name) const {
        const std::string key(name);
        std::vector<std::string> out;
        for (std::size_t i = 0, n = request.get_param_value_count(key); i < n; ++i) {
            out.push_back(request.get_param_value(key, i));
        }
        return out;
    }
};

template <class Backend>
class site {
public:
    using engine_type = crucible::basic_engine<Backend>;
    using session_type = crucible::session<Backend>;

    site(engine_type& engine, std::string secret, site_options options = {})
        : engine_(engine), signer_(std::move(secret)), options_(std::move(options)) {}

    web::timestamp now() const {
        return options_.clock ? options_.clock()
                              : std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    }

    void routes(httplib::Server& server) {
        server.Get("/", page([this](request& r) { home(r); }));
        server.Get("/static/fyyur.css", [](const httplib::Request&, httplib::Response& res) {
            res.set_header("Cache-Control", "max-age=3600");
            res.set_content(std::string(asset("fyyur.css")), "text/css; charset=utf-8");
        });
        server.Get("/venues", page([this](request& r) { venues(r); }));
        server.Post("/venues/search", page([this](request& r) { search<Venue>(r); }));
        server.Get("/venues/create", page([this](request& r) { profile_form<Venue>(r, {}, {}, 200); }));
        server.Post("/venues/create", page([this](request& r) { create_profile<Venue>(r); }));
        server.Get(R"(/venues/(\d{1,18}))", page([this](request& r) { show_profile<Venue>(r); }));
        server.Get(R"(/venues/(\d{1,18})/edit)", page([this](request& r) { edit_form<Venue>(r); }));
        server.Post(R"(/venues/(\d{1,18})/edit)", page([this](request& r) { edit_profile<Venue>(r); }));
        server.Post(R"(/venues/(\d{1,18})/delete)", page([this](request& r) { delete_venue(r); }));
        server.Get("/artists", page([this](request& r) { artists(r); }));
        server.Post("/artists/search", page([this](request& r) { search<Artist>(r); }));
        server.Get("/artists/create", page([this](request& r) { profile_form<Artist>(r, {}, {}, 200); }));
        server.Post("/artists/create", page([this](request& r) { create_profile<Artist>(r); }));
        server.Get(R"(/artists/(\d{1,18}))", page([this](request& r) { show_profile<Artist>(r); }));
        server.Get(R"(/artists/(\d{1,18})/edit)", page([this](request& r) { edit_form<Artist>(r); }));
        server.Post(R"(/artists/(\d{1,18})/edit)", page([this](request& r) { edit_profile<Artist>(r); }));
        server.Get("/shows", page([this](request& r) { shows(r); }));
        server.Get("/shows/create", page([this](request& r) { show_form(r, {}, {}, 200); }));
        server.Post("/shows/create", page([this](request& r) { create_show(r); }));
        // Anything no route answered (and no handler filled): the 404 page.
        server.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                              httplib::Response& res) {
            if (!res.body.empty()) {
                return httplib::Server::HandlerResponse::Unhandled;
            }
            web::cookie_session s = signer_.decode(req.get_header_value("Cookie"));
            error_page(s, res, res.status, res.status == 404 ? "This page does not exist." : "The request failed.");
            return httplib::Server::HandlerResponse::Handled;
        }));
    }

private:
    struct request {
        const httplib::Request& http;
        httplib::Response& res;
        web::cookie_session& session;
    };

    // Every page: the cookie session read and (when changed) written back, the CSRF token checked
    // on each POST before anything else, and an exception turned into the 500 page.
    template <class F>
    httplib::Server::Handler page(F f) {
        return [this, f](const httplib::Request& req, httplib::Response& res) {
            web::cookie_session s = signer_.decode(req.get_header_value("Cookie"));
            request r{req, res, s};
            try {
                if (req.method == "POST" && !web::same_token(req.get_param_value("csrf_token"), s.csrf_token)) {
                    error_page(s, res, 400, "The CSRF token is missing or does not match: reload the form and try again.");
                } else {
                    f(r);
                }
            } catch (const std::exception& e) {
                *options_.log << "fyyur: 500 on " << req.method << ' ' << req.path << ": " << e.what() << std::endl;
                res = httplib::Response();
                error_page(s, res, 500, "Something went wrong on our side; the error was logged.");
            }
            if (s.changed) {
                res.set_header("Set-Cookie", std::string(web::session_signer::cookie_name) + "=" + signer_.encode(s) +
                                                 "; Path=/; HttpOnly; SameSite=Lax");
            }
        };
    }

    // The parts every page has: title, CSRF token, flashed messages (shown once).
    mustache::data base(web::cookie_session& s, const std::string& title) {
        mustache::data d;
        put(d, "title", title);
        put(d, "csrf_token", s.csrf_token);
        mustache::data flashes = list_of_size(s.flashes.size());
        for (const web::flash& f : s.flashes) {
            mustache::data item;
            put(item, "category", f.category);
            put(item, "message", f.message);
            append(flashes, std::move(item));
        }
        put(d, "flashes", std::move(flashes));
        if (!s.flashes.empty()) {
            s.flashes.clear();
            s.changed = true;
        }
        return d;
    }

    void send(request& r, std::string_view name, const mustache::data& d, int status = 200) {
        r.res.status = status;
        r.res.set_content(render(name, d), "text/html; charset=utf-8");
    }

    void error_page(web::cookie_session& s, httplib::Response& res, int status, const std::string& message) {
        mustache::data d = base(s, std::to_string(status));
        put(d, "status", std::to_string(status));
        put(d, "message", message);
        res.status = status;
        res.set_content(render("error.mustache", d), "text/html; charset=utf-8");
    }

    void not_found(request& r, const std::string& what) { error_page(r.session, r.res, 404, what + " does not exist."); }

    void redirect(request& r, const std::string& to, std::string category, std::string message) {
        r.session.flashes.push_back({std::move(category), std::move(message)});
        r.session.changed = true;
        r.res.status = 303;
        r.res.set_header("Location", to);
    }

    // A unit of work that reads and then writes: on SQLite its transaction takes the write lock
    // first (BEGIN IMMEDIATE), so two requests writing at once wait for each other rather than one
    // failing with "database is locked".
    // SQLite has one writer at a time: this process's writers take turns on a mutex rather than
    // polling the database's lock (SQLite's busy handler sleeps up to 100 ms between tries). The
    // lock is taken before the session and released after it is gone.
    std::unique_lock<std::mutex> one_writer() {
        if constexpr (std::is_same_v<Backend, crucible::backend::sqlite_connection>) {
            return std::unique_lock<std::mutex>(writers_);
        } else {
            return {};
        }
    }
    static void writing(session_type& s) {
        if constexpr (std::is_same_v<Backend, crucible::backend::sqlite_connection>) {
            s.begin_immediate();
        }
    }

    static std::int64_t path_id(const request& r) { return std::stoll(r.http.matches[1].str()); }

    // ---- pages -------------------------------------------------------------------------------

    void home(request& r) { send(r, "home.mustache", base(r.session, "Home")); }

    // The venues by area, each with its number of upcoming shows: one grouped query (a LEFT JOIN of
    // the upcoming shows) that reads only the columns the page shows.
    void venues(request& r) {
        using namespace crucible;
        using crucible::select;
        session_type s(engine_);
        const auto rows = s.connection().all(
            select(col<&Venue::id>, col<&Venue::name>, col<&Venue::city>, col<&Venue::state>, count(col<&Show::id>))
                .template from<Venue>()
                .template left_join<Show>(col<&Show::venue_id> == col<&Venue::id> && col<&Show::start_time> > now())
                .group_by(col<&Venue::id>)  // the key: the venue's other columns come with it
                .order_by(col<&Venue::state>, col<&Venue::city>, col<&Venue::name>, col<&Venue::id>));
        mustache::data d = base(r.session, "Venues");
        std::size_t area_count = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            area_count += i == 0 || std::get<2>(rows[i]) != std::get<2>(rows[i - 1]) ||
                          std::get<3>(rows[i]) != std::get<3>(rows[i - 1]);
        }
        mustache::data areas = list_of_size(area_count);
        for (std::size_t i = 0; i < rows.size();) {
            const auto& [first_id, first_name, city, state, first_count] = rows[i];
            mustache::data area;
            put(area, "city", city);
            put(area, "state", state);
            std::size_t end = i;
            while (end < rows.size() && std::get<2>(rows[end]) == city && std::get<3>(rows[end]) == state) {
                ++end;
            }
            mustache::data list = list_of_size(end - i);
            std::size_t j = i;
            for (; j < end; ++j) {
                const auto& [id, name, c, st, upcoming] = rows[j];
                mustache::data v;
                put(v, "id", std::to_string(id));
                put(v, "name", name);
                put(v, "num_upcoming_shows", std::to_string(upcoming));
                append(list, std::move(v));
            }
            put(area, "venues", std::move(list));
            append(areas, std::move(area));
            i = j;
        }
        put(d, "areas", areas.is_non_empty_list() ? std::move(areas) : mustache::data(false));
        put(d, "search_kind", "venues");
        send(r, "venues.mustache", d);
    }

    void artists(request& r) {
        using namespace crucible;
        using crucible::select;
        session_type s(engine_);
        mustache::data d = base(r.session, "Artists");
        const auto all = s.all(select<Artist>().order_by(col<&Artist::name>, col<&Artist::id>));
        mustache::data list = list_of_size(all.size());
        for (const auto& a : all) {
            mustache::data item;
            put(item, "id", std::to_string(a->id));
            put(item, "name", a->name);
            append(list, std::move(item));
        }
        put(d, "artists", list.is_non_empty_list() ? std::move(list) : mustache::data(false));
        put(d, "search_kind", "artists");
        send(r, "artists.mustache", d);
    }

    // Case-insensitive partial match on the name (% and _ in the term are matched as themselves),
    // each with its number of upcoming shows: one grouped query.
    template <class T>
    void search(request& r) {
        using namespace crucible;
        using crucible::select;
        constexpr bool is_venue = std::is_same_v<T, Venue>;
        constexpr auto show_owner = [] {
            if constexpr (is_venue) {
                return col<&Show::venue_id>;
            } else {
                return col<&Show::artist_id>;
            }
        }();
        const std::string term = forms::trimmed(r.http.get_param_value("search_term"));
        std::string lowered = term;
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
        session_type s(engine_);
        const auto found = s.connection().all(
            select(col<&T::id>, col<&T::name>, count(col<&Show::id>))
                .template from<T>()
                .template left_join<Show>(show_owner == col<&T::id> && col<&Show::start_time> > now())
                .where(like_escaped(lower(col<&T::name>), "%" + escape_like(lowered) + "%"))
                .group_by(col<&T::id>)
                .order_by(col<&T::name>, col<&T::id>));
        mustache::data d = base(r.session, is_venue ? "Search venues" : "Search artists");
        put(d, "search_kind", is_venue ? "venues" : "artists");
        put(d, "search_term", term);
        put(d, "count", std::to_string(found.size()));
        mustache::data list = list_of_size(found.size());
        for (const auto& [id, name, upcoming] : found) {
            mustache::data item;
            put(item, "id", std::to_string(id));
            put(item, "name", name);
            put(item, "num_upcoming_shows", std::to_string(upcoming));
            append(list, std::move(item));
        }
        put(d, "results", std::move(list));
        send(r, "search.mustache", d);
    }

    template <class T>
    static void set_profile_fields(mustache::data& d, const T& row) {
        put(d, "id", std::to_string(row.id));
        put(d, "name", row.name);
        put(d, "city", row.city);
        put(d, "state", row.state);
        if constexpr (std::is_same_v<T, Venue>) {
            put(d, "address", row.address);
            put(d, "seeking", row.seeking_talent);
        } else {
            put(d, "seeking", row.seeking_venue);
        }
        const auto optional = [&](const char* key, const std::optional<std::string>& v) {
            if (v) {
                put(d, key, *v);
            } else {
                put(d, key, false);
            }
        };
        optional("phone", row.phone);
        optional("website", row.website);
        optional("facebook_link", row.facebook_link);
        optional("image_link", row.image_link);
        put(d, "seeking_description", row.seeking_description.value_or(""));
    }

    // /venues/<id> and /artists/<id>: the object, its genres, and its shows with the other side of
    // each, split at now — four statements however many shows there are.
    template <class T>
    void show_profile(request& r) {
        using namespace crucible;
        constexpr bool is_venue = std::is_same_v<T, Venue>;
        session_type s(engine_);
        auto object = s.template get<T>(path_id(r));
        if (!object) {
            return not_found(r, is_venue ? "This venue" : "This artist");
        }
        const auto shows_of = [] {
            if constexpr (is_venue) {
                return std::pair{venue_shows, show_artist};
            } else {
                return std::pair{artist_shows, show_venue};
            }
        }();
        const auto genres_of = [] {
            if constexpr (is_venue) {
                return venue_genres;
            } else {
                return artist_genres;
            }
        }();
        s.load(object, selectin(shows_of.first, selectin(shows_of.second)), selectin(genres_of));

        mustache::data d = base(r.session, object->name);
        set_profile_fields(d, *object);
        mustache::data genre_names = list_of_size(object.related(genres_of).size());
        for (const auto& g : object.related(genres_of)) {
            append(genre_names, mustache::data(g->name));
        }
        put(d, "genres", std::move(genre_names));

        std::vector<handle<Show>> shows(object.related(shows_of.first).begin(), object.related(shows_of.first).end());
        std::sort(shows.begin(), shows.end(), [](const handle<Show>& a, const handle<Show>& b) {
            return a->start_time != b->start_time ? a->start_time < b->start_time : a->id < b->id;
        });
        const web::timestamp at = now();
        mustache::data past = list_of_size(shows.size()), upcoming = list_of_size(shows.size());
        std::size_t past_count = 0, upcoming_count = 0;
        for (const auto& show : shows) {
            const auto other = show.related(shows_of.second);
            mustache::data item;
            put(item, "link", std::string(is_venue ? "/artists/" : "/venues/") + std::to_string(other->id));
            put(item, "name", other->name);
            if (other->image_link) {
                put(item, "image_link", *other->image_link);
            } else {
                put(item, "image_link", false);
            }
            put(item, "start_time", web::format_time(show->start_time));
            if (show->start_time > at) {
                append(upcoming, std::move(item));
                ++upcoming_count;
            } else {
                append(past, std::move(item));
                ++past_count;
            }
        }
        const auto section = [](mustache::data list, std::size_t n) {
            if (n == 0) {
                return mustache::data(false);
            }
            mustache::data holder;
            put(holder, "shows", std::move(list));
            return holder;
        };
        put(d, "upcoming", section(std::move(upcoming), upcoming_count));
        put(d, "past", section(std::move(past), past_count));
        put(d, "upcoming_shows_count", std::to_string(upcoming_count));
        put(d, "past_shows_count", std::to_string(past_count));
        put(d, "upcoming_one", upcoming_count == 1);
        put(d, "past_one", past_count == 1);
        send(r, is_venue ? "venue.mustache" : "artist.mustache", d);
    }

    // The venue or artist form: empty, pre-filled, or as posted with a message per field.
    template <class T>
    void profile_form(request& r, const forms::profile_input& in, const forms::errors& errors, int status,
                      std::int64_t id = 0) {
        constexpr bool is_venue = std::is_same_v<T, Venue>;
        const std::string kind = is_venue ? "venue" : "artist";
        mustache::data d = base(r.session, id == 0 ? "List a new " + kind : "Edit " + kind + " " + in.name);
        put(d, "action", id == 0 ? "/" + kind + "s/create" : "/" + kind + "s/" + std::to_string(id) + "/edit");
        put(d, "submit_label", id == 0 ? "Create " + kind : "Save changes");
        put(d, "is_venue", is_venue);
        put(d, "seeking_field", is_venue ? "seeking_talent" : "seeking_venue");
        put(d, "seeking_label", is_venue ? "Seeking talent" : "Seeking a venue");
        for (const auto& [key, value] :
             {std::pair<const char*, const std::string*>{"name", &in.name}, {"city", &in.city}, {"address", &in.address},
              {"phone", &in.phone}, {"image_link", &in.image_link}, {"facebook_link", &in.facebook_link},
              {"website", &in.website}, {"seeking_description", &in.seeking_description}}) {
            put(d, key, *value);
        }
        put(d, "seeking", in.seeking);
        mustache::data states = list_of_size(forms::states.size());
        for (const std::string_view code : forms::states) {
            mustache::data o;
            put(o, "code", std::string(code));
            put(o, "selected", code == in.state);
            append(states, std::move(o));
        }
        put(d, "states", std::move(states));
        mustache::data genres = list_of_size(forms::genres.size());
        for (const std::string_view name : forms::genres) {
            mustache::data o;
            put(o, "name", std::string(name));
            put(o, "checked", std::find(in.genres.begin(), in.genres.end(), name) != in.genres.end());
            append(genres, std::move(o));
        }
        put(d, "genres", std::move(genres));
        for (const auto& [field, message] : errors) {
            put(d, field + "_error", message);
        }
        put(d, "has_errors", !errors.empty());
        send(r, "profile_form.mustache", d, status);
    }

    template <class T>
    static constexpr auto genres_relation() {
        if constexpr (std::is_same_v<T, Venue>) {
            return venue_genres;
        } else {
            return artist_genres;
        }
    }

    // The session's Genre objects with these names (valid names: the form checked them).
    static std::vector<crucible::handle<Genre>> genre_objects(session_type& s, const std::vector<std::string>& names) {
        using namespace crucible;
        using crucible::select;
        return s.all(select<Genre>().where(in(col<&Genre::name>, names)).order_by(col<&Genre::id>));
    }

    template <class T>
    void create_profile(request& r) {
        constexpr bool is_venue = std::is_same_v<T, Venue>;
        const std::string kind = is_venue ? "Venue" : "Artist";
        const forms::profile_input in =
            forms::read_profile(posted_form{r.http}, is_venue, is_venue ? "seeking_talent" : "seeking_venue");
        const forms::errors errors = forms::validate(in, is_venue);
        if (!errors.empty()) {
            return profile_form<T>(r, in, errors, 400);
        }
        std::int64_t id = 0;
        try {
            const auto one_at_a_time = one_writer();
            session_type s(engine_);
            writing(s);
            T row{};
            forms::apply(in, row);
            auto object = s.add(std::move(row));
            for (const auto& g : genre_objects(s, in.genres)) {
                s.relate(object, genres_relation<T>(), g);
            }
            s.commit();
            id = object->id;
        } catch (const crucible::error& e) {
            *options_.log << "fyyur: " << kind << " not listed: " << e.what() << std::endl;
            r.session.flashes.push_back({"error", "An error occurred. " + kind + " " + in.name + " could not be listed."});
            r.session.changed = true;
            return profile_form<T>(r, in, {}, 500);
        }
        redirect(r, (is_venue ? "/venues/" : "/artists/") + std::to_string(id), "success",
                 kind + " " + in.name + " was successfully listed!");
    }

    template <class T>
    void edit_form(request& r) {
        constexpr bool is_venue = std::is_same_v<T, Venue>;
        session_type s(engine_);
        auto object = s.template get<T>(path_id(r));
        if (!object) {
            return not_found(r, is_venue ? "This venue" : "This artist");
        }
        s.load(object, crucible::selectin(genres_relation<T>()));
        std::vector<std::string> names;
        for (const auto& g : object.related(genres_relation<T>())) {
            names.push_back(g->name);
        }
        profile_form<T>(r, forms::input_of(*object, std::move(names)), {}, 200, object->id);
    }

    template <class T>
    void edit_profile(request& r) {
        constexpr bool is_venue = std::is_same_v<T, Venue>;
        const std::string kind = is_venue ? "Venue" : "Artist";
        const std::int64_t id = path_id(r);
        const forms::profile_input in =
            forms::read_profile(posted_form{r.http}, is_venue, is_venue ? "seeking_talent" : "seeking_venue");
        const forms::errors errors = forms::validate(in, is_venue);
        try {
            const auto one_at_a_time = one_writer();
            session_type s(engine_);
            writing(s);
            auto object = s.template get<T>(id);
            if (!object) {
                return not_found(r, is_venue ? "This venue" : "This artist");
            }
            if (!errors.empty()) {
                return profile_form<T>(r, in, errors, 400, id);
            }
            constexpr auto genres = genres_relation<T>();
            s.load(object, crucible::selectin(genres));
            forms::apply(in, *object);
            // The genres: links no longer chosen go, new ones come.
            const std::vector<crucible::handle<Genre>> had(object.related(genres).begin(), object.related(genres).end());
            for (const auto& g : had) {
                if (std::find(in.genres.begin(), in.genres.end(), g->name) == in.genres.end()) {
                    s.unrelate(object, genres, g);
                }
            }
            for (const auto& g : genre_objects(s, in.genres)) {
                s.relate(object, genres, g);  // nothing for a genre it has already
            }
            s.commit();
        } catch (const crucible::error& e) {
            *options_.log << "fyyur: " << kind << " not updated: " << e.what() << std::endl;
            r.session.flashes.push_back({"error", "An error occurred. " + kind + " " + in.name + " could not be updated."});
            r.session.changed = true;
            return profile_form<T>(r, in, {}, 500, id);
        }
        redirect(r, (is_venue ? "/venues/" : "/artists/") + std::to_string(id), "success",
                 kind + " " + in.name + " was successfully updated!");
    }

    // The venue goes, and with it (ON DELETE CASCADE) its shows and genre links.
    void delete_venue(request& r) {
        std::string name;
        try {
            const auto one_at_a_time = one_writer();
            session_type s(engine_);
            writing(s);
            auto venue = s.template get<Venue>(path_id(r));
            if (!venue) {
                return not_found(r, "This venue");
            }
            name = venue->name;
            s.remove(venue);
            s.commit();
        } catch (const crucible::error& e) {
            *options_.log << "fyyur: venue not deleted: " << e.what() << std::endl;
            return redirect(r, "/venues/" + std::to_string(path_id(r)), "error",
                            "An error occurred. Venue " + name + " could not be deleted.");
        }
        redirect(r, "/venues", "success", "Venue " + name + " was successfully deleted.");
    }

    // Every show, with its venue and artist: three statements.
    void shows(request& r) {
        using namespace crucible;
        using crucible::select;
        session_type s(engine_);
        const auto all = s.all(select<Show>().order_by(col<&Show::start_time>, col<&Show::id>), selectin(show_venue),
                               selectin(show_artist));
        mustache::data d = base(r.session, "Shows");
        mustache::data list = list_of_size(all.size());
        for (const auto& show : all) {
            const auto venue = show.related(show_venue);
            const auto artist = show.related(show_artist);
            mustache::data item;
            put(item, "venue_id", std::to_string(venue->id));
            put(item, "venue_name", venue->name);
            put(item, "artist_id", std::to_string(artist->id));
            put(item, "artist_name", artist->name);
            if (artist->image_link) {
                put(item, "artist_image_link", *artist->image_link);
            } else {
                put(item, "artist_image_link", false);
            }
            put(item, "start_time", web::format_time(show->start_time));
            append(list, std::move(item));
        }
        put(d, "shows", list.is_non_empty_list() ? std::move(list) : mustache::data(false));
        send(r, "shows.mustache", d);
    }

    void show_form(request& r, const forms::show_input& in, const forms::errors& errors, int status) {
        mustache::data d = base(r.session, "List a new show");
        put(d, "artist_id", in.artist_id);
        put(d, "venue_id", in.venue_id);
        put(d, "start_time", in.start_time);
        for (const auto& [field, message] : errors) {
            put(d, field + "_error", message);
        }
        put(d, "has_errors", !errors.empty());
        send(r, "show_form.mustache", d, status);
    }

    void create_show(request& r) {
        const forms::show_input in = forms::read_show(posted_form{r.http});
        forms::errors errors;
        const std::optional<forms::show_values> values = forms::validate(in, errors);
        try {
            const auto one_at_a_time = one_writer();
            session_type s(engine_);
            writing(s);
            if (values) {
                if (!s.template get<Artist>(values->artist_id)) {
                    errors["artist_id"] = "There is no artist with this id.";
                }
                if (!s.template get<Venue>(values->venue_id)) {
                    errors["venue_id"] = "There is no venue with this id.";
                }
            }
            if (!errors.empty()) {
                return show_form(r, in, errors, 400);
            }
            s.add(Show{0, values->venue_id, values->artist_id, values->start_time});
            s.commit();
        } catch (const crucible::error& e) {
            *options_.log << "fyyur: show not listed: " << e.what() << std::endl;
            r.session.flashes.push_back({"error", "An error occurred. Show could not be listed."});
            r.session.changed = true;
            return show_form(r, in, {}, 500);
        }
        redirect(r, "/shows", "success", "Show was successfully listed!");
    }

    engine_type& engine_;
    std::mutex writers_;
    web::session_signer signer_;
    site_options options_;
};

}  // namespace fyyur
