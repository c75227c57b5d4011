// The SQLite engine: crucible::sqlite_engine and the glue between the engine and the SQLite backend.
#pragma once

#include <memory>
#include <string_view>

#include "crucible/backend/sqlite.hpp"
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

using sqlite_engine = basic_engine<backend::sqlite_connection>;
using sqlite_connection = basic_connection<backend::sqlite_connection>;

} // namespace crucible
