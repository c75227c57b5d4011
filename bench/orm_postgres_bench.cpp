// The ORM session's benchmark on PostgreSQL (bench/README.md, "ORM session"): the session, crucible
// Core and libpq (statements prepared once, text parameters and results, as postgres_bench's raw
// peer) over the server libpq's PG* variables name (pg_virtualenv).
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "crucible/engine/postgres.hpp"
#include "orm_bench.hpp"

namespace bench::session_workloads {
namespace {

struct postgres_session_backend {
    static constexpr const char* name = "postgres";
    static constexpr bool wall_time = true;  // most of the work is in the server: wall time
    using engine_type = crucible::postgres_engine;
    static bool available(std::string& why) {
        if (std::getenv("PGHOST") != nullptr || std::getenv("PGDATABASE") != nullptr) {
            return true;
        }
        why = "no PostgreSQL server configured (PGHOST unset); run under pg_virtualenv -o fsync=off";
        return false;
    }

    // The users table, dropped and made again for each benchmark.
    class database {
    public:
        database()
            : engine_(crucible::create_engine<crucible::backend::postgres_connection>("postgresql://")),
              keeper_(engine_.connect()) {
            keeper_.execute(crucible::text("SET client_min_messages = warning"));
            keeper_.drop_all<user, post, comment>();
            keeper_.create_all<user, post, comment>();
        }
        const engine_type& engine() const { return engine_; }
        void fill(const std::vector<user>& rows) {
            auto tx = keeper_.begin();
            keeper_.execute(crucible::insert_many_view(std::span<const user>(rows)));
            tx.commit();
            keeper_.execute(crucible::text("ANALYZE \"users\""));
        }
        void clear() { keeper_.execute(crucible::text("TRUNCATE \"users\" RESTART IDENTITY CASCADE")); }
        void fill_associations() {
            insert_associations(keeper_);
            keeper_.execute(crucible::text("ANALYZE"));
        }
        std::int64_t count() { return keeper_.scalar(crucible::select(crucible::count()).from<user>()); }
        std::int64_t count_named(const std::string& like) {
            using crucible::col;
            return keeper_.scalar(
                crucible::select(crucible::count()).from<user>().where(crucible::like(col<&user::name>, like)));
        }

    private:
        engine_type engine_;
        engine_type::connection keeper_;
    };
};

// libpq: PQprepare once, PQexecPrepared with text parameters and results, std::from_chars.
class raw_peer {
public:
    explicit raw_peer(postgres_session_backend::database&) : conn_(PQconnectdb("")) {
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = PQerrorMessage(conn_);
            PQfinish(conn_);
            throw std::runtime_error("libpq: " + message);
        }
        std::string insert = "INSERT INTO users (name, hair_color) VALUES ($1, $2)";
        for (int i = 1; i < 1000; ++i) {
            insert += ", ($" + std::to_string(2 * i + 1) + ", $" + std::to_string(2 * i + 2) + ")";
        }
        prepare("insert", insert + " RETURNING id");
        prepare("select", "SELECT id, name, hair_color FROM users WHERE id = $1");
        prepare("select_first", "SELECT id, name, hair_color FROM users WHERE id <= $1");
        prepare("select_all", "SELECT id, name, hair_color FROM users");
        prepare("update", "UPDATE users SET name = $1 WHERE id = $2");
        prepare("delete", "DELETE FROM users WHERE id = $1");
    }
    raw_peer(const raw_peer&) = delete;
    raw_peer& operator=(const raw_peer&) = delete;
    ~raw_peer() { PQfinish(conn_); }

    std::int64_t add(std::span<const user> rows) {
        exec("BEGIN");
        std::int64_t last = 0;
        std::vector<const char*> values(2000);
        std::vector<int> lengths(2000);
        for (std::size_t at = 0; at < rows.size(); at += 1000) {  // add_rows is a multiple of 1000
            for (std::size_t i = 0; i < 1000; ++i) {
                const user& u = rows[at + i];
                values[2 * i] = u.name.c_str();
                lengths[2 * i] = static_cast<int>(u.name.size());
                values[2 * i + 1] = u.hair_color ? u.hair_color->c_str() : nullptr;
                lengths[2 * i + 1] = u.hair_color ? static_cast<int>(u.hair_color->size()) : 0;
            }
            PGresult* r = run("insert", 2000, values.data(), lengths.data(), PGRES_TUPLES_OK);
            for (int i = 0; i < PQntuples(r); ++i) {
                last = std::max(last, int_at(r, i, 0));
            }
            PQclear(r);
        }
        exec("COMMIT");
        return last;
    }
    std::uint64_t get(std::span<const std::int64_t> keys) {
        exec("BEGIN");
        std::uint64_t sum = 0;
        for (const std::int64_t k : keys) {
            const std::string key = std::to_string(k);
            const char* values[] = {key.c_str()};
            PGresult* r = run("select", 1, values, nullptr, PGRES_TUPLES_OK);
            if (PQntuples(r) != 1) {
                PQclear(r);
                throw std::runtime_error("no row");
            }
            sum += name_sum(read(r, 0));
            PQclear(r);
        }
        exec("COMMIT");
        return sum;
    }
    void warm_up(std::span<const std::int64_t>) {}
    std::uint64_t get_warm(std::span<const std::int64_t> keys) { return get(keys); }

    void update_first(const std::string& tag, std::int64_t n) {
        exec("BEGIN");
        const std::string limit = std::to_string(n);
        const char* limit_values[] = {limit.c_str()};
        for (user& u : read_all(run("select_first", 1, limit_values, nullptr, PGRES_TUPLES_OK))) {
            u.name = tag + std::to_string(u.id);
            const std::string id = std::to_string(u.id);
            const char* values[] = {u.name.c_str(), id.c_str()};
            PQclear(run("update", 2, values, nullptr, PGRES_COMMAND_OK));
        }
        exec("COMMIT");
    }
    void delete_all() {
        exec("BEGIN");
        for (const user& u : read_all(run("select_all", 0, nullptr, nullptr, PGRES_TUPLES_OK))) {
            const std::string id = std::to_string(u.id);
            const char* values[] = {id.c_str()};
            PQclear(run("delete", 1, values, nullptr, PGRES_COMMAND_OK));
        }
        exec("COMMIT");
    }

private:
    PGresult* checked(PGresult* r, ExecStatusType expected) {
        if (PQresultStatus(r) != expected) {
            PQclear(r);
            throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
        }
        return r;
    }
    void exec(const char* sql) { PQclear(checked(PQexec(conn_, sql), PGRES_COMMAND_OK)); }
    void prepare(const char* name, const std::string& sql) {
        PQclear(checked(PQprepare(conn_, name, sql.c_str(), 0, nullptr), PGRES_COMMAND_OK));
    }
    PGresult* run(const char* name, int count, const char* const* values, const int* lengths,
                  ExecStatusType expected) {
        return checked(PQexecPrepared(conn_, name, count, values, lengths, nullptr, 0), expected);
    }
    static std::int64_t int_at(PGresult* r, int row, int column) {
        const char* text = PQgetvalue(r, row, column);
        std::int64_t value = 0;
        std::from_chars(text, text + PQgetlength(r, row, column), value);
        return value;
    }
    static user read(PGresult* r, int row) {
        user u;
        u.id = int_at(r, row, 0);
        u.name.assign(PQgetvalue(r, row, 1), static_cast<std::size_t>(PQgetlength(r, row, 1)));
        if (PQgetisnull(r, row, 2) == 0) {
            u.hair_color.emplace(PQgetvalue(r, row, 2), static_cast<std::size_t>(PQgetlength(r, row, 2)));
        }
        return u;
    }
    static std::vector<user> read_all(PGresult* r) {
        std::vector<user> out;
        out.reserve(static_cast<std::size_t>(PQntuples(r)));
        for (int i = 0; i < PQntuples(r); ++i) {
            out.push_back(read(r, i));
        }
        PQclear(r);
        return out;
    }

    PGconn* conn_;
};

void register_peers() { register_all<postgres_session_backend, raw_peer>(); }

}  // namespace
}  // namespace bench::session_workloads

int main(int argc, char** argv) {
    return bench::run_main<bench::session_workloads::postgres_session_backend>(
        argc, argv, bench::session_workloads::register_peers);
}
