// The ORM session's benchmark on SQLite (bench/README.md, "ORM session"): the session, crucible
// Core and the sqlite3 C API (statements prepared once) over the same in-memory database.
#include <sqlite3.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "crucible/engine/sqlite.hpp"
#include "orm_bench.hpp"

namespace bench::session_workloads {
namespace {

struct sqlite_session_backend {
    static constexpr const char* name = "sqlite";
    static constexpr bool wall_time = false;  // in-process: CPU time, as sqlite_bench
    using engine_type = crucible::sqlite_engine;
    static bool available(std::string&) { return true; }

    // A fresh in-memory database (memdb VFS, shared by the process's connections that name it),
    // alive while the engine's pool holds a connection to it.
    class database {
    public:
        database()
            : uri_("file:/crucible-orm-bench-" + std::to_string(counter++) + "?vfs=memdb"),
              engine_(crucible::create_engine<crucible::backend::sqlite_connection>("sqlite:///" + uri_)),
              keeper_(engine_.connect()) {
            keeper_.create_all<user, post, comment>();
        }
        const engine_type& engine() const { return engine_; }
        const std::string& uri() const { return uri_; }
        void fill(const std::vector<user>& rows) {
            auto tx = keeper_.begin();
            keeper_.execute(crucible::insert_many_view(std::span<const user>(rows)));
            tx.commit();
        }
        void clear() { keeper_.execute(crucible::text("DELETE FROM \"users\"")); }
        void fill_associations() { insert_associations(keeper_); }
        std::int64_t count() { return keeper_.scalar(crucible::select(crucible::count()).from<user>()); }
        std::int64_t count_named(const std::string& like) {
            using crucible::col;
            return keeper_.scalar(
                crucible::select(crucible::count()).from<user>().where(crucible::like(col<&user::name>, like)));
        }

    private:
        static inline std::atomic<int> counter{0};
        std::string uri_;
        engine_type engine_;
        engine_type::connection keeper_;
    };
};

// The sqlite3 C API, every statement prepared once (SQLITE_PREPARE_PERSISTENT), text bound
// SQLITE_STATIC, the connection opened SQLITE_OPEN_NOMUTEX: sqlite_bench's raw peer.
class raw_peer {
public:
    explicit raw_peer(sqlite_session_backend::database& db) {
        if (sqlite3_open_v2(db.uri().c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            throw std::runtime_error("sqlite3_open_v2 failed");
        }
        std::string insert = "INSERT INTO users (name, hair_color) VALUES (?, ?)";
        for (int i = 1; i < 1000; ++i) {
            insert += ", (?, ?)";
        }
        insert_ = prepare(insert + " RETURNING id");
        select_ = prepare("SELECT id, name, hair_color FROM users WHERE id = ?");
        select_first_ = prepare("SELECT id, name, hair_color FROM users WHERE id <= ?");
        select_all_ = prepare("SELECT id, name, hair_color FROM users");
        update_ = prepare("UPDATE users SET name = ? WHERE id = ?");
        delete_ = prepare("DELETE FROM users WHERE id = ?");
        begin_ = prepare("BEGIN");
        commit_ = prepare("COMMIT");
    }
    raw_peer(const raw_peer&) = delete;
    raw_peer& operator=(const raw_peer&) = delete;
    ~raw_peer() {
        for (sqlite3_stmt* s : {insert_, select_, select_first_, select_all_, update_, delete_, begin_, commit_}) {
            sqlite3_finalize(s);
        }
        sqlite3_close_v2(db_);
    }

    std::int64_t add(std::span<const user> rows) {
        run(begin_);
        std::int64_t last = 0;
        for (std::size_t at = 0; at < rows.size(); at += 1000) {  // add_rows is a multiple of 1000
            int p = 1;
            for (std::size_t i = at; i < at + 1000; ++i) {
                bind_text(insert_, p++, rows[i].name);
                if (rows[i].hair_color) {
                    bind_text(insert_, p++, *rows[i].hair_color);
                } else {
                    sqlite3_bind_null(insert_, p++);
                }
            }
            while (step(insert_)) {
                last = std::max<std::int64_t>(last, sqlite3_column_int64(insert_, 0));
            }
            sqlite3_reset(insert_);
        }
        run(commit_);
        return last;
    }
    std::uint64_t get(std::span<const std::int64_t> keys) {
        run(begin_);
        std::uint64_t sum = 0;
        for (const std::int64_t k : keys) {
            sqlite3_bind_int64(select_, 1, k);
            if (!step(select_)) {
                throw std::runtime_error("no row");
            }
            sum += name_sum(read(select_));
            sqlite3_reset(select_);
        }
        run(commit_);
        return sum;
    }
    void warm_up(std::span<const std::int64_t>) {}
    std::uint64_t get_warm(std::span<const std::int64_t> keys) { return get(keys); }

    void update_first(const std::string& tag, std::int64_t n) {
        run(begin_);
        sqlite3_bind_int64(select_first_, 1, n);
        std::vector<user> users;
        while (step(select_first_)) {
            users.push_back(read(select_first_));
        }
        sqlite3_reset(select_first_);
        for (user& u : users) {
            u.name = tag + std::to_string(u.id);
            bind_text(update_, 1, u.name);
            sqlite3_bind_int64(update_, 2, u.id);
            run(update_);
        }
        run(commit_);
    }
    void delete_all() {
        run(begin_);
        std::vector<user> users;
        while (step(select_all_)) {
            users.push_back(read(select_all_));
        }
        sqlite3_reset(select_all_);
        for (const user& u : users) {
            sqlite3_bind_int64(delete_, 1, u.id);
            run(delete_);
        }
        run(commit_);
    }

private:
    sqlite3_stmt* prepare(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db_));
        }
        return s;
    }
    static void bind_text(sqlite3_stmt* s, int at, const std::string& value) {
        sqlite3_bind_text(s, at, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    }
    bool step(sqlite3_stmt* s) {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc != SQLITE_DONE) {
            throw std::runtime_error(sqlite3_errmsg(db_));
        }
        return false;
    }
    void run(sqlite3_stmt* s) {
        step(s);
        sqlite3_reset(s);
    }
    static user read(sqlite3_stmt* s) {
        user u;
        u.id = sqlite3_column_int64(s, 0);
        u.name.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                      static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
        if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
            u.hair_color.emplace(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)),
                                 static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
        }
        return u;
    }

    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
    sqlite3_stmt* select_ = nullptr;
    sqlite3_stmt* select_first_ = nullptr;
    sqlite3_stmt* select_all_ = nullptr;
    sqlite3_stmt* update_ = nullptr;
    sqlite3_stmt* delete_ = nullptr;
    sqlite3_stmt* begin_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
};

void register_peers() { register_all<sqlite_session_backend, raw_peer>(); }

}  // namespace
}  // namespace bench::session_workloads

int main(int argc, char** argv) {
    sqlite3_config(SQLITE_CONFIG_URI, 1);
    return bench::run_main<bench::session_workloads::sqlite_session_backend>(argc, argv,
                                                                             bench::session_workloads::register_peers);
}
