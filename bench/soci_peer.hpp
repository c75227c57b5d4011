// SOCI as a benchmark peer, for any SOCI backend: statements prepared once, rows into variables.
#pragma once

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "workloads.hpp"

namespace bench {

// Backend has `static const soci::backend_factory& factory()` and
// `static std::string connect_string(const std::string& connection)`.
template <class Backend>
class soci_peer {
public:
    explicit soci_peer(const std::string& connection)
        : session_(Backend::factory(), Backend::connect_string(connection)),
          trivial_((session_.prepare << "SELECT id, name, hair_color FROM users", soci::into(user_.id),
                    soci::into(user_.name), soci::into(user_.hair_color, user_.hair_null))),
          medium_((session_.prepare
                       << "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, "
                          "posts.title, posts.body FROM users LEFT JOIN posts ON posts.user_id = users.id "
                          "WHERE users.hair_color = :hair",
                   soci::into(user_.id), soci::into(user_.name),
                   soci::into(user_.hair_color, user_.hair_null), soci::into(post_.id, post_.id_null),
                   soci::into(post_.user_id, post_.user_id_null), soci::into(post_.title, post_.title_null),
                   soci::into(post_.body, post_.body_null), soci::use(hair_parameter_))),
          insert_((session_.prepare << "INSERT INTO users (name, hair_color) VALUES (:name, :hair)",
                   soci::use(insert_name_), soci::use(insert_hair_, insert_hair_null_))),
          find_((session_.prepare << "SELECT id, name, hair_color FROM users WHERE id = :id",
                 soci::into(user_.id), soci::into(user_.name), soci::into(user_.hair_color, user_.hair_null),
                 soci::use(key_))) {}

    std::vector<user> trivial_query() {
        std::vector<user> out;
        trivial_.execute();
        while (trivial_.fetch()) {
            out.push_back(user_.get());
        }
        return out;
    }

    std::vector<user_and_post> medium_complex(std::string_view hair_color) {
        hair_parameter_.assign(hair_color);
        std::vector<user_and_post> out;
        medium_.execute();
        while (medium_.fetch()) {
            out.emplace_back(user_.get(), post_.get());
        }
        return out;
    }

    void insert_one_by_one(std::span<const new_user> rows) {
        soci::transaction transaction(session_);
        for (const auto& row : rows) {
            insert_name_ = row.name;
            insert_hair_null_ = row.hair_color ? soci::i_ok : soci::i_null;
            insert_hair_ = row.hair_color ? *row.hair_color : std::string();
            insert_.execute(true);
        }
        transaction.commit();
    }

    // SOCI has no COPY; its fastest portable route is a multi-row INSERT with bound values.
    void bulk_insert(std::span<const new_user> rows) {
        soci::transaction transaction(session_);
        for (std::size_t start = 0; start < rows.size(); start += bulk_chunk_rows) {
            auto chunk = rows.subspan(start, std::min(bulk_chunk_rows, rows.size() - start));
            auto& statement = bulk_statement(chunk.size());
            for (std::size_t i = 0; i < chunk.size(); ++i) {
                statement.names[i] = chunk[i].name;
                statement.hair_null[i] = chunk[i].hair_color ? soci::i_ok : soci::i_null;
                statement.hair[i] = chunk[i].hair_color ? *chunk[i].hair_color : std::string();
            }
            statement.statement.execute(true);
        }
        transaction.commit();
    }

    std::vector<user_with_posts> load_associations() {
        std::vector<user> users = trivial_query();
        auto& posts_query = in_statement(posts_in_, users.size(),
                                         "SELECT id, user_id, title, body FROM posts WHERE user_id IN ");
        for (std::size_t i = 0; i < users.size(); ++i) {
            posts_query.keys[i] = users[i].id;
        }
        std::vector<post> posts;
        posts_query.statement.execute();
        while (posts_query.statement.fetch()) {
            posts.push_back(*post_.get());
        }
        auto& comments_query = in_statement(comments_in_, posts.size(),
                                            "SELECT id, post_id, text FROM comments WHERE post_id IN ");
        for (std::size_t i = 0; i < posts.size(); ++i) {
            comments_query.keys[i] = posts[i].id;
        }
        std::vector<comment> comments;
        comments_query.statement.execute();
        while (comments_query.statement.fetch()) {
            comments.push_back({comment_.id, comment_.post_id, comment_.text});
        }
        return group_associations(std::move(users), std::move(posts), std::move(comments));
    }

    user find_user(std::int64_t id) {
        key_ = id;
        if (!find_.execute(true)) {
            throw std::runtime_error("no user " + std::to_string(id));
        }
        return user_.get();
    }

private:
    struct user_row {
        long long id = 0;
        std::string name;
        std::string hair_color;
        soci::indicator hair_null = soci::i_ok;
        user get() const {
            return {id, name,
                    hair_null == soci::i_ok ? std::optional<std::string>(hair_color) : std::nullopt};
        }
    };
    struct post_row {
        long long id = 0;
        long long user_id = 0;
        std::string title;
        std::string body;
        soci::indicator id_null = soci::i_ok, user_id_null = soci::i_ok, title_null = soci::i_ok,
                        body_null = soci::i_ok;
        std::optional<post> get() const {
            if (id_null != soci::i_ok) {
                return std::nullopt;
            }
            return post{id, user_id, title,
                        body_null == soci::i_ok ? std::optional<std::string>(body) : std::nullopt};
        }
    };
    struct comment_row {
        long long id = 0;
        long long post_id = 0;
        std::string text;
    };
    // A statement with a fixed number of bound keys, prepared once per key count.
    struct keyed_statement {
        std::vector<long long> keys;
        soci::statement statement;
        keyed_statement(soci::session& session, std::size_t count) : keys(count), statement(session) {}
    };
    struct bulk_insert_statement {
        std::vector<std::string> names, hair;
        std::vector<soci::indicator> hair_null;
        soci::statement statement;
        bulk_insert_statement(soci::session& session, std::size_t count)
            : names(count), hair(count), hair_null(count), statement(session) {}
    };

    static std::string placeholders(std::size_t groups, std::size_t per_group) {
        return placeholder_list(groups, per_group, [](std::size_t i) { return ":p" + std::to_string(i); });
    }

    keyed_statement& in_statement(std::map<std::size_t, std::unique_ptr<keyed_statement>>& cache,
                                  std::size_t count, const char* sql_prefix) {
        auto& slot = cache[count];
        if (!slot) {
            slot = std::make_unique<keyed_statement>(session_, count);
            auto& st = slot->statement;
            if (&cache == &posts_in_) {
                st.exchange(soci::into(post_.id, post_.id_null));
                st.exchange(soci::into(post_.user_id, post_.user_id_null));
                st.exchange(soci::into(post_.title, post_.title_null));
                st.exchange(soci::into(post_.body, post_.body_null));
            } else {
                st.exchange(soci::into(comment_.id));
                st.exchange(soci::into(comment_.post_id));
                st.exchange(soci::into(comment_.text));
            }
            for (auto& key : slot->keys) {
                st.exchange(soci::use(key));
            }
            std::string sql = sql_prefix;
            // "(:p0, :p1, ...)": one group of `count` placeholders.
            sql += placeholder_list(1, count, [](std::size_t i) { return ":p" + std::to_string(i); });
            st.alloc();
            st.prepare(sql);
            st.define_and_bind();
        }
        return *slot;
    }

    bulk_insert_statement& bulk_statement(std::size_t count) {
        auto& slot = bulk_[count];
        if (!slot) {
            slot = std::make_unique<bulk_insert_statement>(session_, count);
            auto& st = slot->statement;
            for (std::size_t i = 0; i < count; ++i) {
                st.exchange(soci::use(slot->names[i]));
                st.exchange(soci::use(slot->hair[i], slot->hair_null[i]));
            }
            st.alloc();
            st.prepare("INSERT INTO users (name, hair_color) VALUES " + placeholders(count, 2));
            st.define_and_bind();
        }
        return *slot;
    }

    // Declared before the statements, which bind to them.
    user_row user_;
    post_row post_;
    comment_row comment_;
    std::string hair_parameter_;
    std::string insert_name_, insert_hair_;
    soci::indicator insert_hair_null_ = soci::i_ok;
    long long key_ = 0;
    soci::session session_;
    soci::statement trivial_, medium_, insert_, find_;
    std::map<std::size_t, std::unique_ptr<keyed_statement>> posts_in_, comments_in_;
    std::map<std::size_t, std::unique_ptr<bulk_insert_statement>> bulk_;
};

}  // namespace bench
