// Database URLs: `sqlite:///path.db?k=v`, `sqlite://` (memory), `sqlite:///file:name?vfs=memdb` (an
// SQLite URI filename, passed on whole), `postgresql://user:pw@host:port/db?k=v`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "crucible/detail/config.hpp"
#include "crucible/detail/chrono.hpp"
#include "crucible/error.hpp"
#include "crucible/pool/pool.hpp"

namespace crucible {

struct url {
    std::string scheme;      // "sqlite" or "postgresql"
    std::string username;
    std::string password;
    std::string host;
    std::string port;
    std::string database;    // SQLite: the file path, ":memory:" for an in-memory database
    std::map<std::string, std::string> query;
    std::string text;        // as given, with the password masked

    // A libpq connection string ("" when every part comes from the PG* environment variables).
    CRUCIBLE_DECL std::string libpq_conninfo() const;
};

namespace detail {
CRUCIBLE_DECL std::string percent_decode(std::string_view text, std::string_view whole);
CRUCIBLE_DECL void parse_url_query(std::string_view query, std::string_view whole,
                                   std::map<std::string, std::string>& into);
// URL option values; a bad one is a programming_error naming the option.
CRUCIBLE_DECL bool parse_bool_option(std::string_view key, std::string_view value);
CRUCIBLE_DECL std::int64_t parse_integer_option(std::string_view key, std::string_view value, std::int64_t min);
// Seconds, as SQLAlchemy's pool_timeout and pool_recycle (fractions allowed); with
// `negative_is_off`, a negative value (-1) means off.
CRUCIBLE_DECL std::chrono::milliseconds parse_seconds_option(std::string_view key, std::string_view value,
                                                             bool negative_is_off);
} // namespace detail

// Moves the pool options of a URL's query (pool_size, max_overflow, pool_timeout and pool_recycle in
// seconds, pool_pre_ping, pool_use_lifo) into `options`, and out of the query.
CRUCIBLE_DECL void take_pool_options(std::map<std::string, std::string>& query, pool_options& options);

// Parses a database URL; a malformed one or an unknown scheme is a programming_error saying which.
CRUCIBLE_DECL url parse_url(std::string_view text);

} // namespace crucible

#if CRUCIBLE_HEADER_ONLY
#include "crucible/engine/impl/url.ipp"
#endif
