// basic_pool<Connection>: a thread-safe pool of backend connections handed out one at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "crucible/detail/config.hpp"
#include "crucible/detail/function.hpp"

namespace crucible {

// Idle connections are reused; a connection returned inside a transaction is rolled back first,
// and one whose link dropped is discarded, so the next checkout opens a fresh one. (A later issue
// adds overflow limits, checkout timeouts, recycling and pre-ping behind this same interface.)
template <class Connection>
class basic_pool {
public:
    using factory = std::function<std::unique_ptr<Connection>()>;

    explicit basic_pool(factory open, std::size_t max_idle = 8);

    // A connection that goes back to the pool when the handle is destroyed.
    class handle {
    public:
        handle() = default;
        handle(basic_pool* pool, std::unique_ptr<Connection> connection)
            : pool_(pool), connection_(std::move(connection)) {}
        handle(handle&&) noexcept = default;
        handle& operator=(handle&& other) noexcept;
        ~handle();

        Connection& operator*() const noexcept { return *connection_; }
        Connection* operator->() const noexcept { return connection_.get(); }
        explicit operator bool() const noexcept { return connection_ != nullptr; }

        // Drops the connection instead of returning it (after a lost link).
        void invalidate() noexcept { connection_.reset(); }

    private:
        void give_back() noexcept;
        basic_pool* pool_ = nullptr;
        std::unique_ptr<Connection> connection_;
    };

    handle acquire();
    std::size_t idle_count() const;

private:
    void release(std::unique_ptr<Connection> connection) noexcept;

    factory open_;
    std::size_t max_idle_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

// Out of the class, so that with CRUCIBLE_SEPARATE_COMPILATION the explicit instantiations for each
// backend (crucible/src/*.hpp) are the only copy: see crucible/detail/config.hpp.

template <class Connection>
CRUCIBLE_TEMPLATE_DECL basic_pool<Connection>::basic_pool(factory open, std::size_t max_idle)
    : open_(std::move(open)), max_idle_(max_idle) {}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL auto basic_pool<Connection>::handle::operator=(handle&& other) noexcept -> handle& {
    if (this != &other) {
        give_back();
        pool_ = other.pool_;
        connection_ = std::move(other.connection_);
    }
    return *this;
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL basic_pool<Connection>::handle::~handle() {
    give_back();
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::handle::give_back() noexcept {
    if (pool_ && connection_) {
        pool_->release(std::move(connection_));
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL auto basic_pool<Connection>::acquire() -> handle {
    {
        std::lock_guard lock(mutex_);
        while (!idle_.empty()) {
            std::unique_ptr<Connection> connection = std::move(idle_.back());
            idle_.pop_back();
            if (connection->is_open()) {
                return handle(this, std::move(connection));
            }
        }
    }
    return handle(this, open_());
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL std::size_t basic_pool<Connection>::idle_count() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::release(std::unique_ptr<Connection> connection) noexcept {
    try {
        if (!connection->is_open()) {
            return;
        }
        if (connection->in_transaction()) {
            connection->rollback();
        }
        std::lock_guard lock(mutex_);
        if (idle_.size() < max_idle_) {
            idle_.push_back(std::move(connection));
        }
    } catch (...) {
        // A connection that cannot be reset is dropped.
    }
}

} // namespace crucible
