// Definitions for crucible/backend/value_traits.hpp: included by it when header-only, else by
// crucible/src/common.hpp.
#pragma once

#include <chrono>  // the calendar: year_month_day
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crucible/backend/value_traits.hpp"
#include "crucible/error.hpp"

namespace crucible::backend::detail {

[[noreturn]] CRUCIBLE_DECL void throw_data_error(std::string_view problem, const column_context& where,
                                                 std::string_view result_column, int index,
                                                 std::string_view sql) {
    std::string message = "column ";
    if (!where.column.empty()) {
        if (!where.table.empty()) {
            message.append(where.table).append(".");
        }
        message.append(where.column);
    } else if (!result_column.empty()) {
        message.append(result_column);
    } else {
        message.append("#").append(std::to_string(index));
    }
    message.append(" (result column ").append(std::to_string(index)).append("): ").append(problem);
    throw data_error(message, std::string(sql));
}

CRUCIBLE_DECL bool format_timestamp(std::int64_t micros, char (&buffer)[26]) noexcept {
    using namespace std::chrono;
    // Bounds first: year_month_day's year is 16 bits, so a day count far out would wrap into a
    // valid-looking year.
    if (micros < text_timestamp_min_micros || micros > text_timestamp_max_micros) {
        return false;
    }
    const sys_time<microseconds> time{microseconds{micros}};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const int y = static_cast<int>(date.year());
    const std::int64_t rest = (time - day).count();
    const std::int64_t second_of_day = rest / 1000000;
    const std::int64_t fraction = rest % 1000000;
    auto put = [&buffer](int at, std::int64_t value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            buffer[at + i] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    put(0, y, 4);
    buffer[4] = '-';
    put(5, static_cast<unsigned>(date.month()), 2);
    buffer[7] = '-';
    put(8, static_cast<unsigned>(date.day()), 2);
    buffer[10] = ' ';
    put(11, second_of_day / 3600, 2);
    buffer[13] = ':';
    put(14, second_of_day / 60 % 60, 2);
    buffer[16] = ':';
    put(17, second_of_day % 60, 2);
    buffer[19] = '.';
    put(20, fraction, 6);
    return true;
}

CRUCIBLE_DECL std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept {
    using namespace std::chrono;
    std::size_t at = 0;
    auto digits = [&](std::size_t count) -> std::optional<int> {
        if (at + count > text.size()) {
            return std::nullopt;
        }
        int value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = text[at + i];
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            value = value * 10 + (c - '0');
        }
        at += count;
        return value;
    };
    auto expect = [&](char c) {
        if (at < text.size() && text[at] == c) {
            ++at;
            return true;
        }
        return false;
    };
    const auto y = digits(4);
    if (!y || !expect('-')) return std::nullopt;
    const auto mo = digits(2);
    if (!mo || !expect('-')) return std::nullopt;
    const auto d = digits(2);
    if (!d) return std::nullopt;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    std::int64_t micros = 0;
    if (at < text.size() && (text[at] == ' ' || text[at] == 'T')) {
        ++at;
        const auto h = digits(2);
        if (!h || *h > 23 || !expect(':')) return std::nullopt;
        const auto mi = digits(2);
        if (!mi || *mi > 59) return std::nullopt;
        int s = 0;
        if (expect(':')) {
            const auto sec = digits(2);
            if (!sec || *sec > 59) return std::nullopt;
            s = *sec;
        }
        micros = (static_cast<std::int64_t>(*h) * 3600 + *mi * 60 + s) * 1000000;
        if (expect('.')) {
            std::int64_t scale = 100000;
            bool any = false;
            while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
                const int digit = text[at] - '0';
                if (scale == 0 && digit != 0) return std::nullopt;
                micros += digit * scale;
                scale /= 10;
                any = true;
                ++at;
            }
            if (!any) return std::nullopt;
        }
    }
    if (at < text.size()) {
        const std::string_view zone = text.substr(at);
        if (zone != "Z" && zone != "+00" && zone != "+00:00" && zone != "+0000") return std::nullopt;
    }
    return duration_cast<microseconds>(sys_days{date}.time_since_epoch()).count() + micros;
}

}  // namespace crucible::backend::detail
