// A program that names a backend without including its header gets one line saying which header
// to include, rather than "create_engine is not a member of crucible".
#pragma once

namespace crucible {

namespace backend {
class sqlite_connection;
class postgres_connection;
} // namespace backend

template <class Backend>
struct backend_traits;

namespace detail {
// True once the backend's header (crucible/sqlite.hpp, crucible/postgres.hpp) has been included.
template <class Backend>
concept backend_included = requires { backend_traits<Backend>::scheme; };
} // namespace detail

// Chosen only when the backend's header was not included (the real create_engine is in
// crucible/engine/engine.hpp and needs it).
template <class Backend, class... Args>
    requires(!detail::backend_included<Backend>)
auto create_engine(Args&&...) {  // (a deduced return type: the message comes before any use of the result)
    static_assert(detail::backend_included<Backend>,
                  "crucible: create_engine<Backend> needs its backend's header: #include \"crucible/sqlite.hpp\" for "
                  "backend::sqlite_connection, \"crucible/postgres.hpp\" for backend::postgres_connection (and link "
                  "its driver)");
    return 0;
}

} // namespace crucible
