// The SQLite engine: crucible::sqlite_engine and the glue between the engine and the SQLite backend.
#pragma once

#include <cstddef>
#include <memory>
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
    static std::unique_ptr<backend::sqlite_connection> open(const url& location) {
        return std::make_unique<backend::sqlite_connection>(location.database);
    }
};

#if !CRUCIBLE_HEADER_ONLY
// Compiled once, in the program's .cpp that includes crucible/src/sqlite.hpp.
extern template class basic_pool<backend::sqlite_connection>;
extern template class basic_engine<backend::sqlite_connection>;
extern template class basic_connection<backend::sqlite_connection>;
extern template class basic_transaction<backend::sqlite_connection>;
extern template basic_engine<backend::sqlite_connection> create_engine<backend::sqlite_connection>(
    std::string_view, std::size_t);
#endif

using sqlite_engine = basic_engine<backend::sqlite_connection>;
using sqlite_connection = basic_connection<backend::sqlite_connection>;

}  // namespace crucible
