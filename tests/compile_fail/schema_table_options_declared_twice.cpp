// expect: this struct declares its table options twice
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/ddl.hpp"

#include <cstdint>
#include <string>

struct Album {
    std::int64_t id;
    std::string title;
    static constexpr auto crucible_table() { return crucible::table_options{crucible::table_name("albums")}; }
};
constexpr auto crucible_table(crucible::table_tag<Album>) {
    return crucible::table_options{crucible::table_name("album_rows")};
}

constexpr auto ddl = crucible::schema::create_table_sql<Album, crucible::dialect::sqlite>;
