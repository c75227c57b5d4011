// sql_string: the string type SQL text is rendered into, at compile time and at run time.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

// The expression nodes are aggregates built with brace elision (`{{a, b}}` for a pack of nodes,
// whose exact brace depth depends on the pack's length). That is well-formed C++; clang's
// -Wmissing-braces (part of -Wall) would flag it in every program that builds a query.
#if defined(__clang__)
#define CRUCIBLE_BRACE_ELISION_BEGIN \
    _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wmissing-braces\"")
#define CRUCIBLE_BRACE_ELISION_END _Pragma("clang diagnostic pop")
#else
#define CRUCIBLE_BRACE_ELISION_BEGIN
#define CRUCIBLE_BRACE_ELISION_END
#endif

namespace crucible::detail {

// A growable string that constant evaluation accepts on every supported compiler. GCC evaluates
// libstdc++'s std::string in constant expressions, and crucible renders into std::string there.
// Clang 16 does not accept libstdc++ 12's std::string in a constant expression (its default
// constructor writes a member of a union with no active member), so with clang crucible renders
// into this class instead: the members of std::string the renderers use, on plain new[] storage.
class constexpr_string {
public:
    constexpr constexpr_string() = default;
    constexpr constexpr_string(const char* text) { append(std::string_view(text)); }  // like std::string
    constexpr explicit constexpr_string(std::string_view text) { append(text); }
    constexpr constexpr_string(const constexpr_string& other) { append(other.view()); }
    constexpr constexpr_string(constexpr_string&& other) noexcept
        : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
        other.data_ = nullptr;
        other.size_ = 0;
        other.capacity_ = 0;
    }
    constexpr constexpr_string& operator=(const constexpr_string& other) {
        if (this != &other) {
            size_ = 0;
            append(other.view());
        }
        return *this;
    }
    constexpr constexpr_string& operator=(constexpr_string&& other) noexcept {
        if (this != &other) {
            release();
            data_ = other.data_;
            size_ = other.size_;
            capacity_ = other.capacity_;
            other.data_ = nullptr;
            other.size_ = 0;
            other.capacity_ = 0;
        }
        return *this;
    }
    constexpr ~constexpr_string() { release(); }

    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr const char* data() const noexcept { return data_ == nullptr ? "" : data_; }
    constexpr char back() const noexcept { return data_[size_ - 1]; }
    constexpr char operator[](std::size_t i) const noexcept { return data_[i]; }
    constexpr const char* begin() const noexcept { return data(); }
    constexpr const char* end() const noexcept { return data() + size_; }
    constexpr std::string_view view() const noexcept { return {data(), size_}; }
    constexpr operator std::string_view() const noexcept { return view(); }
    explicit operator std::string() const { return std::string(view()); }

    constexpr void reserve(std::size_t capacity) {
        if (capacity > capacity_) {
            grow_to(capacity);
        }
    }
    constexpr void clear() noexcept { size_ = 0; }
    constexpr void pop_back() noexcept { --size_; }
    constexpr void push_back(char c) {
        if (size_ == capacity_) {
            grow_to(capacity_ < 32 ? 64 : capacity_ * 2);
        }
        data_[size_++] = c;
    }
    constexpr constexpr_string& append(std::string_view text) {
        if (size_ + text.size() > capacity_) {
            const std::size_t doubled = capacity_ * 2;
            grow_to(size_ + text.size() > doubled ? size_ + text.size() : doubled);
        }
        for (std::size_t i = 0; i < text.size(); ++i) {
            data_[size_ + i] = text[i];
        }
        size_ += text.size();
        return *this;
    }
    constexpr constexpr_string& append(std::size_t count, char c) {
        for (std::size_t i = 0; i < count; ++i) {
            push_back(c);
        }
        return *this;
    }
    constexpr constexpr_string& operator+=(char c) {
        push_back(c);
        return *this;
    }
    constexpr constexpr_string& operator+=(const char* text) { return append(std::string_view(text)); }
    constexpr constexpr_string& operator+=(std::string_view text) { return append(text); }
    constexpr constexpr_string& operator+=(const constexpr_string& text) { return append(text.view()); }

    constexpr std::string_view substr(std::size_t from, std::size_t count = std::string_view::npos) const {
        return view().substr(from, count);
    }

    friend constexpr bool operator==(const constexpr_string& a, std::string_view b) noexcept { return a.view() == b; }

private:
    constexpr void grow_to(std::size_t capacity) {
        char* bigger = new char[capacity + 1];
        for (std::size_t i = 0; i < size_; ++i) {
            bigger[i] = data_[i];
        }
        release();
        data_ = bigger;
        capacity_ = capacity;
    }
    constexpr void release() noexcept {
        delete[] data_;
        data_ = nullptr;
        capacity_ = 0;
    }

    char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

// Clang 16 cannot evaluate libstdc++ 12's std::string in a constant expression.
#if defined(__clang__) && defined(__GLIBCXX__)
#define CRUCIBLE_OWN_SQL_STRING 1
#else
#define CRUCIBLE_OWN_SQL_STRING 0
#endif

#if CRUCIBLE_OWN_SQL_STRING
using sql_string = constexpr_string;
#else
using sql_string = std::string;
#endif

// The rendered text as the std::string the drivers take: moved on GCC, copied once with clang.
inline std::string to_std_string(sql_string&& text) {
#if CRUCIBLE_OWN_SQL_STRING
    return std::string(text.view());
#else
    return std::move(text);
#endif
}

} // namespace crucible::detail

namespace crucible::reflect { using crucible::detail::sql_string; }
namespace crucible::schema { using crucible::detail::sql_string; }
namespace crucible::dialect { using crucible::detail::sql_string; }
namespace crucible::sql { using crucible::detail::sql_string; }
