// fixed_string: a string whose characters are part of a type or a constexpr value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include "crucible/detail/sql_string.hpp"

namespace crucible::reflect {

namespace detail {
// Copies characters in constant evaluation: a plain loop, which the compiler evaluates faster than
// the standard algorithm (and which needs no <algorithm>).
constexpr void copy_chars(const char* from, std::size_t count, char* to) {
    for (std::size_t i = 0; i < count; ++i) {
        to[i] = from[i];
    }
}
} // namespace detail

// A NUL-terminated character array of a size fixed at compile time. Usable as a non-type template
// parameter (`default_value<&T::city, "unknown">`) and as the storage of SQL text computed by a
// constexpr function.
template <std::size_t N>
struct fixed_string {
    char data[N + 1]{};

    constexpr fixed_string() = default;
    constexpr fixed_string(const char (&text)[N + 1]) { detail::copy_chars(text, N + 1, data); }
    constexpr explicit fixed_string(std::string_view text) { detail::copy_chars(text.data(), N, data); }

    static constexpr std::size_t size() noexcept { return N; }
    constexpr const char* c_str() const noexcept { return data; }
    constexpr std::string_view view() const noexcept { return {data, N}; }
    constexpr operator std::string_view() const noexcept { return view(); }

    template <std::size_t M>
    constexpr bool operator==(const fixed_string<M>& other) const noexcept {
        return view() == other.view();
    }
    constexpr bool operator==(std::string_view other) const noexcept { return view() == other; }
};

template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N - 1>;

// std::string(view) for constant evaluation. Built character by character because libstdc++'s
// constructor compares the pointer with null, which GCC does not fold for the address of a
// template parameter object once -fsanitize=undefined is on.
constexpr sql_string to_string(std::string_view view) {
    sql_string out;
    out.reserve(view.size());
    for (const char c : view) {
        out.push_back(c);
    }
    return out;
}

// Text rendered once at compile time into a buffer of fixed capacity: a constexpr value that can
// hold a heap string's characters after the string itself is gone.
template <std::size_t Capacity>
struct text_buffer {
    char data[Capacity + 1]{};
    std::size_t size = 0;
    bool fits = true;

    constexpr explicit text_buffer(std::string_view text) {
        if (text.size() > Capacity) {
            fits = false;
            return;
        }
        detail::copy_chars(text.data(), text.size(), data);
        size = text.size();
    }
};

// The capacity tried first; longer text makes the builder run a second time.
inline constexpr std::size_t text_buffer_capacity = 1024;

// Turns the result of a constexpr function returning std::string into static storage:
// `constexpr auto text = to_fixed_string<[] { return std::string("..."); }>();`
// C++20 does not let a heap string outlive constant evaluation, so the text is first copied into
// a buffer (one run of the builder); only text longer than the buffer runs the builder again.
template <auto Builder>
consteval auto to_fixed_string() {
    constexpr text_buffer<text_buffer_capacity> buffer(Builder());
    if constexpr (buffer.fits) {
        fixed_string<buffer.size> result;
        detail::copy_chars(buffer.data, buffer.size, result.data);
        return result;
    } else {
        constexpr std::size_t size = Builder().size();
        fixed_string<size> result;
        const auto text = Builder();
        detail::copy_chars(text.data(), size, result.data);
        return result;
    }
}

// Static storage for a fixed string, so a std::string_view of it may outlive the expression.
template <auto Builder>
inline constexpr auto static_text = to_fixed_string<Builder>();

} // namespace crucible::reflect
