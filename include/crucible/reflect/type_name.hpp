// type_name<T>: the unqualified name of a type, as a compile-time string.
#pragma once

#include <string_view>

#include "crucible/reflect/fixed_string.hpp"

namespace crucible::reflect {

namespace detail {

template <class T>
consteval auto type_name_probe() {
    return __PRETTY_FUNCTION__;  // "... [with T = ns::Artist]"
}

// Drops namespaces, enclosing functions ("main()::Local") and template arguments.
consteval std::string_view unqualified(std::string_view name) {
    if (const auto angle = name.find('<'); angle != std::string_view::npos) {
        name = name.substr(0, angle);
    }
    if (const auto colons = name.rfind("::"); colons != std::string_view::npos) {
        name = name.substr(colons + 2);
    }
    return name;
}

consteval std::string_view probed_type(std::string_view pretty) {
    constexpr std::string_view marker = "T = ";
    const auto start = pretty.find(marker) + marker.size();
    const auto end = pretty.find_first_of(";]", start);
    return pretty.substr(start, end - start);
}

template <class T>
consteval std::string_view qualified_type_name_view() {
    return probed_type(type_name_probe<T>());
}

} // namespace detail

// The type as the compiler spells it, with namespaces: "ns::Artist", "main()::Local".
template <class T>
inline constexpr std::string_view qualified_type_name =
    static_text<[] { return std::string(detail::qualified_type_name_view<T>()); }>;

// The type's own name without namespaces or template arguments: "Artist".
template <class T>
inline constexpr std::string_view type_name =
    static_text<[] { return std::string(detail::unqualified(detail::qualified_type_name_view<T>())); }>;

} // namespace crucible::reflect
