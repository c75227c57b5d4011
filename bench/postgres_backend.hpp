// The postgres benchmark backend: a fresh schema per benchmark in the server libpq's PG* variables name;
// shared by the peers' translation units.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "workloads.hpp"

namespace bench {

struct postgres_backend {
    static constexpr const char* name = "postgres";
    // Most of the work is in the server process: wall time is the measure.
    static constexpr bool wall_time = true;
    static bool available(std::string& why);

    // Schema created, no rows. Defined in postgres_bench.cpp, so a peer's translation unit includes
    // only its own library's headers.
    class database {
    public:
        database();
        database(const database&) = delete;
        database& operator=(const database&) = delete;
        ~database();

        // What a peer opens: a libpq conninfo (PG* variables fill in the rest).
        std::string connection() const;
        void insert(std::span<const new_user> rows);
        void insert(std::span<const new_post> rows);
        void insert(std::span<const new_comment> rows);
        void clear_users();
        std::int64_t count_users();

    private:
        struct state;
        std::unique_ptr<state> state_;
    };
};

// Peers registered from their own translation units.
void register_postgres_soci_peer();
void register_postgres_crucible_peer();

}  // namespace bench
