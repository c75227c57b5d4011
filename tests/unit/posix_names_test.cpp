// `using namespace crucible;` beside POSIX's select() (<sys/select.h>) and index() (<strings.h>):
// crucible's select and select<T> are chosen by overload resolution, and the index option is
// index_on, which POSIX does not declare. No `using crucible::select;` is needed.
#include <strings.h>
#include <sys/select.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "crucible/crucible.hpp"

namespace posix_names {

struct Gig {
    std::int64_t id;
    std::string city;
};
constexpr auto crucible_table(crucible::table_tag<Gig>) {
    using namespace crucible;
    return table_options{index_on<&Gig::city>};
}

using namespace crucible;

TEST(PosixNames, SelectAndIndexOnBesidePosix) {
    const auto by_city = select(col<&Gig::city>).from<Gig>().where(col<&Gig::id> == 1);
    const auto whole = select<Gig>();
    EXPECT_EQ(to_sql<dialect::sqlite>(by_city), R"(SELECT "gig"."city" FROM "gig" WHERE ("gig"."id" = ?))");
    EXPECT_EQ(to_sql<dialect::sqlite>(whole), R"(SELECT "gig"."id", "gig"."city" FROM "gig")");
    EXPECT_EQ(std::string_view(schema::create_index_sql<Gig, dialect::sqlite, 0>),
              R"(CREATE INDEX "ix_gig_city" ON "gig" ("city"))");
    // POSIX's own functions are still there, and still called by their arguments.
    EXPECT_EQ(std::string_view(::index("crucible", 'u')), "ucible");
    fd_set none;
    FD_ZERO(&none);
    timeval zero{0, 0};
    EXPECT_EQ(select(0, &none, nullptr, nullptr, &zero), 0);
}

} // namespace posix_names
