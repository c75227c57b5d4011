// static_sql: SQL text with static storage, whose address identifies a prepared statement.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

#include "crucible/detail/config.hpp"

namespace crucible::backend {

// The SQL layer's compile-time statement text. Its constructors are consteval, so only text with
// static storage (a literal, a `static constexpr` fixed string) converts: the pointer then names
// one statement for the whole program, and a connection caches the prepared statement under it
// with no hashing of the text. Text built at run time goes through the `*_text` functions, or,
// when a program builds the same few texts again and again, through intern_sql once.
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
    friend static_sql intern_sql(std::string_view text);
    constexpr static_sql(const char* text, std::size_t size, std::nullptr_t) noexcept
        : text_(text), size_(size) {}

    const char* text_;
    std::size_t size_;
};

// Text built at run time, copied into storage kept for the rest of the program: the same text
// always gives the same static_sql. For statements whose text takes one of a few forms known only
// at run time (a multi-row INSERT's row count); the caller keeps the result, so that later
// executions neither build nor hash the text. Each distinct text is kept forever: never intern
// text that varies without bound. Thread-safe.
CRUCIBLE_DECL static_sql intern_sql(std::string_view text);

}  // namespace crucible::backend

#if CRUCIBLE_HEADER_ONLY
#include "crucible/backend/impl/static_sql.ipp"
#endif
