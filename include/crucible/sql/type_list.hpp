// type_list: the small set of type-level list operations the SQL layer's checks need.
#pragma once

#include <cstddef>
#include <type_traits>

namespace crucible::sql::detail {

template <class... Ts>
struct type_list {
    static constexpr std::size_t size = sizeof...(Ts);
};

template <class... Lists>
struct concat;
template <>
struct concat<> {
    using type = type_list<>;
};
template <class... As>
struct concat<type_list<As...>> {
    using type = type_list<As...>;
};
template <class... As, class... Bs, class... Rest>
struct concat<type_list<As...>, type_list<Bs...>, Rest...> {
    using type = typename concat<type_list<As..., Bs...>, Rest...>::type;
};
template <class... Lists>
using concat_t = typename concat<Lists...>::type;

template <class T, class List>
inline constexpr bool contains = false;
template <class T, class... Ts>
inline constexpr bool contains<T, type_list<Ts...>> = (std::is_same_v<T, Ts> || ...);

// Every type of Sub is in Super.
template <class Sub, class Super>
inline constexpr bool is_subset = false;
template <class... Ts, class Super>
inline constexpr bool is_subset<type_list<Ts...>, Super> = (contains<Ts, Super> && ...);

} // namespace crucible::sql::detail
