// Pool checkout + return, uncontended and with 16 threads, against the floor: a plain
// mutex-protected vector of connections. A connection here is a stand-in that does nothing, so
// the figures are the pool's own cost; engine_connect adds what engine.connect() does on top
// (the connection object's shared state) with a real SQLite connection.
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"

namespace {

// What basic_pool asks of a connection, doing nothing.
struct idle_connection {
    bool is_open() const noexcept { return true; }
    bool in_transaction() const noexcept { return false; }
    void rollback() {}
    bool ping() noexcept { return true; }
};

using pool = crucible::basic_pool<idle_connection>;

std::shared_ptr<pool> shared_pool() {
    crucible::pool_options options;
    options.pool_size = 16;
    options.max_overflow = 0;
    static std::shared_ptr<pool> instance =
        std::make_shared<pool>([] { return std::make_unique<idle_connection>(); }, options);
    return instance;
}

void pool_checkout_return(benchmark::State& state) {
    auto p = shared_pool();
    for (auto _ : state) {
        auto handle = pool::checkout(p);
        benchmark::DoNotOptimize(&*handle);
    }
    if (state.thread_index() == 0 && p->status().connects > 16) {
        state.SkipWithError("the pool opened more connections than its size");
    }
}
BENCHMARK(pool_checkout_return)->Threads(1)->Threads(16)->UseRealTime();

// The floor: a vector of connections behind a mutex, no limits, no bookkeeping.
struct mutex_vector {
    std::mutex mutex;
    std::vector<std::unique_ptr<idle_connection>> idle;
    std::unique_ptr<idle_connection> take() {
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                auto c = std::move(idle.back());
                idle.pop_back();
                return c;
            }
        }
        return std::make_unique<idle_connection>();
    }
    void give(std::unique_ptr<idle_connection> c) {
        std::lock_guard lock(mutex);
        idle.push_back(std::move(c));
    }
};

void mutex_vector_checkout_return(benchmark::State& state) {
    static mutex_vector floor;
    for (auto _ : state) {
        auto c = floor.take();
        benchmark::DoNotOptimize(c.get());
        floor.give(std::move(c));
    }
}
BENCHMARK(mutex_vector_checkout_return)->Threads(1)->Threads(16)->UseRealTime();

// engine.connect() and the connection object's end, on SQLite in memory.
void engine_connect(benchmark::State& state) {
    static auto engine = crucible::create_engine<crucible::backend::sqlite_connection>("sqlite://?pool_size=16&max_overflow=0");
    for (auto _ : state) {
        auto db = engine.connect();
        benchmark::DoNotOptimize(&db);
    }
}
BENCHMARK(engine_connect)->Threads(1)->Threads(16)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
