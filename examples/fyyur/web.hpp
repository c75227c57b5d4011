// fyyur's web plumbing that a framework would give: a signed cookie session holding the CSRF token
// and flashed messages, percent-encoding, and times as forms and pages write them.
#pragma once

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fyyur::web {

inline std::string hex(const unsigned char* bytes, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

inline std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
        throw std::runtime_error("fyyur: no random bytes from OpenSSL");
    }
    return hex(buffer.data(), bytes);
}

// Percent-encoding of everything but unreserved characters (cookie values, query strings).
inline std::string percent_encode(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

inline std::optional<std::string> percent_decode(std::string_view text) {
    const auto value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int hi = value(text[i + 1]);
        const int lo = value(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// base64url without padding: cookie-safe (cpp-httplib 0.11 percent-decodes header values, so a
// cookie must not carry '%').
inline std::string base64url(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') {
        out.pop_back();
    }
    for (char& c : out) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    return out;
}

inline std::optional<std::string> from_base64url(std::string_view text) {
    std::string in(text);
    for (char& c : in) {
        if (c == '-') {
            c = '+';
        } else if (c == '_') {
            c = '/';
        } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return std::nullopt;
        }
    }
    const std::size_t padding = (4 - in.size() % 4) % 4;
    if (padding == 3) {
        return std::nullopt;
    }
    in.append(padding, '=');
    std::string out(in.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    if (n < 0) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

// A message shown once on the next page (Flask's flash): category "success" or "error".
struct flash {
    std::string category;
    std::string message;
};

// What the site keeps per browser, in a cookie signed with HMAC-SHA256 (like Flask's session):
// the CSRF token forms must carry, and the messages waiting to be shown.
struct cookie_session {
    std::string csrf_token;
    std::vector<flash> flashes;
    bool changed = false;  // to be sent back in Set-Cookie
};

class session_signer {
public:
    static constexpr std::string_view cookie_name = "fyyur_session";

    explicit session_signer(std::string secret) : secret_(std::move(secret)) {}

    std::string sign(std::string_view payload) const {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
             reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &length);
        return hex(mac, length);
    }

    // The cookie's value: base64url("csrf|category:message|...", each part percent-encoded), a dot,
    // and the HMAC of what precedes the dot.
    std::string encode(const cookie_session& s) const {
        std::string payload = percent_encode(s.csrf_token);
        for (const flash& f : s.flashes) {
            payload += '|';
            payload += percent_encode(f.category);
            payload += ':';
            payload += percent_encode(f.message);
        }
        payload = base64url(payload);
        return payload + '.' + sign(payload);
    }

    // The session of a request's Cookie header; a new one (fresh token) when absent or forged.
    cookie_session decode(std::string_view cookie_header) const {
        if (auto s = read(cookie_header)) {
            return *std::move(s);
        }
        return cookie_session{random_hex(16), {}, true};
    }

private:
    std::optional<cookie_session> read(std::string_view header) const {
        // Cookie: a=1; fyyur_session=...; b=2
        std::string_view value;
        bool found = false;
        while (!header.empty()) {
            const std::size_t end = header.find(';');
            std::string_view pair = header.substr(0, end);
            header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
            while (!pair.empty() && pair.front() == ' ') {
                pair.remove_prefix(1);
            }
            if (pair.size() > cookie_name.size() && pair.substr(0, cookie_name.size()) == cookie_name &&
                pair[cookie_name.size()] == '=') {
                value = pair.substr(cookie_name.size() + 1);
                found = true;
            }
        }
        const std::size_t dot = value.rfind('.');
        if (!found || dot == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string expected = sign(value.substr(0, dot));
        const std::string_view given = value.substr(dot + 1);
        if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0) {
            return std::nullopt;
        }
        const std::optional<std::string> decoded = from_base64url(value.substr(0, dot));
        if (!decoded) {
            return std::nullopt;
        }
        const std::string_view payload = *decoded;
        cookie_session s;
        std::size_t start = 0;
        bool first = true;
        while (start <= payload.size()) {
            const std::size_t bar = payload.find('|', start);
            const std::string_view part = payload.substr(start, bar == std::string_view::npos ? payload.npos : bar - start);
            if (first) {
                auto token = percent_decode(part);
                if (!token || token->empty()) {
                    return std::nullopt;
                }
                s.csrf_token = *std::move(token);
                first = false;
            } else {
                const std::size_t colon = part.find(':');
                auto category = percent_decode(part.substr(0, colon));
                auto message = colon == std::string_view::npos ? std::nullopt : percent_decode(part.substr(colon + 1));
                if (!category || !message) {
                    return std::nullopt;
                }
                s.flashes.push_back({*std::move(category), *std::move(message)});
            }
            if (bar == std::string_view::npos) {
                break;
            }
            start = bar + 1;
        }
        return s;
    }

    std::string secret_;
};

inline bool same_token(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// "YYYY-MM-DD HH:MM[:SS]" (or with a 'T', as <input type="datetime-local"> sends it), in UTC.
inline std::optional<timestamp> parse_time(std::string_view text) {
    const auto number = [&](std::size_t at, std::size_t digits, int& out) {
        if (at + digits > text.size()) {
            return false;
        }
        out = 0;
        for (std::size_t i = at; i < at + digits; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (text.size() != 16 && text.size() != 19) {
        return std::nullopt;
    }
    if (!number(0, 4, y) || text[4] != '-' || !number(5, 2, mo) || text[7] != '-' || !number(8, 2, d) ||
        (text[10] != ' ' && text[10] != 'T') || !number(11, 2, h) || text[13] != ':' || !number(14, 2, mi)) {
        return std::nullopt;
    }
    if (text.size() == 19 && (text[16] != ':' || !number(17, 2, s))) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok() || y < 1900 || h > 23 || mi > 59 || s > 59) {
        return std::nullopt;
    }
    return timestamp(std::chrono::sys_days(date).time_since_epoch() + std::chrono::hours(h) +
                     std::chrono::minutes(mi) + std::chrono::seconds(s));
}

// "YYYY-MM-DD HH:MM:SS"
inline std::string format_time(timestamp t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day date(day);
    const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::seconds>(t - day));
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return out;
}

}  // namespace fyyur::web
