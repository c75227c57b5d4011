// SQLite benchmarks: the sqlite3 C API (raw baseline), SQLiteCpp and SOCI, side by side.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "harness.hpp"
#include "sqlite_backend.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

constexpr const char* schema_sql = R"(
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL, body TEXT);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id), text TEXT NOT NULL);
CREATE INDEX users_hair_color ON users (hair_color);
CREATE INDEX posts_user_id ON posts (user_id);
)";

constexpr const char* select_users_sql = "SELECT id, name, hair_color FROM users";
constexpr const char* medium_sql =
    "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body "
    "FROM users LEFT JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?";
constexpr const char* insert_user_sql = "INSERT INTO users (name, hair_color) VALUES (?, ?)";
constexpr const char* find_user_sql = "SELECT id, name, hair_color FROM users WHERE id = ?";

std::string question_marks(std::size_t groups, std::size_t per_group) {
    return placeholder_list(groups, per_group, [](std::size_t) { return std::string("?"); });
}
std::string bulk_insert_sql(std::size_t rows) {
    return "INSERT INTO users (name, hair_color) VALUES " + question_marks(rows, 2);
}
std::string posts_in_sql(std::size_t keys) {
    return "SELECT id, user_id, title, body FROM posts WHERE user_id IN " + question_marks(1, keys);
}
std::string comments_in_sql(std::size_t keys) {
    return "SELECT id, post_id, text FROM comments WHERE post_id IN " + question_marks(1, keys);
}

// --- the sqlite3 C API, statements prepared once -----------------------------------------------

void throw_if(sqlite3* db, int rc, int expected = SQLITE_OK) {
    if (rc != expected) {
        throw std::runtime_error(std::string("sqlite3: ") + sqlite3_errmsg(db));
    }
}

class statement {
public:
    statement(sqlite3* db, const std::string& sql) : db_(db) {
        throw_if(db, sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1),
                                        SQLITE_PREPARE_PERSISTENT, &handle_, nullptr));
    }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement() { sqlite3_finalize(handle_); }
    sqlite3_stmt* get() const { return handle_; }
    // sqlite3_step, throwing on errors; true while there is a row.
    bool step() {
        int rc = sqlite3_step(handle_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        throw_if(db_, rc, SQLITE_DONE);
        return false;
    }
    void reset() { sqlite3_reset(handle_); }
    void bind_text(int index, const std::string& value) {
        sqlite3_bind_text(handle_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    }
    void bind_text(int index, const std::optional<std::string>& value) {
        if (value) {
            bind_text(index, *value);
        } else {
            sqlite3_bind_null(handle_, index);
        }
    }
    void bind_int(int index, std::int64_t value) { sqlite3_bind_int64(handle_, index, value); }
    std::int64_t int_at(int column) const { return sqlite3_column_int64(handle_, column); }
    bool null_at(int column) const { return sqlite3_column_type(handle_, column) == SQLITE_NULL; }
    std::string text_at(int column) const {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(handle_, column));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(handle_, column)));
    }
    std::optional<std::string> optional_text_at(int column) const {
        return null_at(column) ? std::nullopt : std::optional<std::string>(text_at(column));
    }

private:
    sqlite3* db_;
    sqlite3_stmt* handle_ = nullptr;
};

class sqlite_connection {
public:
    explicit sqlite_connection(const std::string& path) {
        // NOMUTEX, as crucible opens its connections: a connection used by one thread at a time
        // needs no lock around every sqlite3_column_* call.
        int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + path);
        }
    }
    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;
    ~sqlite_connection() { sqlite3_close(db_); }
    sqlite3* get() const { return db_; }
    void exec(const char* sql) { throw_if(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr)); }

private:
    sqlite3* db_ = nullptr;
};

user read_user(const statement& s, int first = 0) {
    return {s.int_at(first), s.text_at(first + 1), s.optional_text_at(first + 2)};
}
post read_post(const statement& s, int first = 0) {
    return {s.int_at(first), s.int_at(first + 1), s.text_at(first + 2), s.optional_text_at(first + 3)};
}

class raw_peer {
public:
    explicit raw_peer(const std::string& path)
        : connection_(path),
          select_users_(db(), select_users_sql),
          medium_(db(), medium_sql),
          insert_(db(), insert_user_sql),
          find_(db(), find_user_sql),
          begin_(db(), "BEGIN"),
          commit_(db(), "COMMIT") {}

    std::vector<user> trivial_query() {
        std::vector<user> out;
        while (select_users_.step()) {
            out.push_back(read_user(select_users_));
        }
        select_users_.reset();
        return out;
    }

    std::vector<user_and_post> medium_complex(std::string_view hair_color) {
        std::vector<user_and_post> out;
        sqlite3_bind_text(medium_.get(), 1, hair_color.data(), static_cast<int>(hair_color.size()),
                          SQLITE_STATIC);
        while (medium_.step()) {
            out.emplace_back(read_user(medium_),
                             medium_.null_at(3) ? std::nullopt : std::optional<post>(read_post(medium_, 3)));
        }
        medium_.reset();
        return out;
    }

    void insert_one_by_one(std::span<const new_user> rows) {
        run(begin_);
        for (const auto& row : rows) {
            insert_.bind_text(1, row.name);
            insert_.bind_text(2, row.hair_color);
            run(insert_);
        }
        run(commit_);
    }

    void bulk_insert(std::span<const new_user> rows) {
        run(begin_);
        for (std::size_t start = 0; start < rows.size(); start += bulk_chunk_rows) {
            auto chunk = rows.subspan(start, std::min(bulk_chunk_rows, rows.size() - start));
            auto& insert = cached(bulk_, chunk.size(), bulk_insert_sql);
            int index = 0;
            for (const auto& row : chunk) {
                insert.bind_text(++index, row.name);
                insert.bind_text(++index, row.hair_color);
            }
            run(insert);
        }
        run(commit_);
    }

    std::vector<user_with_posts> load_associations() {
        std::vector<user> users = trivial_query();
        auto& posts_query = cached(posts_in_, users.size(), posts_in_sql);
        for (std::size_t i = 0; i < users.size(); ++i) {
            posts_query.bind_int(static_cast<int>(i + 1), users[i].id);
        }
        std::vector<post> posts;
        while (posts_query.step()) {
            posts.push_back(read_post(posts_query));
        }
        posts_query.reset();
        auto& comments_query = cached(comments_in_, posts.size(), comments_in_sql);
        for (std::size_t i = 0; i < posts.size(); ++i) {
            comments_query.bind_int(static_cast<int>(i + 1), posts[i].id);
        }
        std::vector<comment> comments;
        while (comments_query.step()) {
            comments.push_back(
                {comments_query.int_at(0), comments_query.int_at(1), comments_query.text_at(2)});
        }
        comments_query.reset();
        return group_associations(std::move(users), std::move(posts), std::move(comments));
    }

    user find_user(std::int64_t id) {
        find_.bind_int(1, id);
        if (!find_.step()) {
            find_.reset();
            throw std::runtime_error("no user " + std::to_string(id));
        }
        user found = read_user(find_);
        find_.reset();
        return found;
    }

private:
    using statement_cache = std::map<std::size_t, std::unique_ptr<statement>>;

    sqlite3* db() const { return connection_.get(); }
    static void run(statement& s) {
        s.step();
        s.reset();
    }
    statement& cached(statement_cache& cache, std::size_t count, std::string (*sql)(std::size_t)) {
        auto& slot = cache[count];
        if (!slot) {
            slot = std::make_unique<statement>(db(), sql(count));
        }
        return *slot;
    }

    sqlite_connection connection_;
    statement select_users_, medium_, insert_, find_, begin_, commit_;
    statement_cache bulk_, posts_in_, comments_in_;
};

// --- SQLiteCpp used directly ------------------------------------------------------------------

user read_user(SQLite::Statement& s, int first = 0) {
    auto hair = s.getColumn(first + 2);
    return {s.getColumn(first).getInt64(), s.getColumn(first + 1).getString(),
            hair.isNull() ? std::nullopt : std::optional<std::string>(hair.getString())};
}
post read_post(SQLite::Statement& s, int first = 0) {
    auto body = s.getColumn(first + 3);
    return {s.getColumn(first).getInt64(), s.getColumn(first + 1).getInt64(),
            s.getColumn(first + 2).getString(),
            body.isNull() ? std::nullopt : std::optional<std::string>(body.getString())};
}
void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& value) {
    if (value) {
        s.bind(index, *value);
    } else {
        s.bind(index);
    }
}

class sqlitecpp_peer {
public:
    explicit sqlitecpp_peer(const std::string& path)
        : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX),
          select_users_(db_, select_users_sql),
          medium_(db_, medium_sql),
          insert_(db_, insert_user_sql),
          find_(db_, find_user_sql) {}

    std::vector<user> trivial_query() {
        std::vector<user> out;
        while (select_users_.executeStep()) {
            out.push_back(read_user(select_users_));
        }
        select_users_.reset();
        return out;
    }

    std::vector<user_and_post> medium_complex(std::string_view hair_color) {
        std::vector<user_and_post> out;
        medium_.bind(1, std::string(hair_color));
        while (medium_.executeStep()) {
            out.emplace_back(read_user(medium_), medium_.isColumnNull(3)
                                                     ? std::nullopt
                                                     : std::optional<post>(read_post(medium_, 3)));
        }
        medium_.reset();
        return out;
    }

    void insert_one_by_one(std::span<const new_user> rows) {
        SQLite::Transaction transaction(db_);
        for (const auto& row : rows) {
            insert_.bind(1, row.name);
            bind_optional(insert_, 2, row.hair_color);
            insert_.exec();
            insert_.reset();
        }
        transaction.commit();
    }

    void bulk_insert(std::span<const new_user> rows) {
        SQLite::Transaction transaction(db_);
        for (std::size_t start = 0; start < rows.size(); start += bulk_chunk_rows) {
            auto chunk = rows.subspan(start, std::min(bulk_chunk_rows, rows.size() - start));
            auto& insert = cached(bulk_, chunk.size(), bulk_insert_sql);
            int index = 0;
            for (const auto& row : chunk) {
                insert.bind(++index, row.name);
                bind_optional(insert, ++index, row.hair_color);
            }
            insert.exec();
            insert.reset();
        }
        transaction.commit();
    }

    std::vector<user_with_posts> load_associations() {
        std::vector<user> users = trivial_query();
        auto& posts_query = cached(posts_in_, users.size(), posts_in_sql);
        for (std::size_t i = 0; i < users.size(); ++i) {
            posts_query.bind(static_cast<int>(i + 1), static_cast<std::int64_t>(users[i].id));
        }
        std::vector<post> posts;
        while (posts_query.executeStep()) {
            posts.push_back(read_post(posts_query));
        }
        posts_query.reset();
        auto& comments_query = cached(comments_in_, posts.size(), comments_in_sql);
        for (std::size_t i = 0; i < posts.size(); ++i) {
            comments_query.bind(static_cast<int>(i + 1), static_cast<std::int64_t>(posts[i].id));
        }
        std::vector<comment> comments;
        while (comments_query.executeStep()) {
            comments.push_back({comments_query.getColumn(0).getInt64(),
                                comments_query.getColumn(1).getInt64(),
                                comments_query.getColumn(2).getString()});
        }
        comments_query.reset();
        return group_associations(std::move(users), std::move(posts), std::move(comments));
    }

    user find_user(std::int64_t id) {
        find_.bind(1, static_cast<std::int64_t>(id));
        if (!find_.executeStep()) {
            find_.reset();
            throw std::runtime_error("no user " + std::to_string(id));
        }
        user found = read_user(find_);
        find_.reset();
        return found;
    }

private:
    using statement_cache = std::map<std::size_t, std::unique_ptr<SQLite::Statement>>;
    SQLite::Statement& cached(statement_cache& cache, std::size_t count, std::string (*sql)(std::size_t)) {
        auto& slot = cache[count];
        if (!slot) {
            slot = std::make_unique<SQLite::Statement>(db_, sql(count));
        }
        return *slot;
    }

    SQLite::Database db_;
    SQLite::Statement select_users_, medium_, insert_, find_;
    statement_cache bulk_, posts_in_, comments_in_;
};

// --- the backend: one fresh database file per benchmark ----------------------------------------

}  // namespace

bool sqlite_backend::available(std::string&) { return true; }

struct sqlite_backend::database::state {
    std::string path;
    sqlite_connection db;

    explicit state(std::string name) : path(std::move(name)), db(path) {}
    template <class Row, class Bind>
    void insert_rows(std::span<const Row> rows, const char* sql, Bind bind) {
        db.exec("BEGIN");
        {
            statement insert(db.get(), sql);
            for (const auto& row : rows) {
                bind(insert, row);
                insert.step();
                insert.reset();
            }
        }
        db.exec("COMMIT");
    }
};

// An in-memory database (SQLite's memdb VFS) shared by every connection in the process that
// opens the same name, alive while the harness's connection is: what is measured is the
// library's cost, not the file system's locking calls (which cost ~13 us a query on /dev/shm).
sqlite_backend::database::database() {
    static std::atomic<int> counter{0};
    state_ = std::make_unique<state>("file:/crucible-bench-" + std::to_string(counter++) + "?vfs=memdb");
    state_->db.exec(schema_sql);
}

sqlite_backend::database::~database() = default;

std::string sqlite_backend::database::connection() const { return state_->path; }

void sqlite_backend::database::insert(std::span<const new_user> rows) {
    state_->insert_rows(rows, "INSERT INTO users (name, hair_color) VALUES (?, ?)",
                        [](statement& s, const new_user& r) {
                            s.bind_text(1, r.name);
                            s.bind_text(2, r.hair_color);
                        });
}

void sqlite_backend::database::insert(std::span<const new_post> rows) {
    state_->insert_rows(rows, "INSERT INTO posts (user_id, title, body) VALUES (?, ?, ?)",
                        [](statement& s, const new_post& r) {
                            s.bind_int(1, r.user_id);
                            s.bind_text(2, r.title);
                            s.bind_text(3, r.body);
                        });
}

void sqlite_backend::database::insert(std::span<const new_comment> rows) {
    state_->insert_rows(rows, "INSERT INTO comments (post_id, text) VALUES (?, ?)",
                        [](statement& s, const new_comment& r) {
                            s.bind_int(1, r.post_id);
                            s.bind_text(2, r.text);
                        });
}

void sqlite_backend::database::clear_users() { state_->db.exec("DELETE FROM users"); }

std::int64_t sqlite_backend::database::count_users() {
    statement count(state_->db.get(), "SELECT count(*) FROM users");
    count.step();
    return count.int_at(0);
}

namespace {

void register_peers() {
    register_peer<sqlite_backend, raw_peer>("raw");
    register_peer<sqlite_backend, sqlitecpp_peer>("sqlitecpp");
    register_sqlite_soci_peer();
    register_sqlite_crucible_peer();  // bench/sqlite_crucible.cpp
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
    // Every library's connection then accepts the harness's "file:/name?vfs=memdb" URIs.
    sqlite3_config(SQLITE_CONFIG_URI, 1);
    return bench::run_main<bench::sqlite_backend>(argc, argv, bench::register_peers);
}
