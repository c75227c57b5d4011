// basic_engine<Backend>: a URL, a pool of connections, and the echo hook; create_engine(url).
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "crucible/detail/config.hpp"
#include "crucible/engine/connection.hpp"
#include "crucible/engine/url.hpp"
#include "crucible/pool/pool.hpp"

namespace crucible {

template <class Backend>
class basic_engine {
public:
    using backend_type = Backend;
    using dialect = typename backend_traits<Backend>::dialect;
    using connection = basic_connection<Backend>;

    explicit basic_engine(url location, std::size_t pool_size = 8);
    basic_engine(basic_engine&&) noexcept;
    basic_engine& operator=(basic_engine&&) noexcept;
    ~basic_engine();

    // A connection from the pool; it goes back when destroyed.
    connection connect();

    // Receives every statement's SQL, duration and parameter count (never the values).
    void set_echo(echo_hook hook) { state_->echo = std::move(hook); }

    const url& location() const noexcept { return url_; }
    basic_pool<Backend>& pool() noexcept { return state_->pool; }

private:
    struct state {
        state(typename basic_pool<Backend>::factory open, std::size_t size) : pool(std::move(open), size) {}
        basic_pool<Backend> pool;
        echo_hook echo;
    };
    url url_;
    std::unique_ptr<state> state_;  // stable address: connections point at the echo hook
};

// Out of the class, so that with CRUCIBLE_SEPARATE_COMPILATION the explicit instantiations for each
// backend (crucible/src/*.hpp) are the only copy: see crucible/detail/config.hpp.

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_engine<Backend>::basic_engine(url location, std::size_t pool_size)
    : url_(std::move(location)),
      state_(std::make_unique<state>([location = url_] { return backend_traits<Backend>::open(location); },
                                     pool_size)) {}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_engine<Backend>::basic_engine(basic_engine&&) noexcept = default;

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_engine<Backend>::operator=(basic_engine&&) noexcept -> basic_engine& = default;

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_engine<Backend>::~basic_engine() = default;

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_engine<Backend>::connect() -> connection {
    return connection(state_->pool.acquire(), &state_->echo);
}

// A ready echo hook: one line per statement on a stream.
inline echo_hook echo_to(std::ostream& out) {
    return [&out](const echo_event& event) {
        out << "[crucible] " << event.sql << "  -- " << event.parameter_count << " parameter(s), "
            << std::chrono::duration<double, std::micro>(event.duration).count() << " us\n";
    };
}

// An engine for one backend, from a URL of its scheme.
template <class Backend>
basic_engine<Backend> create_engine(std::string_view text, std::size_t pool_size = 8) {
    url location = parse_url(text);
    if (location.scheme != backend_traits<Backend>::scheme) {
        throw programming_error("URL scheme '" + location.scheme + "' does not match this engine's backend (" +
                                std::string(backend_traits<Backend>::scheme) + ")");
    }
    return basic_engine<Backend>(std::move(location), pool_size);
}

} // namespace crucible
