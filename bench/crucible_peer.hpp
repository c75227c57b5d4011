// crucible as a benchmark peer, for either backend, through its everyday API only: mapped
// structs, typed queries (SQL text computed at compile time, statements prepared once per
// connection by the library), db.all / db.one / db.execute / db.bulk_insert, transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crucible/crucible.hpp"
#include "workloads.hpp"

namespace bench {

// The workloads' own row structs (workloads.hpp) are the mapped tables, as a program maps its own
// structs: the other peers build these structs straight from the rows too, so reading into
// crucible-only structs and converting them would charge crucible for a copy no user makes.
// (bench/sqlite_bench.cpp's and postgres_bench.cpp's DDL.)
constexpr auto crucible_table(crucible::table_tag<user>) {
    return crucible::table_options{crucible::table_name("users")};
}
constexpr auto crucible_table(crucible::table_tag<post>) {
    return crucible::table_options{crucible::table_name("posts"), crucible::foreign_key<&post::user_id, &user::id>};
}
constexpr auto crucible_table(crucible::table_tag<comment>) {
    return crucible::table_options{crucible::table_name("comments"),
                                   crucible::foreign_key<&comment::post_id, &post::id>};
}
// The rows to insert (no id: the database assigns it), mapped to the same table, as Diesel's
// `Insertable` NewUser is: bulk_insert takes them as they are.
constexpr auto crucible_table(crucible::table_tag<new_user>) {
    return crucible::table_options{crucible::table_name("users")};
}

}  // namespace bench

namespace bench::orm {

using User = user;
using Post = post;
using Comment = comment;

// Traits: `static crucible::basic_engine<B> engine(const std::string& connection)`, the
// backend's way from the harness's connection string to an engine.
template <class Traits>
class crucible_peer {
public:
    explicit crucible_peer(const std::string& connection)
        : engine_(Traits::engine(connection)), db_(engine_.connect()) {}

    std::vector<user> trivial_query() {
        using crucible::select;
        return db_.all(select<User>());
    }

    std::vector<user_and_post> medium_complex(std::string_view hair_color) {
        using crucible::select;
        using crucible::all_of;
        using crucible::col;
        auto rows = db_.all(select(all_of<User>, all_of<Post>)
                                .template from<User>()
                                .template left_join<Post>(col<&Post::user_id> == col<&User::id>)
                                .where(col<&User::hair_color> == hair_color));
        std::vector<user_and_post> out;
        out.reserve(rows.size());
        for (auto& [u, p] : rows) {
            out.emplace_back(std::move(u), std::move(p));
        }
        return out;
    }

    void insert_one_by_one(std::span<const new_user> rows) {
        auto tx = db_.begin();
        for (const auto& row : rows) {
            db_.execute(crucible::insert_view(row));  // the new_user row, bound where it is
        }
        tx.commit();
    }

    // COPY on PostgreSQL, multi-row VALUES chunks on SQLite.
    void bulk_insert(std::span<const new_user> rows) {
        auto tx = db_.begin();
        db_.bulk_insert(rows);
        tx.commit();
    }

    std::vector<user_with_posts> load_associations() {
        using crucible::select;
        using crucible::col;
        auto users = db_.all(select<User>());
        std::vector<std::int64_t> user_ids;
        user_ids.reserve(users.size());
        for (const auto& u : users) {
            user_ids.push_back(u.id);
        }
        auto posts = db_.all(select<Post>().where(crucible::in(col<&Post::user_id>, user_ids)));
        std::vector<std::int64_t> post_ids;
        post_ids.reserve(posts.size());
        for (const auto& p : posts) {
            post_ids.push_back(p.id);
        }
        auto comments = db_.all(select<Comment>().where(crucible::in(col<&Comment::post_id>, post_ids)));
        return group_associations(std::move(users), std::move(posts), std::move(comments));
    }

    user find_user(std::int64_t id) {
        using crucible::select;
        using crucible::col;
        // first(): a key matches at most one row, so there is no second step to prove it (one()
        // takes that step, about 330 instructions on SQLite).
        return db_.first(select<User>().where(col<&User::id> == id)).value();
    }

private:
    using engine_type = decltype(Traits::engine(std::string()));
    engine_type engine_;
    typename engine_type::connection db_;
};

}  // namespace bench::orm
