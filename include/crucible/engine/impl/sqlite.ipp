// The SQLite backend compiled once (CRUCIBLE_SEPARATE_COMPILATION): its definitions, and the engine
// and pool instantiated for it. Included by crucible/src/sqlite.hpp, which adds the part both backends
// share (crucible/src/common.hpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "crucible/backend/impl/sqlite.ipp"
#include "crucible/engine/sqlite.hpp"

#if CRUCIBLE_HEADER_ONLY
#error "crucible/src/*.hpp compile crucible once for a CRUCIBLE_SEPARATE_COMPILATION build: define CRUCIBLE_SEPARATE_COMPILATION for the whole program, or do not include this header"
#endif

namespace crucible {

template class basic_pool<backend::sqlite_connection>;
template class basic_engine<backend::sqlite_connection>;
template class detail::connection_state<backend::sqlite_connection>;
template class basic_connection<backend::sqlite_connection>;
template class basic_transaction<backend::sqlite_connection>;
template basic_engine<backend::sqlite_connection> create_engine<backend::sqlite_connection>(
    std::string_view, engine_options<backend::sqlite_connection>);

}  // namespace crucible
