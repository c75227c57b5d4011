// The PostgreSQL engine: crucible::postgres_engine and its glue to the PostgreSQL backend.
#pragma once

#include <cstddef>
#include <memory>
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
    static std::unique_ptr<backend::postgres_connection> open(const url& location) {
        return std::make_unique<backend::postgres_connection>(location.libpq_conninfo());
    }
};

#if !CRUCIBLE_HEADER_ONLY
// Compiled once, in the program's .cpp that includes crucible/src/postgres.hpp.
extern template class basic_pool<backend::postgres_connection>;
extern template class basic_engine<backend::postgres_connection>;
extern template class basic_connection<backend::postgres_connection>;
extern template class basic_transaction<backend::postgres_connection>;
extern template basic_engine<backend::postgres_connection> create_engine<backend::postgres_connection>(
    std::string_view, std::size_t);
#endif

using postgres_engine = basic_engine<backend::postgres_connection>;
using postgres_connection = basic_connection<backend::postgres_connection>;

}  // namespace crucible
