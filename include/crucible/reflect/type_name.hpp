// type_name<T>: the unqualified name of a type, as a compile-time string.
#pragma once

#include <cstddef>
#include <string_view>

#include "crucible/reflect/fixed_string.hpp"

namespace crucible::reflect {

namespace detail {

template <class T>
constexpr auto type_name_probe() {
    return __PRETTY_FUNCTION__;  // "... [with T = ns::Artist]"
}

// (constexpr, not consteval: clang 16 refuses a consteval function called from the lambda that
// static_text runs.)
// Drops the trailing template arguments ("Box<ns::A>"), then namespaces and enclosing functions
// or lambdas ("main()::<lambda()>::Local"): only `::` outside <...> and (...) separates scopes.
constexpr std::string_view unqualified(std::string_view name) {
    if (!name.empty() && name.back() == '>') {
        int depth = 0;
        for (std::size_t i = name.size(); i-- > 0;) {
            if (name[i] == '>') {
                ++depth;
            } else if (name[i] == '<' && --depth == 0) {
                name = name.substr(0, i);
                break;
            }
        }
    }
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c == '<' || c == '(') {
            ++depth;
        } else if (c == '>' || c == ')') {
            --depth;
        } else if (depth == 0 && c == ':' && i + 1 < name.size() && name[i + 1] == ':') {
            start = i + 2;
            ++i;
        }
    }
    return name.substr(start);
}

constexpr std::string_view probed_type(std::string_view pretty) {
    constexpr std::string_view marker = "T = ";
    const auto start = pretty.find(marker) + marker.size();
    const auto end = pretty.find_first_of(";]", start);
    return pretty.substr(start, end - start);
}

template <class T>
constexpr std::string_view qualified_type_name_view() {
    return probed_type(type_name_probe<T>());
}

} // namespace detail

// The type as the compiler spells it, with namespaces: "ns::Artist", "main()::Local".
template <class T>
inline constexpr std::string_view qualified_type_name =
    static_text<[] { return to_string(detail::qualified_type_name_view<T>()); }>;

// The type's own name without namespaces or template arguments: "Artist".
template <class T>
inline constexpr std::string_view type_name =
    static_text<[] { return to_string(detail::unqualified(detail::qualified_type_name_view<T>())); }>;

} // namespace crucible::reflect
