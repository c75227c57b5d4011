// fyyur's forms: the fixed lists (51 states, 19 genres), what a venue, artist or show form posts,
// and the rules each field must meet (a message per field, as WTForms gives).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models.hpp"
#include "web.hpp"

namespace fyyur::forms {

inline constexpr std::array<std::string_view, 51> states = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "MD", "MA",
    "MI", "MN", "MS", "MO", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"};

// In the order of their ids in the `genre` table (1..19).
inline constexpr std::array<std::string_view, 19> genres = {
    "Alternative", "Blues", "Classical", "Country",         "Electronic", "Folk", "Funk",
    "Hip-Hop",     "Heavy Metal", "Instrumental", "Jazz", "Musical Theatre", "Pop", "Punk",
    "R&B",         "Reggae",      "Rock n Roll",  "Soul", "Other"};

inline std::optional<std::int64_t> genre_id(std::string_view name) {
    const auto at = std::find(genres.begin(), genres.end(), name);
    return at == genres.end() ? std::nullopt : std::optional<std::int64_t>(at - genres.begin() + 1);
}

using errors = std::map<std::string, std::string, std::less<>>;

// What the venue and artist forms post (an artist has no address; "seeking" is seeking_talent for
// a venue, seeking_venue for an artist).
struct profile_input {
    std::string name, city, state, address, phone, image_link, facebook_link, website, seeking_description;
    std::vector<std::string> genres;
    bool seeking = false;
};

struct show_input {
    std::string artist_id, venue_id, start_time;
};

inline std::string trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

// Reads a form from any source of posted fields (`one(name)`, `all(name)`).
template <class Posted>
profile_input read_profile(const Posted& posted, bool with_address, std::string_view seeking_field) {
    profile_input in;
    in.name = trimmed(posted.one("name"));
    in.city = trimmed(posted.one("city"));
    in.state = trimmed(posted.one("state"));
    if (with_address) {
        in.address = trimmed(posted.one("address"));
    }
    in.phone = trimmed(posted.one("phone"));
    in.image_link = trimmed(posted.one("image_link"));
    in.facebook_link = trimmed(posted.one("facebook_link"));
    in.website = trimmed(posted.one("website"));
    in.seeking_description = trimmed(posted.one("seeking_description"));
    in.genres = posted.all("genres");
    const std::string seeking = posted.one(seeking_field);
    in.seeking = seeking == "y" || seeking == "on" || seeking == "true" || seeking == "1";
    return in;
}

template <class Posted>
show_input read_show(const Posted& posted) {
    return {trimmed(posted.one("artist_id")), trimmed(posted.one("venue_id")), trimmed(posted.one("start_time"))};
}

// 123-456-7890
inline bool phone_ok(std::string_view s) {
    if (s.size() != 12) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 3 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    return true;
}

// http(s)://host[...] with no spaces, as WTForms' URL validator wants.
inline bool url_ok(std::string_view s) {
    std::string_view rest;
    if (s.starts_with("http://")) {
        rest = s.substr(7);
    } else if (s.starts_with("https://")) {
        rest = s.substr(8);
    } else {
        return false;
    }
    const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    if (host.empty() || host.find('.') == std::string_view::npos || host.front() == '.' || host.back() == '.') {
        return false;
    }
    return std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '<' || c == '>' || c == '"'; });
}

inline errors validate(const profile_input& in, bool with_address) {
    errors e;
    const auto required = [&](const char* field, const std::string& value, std::size_t max) {
        if (value.empty()) {
            e[field] = "This field is required.";
        } else if (value.size() > max) {
            e[field] = "Field cannot be longer than " + std::to_string(max) + " characters.";
        }
    };
    required("name", in.name, 120);
    required("city", in.city, 120);
    if (with_address) {
        required("address", in.address, 120);
    }
    if (in.state.empty()) {
        e["state"] = "This field is required.";
    } else if (std::find(states.begin(), states.end(), in.state) == states.end()) {
        e["state"] = "Not a valid choice.";
    }
    if (!in.phone.empty() && !phone_ok(in.phone)) {
        e["phone"] = "Invalid phone number: use the form 123-456-7890.";
    }
    for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"image_link", &in.image_link},
                                       {"facebook_link", &in.facebook_link},
                                       {"website", &in.website}}) {
        if (value->size() > 500) {
            e[field] = "Field cannot be longer than 500 characters.";
        } else if (!value->empty() && !url_ok(*value)) {
            e[field] = "Invalid URL.";
        }
    }
    if (in.genres.empty()) {
        e["genres"] = "Choose at least one genre.";
    }
    for (std::size_t i = 0; i < in.genres.size(); ++i) {
        if (!genre_id(in.genres[i])) {
            e["genres"] = "'" + in.genres[i] + "' is not a valid choice.";
        } else if (std::find(in.genres.begin(), in.genres.begin() + static_cast<std::ptrdiff_t>(i), in.genres[i]) !=
                   in.genres.begin() + static_cast<std::ptrdiff_t>(i)) {
            e["genres"] = "A genre is chosen twice.";
        }
    }
    if (in.seeking_description.size() > 500) {
        e["seeking_description"] = "Field cannot be longer than 500 characters.";
    }
    return e;
}

inline std::optional<std::string> optional_text(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

inline void apply(const profile_input& in, Venue& v) {
    v.name = in.name;
    v.city = in.city;
    v.state = in.state;
    v.address = in.address;
    v.phone = optional_text(in.phone);
    v.image_link = optional_text(in.image_link);
    v.facebook_link = optional_text(in.facebook_link);
    v.website = optional_text(in.website);
    v.seeking_talent = in.seeking;
    v.seeking_description = optional_text(in.seeking_description);
}

inline void apply(const profile_input& in, Artist& a) {
    a.name = in.name;
    a.city = in.city;
    a.state = in.state;
    a.phone = optional_text(in.phone);
    a.image_link = optional_text(in.image_link);
    a.facebook_link = optional_text(in.facebook_link);
    a.website = optional_text(in.website);
    a.seeking_venue = in.seeking;
    a.seeking_description = optional_text(in.seeking_description);
}

template <class T>
profile_input input_of(const T& row, std::vector<std::string> genre_names) {
    profile_input in;
    in.name = row.name;
    in.city = row.city;
    in.state = row.state;
    if constexpr (requires { row.address; }) {
        in.address = row.address;
        in.seeking = row.seeking_talent;
    } else {
        in.seeking = row.seeking_venue;
    }
    in.phone = row.phone.value_or("");
    in.image_link = row.image_link.value_or("");
    in.facebook_link = row.facebook_link.value_or("");
    in.website = row.website.value_or("");
    in.seeking_description = row.seeking_description.value_or("");
    in.genres = std::move(genre_names);
    return in;
}

// A show's ids and time; whether the artist and venue exist is the site's to check.
struct show_values {
    std::int64_t artist_id = 0;
    std::int64_t venue_id = 0;
    web::timestamp start_time{};
};

inline std::optional<std::int64_t> parse_id(std::string_view s) {
    if (s.empty() || s.size() > 18) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

inline std::optional<show_values> validate(const show_input& in, errors& e) {
    show_values out;
    const auto id = [&](const char* field, const std::string& text, std::int64_t& into) {
        if (text.empty()) {
            e[field] = "This field is required.";
        } else if (auto v = parse_id(text)) {
            into = *v;
        } else {
            e[field] = "Not a valid id.";
        }
    };
    id("artist_id", in.artist_id, out.artist_id);
    id("venue_id", in.venue_id, out.venue_id);
    if (in.start_time.empty()) {
        e["start_time"] = "This field is required.";
    } else if (auto t = web::parse_time(in.start_time)) {
        out.start_time = *t;
    } else {
        e["start_time"] = "Not a valid date and time: use YYYY-MM-DD HH:MM.";
    }
    if (!e.empty()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace fyyur::forms
