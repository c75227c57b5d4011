// fyyur over HTTP, on SQLite and PostgreSQL: every route, every validation rule, the CSRF check,
// flash messages, escaping, the 404 and 500 pages, and the number of SQL statements per page
// (constant however many shows a page lists), counted through crucible's echo hook.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "app.hpp"
#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "models.hpp"
#include "postgres_env.hpp"

namespace {

using namespace fyyur;
using crucible::col;
using crucible::count;
using crucible::select;

// A client that keeps the site's cookie, as a browser does.
class browser {
public:
    explicit browser(int port) : client_("127.0.0.1", port) {}

    httplib::Result get(const std::string& path) { return keep(client_.Get(path.c_str(), headers())); }
    httplib::Result post(const std::string& path, httplib::Params form, bool with_token = true) {
        if (with_token) {
            form.emplace("csrf_token", token());
        }
        return keep(client_.Post(path.c_str(), headers(), form));
    }
    // The token a form of the site carries now.
    std::string token() {
        const auto page = get("/shows/create");
        std::smatch m;
        static const std::regex hidden(R"re(name="csrf_token" value="([0-9a-f]+)")re");
        if (!page || !std::regex_search(page->body, m, hidden)) {
            ADD_FAILURE() << "no csrf_token on /shows/create";
            return "";
        }
        return m[1].str();
    }
    std::string cookie;

private:
    httplib::Headers headers() const {
        return cookie.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", cookie}};
    }
    httplib::Result keep(httplib::Result r) {
        if (r && r->has_header("Set-Cookie")) {
            const std::string set = r->get_header_value("Set-Cookie");
            cookie = set.substr(0, set.find(';'));
        }
        return r;
    }
    httplib::Client client_;
};

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
        ++n;
    }
    return n;
}

web::timestamp at(const char* text) { return *web::parse_time(text); }

class FyyurHttp : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgresql") {
            CRUCIBLE_NEED_POSTGRES();
            url_ = "postgresql://";
            pg_.emplace(crucible::create_engine<crucible::backend::postgres_connection>(url_));
            pg_->connect().template drop_all<ArtistGenre, VenueGenre, Show, Genre, Artist, Venue>();
        } else {
            static int n = 0;
            path_ = std::filesystem::temp_directory_path() /
                    ("fyyur_http_" + std::to_string(::getpid()) + "_" + std::to_string(++n) + ".db");
            std::filesystem::remove(path_);
            url_ = "sqlite:///" + path_.string();
            lite_.emplace(crucible::create_engine<crucible::backend::sqlite_connection>(url_));
        }
        app_options o;
        o.db = url_;
        o.secret = "test secret";
        o.log = &log_;
        o.clock = [] { return at("2026-12-01 12:00:00"); };  // between the seed's past and upcoming shows
        o.echo = [this](const crucible::echo_event& e) { statements_ += e.kind == crucible::echo_kind::statement ? 1 : 0; };
        app_ = make_app(o);
        app_->routes(server_);
        port_ = server_.bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 500 && !server_.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        b_ = std::make_unique<browser>(port_);
    }
    void TearDown() override {
        server_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
        app_.reset();
        if (pg_) {
            pg_->connect().template drop_all<ArtistGenre, VenueGenre, Show, Genre, Artist, Venue>();
        }
        lite_.reset();
        if (!path_.empty()) {
            std::filesystem::remove(path_);
        }
    }

    // A Core connection to the site's database, to check what the site wrote.
    template <class F>
    auto with_db(F f) {
        if (pg_) {
            auto db = pg_->connect();
            return f(db);
        }
        auto db = lite_->connect();
        return f(db);
    }
    std::int64_t rows_of_venues() {
        return with_db([](auto& db) { return db.scalar(select(count()).template from<Venue>()); });
    }
    std::int64_t rows_of_shows() {
        return with_db([](auto& db) { return db.scalar(select(count()).template from<Show>()); });
    }
    std::vector<std::int64_t> genre_ids_of_venue(std::int64_t id) {
        return with_db([id](auto& db) {
            std::vector<std::int64_t> out;
            for (const auto& [g] : db.all(select(col<&VenueGenre::genre_id>)
                                              .template from<VenueGenre>()
                                              .where(col<&VenueGenre::venue_id> == id)
                                              .order_by(col<&VenueGenre::genre_id>))) {
                out.push_back(g);
            }
            return out;
        });
    }
    // Statements run while serving `path`.
    std::size_t statements_for(const std::string& path) {
        statements_ = 0;
        const auto r = b_->get(path);
        EXPECT_TRUE(r && r->status == 200) << path;
        return statements_.load();
    }

    static httplib::Params venue_form() {
        return {{"name", "The Jazz Cellar"},   {"city", "Austin"},           {"state", "TX"},
                {"address", "12 Sixth Street"}, {"phone", "512-555-0100"},    {"genres", "Jazz"},
                {"genres", "Blues"},            {"website", "https://jazzcellar.example.com"},
                {"facebook_link", "https://www.facebook.com/jazzcellar"},
                {"image_link", "https://images.example.com/cellar.jpg"},
                {"seeking_talent", "y"},        {"seeking_description", "Trios, Thursdays."}};
    }
    static httplib::Params with(httplib::Params form, const std::string& key, const std::string& value) {
        form.erase(key);
        if (!value.empty()) {
            form.emplace(key, value);
        }
        return form;
    }

    std::string url_;
    std::filesystem::path path_;
    std::optional<crucible::basic_engine<crucible::backend::postgres_connection>> pg_;
    std::optional<crucible::basic_engine<crucible::backend::sqlite_connection>> lite_;
    std::ostringstream log_;
    std::atomic<std::size_t> statements_{0};
    std::unique_ptr<app> app_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::unique_ptr<browser> b_;
};

TEST_P(FyyurHttp, HomeStylesheetAndNotFound) {
    const auto home = b_->get("/");
    ASSERT_TRUE(home);
    EXPECT_EQ(home->status, 200);
    EXPECT_NE(home->body.find("List a venue"), std::string::npos);
    const auto css = b_->get("/static/fyyur.css");
    ASSERT_TRUE(css);
    EXPECT_EQ(css->status, 200);
    EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
    for (const char* missing : {"/nothing-here", "/venues/999", "/artists/999", "/venues/999/edit", "/artists/abc"}) {
        const auto r = b_->get(missing);
        ASSERT_TRUE(r) << missing;
        EXPECT_EQ(r->status, 404) << missing;
        EXPECT_NE(r->body.find("<h1>404</h1>"), std::string::npos) << missing;
    }
}

TEST_P(FyyurHttp, VenuesAreGroupedByAreaWithTheirUpcomingShows) {
    ASSERT_TRUE(app_->seed());
    EXPECT_FALSE(app_->seed());  // a second --seed leaves the data as it is
    const auto r = b_->get("/venues");
    ASSERT_TRUE(r);
    const std::string& page = r->body;
    const std::size_t sf = page.find("<h2>San Francisco, CA</h2>");
    const std::size_t ny = page.find("<h2>New York, NY</h2>");
    ASSERT_NE(sf, std::string::npos);
    ASSERT_NE(ny, std::string::npos);
    EXPECT_LT(sf, ny);  // ordered by state, then city
    EXPECT_NE(page.find(R"(<a href="/venues/3">Park Square Live Music &amp; Coffee</a> <span class="count">3 upcoming)"),
              std::string::npos);
    EXPECT_NE(page.find(R"(<a href="/venues/1">The Musical Hop</a> <span class="count">0 upcoming)"), std::string::npos);
    EXPECT_NE(page.find(R"(<a href="/venues/2">The Dueling Pianos Bar</a> <span class="count">0 upcoming)"),
              std::string::npos);
    const auto artists = b_->get("/artists");
    ASSERT_TRUE(artists);
    EXPECT_EQ(occurrences(artists->body, "<li><a href=\"/artists/"), 3u);
}

TEST_P(FyyurHttp, SearchIsCaseInsensitiveAndPartial) {
    app_->seed();
    const auto results = [&](const std::string& kind, const std::string& term) {
        const auto r = b_->post("/" + kind + "/search", {{"search_term", term}});
        EXPECT_TRUE(r && r->status == 200);
        return r ? r->body : std::string();
    };
    std::string page = results("venues", "Music");
    EXPECT_NE(page.find("Number of search results for \"Music\": 2"), std::string::npos);
    EXPECT_NE(page.find("The Musical Hop"), std::string::npos);
    EXPECT_NE(page.find("Park Square Live Music &amp; Coffee</a> <span class=\"count\">3 upcoming"), std::string::npos);
    EXPECT_NE(results("venues", "Hop").find(": 1</h2>"), std::string::npos);
    EXPECT_NE(results("venues", "mUSIC").find(": 2</h2>"), std::string::npos);
    EXPECT_NE(results("venues", "%").find(": 0</h2>"), std::string::npos);  // % is a character here
    EXPECT_NE(results("artists", "A").find(": 3</h2>"), std::string::npos);
    page = results("artists", "band");
    EXPECT_NE(page.find(": 1</h2>"), std::string::npos);
    EXPECT_NE(page.find("The Wild Sax Band</a> <span class=\"count\">3 upcoming"), std::string::npos);
}

TEST_P(FyyurHttp, DetailPagesSplitShowsAtNow) {
    app_->seed();
    std::string page = b_->get("/venues/3")->body;
    EXPECT_NE(page.find("3 Upcoming Shows"), std::string::npos);
    EXPECT_NE(page.find("1 Past Show<"), std::string::npos);
    EXPECT_NE(page.find("2035-04-01 20:00:00"), std::string::npos);
    EXPECT_LT(page.find("2035-04-01 20:00:00"), page.find("2035-04-15 20:00:00"));  // by start time
    EXPECT_LT(page.find("The Wild Sax Band"), page.find("Past Show"));
    EXPECT_GT(page.find("Matt Quevedo"), page.find("Past Show"));
    EXPECT_NE(page.find(R"(<span class="genre">Rock n Roll</span>)"), std::string::npos);
    page = b_->get("/venues/1")->body;
    EXPECT_NE(page.find("0 Upcoming Shows"), std::string::npos);
    EXPECT_NE(page.find("1 Past Show<"), std::string::npos);
    EXPECT_NE(page.find("Currently seeking talent: We are on the lookout"), std::string::npos);
    page = b_->get("/artists/3")->body;  // The Wild Sax Band
    EXPECT_NE(page.find("3 Upcoming Shows"), std::string::npos);
    EXPECT_NE(page.find("0 Past Shows"), std::string::npos);
    EXPECT_NE(page.find(R"(<a href="/venues/3">Park Square Live Music &amp; Coffee</a>)"), std::string::npos);
    const std::string shows = b_->get("/shows")->body;
    EXPECT_EQ(occurrences(shows, "<li class=\"show-card\">"), 5u);
    EXPECT_NE(shows.find(R"(<p class="billing"><a href="/artists/1">Guns N Petals</a> playing at <a href="/venues/1">The Musical Hop</a>)"),
              std::string::npos);
}

TEST_P(FyyurHttp, EachPageRunsAConstantNumberOfStatements) {
    app_->seed();
    const std::vector<std::string> pages = {"/venues", "/venues/3", "/artists/3", "/shows", "/artists"};
    std::map<std::string, std::size_t> before;
    for (const auto& p : pages) {
        before[p] = statements_for(p);
    }
    // 200 more shows at venue 3 by artist 3, half of them past.
    with_db([](auto& db) {
        std::vector<Show> more;
        for (int i = 0; i < 200; ++i) {
            more.push_back(Show{0, 3, 3, at(i % 2 ? "2030-01-01 20:00:00" : "2020-01-01 20:00:00") + std::chrono::hours(i)});
        }
        db.insert_all(more);
        return 0;
    });
    for (const auto& p : pages) {
        EXPECT_EQ(statements_for(p), before[p]) << p;
    }
    const std::string token = b_->token();
    statements_ = 0;
    EXPECT_EQ(b_->post("/artists/search", {{"search_term", "a"}, {"csrf_token", token}}, false)->status, 200);
    EXPECT_EQ(statements_.load(), 1u);  // the artists found, with their upcoming shows counted, grouped
    EXPECT_EQ(before["/venues/3"], 4u);  // the venue, its shows, their artists, its genres
    EXPECT_EQ(before["/shows"], 3u);     // the shows, their venues, their artists
    EXPECT_EQ(before["/venues"], 1u);    // the venues with their upcoming shows counted, grouped
    EXPECT_NE(b_->get("/venues/3")->body.find("103 Upcoming Shows"), std::string::npos);
}

TEST_P(FyyurHttp, APostWithoutTheSessionsCsrfTokenIsRefused) {
    const auto no_token = b_->post("/venues/create", venue_form(), false);
    ASSERT_TRUE(no_token);
    EXPECT_EQ(no_token->status, 400);
    EXPECT_NE(no_token->body.find("CSRF token"), std::string::npos);
    EXPECT_EQ(b_->post("/venues/create", with(venue_form(), "csrf_token", "0123456789abcdef0123456789abcdef"), false)->status,
              400);
    // A token of another browser's session is no good either.
    browser other(port_);
    const std::string theirs = other.token();
    EXPECT_EQ(b_->post("/venues/create", with(venue_form(), "csrf_token", theirs), false)->status, 400);
    EXPECT_EQ(b_->post("/artists/search", {{"search_term", "x"}}, false)->status, 400);
    EXPECT_EQ(b_->post("/shows/create", {{"artist_id", "1"}, {"venue_id", "1"}, {"start_time", "2030-01-01 20:00"}}, false)->status,
              400);
    // A forged cookie is a new session.
    b_->cookie = "fyyur_session=YWJj.0000";
    EXPECT_EQ(b_->post("/venues/create", with(venue_form(), "csrf_token", "abc"), false)->status, 400);
    EXPECT_EQ(rows_of_venues(), 0);
}

TEST_P(FyyurHttp, CreatingAVenueFlashesOnceAndLinksItsGenres) {
    const auto r = b_->post("/venues/create", venue_form());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 303);
    const std::string location = r->get_header_value("Location");
    ASSERT_EQ(location.rfind("/venues/", 0), 0u);
    const std::int64_t id = std::stoll(location.substr(8));
    const std::string page = b_->get(location)->body;
    EXPECT_NE(page.find("Venue The Jazz Cellar was successfully listed!"), std::string::npos);
    EXPECT_EQ(b_->get(location)->body.find("successfully listed"), std::string::npos);  // shown once
    EXPECT_NE(page.find("Currently seeking talent: Trios, Thursdays."), std::string::npos);
    EXPECT_EQ(genre_ids_of_venue(id), (std::vector<std::int64_t>{2, 11}));  // Blues, Jazz
}

TEST_P(FyyurHttp, EveryVenueFieldRuleRerendersTheFormWithAMessage) {
    struct rule {
        const char* field;
        std::string value;
        const char* message;
    };
    const std::vector<rule> rules = {
        {"name", "", "This field is required."},
        {"name", std::string(121, 'x'), "Field cannot be longer than 120 characters."},
        {"city", "", "This field is required."},
        {"address", "   ", "This field is required."},
        {"state", "", "This field is required."},
        {"state", "XX", "Not a valid choice."},
        {"phone", "5125550100", "Invalid phone number"},
        {"phone", "512-555-010a", "Invalid phone number"},
        {"website", "jazzcellar.example.com", "Invalid URL."},
        {"facebook_link", "ftp://facebook.com/x", "Invalid URL."},
        {"image_link", "https://nohost", "Invalid URL."},
        {"seeking_description", std::string(501, 'x'), "Field cannot be longer than 500 characters."},
    };
    for (const rule& r : rules) {
        const auto res = b_->post("/venues/create", with(venue_form(), r.field, r.value));
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 400) << r.field;
        const std::string id = std::string("id=\"") + r.field + "-error\">";
        const std::size_t at = res->body.find(id);
        ASSERT_NE(at, std::string::npos) << r.field << " " << r.value;
        EXPECT_EQ(res->body.compare(at + id.size(), std::string_view(r.message).size(), r.message), 0) << r.field;
        // The rest of what the user typed is kept.
        EXPECT_NE(res->body.find(r.field == std::string("name") ? "value=\"Austin\"" : "value=\"The Jazz Cellar\""),
                  std::string::npos)
            << r.field;
    }
    httplib::Params no_genres = venue_form();
    no_genres.erase("genres");
    auto res = b_->post("/venues/create", no_genres);
    EXPECT_EQ(res->status, 400);
    EXPECT_NE(res->body.find("Choose at least one genre."), std::string::npos);
    httplib::Params unknown = venue_form();
    unknown.emplace("genres", "Polka");
    res = b_->post("/venues/create", unknown);
    EXPECT_EQ(res->status, 400);
    EXPECT_NE(res->body.find("&apos;Polka&apos; is not a valid choice."), std::string::npos);
    EXPECT_NE(res->body.find(R"(value="Blues" checked)"), std::string::npos);  // the choices kept
    EXPECT_EQ(rows_of_venues(), 0);
}

TEST_P(FyyurHttp, CreatingAnArtistAndItsRules) {
    httplib::Params form = {{"name", "Nina Keys"}, {"city", "Boston"},        {"state", "MA"},
                            {"phone", "617-555-0199"}, {"genres", "Soul"}, {"seeking_venue", "y"},
                            {"seeking_description", "Looking for a home stage."}};
    auto r = b_->post("/artists/create", with(form, "state", "Massachusetts"));
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("id=\"state-error\">Not a valid choice."), std::string::npos);
    EXPECT_EQ(r->body.find("id=\"address"), std::string::npos);  // artists have no address
    r = b_->post("/artists/create", form);
    ASSERT_EQ(r->status, 303);
    const std::string page = b_->get(r->get_header_value("Location"))->body;
    EXPECT_NE(page.find("Artist Nina Keys was successfully listed!"), std::string::npos);
    EXPECT_NE(page.find("Currently seeking performance venues: Looking for a home stage."), std::string::npos);
    EXPECT_NE(page.find(R"(<span class="genre">Soul</span>)"), std::string::npos);
}

TEST_P(FyyurHttp, EditFormsArePrefilledAndSaveChanges) {
    app_->seed();
    std::string form = b_->get("/venues/1/edit")->body;
    EXPECT_NE(form.find(R"(value="The Musical Hop")"), std::string::npos);
    EXPECT_NE(form.find(R"(<option value="CA" selected>)"), std::string::npos);
    EXPECT_NE(form.find(R"(value="Jazz" checked)"), std::string::npos);
    EXPECT_NE(form.find(R"(value="Folk" checked)"), std::string::npos);
    EXPECT_EQ(form.find(R"(value="Blues" checked)"), std::string::npos);
    EXPECT_NE(form.find(R"(id="seeking_talent" name="seeking_talent" value="y" checked)"), std::string::npos);

    auto r = b_->post("/venues/1/edit", with(venue_form(), "phone", "bad"));
    EXPECT_EQ(r->status, 400);
    r = b_->post("/venues/1/edit", venue_form());
    ASSERT_EQ(r->status, 303);
    EXPECT_EQ(r->get_header_value("Location"), "/venues/1");
    std::string page = b_->get("/venues/1")->body;
    EXPECT_NE(page.find("Venue The Jazz Cellar was successfully updated!"), std::string::npos);
    EXPECT_NE(page.find("<h1>The Jazz Cellar</h1>"), std::string::npos);
    EXPECT_NE(page.find("1 Past Show<"), std::string::npos);  // its show is still its own
    EXPECT_EQ(genre_ids_of_venue(1), (std::vector<std::int64_t>{2, 11}));  // Jazz kept, Blues added, others gone

    form = b_->get("/artists/1/edit")->body;
    EXPECT_NE(form.find(R"(value="Guns N Petals")"), std::string::npos);
    EXPECT_NE(form.find(R"(value="Rock n Roll" checked)"), std::string::npos);
    r = b_->post("/artists/1/edit", {{"name", "Guns N Roses"}, {"city", "San Francisco"}, {"state", "CA"}, {"genres", "Rock n Roll"}, {"genres", "Punk"}});
    ASSERT_EQ(r->status, 303);
    page = b_->get("/artists/1")->body;
    EXPECT_NE(page.find("Artist Guns N Roses was successfully updated!"), std::string::npos);
    EXPECT_NE(page.find(R"(<span class="genre">Punk</span>)"), std::string::npos);
    EXPECT_NE(page.find("Not currently seeking performance venues"), std::string::npos);  // the unchecked box
    EXPECT_EQ(b_->post("/venues/999/edit", venue_form())->status, 404);
}

TEST_P(FyyurHttp, CreatingAShowChecksItsArtistVenueAndTime) {
    app_->seed();
    const auto error_of = [&](httplib::Params form, const char* field) {
        const auto r = b_->post("/shows/create", form);
        EXPECT_EQ(r->status, 400) << field;
        const std::string id = std::string("id=\"") + field + "-error\">";
        const std::size_t at = r->body.find(id);
        return at == std::string::npos ? std::string("(none)")
                                        : r->body.substr(at + id.size(), r->body.find('<', at + id.size()) - at - id.size());
    };
    const httplib::Params good = {{"artist_id", "2"}, {"venue_id", "2"}, {"start_time", "2030-05-01 21:00"}};
    EXPECT_EQ(error_of(with(good, "artist_id", "99"), "artist_id"), "There is no artist with this id.");
    EXPECT_EQ(error_of(with(good, "venue_id", "99"), "venue_id"), "There is no venue with this id.");
    EXPECT_EQ(error_of(with(good, "venue_id", "two"), "venue_id"), "Not a valid id.");
    EXPECT_EQ(error_of(with(good, "artist_id", ""), "artist_id"), "This field is required.");
    EXPECT_EQ(error_of(with(good, "start_time", "2030-02-30 21:00"), "start_time"),
              "Not a valid date and time: use YYYY-MM-DD HH:MM.");
    EXPECT_EQ(error_of(with(good, "start_time", "tomorrow"), "start_time"), "Not a valid date and time: use YYYY-MM-DD HH:MM.");
    EXPECT_EQ(rows_of_shows(), 5);
    const auto r = b_->post("/shows/create", with(good, "start_time", "2030-05-01T21:00"));  // as datetime-local sends it
    ASSERT_EQ(r->status, 303);
    EXPECT_EQ(r->get_header_value("Location"), "/shows");
    EXPECT_NE(b_->get("/shows")->body.find("Show was successfully listed!"), std::string::npos);
    EXPECT_EQ(rows_of_shows(), 6);
    const std::string venue = b_->get("/venues/2")->body;
    EXPECT_NE(venue.find("1 Upcoming Show<"), std::string::npos);
    EXPECT_NE(venue.find("2030-05-01 21:00:00"), std::string::npos);
    EXPECT_NE(b_->get("/artists/2")->body.find("1 Upcoming Show<"), std::string::npos);
}

TEST_P(FyyurHttp, WritesAtTheSameTimeAllSucceed) {
    app_->seed();
    std::atomic<int> created{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            browser b(port_);
            const std::string token = b.token();
            for (int i = 0; i < 25; ++i) {
                const auto r = b.post("/shows/create",
                                      {{"artist_id", std::to_string(1 + t % 3)}, {"venue_id", "2"},
                                       {"start_time", "2031-01-01 20:00"}, {"csrf_token", token}},
                                      false);
                created += r && r->status == 303;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(created.load(), 100);  // none refused with "database is locked"
    EXPECT_EQ(rows_of_shows(), 105);
    EXPECT_EQ(log_.str().find("not listed"), std::string::npos) << log_.str();
}

TEST_P(FyyurHttp, DeletingAVenueTakesItsShowsWithIt) {
    app_->seed();
    const auto r = b_->post("/venues/3/delete", {});
    ASSERT_EQ(r->status, 303);
    EXPECT_EQ(r->get_header_value("Location"), "/venues");
    const std::string list = b_->get("/venues")->body;
    EXPECT_NE(list.find("Venue Park Square Live Music &amp; Coffee was successfully deleted."), std::string::npos);
    EXPECT_EQ(list.find("/venues/3\""), std::string::npos);
    EXPECT_EQ(rows_of_shows(), 1);  // the Musical Hop's show is left
    EXPECT_TRUE(genre_ids_of_venue(3).empty());
    EXPECT_EQ(b_->get("/venues/3")->status, 404);
    EXPECT_EQ(b_->post("/venues/3/delete", {})->status, 404);
    EXPECT_NE(b_->get("/artists/3")->body.find("0 Upcoming Shows"), std::string::npos);
}

TEST_P(FyyurHttp, OutputIsEscaped) {
    auto r = b_->post("/venues/create", with(venue_form(), "name", "<script>alert('x')</script>"));
    ASSERT_EQ(r->status, 303);
    const std::string page = b_->get(r->get_header_value("Location"))->body;
    EXPECT_EQ(page.find("<script>"), std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
    r = b_->post("/venues/search", {{"search_term", "<b>"}});
    EXPECT_EQ(r->body.find("<b>"), std::string::npos);
}

TEST_P(FyyurHttp, AFailingStatementGivesThe500Page) {
    app_->seed();
    with_db([](auto& db) {
        db.execute(crucible::text("DROP TABLE \"show\""));
        return 0;
    });
    const auto r = b_->get("/shows");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_NE(r->body.find("<h1>500</h1>"), std::string::npos);
    EXPECT_NE(log_.str().find("500 on GET /shows"), std::string::npos);
    EXPECT_EQ(b_->get("/artists")->status, 200);  // the site goes on
}

INSTANTIATE_TEST_SUITE_P(Databases, FyyurHttp, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
