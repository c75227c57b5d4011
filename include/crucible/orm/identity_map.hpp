// identity_map: one table's objects by identity key, in one flat array (open addressing, linear
// probing). Each slot holds the key's hash and the node; the key itself is the node's own `key`,
// so a mapped object costs 24 bytes here and no allocation of its own (std::unordered_map<std::
// string, ...> allocated a list node per object and kept a second copy of the key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "crucible/orm/handle.hpp"

namespace crucible::orm::detail {

class identity_map {
public:
    // A hash of the key's bytes: two multiplications for a one-column integer key.
    static std::uint64_t hash_of(std::string_view key) noexcept {
        std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ key.size();
        std::size_t i = 0;
        for (; i + 8 <= key.size(); i += 8) {
            std::uint64_t word;
            std::memcpy(&word, key.data() + i, 8);
            h = (h ^ word) * 0xFF51AFD7ED558CCDULL;
            h ^= h >> 32;
        }
        if (i < key.size()) {
            std::uint64_t word = 0;
            std::memcpy(&word, key.data() + i, key.size() - i);
            h = (h ^ word) * 0xC4CEB9FE1A85EC53ULL;
        }
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ULL;
        return h ^ (h >> 32);
    }

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    // The node mapped under `key`, or null.
    std::shared_ptr<node_base>* find(std::string_view key) noexcept {
        const std::size_t at = index_of(key);
        return at == npos ? nullptr : &slots_[at].node;
    }

    // Maps `n` under its `key` (which must not change while it is mapped); false, and nothing
    // changes, when that key is mapped already.
    bool insert(std::shared_ptr<node_base> n) {
        reserve(size_ + 1);
        const std::uint64_t h = hash_of(n->key);
        for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
            slot& s = slots_[at];
            if (!s.node) {
                s.hash = h;
                s.node = std::move(n);
                ++size_;
                return true;
            }
            if (s.hash == h && s.node->key == n->key) {
                return false;
            }
        }
    }

    // One probe for a lookup that may be followed by an insert: the slot holding `key`, or the free
    // slot it would take. Call reserve(size() + 1) first, and insert_at before anything else
    // changes the map.
    struct probe_result {
        std::size_t index;
        std::uint64_t hash;
        bool found;
    };
    probe_result probe(std::string_view key) const noexcept {
        const std::uint64_t h = hash_of(key);
        for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
            const slot& s = slots_[at];
            if (!s.node) {
                return {at, h, false};
            }
            if (s.hash == h && s.node->key == key) {
                return {at, h, true};
            }
        }
    }
    std::shared_ptr<node_base>& at(const probe_result& p) noexcept { return slots_[p.index].node; }
    void insert_at(const probe_result& p, std::shared_ptr<node_base> n) noexcept {
        slots_[p.index].hash = p.hash;
        slots_[p.index].node = std::move(n);
        ++size_;
    }

    // Removes and returns the node mapped under `key` (null when none is).
    std::shared_ptr<node_base> erase(std::string_view key) noexcept {
        std::size_t hole = index_of(key);
        if (hole == npos) {
            return nullptr;
        }
        std::shared_ptr<node_base> out = std::move(slots_[hole].node);
        --size_;
        // Backward shift: later slots of the run move into the hole when their home allows it, so
        // that no lookup stops early at an empty slot.
        for (std::size_t next = (hole + 1) & mask_; slots_[next].node; next = (next + 1) & mask_) {
            const std::size_t home = slots_[next].hash & mask_;
            const bool movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (movable) {
                slots_[hole] = std::move(slots_[next]);
                hole = next;
            }
        }
        return out;
    }

    // Room for `count` nodes without growing (at most half the slots used).
    void reserve(std::size_t count) {
        if (count * 2 <= slots_.size()) {
            return;
        }
        std::size_t capacity = slots_.empty() ? 16 : slots_.size();
        while (capacity < count * 2) {
            capacity *= 2;
        }
        std::vector<slot> old = std::exchange(slots_, std::vector<slot>(capacity));
        mask_ = capacity - 1;
        for (slot& s : old) {
            if (s.node) {
                std::size_t at = s.hash & mask_;
                while (slots_[at].node) {
                    at = (at + 1) & mask_;
                }
                slots_[at] = std::move(s);
            }
        }
    }

    // Calls f(shared_ptr<node_base>&) for every mapped node, in slot order.
    template <class F>
    void for_each(F&& f) {
        for (slot& s : slots_) {
            if (s.node) {
                f(s.node);
            }
        }
    }

    // Removes every node for which pred(node_base&) is true, giving each to out(shared_ptr&&).
    template <class Pred, class Out>
    void erase_if(Pred&& pred, Out&& out) {
        std::vector<std::shared_ptr<node_base>> removed;
        for (slot& s : slots_) {
            if (s.node && pred(*s.node)) {
                removed.push_back(s.node);
            }
        }
        for (auto& n : removed) {
            erase(n->key);
            out(std::move(n));
        }
    }

private:
    static constexpr std::size_t npos = ~std::size_t{0};

    std::size_t index_of(std::string_view key) const noexcept {
        if (size_ == 0) {
            return npos;
        }
        const std::uint64_t h = hash_of(key);
        for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
            const slot& s = slots_[at];
            if (!s.node) {
                return npos;
            }
            if (s.hash == h && s.node->key == key) {
                return at;
            }
        }
    }

    struct slot {
        std::uint64_t hash = 0;
        std::shared_ptr<node_base> node;  // empty: a free slot
    };
    std::vector<slot> slots_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
};

} // namespace crucible::orm::detail
