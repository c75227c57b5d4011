// Quoting shared by the dialects: identifiers in double quotes, text literals in single quotes.
#pragma once

#include <string>
#include <string_view>

namespace crucible::dialect::detail {

// Doubles every `quote` inside `text` and surrounds it with `quote` (SQL-92 for both kinds).
constexpr void append_quoted(auto& out, std::string_view text, char quote) {
    out += quote;
    for (const char c : text) {
        out += c;
        if (c == quote) {
            out += quote;
        }
    }
    out += quote;
}

constexpr void append_unsigned(auto& out, unsigned long long value) {
    char digits[24]{};
    int count = 0;
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) {
        out += digits[--count];
    }
}

constexpr void append_signed(auto& out, long long value) {
    if (value < 0) {
        out += '-';
        append_unsigned(out, 0ULL - static_cast<unsigned long long>(value));
    } else {
        append_unsigned(out, static_cast<unsigned long long>(value));
    }
}

} // namespace crucible::dialect::detail
