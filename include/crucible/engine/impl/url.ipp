// Definitions for crucible/engine/url.hpp: included by it when header-only, else by crucible/src/common.hpp.
#pragma once

#include <charconv>
#include <cstdint>
#include <system_error>
#include <map>
#include <string>
#include <string_view>

#include "crucible/engine/url.hpp"
#include "crucible/error.hpp"

namespace crucible {

CRUCIBLE_DECL std::string url::libpq_conninfo() const {
    std::string out;
    auto add = [&](std::string_view key, const std::string& value) {
        if (value.empty()) {
            return;
        }
        out.append(key).append("='");
        for (const char c : value) {
            if (c == '\'' || c == '\\') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        out.append("' ");
    };
    add("user", username);
    add("password", password);
    add("host", host);
    add("port", port);
    add("dbname", database);
    for (const auto& [key, value] : query) {
        add(key, value);
    }
    if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

namespace detail {

CRUCIBLE_DECL std::string percent_decode(std::string_view text, std::string_view whole) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            auto hex = [&](char c) -> int {
                if (c >= '0' && c <= '9') return c - '0';
                if (c >= 'a' && c <= 'f') return c - 'a' + 10;
                if (c >= 'A' && c <= 'F') return c - 'A' + 10;
                return -1;
            };
            if (i + 2 >= text.size()) {
                throw programming_error("malformed URL: incomplete %-escape in '" + std::string(whole) + "'");
            }
            const int high = hex(text[i + 1]);
            const int low = hex(text[i + 2]);
            if (high < 0 || low < 0) {
                throw programming_error("malformed URL: bad %-escape in '" + std::string(whole) + "'");
            }
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

CRUCIBLE_DECL void parse_url_query(std::string_view query, std::string_view whole,
                                   std::map<std::string, std::string>& into) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            throw programming_error("malformed URL '" + std::string(whole) + "': query must be key=value");
        }
        into[percent_decode(pair.substr(0, eq), whole)] = percent_decode(pair.substr(eq + 1), whole);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
}

CRUCIBLE_DECL bool parse_bool_option(std::string_view key, std::string_view value) {
    if (value == "true" || value == "1" || value == "yes" || value == "on") {
        return true;
    }
    if (value == "false" || value == "0" || value == "no" || value == "off") {
        return false;
    }
    throw programming_error("URL option " + std::string(key) + "=" + std::string(value) +
                            ": expected true or false");
}

CRUCIBLE_DECL std::int64_t parse_integer_option(std::string_view key, std::string_view value, std::int64_t min) {
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || number < min) {
        throw programming_error("URL option " + std::string(key) + "=" + std::string(value) +
                                ": expected a whole number of at least " + std::to_string(min));
    }
    return number;
}

CRUCIBLE_DECL std::chrono::milliseconds parse_seconds_option(std::string_view key, std::string_view value,
                                                             bool negative_is_off) {
    double seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    const bool ok = !value.empty() && ec == std::errc{} && end == value.data() + value.size() &&
                    seconds == seconds && seconds < 1e9 && (seconds >= 0 || negative_is_off);
    if (!ok) {
        throw programming_error("URL option " + std::string(key) + "=" + std::string(value) +
                                (negative_is_off ? ": expected a number of seconds (-1: off)"
                                                 : ": expected a number of seconds, at least 0"));
    }
    if (seconds < 0) {
        return std::chrono::milliseconds(-1);
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000 + 0.5));
}

}  // namespace detail

CRUCIBLE_DECL void take_pool_options(std::map<std::string, std::string>& query, pool_options& options) {
    for (auto it = query.begin(); it != query.end();) {
        const std::string& key = it->first;
        const std::string& value = it->second;
        if (key == "pool_size") {
            options.pool_size = static_cast<std::size_t>(detail::parse_integer_option(key, value, 0));
        } else if (key == "max_overflow") {
            options.max_overflow = static_cast<std::ptrdiff_t>(detail::parse_integer_option(key, value, -1));
        } else if (key == "pool_timeout") {
            options.timeout = detail::parse_seconds_option(key, value, false);
        } else if (key == "pool_recycle") {
            options.recycle = detail::parse_seconds_option(key, value, true);
        } else if (key == "pool_pre_ping") {
            options.pre_ping = detail::parse_bool_option(key, value);
        } else if (key == "pool_use_lifo") {
            options.lifo = detail::parse_bool_option(key, value);
        } else {
            ++it;
            continue;
        }
        it = query.erase(it);
    }
}

// Parses a database URL; a malformed one or an unknown scheme is a programming_error saying which.
CRUCIBLE_DECL url parse_url(std::string_view text) {
    url result;
    const auto colon = text.find("://");
    if (colon == std::string_view::npos || colon == 0) {
        throw programming_error("malformed URL '" + std::string(text) + "': expected scheme://...");
    }
    std::string scheme(text.substr(0, colon));
    if (const auto plus = scheme.find('+'); plus != std::string::npos) {
        scheme.resize(plus);  // "postgresql+libpqxx" → "postgresql"
    }
    if (scheme == "postgres") {
        scheme = "postgresql";
    }
    if (scheme != "sqlite" && scheme != "postgresql") {
        throw programming_error("unknown database URL scheme '" + scheme + "' in '" + std::string(text) +
                                "' (known: sqlite, postgresql)");
    }
    result.scheme = scheme;
    std::string_view rest = text.substr(colon + 3);

    if (scheme == "sqlite") {
        // sqlite:// and sqlite:///:memory: are in memory; sqlite:///a.db is relative, sqlite:////a.db
        // absolute.
        if (rest.empty() || rest.front() == '?') {
            result.database = ":memory:";
            if (!rest.empty()) {
                detail::parse_url_query(rest.substr(1), text, result.query);
            }
        } else if (rest.front() != '/') {
            throw programming_error("malformed SQLite URL '" + std::string(text) +
                                    "': expected sqlite:///relative.db or sqlite:////absolute.db");
        } else {
            std::string_view path = rest.substr(1);
            const auto q = path.find('?');
            if (q != std::string_view::npos) {
                detail::parse_url_query(path.substr(q + 1), text, result.query);
            }
            if (path.starts_with("file:")) {
                // An SQLite URI filename (sqlite:///file:/name?vfs=memdb&mode=ro): SQLite reads its
                // query itself, so the database name keeps it, as given; crucible's own options
                // (pool_size, busy_timeout, ...) are read from it too, and SQLite ignores them.
                result.database = std::string(path);
                result.text = std::string(text);
                return result;
            }
            if (q != std::string_view::npos) {
                path = path.substr(0, q);
            }
            result.database = path.empty() ? ":memory:" : detail::percent_decode(path, text);
        }
        result.text = std::string(text);
        return result;
    }

    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        detail::parse_url_query(rest.substr(q + 1), text, result.query);
        rest = rest.substr(0, q);
    }
    std::string_view authority = rest;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        result.database = detail::percent_decode(rest.substr(slash + 1), text);
    }
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view credentials = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto sep = credentials.find(':');
        result.username = detail::percent_decode(credentials.substr(0, sep), text);
        if (sep != std::string_view::npos) {
            result.password = detail::percent_decode(credentials.substr(sep + 1), text);
        }
    }
    if (!authority.empty() && authority.front() == '[') {  // [::1]:5432
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            throw programming_error("malformed URL '" + std::string(text) + "': unclosed [ in host");
        }
        result.host = std::string(authority.substr(1, close - 1));
        authority = authority.substr(close + 1);
        if (!authority.empty() && authority.front() == ':') {
            result.port = std::string(authority.substr(1));
        }
    } else if (const auto sep = authority.rfind(':'); sep != std::string_view::npos) {
        result.host = detail::percent_decode(authority.substr(0, sep), text);
        result.port = std::string(authority.substr(sep + 1));
    } else {
        result.host = detail::percent_decode(authority, text);
    }
    for (const char c : result.port) {
        if (c < '0' || c > '9') {
            throw programming_error("malformed URL '" + std::string(text) + "': port '" + result.port +
                                    "' is not a number");
        }
    }
    result.text = std::string(text);
    if (!result.password.empty()) {
        const auto at = result.text.rfind('@');
        const auto start = result.text.find(':', colon + 3);
        if (at != std::string::npos && start != std::string::npos && start < at) {
            result.text.replace(start + 1, at - start - 1, "***");
        }
    }
    return result;
}

}  // namespace crucible
