// 50 distinct queries against the benchmark schema, hand-written: SQL strings through SQLiteCpp,
// prepare + bind + read into structs. The baseline for crucible_50.cpp's compile time and memory
// (bench/compile_time/measure.sh); its main runs every query once on an in-memory database.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

struct user {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> hair_color;
};

struct post {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string title;
    std::optional<std::string> body;
};

struct comment {
    std::int64_t id = 0;
    std::int64_t post_id = 0;
    std::string text;
};

std::optional<std::string> optional_text(SQLite::Statement& query, int column) {
    if (query.isColumnNull(column)) {
        return std::nullopt;
    }
    return query.getColumn(column).getString();
}

user read_user(SQLite::Statement& query, int first) {
    return {query.getColumn(first).getInt64(), query.getColumn(first + 1).getString(),
            optional_text(query, first + 2)};
}

post read_post(SQLite::Statement& query, int first) {
    return {query.getColumn(first).getInt64(), query.getColumn(first + 1).getInt64(),
            query.getColumn(first + 2).getString(), optional_text(query, first + 3)};
}

comment read_comment(SQLite::Statement& query, int first) {
    return {query.getColumn(first).getInt64(), query.getColumn(first + 1).getInt64(),
            query.getColumn(first + 2).getString()};
}

void bind_optional(SQLite::Statement& query, int index, const std::optional<std::string>& value) {
    if (value) {
        query.bind(index, *value);
    } else {
        query.bind(index);
    }
}

// 1
std::optional<user> user_by_id(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_user(query, 0);
}

// 2
std::vector<user> all_users(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users");
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 3
std::vector<user> users_by_hair_color(SQLite::Database& db, const std::string& hair_color) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE hair_color = ?");
    query.bind(1, hair_color);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 4
std::vector<user> users_without_hair_color(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE hair_color IS NULL");
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 5
std::vector<user> users_by_name_prefix(SQLite::Database& db, const std::string& prefix) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE name LIKE ? || '%'");
    query.bind(1, prefix);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 6
std::vector<user> users_ordered_by_name(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users ORDER BY name");
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 7
std::vector<user> users_page(SQLite::Database& db, std::int64_t limit, std::int64_t offset) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users ORDER BY id LIMIT ? OFFSET ?");
    query.bind(1, limit);
    query.bind(2, offset);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 8
std::vector<user> users_with_id_above(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE id > ? ORDER BY id");
    query.bind(1, id);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 9
std::vector<user> users_in_id_range(SQLite::Database& db, std::int64_t low, std::int64_t high) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE id BETWEEN ? AND ?");
    query.bind(1, low);
    query.bind(2, high);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 10
std::int64_t user_count(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT count(*) FROM users");
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 11
std::int64_t user_count_by_hair_color(SQLite::Database& db, const std::string& hair_color) {
    SQLite::Statement query(db, "SELECT count(*) FROM users WHERE hair_color = ?");
    query.bind(1, hair_color);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 12
std::vector<std::string> user_names(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT name FROM users ORDER BY name");
    std::vector<std::string> rows;
    while (query.executeStep()) {
        rows.push_back(query.getColumn(0).getString());
    }
    return rows;
}

// 13
std::vector<std::string> distinct_hair_colors(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT DISTINCT hair_color FROM users WHERE hair_color IS NOT NULL");
    std::vector<std::string> rows;
    while (query.executeStep()) {
        rows.push_back(query.getColumn(0).getString());
    }
    return rows;
}

// 14
std::vector<std::pair<std::string, std::int64_t>> hair_color_counts(SQLite::Database& db) {
    SQLite::Statement query(
        db, "SELECT hair_color, count(*) FROM users WHERE hair_color IS NOT NULL GROUP BY hair_color");
    std::vector<std::pair<std::string, std::int64_t>> rows;
    while (query.executeStep()) {
        rows.push_back(std::pair{query.getColumn(0).getString(), query.getColumn(1).getInt64()});
    }
    return rows;
}

// 15
std::vector<user> newest_users(SQLite::Database& db, std::int64_t limit) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users ORDER BY id DESC LIMIT ?");
    query.bind(1, limit);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 16
std::optional<user> user_by_name(SQLite::Database& db, const std::string& name) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE name = ?");
    query.bind(1, name);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_user(query, 0);
}

// 17
std::vector<user> users_with_hair_or_name(SQLite::Database& db, const std::string& hair_color,
                                          const std::string& name) {
    SQLite::Statement query(db, "SELECT id, name, hair_color FROM users WHERE hair_color = ? OR name = ?");
    query.bind(1, hair_color);
    query.bind(2, name);
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 18
std::int64_t max_user_id(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT coalesce(max(id), 0) FROM users");
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 19
std::optional<post> post_by_id(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement query(db, "SELECT id, user_id, title, body FROM posts WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_post(query, 0);
}

// 20
std::vector<post> posts_of_user(SQLite::Database& db, std::int64_t user_id) {
    SQLite::Statement query(db, "SELECT id, user_id, title, body FROM posts WHERE user_id = ? ORDER BY id");
    query.bind(1, user_id);
    std::vector<post> rows;
    while (query.executeStep()) {
        rows.push_back(read_post(query, 0));
    }
    return rows;
}

// 21
std::vector<post> posts_without_body(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT id, user_id, title, body FROM posts WHERE body IS NULL");
    std::vector<post> rows;
    while (query.executeStep()) {
        rows.push_back(read_post(query, 0));
    }
    return rows;
}

// 22
std::vector<post> posts_by_title(SQLite::Database& db, const std::string& title) {
    SQLite::Statement query(db, "SELECT id, user_id, title, body FROM posts WHERE title = ?");
    query.bind(1, title);
    std::vector<post> rows;
    while (query.executeStep()) {
        rows.push_back(read_post(query, 0));
    }
    return rows;
}

// 23
std::vector<post> posts_with_title_like(SQLite::Database& db, const std::string& pattern) {
    SQLite::Statement query(db, "SELECT id, user_id, title, body FROM posts WHERE title LIKE ?");
    query.bind(1, pattern);
    std::vector<post> rows;
    while (query.executeStep()) {
        rows.push_back(read_post(query, 0));
    }
    return rows;
}

// 24
std::int64_t post_count(SQLite::Database& db) {
    SQLite::Statement query(db, "SELECT count(*) FROM posts");
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 25
std::int64_t post_count_of_user(SQLite::Database& db, std::int64_t user_id) {
    SQLite::Statement query(db, "SELECT count(*) FROM posts WHERE user_id = ?");
    query.bind(1, user_id);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 26
std::vector<post> latest_posts(SQLite::Database& db, std::int64_t limit) {
    SQLite::Statement query(db, "SELECT id, user_id, title, body FROM posts ORDER BY id DESC LIMIT ?");
    query.bind(1, limit);
    std::vector<post> rows;
    while (query.executeStep()) {
        rows.push_back(read_post(query, 0));
    }
    return rows;
}

// 27
std::vector<std::string> post_titles_of_user(SQLite::Database& db, std::int64_t user_id) {
    SQLite::Statement query(db, "SELECT title FROM posts WHERE user_id = ? ORDER BY title");
    query.bind(1, user_id);
    std::vector<std::string> rows;
    while (query.executeStep()) {
        rows.push_back(query.getColumn(0).getString());
    }
    return rows;
}

// 28
std::vector<post> posts_of_users_with_hair(SQLite::Database& db, const std::string& hair_color) {
    SQLite::Statement query(db,
                            "SELECT posts.id, posts.user_id, posts.title, posts.body FROM posts JOIN users "
                            "ON users.id = posts.user_id WHERE users.hair_color = ?");
    query.bind(1, hair_color);
    std::vector<post> rows;
    while (query.executeStep()) {
        rows.push_back(read_post(query, 0));
    }
    return rows;
}

// 29
std::vector<std::pair<user, post>> users_with_posts(SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, "
                            "posts.title, posts.body FROM users JOIN posts ON posts.user_id = users.id");
    std::vector<std::pair<user, post>> rows;
    while (query.executeStep()) {
        rows.push_back(std::pair{read_user(query, 0), read_post(query, 3)});
    }
    return rows;
}

// 30
std::vector<std::pair<user, std::optional<post>>> users_left_join_posts(SQLite::Database& db,
                                                                        const std::string& hair_color) {
    SQLite::Statement query(
        db,
        "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body "
        "FROM users LEFT JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?");
    query.bind(1, hair_color);
    std::vector<std::pair<user, std::optional<post>>> rows;
    while (query.executeStep()) {
        rows.push_back(std::pair{read_user(query, 0), query.isColumnNull(3)
                                                          ? std::nullopt
                                                          : std::optional<post>(read_post(query, 3))});
    }
    return rows;
}

// 31
std::vector<std::pair<std::string, std::int64_t>> post_counts_per_user(SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT users.name, count(posts.id) FROM users LEFT JOIN posts ON posts.user_id "
                            "= users.id GROUP BY users.id, users.name");
    std::vector<std::pair<std::string, std::int64_t>> rows;
    while (query.executeStep()) {
        rows.push_back(std::pair{query.getColumn(0).getString(), query.getColumn(1).getInt64()});
    }
    return rows;
}

// 32
std::vector<std::pair<std::string, std::int64_t>> users_with_more_posts_than(SQLite::Database& db,
                                                                             std::int64_t minimum) {
    SQLite::Statement query(db,
                            "SELECT users.name, count(posts.id) FROM users JOIN posts ON posts.user_id = "
                            "users.id GROUP BY users.id, users.name HAVING count(posts.id) > ?");
    query.bind(1, minimum);
    std::vector<std::pair<std::string, std::int64_t>> rows;
    while (query.executeStep()) {
        rows.push_back(std::pair{query.getColumn(0).getString(), query.getColumn(1).getInt64()});
    }
    return rows;
}

// 33
std::vector<user> users_without_posts(SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT id, name, hair_color FROM users WHERE NOT EXISTS (SELECT 1 FROM posts "
                            "WHERE posts.user_id = users.id)");
    std::vector<user> rows;
    while (query.executeStep()) {
        rows.push_back(read_user(query, 0));
    }
    return rows;
}

// 34
std::optional<user> author_of_post(SQLite::Database& db, std::int64_t post_id) {
    SQLite::Statement query(db,
                            "SELECT users.id, users.name, users.hair_color FROM users JOIN posts ON "
                            "posts.user_id = users.id WHERE posts.id = ?");
    query.bind(1, post_id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_user(query, 0);
}

// 35
std::optional<comment> comment_by_id(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement query(db, "SELECT id, post_id, text FROM comments WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_comment(query, 0);
}

// 36
std::vector<comment> comments_of_post(SQLite::Database& db, std::int64_t post_id) {
    SQLite::Statement query(db, "SELECT id, post_id, text FROM comments WHERE post_id = ? ORDER BY id");
    query.bind(1, post_id);
    std::vector<comment> rows;
    while (query.executeStep()) {
        rows.push_back(read_comment(query, 0));
    }
    return rows;
}

// 37
std::int64_t comment_count_of_post(SQLite::Database& db, std::int64_t post_id) {
    SQLite::Statement query(db, "SELECT count(*) FROM comments WHERE post_id = ?");
    query.bind(1, post_id);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 38
std::vector<comment> comments_with_text_like(SQLite::Database& db, const std::string& pattern) {
    SQLite::Statement query(db, "SELECT id, post_id, text FROM comments WHERE text LIKE ?");
    query.bind(1, pattern);
    std::vector<comment> rows;
    while (query.executeStep()) {
        rows.push_back(read_comment(query, 0));
    }
    return rows;
}

// 39
std::vector<comment> comments_of_user(SQLite::Database& db, std::int64_t user_id) {
    SQLite::Statement query(db,
                            "SELECT comments.id, comments.post_id, comments.text FROM comments JOIN posts ON "
                            "posts.id = comments.post_id WHERE posts.user_id = ?");
    query.bind(1, user_id);
    std::vector<comment> rows;
    while (query.executeStep()) {
        rows.push_back(read_comment(query, 0));
    }
    return rows;
}

// 40
std::vector<std::pair<std::string, std::int64_t>> comment_counts_per_post(SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT posts.title, count(comments.id) FROM posts LEFT JOIN comments ON "
                            "comments.post_id = posts.id GROUP BY posts.id, posts.title");
    std::vector<std::pair<std::string, std::int64_t>> rows;
    while (query.executeStep()) {
        rows.push_back(std::pair{query.getColumn(0).getString(), query.getColumn(1).getInt64()});
    }
    return rows;
}

// 41
std::int64_t comment_count_of_user(SQLite::Database& db, std::int64_t user_id) {
    SQLite::Statement query(
        db,
        "SELECT count(*) FROM comments JOIN posts ON posts.id = comments.post_id WHERE posts.user_id = ?");
    query.bind(1, user_id);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

// 42
std::vector<comment> latest_comments(SQLite::Database& db, std::int64_t limit) {
    SQLite::Statement query(db, "SELECT id, post_id, text FROM comments ORDER BY id DESC LIMIT ?");
    query.bind(1, limit);
    std::vector<comment> rows;
    while (query.executeStep()) {
        rows.push_back(read_comment(query, 0));
    }
    return rows;
}

// 43
std::vector<std::string> commenter_names_on_hair_color(SQLite::Database& db, const std::string& hair_color) {
    SQLite::Statement query(db,
                            "SELECT DISTINCT users.name FROM users JOIN posts ON posts.user_id = users.id "
                            "JOIN comments ON comments.post_id = posts.id WHERE users.hair_color = ?");
    query.bind(1, hair_color);
    std::vector<std::string> rows;
    while (query.executeStep()) {
        rows.push_back(query.getColumn(0).getString());
    }
    return rows;
}

// 44
int insert_user(SQLite::Database& db, const std::string& name, const std::optional<std::string>& hair_color) {
    SQLite::Statement query(db, "INSERT INTO users (name, hair_color) VALUES (?, ?)");
    query.bind(1, name);
    bind_optional(query, 2, hair_color);
    return query.exec();
}

// 45
int insert_post(SQLite::Database& db, std::int64_t user_id, const std::string& title,
                const std::optional<std::string>& body) {
    SQLite::Statement query(db, "INSERT INTO posts (user_id, title, body) VALUES (?, ?, ?)");
    query.bind(1, user_id);
    query.bind(2, title);
    bind_optional(query, 3, body);
    return query.exec();
}

// 46
int insert_comment(SQLite::Database& db, std::int64_t post_id, const std::string& text) {
    SQLite::Statement query(db, "INSERT INTO comments (post_id, text) VALUES (?, ?)");
    query.bind(1, post_id);
    query.bind(2, text);
    return query.exec();
}

// 47
int rename_user(SQLite::Database& db, const std::string& name, std::int64_t id) {
    SQLite::Statement query(db, "UPDATE users SET name = ? WHERE id = ?");
    query.bind(1, name);
    query.bind(2, id);
    return query.exec();
}

// 48
int set_hair_color(SQLite::Database& db, const std::optional<std::string>& hair_color, std::int64_t id) {
    SQLite::Statement query(db, "UPDATE users SET hair_color = ? WHERE id = ?");
    bind_optional(query, 1, hair_color);
    query.bind(2, id);
    return query.exec();
}

// 49
int delete_comments_of_post(SQLite::Database& db, std::int64_t post_id) {
    SQLite::Statement query(db, "DELETE FROM comments WHERE post_id = ?");
    query.bind(1, post_id);
    return query.exec();
}

// 50
int delete_user(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement query(db, "DELETE FROM users WHERE id = ?");
    query.bind(1, id);
    return query.exec();
}

}  // namespace

int main() {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title "
        "TEXT NOT NULL, body TEXT);"
        "CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id), text "
        "TEXT NOT NULL);"
        "CREATE INDEX users_hair_color ON users (hair_color);"
        "CREATE INDEX posts_user_id ON posts (user_id);"
        "INSERT INTO users (name, hair_color) VALUES ('black', 'black'), ('Sean', NULL);"
        "INSERT INTO posts (user_id, title, body) VALUES (1, 'black', NULL), (1, 'Second', 'Body');"
        "INSERT INTO comments (post_id, text) VALUES (1, 'black'), (2, 'Nice');");
    std::size_t total = 0;
    total += user_by_id(db, 1).has_value() ? 1 : 0;
    total += all_users(db).size();
    total += users_by_hair_color(db, "black").size();
    total += users_without_hair_color(db).size();
    total += users_by_name_prefix(db, "black").size();
    total += users_ordered_by_name(db).size();
    total += users_page(db, 1, 1).size();
    total += users_with_id_above(db, 1).size();
    total += users_in_id_range(db, 1, 1).size();
    total += static_cast<std::size_t>(user_count(db));
    total += static_cast<std::size_t>(user_count_by_hair_color(db, "black"));
    total += user_names(db).size();
    total += distinct_hair_colors(db).size();
    total += hair_color_counts(db).size();
    total += newest_users(db, 1).size();
    total += user_by_name(db, "black").has_value() ? 1 : 0;
    total += users_with_hair_or_name(db, "black", "black").size();
    total += static_cast<std::size_t>(max_user_id(db));
    total += post_by_id(db, 1).has_value() ? 1 : 0;
    total += posts_of_user(db, 1).size();
    total += posts_without_body(db).size();
    total += posts_by_title(db, "black").size();
    total += posts_with_title_like(db, "black").size();
    total += static_cast<std::size_t>(post_count(db));
    total += static_cast<std::size_t>(post_count_of_user(db, 1));
    total += latest_posts(db, 1).size();
    total += post_titles_of_user(db, 1).size();
    total += posts_of_users_with_hair(db, "black").size();
    total += users_with_posts(db).size();
    total += users_left_join_posts(db, "black").size();
    total += post_counts_per_user(db).size();
    total += users_with_more_posts_than(db, 1).size();
    total += users_without_posts(db).size();
    total += author_of_post(db, 1).has_value() ? 1 : 0;
    total += comment_by_id(db, 1).has_value() ? 1 : 0;
    total += comments_of_post(db, 1).size();
    total += static_cast<std::size_t>(comment_count_of_post(db, 1));
    total += comments_with_text_like(db, "black").size();
    total += comments_of_user(db, 1).size();
    total += comment_counts_per_post(db).size();
    total += static_cast<std::size_t>(comment_count_of_user(db, 1));
    total += latest_comments(db, 1).size();
    total += commenter_names_on_hair_color(db, "black").size();
    total += static_cast<std::size_t>(insert_user(db, "black", std::optional<std::string>("brown")));
    total += static_cast<std::size_t>(insert_post(db, 1, "black", std::optional<std::string>("brown")));
    total += static_cast<std::size_t>(insert_comment(db, 1, "black"));
    total += static_cast<std::size_t>(rename_user(db, "black", 1));
    total += static_cast<std::size_t>(set_hair_color(db, std::optional<std::string>("brown"), 1));
    total += static_cast<std::size_t>(delete_comments_of_post(db, 1));
    total += static_cast<std::size_t>(delete_user(db, 1));
    std::printf("50 queries ran, %zu rows or changes\n", total);
    return 0;
}
