// The PostgreSQL backend compiled once (CRUCIBLE_SEPARATE_COMPILATION): its definitions, and the engine
// and pool instantiated for it. Included by crucible/src/postgres.hpp, which adds the part both backends
// share (crucible/src/common.hpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "crucible/backend/impl/postgres.ipp"
#include "crucible/engine/postgres.hpp"

#if CRUCIBLE_HEADER_ONLY
#error "crucible/src/*.hpp compile crucible once for a CRUCIBLE_SEPARATE_COMPILATION build: define CRUCIBLE_SEPARATE_COMPILATION for the whole program, or do not include this header"
#endif

namespace crucible {

template class basic_pool<backend::postgres_connection>;
template class basic_engine<backend::postgres_connection>;
template class detail::connection_state<backend::postgres_connection>;
template class basic_connection<backend::postgres_connection>;
template class basic_transaction<backend::postgres_connection>;
template basic_engine<backend::postgres_connection> create_engine<backend::postgres_connection>(
    std::string_view, engine_options<backend::postgres_connection>);

}  // namespace crucible
