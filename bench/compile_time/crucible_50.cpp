// The 50 queries of handwritten_50.cpp, written with crucible: typed statements whose SQL the
// compiler computes, run through the engine's connection (prepared once, bound, read into
// structs). The other half of the compile-time comparison (bench/compile_time/measure.sh); its
// main runs every query once on an in-memory database, as handwritten_50's does.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"

namespace {

using namespace crucible;
using crucible::select;  // POSIX select(2)

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> hair_color;
};
constexpr auto crucible_table(crucible::table_tag<User>) {
    return crucible::table_options{crucible::table_name("users"), crucible::index_on<&User::hair_color>};
}

struct Post {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string title;
    std::optional<std::string> body;
};
constexpr auto crucible_table(crucible::table_tag<Post>) {
    return crucible::table_options{crucible::table_name("posts"), crucible::index_on<&Post::user_id>};
}

struct Comment {
    std::int64_t id = 0;
    std::int64_t post_id = 0;
    std::string text;
};
constexpr auto crucible_table(crucible::table_tag<Comment>) {
    return crucible::table_options{crucible::table_name("comments")};
}

using connection = crucible::sqlite_connection;
using name_count = std::tuple<std::string, std::int64_t>;

// 1
std::optional<User> user_by_id(connection& db, std::int64_t id) {
    return db.one_or_none(select<User>().where(col<&User::id> == id));
}

// 2
std::vector<User> all_users(connection& db) { return db.all(select<User>()); }

// 3
std::vector<User> users_by_hair_color(connection& db, const std::string& hair_color) {
    return db.all(select<User>().where(col<&User::hair_color> == hair_color));
}

// 4
std::vector<User> users_without_hair_color(connection& db) {
    return db.all(select<User>().where(is_null(col<&User::hair_color>)));
}

// 5
std::vector<User> users_by_name_prefix(connection& db, const std::string& prefix) {
    return db.all(select<User>().where(like(col<&User::name>, prefix + "%")));
}

// 6
std::vector<User> users_ordered_by_name(connection& db) {
    return db.all(select<User>().order_by(col<&User::name>));
}

// 7
std::vector<User> users_page(connection& db, std::int64_t limit, std::int64_t offset) {
    return db.all(select<User>().order_by(col<&User::id>).limit(limit).offset(offset));
}

// 8
std::vector<User> users_with_id_above(connection& db, std::int64_t id) {
    return db.all(select<User>().where(col<&User::id> > id).order_by(col<&User::id>));
}

// 9
std::vector<User> users_in_id_range(connection& db, std::int64_t low, std::int64_t high) {
    return db.all(select<User>().where(between(col<&User::id>, low, high)));
}

// 10
std::int64_t user_count(connection& db) { return db.scalar(select(count()).from<User>()); }

// 11
std::int64_t user_count_by_hair_color(connection& db, const std::string& hair_color) {
    return db.scalar(select(count()).from<User>().where(col<&User::hair_color> == hair_color));
}

// 12
std::vector<std::tuple<std::string>> user_names(connection& db) {
    return db.all(select(col<&User::name>).from<User>().order_by(col<&User::name>));
}

// 13
std::vector<std::tuple<std::optional<std::string>>> distinct_hair_colors(connection& db) {
    return db.all(select(col<&User::hair_color>).from<User>().where(is_not_null(col<&User::hair_color>)).distinct());
}

// 14
std::vector<std::tuple<std::optional<std::string>, std::int64_t>> hair_color_counts(connection& db) {
    return db.all(select(col<&User::hair_color>, count())
                      .from<User>()
                      .where(is_not_null(col<&User::hair_color>))
                      .group_by(col<&User::hair_color>));
}

// 15
std::vector<User> newest_users(connection& db, std::int64_t limit) {
    return db.all(select<User>().order_by(desc(col<&User::id>)).limit(limit));
}

// 16
std::optional<User> user_by_name(connection& db, const std::string& name) {
    return db.one_or_none(select<User>().where(col<&User::name> == name));
}

// 17
std::vector<User> users_with_hair_or_name(connection& db, const std::string& hair_color, const std::string& name) {
    return db.all(select<User>().where(col<&User::hair_color> == hair_color || col<&User::name> == name));
}

// 18
std::int64_t max_user_id(connection& db) {
    return db.scalar(select(coalesce(max(col<&User::id>), std::int64_t{0})).from<User>());
}

// 19
std::optional<Post> post_by_id(connection& db, std::int64_t id) {
    return db.one_or_none(select<Post>().where(col<&Post::id> == id));
}

// 20
std::vector<Post> posts_of_user(connection& db, std::int64_t user_id) {
    return db.all(select<Post>().where(col<&Post::user_id> == user_id).order_by(col<&Post::id>));
}

// 21
std::vector<Post> posts_without_body(connection& db) {
    return db.all(select<Post>().where(is_null(col<&Post::body>)));
}

// 22
std::vector<Post> posts_by_title(connection& db, const std::string& title) {
    return db.all(select<Post>().where(col<&Post::title> == title));
}

// 23
std::vector<Post> posts_with_title_like(connection& db, const std::string& pattern) {
    return db.all(select<Post>().where(like(col<&Post::title>, pattern)));
}

// 24
std::int64_t post_count(connection& db) { return db.scalar(select(count()).from<Post>()); }

// 25
std::int64_t post_count_of_user(connection& db, std::int64_t user_id) {
    return db.scalar(select(count()).from<Post>().where(col<&Post::user_id> == user_id));
}

// 26
std::vector<Post> latest_posts(connection& db, std::int64_t limit) {
    return db.all(select<Post>().order_by(desc(col<&Post::id>)).limit(limit));
}

// 27
std::vector<std::tuple<std::string>> post_titles_of_user(connection& db, std::int64_t user_id) {
    return db.all(select(col<&Post::title>)
                      .from<Post>()
                      .where(col<&Post::user_id> == user_id)
                      .order_by(col<&Post::title>));
}

// 28
std::vector<Post> posts_of_users_with_hair(connection& db, const std::string& hair_color) {
    return db.all(select(all_of<Post>)
                      .from<Post>()
                      .join<User>(col<&User::id> == col<&Post::user_id>)
                      .where(col<&User::hair_color> == hair_color));
}

// 29
std::vector<std::tuple<User, Post>> users_with_posts(connection& db) {
    return db.all(select(all_of<User>, all_of<Post>).from<User>().join<Post>(col<&Post::user_id> == col<&User::id>));
}

// 30
std::vector<std::tuple<User, std::optional<Post>>> users_left_join_posts(connection& db,
                                                                         const std::string& hair_color) {
    return db.all(select(all_of<User>, all_of<Post>)
                      .from<User>()
                      .left_join<Post>(col<&Post::user_id> == col<&User::id>)
                      .where(col<&User::hair_color> == hair_color));
}

// 31
std::vector<name_count> post_counts_per_user(connection& db) {
    return db.all(select(col<&User::name>, count(col<&Post::id>))
                      .from<User>()
                      .left_join<Post>(col<&Post::user_id> == col<&User::id>)
                      .group_by(col<&User::id>, col<&User::name>));
}

// 32
std::vector<name_count> users_with_more_posts_than(connection& db, std::int64_t minimum) {
    return db.all(select(col<&User::name>, count(col<&Post::id>))
                      .from<User>()
                      .join<Post>(col<&Post::user_id> == col<&User::id>)
                      .group_by(col<&User::id>, col<&User::name>)
                      .having(count(col<&Post::id>) > minimum));
}

// 33
std::vector<User> users_without_posts(connection& db) {
    return db.all(select<User>().where(
        !exists(select(col<&Post::id>).from<Post>().where(col<&Post::user_id> == col<&User::id>))));
}

// 34
std::optional<User> author_of_post(connection& db, std::int64_t post_id) {
    return db.one_or_none(select(all_of<User>)
                              .from<User>()
                              .join<Post>(col<&Post::user_id> == col<&User::id>)
                              .where(col<&Post::id> == post_id));
}

// 35
std::optional<Comment> comment_by_id(connection& db, std::int64_t id) {
    return db.one_or_none(select<Comment>().where(col<&Comment::id> == id));
}

// 36
std::vector<Comment> comments_of_post(connection& db, std::int64_t post_id) {
    return db.all(select<Comment>().where(col<&Comment::post_id> == post_id).order_by(col<&Comment::id>));
}

// 37
std::int64_t comment_count_of_post(connection& db, std::int64_t post_id) {
    return db.scalar(select(count()).from<Comment>().where(col<&Comment::post_id> == post_id));
}

// 38
std::vector<Comment> comments_with_text_like(connection& db, const std::string& pattern) {
    return db.all(select<Comment>().where(like(col<&Comment::text>, pattern)));
}

// 39
std::vector<Comment> comments_of_user(connection& db, std::int64_t user_id) {
    return db.all(select(all_of<Comment>)
                      .from<Comment>()
                      .join<Post>(col<&Post::id> == col<&Comment::post_id>)
                      .where(col<&Post::user_id> == user_id));
}

// 40
std::vector<name_count> comment_counts_per_post(connection& db) {
    return db.all(select(col<&Post::title>, count(col<&Comment::id>))
                      .from<Post>()
                      .left_join<Comment>(col<&Comment::post_id> == col<&Post::id>)
                      .group_by(col<&Post::id>, col<&Post::title>));
}

// 41
std::int64_t comment_count_of_user(connection& db, std::int64_t user_id) {
    return db.scalar(select(count())
                         .from<Comment>()
                         .join<Post>(col<&Post::id> == col<&Comment::post_id>)
                         .where(col<&Post::user_id> == user_id));
}

// 42
std::vector<Comment> latest_comments(connection& db, std::int64_t limit) {
    return db.all(select<Comment>().order_by(desc(col<&Comment::id>)).limit(limit));
}

// 43
std::vector<std::tuple<std::string>> commenter_names_on_hair_color(connection& db, const std::string& hair_color) {
    return db.all(select(col<&User::name>)
                      .from<User>()
                      .join<Post>(col<&Post::user_id> == col<&User::id>)
                      .join<Comment>(col<&Comment::post_id> == col<&Post::id>)
                      .where(col<&User::hair_color> == hair_color)
                      .distinct());
}

// 44
std::int64_t insert_user(connection& db, const std::string& name, const std::optional<std::string>& hair_color) {
    return db.execute(insert(User{0, name, hair_color}));
}

// 45
std::int64_t insert_post(connection& db, std::int64_t user_id, const std::string& title,
                         const std::optional<std::string>& body) {
    return db.execute(insert(Post{0, user_id, title, body}));
}

// 46
std::int64_t insert_comment(connection& db, std::int64_t post_id, const std::string& text) {
    return db.execute(insert(Comment{0, post_id, text}));
}

// 47
std::int64_t rename_user(connection& db, const std::string& name, std::int64_t id) {
    return db.execute(update<User>().set(col<&User::name> = name).where(col<&User::id> == id));
}

// 48
std::int64_t set_hair_color(connection& db, const std::optional<std::string>& hair_color, std::int64_t id) {
    return db.execute(update<User>().set(col<&User::hair_color> = hair_color).where(col<&User::id> == id));
}

// 49
std::int64_t delete_comments_of_post(connection& db, std::int64_t post_id) {
    return db.execute(delete_from<Comment>().where(col<&Comment::post_id> == post_id));
}

// 50
std::int64_t delete_user(connection& db, std::int64_t id) {
    return db.execute(delete_from<User>().where(col<&User::id> == id));
}

}  // namespace

int main() {
    auto engine = crucible::create_engine<crucible::backend::sqlite_connection>("sqlite://");
    auto db = engine.connect();
    db.create_all<User, Post, Comment>();
    db.insert_all(std::vector<User>{{0, "black", "black"}, {0, "Sean", std::nullopt}});
    db.insert_all(std::vector<Post>{{0, 1, "black", std::nullopt}, {0, 1, "Second", "Body"}});
    db.insert_all(std::vector<Comment>{{0, 1, "black"}, {0, 2, "Nice"}});
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
    // handwritten_50 prints 67 for the same data; a different total means a query differs.
    return total == 67 ? 0 : 1;
}
