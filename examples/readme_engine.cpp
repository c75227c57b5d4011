// The README's engine example, compiled and run by the test suite.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "crucible/crucible.hpp"
#include "crucible/engine/sqlite.hpp"

struct Artist {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
};
constexpr auto crucible_table(crucible::table_tag<Artist>) {
    return crucible::table_options{crucible::table_name("artists")};
}
struct Album {
    std::int64_t id;
    std::int64_t artist_id;
    std::string title;
    std::int32_t year;
    std::chrono::sys_time<std::chrono::microseconds> added;
};
constexpr auto crucible_table(crucible::table_tag<Album>) {
    namespace c = crucible;
    return c::table_options{c::foreign_key<&Album::artist_id, &Artist::id>.on_delete(c::fk_action::cascade),
                            c::index_on<&Album::year>, c::check<"\"year\" > 1900">};
}

using namespace crucible;
using crucible::select;

int main() {
    // --- README: engine ---
    auto engine = crucible::create_engine<crucible::backend::sqlite_connection>("sqlite://");
    auto db = engine.connect();                      // from the engine's pool
    db.create_all<Album, Artist>();                  // foreign-key order, whatever the order given
    {
        auto tx = db.begin();                        // rolls back unless committed, also on exceptions
        auto [id] = db.one(insert(Artist{0, "Nina", "Oslo"}).returning(col<&Artist::id>));
        db.execute(insert(Album{0, id, "First", 1999, std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now())}));
        tx.commit();
    }
    std::vector<Artist> all = db.all(select<Artist>().order_by(col<&Artist::name>));
    std::optional<Artist> nina = db.one_or_none(select<Artist>().where(col<&Artist::name> == "Nina"));
    std::int64_t n = db.scalar(select(count()).from<Artist>());
    for (const Artist& a : db.stream(select<Artist>())) { /* one row in memory at a time */ (void)a; }
    auto names = db.all<std::tuple<std::string>>(crucible::text("SELECT name FROM artists WHERE city = :city").bind("city", "Oslo"));
    db.insert_all(std::vector<Artist>(100, Artist{0, "", {}}) /* ... */);  // multi-row VALUES chunks
    const Artist kept{0, "Omar", std::nullopt};
    db.execute(insert_view(kept));                   // binds `kept` where it is, no copy
    engine.set_echo(crucible::echo_to(std::clog));   // SQL, duration, parameter count; never values (Echo, below)
    // --- end ---
    const bool ok = all.size() == 1 && nina && nina->city == "Oslo" && n == 1 && names.size() == 1 &&
                    db.scalar(select(count()).from<Artist>()) == 102 && db.scalar(select(count()).from<Album>()) == 1;
    std::cout << (ok ? "readme engine example: ok\n" : "readme engine example: WRONG\n");
    return ok ? 0 : 1;
}
