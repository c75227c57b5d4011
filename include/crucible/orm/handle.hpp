// handle<T>: a session's object — the user's own struct in a node with a stable address, its
// snapshot, its state — and the identity key of a row.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "crucible/error.hpp"
#include "crucible/orm/relationship.hpp"
#include "crucible/schema/table.hpp"

namespace crucible::orm {

// pending: added, not yet inserted. persistent: a row of the database, in the identity map.
// deleted: remove()d (the DELETE runs at the next flush; the object leaves the map at commit).
// detached: in no session (expunged, dropped by a rollback, its session gone, or never added).
enum class object_state { pending, persistent, deleted, detached };

namespace detail {

template <class T>
inline constexpr std::size_t key_size = schema::table<T>::description.primary_key.size;

// The primary key's column indexes, and the other columns (what an UPDATE sets).
template <class T>
inline constexpr auto key_columns = [] {
    constexpr auto& key = schema::table<T>::description.primary_key;
    std::array<std::size_t, key.size> out{};
    for (std::size_t i = 0; i < key.size; ++i) {
        out[i] = key.at[i];
    }
    return out;
}();

template <class T>
inline constexpr auto value_columns = [] {
    constexpr std::size_t count = schema::table<T>::column_count - key_size<T>;
    std::array<std::size_t, count> out{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < schema::table<T>::column_count; ++i) {
        if (!schema::table<T>::columns[i].primary_key) {
            out[at++] = i;
        }
    }
    return out;
}();

template <class T>
inline constexpr bool has_version = schema::table<T>::version_column < schema::table<T>::column_count;

template <class T>
consteval void check_mapped() {
    static_assert(schema::table<T>::has_primary_key,
                  "crucible: the session maps only tables with a primary key (declare one with primary_key<...>)");
}

// Field equality as the dirty check needs it: floating point compared bit for bit, so -0.0 and a
// NaN payload count as changes and an unchanged NaN does not.
template <class V>
bool same_value(const V& a, const V& b) {
    if constexpr (schema::is_nullable<V>) {
        return a.has_value() == b.has_value() && (!a.has_value() || same_value(*a, *b));
    } else if constexpr (std::is_floating_point_v<V>) {
        return std::memcmp(&a, &b, sizeof a) == 0;
    } else {
        return a == b;
    }
}

template <class T>
bool same_row(const T& a, const T& b) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (same_value(boost::pfr::get<I>(a), boost::pfr::get<I>(b)) && ...);
    }(std::make_index_sequence<schema::table<T>::column_count>{});
}

// One part of an identity key as bytes: a length before variable-length values, so that keys of
// several columns cannot run into each other.
template <class V>
void append_key_part(std::string& out, const V& value) {
    if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, std::vector<std::byte>> ||
                  std::is_same_v<V, std::vector<unsigned char>>) {
        const std::uint64_t size = value.size();
        out.append(reinterpret_cast<const char*>(&size), sizeof size);
        out.append(reinterpret_cast<const char*>(value.data()), value.size());
    } else {
        static_assert(std::is_trivially_copyable_v<V>, "crucible: this key column's type cannot be an identity key");
        out.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
}

template <class V>
void describe_value(std::string& out, const V& value) {
    if constexpr (std::is_same_v<V, bool>) {
        out += value ? "true" : "false";
    } else if constexpr (std::is_enum_v<V>) {
        out += std::to_string(static_cast<long long>(value));
    } else if constexpr (std::is_integral_v<V> || std::is_floating_point_v<V>) {
        out += std::to_string(value);
    } else if constexpr (std::is_same_v<V, std::string>) {
        out += '\'';
        out += value;
        out += '\'';
    } else if constexpr (requires { value.time_since_epoch().count(); }) {
        out += std::to_string(value.time_since_epoch().count());
    } else {
        out += "<" + std::to_string(value.size()) + " bytes>";
    }
}

// The identity key of an object (its primary key's values), and the same for a key given apart.
template <class T>
std::string key_of(const T& object) {
    std::string out;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        (append_key_part(out, boost::pfr::get<key_columns<T>[K]>(object)), ...);
    }(std::make_index_sequence<key_size<T>>{});
    return out;
}

// `id=7` or `(a=1, b='x')`, for error messages.
template <class T>
std::string describe_key(const T& object) {
    std::string out = key_size<T> > 1 ? "(" : "";
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((out += K == 0 ? "" : ", ", out += schema::table<T>::columns[key_columns<T>[K]].name, out += '=',
          describe_value(out, boost::pfr::get<key_columns<T>[K]>(object))),
         ...);
    }(std::make_index_sequence<key_size<T>>{});
    return key_size<T> > 1 ? out + ")" : out;
}

class node_base;

// The session an object is in, as its relationships see it: loads one lazily when the session
// allows it for that relationship.
class relation_host {
public:
    // Loads relationship `id` for `n` (one query) and returns true, or returns false when lazy
    // loading of that relationship was not allowed in this session.
    virtual bool load_lazily(node_base& n, const void* id) = 0;

protected:
    ~relation_host() = default;
};

// A relationship loaded for an object: its targets, as a std::vector<handle<Target>> (shared, so a
// list handed out stays valid when the relationship is loaded again).
struct loaded_relation {
    const void* id;                       // the relationship's identity (R::id())
    std::shared_ptr<const void> targets;  // const std::vector<handle<Target>>
};

// What the session knows of one object, whatever its type: the part its non-template core uses.
// Handles share the node, so it lives as long as the session or any handle needs it.
class node_base {
public:
    node_base() = default;
    node_base(const node_base&) = delete;
    node_base& operator=(const node_base&) = delete;
    virtual ~node_base() = default;

    std::uint64_t owner = 0;  // the id of the session holding it; 0 once detached
    object_state state = object_state::pending;
    bool delete_flushed = false;           // deleted, and its DELETE has run in this transaction
    bool inserted_in_transaction = false;  // its INSERT ran in the open transaction
    std::string key;                       // its identity key while in the identity map
    relation_host* host = nullptr;         // its session, while it is in one
    const char* loaded_by = nullptr;       // the static SQL of the query that loaded it, if any
    // Relationships loaded for it: the first in the node, more beside it (cleared when it is
    // detached: targets refer back to their sources, and a detached object keeps no other objects
    // alive).
    loaded_relation first_relation{nullptr, nullptr};
    std::unique_ptr<std::vector<loaded_relation>> more_relations;

    const loaded_relation* find_relation(const void* id) const noexcept {
        if (first_relation.id == id) {
            return &first_relation;
        }
        if (more_relations) {
            for (const loaded_relation& r : *more_relations) {
                if (r.id == id) {
                    return &r;
                }
            }
        }
        return nullptr;
    }
    void set_relation(const void* id, std::shared_ptr<const void> targets) {
        if (first_relation.id == nullptr || first_relation.id == id) {
            first_relation = {id, std::move(targets)};
            return;
        }
        if (!more_relations) {
            more_relations = std::make_unique<std::vector<loaded_relation>>();
        }
        for (loaded_relation& r : *more_relations) {
            if (r.id == id) {
                r.targets = std::move(targets);
                return;
            }
        }
        more_relations->push_back({id, std::move(targets)});
    }
    void forget_relations() noexcept {
        first_relation = {nullptr, nullptr};
        more_relations.reset();
    }

    // A foreign key of this object to be copied from a parent whose key the database has not
    // assigned yet (session.relate with a pending parent): done at flush, once the parent is in.
    struct pending_link {
        std::shared_ptr<node_base> parent;
        void (*apply)(node_base& child, const node_base& parent);
        const void* relation;
    };
    std::vector<pending_link> links;

    // Changed since the snapshot (the row as the open transaction has it)?
    virtual bool dirty() const = 0;
    virtual bool key_changed() const = 0;
    virtual void take_snapshot() = 0;          // after a load or an INSERT of this object
    // After an UPDATE of its row: the snapshot becomes the object, and the row at the last commit
    // is kept (from this transaction's first UPDATE) for a rollback.
    virtual void advance_snapshot() = 0;
    // A new object taking over the row of a removed one with its key (an UPDATE, not a DELETE and
    // an INSERT): the removed object's snapshot becomes this one's.
    virtual void take_row_of(const node_base& removed) = 0;
    virtual void restore_committed() = 0;      // rollback: back to the last commit
    virtual void forget_committed() = 0;       // commit
    virtual std::string encode_key() const = 0;
    virtual std::string describe_key() const = 0;
    virtual std::string_view table_name() const = 0;
};

template <class T>
class node final : public node_base {
public:
    template <class... A>
    explicit node(A&&... args) : object(std::forward<A>(args)...) {}

    T object;
    std::optional<T> snapshot;  // the row as the open transaction has it (none while pending)
    // The row at the last commit, kept from this transaction's first UPDATE of it (allocated only
    // then: most objects are never written, and a smaller node is a quicker load).
    std::unique_ptr<T> committed;

    bool dirty() const override { return snapshot && !same_row(object, *snapshot); }
    bool key_changed() const override { return snapshot && key_of(object) != key_of(*snapshot); }
    void take_snapshot() override { snapshot = object; }
    void advance_snapshot() override {
        if (!committed) {
            committed = std::make_unique<T>(std::move(*snapshot));
        }
        snapshot = object;
    }
    void take_row_of(const node_base& removed) override { snapshot = static_cast<const node&>(removed).snapshot; }
    void restore_committed() override {
        if (committed) {
            snapshot = std::move(*committed);
            committed.reset();
        }
        if (snapshot) {
            object = *snapshot;
        }
    }
    void forget_committed() override { committed.reset(); }
    std::string encode_key() const override { return key_of(object); }
    std::string describe_key() const override { return orm::detail::describe_key(snapshot ? *snapshot : object); }
    std::string_view table_name() const override { return schema::table<T>::name; }
};

[[noreturn]] inline void throw_empty_handle() {
    throw programming_error("an empty crucible::orm::handle was dereferenced (get() found no row?)");
}

[[noreturn]] inline void throw_unloaded(const node_base& n, const std::string& relationship) {
    std::string message = "crucible: relationship " + relationship + " was not loaded for this object";
    if (n.owner == 0) {
        message += " (the object is detached: relationships are loaded and kept only in a session)";
        throw programming_error(message);
    }
    message += n.loaded_by ? std::string(" (it was loaded by: ") + n.loaded_by + ")" : std::string();
    message += ". Load it with the query: session.all(query, crucible::selectin(relationship)), or for "
               "objects already loaded with session.load(object_or_objects, crucible::selectin(relationship)), "
               "or let the session load it on first use with session.allow_lazy(relationship) (one query per "
               "object: the N+1 pattern)";
    throw programming_error(message);
}

template <class Backend>
class session_core;
template <class R, class Backend>
struct relation_loader;

} // namespace detail

template <class Backend>
class session;

template <class T>
class handle;

// The objects of a loaded one-to-many relationship: a read-only list of handles, which stays valid
// as long as it is kept (loading the relationship again makes a new list).
template <class T>
class related_list {
public:
    using value_type = handle<T>;
    using const_iterator = typename std::vector<handle<T>>::const_iterator;
    using iterator = const_iterator;

    explicit related_list(std::shared_ptr<const std::vector<handle<T>>> items) noexcept : items_(std::move(items)) {}
    const_iterator begin() const noexcept { return items_->begin(); }
    const_iterator end() const noexcept { return items_->end(); }
    std::size_t size() const noexcept { return items_->size(); }
    bool empty() const noexcept { return items_->empty(); }
    const handle<T>& operator[](std::size_t i) const { return (*items_)[i]; }

private:
    std::shared_ptr<const std::vector<handle<T>>> items_;
};

// A session's object: the user's own struct, reached like a pointer (`venue->phone = "x"`). A plain
// field write is all a change takes; the session finds it at flush. Copies share the object. The
// object lives as long as any handle to it, so a handle never dangles: after its session is gone
// (or after expunge, or a rollback that dropped it) the object is detached — still readable and
// writable, no longer tracked — and merge() brings it into another session.
template <class T>
class handle {
public:
    handle() = default;

    T* operator->() const { return &get_checked(); }
    T& operator*() const { return get_checked(); }
    // The object, or nullptr for an empty handle.
    T* get() const noexcept { return node_ ? &node_->object : nullptr; }
    explicit operator bool() const noexcept { return node_ != nullptr; }

    object_state state() const noexcept {
        return node_ && node_->owner != 0 ? node_->state : object_state::detached;
    }

    friend bool operator==(const handle& a, const handle& b) noexcept { return a.node_ == b.node_; }

    // What a relationship from this object loaded: a related_list<Child> for a one-to-many (or
    // a many-to-many), the
    // parent's handle (empty when the foreign key is NULL or references nothing) for a
    // many-to-one. Not loaded: loaded now if the session allows lazy loading of it, else a
    // programming_error naming the relationship and how to load it.
    template <relationship R>
    auto related(const R&) const {
        static_assert(std::is_same_v<typename R::source_type, T>,
                      "crucible: this relationship starts from another table than this object's");
        using target = typename R::target_type;
        detail::node_base& n = *node_checked();
        const detail::loaded_relation* loaded = n.find_relation(R::id());
        if (loaded == nullptr) {
            if (n.owner == 0 || n.host == nullptr || !n.host->load_lazily(n, R::id()) ||
                (loaded = n.find_relation(R::id())) == nullptr) {
                detail::throw_unloaded(n, describe_relationship<R>());
            }
        }
        auto items = std::static_pointer_cast<const std::vector<handle<target>>>(loaded->targets);
        // Objects removed (and flushed) or expunged since the load are no longer listed.
        const auto gone = [&](const handle<target>& h) {
            return h.node_->owner != n.owner || h.node_->state == object_state::deleted ||
                   h.node_->state == object_state::detached;
        };
        if (std::any_of(items->begin(), items->end(), gone)) {
            auto kept = std::make_shared<std::vector<handle<target>>>();
            std::copy_if(items->begin(), items->end(), std::back_inserter(*kept), [&](const auto& h) { return !gone(h); });
            n.set_relation(R::id(), kept);
            items = std::move(kept);
        }
        if constexpr (R::kind != relation_kind::many_to_one) {
            return related_list<target>(std::move(items));
        } else {
            return items->empty() ? handle<target>() : items->front();
        }
    }

private:
    template <class Backend>
    friend class session;
    template <class Backend>
    friend class detail::session_core;
    template <class U, class Backend>
    friend struct detail::relation_loader;
    template <class U>
    friend class handle;

    detail::node<T>* node_checked() const {
        if (!node_) [[unlikely]] {
            detail::throw_empty_handle();
        }
        return node_.get();
    }
    explicit handle(std::shared_ptr<detail::node<T>> node) noexcept : node_(std::move(node)) {}

    T& get_checked() const {
        if (!node_) [[unlikely]] {
            detail::throw_empty_handle();
        }
        return node_->object;
    }

    std::shared_ptr<detail::node<T>> node_;
};

} // namespace crucible::orm
