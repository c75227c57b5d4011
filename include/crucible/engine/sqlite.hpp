// The SQLite engine: crucible::sqlite_engine and the glue between the engine and the SQLite backend.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "crucible/backend/sqlite.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/dialect/sqlite.hpp"
#include "crucible/engine/engine.hpp"

namespace crucible {

template <>
struct backend_traits<backend::sqlite_connection> {
    using dialect = dialect::sqlite;
    static constexpr std::string_view scheme = "sqlite";

    // The URL's SQLite options: busy_timeout (milliseconds), journal_mode, synchronous, foreign_keys,
    // begin=immediate|deferred. Anything else is a programming_error, except in an SQLite URI
    // filename (sqlite:///file:...), whose other keys are SQLite's own.
    static void take_options(url& location, backend::sqlite_options& options) {
        const bool uri = location.database.starts_with("file:");
        for (auto it = location.query.begin(); it != location.query.end();) {
            const std::string& key = it->first;
            const std::string& value = it->second;
            if (key == "busy_timeout") {
                options.busy_timeout_ms =
                    static_cast<int>(std::min<std::int64_t>(detail::parse_integer_option(key, value, 0), 1 << 30));
            } else if (key == "journal_mode") {
                options.journal_mode = value;
            } else if (key == "synchronous") {
                options.synchronous = value;
            } else if (key == "foreign_keys") {
                options.foreign_keys = detail::parse_bool_option(key, value);
            } else if (key == "begin") {
                if (value != "immediate" && value != "deferred") {
                    throw programming_error("URL option begin=" + value + ": expected immediate or deferred");
                }
                options.immediate_transactions = value == "immediate";
            } else if (uri) {
                ++it;
                continue;
            } else {
                throw programming_error("unknown SQLite URL option '" + key + "' in '" + location.text +
                                        "' (known: pool_size, max_overflow, pool_timeout, pool_recycle, "
                                        "pool_pre_ping, pool_use_lifo, busy_timeout, journal_mode, synchronous, "
                                        "foreign_keys, begin)");
            }
            it = location.query.erase(it);
        }
    }

    // An in-memory database (sqlite://) is one database for every connection of this engine and
    // for no other engine: a named in-memory database of its own (SQLite's memdb VFS), which the
    // engine holds open while it lives, as a file would be.
    static std::shared_ptr<void> prepare(url& location, const backend::sqlite_options& options) {
        if (location.database != ":memory:") {
            return nullptr;
        }
        static std::atomic<std::uint64_t> engines{0};
        location.database = "file:/crucible-memory-" + std::to_string(++engines) + "?vfs=memdb";
        return std::make_shared<backend::sqlite_connection>(location.database, options);
    }

    static std::unique_ptr<backend::sqlite_connection> open(const url& location,
                                                            const backend::sqlite_options& options) {
        return std::make_unique<backend::sqlite_connection>(location.database, options);
    }
};

#if !CRUCIBLE_HEADER_ONLY
// Compiled once, in the program's .cpp that includes crucible/src/sqlite.hpp.
extern template class basic_pool<backend::sqlite_connection>;
extern template class basic_engine<backend::sqlite_connection>;
extern template class detail::connection_state<backend::sqlite_connection>;
extern template class basic_connection<backend::sqlite_connection>;
extern template class basic_transaction<backend::sqlite_connection>;
extern template basic_engine<backend::sqlite_connection> create_engine<backend::sqlite_connection>(
    std::string_view, engine_options<backend::sqlite_connection>);
#endif

using sqlite_engine = basic_engine<backend::sqlite_connection>;
using sqlite_connection = basic_connection<backend::sqlite_connection>;

}  // namespace crucible
