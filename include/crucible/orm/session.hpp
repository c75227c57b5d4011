// session<Backend>: identity map, unit of work and dirty tracking over plain structs.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crucible/engine/engine.hpp"
#include "crucible/error.hpp"
#include "crucible/orm/handle.hpp"
#include "crucible/orm/identity_map.hpp"
#include "crucible/orm/mapper.hpp"
#include "crucible/orm/relationship.hpp"

namespace crucible::orm {

namespace detail {

inline std::uint64_t next_session_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
}

// The same kind of error with `context` (the table and key being flushed) before its message.
[[noreturn]] inline void rethrow_with_context(const std::string& context) {
    try {
        throw;
    } catch (const stale_data_error&) {
        throw;  // names its table and key already
    } catch (const integrity_error& e) {
        throw integrity_error(context + ": " + e.what(), e.sql(), e.driver_message());
    } catch (const timeout_error& e) {
        throw timeout_error(context + ": " + e.what(), e.sql(), e.driver_message());
    } catch (const operational_error& e) {
        throw operational_error(context + ": " + e.what(), e.sql(), e.driver_message());
    } catch (const data_error& e) {
        throw data_error(context + ": " + e.what(), e.sql(), e.driver_message());
    } catch (const programming_error& e) {
        throw programming_error(context + ": " + e.what(), e.sql(), e.driver_message());
    }
}

// One table's part of the session: its statements, its identity map, its pending objects.
template <class Backend>
struct table_entry {
    const table_ops<Backend>* ops;
    identity_map identity;
    std::vector<std::shared_ptr<node_base>> pending;  // in the order they were added
    // Deleted in the open transaction: out of the identity map (a new row may take the key), kept
    // for a rollback to put back.
    std::vector<std::shared_ptr<node_base>> removed;
};

// The session's non-template core (one per backend): flush, commit, rollback over type-erased nodes.
template <class Backend>
class session_core final : public relation_host {
public:
    using engine_type = basic_engine<Backend>;
    using connection_type = basic_connection<Backend>;
    using lazy_loader = void (*)(session_core&, node_base&);

    // A copy of the engine: it shares the pool, so the session never dangles when the engine object it
    // was made from is gone.
    explicit session_core(const engine_type& engine) : engine_(engine), id_(next_session_id()) {}
    session_core(const session_core&) = delete;
    session_core& operator=(const session_core&) = delete;
    ~session_core() {
        try {
            end_transaction(false);
        } catch (...) {
            // The pool rolls back a connection that comes back inside a transaction.
        }
        for (table_entry<Backend>& t : tables_) {
            t.identity.for_each([&](std::shared_ptr<node_base>& n) { detach(*n); });
            for (auto& n : t.pending) {
                detach(*n);
            }
            for (auto& n : t.removed) {
                detach(*n);
            }
        }
    }

    std::uint64_t id() const noexcept { return id_; }
    bool autoflush = true;

    table_entry<Backend>& table(const table_ops<Backend>& ops) {
        if (last_ < tables_.size() && tables_[last_].ops == &ops) [[likely]] {  // the same table again
            return tables_[last_];
        }
        for (last_ = 0; last_ < tables_.size(); ++last_) {
            if (tables_[last_].ops == &ops) {
                return tables_[last_];
            }
        }
        tables_.push_back(table_entry<Backend>{&ops, {}, {}, {}});
        order_.clear();
        return tables_.back();
    }

    // The connection of the open transaction; begins one (checking a connection out) if none is open.
    connection_type& connection() {
        if (!transaction_) {
            connection_.emplace(engine_.connect());
            try {
                transaction_.emplace(connection_->begin());
            } catch (...) {
                connection_.reset();
                throw;
            }
        }
        return *connection_;
    }
    bool in_transaction() const noexcept { return transaction_.has_value(); }

    // SQLite: the next transaction begins now, with BEGIN IMMEDIATE.
    void begin_immediate() {
        if (transaction_) {
            throw programming_error("begin_immediate: the session's transaction is open already (it began at its first "
                                    "query or flush); call begin_immediate() first, or after commit() / rollback()");
        }
        connection_.emplace(engine_.connect());
        try {
            transaction_.emplace(connection_->begin_immediate());
        } catch (...) {
            connection_.reset();
            throw;
        }
    }

    void add_pending(table_entry<Backend>& t, std::shared_ptr<node_base> n) {
        n->owner = id_;
        n->host = this;
        n->state = object_state::pending;
        t.pending.push_back(std::move(n));
    }

    // A loaded row into the identity map, under its identity key.
    void add_persistent(table_entry<Backend>& t, std::shared_ptr<node_base> n, std::string key) {
        n->owner = id_;
        n->host = this;
        n->state = object_state::persistent;
        n->key = std::move(key);
        t.identity.insert(std::move(n));
    }

    std::shared_ptr<node_base> find(table_entry<Backend>& t, const std::string& key) const {
        const std::shared_ptr<node_base>* found = t.identity.find(key);
        return found ? *found : nullptr;
    }

    void check_owned(const node_base* n) const {
        if (n == nullptr || n->owner != id_) {
            throw programming_error(
                "the object is not in this session (detached, expunged, dropped by a rollback, or another "
                "session's); merge() it into this session");
        }
    }

    void remove(table_entry<Backend>& entry, node_base& n) {
        check_owned(&n);
        const table_ops<Backend>* const own = entry.ops;
        // Children of owning relationships the session knows for this table go first. (That may map
        // another table, which can move the entries: `entry` is looked up again after.) An object
        // already being removed higher up is not removed again: rows that refer to each other in a
        // cycle end there.
        if (std::find(removing_.begin(), removing_.end(), &n) != removing_.end()) {
            return;
        }
        removing_.push_back(&n);
        try {
            for (std::size_t i = 0; i < owning_.size(); ++i) {
                if (owning_[i].first == own && (n.state == object_state::pending || n.state == object_state::persistent)) {
                    owning_[i].second(*this, n);
                }
            }
        } catch (...) {
            removing_.pop_back();
            throw;
        }
        removing_.pop_back();
        table_entry<Backend>& t = table(*own);
        if (n.state == object_state::pending) {
            expunge(t, n);
        } else if (n.state == object_state::persistent) {
            n.state = object_state::deleted;
        }
    }

    // An owning relationship (one_to_many(...).owning_children()) used in this session: removing
    // an object of its parent table removes its children too.
    using owned_cascade = void (*)(session_core&, node_base&);
    void note_owning(const table_ops<Backend>& parent_ops, owned_cascade cascade) {
        for (const auto& [ops, known] : owning_) {
            if (ops == &parent_ops && known == cascade) {
                return;
            }
        }
        owning_.emplace_back(&parent_ops, cascade);
    }

    void expunge(table_entry<Backend>& t, node_base& n) {
        check_owned(&n);
        const auto is_n = [&](const auto& p) { return p.get() == &n; };
        if (n.state == object_state::pending) {
            std::erase_if(t.pending, is_n);
        } else if (n.delete_flushed) {
            std::erase_if(t.removed, is_n);
        } else {
            t.identity.erase(n.key);
        }
        detach(n);
    }

    void refresh(table_entry<Backend>& t, node_base& n) {
        check_owned(&n);
        if (n.state == object_state::pending) {
            throw programming_error("refresh: the object is pending (not inserted yet)");
        }
        if (!t.ops->reload(connection(), n)) {
            std::string key = n.describe_key();
            expunge(t, n);
            throw stale_data_error("refresh: the row of " + std::string(t.ops->name) + " " + key +
                                       " no longer exists; the object is detached",
                                   std::string(t.ops->name), std::move(key));
        }
        n.state = object_state::persistent;
        n.delete_flushed = false;
    }

    // Writes every pending, changed and removed object, in foreign-key order: INSERTs, parents
    // first, one multi-row statement per chunk of a table; UPDATEs of changed rows; DELETEs,
    // children first. Any failure rolls the whole transaction back (see rollback()) and is
    // rethrown naming the table and key.
    void flush() {
        const std::vector<std::size_t>& order = table_order();
        const bool switched = switch_rows();
        // The work, found before anything is sent: each changed object is compared once. UPDATEs and
        // DELETEs of a table go out in key order, so that two sessions flushing the same rows lock
        // them in the same order (as Hibernate's order_updates), not in hash-table order.
        std::vector<std::vector<node_base*>> updates(tables_.size()), deletes(tables_.size());
        bool work = switched;  // even with nothing to write, a row switch is settled by commit()
        for (std::size_t i = 0; i < tables_.size(); ++i) {
            work = work || !tables_[i].pending.empty();
            tables_[i].identity.for_each([&](const std::shared_ptr<node_base>& n) {
                if (n->state == object_state::deleted) {
                    deletes[i].push_back(n.get());
                } else if (n->dirty()) {
                    updates[i].push_back(n.get());
                }
            });
            sort_by_key(updates[i]);
            sort_by_key(deletes[i]);
            work = work || !updates[i].empty() || !deletes[i].empty();
        }
        if (!work) {
            return;
        }
        std::string context;
        try {
            connection_type& db = connection();
            for (const std::size_t i : order) {
                table_entry<Backend>& t = tables_[i];
                // Rows whose parents (session.relate) are in take their keys; a row whose parent is a
                // row of the same table still pending waits for the next round (a tree).
                // Every one stays in t.pending until its INSERT has run, so that a failure leaves
                // them all for rollback() to drop.
                while (!t.pending.empty()) {
                    std::vector<std::shared_ptr<node_base>> ready, waiting;
                    for (const auto& n : t.pending) {
                        (resolve_links(*n) ? ready : waiting).push_back(n);
                    }
                    if (ready.empty()) {
                        context = describe_batch(t);
                        throw programming_error(
                            "the new objects are related in a cycle (or to a parent that is not in this session), so "
                            "no order of INSERTs gives each its parent's generated key");
                    }
                    context = describe_batch(t);
                    std::vector<node_base*> batch;
                    batch.reserve(ready.size());
                    for (const auto& n : ready) {
                        batch.push_back(n.get());
                    }
                    t.ops->insert(db, batch);
                    t.identity.reserve(t.identity.size() + ready.size());
                    for (auto& n : ready) {
                        n->state = object_state::persistent;
                        n->inserted_in_transaction = true;
                        n->take_snapshot();
                        n->key = n->encode_key();
                        if (!t.identity.insert(n)) {
                            throw programming_error("two objects of one session have the same primary key");
                        }
                    }
                    t.pending = std::move(waiting);
                }
            }
            // Persistent objects related to parents that were pending: their keys are known now.
            for (auto& [i, n] : linked_) {  // cleared after: a failure leaves them for rollback()
                if (n->owner != id_ || n->state != object_state::persistent || n->links.empty()) {
                    continue;
                }
                if (!resolve_links(*n)) {
                    context = "flush: UPDATE of " + std::string(tables_[i].ops->name) + " " + n->describe_key();
                    throw programming_error("the object is related to a new parent that is not in this session");
                }
                if (n->dirty() && std::find(updates[i].begin(), updates[i].end(), n.get()) == updates[i].end()) {
                    updates[i].push_back(n.get());
                    sort_by_key(updates[i]);
                }
            }
            linked_.clear();
            // Each table's UPDATEs as one batch, then its DELETEs (children first) as one batch: on
            // PostgreSQL, pipelined (not one round trip per row).
            for (const std::size_t i : order) {
                std::vector<node_base*>& batch = updates[i];
                if (batch.empty()) {
                    continue;
                }
                for (node_base* n : batch) {
                    if (n->key_changed()) {
                        context = "flush: UPDATE of " + std::string(tables_[i].ops->name) + " " + n->describe_key();
                        throw programming_error("the primary key of a persistent object was changed (delete it and "
                                                "add a new object instead)");
                    }
                }
                run_batch(tables_[i].ops->update, "UPDATE", tables_[i], batch, db, context);
                for (node_base* n : batch) {
                    n->advance_snapshot();
                }
            }
            for (auto i = order.rbegin(); i != order.rend(); ++i) {
                table_entry<Backend>& t = tables_[*i];
                std::vector<node_base*>& batch = deletes[*i];
                if (batch.empty()) {
                    continue;
                }
                // A tree goes children first: one batch per level, each of the rows no other row of
                // the rest refers to.
                std::vector<node_base*> rest = std::move(batch);
                while (!rest.empty()) {
                    std::vector<node_base*> level;
                    if (t.ops->refers_to == nullptr) {
                        level = std::move(rest);
                        rest.clear();
                    } else {
                        std::vector<node_base*> later;
                        for (node_base* candidate : rest) {
                            const bool referred = std::any_of(rest.begin(), rest.end(), [&](const node_base* other) {
                                return other != candidate && t.ops->refers_to(*other, *candidate);
                            });
                            (referred ? later : level).push_back(candidate);
                        }
                        if (level.empty()) {  // rows referring to each other in a cycle: all at once
                            level = std::move(later);
                            later.clear();
                        }
                        rest = std::move(later);
                    }
                    run_batch(t.ops->remove, "DELETE", t, level, db, context);
                    follow_deletes(t.ops->name, level);
                    for (node_base* n : level) {
                        n->delete_flushed = true;
                        t.removed.push_back(t.identity.erase(n->key));
                    }
                }
            }
        } catch (...) {
            rollback();
            rethrow_with_context(context + " (the transaction was rolled back)");
        }
    }

    void commit() {
        flush();
        if (!transaction_) {
            return;
        }
        try {
            transaction_->commit();
        } catch (...) {
            rollback();
            throw;
        }
        transaction_.reset();
        connection_.reset();
        for (table_entry<Backend>& t : tables_) {
            t.identity.for_each([](std::shared_ptr<node_base>& n) {
                n->forget_committed();
                n->inserted_in_transaction = false;
            });
            for (auto& n : t.removed) {
                detach(*n);
            }
            t.removed.clear();
        }
    }

    // Ends the transaction, and every object goes back to its state at the last commit: changes
    // (flushed or not) undone, removed objects persistent again, objects inserted since and pending
    // objects dropped (detached).
    void rollback() noexcept {
        try {
            end_transaction(false);
        } catch (...) {
            // The server has rolled back (or will, when the pool resets the connection).
        }
        for (auto& [i, n] : linked_) {
            n->links.clear();
        }
        linked_.clear();
        for (table_entry<Backend>& t : tables_) {
            for (auto& n : t.pending) {
                detach(*n);
            }
            t.pending.clear();
            t.identity.erase_if([](const node_base& n) { return n.inserted_in_transaction; },
                                [&](std::shared_ptr<node_base>&& n) { detach(*n); });
            t.identity.for_each([](std::shared_ptr<node_base>& n) {
                n->restore_committed();
                n->state = object_state::persistent;
                n->forget_relations();  // they may list objects the rollback dropped: load them again
            });
            for (auto& n : t.removed) {  // after the rows inserted since have left the map
                if (n->inserted_in_transaction) {
                    detach(*n);
                    continue;
                }
                n->restore_committed();
                n->state = object_state::persistent;
                n->delete_flushed = false;
                n->forget_relations();
                t.identity.insert(std::move(n));
            }
            t.removed.clear();
        }
    }

    // Rows of a query as the session's objects: the mapped object for a key the session holds (its
    // unflushed changes kept), else a new persistent object in the identity map.
    template <class T>
    std::vector<handle<T>> map_rows(std::vector<T>&& rows, const char* loaded_by) {
        table_entry<Backend>& t = table(table_ops_of<T, Backend>);
        std::vector<handle<T>> out;
        out.reserve(rows.size());
        t.identity.reserve(t.identity.size() + rows.size());
        for (T& row : rows) {
            std::string key = key_of(row);
            const identity_map::probe_result slot = t.identity.probe(key);  // room reserved above
            if (slot.found) {
                out.push_back(handle<T>(std::static_pointer_cast<node<T>>(t.identity.at(slot))));
                continue;
            }
            auto n = std::make_shared<node<T>>(std::move(row));
            n->take_snapshot();
            n->loaded_by = loaded_by;
            n->owner = id_;
            n->host = this;
            n->state = object_state::persistent;
            n->key = std::move(key);
            t.identity.insert_at(slot, n);
            out.push_back(handle<T>(std::move(n)));
        }
        return out;
    }

    // Copies the keys of parents now in the database into `n`'s foreign keys; true when no link
    // is left waiting.
    static bool resolve_links(node_base& n) {
        std::erase_if(n.links, [&](const node_base::pending_link& link) {
            if (link.parent->state != object_state::persistent) {
                return false;
            }
            link.apply(n, *link.parent);
            return true;
        });
        return n.links.empty();
    }

    // A persistent object waiting for a pending parent's key (session.relate).
    void add_linked(const table_ops<Backend>& ops, std::shared_ptr<node_base> n) {
        table(ops);
        const std::size_t i = static_cast<std::size_t>(&table(ops) - tables_.data());
        linked_.emplace_back(i, std::move(n));
    }

    // Relationships the session may load on first use (allow_lazy).
    void allow_lazy(const void* id, lazy_loader load) {
        for (auto& [known, loader] : lazy_) {
            if (known == id) {
                return;
            }
        }
        lazy_.emplace_back(id, load);
    }
    bool load_lazily(node_base& n, const void* id) override {
        for (auto& [known, loader] : lazy_) {
            if (known == id) {
                if (autoflush) {
                    flush();
                }
                loader(*this, n);
                return true;
            }
        }
        return false;
    }

private:
    void detach(node_base& n) noexcept {
        n.owner = 0;
        n.host = nullptr;
        n.links.clear();
        n.forget_relations();
        n.state = object_state::detached;
        n.inserted_in_transaction = false;
        n.delete_flushed = false;
        n.key.clear();
    }

    void end_transaction(bool commit) {
        auto transaction = std::move(transaction_);
        transaction_.reset();
        auto connection = std::move(connection_);
        connection_.reset();
        if (transaction) {
            if (commit) {
                transaction->commit();
            } else {
                transaction->rollback();
            }
        }
    }

    // In identity-key order (a total order that depends on the keys alone, so every session sorts
    // the same rows the same way). The first 8 bytes of each key, read big-endian, are compared as
    // one integer; only equal prefixes compare the whole key (a sort of 1,000 rows by std::string
    // comparison was 6% of a flush of 1,000 UPDATEs on SQLite).
    static void sort_by_key(std::vector<node_base*>& nodes) {
        if (nodes.size() < 2) {
            return;
        }
        struct entry {
            std::uint64_t prefix;
            node_base* node;
        };
        std::vector<entry> keyed;
        keyed.reserve(nodes.size());
        for (node_base* n : nodes) {
            std::uint64_t prefix = 0;
            for (std::size_t b = 0; b < 8; ++b) {
                prefix = (prefix << 8) | (b < n->key.size() ? static_cast<unsigned char>(n->key[b]) : 0u);
            }
            keyed.push_back({prefix, n});
        }
        std::sort(keyed.begin(), keyed.end(), [](const entry& a, const entry& b) {
            return a.prefix != b.prefix ? a.prefix < b.prefix : a.node->key < b.node->key;
        });
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            nodes[i] = keyed[i].node;
        }
    }

    // What the database did to mapped objects through foreign keys declared ON DELETE CASCADE or
    // SET NULL when rows of `table` were deleted: cascaded objects become deleted ones (and their
    // own children follow), set-null ones get NULL. A rollback undoes it all, as it does a DELETE.
    void follow_deletes(std::string_view table, std::span<node_base* const> deleted) {
        for (table_entry<Backend>& u : tables_) {
            if (u.ops->parent_deleted == nullptr) {
                continue;
            }
            std::vector<std::shared_ptr<node_base>> cascaded;
            u.ops->parent_deleted(u.identity, table, deleted, cascaded);
            if (cascaded.empty()) {
                continue;
            }
            std::vector<node_base*> next;
            for (auto& child : cascaded) {
                child->state = object_state::deleted;
                child->delete_flushed = true;
                next.push_back(child.get());
                u.removed.push_back(std::move(child));
            }
            follow_deletes(u.ops->name, next);
        }
    }

    using batch_op = void (*)(connection_type&, std::span<node_base* const>, std::size_t&);

    // One table's UPDATEs or DELETEs; on failure, `context` names the row that failed.
    static void run_batch(batch_op op, std::string_view verb, const table_entry<Backend>& t,
                          std::span<node_base* const> batch, connection_type& db, std::string& context) {
        std::size_t failed = batch.size();
        try {
            op(db, batch, failed);
        } catch (...) {
            context = "flush: " + std::string(verb) + " of " + std::string(t.ops->name);
            if (failed < batch.size()) {
                context += " " + batch[failed]->describe_key();
            } else {
                context += " (" + std::to_string(batch.size()) + " rows)";
            }
            throw;
        }
    }

    // A pending object with the key of a removed, not yet flushed object of its table takes over
    // that row: its flush is an UPDATE of the row, not a DELETE and an INSERT of the same key (which
    // the flush order, INSERTs before DELETEs, would refuse). SQLAlchemy calls this a row switch.
    // The removed object leaves the map as a flushed DELETE would, so a rollback puts it back.
    bool switch_rows() {
        bool switched = false;
        for (table_entry<Backend>& t : tables_) {
            if (t.pending.empty() || t.ops->generated_key) {
                continue;
            }
            for (auto it = t.pending.begin(); it != t.pending.end();) {
                std::string key = (*it)->encode_key();
                std::shared_ptr<node_base>* found = t.identity.find(key);
                if (found == nullptr || (*found)->state != object_state::deleted) {
                    ++it;
                    continue;
                }
                std::shared_ptr<node_base> n = std::move(*it);
                it = t.pending.erase(it);
                std::shared_ptr<node_base>& removed = *found;
                n->take_row_of(*removed);
                n->state = object_state::persistent;
                n->inserted_in_transaction = true;  // a rollback drops it, as it drops pending objects
                n->key = std::move(key);
                removed->delete_flushed = true;
                t.removed.push_back(std::exchange(removed, std::move(n)));
                switched = true;
            }
        }
        return switched;
    }

    static std::string describe_batch(const table_entry<Backend>& t) {
        std::string out = "flush: INSERT of " + std::to_string(t.pending.size()) + " new row(s) of " +
                          std::string(t.ops->name);
        if (t.ops->generated_key) {
            return out + " (keys assigned by the database)";
        }
        out += " with key(s) ";
        for (std::size_t i = 0; i < t.pending.size() && i < 10; ++i) {
            out += i == 0 ? "" : ", ";
            out += t.pending[i]->describe_key();
        }
        return t.pending.size() > 10 ? out + ", ..." : out;
    }

    // The registered tables in foreign-key order, parents first (as create_all orders them:
    // references to tables not in the session are ignored, a cycle keeps the order of first use).
    const std::vector<std::size_t>& table_order() {
        if (order_.size() == tables_.size()) {
            return order_;
        }
        order_.clear();
        std::vector<bool> done(tables_.size(), false);
        for (std::size_t round = 0; round < tables_.size(); ++round) {
            for (std::size_t i = 0; i < tables_.size(); ++i) {
                if (done[i]) {
                    continue;
                }
                bool ready = true;
                for (const std::string_view ref : tables_[i].ops->references) {
                    for (std::size_t j = 0; j < tables_.size(); ++j) {
                        ready = ready && !(tables_[j].ops->name == ref && !done[j]);
                    }
                }
                if (ready) {
                    done[i] = true;
                    order_.push_back(i);
                    break;
                }
            }
        }
        for (std::size_t i = 0; i < tables_.size(); ++i) {
            if (!done[i]) {
                order_.push_back(i);
            }
        }
        return order_;
    }

    engine_type engine_;
    std::uint64_t id_;
    std::optional<connection_type> connection_;
    std::optional<basic_transaction<Backend>> transaction_;
    std::vector<table_entry<Backend>> tables_;
    std::vector<std::size_t> order_;
    std::size_t last_ = 0;  // the table entry used last
    std::vector<std::pair<const void*, lazy_loader>> lazy_;
    std::vector<std::pair<const table_ops<Backend>*, owned_cascade>> owning_;
    std::vector<const node_base*> removing_;  // objects whose owned children are being removed
    std::vector<std::pair<std::size_t, std::shared_ptr<node_base>>> linked_;  // (table, object)
};

template <class V>
bool has_value_of(const V& v) {
    if constexpr (schema::is_nullable<V>) {
        return v.has_value();
    } else {
        return true;
    }
}
template <class V>
const auto& value_of(const V& v) {
    if constexpr (schema::is_nullable<V>) {
        return *v;
    } else {
        return v;
    }
}

// Loads relationship R for `sources` (persistent objects of R's source table) in one query, through
// the identity map, and returns the distinct objects it loaded (for nested loads).
template <class R, class Backend>
struct relation_loader {
    using parent = typename R::parent_type;
    using child = typename R::child_type;
    using key_type = schema::non_null_t<reflect::field_type<parent, R::parent_column>>;

    static std::vector<node_base*> load(session_core<Backend>& core, std::span<node_base* const> sources) {
        note(core);
        if constexpr (R::kind == relation_kind::one_to_many) {
            return load_children(core, sources);
        } else {
            return load_parents(core, sources);
        }
    }

    static void load_one(session_core<Backend>& core, node_base& n) {
        node_base* one[] = {&n};
        load(core, one);
    }

    // Removes the children of `n` (loaded first if needed) through the owning relationship R.
    static void remove_children(session_core<Backend>& core, node_base& n) {
        if (n.state != object_state::persistent && n.state != object_state::pending) {
            return;
        }
        if (n.state == object_state::pending) {
            // New children related to a new parent wait for its key: they are its children.
            const std::vector<std::shared_ptr<node_base>> pending = core.table(table_ops_of<child, Backend>).pending;
            for (const auto& c : pending) {
                const bool mine = std::any_of(c->links.begin(), c->links.end(), [&](const auto& link) {
                    return link.relation == R::inverse_id() && link.parent.get() == &n;
                });
                if (mine && c->owner == n.owner) {
                    core.remove(core.table(table_ops_of<child, Backend>), *c);
                }
            }
            return;
        }
        if (n.find_relation(R::id()) == nullptr) {
            if (core.autoflush) {
                core.flush();  // new children related to it are rows before they are looked for
            }
            load_one(core, n);
        }
        if (const loaded_relation* list = n.find_relation(R::id())) {
            const auto children = std::static_pointer_cast<const std::vector<handle<child>>>(list->targets);
            for (const handle<child>& c : *children) {
                if (c.node_->owner == n.owner &&
                    (c.node_->state == object_state::pending || c.node_->state == object_state::persistent)) {
                    core.remove(core.table(table_ops_of<child, Backend>), *c.node_);
                }
            }
        }
    }

    // An owning relationship's use makes the session cascade removals through it.
    static void note(session_core<Backend>& core) {
        if constexpr (R::kind == relation_kind::one_to_many) {
            if constexpr (R::owning) {
                core.note_owning(table_ops_of<parent, Backend>, &remove_children);
            }
        }
    }

private:
    static std::vector<node_base*> load_children(session_core<Backend>& core, std::span<node_base* const> sources) {
        std::vector<key_type> keys;
        keys.reserve(sources.size());
        for (node_base* s : sources) {
            const auto& k = boost::pfr::get<R::parent_column>(static_cast<node<parent>*>(s)->object);
            if (has_value_of(k)) {
                keys.push_back(value_of(k));
            }
        }
        std::vector<handle<child>> children;
        if (!keys.empty()) {
            // No ORDER BY: with one, PostgreSQL walked the primary key's index and tested every row
            // against the whole key array (2x the time of the same query unordered, 1,000 keys); the
            // lists are put in key order below, where they are not already.
            children = core.template map_rows<child>(
                core.connection().all(
                    sql::select<child>().where(sql::in(sql::column<child, R::child_column>{}, keys))),
                nullptr);
        }
        // Each source's position by its key (sorted, one allocation), then each child's source, then
        // each source's list allocated once at its final size.
        std::vector<std::pair<key_type, std::size_t>> positions;
        positions.reserve(sources.size());
        for (std::size_t i = 0; i < sources.size(); ++i) {
            const auto& k = boost::pfr::get<R::parent_column>(static_cast<node<parent>*>(sources[i])->object);
            if (has_value_of(k)) {
                positions.emplace_back(value_of(k), i);
            }
        }
        std::sort(positions.begin(), positions.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        constexpr std::size_t none = ~std::size_t{0};
        std::vector<std::size_t> owner(children.size(), none);
        std::vector<std::size_t> counts(sources.size(), 0);
        std::vector<node_base*> loaded;
        loaded.reserve(children.size());
        auto last = positions.end();  // children of one parent often arrive together
        for (std::size_t c = 0; c < children.size(); ++c) {
            loaded.push_back(children[c].node_.get());
            const auto& fk = boost::pfr::get<R::child_column>(children[c].node_->object);
            if (!has_value_of(fk)) {
                continue;
            }
            if (last == positions.end() || last->first != value_of(fk)) {
                last = std::lower_bound(positions.begin(), positions.end(), value_of(fk),
                                        [](const auto& p, const auto& v) { return p.first < v; });
                if (last != positions.end() && value_of(fk) < last->first) {
                    last = positions.end();
                }
            }
            if (last != positions.end()) {
                owner[c] = last->second;
                ++counts[last->second];
            }
        }
        std::vector<std::vector<handle<child>>> lists(sources.size());
        for (std::size_t i = 0; i < sources.size(); ++i) {
            lists[i].reserve(counts[i]);
        }
        for (std::size_t c = 0; c < children.size(); ++c) {
            if (owner[c] != none) {
                lists[owner[c]].push_back(std::move(children[c]));
            }
        }
        constexpr std::size_t first_key = key_columns<child>[0];
        const auto by_key = [](const handle<child>& a, const handle<child>& b) {
            return boost::pfr::get<first_key>(a.node_->object) < boost::pfr::get<first_key>(b.node_->object);
        };
        for (std::size_t i = 0; i < sources.size(); ++i) {
            if (!std::is_sorted(lists[i].begin(), lists[i].end(), by_key)) {
                std::sort(lists[i].begin(), lists[i].end(), by_key);
            }
            sources[i]->set_relation(R::id(), std::make_shared<const std::vector<handle<child>>>(std::move(lists[i])));
        }
        return loaded;
    }

    static std::vector<node_base*> load_parents(session_core<Backend>& core, std::span<node_base* const> sources) {
        std::vector<key_type> keys;
        keys.reserve(sources.size());
        for (node_base* s : sources) {
            const auto& fk = boost::pfr::get<R::child_column>(static_cast<node<child>*>(s)->object);
            if (has_value_of(fk)) {
                keys.push_back(value_of(fk));
            }
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        std::vector<handle<parent>> parents;
        if (!keys.empty()) {
            parents = core.template map_rows<parent>(
                core.connection().all(
                    sql::select<parent>().where(sql::in(sql::column<parent, R::parent_column>{}, keys))),
                nullptr);
        }
        std::vector<std::pair<key_type, handle<parent>>> by_key;  // sorted: one allocation
        by_key.reserve(parents.size());
        std::vector<node_base*> loaded;
        loaded.reserve(parents.size());
        for (handle<parent>& h : parents) {
            loaded.push_back(h.node_.get());
            const auto& k = boost::pfr::get<R::parent_column>(h.node_->object);
            if (has_value_of(k)) {
                by_key.emplace_back(value_of(k), std::move(h));
            }
        }
        std::sort(by_key.begin(), by_key.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (node_base* s : sources) {
            const auto& fk = boost::pfr::get<R::child_column>(static_cast<node<child>*>(s)->object);
            std::vector<handle<parent>> mine;
            if (has_value_of(fk)) {
                const auto at = std::lower_bound(by_key.begin(), by_key.end(), value_of(fk),
                                                 [](const auto& p, const auto& v) { return p.first < v; });
                if (at != by_key.end() && !(value_of(fk) < at->first)) {
                    mine.push_back(at->second);
                }
            }
            s->set_relation(R::id(), std::make_shared<const std::vector<handle<parent>>>(std::move(mine)));
        }
        return loaded;
    }
};

// Many-to-many: the targets and, for each, the source key of its link row, in one query
// (`SELECT target.*, link.source_fk FROM target JOIN link ON ... WHERE link.source_fk IN (...)`).
template <class Source, class Target, class Link, auto SC, auto TC, class Backend>
struct relation_loader<many_to_many_t<Source, Target, Link, SC, TC>, Backend> {
    using R = many_to_many_t<Source, Target, Link, SC, TC>;
    using key_type = schema::non_null_t<reflect::field_type<Source, R::source_key_column>>;

    static std::vector<node_base*> load(session_core<Backend>& core, std::span<node_base* const> sources) {
        std::vector<std::pair<key_type, std::size_t>> positions;
        positions.reserve(sources.size());
        std::vector<key_type> keys;
        keys.reserve(sources.size());
        for (std::size_t i = 0; i < sources.size(); ++i) {
            const auto& k = boost::pfr::get<R::source_key_column>(static_cast<node<Source>*>(sources[i])->object);
            if (has_value_of(k)) {
                positions.emplace_back(value_of(k), i);
                keys.push_back(value_of(k));
            }
        }
        std::sort(positions.begin(), positions.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::vector<handle<Target>>> lists(sources.size());
        std::vector<node_base*> loaded;
        if (!keys.empty()) {
            auto rows = core.connection().all(
                sql::select(sql::all_of<Target>, sql::column<Link, R::source_link_column>{})
                    .template from<Target>()
                    .template join<Link>(sql::column<Link, R::target_link_column>{} ==
                                         sql::column<Target, R::target_key_column>{})
                    .where(sql::in(sql::column<Link, R::source_link_column>{}, keys)));
            std::vector<Target> targets;
            targets.reserve(rows.size());
            std::vector<std::size_t> owners;
            owners.reserve(rows.size());
            for (auto& row : rows) {
                const auto& source_key = std::get<1>(row);
                const auto at = std::lower_bound(positions.begin(), positions.end(), value_of(source_key),
                                                 [](const auto& p, const auto& v) { return p.first < v; });
                owners.push_back(at->second);
                targets.push_back(std::move(std::get<0>(row)));
            }
            std::vector<handle<Target>> handles = core.template map_rows<Target>(std::move(targets), nullptr);
            for (std::size_t r = 0; r < handles.size(); ++r) {
                auto& list = lists[owners[r]];
                if (std::find(list.begin(), list.end(), handles[r]) == list.end()) {  // linked twice: once
                    list.push_back(handles[r]);
                }
            }
            for (const auto& h : handles) {
                loaded.push_back(h.node_.get());
            }
            std::sort(loaded.begin(), loaded.end());
            loaded.erase(std::unique(loaded.begin(), loaded.end()), loaded.end());
        }
        constexpr std::size_t first_key = key_columns<Target>[0];
        const auto by_key = [](const handle<Target>& a, const handle<Target>& b) {
            return boost::pfr::get<first_key>(a.node_->object) < boost::pfr::get<first_key>(b.node_->object);
        };
        for (std::size_t i = 0; i < sources.size(); ++i) {
            std::sort(lists[i].begin(), lists[i].end(), by_key);
            sources[i]->set_relation(R::id(), std::make_shared<const std::vector<handle<Target>>>(std::move(lists[i])));
        }
        return loaded;
    }

    static void load_one(session_core<Backend>& core, node_base& n) {
        node_base* one[] = {&n};
        load(core, one);
    }
};

// A load of relationship R and, for the objects it loads, of Nested...: crucible::selectin(r, ...).
template <class R, class... Nested>
struct selectin_t {
    R relation;
    std::tuple<Nested...> nested;

    template <class Backend>
    void apply(session_core<Backend>& core, std::span<node_base* const> sources) const {
        if (sources.empty()) {
            return;
        }
        // Each object once (a query with a JOIN, or a vector, may hold one twice).
        std::vector<node_base*> distinct(sources.begin(), sources.end());
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        const std::vector<node_base*> loaded = relation_loader<R, Backend>::load(core, distinct);
        std::apply([&](const auto&... n) { (n.apply(core, std::span<node_base* const>(loaded)), ...); }, nested);
    }
};

// A load of relationship R in the query itself: a LEFT JOIN of its target (crucible::joined(r)).
template <class R>
struct joined_t {
    R relation;
};

template <class T>
struct is_joined : std::false_type {};
template <class R>
struct is_joined<joined_t<R>> : std::true_type {};

// `query` (a select<T>()) with R's target's columns and a LEFT JOIN of its table added; its WHERE,
// ORDER BY, LIMIT, OFFSET and flags kept.
template <class R, class Parts>
auto with_joined(const sql::select_statement<Parts>& query) {
    using source = typename R::source_type;
    using target = typename R::target_type;
    using child = typename R::child_type;
    using parent = typename R::parent_type;
    static_assert(std::is_same_v<typename Parts::items_type,
                                 sql::node_list<sql::keyword::none, sql::all_of_t<source>>> &&
                      std::is_same_v<typename Parts::from_type, sql::from_clause<source>>,
                  "crucible: joined(relationship) extends a query of the form select<T>()...");
    static_assert(sql::detail::joins_info<typename Parts::joins_type>::count == 0,
                  "crucible: joined(relationship) extends a query without JOINs of its own; load with selectin");
    static_assert(!Parts::group_by_type::given && !Parts::having_type::given,
                  "crucible: joined(relationship) cannot extend a query with GROUP BY or HAVING");
    static_assert(!Parts::flags_type::for_update,
                  "crucible: FOR UPDATE cannot lock the missing rows of the LEFT JOIN that joined(relationship) adds; "
                  "load the relationship with selectin");
    static_assert(R::kind == relation_kind::many_to_one || (!Parts::limit_type::given && !Parts::offset_type::given),
                  "crucible: joined loading of a one-to-many would LIMIT the joined rows, not the objects; load it "
                  "with selectin, which limits the objects");
    const auto on = sql::column<child, R::child_column>{} == sql::column<parent, R::parent_column>{};
    auto base = sql::select(sql::all_of<source>, sql::all_of<target>).template from<source>().template left_join<target>(on);
    using base_parts = decltype(base.parts);
    using parts = sql::select_parts<typename base_parts::items_type, typename base_parts::from_type,
                                    typename base_parts::joins_type, typename Parts::where_type,
                                    typename Parts::group_by_type, typename Parts::having_type,
                                    typename Parts::order_by_type, typename Parts::limit_type,
                                    typename Parts::offset_type, typename Parts::flags_type>;
    const auto& p = query.parts;
    return sql::select_statement<parts>{
        {},
        {base.parts.items, base.parts.from, base.parts.joins, p.where, p.group_by, p.having, p.order_by, p.limit,
         p.offset, p.flags}};
}

template <class T>
struct is_load_spec : std::false_type {};
template <class R, class... N>
struct is_load_spec<selectin_t<R, N...>> : std::true_type {
    using source_type = typename R::source_type;
};


} // namespace detail

// Loads relationship `r` for the objects of a query (or of session.load) in one more query
// (`WHERE fk IN (...)`; on PostgreSQL `= ANY($1)`), through the identity map, and for the objects
// that loads, each of `nested`: `selectin(venue_shows, selectin(show_artist))` is one query per
// level, however many objects each level has.
template <relationship R, class... Nested>
constexpr detail::selectin_t<R, Nested...> selectin(const R& r, const Nested&... nested) {
    static_assert((detail::is_load_spec<Nested>::value && ...),
                  "crucible: selectin(relationship, ...) nests only other selectin(...) loads");
    if constexpr (sizeof...(Nested) > 0) {
        static_assert((std::is_same_v<typename detail::is_load_spec<Nested>::source_type, typename R::target_type> &&
                       ...),
                      "crucible: a nested selectin must start from the table its outer relationship loads");
    }
    return {r, {nested...}};
}

// Loads relationship `r` in the query itself, with a LEFT JOIN of its target table: one statement
// for the objects and their related ones (SQLAlchemy's joinedload). For a one-to-many each object's
// row comes once per child, and a LIMIT would count those rows, so a query with LIMIT or OFFSET
// must use selectin (a compile error says so); a table joined to itself needs selectin too.
template <relationship R>
constexpr detail::joined_t<R> joined(const R& r) {
    static_assert(R::kind != relation_kind::many_to_many,
                  "crucible: joined() loads a one-to-many or many-to-one relationship; load a many-to-many with "
                  "selectin");
    if constexpr (R::kind != relation_kind::many_to_many) {
        static_assert(!std::is_same_v<typename R::parent_type, typename R::child_type>,
                      "crucible: joined() of a table to itself would need a table alias; load it with selectin");
    }
    return {r};
}

// The ORM session (SQLAlchemy's Session, Hibernate's Session): `crucible::session session(engine);`.
//
// - Identity map: one object per (table, primary key), in a node with a stable address; handles
//   share it. get() looks there before any SQL; a query returns the mapped object for a row the
//   session holds (its unflushed changes kept) and maps the others.
// - Unit of work: add() makes an object pending; flush() INSERTs pending objects (one multi-row
//   statement per chunk of a table, generated keys written back), UPDATEs every persistent object
//   that differs from its snapshot (the whole row, one statement per row), DELETEs removed ones;
//   parents inserted first and children deleted first, by the tables' foreign keys. commit()
//   flushes and commits. A query through the session flushes first (autoflush, on by default).
// - Optimistic locking: a table with version<&T::v> has it checked and bumped by every UPDATE and
//   DELETE; a row changed elsewhere meanwhile is a stale_data_error.
// - Failure: rollback(), and any flush or commit that fails, ends the transaction and returns every
//   object to its state at the last commit; pending objects and objects inserted since are dropped
//   (detached). The session stays usable.
// - Threads: a session belongs to one thread at a time. It checks out one pooled connection when a
//   transaction begins (at its first statement) and returns it at commit() or rollback().
// - Lifetimes: the session holds a copy of the engine (a copy shares the pool), so it may outlive
//   the engine object it was made from. Handles may outlive the session: their objects are then
//   detached, never dangling.
template <class Backend>
class session {
public:
    using backend_type = Backend;
    using engine_type = basic_engine<Backend>;
    using connection_type = basic_connection<Backend>;

    explicit session(const engine_type& engine) : core_(std::make_unique<detail::session_core<Backend>>(engine)) {}
    session(session&&) noexcept = default;
    session& operator=(session&&) noexcept = default;
    ~session() = default;

    // A new object, pending until the next flush; the object is the session's copy of `object`.
    template <class T>
    handle<T> add(T object) {
        detail::check_mapped<T>();
        auto n = std::make_shared<detail::node<T>>(std::move(object));
        core_->add_pending(entry<T>(), n);
        return handle<T>(std::move(n));
    }

    template <class Range>
    auto add_all(Range&& objects) {
        using T = std::remove_cvref_t<decltype(*std::begin(objects))>;
        std::vector<handle<T>> out;
        for (auto&& object : objects) {
            out.push_back(add<T>(T(std::forward<decltype(object)>(object))));
        }
        return out;
    }

    // The object with this primary key (one value per key column): from the identity map without
    // SQL, else SELECTed by key (after an autoflush). Empty when there is no such row, or the
    // object was removed in this session.
    template <class T, class... Key>
    handle<T> get(const Key&... key) {
        detail::check_mapped<T>();
        static_assert(sizeof...(Key) == detail::key_size<T>,
                      "crucible: get<T>(...) takes one value per primary key column");
        T probe{};
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((boost::pfr::get<detail::key_columns<T>[K]>(probe) =
                  static_cast<reflect::field_type<T, detail::key_columns<T>[K]>>(key)),
             ...);
        }(std::make_index_sequence<sizeof...(Key)>{});
        auto& t = entry<T>();
        std::string identity = detail::key_of(probe);
        if (auto n = core_->find(t, identity)) {
            return n->state == object_state::deleted ? handle<T>() : make_handle<T>(std::move(n));
        }
        // A miss means the session holds no object of this row: no unflushed change of the session
        // but a pending object of this table (which may have the key) can change what the SELECT
        // by key finds, so only those make it autoflush (as Hibernate's find). Flushing on every
        // miss compared every mapped object with its snapshot per get (1,000 gets: 11x Core).
        if (!t.pending.empty()) {
            autoflush();
        }
        auto row = detail::mapper<T, Backend>::load(core_->connection(), probe);
        if (!row) {
            return {};
        }
        auto n = std::make_shared<detail::node<T>>(std::move(*row));
        n->take_snapshot();
        n->loaded_by = "session.get()";
        core_->add_persistent(t, n, std::move(identity));
        return handle<T>(std::move(n));
    }

    // The rows of a query that selects whole T (`select<T>().where(...)`), as the session's objects,
    // with the relationships `loads` name loaded (crucible::selectin(...)): one more query each.
    template <class S, class... Loads>
    auto all(const S& query, const Loads&... loads) {
        using T = typename S::result_type;
        static_assert(std::is_class_v<T> && reflect::reflectable<T> && !sql::detail::is_tuple<T>::value,
                      "crucible: session::all takes a query that selects whole structs, select<T>()");
        detail::check_mapped<T>();
        check_loads<T, Loads...>();
        autoflush();
        const char* loaded_by = nullptr;
        if constexpr (S::is_static) {
            loaded_by = sql::sql_text<S, typename connection_type::dialect>.data();
        }
        std::vector<handle<T>> out = core_->template map_rows<T>(core_->connection().all(query), loaded_by);
        if constexpr (sizeof...(Loads) > 0) {
            apply_loads(out, loads...);
        }
        return out;
    }

    // The same with `r` loaded by a LEFT JOIN in the query itself (crucible::joined(r)), then any
    // selectin loads: one statement for the objects and r.
    template <class S, class R, class... Loads>
    auto all(const S& query, const detail::joined_t<R>&, const Loads&... loads) {
        using T = typename S::result_type;
        using target = typename R::target_type;
        static_assert(std::is_same_v<typename R::source_type, T>,
                      "crucible: a relationship loaded with these objects must start from their table");
        detail::check_mapped<T>();
        check_loads<T, Loads...>();
        detail::relation_loader<R, Backend>::note(*core_);
        autoflush();
        const auto statement = detail::with_joined<R>(query);
        const char* loaded_by = nullptr;
        if constexpr (decltype(statement)::is_static) {
            loaded_by = sql::sql_text<std::remove_cvref_t<decltype(statement)>, typename connection_type::dialect>.data();
        }
        auto rows = core_->connection().all(statement);
        std::vector<T> sources;
        sources.reserve(rows.size());
        std::vector<target> targets;
        std::vector<std::size_t> target_row;  // the row each target came from
        for (std::size_t r = 0; r < rows.size(); ++r) {
            sources.push_back(std::move(std::get<0>(rows[r])));
            if (auto& t = std::get<1>(rows[r])) {
                targets.push_back(std::move(*t));
                target_row.push_back(r);
            }
        }
        std::vector<handle<T>> per_row = core_->template map_rows<T>(std::move(sources), loaded_by);
        std::vector<handle<target>> related = core_->template map_rows<target>(std::move(targets), loaded_by);
        // The distinct objects, in the order of their first row, and what each is related to.
        std::vector<handle<T>> out;
        std::vector<std::vector<handle<target>>> lists;
        std::vector<std::size_t> slot_of_row(per_row.size());
        std::unordered_map<const detail::node_base*, std::size_t> slots;
        for (std::size_t r = 0; r < per_row.size(); ++r) {
            const auto [at, added] = slots.emplace(per_row[r].node_.get(), out.size());
            if (added) {
                out.push_back(per_row[r]);
                lists.emplace_back();
            }
            slot_of_row[r] = at->second;
        }
        for (std::size_t i = 0; i < related.size(); ++i) {
            auto& list = lists[slot_of_row[target_row[i]]];
            if (std::find(list.begin(), list.end(), related[i]) == list.end()) {
                list.push_back(std::move(related[i]));
            }
        }
        constexpr std::size_t first_key = detail::key_columns<target>[0];
        const auto by_key = [](const handle<target>& a, const handle<target>& b) {
            return boost::pfr::get<first_key>(a.node_->object) < boost::pfr::get<first_key>(b.node_->object);
        };
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (!std::is_sorted(lists[k].begin(), lists[k].end(), by_key)) {  // in key order, as selectin's
                std::sort(lists[k].begin(), lists[k].end(), by_key);
            }
            out[k].node_->set_relation(R::id(), std::make_shared<const std::vector<handle<target>>>(std::move(lists[k])));
        }
        if constexpr (sizeof...(Loads) > 0) {
            apply_loads(out, loads...);
        }
        return out;
    }

    // Loads relationships of objects the session already holds (explicit lazy loading): one query
    // per relationship for all of `objects` (a handle, or a vector of them).
    template <class T, class... Loads>
    void load(const handle<T>& object, const Loads&... loads) {
        check_loads<T, Loads...>();
        checked(object);
        autoflush();
        apply_loads(std::vector<handle<T>>{object}, loads...);
    }
    template <class T, class... Loads>
    void load(const std::vector<handle<T>>& objects, const Loads&... loads) {
        check_loads<T, Loads...>();
        for (const auto& object : objects) {
            checked(object);
        }
        autoflush();
        apply_loads(objects, loads...);
    }

    // Relates two of the session's objects through `r`, as SQLAlchemy's `venue.shows.append(show)`
    // or `show.venue = venue`: relate(venue, venue_shows, show) and relate(show, show_venue, venue)
    // do the same. The child's foreign key takes the parent's key — now when it is known, else at
    // flush, right after the parent's INSERT (so a new venue and its new shows go in one flush,
    // the venue first) — and what is loaded on both sides follows: the child joins the parent's
    // list if that is loaded, leaves its old parent's loaded list, and its own many-to-one is the
    // new parent.
    //
    // On a many-to-many through a plain link table (its two link columns and at most a generated
    // key), relate(source, r, target) adds the link row (SQLAlchemy's `venue.genres.append(g)`),
    // its keys taken at flush from new objects, and the source's loaded list follows; objects
    // already linked in the loaded list stay as they are. A link struct with data of its own
    // (fyyur's Show) is added as an object and related to both sides.
    template <relationship R>
    void relate(const handle<typename R::source_type>& object, const R&,
                const handle<typename R::target_type>& other) {
        if constexpr (R::kind == relation_kind::many_to_many) {
            relate_link<R>(object, other);
        } else {
            relate_by_key<R>(object, other);
        }
    }

    // Ends the relationship of two of the session's objects: the child's foreign key becomes NULL
    // (a compile error when it cannot be: remove the child, or relate it to another parent) and
    // loaded lists follow. unrelate(venue, venue_shows, show) and unrelate(show, show_venue, venue)
    // do the same. On a many-to-many whose link table's primary key is its two link columns, the
    // link row is deleted at flush (a new, unflushed link is dropped); a link row that is not
    // there makes the flush fail as a stale row, and nothing is written.
    template <relationship R>
    void unrelate(const handle<typename R::source_type>& object, const R&,
                  const handle<typename R::target_type>& other) {
        if constexpr (R::kind == relation_kind::many_to_many) {
            unrelate_link<R>(object, other);
        } else {
            unrelate_by_key<R>(object, other);
        }
    }

private:
    template <class R>
    void relate_by_key(const handle<typename R::source_type>& object, const handle<typename R::target_type>& other) {
        using parent = typename R::parent_type;
        using child = typename R::child_type;
        constexpr bool from_parent = R::kind == relation_kind::one_to_many;
        const auto [parent_handle, child_handle] = ends<R>(object, other);
        detail::node<parent>* p = checked(parent_handle);
        detail::node<child>* c = checked(child_handle);
        detail::relation_loader<R, Backend>::note(*core_);
        if (p->state == object_state::deleted || c->state == object_state::deleted) {
            throw programming_error("relate: the object was removed from the session");
        }
        const void* to_children = from_parent ? R::id() : R::inverse_id();
        const void* to_parent = from_parent ? R::inverse_id() : R::id();

        // The old parent's loaded list loses the child (found by key when the foreign key
        // references the parent's primary key).
        auto& fk = boost::pfr::get<R::child_column>(c->object);
        if constexpr (detail::key_size<parent> == 1 && detail::key_columns<parent>[0] == R::parent_column) {
            if (detail::has_value_of(fk)) {
                parent probe{};
                boost::pfr::get<R::parent_column>(probe) = detail::value_of(fk);
                if (auto old = core_->find(entry<parent>(), detail::key_of(probe)); old && old.get() != p) {
                    remove_from_list<child>(*old, to_children, c);
                }
            }
        }
        // The key: now, or at flush.
        std::erase_if(c->links, [&](const auto& link) { return link.relation == to_parent; });
        if (p->state == object_state::pending && schema::table<parent>::autoincrement_column == R::parent_column) {
            c->links.push_back({parent_handle.node_, &copy_key<R>, to_parent});
            if (c->state == object_state::persistent) {
                core_->add_linked(detail::table_ops_of<child, Backend>, child_handle.node_);
            }
        } else {
            copy_key<R>(*c, *p);
        }
        // The lists on both sides.
        if (const detail::loaded_relation* list = p->find_relation(to_children)) {
            const auto& old = *std::static_pointer_cast<const std::vector<handle<child>>>(list->targets);
            if (std::find(old.begin(), old.end(), child_handle) == old.end()) {
                auto grown = std::make_shared<std::vector<handle<child>>>(old);
                grown->push_back(child_handle);
                p->set_relation(to_children, std::move(grown));
            }
        }
        c->set_relation(to_parent, std::make_shared<const std::vector<handle<parent>>>(1, parent_handle));
    }

    template <class R>
    void unrelate_by_key(const handle<typename R::source_type>& object, const handle<typename R::target_type>& other) {
        using parent = typename R::parent_type;
        using child = typename R::child_type;
        constexpr bool from_parent = R::kind == relation_kind::one_to_many;
        constexpr bool owned = [] {
            if constexpr (R::kind == relation_kind::one_to_many) {
                return R::owning;
            } else {
                return false;
            }
        }();
        static_assert(owned || schema::is_nullable<reflect::field_type<child, R::child_column>>,
                      "crucible: unrelate() sets the child's foreign key to NULL, and this one is not nullable: remove "
                      "the child, relate it to another parent, or declare the relationship owning_children()");
        const auto [parent_handle, child_handle] = ends<R>(object, other);
        detail::node<parent>* p = checked(parent_handle);
        detail::node<child>* c = checked(child_handle);
        detail::relation_loader<R, Backend>::note(*core_);
        const void* to_children = from_parent ? R::id() : R::inverse_id();
        const void* to_parent = from_parent ? R::inverse_id() : R::id();
        auto& fk = boost::pfr::get<R::child_column>(c->object);
        const bool waiting = std::erase_if(c->links, [&](const auto& link) {
                                 return link.relation == to_parent && link.parent.get() == p;
                             }) > 0;
        bool related_now = waiting;
        if constexpr (schema::is_nullable<reflect::field_type<child, R::child_column>>) {
            related_now = related_now || (fk && *fk == boost::pfr::get<R::parent_column>(p->object));
        } else {
            related_now = related_now || fk == boost::pfr::get<R::parent_column>(p->object);
        }
        if (!related_now) {
            throw programming_error("unrelate: the two objects are not related through this relationship");
        }
        remove_from_list<child>(*p, to_children, c);
        if constexpr (owned) {
            core_->remove(entry<child>(), *c);  // an orphan of an owning relationship is deleted
        } else {
            fk = std::nullopt;
            c->set_relation(to_parent, std::make_shared<const std::vector<handle<parent>>>());
        }
    }

    // A plain link table: its two link columns and at most a generated key.
    template <class R>
    static constexpr bool plain_link = [] {
        using link = typename R::link_type;
        for (std::size_t i = 0; i < schema::table<link>::column_count; ++i) {
            if (i != R::source_link_column && i != R::target_link_column && i != schema::table<link>::autoincrement_column) {
                return false;
            }
        }
        return true;
    }();

    // The link row's column `LinkColumn` takes the key of `parent`: now, or at flush when the
    // parent is new and its key generated.
    template <class Link, class Parent, std::size_t LinkColumn, std::size_t ParentColumn>
    static void link_to(detail::node<Link>& link, const std::shared_ptr<detail::node<Parent>>& parent, const void* relation) {
        constexpr auto copy = [](detail::node_base& child_node, const detail::node_base& parent_node) {
            boost::pfr::get<LinkColumn>(static_cast<detail::node<Link>&>(child_node).object) =
                boost::pfr::get<ParentColumn>(static_cast<const detail::node<Parent>&>(parent_node).object);
        };
        if (parent->state == object_state::pending && schema::table<Parent>::autoincrement_column == ParentColumn) {
            link.links.push_back({parent, copy, relation});
        } else {
            copy(link, *parent);
        }
    }

    // Is `n`, a link row, the one between these two objects (by key, or waiting for their keys)?
    template <class Link, std::size_t LinkColumn, class End, std::size_t KeyColumn>
    static bool links_end(const detail::node<Link>& n, const detail::node<End>* end) {
        for (const auto& waiting : n.links) {
            if (waiting.parent.get() == end) {
                return true;
            }
        }
        if (end->state == object_state::pending && schema::table<End>::autoincrement_column == KeyColumn) {
            return false;  // its key is not known yet
        }
        return detail::value_of(boost::pfr::get<LinkColumn>(n.object)) ==
               detail::value_of(boost::pfr::get<KeyColumn>(end->object));
    }
    template <class R>
    static bool links(const detail::node<typename R::link_type>& n, const detail::node<typename R::source_type>* s,
                      const detail::node<typename R::target_type>* t) {
        using link = typename R::link_type;
        return links_end<link, R::source_link_column, typename R::source_type, R::source_key_column>(n, s) &&
               links_end<link, R::target_link_column, typename R::target_type, R::target_key_column>(n, t);
    }

    template <class R>
    void relate_link(const handle<typename R::source_type>& object, const handle<typename R::target_type>& other) {
        using link = typename R::link_type;
        using target = typename R::target_type;
        static_assert(plain_link<R>,
                      "crucible: relate() on a many-to-many adds a row of its link table, and this link table has "
                      "columns of its own: add the link object and relate it to both sides with many_to_one");
        detail::node<typename R::source_type>* s = checked(object);
        detail::node<target>* t = checked(other);
        if (s->state == object_state::deleted || t->state == object_state::deleted) {
            throw programming_error("relate: the object was removed from the session");
        }
        const detail::loaded_relation* list = s->find_relation(R::id());
        std::shared_ptr<const std::vector<handle<target>>> old;
        if (list != nullptr) {
            old = std::static_pointer_cast<const std::vector<handle<target>>>(list->targets);
            if (std::find(old->begin(), old->end(), other) != old->end()) {
                return;  // linked already
            }
        }
        for (const auto& n : entry<link>().pending) {  // linked already by an unflushed relate()
            if (links<R>(static_cast<const detail::node<link>&>(*n), s, t)) {
                return;
            }
        }
        auto n = std::make_shared<detail::node<link>>(link{});
        link_to<link, typename R::source_type, R::source_link_column, R::source_key_column>(*n, object.node_, R::id());
        link_to<link, target, R::target_link_column, R::target_key_column>(*n, other.node_, R::id());
        core_->add_pending(entry<link>(), std::move(n));
        if (old) {
            auto grown = std::make_shared<std::vector<handle<target>>>(*old);
            grown->push_back(other);
            s->set_relation(R::id(), std::move(grown));
        }
    }

    template <class R>
    void unrelate_link(const handle<typename R::source_type>& object, const handle<typename R::target_type>& other) {
        using link = typename R::link_type;
        using target = typename R::target_type;
        static_assert(detail::key_size<link> == 2 &&
                          ((detail::key_columns<link>[0] == R::source_link_column &&
                            detail::key_columns<link>[1] == R::target_link_column) ||
                           (detail::key_columns<link>[0] == R::target_link_column &&
                            detail::key_columns<link>[1] == R::source_link_column)),
                      "crucible: unrelate() on a many-to-many deletes the link row by its primary key, which must be "
                      "the two link columns; remove the link object instead");
        detail::node<typename R::source_type>* s = checked(object);
        detail::node<target>* t = checked(other);
        remove_from_list<target>(*s, R::id(), t);
        for (const auto& n : entry<link>().pending) {
            if (links<R>(static_cast<const detail::node<link>&>(*n), s, t)) {
                const std::shared_ptr<detail::node_base> unflushed = n;  // remove() takes it out of `pending`
                core_->remove(entry<link>(), *unflushed);                // not flushed yet: dropped
                return;
            }
        }
        const auto generated_pending = [](const auto* end, std::size_t key_column) {
            using end_type = std::remove_cvref_t<decltype(end->object)>;
            return end->state == object_state::pending && schema::table<end_type>::autoincrement_column == key_column;
        };
        if (generated_pending(s, R::source_key_column) || generated_pending(t, R::target_key_column)) {
            throw programming_error("unrelate: the two objects are not related through this relationship");
        }
        link row{};
        boost::pfr::get<R::source_link_column>(row) = detail::value_of(boost::pfr::get<R::source_key_column>(s->object));
        boost::pfr::get<R::target_link_column>(row) = detail::value_of(boost::pfr::get<R::target_key_column>(t->object));
        std::vector<link> rows;
        rows.push_back(std::move(row));
        handle<link> h = std::move(core_->template map_rows<link>(std::move(rows), nullptr).front());
        core_->remove(entry<link>(), *h.node_);
    }

public:
    // Makes owning relationships (one_to_many<...>.owning_children()) take effect in this session
    // before any use of them: removing a parent then removes its children (loaded if needed). Loading,
    // relating or unrelating through one does this too.
    template <relationship... R>
    void own(const R&...) {
        static_assert(((R::kind == relation_kind::one_to_many) && ...),
                      "crucible: own() takes one-to-many relationships declared owning_children()");
        (detail::relation_loader<R, Backend>::note(*core_), ...);
    }

    // Lets `handle.related(r)` load a relationship not loaded yet, one query per object when it is
    // first touched (SQLAlchemy's lazy="select"). Off by default: touching an unloaded relationship
    // is then a programming_error that says how to load it, so N+1 queries never happen unseen.
    template <relationship... R>
    void allow_lazy(const R&...) {
        (core_->allow_lazy(R::id(), &detail::relation_loader<R, Backend>::load_one), ...);
    }

    // The pending object is dropped; a persistent one is DELETEd at the next flush. With
    // one-to-many relationships of its table named, its children through them are removed too
    // (loaded first if they were not: one query each), and the flush deletes them before it.
    // Without, a parent whose rows still have children is refused at flush by the foreign key
    // (integrity_error), unless the key was declared ON DELETE CASCADE / SET NULL.
    template <class T, relationship... Cascade>
    void remove(const handle<T>& object, const Cascade&... cascade) {
        static_assert(((Cascade::kind == relation_kind::one_to_many && std::is_same_v<typename Cascade::source_type, T>) &&
                       ...),
                      "crucible: remove(object, relationships...) cascades through one-to-many relationships from "
                      "the object's table");
        checked(object);
        (
            [&] {
                if (object.node_->find_relation(Cascade::id()) == nullptr) {
                    load(object, selectin(cascade));
                }
                for (const auto& child : object.related(cascade)) {
                    if (child.state() == object_state::pending || child.state() == object_state::persistent) {
                        remove(child);
                    }
                }
            }(),
            ...);
        core_->remove(entry<T>(), *checked(object));
    }

    // The object leaves the session, unchanged and no longer tracked (detached).
    template <class T>
    void expunge(const handle<T>& object) {
        core_->expunge(entry<T>(), *checked(object));
    }

    // Reloads the object's row, dropping its unflushed changes. A row that is gone is a
    // stale_data_error, and the object is detached.
    template <class T>
    void refresh(const handle<T>& object) {
        core_->refresh(entry<T>(), *checked(object));
    }

    // A copy of a detached object (from another session, a request, ...) into this session: the
    // mapped object with its key (loaded if needed) takes its fields and is written at the next
    // flush; with no such row, it is added as new. With a version column, a version other than the
    // row's is a stale_data_error (the copy was made from an older row).
    template <class T>
    handle<T> merge(const T& detached) {
        detail::check_mapped<T>();
        using info = schema::table<T>;
        auto& t = entry<T>();
        if constexpr (info::autoincrement_column < info::column_count) {
            if (boost::pfr::get<info::autoincrement_column>(detached) == 0) {
                return add(detached);
            }
        }
        auto n = std::static_pointer_cast<detail::node<T>>(core_->find(t, detail::key_of(detached)));
        if (!n) {
            autoflush();
            auto row = detail::mapper<T, Backend>::load(core_->connection(), detached);
            if (!row) {
                return add(detached);
            }
            n = std::make_shared<detail::node<T>>(std::move(*row));
            n->take_snapshot();
            core_->add_persistent(t, n, detail::key_of(n->object));
        }
        if constexpr (detail::has_version<T>) {
            if (boost::pfr::get<info::version_column>(detached) != boost::pfr::get<info::version_column>(n->object)) {
                std::string key = detail::describe_key(detached);
                throw stale_data_error("merge: the object of " + std::string(info::name) + " " + key +
                                           " has another version than the row (it was copied from an older row)",
                                       std::string(info::name), std::move(key));
            }
        }
        n->object = detached;
        return handle<T>(std::move(n));
    }
    template <class T>
    handle<T> merge(const handle<T>& other) {
        return merge(*other);
    }

    // SQLite: begins the session's transaction now with BEGIN IMMEDIATE, which takes the write lock
    // at once (waiting up to busy_timeout), so a unit of work that reads and then writes never fails
    // with "database is locked" when another connection wrote in between (a deferred transaction
    // cannot upgrade a stale read lock). Call it before the session's first query; the transaction
    // after the next commit()/rollback() is an ordinary one again.
    void begin_immediate() {
        static_assert(requires(Backend& b) { b.begin_immediate(); },
                      "crucible: begin_immediate() is SQLite's BEGIN IMMEDIATE; a PostgreSQL transaction locks rows "
                      "as it writes them (use select<T>().for_update() to lock what it reads)");
        core_->begin_immediate();
    }

    void flush() { core_->flush(); }
    void commit() { core_->commit(); }
    void rollback() noexcept { core_->rollback(); }

    // Autoflush before a query through the session (on by default).
    void set_autoflush(bool on) noexcept { core_->autoflush = on; }
    bool in_transaction() const noexcept { return core_->in_transaction(); }

    // The connection of the session's transaction (begun if none is open), for Core statements
    // that belong to the same unit of work. It is the session's: it ends at commit() / rollback().
    connection_type& connection() { return core_->connection(); }

private:
    template <class T>
    detail::table_entry<Backend>& entry() {
        return core_->table(detail::table_ops_of<T, Backend>);
    }

    template <class T>
    detail::node<T>* checked(const handle<T>& object) const {
        detail::node<T>* n = object.node_.get();
        core_->check_owned(n);
        return n;
    }

    template <class T>
    static handle<T> make_handle(std::shared_ptr<detail::node_base> n) {
        return handle<T>(std::static_pointer_cast<detail::node<T>>(std::move(n)));
    }

    void autoflush() {
        if (core_->autoflush) {
            core_->flush();
        }
    }

    // (parent, child) of relate()/unrelate()'s two objects, whichever side the relationship starts from.
    template <class R>
    static auto ends(const handle<typename R::source_type>& object, const handle<typename R::target_type>& other) {
        using parent = typename R::parent_type;
        using child = typename R::child_type;
        if constexpr (R::kind == relation_kind::one_to_many) {
            return std::pair<const handle<parent>&, const handle<child>&>(object, other);
        } else {
            return std::pair<const handle<parent>&, const handle<child>&>(other, object);
        }
    }

    template <class R>
    static void copy_key(detail::node_base& child_node, const detail::node_base& parent_node) {
        using parent = typename R::parent_type;
        using child = typename R::child_type;
        boost::pfr::get<R::child_column>(static_cast<detail::node<child>&>(child_node).object) =
            boost::pfr::get<R::parent_column>(static_cast<const detail::node<parent>&>(parent_node).object);
    }

    template <class C>
    static void remove_from_list(detail::node_base& owner, const void* id, const detail::node_base* gone) {
        // (a parent whose list is not loaded has nothing to change)
        if (const detail::loaded_relation* list = owner.find_relation(id)) {
            const auto& old = *std::static_pointer_cast<const std::vector<handle<C>>>(list->targets);
            auto kept = std::make_shared<std::vector<handle<C>>>();
            kept->reserve(old.size());
            for (const handle<C>& h : old) {
                if (h.node_.get() != gone) {
                    kept->push_back(h);
                }
            }
            owner.set_relation(id, std::move(kept));
        }
    }

    template <class T, class... Loads>
    static consteval void check_loads() {
        static_assert((detail::is_load_spec<Loads>::value && ...),
                      "crucible: relationships are loaded with crucible::selectin(relationship)");
        if constexpr (sizeof...(Loads) > 0) {
            static_assert((std::is_same_v<typename detail::is_load_spec<Loads>::source_type, T> && ...),
                          "crucible: a relationship loaded with these objects must start from their table");
        }
    }

    template <class T, class... Loads>
    void apply_loads(const std::vector<handle<T>>& objects, const Loads&... loads) {
        std::vector<detail::node_base*> nodes;
        nodes.reserve(objects.size());
        for (const handle<T>& h : objects) {
            nodes.push_back(h.node_.get());
        }
        (loads.apply(*core_, std::span<detail::node_base* const>(nodes)), ...);
    }

    std::unique_ptr<detail::session_core<Backend>> core_;
};

template <class Backend>
session(const basic_engine<Backend>&) -> session<Backend>;

} // namespace crucible::orm

namespace crucible {
using orm::handle;
using orm::object_state;
using orm::joined;
using orm::selectin;
using orm::session;
} // namespace crucible
