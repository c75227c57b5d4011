// The engine end to end, written once and run on SQLite and PostgreSQL: every statement kind of
// the expression layer, typed results, text() SQL, transactions and savepoints, bulk inserts,
// create_all/drop_all, the echo hook, and errors that leave the connection usable.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <list>
#include <atomic>
#include <cstdio>
#include <thread>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/sqlite.hpp"
#include "postgres_env.hpp"
#include "test_engines.hpp"

namespace engine_test {

struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};
constexpr auto crucible_table(crucible::table_tag<Artist>) {
    return crucible::table_options{crucible::table_name("engine_artists"), crucible::unique<&Artist::name>};
}

struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
    std::int32_t year;
};
constexpr auto crucible_table(crucible::table_tag<Album>) {
    return crucible::table_options{
        crucible::table_name("engine_albums"),
        crucible::foreign_key<&Album::artist_id, &Artist::id>.on_delete(crucible::fk_action::cascade),
        crucible::check<"\"year\" > 1900">};
}

// Reserved words as table and column names.
struct order {
    std::int64_t id;
    std::string select;
    std::int64_t group;
};

// One column of every value type, for round trips through the schema's own DDL.
enum class Mood : std::int16_t { calm = -3, busy = 7 };
using micros = std::chrono::sys_time<std::chrono::microseconds>;
struct Sample {
    std::int64_t id;
    bool flag;
    std::int64_t big;
    std::uint32_t u32;
    float f;
    double d;
    std::string s;
    std::vector<std::byte> bytes;
    micros at;
    Mood mood;
    std::optional<double> od;
    std::optional<std::string> os;
    std::optional<std::vector<std::byte>> obytes;
    std::optional<micros> oat;
    std::optional<Mood> omood;
};

struct Counter {
    std::int64_t n;
};

struct NameAndYear {
    std::string name;
    std::int32_t year;
};
// The same columns read wider: an INTEGER year into int64_t, a NOT NULL name into an optional.
struct WideNameAndYear {
    std::optional<std::string> name;
    std::int64_t year;
};

using namespace crucible;
using crucible::select;  // not POSIX select(2) from <sys/select.h>

using crucible::testing::engine_factory;

template <class Backend>
class EngineTest : public ::testing::Test {
protected:
    using engine_type = basic_engine<Backend>;

    void SetUp() override {
        if constexpr (std::is_same_v<Backend, backend::postgres_connection>) {
            CRUCIBLE_NEED_POSTGRES();
        }
        engine_.emplace(engine_factory<Backend>::make());
        auto db = engine_->connect();
        db.template drop_all<Album, Artist, order>();
        db.template create_all<Album, Artist, order>();  // given out of order on purpose
    }
    void TearDown() override {
        if (engine_) {
            engine_->connect().template drop_all<Album, Artist, order>();
        }
    }

    std::int64_t add_artist(basic_connection<Backend>& db, std::string name, std::optional<std::string> city) {
        return std::get<0>(db.one(insert(Artist{0, std::move(name), std::move(city)}).returning(col<&Artist::id>)));
    }

    std::optional<engine_type> engine_;
};

using Backends = ::testing::Types<backend::sqlite_connection, backend::postgres_connection>;
TYPED_TEST_SUITE(EngineTest, Backends);

TYPED_TEST(EngineTest, InsertSelectUpdateDelete) {
    auto db = this->engine_->connect();
    const auto nina = this->add_artist(db, "Nina", "Oslo");
    const auto omar = this->add_artist(db, "Omar", std::nullopt);
    EXPECT_NE(nina, omar);
    EXPECT_EQ(db.execute(insert_into<Artist>.values(col<&Artist::name> = "Pia")), 1);

    const std::vector<Artist> all = db.all(select<Artist>().order_by(col<&Artist::id>));
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].name, "Nina");
    EXPECT_EQ(all[0].city, std::optional<std::string>("Oslo"));
    EXPECT_EQ(all[1].city, std::nullopt);

    const auto names = db.all(select(col<&Artist::name>, col<&Artist::city>)
                                  .template from<Artist>()
                                  .where(col<&Artist::city> != std::nullopt)
                                  .order_by(desc(col<&Artist::name>)));
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(std::get<0>(names[0]), "Nina");

    EXPECT_EQ(db.execute(update<Artist>().set(col<&Artist::city> = "Rome").where(col<&Artist::city> == std::nullopt)), 2);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(col<&Artist::city> == "Rome")), 2);
    EXPECT_EQ(db.execute(delete_from<Artist>().where(col<&Artist::name> == "Pia")), 1);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 2);
    EXPECT_EQ(db.execute(delete_from<Artist>().all_rows()), 2);

    // insert_view binds the caller's row in place; the key comes back through RETURNING.
    const Artist kept{0, std::string(40, 'q'), "Lima"};
    const auto [id] = db.one(insert_view(kept).returning(col<&Artist::id>));
    const auto back = db.one(select<Artist>().where(col<&Artist::id> == id));
    EXPECT_EQ(back.name, kept.name);
    EXPECT_EQ(back.city, kept.city);
}

TYPED_TEST(EngineTest, LikeEscapedMatchesUserInputLiterally) {
    auto db = this->engine_->connect();
    for (const char* name : {"100% Pure", "1000 Pure", "a_b", "axb", "back\\slash"}) {
        this->add_artist(db, name, std::nullopt);
    }
    const auto matching = [&](const std::string& term) {
        std::vector<std::string> out;
        for (const auto& [name] : db.all(select(col<&Artist::name>)
                                             .template from<Artist>()
                                             .where(like_escaped(lower(col<&Artist::name>), "%" + escape_like(term) + "%"))
                                             .order_by(col<&Artist::name>))) {
            out.push_back(name);
        }
        return out;
    };
    EXPECT_EQ(matching("0%"), (std::vector<std::string>{"100% Pure"}));  // not "1000 Pure"
    EXPECT_EQ(matching("_"), (std::vector<std::string>{"a_b"}));         // not every name
    EXPECT_EQ(matching("k\\s"), (std::vector<std::string>{"back\\slash"}));
    EXPECT_EQ(matching("pure").size(), 2u);                              // lower() on both sides
    EXPECT_EQ(escape_like("50%_\\"), "50\\%\\_\\\\");
}

TYPED_TEST(EngineTest, NotInTakesABracedListOrASubqueryLikeIn) {
    auto db = this->engine_->connect();
    const auto a = this->add_artist(db, "Ann", std::nullopt);
    const auto b = this->add_artist(db, "Bo", std::nullopt);
    const auto c = this->add_artist(db, "Cy", std::nullopt);
    db.execute(insert(Album{0, a, "First", 1990}));
    const auto names = [&](const auto& query) {
        std::vector<std::string> out;
        for (const auto& [name] : db.all(query)) {
            out.push_back(name);
        }
        return out;
    };
    const auto artists = select(col<&Artist::name>).template from<Artist>();
    EXPECT_EQ(names(artists.where(not_in(col<&Artist::id>, {a, b})).order_by(col<&Artist::name>)),
              (std::vector<std::string>{"Cy"}));
    EXPECT_EQ(names(artists.where(in(col<&Artist::id>, {a, c})).order_by(col<&Artist::name>)),
              (std::vector<std::string>{"Ann", "Cy"}));
    // OFFSET without LIMIT runs on both (SQLite is given LIMIT -1).
    EXPECT_EQ(names(artists.order_by(col<&Artist::name>).offset(1)), (std::vector<std::string>{"Bo", "Cy"}));
    const auto with_albums = select(col<&Album::artist_id>).template from<Album>();
    EXPECT_EQ(names(artists.where(not_in(col<&Artist::id>, with_albums)).order_by(col<&Artist::name>)),
              (std::vector<std::string>{"Bo", "Cy"}));
    EXPECT_EQ(names(artists.where(in(col<&Artist::id>, with_albums))), (std::vector<std::string>{"Ann"}));
}

TYPED_TEST(EngineTest, EveryColumnTypeRoundTripsThroughTheSchema) {
    auto db = this->engine_->connect();
    db.template drop_all<Sample>();
    db.template create_all<Sample>();
    using std::chrono::microseconds;
    const micros at{microseconds{1'700'000'000'123'456}};
    std::vector<Sample> in;
    const std::string nasty("it's; DROP TABLE x; -- \"q\" \\ h\xC3\xA9llo \xF0\x9F\x8E\x89");
    for (double d : {-0.0, 0.1, 1e308, -1e308, 4.9e-324, 1.0 / 3.0, std::numeric_limits<double>::infinity()}) {
        in.push_back(Sample{0, true, std::numeric_limits<std::int64_t>::min(), 4'294'967'295u, -0.0f, d, nasty,
                            {std::byte{0}, std::byte{255}, std::byte{0}}, at, Mood::calm, d, std::string(),
                            std::vector<std::byte>{}, at - microseconds{1}, Mood::busy});
    }
    in.push_back(Sample{0, false, std::numeric_limits<std::int64_t>::max(), 0u, 0.1f, 0.0, "", {}, micros{},
                        Mood::busy, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    EXPECT_EQ(db.insert_all(in), in.size());

    const auto out = db.all(select<Sample>().order_by(col<&Sample::id>));
    ASSERT_EQ(out.size(), in.size());
    const auto same_bits = [](auto a, auto b) { return std::memcmp(&a, &b, sizeof a) == 0; };
    for (std::size_t i = 0; i < in.size(); ++i) {
        SCOPED_TRACE(i);
        const Sample& want = in[i];
        const Sample& got = out[i];
        EXPECT_EQ(got.flag, want.flag);
        EXPECT_EQ(got.big, want.big);
        EXPECT_EQ(got.u32, want.u32);
        EXPECT_TRUE(same_bits(got.f, want.f)) << got.f;
        EXPECT_TRUE(same_bits(got.d, want.d)) << got.d;  // -0.0 keeps its sign on both databases
        EXPECT_EQ(got.s, want.s);
        EXPECT_EQ(got.bytes, want.bytes);
        EXPECT_EQ(got.at, want.at);
        EXPECT_EQ(got.mood, want.mood);
        ASSERT_EQ(got.od.has_value(), want.od.has_value());
        if (want.od) {
            EXPECT_TRUE(same_bits(*got.od, *want.od));
        }
        EXPECT_EQ(got.os, want.os);
        EXPECT_EQ(got.obytes, want.obytes);
        EXPECT_EQ(got.oat, want.oat);
        EXPECT_EQ(got.omood, want.omood);
    }
    // A filter on a float column compares numbers, whatever the column's declared type.
    EXPECT_EQ(db.scalar(select(count()).template from<Sample>().where(col<&Sample::d> == 0.0)), 2);
    EXPECT_EQ(db.scalar(select(count()).template from<Sample>().where(col<&Sample::d> > 1e300)), 2);
    db.template drop_all<Sample>();
}

TYPED_TEST(EngineTest, OneFirstScalarAndStream) {
    auto db = this->engine_->connect();
    this->add_artist(db, "A", "x");
    this->add_artist(db, "B", "x");
    EXPECT_THROW(db.one(select<Artist>()), programming_error);
    EXPECT_THROW(db.one(select<Artist>().where(col<&Artist::name> == "none")), programming_error);
    EXPECT_FALSE(db.one_or_none(select<Artist>().where(col<&Artist::name> == "none")).has_value());
    EXPECT_EQ(db.one(select<Artist>().where(col<&Artist::name> == "B")).name, "B");
    EXPECT_EQ(db.first(select<Artist>().order_by(desc(col<&Artist::name>)))->name, "B");
    EXPECT_EQ(db.scalar(select(max(col<&Artist::name>)).template from<Artist>()), std::optional<std::string>("B"));
    std::vector<std::string> seen;
    for (const Artist& a : db.stream(select<Artist>().order_by(col<&Artist::name>))) {
        seen.push_back(a.name);
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"A", "B"}));
}

TYPED_TEST(EngineTest, JoinsAggregatesSubqueriesUnionCte) {
    auto db = this->engine_->connect();
    const auto a = this->add_artist(db, "Ann", "Oslo");
    const auto b = this->add_artist(db, "Bo", std::nullopt);
    db.execute(insert(Album{0, a, "First", 1990}));
    db.execute(insert(Album{0, a, "Second", 1995}));

    auto joined = db.all(select(all_of<Artist>, all_of<Album>)
                             .template from<Artist>()
                             .template left_join<Album>(col<&Album::artist_id> == col<&Artist::id>)
                             .order_by(col<&Artist::id>, col<&Album::year>));
    ASSERT_EQ(joined.size(), 3u);
    EXPECT_EQ(std::get<1>(joined[0])->title, "First");
    EXPECT_EQ(std::get<0>(joined[2]).id, b);
    EXPECT_FALSE(std::get<1>(joined[2]).has_value()) << "the left-joined side is absent";

    auto per_artist = db.all(select(col<&Artist::name>, as<"albums">(count(col<&Album::id>)), avg(col<&Album::year>))
                                 .template from<Artist>()
                                 .template join<Album>(col<&Album::artist_id> == col<&Artist::id>)
                                 .group_by(col<&Artist::name>)
                                 .having(count(col<&Album::id>) > 1));
    ASSERT_EQ(per_artist.size(), 1u);
    EXPECT_EQ(std::get<1>(per_artist[0]), 2);
    EXPECT_DOUBLE_EQ(*std::get<2>(per_artist[0]), 1992.5);

    // Grouped by the key, the other columns of its table come along (PostgreSQL checks it too).
    auto by_key = db.all(select(col<&Artist::id>, col<&Artist::name>, count(col<&Album::id>))
                             .template from<Artist>()
                             .template left_join<Album>(col<&Album::artist_id> == col<&Artist::id>)
                             .group_by(col<&Artist::id>)
                             .order_by(col<&Artist::name>));
    ASSERT_EQ(by_key.size(), 2u);
    EXPECT_EQ(std::get<1>(by_key[0]), "Ann");
    EXPECT_EQ(std::get<2>(by_key[0]), 2);
    EXPECT_EQ(std::get<2>(by_key[1]), 0);  // Bo, no albums

    auto as_struct = db.all(select(col<&Artist::name>, col<&Album::year>)
                                .template from<Album>()
                                .template join<Artist>(col<&Artist::id> == col<&Album::artist_id>)
                                .where(col<&Album::year> > 1991)
                                .template as<NameAndYear>());
    ASSERT_EQ(as_struct.size(), 1u);
    EXPECT_EQ(as_struct[0].year, 1995);
    auto wide = db.all(select(col<&Artist::name>, col<&Album::year>)
                           .template from<Album>()
                           .template join<Artist>(col<&Artist::id> == col<&Album::artist_id>)
                           .order_by(col<&Album::year>)
                           .template as<WideNameAndYear>());
    ASSERT_EQ(wide.size(), 2u);
    EXPECT_EQ(wide[1].name, std::optional<std::string>("Ann"));
    EXPECT_EQ(wide[1].year, std::int64_t{1995});

    auto with_albums = db.all(select(col<&Artist::name>)
                                  .template from<Artist>()
                                  .where(exists(select(col<&Album::id>).template from<Album>().where(col<&Album::artist_id> ==
                                                                                            col<&Artist::id>))));
    ASSERT_EQ(with_albums.size(), 1u);
    EXPECT_EQ(std::get<0>(with_albums[0]), "Ann");

    auto in_sub = db.all(select(col<&Artist::name>)
                             .template from<Artist>()
                             .where(in(col<&Artist::id>, select(col<&Album::artist_id>).template from<Album>())));
    EXPECT_EQ(in_sub.size(), 1u);
    auto in_list = db.all(select(col<&Artist::name>).template from<Artist>().where(in(col<&Artist::id>, std::vector{a, b})));
    EXPECT_EQ(in_list.size(), 2u);
    auto in_empty = db.all(select(col<&Artist::name>).template from<Artist>().where(in(col<&Artist::id>, std::vector<std::int64_t>{})));
    EXPECT_TRUE(in_empty.empty());

    auto latest = db.scalar(select(col<&Artist::name>)
                                .template from<Artist>()
                                .where(col<&Artist::id> == subquery(select(max(col<&Album::artist_id>)).template from<Album>())));
    EXPECT_EQ(latest, "Ann");

    auto both = db.all(union_(select(col<&Artist::name>).template from<Artist>(), select(col<&Album::title>).template from<Album>()));
    EXPECT_EQ(both.size(), 4u);

    auto numbers = db.all(with_recursive(cte<Counter>(union_all(
        select(as<"n">(cast<std::int64_t>(col<&Artist::id> - col<&Artist::id> + 1))).template from<Artist>().where(col<&Artist::id> == a),
        select(col<&Counter::n> + std::int64_t{1}).template from<Counter>().where(col<&Counter::n> < std::int64_t{5}))))(
        select<Counter>().order_by(col<&Counter::n>)));
    ASSERT_EQ(numbers.size(), 5u);
    EXPECT_EQ(numbers[4].n, 5);
}

TYPED_TEST(EngineTest, UpsertAndReturning) {
    auto db = this->engine_->connect();
    this->add_artist(db, "Nina", "Oslo");
    EXPECT_EQ(db.execute(insert(Artist{0, "Nina", "Paris"}).template on_conflict<&Artist::name>().do_nothing()), 0);
    db.execute(insert(Artist{0, "Nina", "Paris"})
                   .template on_conflict<&Artist::name>()
                   .do_update(col<&Artist::city> = excluded(col<&Artist::city>)));
    EXPECT_EQ(db.one(select<Artist>()).city, std::optional<std::string>("Paris"));
    auto renamed = db.all(update<Artist>().set(col<&Artist::name> = "Nina S.").where(col<&Artist::name> == "Nina")
                              .returning(col<&Artist::name>));
    ASSERT_EQ(renamed.size(), 1u);
    EXPECT_EQ(std::get<0>(renamed[0]), "Nina S.");
}

TYPED_TEST(EngineTest, DynamicFilterAndText) {
    auto db = this->engine_->connect();
    this->add_artist(db, "Ann", "Oslo");
    this->add_artist(db, "Bo", "Rome");
    std::optional<std::string> city = "Rome";
    dynamic_filter<Artist> filter;
    if (city) {
        filter.add(col<&Artist::city> == *city);
    }
    auto found = db.all(select<Artist>().where(filter));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].name, "Bo");
    EXPECT_EQ(db.all(select<Artist>().where(dynamic_filter<Artist>{})).size(), 2u) << "an empty filter is true";
    // A filter for one database may hold what only that database has (ILIKE on PostgreSQL).
    using dialect = typename basic_engine<TypeParam>::dialect;
    dynamic_filter_for<dialect, Artist> own;
    if constexpr (std::is_same_v<dialect, crucible::dialect::postgres>) {
        own.add(ilike(col<&Artist::name>, "ann"));
    } else {
        own.add(like(lower(col<&Artist::name>), "ann"));
    }
    const auto ann = db.all(select<Artist>().where(own));
    ASSERT_EQ(ann.size(), 1u);
    EXPECT_EQ(ann[0].name, "Ann");

    auto rows = db.template all<std::tuple<std::string, std::optional<std::string>>>(
        text("SELECT name, city FROM engine_artists WHERE name = :name OR city = :name ORDER BY name").bind("name", "Ann"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(std::get<1>(rows[0]), std::optional<std::string>("Oslo"));
    auto as_struct = db.template all<Artist>(text("SELECT id, name, city FROM engine_artists WHERE city = :c").bind("c", "Rome"));
    ASSERT_EQ(as_struct.size(), 1u);
    EXPECT_EQ(as_struct[0].name, "Bo");
    EXPECT_EQ(db.execute(text("UPDATE engine_artists SET city = :c WHERE name = :n").bind("c", "Bern").bind("n", "Bo")), 1);
    EXPECT_THROW(db.execute(text("DELETE FROM engine_artists WHERE name = :n")), programming_error) << "unbound :n";
    EXPECT_THROW(text("SELECT 1").bind("x", 1), programming_error);
}

TYPED_TEST(EngineTest, TransactionsAndSavepoints) {
    auto db = this->engine_->connect();
    {
        auto tx = db.begin();
        this->add_artist(db, "kept", std::nullopt);
        tx.commit();
    }
    {
        auto tx = db.begin();
        this->add_artist(db, "rolled back", std::nullopt);
    }  // destroyed without commit
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 1);
    try {
        auto tx = db.begin();
        this->add_artist(db, "unwound", std::nullopt);
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 1);
    {
        auto outer = db.begin();
        this->add_artist(db, "outer", std::nullopt);
        {
            auto inner = db.begin();
            EXPECT_TRUE(inner.is_savepoint());
            this->add_artist(db, "inner", std::nullopt);
        }
        outer.commit();
    }
    const auto names = db.all(select(col<&Artist::name>).template from<Artist>().order_by(col<&Artist::name>));
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(std::get<0>(names[0]), "kept");
    EXPECT_EQ(std::get<0>(names[1]), "outer");
}

TYPED_TEST(EngineTest, ErrorsLeaveConnectionAndDataIntact) {
    auto db = this->engine_->connect();
    this->add_artist(db, "Nina", "Oslo");
    EXPECT_THROW(this->add_artist(db, "Nina", "dup"), integrity_error);
    EXPECT_THROW(db.execute(insert(Album{0, 999, "orphan", 2000})), integrity_error);
    EXPECT_THROW(db.execute(insert(Album{0, 1, "too old", 1800})), integrity_error);
    EXPECT_THROW(db.execute(text("SELEC nothing")), programming_error);
    EXPECT_THROW(db.execute(text("SELECT * FROM no_such_table")), programming_error);
    {
        auto tx = db.begin();
        this->add_artist(db, "in tx", std::nullopt);
        {
            auto sp = db.begin();
            EXPECT_THROW(this->add_artist(db, "Nina", "dup"), integrity_error);
        }  // the savepoint rolls back the failed statement; the transaction goes on
        this->add_artist(db, "after error", std::nullopt);
        tx.commit();
    }
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 3);
    EXPECT_EQ(db.one(select<Artist>().where(col<&Artist::name> == "Nina")).city, std::optional<std::string>("Oslo"));
    try {
        db.execute(text("INSERT INTO engine_artists (name) VALUES (:n)").bind("n", "Nina"));
        FAIL() << "expected integrity_error";
    } catch (const integrity_error& e) {
        EXPECT_NE(e.sql().find("INSERT INTO engine_artists"), std::string::npos);
        EXPECT_FALSE(e.driver_message().empty());
    }
}

TYPED_TEST(EngineTest, ExecuteBatchRunsOneStatementPerItem) {
    auto db = this->engine_->connect();
    std::vector<Artist> artists;
    for (int i = 0; i < 1200; ++i) {  // more than one pipeline on PostgreSQL (500 each)
        artists.push_back(Artist{0, "artist " + std::to_string(i), std::nullopt});
    }
    db.insert_all(artists);
    artists = db.all(select<Artist>().order_by(col<&Artist::id>));
    ASSERT_EQ(artists.size(), 1200u);
    std::vector<std::size_t> executions;
    this->engine_->set_echo([&](const echo_event& e) {
        if (e.kind == echo_kind::statement) {
            executions.push_back(e.executions);
        }
    });
    std::vector<std::int64_t> ids;
    for (const Artist& a : artists) {
        ids.push_back(a.id);
    }
    ids.push_back(-1);  // matches no row
    const auto rename = [](const std::int64_t& id) {
        return update<Artist>().set(col<&Artist::city> = "Lagos").where(col<&Artist::id> == id);
    };
    auto affected = db.execute_batch(ids, rename);
    this->engine_->set_echo({});
    ASSERT_EQ(affected.size(), 1201u);
    EXPECT_EQ(std::count(affected.begin(), affected.end() - 1, 1), 1200);
    EXPECT_EQ(affected.back(), 0);
    EXPECT_EQ(executions, std::vector<std::size_t>{1201});  // one echo event for the batch
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(col<&Artist::city> == "Lagos")), 1200);

    // The 700th renames a row to a name another row has: its error, its index, and inside a
    // transaction nothing of the batch is kept after the rollback. Then the connection goes on.
    std::vector<std::pair<std::int64_t, std::string>> renames;
    for (std::size_t i = 0; i < 1000; ++i) {
        renames.emplace_back(artists[i].id, i == 700 ? std::string("artist 1100") : "renamed " + std::to_string(i));
    }
    const auto rename_to = [](const std::pair<std::int64_t, std::string>& r) {
        return update<Artist>().set(col<&Artist::name> = r.second).where(col<&Artist::id> == r.first);
    };
    std::size_t failed_at = 0;
    {
        auto tx = db.begin();
        EXPECT_THROW(db.execute_batch(renames, rename_to, &failed_at), integrity_error);
    }
    EXPECT_EQ(failed_at, 700u);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(like(col<&Artist::name>, "renamed %"))), 0);
    // Outside a transaction the batch is all or nothing too (its own transaction).
    failed_at = 0;
    EXPECT_THROW(db.execute_batch(renames, rename_to, &failed_at), integrity_error);
    EXPECT_EQ(failed_at, 700u);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(like(col<&Artist::name>, "renamed %"))), 0);
    EXPECT_FALSE(db.in_transaction());
    renames[700].second = "renamed 700";
    EXPECT_EQ(db.execute_batch(renames, rename_to), std::vector<std::int64_t>(1000, 1));
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(like(col<&Artist::name>, "renamed %"))), 1000);

    // A value refused while it is bound, before it is sent (an unsigned key beyond int64), stops
    // the batch at that item: its index, a data_error, and the connection stays usable (on
    // PostgreSQL, out of pipeline mode after the executions already sent were read).
    std::vector<std::uint64_t> unsigned_ids(10, 1);
    unsigned_ids[3] = std::numeric_limits<std::uint64_t>::max();
    const auto by_unsigned = [](const std::uint64_t& id) {
        return update<Artist>().set(col<&Artist::city> = "Accra").where(col<&Artist::id> == id);
    };
    failed_at = 0;
    {
        auto tx = db.begin();
        EXPECT_THROW(db.execute_batch(unsigned_ids, by_unsigned, &failed_at), data_error);
    }
    EXPECT_EQ(failed_at, 3u);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(col<&Artist::city> == "Accra")), 0);
    unsigned_ids[3] = 2;
    EXPECT_EQ(db.execute_batch(unsigned_ids, by_unsigned), std::vector<std::int64_t>(10, 1));
    const std::vector<std::int64_t> none;
    EXPECT_TRUE(db.execute_batch(none, rename).empty());
}

TYPED_TEST(EngineTest, BulkInsertInChunksAndCascade) {
    auto db = this->engine_->connect();
    std::vector<Artist> many;
    for (int i = 0; i < 2500; ++i) {
        many.push_back({0, "artist " + std::to_string(i), i % 2 ? std::optional<std::string>("odd") : std::nullopt});
    }
    EXPECT_EQ(db.insert_all(many, 1000), 2500);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(col<&Artist::city> == "odd")), 1250);
    const auto first = db.one(select<Artist>().where(col<&Artist::name> == "artist 0"));
    db.execute(insert(Album{0, first.id, "gone with the artist", 2001}));
    db.execute(delete_from<Artist>().where(col<&Artist::id> == first.id));
    EXPECT_EQ(db.scalar(select(count()).template from<Album>()), 0) << "ON DELETE CASCADE";
}

TYPED_TEST(EngineTest, ReservedWordsAndEcho) {
    std::ostringstream log;
    this->engine_->set_echo(echo_to(log));
    auto db = this->engine_->connect();
    db.execute(insert(order{0, "from", 7}));
    const auto row = db.one(select<order>().where(col<&order::group> == 7));
    EXPECT_EQ(row.select, "from");
    EXPECT_EQ(db.template all<std::tuple<std::int64_t>>(
                    text("SELECT \"group\" FROM \"order\" WHERE \"select\" = :s AND \"group\" > :g OR \"select\" = :s")
                        .bind("s", std::string("from"))
                        .bind("g", std::int64_t{0})),
              (std::vector<std::tuple<std::int64_t>>{{7}}));
    // One line per statement, each with the number of values bound.
    const auto line_with = [&](std::string_view part) {
        std::istringstream lines(log.str());
        for (std::string line; std::getline(lines, line);) {
            if (line.find(part) != std::string::npos) {
                return line;
            }
        }
        return std::string("(no line with ") + std::string(part) + ")";
    };
    EXPECT_NE(line_with("INSERT INTO \"order\"").find("2 parameter(s)"), std::string::npos) << log.str();
    EXPECT_NE(line_with("WHERE (\"order\".\"group\"").find("1 parameter(s)"), std::string::npos) << log.str();
    EXPECT_NE(line_with("\"group\" > ").find("2 parameter(s)"), std::string::npos) << log.str();
    EXPECT_EQ(log.str().find("from\""), std::string::npos) << "values are not echoed";
    this->engine_->set_echo({});
}

// The echo hook's event kinds: transaction commands, failures with their error (and the
// transaction left as it was), and echo_to's one-line form of a long multi-row VALUES.
TYPED_TEST(EngineTest, EchoReportsTransactionsFailuresAndKinds) {
    std::vector<std::pair<echo_kind, std::string>> events;
    std::string failure;
    this->engine_->set_echo([&](const echo_event& e) {
        events.emplace_back(e.kind, std::string(e.sql));
        if (e.kind == echo_kind::failed) {
            failure = std::string(e.error);
        }
    });
    auto db = this->engine_->connect();
    {
        auto tx = db.begin();
        db.execute(insert(Artist{0, "Echo", std::nullopt}));
        {
            auto inner = db.begin();  // a savepoint
            EXPECT_THROW(db.execute(insert(Artist{0, "Echo", std::nullopt})), integrity_error);
            inner.rollback();
        }
        tx.commit();
    }
    this->engine_->set_echo({});
    const auto kinds = [&](echo_kind kind) {
        std::vector<std::string> out;
        for (const auto& [k, sql] : events) {
            if (k == kind) {
                out.push_back(sql);
            }
        }
        return out;
    };
    EXPECT_EQ(kinds(echo_kind::transaction),
              (std::vector<std::string>{"BEGIN", "SAVEPOINT crucible_sp_1",
                                        "ROLLBACK TO SAVEPOINT crucible_sp_1; RELEASE SAVEPOINT crucible_sp_1", "COMMIT"}));
    ASSERT_EQ(kinds(echo_kind::failed).size(), 1U);
    EXPECT_TRUE(kinds(echo_kind::failed)[0].starts_with("INSERT INTO \"engine_artists\"")) << kinds(echo_kind::failed)[0];
    EXPECT_FALSE(failure.empty());
    EXPECT_EQ(kinds(echo_kind::statement).size(), 1U) << "the INSERT that succeeded";
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(col<&Artist::name> == "Echo")), 1)
        << "the savepoint's failure left the transaction's first INSERT";

    // echo_to: "FAILED" and the error; a 5-row VALUES as its first and last rows and the count.
    std::ostringstream log;
    this->engine_->set_echo(echo_to(log));
    EXPECT_THROW(db.execute(insert(Artist{0, "Echo", std::nullopt})), integrity_error);
    std::vector<Artist> five;
    for (int i = 0; i < 5; ++i) {
        five.push_back({0, "five " + std::to_string(i), std::nullopt});
    }
    db.execute(insert_many(five));
    this->engine_->set_echo({});
    const std::string text = log.str();
    EXPECT_NE(text.find("[crucible] FAILED INSERT INTO \"engine_artists\""), std::string::npos) << text;
    EXPECT_NE(text.find(": " + failure.substr(0, 10)), std::string::npos) << text;
    EXPECT_NE(text.find(", ... "), std::string::npos) << text;
    EXPECT_NE(text.find("/* 5 rows */"), std::string::npos) << text;
    EXPECT_EQ(text.find("), (?"), std::string::npos) << "the middle rows are left out: " << text;
    EXPECT_EQ(text.find("), ($"), std::string::npos) << "the middle rows are left out: " << text;
    EXPECT_TRUE(text.find(" ns\n") != std::string::npos || text.find(" \u00b5s\n") != std::string::npos ||
                text.find(" ms\n") != std::string::npos)
        << text;
}

TYPED_TEST(EngineTest, PreparedOncePerStatementType) {
    auto db = this->engine_->connect();
    this->add_artist(db, "Ann", "Oslo");
    auto lookup = [&](const std::string& name) {
        return db.one_or_none(select<Artist>().where(col<&Artist::name> == name));
    };
    lookup("Ann");
    const auto prepared = db.native().prepare_count();
    for (int i = 0; i < 50; ++i) {
        lookup(i % 2 ? "Ann" : "nobody");
    }
    EXPECT_EQ(db.native().prepare_count(), prepared);
}

TYPED_TEST(EngineTest, InsertAllPreparesItsFullChunkOnce) {
    auto db = this->engine_->connect();
    auto artists = [](int count, const std::string& prefix) {
        std::vector<Artist> rows;
        for (int i = 0; i < count; ++i) {
            rows.push_back({0, prefix + std::to_string(i), i % 2 ? std::optional<std::string>("x") : std::nullopt});
        }
        return rows;
    };
    EXPECT_EQ(db.insert_all(artists(7, "a"), 3), 7);  // chunks of 3, 3 and 1 rows
    // More distinct run-time texts than a connection's text cache keeps: the full chunk's
    // statement must not be one of them, or it would be evicted and prepared again.
    for (int i = 0; i < 200; ++i) {
        db.execute(text("SELECT " + std::to_string(i)));
    }
    const auto prepared = db.native().prepare_count();
    EXPECT_EQ(db.insert_all(artists(6, "b"), 3), 6);  // two full chunks
    EXPECT_EQ(db.native().prepare_count(), prepared);
    EXPECT_EQ(db.insert_all(std::list<Artist>{{0, "c0", "y"}, {0, "c1", std::nullopt}, {0, "c2", "y"}}, 3), 3);
    EXPECT_EQ(db.native().prepare_count(), prepared) << "a range that is not contiguous shares it";
    const auto rows = db.all(select<Artist>().order_by(col<&Artist::id>));
    ASSERT_EQ(rows.size(), 16u);
    EXPECT_EQ(rows[7].name, "b0");
    EXPECT_EQ(rows[12].name, "b5");
    EXPECT_EQ(rows[12].city, std::optional<std::string>("x"));
    EXPECT_EQ(rows[15].name, "c2");
    EXPECT_EQ(rows[14].city, std::nullopt);
}

TYPED_TEST(EngineTest, BulkInsertUsesTheFastestRoute) {
    auto db = this->engine_->connect();
    std::vector<Artist> many;
    for (int i = 0; i < 3000; ++i) {
        many.push_back({0, "bulk\t" + std::to_string(i) + "\\n'\"", i % 3 ? std::optional<std::string>("c") : std::nullopt});
    }
    EXPECT_EQ(db.bulk_insert(many), 3000);  // COPY on PostgreSQL, multi-row INSERT on SQLite
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 3000);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>().where(col<&Artist::city> == std::nullopt)), 1000);
    const auto one = db.one(select<Artist>().where(col<&Artist::name> == "bulk\t7\\n'\""));
    EXPECT_EQ(one.city, std::optional<std::string>("c")) << "tabs, backslashes and quotes survive";
}

TYPED_TEST(EngineTest, CommitAsYouGo) {
    auto db = this->engine_->connect();
    db.set_autobegin(true);
    this->add_artist(db, "first", std::nullopt);
    EXPECT_TRUE(db.in_transaction());
    db.commit();
    EXPECT_FALSE(db.in_transaction());
    this->add_artist(db, "discarded", std::nullopt);
    db.rollback();
    db.set_autobegin(false);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 1);
}

TYPED_TEST(EngineTest, DataErrorsNameTableAndColumn) {
    auto db = this->engine_->connect();
    try {
        db.template all<Artist>(text("SELECT 1, NULL, NULL"));
        FAIL() << "NULL into a non-optional field must be a data_error";
    } catch (const data_error& e) {
        EXPECT_NE(std::string(e.what()).find("artists"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("name"), std::string::npos) << e.what();
    }
    try {
        db.template all<std::tuple<std::int8_t>>(text("SELECT 300"));
        FAIL() << "300 into int8_t must be a data_error";
    } catch (const data_error& e) {
        SUCCEED() << e.what();
    }
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 0) << "the connection still works";
}

// PostgreSQL only: an SQLite connection is a file handle that nothing can drop.
TEST(EnginePostgres, DroppedConnectionIsDetectedAndReplaced) {
    CRUCIBLE_NEED_POSTGRES();
    auto engine = engine_factory<backend::postgres_connection>::make();
    auto victim = engine.connect();
    const int pid = victim.native().backend_pid();
    {
        auto killer = engine.connect();
        killer.execute(text("SELECT pg_terminate_backend(CAST(:pid AS INTEGER))").bind("pid", pid));
    }
    EXPECT_THROW(victim.execute(text("SELECT 1")), operational_error);
    EXPECT_EQ(engine.status().invalidations, 1u) << "the lost link invalidates the pool";
    // The next statement runs on a new connection from the pool.
    EXPECT_EQ(std::get<0>(victim.all<std::tuple<std::int64_t>>(text("SELECT CAST(42 AS BIGINT)")).at(0)), 42);
    EXPECT_NE(victim.native().backend_pid(), pid);
    auto fresh = engine.connect();
    EXPECT_NE(fresh.native().backend_pid(), pid);
    EXPECT_EQ(std::get<0>(fresh.all<std::tuple<std::int64_t>>(text("SELECT CAST(42 AS BIGINT)")).at(0)), 42);
}

// ---- stream(): rows received one at a time ----------------------------------------------------

template <class Backend>
constexpr bool is_postgres = std::is_same_v<Backend, backend::postgres_connection>;

inline std::optional<std::string> streamed_city(std::int64_t i) {
    return i % 3 ? std::optional<std::string>("c" + std::to_string(i % 7)) : std::nullopt;
}

TYPED_TEST(EngineTest, StreamsAResultTooLargeToWantInMemory) {
    constexpr std::int64_t total = 200000;
    auto db = this->engine_->connect();
    {
        std::vector<Artist> many;
        many.reserve(total);
        for (std::int64_t i = 0; i < total; ++i) {
            many.push_back({0, "s" + std::to_string(i), streamed_city(i)});
        }
        ASSERT_EQ(db.bulk_insert(many), total);
    }
    auto rows = db.stream(select<Artist>().order_by(col<&Artist::id>));
    static_assert(std::ranges::input_range<decltype(rows)>);
    std::int64_t streamed = 0;
    std::int64_t previous_id = 0;
    bool values_match = true;
    bool one_row_at_a_time = true;
    for (const Artist& a : rows) {
        values_match = values_match && a.id > previous_id && a.name == "s" + std::to_string(streamed) &&
                       a.city == streamed_city(streamed);
        previous_id = a.id;
        if constexpr (is_postgres<TypeParam>) {
            one_row_at_a_time = one_row_at_a_time && PQntuples(rows.cursor().native_handle()) == 1;
        }
        ++streamed;
    }
    EXPECT_EQ(streamed, total);
    EXPECT_TRUE(values_match);
    EXPECT_TRUE(one_row_at_a_time) << "the PostgreSQL cursor holds only the current row";
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), total) << "the connection is free again";

    std::int64_t filtered = 0;  // a run-time-built statement streams too
    for (const auto& [name] : db.stream(
             select(col<&Artist::name>)
                 .template from<Artist>()
                 .where(in(col<&Artist::id>, std::vector<std::int64_t>{previous_id, previous_id - 1})))) {
        filtered += name.starts_with("s") ? 1 : 0;
    }
    EXPECT_EQ(filtered, 2);
}

TYPED_TEST(EngineTest, AnAbandonedStreamLeavesTheConnectionUsable) {
    auto db = this->engine_->connect();
    std::vector<Artist> many;
    for (int i = 0; i < 1000; ++i) {
        many.push_back({0, "a" + std::to_string(i), std::nullopt});
    }
    db.insert_all(many);
    {
        auto tx = db.begin();
        int seen = 0;
        for (const Artist& a : db.stream(select<Artist>().order_by(col<&Artist::id>))) {
            EXPECT_EQ(a.name, "a" + std::to_string(seen));
            if (++seen == 10) {
                break;
            }
        }
        EXPECT_EQ(seen, 10);
        this->add_artist(db, "after the stream", std::nullopt);  // same connection, same transaction
        tx.commit();
    }
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 1001);
    {
        auto rows = db.stream(select<Artist>());
        auto it = rows.begin();
        ++it;
    }
    EXPECT_EQ(db.one(select<Artist>().where(col<&Artist::name> == "a999")).name, "a999");
}

TYPED_TEST(EngineTest, AnErrorMidStreamIsTheUsualErrorAndTheConnectionSurvives) {
    auto db = this->engine_->connect();
    const auto artist = this->add_artist(db, "Ann", std::nullopt);
    for (std::int32_t year = 1901; year <= 2100; ++year) {
        db.execute(insert(Album{0, artist, "t" + std::to_string(year), year}));
    }
    // Years 1901.. read as int8_t offsets from 1900: 1..127 fit, 128 does not.
    int seen = 0;
    try {
        for (const auto& [offset] : db.stream(select(cast<std::int8_t>(col<&Album::year> - 1900))
                                                  .template from<Album>()
                                                  .order_by(col<&Album::year>))) {
            ++seen;
            EXPECT_EQ(offset, seen);
        }
        FAIL() << "128 into int8_t must be a data_error";
    } catch (const data_error& e) {
        EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    }
    EXPECT_EQ(seen, 127);
    EXPECT_EQ(db.scalar(select(count()).template from<Album>()), 200) << "the connection is usable";
}

TYPED_TEST(EngineTest, AStatementWhileAStreamIsOpen) {
    auto db = this->engine_->connect();
    for (int i = 0; i < 20; ++i) {
        this->add_artist(db, "n" + std::to_string(i), std::nullopt);
    }
    auto rows = db.stream(select<Artist>().order_by(col<&Artist::id>));
    auto it = rows.begin();
    ASSERT_TRUE(it != rows.end());
    if constexpr (is_postgres<TypeParam>) {
        // One PostgreSQL connection receives one result at a time: refused, not interleaved.
        EXPECT_THROW(db.scalar(select(count()).template from<Artist>()), programming_error);
        EXPECT_THROW(this->add_artist(db, "refused", std::nullopt), programming_error);
        EXPECT_THROW(db.stream(select<Album>()), programming_error);
    } else {
        EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 20);  // SQLite steps both
    }
    int rest = 0;
    for (; it != rows.end(); ++it) {
        ++rest;
    }
    EXPECT_EQ(rest, 20);
    EXPECT_EQ(db.scalar(select(count()).template from<Artist>()), 20) << "free once the stream has ended";
}

TEST(EngineErrors, UnreachableServerIsAnOperationalError) {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    auto engine = create_engine<backend::postgres_connection>("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
    EXPECT_THROW(engine.connect(), operational_error);
    EXPECT_THROW(create_engine<backend::postgres_connection>("sqlite://"), programming_error) << "scheme of another backend";
    EXPECT_THROW(create_engine<backend::sqlite_connection>("mysql://h/db"), programming_error);
}

TEST(EnginePool, ConnectionsAreReusedAcrossThreads) {
    const std::string path = ::testing::TempDir() + "crucible_pool_test.db";
    std::remove(path.c_str());
    auto engine = create_engine<backend::sqlite_connection>("sqlite:///" + path + "?pool_size=4");
    engine.connect().create_all<Artist>();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                try {
                    auto db = engine.connect();
                    auto tx = db.begin();
                    db.execute(insert(Artist{0, "t" + std::to_string(t) + "-" + std::to_string(i), std::nullopt}));
                    tx.commit();
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(engine.connect().scalar(select(count()).from<Artist>()), 200);
    EXPECT_LE(engine.status().idle, 4u) << "at most the pool's size is kept idle";
    EXPECT_GE(engine.status().idle, 1u) << "connections go back to the pool";
    std::remove(path.c_str());
}

} // namespace engine_test
