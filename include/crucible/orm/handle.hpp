// handle<T>: a session's object — the user's own struct in a node with a stable address, its
// snapshot, its state — and the identity key of a row.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "crucible/error.hpp"
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

} // namespace detail

template <class Backend>
class session;

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

private:
    template <class Backend>
    friend class session;
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
