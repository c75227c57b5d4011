// mapper<T, Backend>: the statements a session runs for one table — Core's INSERT (multi-row,
// RETURNING the generated key), UPDATE, DELETE and SELECT by primary key — behind a constant table
// of function pointers, so the session's own code is compiled once per backend, not per table.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "crucible/engine/connection.hpp"
#include "crucible/error.hpp"
#include "crucible/orm/handle.hpp"
#include "crucible/orm/identity_map.hpp"
#include "crucible/sql/column.hpp"
#include "crucible/sql/insert.hpp"
#include "crucible/sql/operators.hpp"
#include "crucible/sql/select.hpp"
#include "crucible/sql/update.hpp"

namespace crucible::orm::detail {

// What the session needs of a table, as a constant per (table, backend).
template <class Backend>
struct table_ops {
    using connection = basic_connection<Backend>;
    std::string_view name;
    std::span<const std::string_view> references;  // the tables its foreign keys reference
    bool generated_key;                            // the database assigns the key (autoincrement)
    // INSERTs the nodes' objects (pending, all of this table), writing generated keys back.
    void (*insert)(connection&, std::span<node_base* const>);
    // UPDATEs / DELETEs the nodes' rows (persistent, all of this table) by the keys of their
    // snapshots (and their versions), as one batch of one statement (Core's execute_batch:
    // pipelined on PostgreSQL). A row not matched is a stale_data_error. When any fails,
    // `failed_at` is the index of its node.
    void (*update)(connection&, std::span<node_base* const>, std::size_t& failed_at);
    void (*remove)(connection&, std::span<node_base* const>, std::size_t& failed_at);
    // SELECT by the object's key into the object and its snapshot; false when the row is gone.
    bool (*reload)(connection&, node_base&);
    // After the DELETE of `parents` (rows of table `parent_table`), what the database did to this
    // table's rows through foreign keys declared ON DELETE CASCADE or SET NULL, done to the mapped
    // objects: cascaded ones are handed to `cascaded` (the session treats them as deleted), set-null
    // ones get NULL in the object and its snapshot (the row at the last commit kept for a
    // rollback). Null when the table declares no such key.
    void (*parent_deleted)(identity_map& identity, std::string_view parent_table, std::span<node_base* const> parents,
                           std::vector<std::shared_ptr<node_base>>& cascaded);
    // For a table with a foreign key to itself: whether `child`'s row refers to `parent`'s (their
    // snapshots), so that DELETEs of a tree go children first. Null otherwise.
    bool (*refers_to)(const node_base& child, const node_base& parent);
};

// The objects of a run of nodes as a range of `const T&`: Core's multi-row INSERT binds them where
// they are, with no copy.
template <class T>
struct node_rows {
    std::span<node_base* const> nodes;

    struct iterator {
        node_base* const* at;
        const T& operator*() const { return static_cast<const node<T>*>(*at)->object; }
        iterator& operator++() {
            ++at;
            return *this;
        }
        bool operator==(const iterator&) const = default;
    };
    std::size_t size() const noexcept { return nodes.size(); }
    iterator begin() const noexcept { return {nodes.data()}; }
    iterator end() const noexcept { return {nodes.data() + nodes.size()}; }
};

// `"k1" = ? AND "k2" = ?` over the key of `row` (and `AND "version" = ?` when the table has one).
template <class T, bool WithVersion>
auto key_condition(const T& row) {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        if constexpr (WithVersion) {
            constexpr std::size_t v = schema::table<T>::version_column;
            return ((sql::column<T, key_columns<T>[K]>{} == boost::pfr::get<key_columns<T>[K]>(row)) && ... &&
                    (sql::column<T, v>{} == boost::pfr::get<v>(row)));
        } else {
            return ((sql::column<T, key_columns<T>[K]>{} == boost::pfr::get<key_columns<T>[K]>(row)) && ...);
        }
    }(std::make_index_sequence<key_size<T>>{});
}

[[noreturn]] inline void throw_stale(std::string_view what, std::string_view table, std::string key,
                                     bool versioned) {
    std::string message = std::string(what) + " of " + std::string(table) + " " + key + " matched no row: ";
    message += versioned ? "another transaction changed (its version) or deleted it since this session loaded it"
                         : "another transaction deleted it since this session loaded it";
    throw stale_data_error(message, std::string(table), std::move(key));
}

template <class T, class Backend>
struct mapper {
    using info = schema::table<T>;
    using connection = basic_connection<Backend>;
    using dialect = typename connection::dialect;
    static constexpr bool generated = info::autoincrement_column < info::column_count;
    static constexpr std::size_t inserted_count = info::column_count - (generated ? 1 : 0);
    // Rows per INSERT: within the backend's parameter limit, and at most 1000.
    static constexpr std::size_t chunk = std::max<std::size_t>(
        1, std::min<std::size_t>(1000, dialect::max_parameters / std::max<std::size_t>(1, inserted_count)));

    static void insert(connection& db, std::span<node_base* const> nodes) {
        if constexpr (has_version<T>) {
            for (node_base* n : nodes) {
                boost::pfr::get<info::version_column>(static_cast<node<T>*>(n)->object) = 1;
            }
        }
        for (std::size_t at = 0; at < nodes.size(); at += chunk) {
            const auto run = nodes.subspan(at, std::min(chunk, nodes.size() - at));
            const auto values = sql::insert_statement<T, sql::struct_rows<T, node_rows<T>>, sql::no_conflict,
                                                      sql::no_returning>{{node_rows<T>{run}}, {}, {}};
            if constexpr (generated) {
                constexpr std::size_t a = info::autoincrement_column;
                auto keys = db.all(values.returning(sql::column<T, a>{}));
                if (keys.size() != run.size()) {
                    throw programming_error("INSERT ... RETURNING of " + std::to_string(run.size()) + " rows of " +
                                            std::string(info::name) + " returned " + std::to_string(keys.size()) +
                                            " keys");
                }
                // Both databases assign a generated key per row in VALUES order, each above the last
                // (SQLite: max(rowid) + 1; PostgreSQL: nextval in row order). The order RETURNING
                // yields its rows in is not documented (SQLite says "arbitrary"), so the keys are
                // sorted before they are given to the objects in the order they were bound.
                if (!std::is_sorted(keys.begin(), keys.end())) {  // they come in order in practice
                    std::sort(keys.begin(), keys.end());
                }
                for (std::size_t i = 0; i < run.size(); ++i) {
                    boost::pfr::get<a>(static_cast<node<T>*>(run[i])->object) = std::get<0>(keys[i]);
                }
            } else {
                const auto inserted = db.execute(values);
                if (inserted != static_cast<std::int64_t>(run.size())) {
                    throw programming_error("INSERT of " + std::to_string(run.size()) + " rows of " +
                                            std::string(info::name) + " inserted " + std::to_string(inserted));
                }
            }
        }
    }

    static void update(connection& db, std::span<node_base* const> nodes, std::size_t& failed_at) {
        if constexpr (value_columns<T>.size() > 0) {
            if constexpr (has_version<T>) {
                for (node_base* base : nodes) {
                    auto& n = static_cast<node<T>&>(*base);
                    boost::pfr::get<info::version_column>(n.object) =
                        boost::pfr::get<info::version_column>(*n.snapshot) + 1;
                }
            }
            // The whole row: one compile-time statement per table, prepared once per connection
            // (writing only the changed columns would need a text per set of columns).
            const auto statement_for = [](node_base* base) {
                const auto& n = static_cast<const node<T>&>(*base);
                return [&]<std::size_t... I>(std::index_sequence<I...>) {
                    return sql::update<T>()
                        .set((sql::column<T, value_columns<T>[I]>{} = boost::pfr::get<value_columns<T>[I]>(n.object))...)
                        .where(key_condition<T, has_version<T>>(*n.snapshot));
                }(std::make_index_sequence<value_columns<T>.size()>{});
            };
            check_matched("UPDATE", nodes, db.execute_batch(nodes, statement_for, &failed_at), failed_at);
        }
    }

    static void remove(connection& db, std::span<node_base* const> nodes, std::size_t& failed_at) {
        const auto statement_for = [](node_base* base) {
            return sql::delete_from<T>().where(key_condition<T, has_version<T>>(*static_cast<const node<T>&>(*base).snapshot));
        };
        check_matched("DELETE", nodes, db.execute_batch(nodes, statement_for, &failed_at), failed_at);
    }

    // Each statement of a batch by key must have matched its one row.
    static void check_matched(std::string_view verb, std::span<node_base* const> nodes,
                              const std::vector<std::int64_t>& affected, std::size_t& failed_at) {
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (affected[i] != 1) [[unlikely]] {
                failed_at = i;
                throw_stale(verb, info::name, describe_key(*static_cast<const node<T>*>(nodes[i])->snapshot),
                            has_version<T>);
            }
        }
    }

    static bool reload(connection& db, node_base& base) {
        auto& n = static_cast<node<T>&>(base);
        auto row = db.first(sql::select<T>().where(key_condition<T, false>(n.snapshot ? *n.snapshot : n.object)));
        if (!row) {
            return false;
        }
        n.object = std::move(*row);
        n.snapshot = n.object;
        return true;
    }

    static std::optional<T> load(connection& db, const T& key_holder) {
        return db.first(sql::select<T>().where(key_condition<T, false>(key_holder)));
    }
};

// ON DELETE actions the database takes on T's rows, followed in the session (table_ops::parent_deleted).
template <class T>
struct delete_actions {
    static constexpr std::size_t option_count = option_count_v<T>;

    template <std::size_t I>
    static consteval bool acts() {
        if constexpr (option_kind_at<T, I>::is_foreign_key) {
            constexpr auto action = std::get<I>(schema::detail::options<T>.options).delete_action;
            return action == crucible::fk_action::cascade || action == crucible::fk_action::set_null;
        } else {
            return false;
        }
    }
    static constexpr bool any = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>) { return (acts<I>() || ...); }(
            std::make_index_sequence<option_count>{});
    }();

    template <std::size_t I>
    static void follow(identity_map& identity, std::string_view parent_table, std::span<node_base* const> parents,
                       std::vector<std::shared_ptr<node_base>>& cascaded) {
        if constexpr (acts<I>()) {
            using kind = option_kind_at<T, I>;
            // (the traits of the pointers' types: GCC 12 keeps `const` on an `auto` template argument
            // taken from a static constexpr member here)
            using parent = typename reflect::member_pointer_traits<std::remove_cv_t<decltype(kind::to)>>::class_type;
            constexpr std::size_t fk = reflect::field_index<T, kind::from>();
            constexpr std::size_t key = reflect::field_index<parent, kind::to>();
            constexpr auto action = std::get<I>(schema::detail::options<T>.options).delete_action;
            if (parent_table != schema::table<parent>::name) {
                return;
            }
            using key_type = schema::non_null_t<reflect::field_type<parent, key>>;
            std::vector<key_type> gone;
            for (node_base* p : parents) {
                const auto& pn = *static_cast<node<parent>*>(p);
                const auto& k = boost::pfr::get<key>(pn.snapshot ? *pn.snapshot : pn.object);  // the row deleted
                if constexpr (schema::is_nullable<std::remove_cvref_t<decltype(k)>>) {
                    if (k) {
                        gone.push_back(*k);
                    }
                } else {
                    gone.push_back(k);
                }
            }
            std::sort(gone.begin(), gone.end());
            std::vector<std::shared_ptr<node_base>> hit;
            identity.for_each([&](std::shared_ptr<node_base>& n) {
                auto& child = static_cast<node<T>&>(*n);
                if (!child.snapshot || child.state == object_state::deleted) {
                    return;
                }
                const auto& v = boost::pfr::get<fk>(*child.snapshot);  // the row as the database had it
                bool referenced;
                if constexpr (schema::is_nullable<std::remove_cvref_t<decltype(v)>>) {
                    referenced = v && std::binary_search(gone.begin(), gone.end(), *v);
                } else {
                    referenced = std::binary_search(gone.begin(), gone.end(), v);
                }
                if (referenced) {
                    hit.push_back(n);
                }
            });
            for (auto& n : hit) {
                if constexpr (action == crucible::fk_action::cascade) {
                    cascaded.push_back(identity.erase(n->key));
                } else {
                    auto& child = static_cast<node<T>&>(*n);
                    if (!child.committed) {
                        child.committed = std::make_unique<T>(*child.snapshot);
                    }
                    boost::pfr::get<fk>(*child.snapshot) = std::nullopt;
                    boost::pfr::get<fk>(child.object) = std::nullopt;
                }
            }
        }
    }

    static void parent_deleted(identity_map& identity, std::string_view parent_table, std::span<node_base* const> parents,
                               std::vector<std::shared_ptr<node_base>>& cascaded) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (follow<I>(identity, parent_table, parents, cascaded), ...);
        }(std::make_index_sequence<option_count>{});
    }
};

// The foreign keys of T that reference T itself (a tree).
template <class T>
struct self_references {
    static constexpr std::size_t option_count = option_count_v<T>;

    template <std::size_t I>
    static consteval bool is_self() {
        using kind = option_kind_at<T, I>;
        if constexpr (kind::is_foreign_key) {
            return std::is_same_v<typename reflect::member_pointer_traits<std::remove_cv_t<decltype(kind::to)>>::class_type, T>;
        } else {
            return false;
        }
    }
    static constexpr bool any = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>) { return (is_self<I>() || ...); }(
            std::make_index_sequence<option_count>{});
    }();

    template <std::size_t I>
    static bool refers(const T& child, const T& parent) {
        if constexpr (is_self<I>()) {
            using kind = option_kind_at<T, I>;
            const auto& fk = boost::pfr::get<reflect::field_index<T, kind::from>()>(child);
            const auto& key = boost::pfr::get<reflect::field_index<T, kind::to>()>(parent);
            if constexpr (schema::is_nullable<std::remove_cvref_t<decltype(fk)>>) {
                return fk.has_value() && *fk == key;
            } else {
                return fk == key;
            }
        } else {
            return false;
        }
    }
    static bool refers_to(const node_base& child, const node_base& parent) {
        const auto& c = static_cast<const node<T>&>(child);
        const auto& p = static_cast<const node<T>&>(parent);
        const T& c_row = c.snapshot ? *c.snapshot : c.object;
        const T& p_row = p.snapshot ? *p.snapshot : p.object;
        return [&]<std::size_t... I>(std::index_sequence<I...>) { return (refers<I>(c_row, p_row) || ...); }(
            std::make_index_sequence<option_count>{});
    }
};

template <class T, class Backend>
inline constexpr table_ops<Backend> table_ops_of{
    schema::table<T>::name,       crucible::detail::referenced_tables<T>, mapper<T, Backend>::generated,
    &mapper<T, Backend>::insert,  &mapper<T, Backend>::update,          &mapper<T, Backend>::remove,
    &mapper<T, Backend>::reload,  delete_actions<T>::any ? &delete_actions<T>::parent_deleted : nullptr,
    self_references<T>::any ? &self_references<T>::refers_to : nullptr};

} // namespace crucible::orm::detail
