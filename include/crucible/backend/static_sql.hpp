// static_sql: SQL text with static storage, whose address identifies a prepared statement.
#pragma once

#include <concepts>
#include <cstddef>
#include <string_view>

namespace crucible::backend {

// The SQL layer's compile-time statement text. Its constructors are consteval, so only text with
// static storage (a literal, a `static constexpr` fixed string) converts: the pointer then names
// one statement for the whole program, and a connection caches the prepared statement under it
// with no hashing of the text. Text built at run time goes through the `*_text` functions.
class static_sql {
public:
    template <std::size_t N>
    consteval static_sql(const char (&text)[N]) : text_(text), size_(N - 1) {
        if (text[N - 1] != '\0') {
            throw "static_sql: the text must be NUL-terminated";
        }
    }

    // Anything with c_str() and size() held in static storage, e.g. reflect::fixed_string.
    template <class Text>
    requires requires(const Text& text) {
        { text.c_str() } -> std::convertible_to<const char*>;
        { text.size() } -> std::convertible_to<std::size_t>;
    }
    consteval static_sql(const Text& text) : text_(text.c_str()), size_(text.size()) {
        if (text_[size_] != '\0') {
            throw "static_sql: the text must be NUL-terminated";
        }
    }

    consteval static_sql(std::string_view text) : text_(text.data()), size_(text.size()) {
        if (text_[size_] != '\0') {  // reading past a view that is not NUL-terminated fails to compile
            throw "static_sql: the text must be NUL-terminated";
        }
    }

    constexpr const char* c_str() const noexcept { return text_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr std::string_view view() const noexcept { return {text_, size_}; }

private:
    const char* text_;
    std::size_t size_;
};

}  // namespace crucible::backend
