// Relationships through the session, written once and run on SQLite and PostgreSQL: one-to-many
// and many-to-one loaded with selectin (one query per relationship, whatever the number of
// objects, asserted through the echo hook for 10 and 1,000 parents), nested paths, loading through
// the identity map, explicit and lazy loading, self-reference, and the raise-on-unloaded default.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "crucible/orm/orm.hpp"
#include "postgres_env.hpp"
#include "test_engines.hpp"

namespace relationship_test {

// Keys given by the program (the fixtures refer to them).
struct Venue {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Venue>) {
    return crucible::table_options{crucible::table_name("rel_venues"), crucible::primary_key<&Venue::id>};
}
struct Artist {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Artist>) {
    return crucible::table_options{crucible::table_name("rel_artists"), crucible::primary_key<&Artist::id>};
}
// The association between them, with its own data (fyyur's Show).
struct Show {
    std::int64_t id;
    std::int64_t venue_id;
    std::optional<std::int64_t> artist_id;  // a show may have no artist yet
    std::string title;
};
constexpr auto crucible_table(crucible::table_tag<Show>) {
    return crucible::table_options{crucible::table_name("rel_shows"), crucible::primary_key<&Show::id>,
                                   crucible::foreign_key<&Show::venue_id, &Venue::id>,
                                   crucible::foreign_key<&Show::artist_id, &Artist::id>};
}
// A tree: two foreign keys to itself would need naming; one does not.
struct Node {
    std::int64_t id;
    std::optional<std::int64_t> parent_id;
    std::string label;
};
constexpr auto crucible_table(crucible::table_tag<Node>) {
    return crucible::table_options{crucible::table_name("rel_nodes"), crucible::primary_key<&Node::id>,
                                   crucible::foreign_key<&Node::parent_id, &Node::id>};
}

inline constexpr auto venue_shows = crucible::one_to_many<Venue, Show>;
inline constexpr auto artist_shows = crucible::one_to_many<Artist, Show>;
inline constexpr auto show_venue = crucible::many_to_one<Show, Venue>;
inline constexpr auto show_artist = crucible::many_to_one<Show, Artist>;
inline constexpr auto node_children = crucible::one_to_many<Node, Node, &Node::parent_id>;
inline constexpr auto node_parent = crucible::many_to_one<Node, Node>;

static_assert(decltype(venue_shows)::child_column == 1 && decltype(venue_shows)::parent_column == 0);
static_assert(decltype(show_artist)::child_column == 2);

using namespace crucible;
using crucible::select;
using crucible::testing::engine_factory;

template <class Backend>
class RelationshipTest : public ::testing::Test {
protected:
    void SetUp() override {
        if constexpr (std::is_same_v<Backend, backend::postgres_connection>) {
            CRUCIBLE_NEED_POSTGRES();
        }
        engine_.emplace(engine_factory<Backend>::make());
        auto db = engine_->connect();
        db.template drop_all<Show, Venue, Artist, Node>();
        db.template create_all<Show, Venue, Artist, Node>();
    }
    void TearDown() override {
        if (engine_) {
            engine_->set_echo({});
            engine_->connect().template drop_all<Show, Venue, Artist, Node>();
        }
    }

    // `venues` venues with 3 shows each, the shows' artists taken from 5 (so artists are shared).
    void fill(std::int64_t venues) {
        auto db = engine_->connect();
        auto tx = db.begin();
        std::vector<Artist> artists;
        for (std::int64_t a = 1; a <= 5; ++a) {
            artists.push_back(Artist{a, "artist " + std::to_string(a)});
        }
        std::vector<Venue> vs;
        std::vector<Show> shows;
        for (std::int64_t v = 1; v <= venues; ++v) {
            vs.push_back(Venue{v, "venue " + std::to_string(v)});
            for (std::int64_t k = 0; k < 3; ++k) {
                const std::int64_t id = v * 10 + k;
                shows.push_back(Show{id, v, k == 2 && v % 2 == 0 ? std::nullopt : std::optional<std::int64_t>(1 + id % 5),
                                     "show " + std::to_string(id)});
            }
        }
        db.execute(insert_many(artists));
        db.execute(insert_many(vs));
        db.insert_all(shows);
        tx.commit();
    }

    void count_statements() {
        statements_ = 0;
        engine_->set_echo([this](const echo_event&) { ++statements_; });
    }

    std::optional<basic_engine<Backend>> engine_;
    std::size_t statements_ = 0;
};

using Backends = ::testing::Types<backend::sqlite_connection, backend::postgres_connection>;
TYPED_TEST_SUITE(RelationshipTest, Backends);

TYPED_TEST(RelationshipTest, SelectinLoadsEachLevelInOneQuery) {
    for (const std::int64_t venues : {std::int64_t{10}, std::int64_t{1000}}) {
        this->engine_->connect().execute(delete_from<Show>().all_rows());
        this->engine_->connect().execute(delete_from<Venue>().all_rows());
        this->engine_->connect().execute(delete_from<Artist>().all_rows());
        this->fill(venues);
        crucible::session s(*this->engine_);
        this->count_statements();
        auto loaded = s.all(select<Venue>().order_by(col<&Venue::id>), selectin(venue_shows, selectin(show_artist)));
        // The venues, their shows, the shows' artists: three statements for 10 venues and for 1,000.
        EXPECT_EQ(this->statements_, 3u) << venues << " venues";
        ASSERT_EQ(loaded.size(), static_cast<std::size_t>(venues));
        std::size_t shows = 0;
        for (const auto& v : loaded) {
            auto list = v.related(venue_shows);
            ASSERT_EQ(list.size(), 3u);
            for (const auto& show : list) {
                EXPECT_EQ(show->venue_id, v->id);
                const auto artist = show.related(show_artist);
                if (show->artist_id) {
                    ASSERT_TRUE(artist);
                    EXPECT_EQ(artist->id, *show->artist_id);
                } else {
                    EXPECT_FALSE(artist);  // a NULL foreign key: no parent
                }
                ++shows;
            }
        }
        EXPECT_EQ(shows, static_cast<std::size_t>(3 * venues));
        EXPECT_EQ(this->statements_, 3u);  // reading what was loaded sends nothing
        s.commit();
        this->engine_->set_echo({});
    }
}

TYPED_TEST(RelationshipTest, LoadingGoesThroughTheIdentityMap) {
    this->fill(10);
    crucible::session s(*this->engine_);
    auto artist = s.template get<Artist>(2);
    artist->name = "renamed, not flushed";
    s.set_autoflush(false);
    auto shows = s.all(select<Show>().order_by(col<&Show::id>), selectin(show_artist), selectin(show_venue));
    std::vector<const Artist*> seen;
    for (const auto& show : shows) {
        if (const auto a = show.related(show_artist); a && a->id == 2) {
            seen.push_back(a.get());
        }
    }
    ASSERT_GT(seen.size(), 1u);
    for (const Artist* a : seen) {
        EXPECT_EQ(a, artist.get());  // one object per row, the session's own
    }
    EXPECT_EQ(artist->name, "renamed, not flushed");  // the query did not overwrite it
    // Many shows share a venue: the same object.
    EXPECT_EQ(shows[0].related(show_venue).get(), shows[1].related(show_venue).get());
    EXPECT_EQ(shows[0].related(show_venue).get(), s.template get<Venue>(1).get());
}

TYPED_TEST(RelationshipTest, TouchingAnUnloadedRelationshipIsAnErrorThatSaysHow) {
    this->fill(3);
    crucible::session s(*this->engine_);
    auto venues = s.all(select<Venue>().order_by(col<&Venue::id>));
    try {
        venues[0].related(venue_shows);
        FAIL() << "an unloaded relationship was read";
    } catch (const programming_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("rel_venues -> rel_shows"), std::string::npos) << what;
        EXPECT_NE(what.find("rel_shows.venue_id -> rel_venues.id"), std::string::npos) << what;
        EXPECT_NE(what.find("SELECT"), std::string::npos) << what;  // the query that loaded the object
        EXPECT_NE(what.find("selectin"), std::string::npos) << what;
    }

    // Explicit loading: one query for all of them.
    this->count_statements();
    s.load(venues, selectin(venue_shows));
    EXPECT_EQ(this->statements_, 1u);
    EXPECT_EQ(venues[2].related(venue_shows).size(), 3u);
    s.load(venues[0], selectin(venue_shows, selectin(show_venue)));
    EXPECT_EQ(this->statements_, 3u);
    EXPECT_EQ(venues[0].related(venue_shows)[0].related(show_venue).get(), venues[0].get());

    // Lazy loading, when the session allows it for that relationship: one query per object.
    auto artists = s.all(select<Artist>().order_by(col<&Artist::id>));
    EXPECT_THROW(artists[0].related(artist_shows), programming_error);
    s.allow_lazy(artist_shows);
    this->statements_ = 0;
    std::size_t total = 0;
    for (const auto& a : artists) {
        total += a.related(artist_shows).size();
    }
    EXPECT_EQ(this->statements_, artists.size());  // the N+1 pattern, asked for
    EXPECT_EQ(total, 8u);  // 9 shows, one without an artist
    this->statements_ = 0;
    EXPECT_EQ(artists[0].related(artist_shows).size(), artists[0].related(artist_shows).size());
    EXPECT_EQ(this->statements_, 0u);  // loaded once
}

TYPED_TEST(RelationshipTest, SelfReference) {
    crucible::session s(*this->engine_);
    s.add(Node{1, std::nullopt, "root"});
    s.add(Node{2, 1, "left"});
    s.add(Node{3, 1, "right"});
    s.add(Node{4, 3, "leaf"});
    s.commit();
    auto roots = s.all(select<Node>().where(col<&Node::parent_id> == std::nullopt),
                       selectin(node_children, selectin(node_children, selectin(node_parent))));
    ASSERT_EQ(roots.size(), 1u);
    auto children = roots[0].related(node_children);
    ASSERT_EQ(children.size(), 2u);
    EXPECT_EQ(children[0]->label, "left");
    EXPECT_TRUE(children[0].related(node_children).empty());
    auto grandchildren = children[1].related(node_children);
    ASSERT_EQ(grandchildren.size(), 1u);
    EXPECT_EQ(grandchildren[0]->label, "leaf");
    EXPECT_EQ(grandchildren[0].related(node_parent).get(), children[1].get());
}

TYPED_TEST(RelationshipTest, DetachedObjectsAndRollbackForgetRelationships) {
    this->fill(2);
    crucible::handle<Venue> kept;
    {
        crucible::session s(*this->engine_);
        auto venues = s.all(select<Venue>().order_by(col<&Venue::id>), selectin(venue_shows));
        kept = venues[0];
        EXPECT_EQ(kept.related(venue_shows).size(), 3u);
        auto list = kept.related(venue_shows);  // a list stays valid as long as it is kept
        s.rollback();
        EXPECT_THROW(kept.related(venue_shows), programming_error);  // load again after a rollback
        EXPECT_EQ(list.size(), 3u);
        s.load(kept, selectin(venue_shows));
        EXPECT_EQ(kept.related(venue_shows).size(), 3u);
    }
    try {
        kept.related(venue_shows);
        FAIL() << "a detached object's relationship was read";
    } catch (const programming_error& e) {
        EXPECT_NE(std::string(e.what()).find("detached"), std::string::npos) << e.what();
    }
}

} // namespace relationship_test
