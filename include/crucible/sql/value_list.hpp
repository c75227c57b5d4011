// value_list: the values of an IN list, handed to a backend as one bound value.
#pragma once

#include <cstddef>
#include <vector>

namespace crucible::sql {

// An IN list's values, bound with one `sink(value_list)` call: a backend's sink binds them the
// way the dialect rendered the list — PostgreSQL one array parameter, SQLite one `?` per value up to
// dialect::sqlite::in_list_inline_max, else one JSON-array text for json_each(?). It points at the
// values the statement owns; it does not own them.
template <class V>
struct value_list {
    using value_type = V;
    const std::vector<V>* values = nullptr;

    std::size_t size() const noexcept { return values->size(); }
    auto begin() const noexcept { return values->begin(); }
    auto end() const noexcept { return values->end(); }
};

template <class T>
inline constexpr bool is_value_list = false;
template <class V>
inline constexpr bool is_value_list<value_list<V>> = true;

} // namespace crucible::sql
