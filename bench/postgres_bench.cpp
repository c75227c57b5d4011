// PostgreSQL benchmarks: libpq (raw baseline), libpqxx and SOCI, side by side.
#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <utility>

#include "harness.hpp"
#include "postgres_backend.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

constexpr const char* schema_sql = R"(
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, hair_color text);
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id),
                    title text NOT NULL, body text);
CREATE TABLE comments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts (id),
                       text text NOT NULL);
CREATE INDEX users_hair_color ON users (hair_color);
CREATE INDEX posts_user_id ON posts (user_id);
)";

constexpr const char* select_users_sql = "SELECT id, name, hair_color FROM users";
constexpr const char* medium_sql =
    "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body "
    "FROM users LEFT JOIN posts ON posts.user_id = users.id WHERE users.hair_color = $1";
constexpr const char* insert_user_sql = "INSERT INTO users (name, hair_color) VALUES ($1, $2)";
constexpr const char* find_user_sql = "SELECT id, name, hair_color FROM users WHERE id = $1";

std::string dollar_list(std::size_t keys) {
    return placeholder_list(1, keys, [](std::size_t i) { return "$" + std::to_string(i + 1); });
}
std::string posts_in_sql(std::size_t keys) {
    return "SELECT id, user_id, title, body FROM posts WHERE user_id IN " + dollar_list(keys);
}
std::string comments_in_sql(std::size_t keys) {
    return "SELECT id, post_id, text FROM comments WHERE post_id IN " + dollar_list(keys);
}

// --- libpq, statements prepared once ----------------------------------------------------------

class result {
public:
    explicit result(PGresult* r) : r_(r) {}
    result(result&& other) noexcept : r_(std::exchange(other.r_, nullptr)) {}
    result(const result&) = delete;
    result& operator=(const result&) = delete;
    ~result() { PQclear(r_); }
    PGresult* get() const { return r_; }
    int rows() const { return PQntuples(r_); }
    bool null_at(int row, int column) const { return PQgetisnull(r_, row, column) != 0; }
    std::int64_t int_at(int row, int column) const {
        const char* text = PQgetvalue(r_, row, column);
        std::int64_t value = 0;
        std::from_chars(text, text + PQgetlength(r_, row, column), value);
        return value;
    }
    std::string text_at(int row, int column) const {
        return std::string(PQgetvalue(r_, row, column),
                           static_cast<std::size_t>(PQgetlength(r_, row, column)));
    }
    std::optional<std::string> optional_text_at(int row, int column) const {
        return null_at(row, column) ? std::nullopt : std::optional<std::string>(text_at(row, column));
    }

private:
    PGresult* r_;
};

class pg_connection {
public:
    explicit pg_connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = PQerrorMessage(conn_);
            PQfinish(conn_);
            throw std::runtime_error("libpq: " + message);
        }
    }
    pg_connection(const pg_connection&) = delete;
    pg_connection& operator=(const pg_connection&) = delete;
    ~pg_connection() { PQfinish(conn_); }
    PGconn* get() const { return conn_; }

    // Throws unless the result has the expected status.
    result checked(PGresult* r, ExecStatusType expected) const {
        result owned(r);
        if (PQresultStatus(r) != expected) {
            throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
        }
        return owned;
    }
    void exec(const char* sql) const { checked(PQexec(conn_, sql), PGRES_COMMAND_OK); }
    void prepare(const std::string& name, const std::string& sql) const {
        checked(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), PGRES_COMMAND_OK);
    }
    result run(const std::string& name, int count, const char* const* values, const int* lengths,
               ExecStatusType expected = PGRES_TUPLES_OK) const {
        return checked(PQexecPrepared(conn_, name.c_str(), count, values, lengths, nullptr, 0), expected);
    }

    // COPY table (columns) FROM STDIN in text format; `write_row(std::string&, row)` appends a line.
    template <class Row, class WriteRow>
    void copy(const char* copy_sql, std::span<const Row> rows, WriteRow write_row) const {
        checked(PQexec(conn_, copy_sql), PGRES_COPY_IN);
        std::string buffer;
        buffer.reserve(1 << 17);
        for (const auto& row : rows) {
            write_row(buffer, row);
            if (buffer.size() >= (1 << 16)) {
                send(buffer);
            }
        }
        send(buffer);
        if (PQputCopyEnd(conn_, nullptr) != 1) {
            throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
        }
        checked(PQgetResult(conn_), PGRES_COMMAND_OK);
        while (PGresult* extra = PQgetResult(conn_)) {
            PQclear(extra);
        }
    }

private:
    void send(std::string& buffer) const {
        if (!buffer.empty() && PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
            throw std::runtime_error(std::string("libpq: ") + PQerrorMessage(conn_));
        }
        buffer.clear();
    }

    PGconn* conn_;
};

// COPY's text format: backslash escapes, \N for NULL, tab between fields.
void append_copy_text(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
}
void append_copy_nullable(std::string& out, const std::optional<std::string>& text) {
    if (text) {
        append_copy_text(out, *text);
    } else {
        out += "\\N";
    }
}
void append_copy_int(std::string& out, std::int64_t value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}
void write_user_line(std::string& out, const new_user& row) {
    append_copy_text(out, row.name);
    out += '\t';
    append_copy_nullable(out, row.hair_color);
    out += '\n';
}

user read_user(const result& r, int row, int first = 0) {
    return {r.int_at(row, first), r.text_at(row, first + 1), r.optional_text_at(row, first + 2)};
}
post read_post(const result& r, int row, int first = 0) {
    return {r.int_at(row, first), r.int_at(row, first + 1), r.text_at(row, first + 2),
            r.optional_text_at(row, first + 3)};
}

// Text parameters for a list of keys, kept alive while the statement runs.
struct key_parameters {
    std::vector<std::array<char, 24>> text;
    std::vector<const char*> values;
    std::vector<int> lengths;
    void assign(std::size_t count, auto key_of) {
        text.resize(count);
        values.resize(count);
        lengths.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            auto end = std::to_chars(text[i].data(), text[i].data() + text[i].size() - 1, key_of(i)).ptr;
            *end = '\0';  // libpq reads text parameters up to the terminator
            values[i] = text[i].data();
            lengths[i] = static_cast<int>(end - text[i].data());
        }
    }
};

class raw_peer {
public:
    explicit raw_peer(const std::string& conninfo) : connection_(conninfo) {
        connection_.prepare("select_users", select_users_sql);
        connection_.prepare("medium", medium_sql);
        connection_.prepare("insert_user", insert_user_sql);
        connection_.prepare("find_user", find_user_sql);
    }

    std::vector<user> trivial_query() {
        auto r = connection_.run("select_users", 0, nullptr, nullptr);
        std::vector<user> out;
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(read_user(r, i));
        }
        return out;
    }

    std::vector<user_and_post> medium_complex(std::string_view hair_color) {
        std::string parameter(hair_color);
        const char* values[] = {parameter.c_str()};
        auto r = connection_.run("medium", 1, values, nullptr);
        std::vector<user_and_post> out;
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) {
            out.emplace_back(read_user(r, i),
                             r.null_at(i, 3) ? std::nullopt : std::optional<post>(read_post(r, i, 3)));
        }
        return out;
    }

    void insert_one_by_one(std::span<const new_user> rows) {
        connection_.exec("BEGIN");
        for (const auto& row : rows) {
            const char* values[] = {row.name.c_str(), row.hair_color ? row.hair_color->c_str() : nullptr};
            connection_.run("insert_user", 2, values, nullptr, PGRES_COMMAND_OK);
        }
        connection_.exec("COMMIT");
    }

    void bulk_insert(std::span<const new_user> rows) {
        connection_.copy("COPY users (name, hair_color) FROM STDIN", rows, write_user_line);
    }

    std::vector<user_with_posts> load_associations() {
        std::vector<user> users = trivial_query();
        keys_.assign(users.size(), [&](std::size_t i) { return users[i].id; });
        std::vector<post> posts;
        {
            auto r =
                connection_.run(prepared(posts_in_, users.size(), "posts_in_", posts_in_sql),
                                static_cast<int>(users.size()), keys_.values.data(), keys_.lengths.data());
            posts.reserve(static_cast<std::size_t>(r.rows()));
            for (int i = 0; i < r.rows(); ++i) {
                posts.push_back(read_post(r, i));
            }
        }
        keys_.assign(posts.size(), [&](std::size_t i) { return posts[i].id; });
        std::vector<comment> comments;
        {
            auto r =
                connection_.run(prepared(comments_in_, posts.size(), "comments_in_", comments_in_sql),
                                static_cast<int>(posts.size()), keys_.values.data(), keys_.lengths.data());
            comments.reserve(static_cast<std::size_t>(r.rows()));
            for (int i = 0; i < r.rows(); ++i) {
                comments.push_back({r.int_at(i, 0), r.int_at(i, 1), r.text_at(i, 2)});
            }
        }
        return group_associations(std::move(users), std::move(posts), std::move(comments));
    }

    user find_user(std::int64_t id) {
        char key[24];
        auto end = std::to_chars(key, key + sizeof key - 1, id).ptr;
        *end = '\0';  // libpq reads text parameters up to the terminator
        const char* values[] = {key};
        const int lengths[] = {static_cast<int>(end - key)};
        auto r = connection_.run("find_user", 1, values, lengths);
        if (r.rows() != 1) {
            throw std::runtime_error("no user " + std::to_string(id));
        }
        return read_user(r, 0);
    }

private:
    // Name of the statement for `count` keys, prepared on first use.
    const std::string& prepared(std::map<std::size_t, std::string>& names, std::size_t count,
                                const char* prefix, std::string (*sql)(std::size_t)) {
        auto& name = names[count];
        if (name.empty()) {
            name = prefix + std::to_string(count);
            connection_.prepare(name, sql(count));
        }
        return name;
    }

    pg_connection connection_;
    key_parameters keys_;
    std::map<std::size_t, std::string> posts_in_, comments_in_;
};

// --- libpqxx 6.4 used directly -----------------------------------------------------------------

user read_user(const pqxx::row& row, int first = 0) {
    return {row[first].as<std::int64_t>(), row[first + 1].as<std::string>(),
            row[first + 2].is_null() ? std::nullopt
                                     : std::optional<std::string>(row[first + 2].as<std::string>())};
}
post read_post(const pqxx::row& row, int first = 0) {
    return {row[first].as<std::int64_t>(), row[first + 1].as<std::int64_t>(),
            row[first + 2].as<std::string>(),
            row[first + 3].is_null() ? std::nullopt
                                     : std::optional<std::string>(row[first + 3].as<std::string>())};
}
// Debian's libpqxx is built without std::optional support: a null parameter is a null pointer.
const char* nullable(const std::optional<std::string>& value) { return value ? value->c_str() : nullptr; }

class pqxx_peer {
public:
    explicit pqxx_peer(const std::string& conninfo) : connection_(conninfo) {
        connection_.prepare("select_users", select_users_sql);
        connection_.prepare("medium", medium_sql);
        connection_.prepare("insert_user", insert_user_sql);
        connection_.prepare("find_user", find_user_sql);
    }

    std::vector<user> trivial_query() {
        pqxx::nontransaction tx(connection_);
        const pqxx::result r = tx.exec_prepared("select_users");
        std::vector<user> out;
        out.reserve(r.size());
        for (const auto& row : r) {
            out.push_back(read_user(row));
        }
        return out;
    }

    std::vector<user_and_post> medium_complex(std::string_view hair_color) {
        pqxx::nontransaction tx(connection_);
        const pqxx::result r = tx.exec_prepared("medium", std::string(hair_color));
        std::vector<user_and_post> out;
        out.reserve(r.size());
        for (const auto& row : r) {
            out.emplace_back(read_user(row),
                             row[3].is_null() ? std::nullopt : std::optional<post>(read_post(row, 3)));
        }
        return out;
    }

    void insert_one_by_one(std::span<const new_user> rows) {
        pqxx::work tx(connection_);
        for (const auto& row : rows) {
            tx.exec_prepared("insert_user", row.name, nullable(row.hair_color));
        }
        tx.commit();
    }

    // pqxx::stream_to: COPY in text format.
    void bulk_insert(std::span<const new_user> rows) {
        pqxx::work tx(connection_);
        pqxx::stream_to stream(tx, "users", std::vector<std::string>{"name", "hair_color"});
        for (const auto& row : rows) {
            stream << std::make_tuple(row.name, nullable(row.hair_color));
        }
        stream.complete();
        tx.commit();
    }

    std::vector<user_with_posts> load_associations() {
        pqxx::nontransaction tx(connection_);
        std::vector<user> users;
        for (const auto& row : tx.exec_prepared("select_users")) {
            users.push_back(read_user(row));
        }
        keys_.clear();
        for (const auto& u : users) {
            keys_.push_back(u.id);
        }
        std::vector<post> posts;
        for (const auto& row : tx.exec_prepared(prepared(posts_in_, keys_.size(), "posts_in_", posts_in_sql),
                                                pqxx::prepare::make_dynamic_params(keys_))) {
            posts.push_back(read_post(row));
        }
        keys_.clear();
        for (const auto& p : posts) {
            keys_.push_back(p.id);
        }
        std::vector<comment> comments;
        for (const auto& row :
             tx.exec_prepared(prepared(comments_in_, keys_.size(), "comments_in_", comments_in_sql),
                              pqxx::prepare::make_dynamic_params(keys_))) {
            comments.push_back(
                {row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::string>()});
        }
        return group_associations(std::move(users), std::move(posts), std::move(comments));
    }

    user find_user(std::int64_t id) {
        pqxx::nontransaction tx(connection_);
        const pqxx::result r = tx.exec_prepared("find_user", id);
        if (r.size() != 1) {
            throw std::runtime_error("no user " + std::to_string(id));
        }
        return read_user(r[0]);
    }

private:
    const std::string& prepared(std::map<std::size_t, std::string>& names, std::size_t count,
                                const char* prefix, std::string (*sql)(std::size_t)) {
        auto& name = names[count];
        if (name.empty()) {
            name = prefix + std::to_string(count);
            connection_.prepare(name, sql(count));
        }
        return name;
    }

    pqxx::connection connection_;
    std::vector<std::int64_t> keys_;
    std::map<std::size_t, std::string> posts_in_, comments_in_;
};

// --- the backend: a fresh schema per benchmark in the server libpq's PG* variables name -------

}  // namespace

// As in the test suite: pg_virtualenv (or the user) sets PGHOST or PGDATABASE.
bool postgres_backend::available(std::string& why) {
    if (std::getenv("PGHOST") != nullptr || std::getenv("PGDATABASE") != nullptr) {
        return true;
    }
    why = "no PostgreSQL server configured (PGHOST unset); run under pg_virtualenv -o fsync=off";
    return false;
}

namespace {

// The benchmark schema, made once per process (fresh tables per benchmark are a TRUNCATE away),
// under a name of its own so a run beside the test suite touches none of its tables; dropped at
// exit.
struct process_schema {
    std::string name = "crucible_bench_" + std::to_string(::getpid());
    pg_connection admin{""};

    process_schema() {
        std::string setup = "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + name +
                            " CASCADE; CREATE SCHEMA " + name + "; SET search_path = " + name + ";" +
                            schema_sql;
        admin.exec(setup.c_str());
    }
    process_schema(const process_schema&) = delete;
    process_schema& operator=(const process_schema&) = delete;
    ~process_schema() {
        try {
            admin.exec(("DROP SCHEMA IF EXISTS " + name + " CASCADE").c_str());
        } catch (const std::exception&) {
            // Leaving a schema behind in a throwaway cluster is harmless.
        }
    }
    static process_schema& get() {
        static process_schema schema;
        return schema;
    }
};

}  // namespace

struct postgres_backend::database::state {
    process_schema& schema = process_schema::get();
    pg_connection& admin = schema.admin;
};

postgres_backend::database::database() : state_(std::make_unique<state>()) {
    state_->admin.exec("TRUNCATE users, posts, comments RESTART IDENTITY");
}

postgres_backend::database::~database() = default;

// libpq fills in everything else from the PG* environment variables.
std::string postgres_backend::database::connection() const {
    return "options='-c search_path=" + state_->schema.name + "'";
}

void postgres_backend::database::insert(std::span<const new_user> rows) {
    state_->admin.copy("COPY users (name, hair_color) FROM STDIN", rows, write_user_line);
    state_->admin.exec("ANALYZE users");
}

void postgres_backend::database::insert(std::span<const new_post> rows) {
    state_->admin.copy("COPY posts (user_id, title, body) FROM STDIN", rows,
                       [](std::string& out, const new_post& row) {
                           append_copy_int(out, row.user_id);
                           out += '\t';
                           append_copy_text(out, row.title);
                           out += '\t';
                           append_copy_nullable(out, row.body);
                           out += '\n';
                       });
    state_->admin.exec("ANALYZE posts");
}

void postgres_backend::database::insert(std::span<const new_comment> rows) {
    state_->admin.copy("COPY comments (post_id, text) FROM STDIN", rows,
                       [](std::string& out, const new_comment& row) {
                           append_copy_int(out, row.post_id);
                           out += '\t';
                           append_copy_text(out, row.text);
                           out += '\n';
                       });
    state_->admin.exec("ANALYZE comments");
}

void postgres_backend::database::clear_users() {
    state_->admin.exec("TRUNCATE users RESTART IDENTITY CASCADE");
}

std::int64_t postgres_backend::database::count_users() {
    auto r =
        state_->admin.checked(PQexec(state_->admin.get(), "SELECT count(*) FROM users"), PGRES_TUPLES_OK);
    return r.int_at(0, 0);
}

namespace {

void register_peers() {
    register_peer<postgres_backend, raw_peer>("raw");
    register_peer<postgres_backend, pqxx_peer>("pqxx");
    register_postgres_soci_peer();
    register_postgres_crucible_peer();  // bench/postgres_crucible.cpp
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
    return bench::run_main<bench::postgres_backend>(argc, argv, bench::register_peers);
}
