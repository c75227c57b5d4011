// The PostgreSQL engine: crucible::postgres_engine and its glue to the PostgreSQL backend.
#pragma once

#include "crucible/detail/config.hpp"  // first: its C++20 check comes before any other error

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "crucible/backend/postgres.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/dialect/postgres.hpp"
#include "crucible/engine/engine.hpp"

namespace crucible {

template <>
struct backend_traits<backend::postgres_connection> {
    using dialect = dialect::postgres;
    static constexpr std::string_view scheme = "postgresql";

    // The URL's other options are libpq's (sslmode, connect_timeout, application_name, ...): a key
    // libpq does not know is a programming_error here, not a failure at the first connect.
    static void take_options(url& location, backend::postgres_options& options) {
        if (const auto found = location.query.find("prepared_statements"); found != location.query.end()) {
            options.prepared_statements = detail::parse_bool_option(found->first, found->second);
            location.query.erase(found);
        }
        if (location.query.empty()) {
            return;
        }
        PQconninfoOption* known = PQconndefaults();
        std::string unknown;
        for (const auto& entry : location.query) {
            bool found = false;
            for (const PQconninfoOption* o = known; o && o->keyword; ++o) {
                found = found || entry.first == o->keyword;
            }
            if (!found) {
                unknown = entry.first;
                break;
            }
        }
        PQconninfoFree(known);
        if (!unknown.empty()) {
            throw programming_error("unknown PostgreSQL URL option '" + unknown + "' in '" + location.text +
                                    "' (crucible's: pool_size, max_overflow, pool_timeout, pool_recycle, "
                                    "pool_pre_ping, pool_use_lifo, prepared_statements; the rest are libpq's "
                                    "connection keywords)");
        }
    }

    static std::shared_ptr<void> prepare(url&, const backend::postgres_options&) { return nullptr; }

    static std::unique_ptr<backend::postgres_connection> open(const url& location,
                                                              const backend::postgres_options& options) {
        return std::make_unique<backend::postgres_connection>(location.libpq_conninfo(), options);
    }
};

#if !CRUCIBLE_HEADER_ONLY
// Compiled once, in the program's .cpp that includes crucible/src/postgres.hpp.
extern template class basic_pool<backend::postgres_connection>;
extern template class basic_engine<backend::postgres_connection>;
extern template class detail::connection_state<backend::postgres_connection>;
extern template class basic_connection<backend::postgres_connection>;
extern template class basic_transaction<backend::postgres_connection>;
extern template basic_engine<backend::postgres_connection> create_engine<backend::postgres_connection>(
    std::string_view, engine_options<backend::postgres_connection>);
#endif

using postgres_engine = basic_engine<backend::postgres_connection>;
using postgres_connection = basic_connection<backend::postgres_connection>;

}  // namespace crucible
