// Database URLs: `sqlite:///path.db`, `sqlite://` (memory), `sqlite:///file:name?vfs=memdb` (an SQLite
// URI filename, passed on whole), `postgresql://user:pw@host:port/db?k=v`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "crucible/detail/config.hpp"
#include "crucible/error.hpp"

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
} // namespace detail

// Parses a database URL; a malformed one or an unknown scheme is a programming_error saying which.
CRUCIBLE_DECL url parse_url(std::string_view text);

} // namespace crucible

#if CRUCIBLE_HEADER_ONLY
#include "crucible/engine/impl/url.ipp"
#endif
