// Scale-out on PostgreSQL against real servers: pgbouncer in transaction mode in front of the
// pg_virtualenv primary (scripts/pgbouncer), started and stopped by each test.
//   - prepared_statements=false: 16 threads x 1,000 transactions through pgbouncer, no error,
//     every row present once;
//   - prepared statements on: the failure README/docs describe (another client's statement of the
//     same name on the shared server connection) is what happens;
//   - the session settings crucible sets on connecting (TimeZone, client_encoding) survive
//     transaction pooling: pgbouncer tracks them per client.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/postgres.hpp"
#include "crucible/engine/replicas.hpp"
#include "postgres_env.hpp"
#include "test_engines.hpp"

namespace scale_out_test {

using namespace crucible;

struct Bounced {
    std::int64_t id;
    std::int32_t thread;
    std::int32_t seq;
    std::int64_t previous;  // this thread's rows it counted inside its transaction before writing
};
constexpr auto crucible_table(crucible::table_tag<Bounced>) {
    return crucible::table_options{crucible::table_name("scale_out_bounced"),
                                   crucible::unique<&Bounced::thread, &Bounced::seq>};
}

// A server started by one of scripts/, in a directory of its own, stopped (and the directory
// removed) when the test ends, whatever happens.
class script_server {
public:
    script_server(std::string script, std::string env_prefix = {}) : script_(std::move(script)) {
        char pattern[] = "/tmp/crucible-scale-out-XXXXXX";
        const char* made = mkdtemp(pattern);
        if (!made) {
            throw std::runtime_error("mkdtemp failed");
        }
        parent_ = made;
        ::chmod(parent_.c_str(), 0711);  // the server runs as the postgres user when we are root
        dir_ = parent_ + "/server";
        const std::string command = env_prefix + " " + path() + " start " + dir_;
        if (std::system(command.c_str()) != 0) {
            throw std::runtime_error("could not start: " + command);
        }
        std::ifstream env(dir_ + "/env");
        for (std::string line; std::getline(env, line);) {
            const auto eq = line.find('=');
            if (eq != std::string::npos) {
                values_[line.substr(0, eq)] = line.substr(eq + 1);
            }
        }
    }
    ~script_server() {
        const std::string command = path() + (script_ == "pg-replica" ? " destroy " : " stop ") + dir_ + " >/dev/null 2>&1";
        [[maybe_unused]] const int stopped = std::system(command.c_str());
        ::rmdir(dir_.c_str());
        ::rmdir(parent_.c_str());
    }
    script_server(const script_server&) = delete;
    script_server& operator=(const script_server&) = delete;

    const std::string& operator[](const std::string& key) const { return values_.at(key); }
    int run(const std::string& verb) const { return std::system((path() + " " + verb + " " + dir_).c_str()); }

private:
    std::string path() const {
        const char* scripts = std::getenv("CRUCIBLE_SCRIPTS_DIR");
        return std::string(scripts ? scripts : "scripts") + "/" + script_;
    }
    std::string script_;
    std::string parent_;
    std::string dir_;
    std::map<std::string, std::string> values_;
};

TEST(PgBouncer, WithoutPreparedStatementsSixteenThreadsThousandTransactionsEach) {
    CRUCIBLE_NEED_POSTGRES();
    script_server bouncer("pgbouncer");
    {
        auto primary = create_engine<backend::postgres_connection>(crucible::testing::postgres_url());
        auto db = primary.connect();
        db.drop_all<Bounced>();
        db.create_all<Bounced>();
    }
    auto engine = create_engine<backend::postgres_connection>(bouncer["CRUCIBLE_PGBOUNCER_URL"] +
                                                              "?prepared_statements=false&pool_size=16");
    std::atomic<int> failures{0};
    std::vector<std::string> errors;
    std::mutex errors_mutex;
    std::vector<std::thread> workers;
    for (int t = 0; t < 16; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < 1000; ++i) {
                try {
                    auto db = engine.connect();
                    auto tx = db.begin();
                    const std::int64_t mine =
                        db.scalar(select(count()).from<Bounced>().where(col<&Bounced::thread> == t));
                    db.execute(insert(Bounced{0, t, i, mine}));
                    tx.commit();
                } catch (const std::exception& e) {
                    if (failures++ < 5) {
                        std::lock_guard lock(errors_mutex);
                        errors.emplace_back(e.what());
                    }
                }
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    EXPECT_EQ(failures.load(), 0) << (errors.empty() ? "" : errors.front());
    auto db = engine.connect();
    EXPECT_EQ(db.scalar(select(count()).from<Bounced>()), 16000);
    EXPECT_EQ(db.scalar(select(count_distinct(col<&Bounced::thread> * 10000 + col<&Bounced::seq>)).from<Bounced>()),
              16000);
    // Each transaction saw exactly its thread's earlier rows: no transaction was split across
    // server connections.
    EXPECT_EQ(db.scalar(select(count()).from<Bounced>().where(col<&Bounced::previous> != col<&Bounced::seq>)), 0);
    db.drop_all<Bounced>();
}

TEST(PgBouncer, PreparedStatementsFailAsDocumentedAndUnpreparedOnesDoNot) {
    CRUCIBLE_NEED_POSTGRES();
    // One server connection for every client: two clients' statements meet on it at once.
    script_server bouncer("pgbouncer", "CRUCIBLE_PGBOUNCER_POOL_SIZE=1");
    const std::string url = bouncer["CRUCIBLE_PGBOUNCER_URL"];
    const auto query = select(count()).from<Bounced>().where(col<&Bounced::thread> == 1);
    {
        auto primary = create_engine<backend::postgres_connection>(crucible::testing::postgres_url());
        auto db = primary.connect();
        db.drop_all<Bounced>();
        db.create_all<Bounced>();
    }
    {
        auto a = create_engine<backend::postgres_connection>(url);
        auto b = create_engine<backend::postgres_connection>(url);
        auto first = a.connect();
        auto second = b.connect();
        EXPECT_EQ(first.scalar(query), 0);  // prepares "crucible_1" on the one server connection
        try {
            second.scalar(query);  // prepares its own "crucible_1" there too
            ADD_FAILURE() << "a second client's prepared statement of the same name did not collide";
        } catch (const crucible::error& e) {
            EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
        }
    }
    {
        auto a = create_engine<backend::postgres_connection>(url + "?prepared_statements=false");
        auto b = create_engine<backend::postgres_connection>(url + "?prepared_statements=false");
        auto first = a.connect();
        auto second = b.connect();
        for (int i = 0; i < 3; ++i) {
            EXPECT_EQ(first.scalar(query), 0);
            EXPECT_EQ(second.scalar(query), 0);
        }
        // A pipelined batch (the ORM's flush uses one) and a bulk insert go through too.
        std::vector<Bounced> rows;
        for (int i = 0; i < 300; ++i) {
            rows.push_back({0, 1, i, 0});
        }
        EXPECT_EQ(first.insert_all(rows), 300);
        const auto changed = second.execute_batch(rows, [](const Bounced& row) {
            return update<Bounced>().set(col<&Bounced::previous> = 1).where(col<&Bounced::seq> == row.seq);
        });
        EXPECT_EQ(changed, std::vector<std::int64_t>(300, 1));
        EXPECT_EQ(first.scalar(select(count()).from<Bounced>().where(col<&Bounced::previous> == 1)), 300);
    }
    auto primary = create_engine<backend::postgres_connection>(crucible::testing::postgres_url());
    primary.connect().drop_all<Bounced>();
}

TEST(PgBouncer, SessionSettingsSurviveTransactionPooling) {
    CRUCIBLE_NEED_POSTGRES();
    script_server bouncer("pgbouncer", "CRUCIBLE_PGBOUNCER_POOL_SIZE=1");
    const std::string url = bouncer["CRUCIBLE_PGBOUNCER_URL"] + "?prepared_statements=false";
    auto ours = create_engine<backend::postgres_connection>(url);  // SETs TimeZone UTC on connecting
    auto theirs = create_engine<backend::postgres_connection>(url, [] {
        engine_options<backend::postgres_connection> options;
        options.backend.utc_utf8_session = false;
        return options;
    }());
    auto db = ours.connect();
    auto other = theirs.connect();
    other.execute(text("SET TimeZone = 'America/New_York'"));  // on the same (only) server connection
    const auto zone = [](auto& connection) {
        const auto rows = connection.template all<std::tuple<std::string>>(text("SHOW TimeZone"));
        return rows.size() == 1 ? std::get<0>(rows.front()) : std::string("(not one row)");
    };
    EXPECT_EQ(zone(other), "America/New_York");
    EXPECT_EQ(zone(db), "UTC");  // pgbouncer gave the server connection back with our setting
    EXPECT_EQ(zone(other), "America/New_York");
}

using pg = backend::postgres_connection;
using namespace std::chrono_literals;

replica_options quick_routing() {
    replica_options o;
    o.read_your_writes = 300ms;
    o.retry_after = 300ms;
    return o;
}

template <class Connection>
bool in_recovery(Connection& db) {
    return std::get<0>(db.template all<std::tuple<bool>>(read_only(text("SELECT pg_is_in_recovery()"))).at(0));
}

// Polls `done` for up to 20 s.
template <class F>
bool eventually(F&& done) {
    for (int i = 0; i < 200; ++i) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

void fresh_table(replicated_engine<pg>& engine) {
    auto db = engine.primary().connect();
    db.drop_all<Bounced>();
    db.create_all<Bounced>();
    // The replica has replayed the CREATE TABLE when it can read the table.
    ASSERT_TRUE(eventually([&] {
        try {
            engine.replica(0).connect().scalar(select(count()).from<Bounced>());
            return true;
        } catch (const crucible::error&) {
            return false;
        }
    }));
}

TEST(Replicas, ReadsGoToTheReplicaWritesAndTransactionsToThePrimary) {
    CRUCIBLE_NEED_POSTGRES();
    script_server replica("pg-replica");
    auto engine = create_replicated_engine<pg>(crucible::testing::postgres_url(), {replica["CRUCIBLE_REPLICA_URL"]},
                                               {}, quick_routing());
    fresh_table(engine);
    auto db = engine.connect();
    EXPECT_TRUE(in_recovery(db));
    EXPECT_EQ(db.last_route(), route::replica);
    const auto mine = select(count()).from<Bounced>().where(col<&Bounced::thread> == 7);
    EXPECT_EQ(db.scalar(mine), 0);
    EXPECT_EQ(db.last_route(), route::replica);

    // A write, and right after it a read: the primary, which has the row (read-your-writes).
    db.execute(insert(Bounced{0, 7, 1, 0}));
    EXPECT_EQ(db.last_route(), route::primary);
    EXPECT_EQ(db.scalar(mine), 1);
    EXPECT_EQ(db.last_route(), route::primary);
    EXPECT_FALSE(in_recovery(db));
    // After the window, reads are the replica's again, and it has replayed the row.
    std::this_thread::sleep_for(350ms);
    EXPECT_TRUE(eventually([&] { return db.scalar(mine) == 1 && db.last_route() == route::replica; }));

    // A transaction's reads are the primary's, and so are the reads in the window after it.
    {
        auto tx = db.begin();
        db.execute(insert(Bounced{0, 7, 2, 0}));
        EXPECT_EQ(db.scalar(mine), 2);
        EXPECT_EQ(db.last_route(), route::primary);
        EXPECT_FALSE(in_recovery(db));
        tx.commit();
    }
    EXPECT_EQ(db.scalar(mine), 2);
    EXPECT_EQ(db.last_route(), route::primary);

    // FOR UPDATE, and text() not marked read_only, always go to the primary.
    std::this_thread::sleep_for(350ms);
    EXPECT_TRUE(eventually([&] { return db.scalar(mine) == 2 && db.last_route() == route::replica; }));
    {
        auto tx = db.begin();
        db.all(select<Bounced>().where(col<&Bounced::thread> == 7).for_update());
        EXPECT_EQ(db.last_route(), route::primary);
        tx.commit();
    }
    std::this_thread::sleep_for(350ms);
    EXPECT_FALSE(std::get<0>(db.all<std::tuple<bool>>(text("SELECT pg_is_in_recovery()")).at(0)));
    // use_primary(): everything on the primary.
    db.use_primary();
    EXPECT_FALSE(in_recovery(db));
    EXPECT_EQ(db.last_route(), route::primary);
    engine.primary().connect().drop_all<Bounced>();
}

TEST(Replicas, AStoppedReplicaSendsReadsToThePrimaryAndComesBackWhenStarted) {
    CRUCIBLE_NEED_POSTGRES();
    script_server replica("pg-replica");
    auto engine = create_replicated_engine<pg>(crucible::testing::postgres_url(), {replica["CRUCIBLE_REPLICA_URL"]},
                                               {}, quick_routing());
    auto db = engine.connect();
    EXPECT_TRUE(in_recovery(db));  // a pooled replica connection is open now

    ASSERT_EQ(replica.run("stop"), 0);
    for (int i = 0; i < 20; ++i) {  // no error reaches the caller: the primary answers
        EXPECT_FALSE(in_recovery(db));
        EXPECT_EQ(db.last_route(), route::primary);
    }
    EXPECT_EQ(engine.healthy_replicas(), 0u);

    ASSERT_EQ(replica.run("start"), 0);
    EXPECT_TRUE(eventually([&] { return in_recovery(db); })) << "reads did not come back to the replica";
    EXPECT_EQ(db.last_route(), route::replica);
    EXPECT_EQ(engine.healthy_replicas(), 1u);
}

TEST(Replicas, OneConfigurationString) {
    CRUCIBLE_NEED_POSTGRES();
    script_server replica("pg-replica");
    const auto env = [](const char* key) {
        const char* value = std::getenv(key);
        return std::string(value ? value : "");
    };
    // The primary and its replicas in one string: the same user, password and database.
    const std::string configuration = "postgresql://" + env("PGUSER") + ":" + env("PGPASSWORD") +
                                      "@127.0.0.1:" + env("PGPORT") + "/" + env("PGDATABASE") + "?replicas=127.0.0.1:" +
                                      replica["CRUCIBLE_REPLICA_PORT"] + "&read_your_writes=0.3&pool_size=2";
    auto engine = create_replicated_engine<pg>(configuration);
    ASSERT_EQ(engine.replica_count(), 1u);
    EXPECT_EQ(engine.replica(0).status().size, 2u);  // the pool options apply to each replica too
    EXPECT_EQ(engine.primary().status().size, 2u);
    auto db = engine.connect();
    EXPECT_TRUE(in_recovery(db));
    db.execute(text("SELECT 1"));  // a statement not marked read-only: the primary
    EXPECT_FALSE(in_recovery(db));  // inside the 0.3 s window
    EXPECT_THROW(create_replicated_engine<pg>(configuration + "&read_your_writes=soon"), programming_error);
}

} // namespace scale_out_test
