// The benchmark schema's row types, the data every workload loads, and the checks on results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bench {

// users(id, name, hair_color NULL), posts(id, user_id, title, body NULL), comments(id, post_id, text)
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

// Rows as inserted: the database assigns the ids (1, 2, 3, ... in insertion order on a fresh table).
struct new_user {
    std::string name;
    std::optional<std::string> hair_color;
};

struct new_post {
    std::int64_t user_id = 0;
    std::string title;
    std::optional<std::string> body;
};

struct new_comment {
    std::int64_t post_id = 0;
    std::string text;
};

struct post_with_comments {
    post value;
    std::vector<comment> comments;
};

struct user_with_posts {
    user value;
    std::vector<post_with_comments> posts;
};

using user_and_post = std::pair<user, std::optional<post>>;

// Sizes fixed by issue 5.
inline constexpr std::int64_t query_sizes[] = {1, 10, 100, 1000, 10000};
inline constexpr std::int64_t single_insert_rows = 10'000;
inline constexpr std::int64_t bulk_insert_rows = 100'000;
inline constexpr std::int64_t association_users = 100;
inline constexpr std::int64_t posts_per_user = 10;
inline constexpr std::int64_t comments_per_post = 10;
inline constexpr std::int64_t short_select_table_rows = 10'000;
// Rows per multi-row INSERT in the bulk workload (2 parameters a row: within SQLite's and
// PostgreSQL's parameter limits).
inline constexpr std::size_t bulk_chunk_rows = 1000;

// --- data ----------------------------------------------------------------------------------

// Trivial query and short selects: every other user has no hair colour (exercises NULL).
inline std::vector<new_user> plain_users(std::int64_t n) {
    std::vector<new_user> users;
    users.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        users.push_back(
            {"User " + std::to_string(i), i % 2 == 0 ? std::optional<std::string>("black") : std::nullopt});
    }
    return users;
}

// Medium complex: hair_color 'black' for even i, else 'brown'; user i has one post unless
// i % 4 == 3 (so the LEFT JOIN yields some users without a post).
inline std::vector<new_user> medium_users(std::int64_t n) {
    std::vector<new_user> users;
    users.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        users.push_back({"User " + std::to_string(i), std::string(i % 2 == 0 ? "black" : "brown")});
    }
    return users;
}

inline std::vector<new_post> medium_posts(std::int64_t n) {
    std::vector<new_post> posts;
    for (std::int64_t i = 0; i < n; ++i) {
        if (i % 4 == 3) {
            continue;
        }
        posts.push_back(
            {i + 1, "Post by user " + std::to_string(i),
             i % 3 == 0 ? std::nullopt : std::optional<std::string>("Body " + std::to_string(i))});
    }
    return posts;
}

inline constexpr std::string_view medium_hair_color = "black";

// Loading associations: association_users users, posts_per_user posts each, comments_per_post
// comments per post; posts and comments are inserted in order, so their ids are predictable.
inline std::vector<new_user> association_users_data() { return plain_users(association_users); }

inline std::vector<new_post> association_posts() {
    std::vector<new_post> posts;
    for (std::int64_t u = 1; u <= association_users; ++u) {
        for (std::int64_t p = 0; p < posts_per_user; ++p) {
            posts.push_back({u, "Post " + std::to_string(p) + " by user " + std::to_string(u),
                             p % 2 == 0 ? std::optional<std::string>("Body") : std::nullopt});
        }
    }
    return posts;
}

inline std::vector<new_comment> association_comments() {
    std::vector<new_comment> comments;
    for (std::int64_t p = 1; p <= association_users * posts_per_user; ++p) {
        for (std::int64_t c = 0; c < comments_per_post; ++c) {
            comments.push_back({p, "Comment " + std::to_string(c) + " on post " + std::to_string(p)});
        }
    }
    return comments;
}

// Rows for the insert workloads (not the same names as any seeded row).
inline std::vector<new_user> users_to_insert(std::int64_t n) {
    std::vector<new_user> users;
    users.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        users.push_back({"Inserted user " + std::to_string(i),
                         i % 2 == 0 ? std::optional<std::string>("brown") : std::nullopt});
    }
    return users;
}

// Primary keys looked up by the short-select workload, cycled through (power-of-two count).
inline std::vector<std::int64_t> random_user_ids(std::int64_t table_rows) {
    std::mt19937_64 engine(42);
    std::uniform_int_distribution<std::int64_t> pick(1, table_rows);
    std::vector<std::int64_t> ids(4096);
    for (auto& id : ids) {
        id = pick(engine);
    }
    return ids;
}

// Groups users, their posts and the posts' comments (three query results) in memory, keeping
// each list in the order the rows arrived. Peers may use it or group themselves.
inline std::vector<user_with_posts> group_associations(std::vector<user> users, std::vector<post> posts,
                                                       std::vector<comment> comments) {
    std::vector<user_with_posts> result;
    result.reserve(users.size());
    std::unordered_map<std::int64_t, std::size_t> user_index;
    user_index.reserve(users.size());
    for (auto& u : users) {
        user_index.emplace(u.id, result.size());
        result.push_back({std::move(u), {}});
    }
    // Where each post landed: (user slot, post slot).
    std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> post_index;
    post_index.reserve(posts.size());
    for (auto& p : posts) {
        auto found = user_index.find(p.user_id);
        if (found == user_index.end()) {
            continue;
        }
        auto& owner = result[found->second].posts;
        post_index.emplace(p.id, std::pair{found->second, owner.size()});
        owner.push_back({std::move(p), {}});
    }
    for (auto& c : comments) {
        auto found = post_index.find(c.post_id);
        if (found == post_index.end()) {
            continue;
        }
        result[found->second.first].posts[found->second.second].comments.push_back(std::move(c));
    }
    return result;
}

// --- checks ----------------------------------------------------------------------------------
// Order-insensitive fingerprints, so a peer's result is checked without fixing the row order
// of queries that have no ORDER BY.

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

inline std::uint64_t text_hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

inline std::uint64_t optional_hash(const std::optional<std::string>& s) {
    return s ? mix(1, text_hash(*s)) : 7;
}

inline std::uint64_t fingerprint(const user& u) {
    return mix(mix(mix(0, static_cast<std::uint64_t>(u.id)), text_hash(u.name)), optional_hash(u.hair_color));
}

inline std::uint64_t fingerprint(const post& p) {
    std::uint64_t h = mix(mix(0, static_cast<std::uint64_t>(p.id)), static_cast<std::uint64_t>(p.user_id));
    return mix(mix(h, text_hash(p.title)), optional_hash(p.body));
}

inline std::uint64_t fingerprint(const comment& c) {
    return mix(mix(mix(0, static_cast<std::uint64_t>(c.id)), static_cast<std::uint64_t>(c.post_id)),
               text_hash(c.text));
}

inline std::uint64_t fingerprint(const std::vector<user>& users) {
    std::uint64_t sum = users.size();
    for (const auto& u : users) {
        sum += fingerprint(u);
    }
    return sum;
}

inline std::uint64_t fingerprint(const std::vector<user_and_post>& rows) {
    std::uint64_t sum = rows.size();
    for (const auto& [u, p] : rows) {
        sum += mix(fingerprint(u), p ? fingerprint(*p) : 3);
    }
    return sum;
}

inline std::uint64_t fingerprint(const std::vector<user_with_posts>& tree) {
    std::uint64_t sum = tree.size();
    for (const auto& u : tree) {
        std::uint64_t posts = u.posts.size();
        for (const auto& p : u.posts) {
            std::uint64_t comments = p.comments.size();
            for (const auto& c : p.comments) {
                comments += fingerprint(c);
            }
            posts += mix(fingerprint(p.value), comments);
        }
        sum += mix(fingerprint(u.value), posts);
    }
    return sum;
}

// What a correct peer returns, computed from the data above (ids assigned 1, 2, 3, ...).
inline std::vector<user> expected_users(std::span<const new_user> rows) {
    std::vector<user> users;
    std::int64_t id = 0;
    for (const auto& r : rows) {
        users.push_back({++id, r.name, r.hair_color});
    }
    return users;
}

inline std::vector<post> expected_posts(std::span<const new_post> rows) {
    std::vector<post> posts;
    std::int64_t id = 0;
    for (const auto& r : rows) {
        posts.push_back({++id, r.user_id, r.title, r.body});
    }
    return posts;
}

inline std::vector<comment> expected_comments(std::span<const new_comment> rows) {
    std::vector<comment> comments;
    std::int64_t id = 0;
    for (const auto& r : rows) {
        comments.push_back({++id, r.post_id, r.text});
    }
    return comments;
}

inline std::vector<user_and_post> expected_medium(std::int64_t n) {
    auto users = expected_users(medium_users(n));
    auto posts = expected_posts(medium_posts(n));
    std::vector<user_and_post> rows;
    for (const auto& u : users) {
        if (u.hair_color != medium_hair_color) {
            continue;
        }
        bool any = false;
        for (const auto& p : posts) {
            if (p.user_id == u.id) {
                rows.emplace_back(u, p);
                any = true;
            }
        }
        if (!any) {
            rows.emplace_back(u, std::nullopt);
        }
    }
    return rows;
}

inline std::vector<user_with_posts> expected_associations() {
    return group_associations(expected_users(association_users_data()), expected_posts(association_posts()),
                              expected_comments(association_comments()));
}

// Builds "(?, ?), (?, ?), ..." style lists: `placeholder(i)` gives the i-th parameter's marker.
template <class Placeholder>
std::string placeholder_list(std::size_t count, std::size_t per_group, Placeholder placeholder) {
    std::string out;
    std::size_t next = 0;
    for (std::size_t g = 0; g < count; ++g) {
        out += g == 0 ? "(" : ", (";
        for (std::size_t k = 0; k < per_group; ++k) {
            if (k != 0) {
                out += ", ";
            }
            out += placeholder(next++);
        }
        out += ')';
    }
    return out;
}

}  // namespace bench
