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
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "crucible/engine/connection.hpp"
#include "crucible/error.hpp"
#include "crucible/orm/handle.hpp"
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

template <class T, class Backend>
inline constexpr table_ops<Backend> table_ops_of{
    schema::table<T>::name,       crucible::detail::referenced_tables<T>, mapper<T, Backend>::generated,
    &mapper<T, Backend>::insert,  &mapper<T, Backend>::update,          &mapper<T, Backend>::remove,
    &mapper<T, Backend>::reload};

} // namespace crucible::orm::detail
