// basic_pool<Connection>: a thread-safe pool of backend connections with SQLAlchemy QueuePool's
// semantics — size, overflow, checkout timeout, recycle age, pre-ping, FIFO or LIFO, reset
// (rollback) on return, and invalidation of every older connection after a disconnect.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "crucible/detail/chrono.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/detail/function.hpp"
#include "crucible/error.hpp"

namespace crucible {

// The pool's settings; the defaults are SQLAlchemy QueuePool's. Each is also a URL option of the
// same name with the `pool_` prefix where SQLAlchemy has one (README, "Pool").
struct pool_options {
    std::size_t pool_size = 5;                           // connections kept open when idle
    std::ptrdiff_t max_overflow = 10;                    // opened beyond pool_size under load; -1: no limit
    std::chrono::milliseconds timeout{30000};            // a checkout waits this long, then timeout_error
    std::chrono::milliseconds recycle{-1};               // older connections are replaced at checkout; < 0: off
    bool pre_ping = false;                               // test each checkout with a round trip
    bool lifo = false;                                   // reuse the most recently returned connection first
};

// What a program can read of a pool at any moment.
struct pool_status {
    std::size_t size = 0;             // pool_size
    std::size_t checked_out = 0;      // held by connections (and being opened for them)
    std::size_t idle = 0;             // open and waiting in the pool
    std::size_t overflow = 0;         // open beyond pool_size
    std::uint64_t invalidations = 0;  // disconnects seen (each made every older connection stale)
    std::uint64_t connects = 0;       // connections opened in all
    std::uint64_t closes = 0;         // connections closed in all (lost, stale, recycled, overflow, disposed)
};

enum class pool_event_kind {
    connect,     // a new connection was opened
    checkout,    // a connection was handed out
    checkin,     // a connection came back (rolled back if a transaction was open)
    invalidate,  // a connection was found lost: it and every older one are replaced
    close,       // a connection was closed (stale, recycled, beyond pool_size, lost, disposed)
};

struct pool_event {
    pool_event_kind kind;
    const char* reason;  // why, for close and invalidate ("" otherwise)
    pool_status status;  // the pool just after the event
};
using pool_event_hook = std::function<void(const pool_event&)>;

template <class Connection>
class basic_pool {
    struct record {
        std::unique_ptr<Connection> connection;
        std::chrono::steady_clock::time_point opened{};
        std::uint64_t serial = 0;  // order of opening (from 1): older than stale_below_ is stale; 0: none
    };

public:
    using factory = std::function<std::unique_ptr<Connection>()>;

    explicit basic_pool(factory open, pool_options options = {});
    basic_pool(const basic_pool&) = delete;
    basic_pool& operator=(const basic_pool&) = delete;
    ~basic_pool();

    // A checked-out connection; it goes back to the pool when the handle is destroyed. The handle
    // keeps the pool (and whatever owns it, see checkout) alive, so it may outlive its engine.
    class handle {
    public:
        handle() = default;
        handle(handle&& other) noexcept = default;
        handle& operator=(handle&& other) noexcept;
        ~handle();

        Connection& operator*() const noexcept { return *record_.connection; }
        Connection* operator->() const noexcept { return record_.connection.get(); }
        explicit operator bool() const noexcept { return record_.connection != nullptr; }

        // The link is gone: the connection is closed now instead of going back, and every
        // connection the pool opened before it is replaced at its next checkout.
        void invalidate(const char* reason) noexcept;
        // Gives the connection (or, after invalidate, its place) back and checks out another.
        void renew();
        basic_pool* pool() const noexcept { return pool_.get(); }
        const std::shared_ptr<basic_pool>& shared_pool() const noexcept { return pool_; }

    private:
        friend class basic_pool;
        handle(std::shared_ptr<basic_pool> pool, record r) noexcept : pool_(std::move(pool)), record_(std::move(r)) {}
        void give_back() noexcept;

        std::shared_ptr<basic_pool> pool_;
        record record_;
    };

    // A connection from `pool`: an idle one (FIFO, or LIFO), else a new one while fewer than
    // pool_size + max_overflow are open, else the first one returned within the timeout
    // (timeout_error after it). An idle connection that is stale, older than the recycle age or,
    // with pre-ping, dead, is replaced first. `pool` may be an aliasing pointer into the object
    // that owns the pool: the handle keeps that object alive.
    static handle checkout(std::shared_ptr<basic_pool> pool);

    // Every connection open now is stale: idle ones are closed now, checked-out ones when they come
    // back. Counts as an invalidation.
    void invalidate(const char* reason) noexcept;
    // Closes every idle connection, and every checked-out one when it comes back; the pool stays
    // usable and opens new connections as they are asked for.
    void dispose() noexcept;

    pool_status status() const;
    const pool_options& options() const noexcept { return options_; }

    // Receives every connect, checkout, checkin, invalidate and close. Set it before the pool is
    // used from several threads; it is called on the thread that caused the event, outside the lock.
    void set_events(pool_event_hook hook) { events_ = std::move(hook); }

private:
    record take();
    record open_record();  // reserved by the caller: open_ and checked_out_ already count it
    void unreserve() noexcept;
    void replace(record& r, const char* reason);
    void release(record r) noexcept;
    bool stale(const record& r) const noexcept { return r.serial < stale_below_.load(std::memory_order_acquire); }
    pool_status status_locked() const noexcept;
    void emit(pool_event_kind kind, const char* reason = "") noexcept;
    [[noreturn]] void throw_timeout(std::size_t checked_out) const;

    factory factory_;
    pool_options options_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;
    std::deque<record> idle_;
    std::size_t open_ = 0;         // idle + checked out (including those being opened)
    std::size_t checked_out_ = 0;
    std::uint64_t invalidations_ = 0;
    std::uint64_t connects_ = 0;
    std::uint64_t closes_ = 0;
    std::atomic<std::uint64_t> next_serial_{1};
    std::atomic<std::uint64_t> stale_below_{0};
    pool_event_hook events_;
};

// Out of the class, so that with CRUCIBLE_SEPARATE_COMPILATION the explicit instantiations for each
// backend (crucible/src/*.hpp) are the only copy: see crucible/detail/config.hpp.

template <class Connection>
CRUCIBLE_TEMPLATE_DECL basic_pool<Connection>::basic_pool(factory open, pool_options options)
    : factory_(std::move(open)), options_(options) {
    if (options_.max_overflow < -1) {
        throw programming_error("pool option max_overflow must be -1 (no limit) or at least 0, not " +
                                std::to_string(options_.max_overflow));
    }
    if (options_.pool_size == 0 && options_.max_overflow == 0) {
        throw programming_error("pool options pool_size=0 and max_overflow=0 allow no connection at all");
    }
    if (options_.timeout.count() < 0) {
        throw programming_error("pool option timeout must not be negative");
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL basic_pool<Connection>::~basic_pool() = default;

template <class Connection>
CRUCIBLE_TEMPLATE_DECL auto basic_pool<Connection>::handle::operator=(handle&& other) noexcept -> handle& {
    if (this != &other) {
        give_back();
        pool_ = std::move(other.pool_);
        record_ = std::move(other.record_);
    }
    return *this;
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL basic_pool<Connection>::handle::~handle() {
    give_back();
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::handle::give_back() noexcept {
    if (pool_) {
        auto pool = std::move(pool_);  // the last reference may go with it, after the release
        if (record_.serial != 0) {
            pool->release(std::exchange(record_, record{}));
        }
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::handle::invalidate(const char* reason) noexcept {
    if (pool_ && record_.connection) {
        pool_->invalidate(reason);
        record_.connection.reset();
        {
            std::lock_guard lock(pool_->mutex_);
            ++pool_->closes_;
        }
        pool_->emit(pool_event_kind::close, reason);
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::handle::renew() {
    if (record_.serial != 0) {
        pool_->release(std::exchange(record_, record{}));
    }
    record_ = pool_->take();
    pool_->emit(pool_event_kind::checkout);
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL auto basic_pool<Connection>::checkout(std::shared_ptr<basic_pool> pool) -> handle {
    record r = pool->take();
    pool->emit(pool_event_kind::checkout);
    return handle(std::move(pool), std::move(r));
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL auto basic_pool<Connection>::take() -> record {
    const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            record r;
            if (options_.lifo) {
                r = std::move(idle_.back());
                idle_.pop_back();
            } else {
                r = std::move(idle_.front());
                idle_.pop_front();
            }
            ++checked_out_;
            lock.unlock();
            if (stale(r)) {
                replace(r, "stale: opened before a disconnect was seen");
            } else if (options_.recycle.count() >= 0 &&
                       std::chrono::steady_clock::now() - r.opened >= options_.recycle) {
                replace(r, "recycled: older than pool_recycle");
            } else if (options_.pre_ping && !r.connection->ping()) {
                invalidate("pre-ping found the connection dead");
                replace(r, "pre-ping found the connection dead");
            }
            return r;
        }
        const std::size_t limit =
            options_.pool_size + (options_.max_overflow > 0 ? static_cast<std::size_t>(options_.max_overflow) : 0);
        if (options_.max_overflow < 0 || open_ < limit) {
            ++open_;
            ++checked_out_;
            lock.unlock();
            return open_record();
        }
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout) {
            const bool room = !idle_.empty() || open_ < limit;
            if (!room) {
                throw_timeout(checked_out_);
            }
        }
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL auto basic_pool<Connection>::open_record() -> record {
    record r;
    try {
        r.serial = next_serial_.fetch_add(1, std::memory_order_acq_rel);
        r.connection = factory_();
        r.opened = std::chrono::steady_clock::now();
    } catch (...) {
        unreserve();
        throw;
    }
    {
        std::lock_guard lock(mutex_);
        ++connects_;
    }
    emit(pool_event_kind::connect);
    return r;
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::unreserve() noexcept {
    {
        std::lock_guard lock(mutex_);
        --open_;
        --checked_out_;
    }
    returned_.notify_one();
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::replace(record& r, const char* reason) {
    r.connection.reset();
    {
        std::lock_guard lock(mutex_);
        ++closes_;
    }
    emit(pool_event_kind::close, reason);
    r = open_record();  // the slot stays reserved; on failure open_record gives it up
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::release(record r) noexcept {
    bool keep = r.connection != nullptr;
    const char* reason = "";
    try {
        if (keep && r.connection->is_open() && r.connection->in_transaction()) {
            r.connection->rollback();  // reset on return
        }
        if (keep && !r.connection->is_open()) {
            keep = false;
            reason = "lost";
        }
    } catch (...) {
        keep = false;  // a connection that cannot be reset is not handed out again
        reason = "the rollback on return failed";
    }
    if (keep && stale(r)) {
        keep = false;
        reason = "stale: opened before a disconnect was seen";
    }
    std::unique_ptr<Connection> closing;
    bool closed = false;
    {
        std::lock_guard lock(mutex_);
        --checked_out_;
        if (keep && idle_.size() < options_.pool_size) {
            idle_.push_back(std::move(r));
        } else {
            --open_;
            if (r.connection) {
                closing = std::move(r.connection);
                ++closes_;
                closed = true;
                if (keep) {
                    reason = "beyond pool_size";
                }
            }
        }
    }
    returned_.notify_one();
    closing.reset();  // outside the lock: closing may talk to the server
    emit(pool_event_kind::checkin);
    if (closed) {
        emit(pool_event_kind::close, reason);
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::invalidate(const char* reason) noexcept {
    std::deque<record> closing;
    {
        std::lock_guard lock(mutex_);
        stale_below_.store(next_serial_.load(std::memory_order_acquire), std::memory_order_release);
        ++invalidations_;
        closing.swap(idle_);
        open_ -= closing.size();
        closes_ += closing.size();
    }
    returned_.notify_all();
    emit(pool_event_kind::invalidate, reason);
    for (std::size_t i = 0; i < closing.size(); ++i) {
        closing[i].connection.reset();
        emit(pool_event_kind::close, "stale: opened before a disconnect was seen");
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::dispose() noexcept {
    std::deque<record> closing;
    {
        std::lock_guard lock(mutex_);
        stale_below_.store(next_serial_.load(std::memory_order_acquire), std::memory_order_release);
        closing.swap(idle_);
        open_ -= closing.size();
        closes_ += closing.size();
    }
    returned_.notify_all();
    for (std::size_t i = 0; i < closing.size(); ++i) {
        closing[i].connection.reset();
        emit(pool_event_kind::close, "disposed");
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL pool_status basic_pool<Connection>::status() const {
    std::lock_guard lock(mutex_);
    return status_locked();
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL pool_status basic_pool<Connection>::status_locked() const noexcept {
    pool_status s;
    s.size = options_.pool_size;
    s.checked_out = checked_out_;
    s.idle = idle_.size();
    s.overflow = open_ > options_.pool_size ? open_ - options_.pool_size : 0;
    s.invalidations = invalidations_;
    s.connects = connects_;
    s.closes = closes_;
    return s;
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::emit(pool_event_kind kind, const char* reason) noexcept {
    if (events_) [[unlikely]] {
        try {
            events_(pool_event{kind, reason, status()});
        } catch (...) {
            // A hook that throws must not break the pool's accounting.
        }
    }
}

template <class Connection>
CRUCIBLE_TEMPLATE_DECL void basic_pool<Connection>::throw_timeout(std::size_t checked_out) const {
    throw timeout_error("pool: limit of pool_size " + std::to_string(options_.pool_size) + " and max_overflow " +
                        std::to_string(options_.max_overflow) + " reached (" + std::to_string(checked_out) +
                        " connections checked out); no connection came back within " +
                        std::to_string(options_.timeout.count()) + " ms (pool_timeout)");
}

} // namespace crucible
