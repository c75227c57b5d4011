// The sqlite benchmark backend: a fresh SQLite database file per benchmark; shared by the peers' translation
// units.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "workloads.hpp"

namespace bench {

struct sqlite_backend {
    static constexpr const char* name = "sqlite";
    // Everything runs in this process: its CPU time is the measure (steadier than wall time
    // when other work shares the machine).
    static constexpr bool wall_time = false;
    static bool available(std::string& why);

    // Schema created, no rows. Defined in sqlite_bench.cpp, so a peer's translation unit includes
    // only its own library's headers.
    class database {
    public:
        database();
        database(const database&) = delete;
        database& operator=(const database&) = delete;
        ~database();

        // What a peer opens: the file's path.
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
void register_sqlite_soci_peer();
void register_sqlite_crucible_peer();

}  // namespace bench
