// DDL per dialect, compared as exact strings at compile time: one line per construct.
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/schema.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "music_tables.hpp"

namespace schema = crucible::schema;
using crucible::fk_action;
using crucible::dialect::postgres;
using crucible::dialect::sqlite;

namespace {

using namespace music;  // AllTypes, Artist, Album and their enums (tests/support)

template <class D, bool IfNotExists = false>
struct ddl {
    template <class T>
    static constexpr std::string_view create = schema::create_table_sql<T, D, IfNotExists>;
    template <class T>
    static constexpr std::string_view drop = schema::drop_table_sql<T, D, IfNotExists>;
    template <class T, std::size_t I>
    static constexpr std::string_view index = schema::create_index_sql<T, D, I, IfNotExists>;
};

// The SQL type a C++ value type gets in a dialect (CAST), and the type its column is declared with.
template <class D, class V>
constexpr std::string_view type_of = D::type_name(schema::kind_of<V>);
template <class D, class V>
constexpr std::string_view column_type_of = D::column_type(schema::kind_of<V>);

// ---- type names, every value type --------------------------------------------------------------

static_assert(type_of<sqlite, bool> == "BOOLEAN" && type_of<postgres, bool> == "BOOLEAN");
static_assert(type_of<sqlite, std::int8_t> == "INTEGER" && type_of<postgres, std::int8_t> == "SMALLINT");
static_assert(type_of<sqlite, std::int16_t> == "INTEGER" && type_of<postgres, std::int16_t> == "SMALLINT");
static_assert(type_of<sqlite, std::int32_t> == "INTEGER" && type_of<postgres, std::int32_t> == "INTEGER");
static_assert(type_of<sqlite, std::int64_t> == "INTEGER" && type_of<postgres, std::int64_t> == "BIGINT");
static_assert(type_of<sqlite, std::uint8_t> == "INTEGER" && type_of<postgres, std::uint8_t> == "SMALLINT");
static_assert(type_of<sqlite, std::uint16_t> == "INTEGER" && type_of<postgres, std::uint16_t> == "INTEGER");
static_assert(type_of<sqlite, std::uint32_t> == "INTEGER" && type_of<postgres, std::uint32_t> == "BIGINT");
static_assert(type_of<sqlite, std::uint64_t> == "INTEGER" && type_of<postgres, std::uint64_t> == "BIGINT");
static_assert(type_of<sqlite, float> == "REAL" && type_of<postgres, float> == "REAL");
static_assert(type_of<sqlite, double> == "REAL" && type_of<postgres, double> == "DOUBLE PRECISION");
// SQLite float columns have no declared type: REAL affinity would store -0.0 as the integer 0.
static_assert(column_type_of<sqlite, float> == "" && column_type_of<sqlite, double> == "");
static_assert(column_type_of<postgres, float> == "REAL" && column_type_of<postgres, double> == "DOUBLE PRECISION");
static_assert(column_type_of<sqlite, std::int64_t> == "INTEGER" && column_type_of<sqlite, std::string> == "TEXT");
static_assert(type_of<sqlite, std::string> == "TEXT" && type_of<postgres, std::string> == "TEXT");
static_assert(type_of<sqlite, std::vector<std::byte>> == "BLOB" && type_of<postgres, std::vector<std::byte>> == "BYTEA");
static_assert(type_of<sqlite, std::vector<unsigned char>> == "BLOB" &&
              type_of<postgres, std::vector<unsigned char>> == "BYTEA");
static_assert(type_of<sqlite, micros> == "TIMESTAMP" && type_of<postgres, micros> == "TIMESTAMP");
static_assert(type_of<sqlite, seconds> == "TIMESTAMP" && type_of<postgres, seconds> == "TIMESTAMP");
static_assert(type_of<sqlite, Tiny> == "INTEGER" && type_of<postgres, Tiny> == "SMALLINT");
static_assert(type_of<sqlite, Mid> == "INTEGER" && type_of<postgres, Mid> == "INTEGER");
static_assert(type_of<sqlite, Big> == "INTEGER" && type_of<postgres, Big> == "BIGINT");
static_assert(type_of<postgres, std::optional<Big>> == "BIGINT" && type_of<postgres, std::optional<double>> == "DOUBLE PRECISION");

// ---- placeholders and quoting ------------------------------------------------------------------

template <class D>
constexpr crucible::detail::sql_string placeholder(std::size_t index) {
    crucible::detail::sql_string out;
    D::placeholder(out, index);
    return out;
}
template <class D>
constexpr crucible::detail::sql_string quoted(std::string_view identifier) {
    crucible::detail::sql_string out;
    D::quote_identifier(out, identifier);
    return out;
}

static_assert(placeholder<sqlite>(1) == "?" && placeholder<sqlite>(12) == "?");
static_assert(placeholder<postgres>(1) == "$1" && placeholder<postgres>(12) == "$12" && placeholder<postgres>(65535) == "$65535");
static_assert(quoted<sqlite>("order") == R"("order")" && quoted<postgres>("order") == R"("order")");
static_assert(quoted<sqlite>(R"(we"ird)") == R"("we""ird")" && quoted<postgres>(R"(we"ird)") == R"("we""ird")");
static_assert(quoted<postgres>("") == R"("")");

// ---- tables ------------------------------------------------------------------------------------

struct Isbn {
    std::string code;
    std::string title;
};
constexpr auto crucible_table(crucible::table_tag<Isbn>) {
    return crucible::table_options{crucible::primary_key<&Isbn::code>};
}

struct Ticket {
    std::string code;
    std::uint32_t number;
};
constexpr auto crucible_table(crucible::table_tag<Ticket>) {
    return crucible::table_options{crucible::autoincrement<&Ticket::number>, crucible::unique<&Ticket::code>};
}

struct Login {
    std::int64_t id;
    std::string email;
    std::string handle;
    std::optional<std::int64_t> account_id;
};
constexpr auto crucible_table(crucible::table_tag<Login>) {
    return crucible::table_options{
        crucible::foreign_key<&Login::email, &Account::email>,
        crucible::foreign_key<&Login::handle, &Account::handle>.on_update(fk_action::cascade),
        crucible::foreign_key<&Login::account_id, &Account::id>.on_delete(fk_action::set_default).on_update(fk_action::no_action),
    };
}

struct Settings {
    std::int64_t id;
    bool enabled;
    std::int16_t retries;
    Mid mode;
    std::optional<std::string> label;
    micros created;
    std::uint64_t big;
    bool off;
};
constexpr auto crucible_table(crucible::table_tag<Settings>) {
    return crucible::table_options{
        crucible::default_value<&Settings::enabled, true>,
        crucible::default_value<&Settings::retries, -3>,
        crucible::default_value<&Settings::mode, Mid::b>,
        crucible::default_text<&Settings::label, "it's">,
        crucible::default_sql<&Settings::created, "CURRENT_TIMESTAMP">,
        crucible::default_value<&Settings::big, 9223372036854775807ULL>,
        crucible::default_value<&Settings::off, false>,
    };
}

struct order {
    std::int64_t id;
    std::string select;
    std::string user;
    std::string group;
    std::optional<std::string> from;
};
constexpr auto crucible_table(crucible::table_tag<order>) {
    return crucible::table_options{crucible::index_on<&order::group, &order::select>, crucible::unique_index<&order::user>};
}

struct Weird {
    std::int64_t id;
    std::string name;
};
constexpr auto crucible_table(crucible::table_tag<Weird>) {
    return crucible::table_options{crucible::table_name("we\"ird"), crucible::index_on<&Weird::name>};
}

// 65 fields.
struct Wide {
    std::int64_t id;
    int f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20;
    int f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31, f32, f33, f34, f35, f36, f37, f38, f39, f40;
    int f41, f42, f43, f44, f45, f46, f47, f48, f49, f50, f51, f52, f53, f54, f55, f56, f57, f58, f59, f60;
    int f61, f62, f63;
    std::optional<std::string> last;
};

using lite = ddl<sqlite>;
using pg = ddl<postgres>;

// clang-format off
static_assert(lite::create<AllTypes> == R"(CREATE TABLE "all_types" ("b" BOOLEAN NOT NULL, "i8" INTEGER NOT NULL, "i16" INTEGER NOT NULL, "i32" INTEGER NOT NULL, "i64" INTEGER NOT NULL, "u8" INTEGER NOT NULL, "u16" INTEGER NOT NULL, "u32" INTEGER NOT NULL, "u64" INTEGER NOT NULL, "f" NOT NULL, "d" NOT NULL, "s" TEXT NOT NULL, "bytes" BLOB NOT NULL, "uchars" BLOB NOT NULL, "at_us" TIMESTAMP NOT NULL, "at_s" TIMESTAMP NOT NULL, "e8" INTEGER NOT NULL, "e32" INTEGER NOT NULL, "e64" INTEGER NOT NULL, "ob" BOOLEAN, "oi8" INTEGER, "oi16" INTEGER, "oi32" INTEGER, "oi64" INTEGER, "ou8" INTEGER, "ou16" INTEGER, "ou32" INTEGER, "ou64" INTEGER, "of", "od", "os" TEXT, "obytes" BLOB, "ouchars" BLOB, "oat_us" TIMESTAMP, "oat_s" TIMESTAMP, "oe8" INTEGER, "oe32" INTEGER, "oe64" INTEGER))");
static_assert(pg::create<AllTypes> == R"(CREATE TABLE "all_types" ("b" BOOLEAN NOT NULL, "i8" SMALLINT NOT NULL, "i16" SMALLINT NOT NULL, "i32" INTEGER NOT NULL, "i64" BIGINT NOT NULL, "u8" SMALLINT NOT NULL, "u16" INTEGER NOT NULL, "u32" BIGINT NOT NULL, "u64" BIGINT NOT NULL, "f" REAL NOT NULL, "d" DOUBLE PRECISION NOT NULL, "s" TEXT NOT NULL, "bytes" BYTEA NOT NULL, "uchars" BYTEA NOT NULL, "at_us" TIMESTAMP NOT NULL, "at_s" TIMESTAMP NOT NULL, "e8" SMALLINT NOT NULL, "e32" INTEGER NOT NULL, "e64" BIGINT NOT NULL, "ob" BOOLEAN, "oi8" SMALLINT, "oi16" SMALLINT, "oi32" INTEGER, "oi64" BIGINT, "ou8" SMALLINT, "ou16" INTEGER, "ou32" BIGINT, "ou64" BIGINT, "of" REAL, "od" DOUBLE PRECISION, "os" TEXT, "obytes" BYTEA, "ouchars" BYTEA, "oat_us" TIMESTAMP, "oat_s" TIMESTAMP, "oe8" SMALLINT, "oe32" INTEGER, "oe64" BIGINT))");

// `id` of integer type: the database assigns it.
static_assert(lite::create<Artist> == R"(CREATE TABLE "artist" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "city" TEXT))");
static_assert(pg::create<Artist> == R"(CREATE TABLE "artist" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" TEXT NOT NULL, "city" TEXT))");
static_assert(ddl<sqlite, true>::create<Artist> == R"(CREATE TABLE IF NOT EXISTS "artist" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "city" TEXT))");
static_assert(ddl<postgres, true>::create<Artist> == R"(CREATE TABLE IF NOT EXISTS "artist" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" TEXT NOT NULL, "city" TEXT))");
static_assert(lite::drop<Artist> == R"(DROP TABLE "artist")" && pg::drop<Artist> == R"(DROP TABLE "artist")");
static_assert(ddl<sqlite, true>::drop<Artist> == R"(DROP TABLE IF EXISTS "artist")");
static_assert(ddl<postgres, true>::drop<Artist> == R"(DROP TABLE IF EXISTS "artist")");

// Table name, foreign key with ON DELETE, multi-column unique, default, check; indexes apart.
static_assert(lite::create<Album> == R"(CREATE TABLE "albums" ("id" INTEGER PRIMARY KEY, "artist_id" INTEGER NOT NULL, "title" TEXT NOT NULL, "year" INTEGER, "plays" INTEGER NOT NULL DEFAULT 0, UNIQUE ("artist_id", "title"), FOREIGN KEY ("artist_id") REFERENCES "artist" ("id") ON DELETE CASCADE, CHECK ("plays" >= 0)))");
static_assert(pg::create<Album> == R"(CREATE TABLE "albums" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "artist_id" BIGINT NOT NULL, "title" TEXT NOT NULL, "year" INTEGER, "plays" INTEGER NOT NULL DEFAULT 0, UNIQUE ("artist_id", "title"), FOREIGN KEY ("artist_id") REFERENCES "artist" ("id") ON DELETE CASCADE, CHECK ("plays" >= 0)))");
static_assert(lite::index<Album, 0> == R"(CREATE INDEX "ix_albums_year" ON "albums" ("year"))");
static_assert(pg::index<Album, 0> == R"(CREATE INDEX "ix_albums_year" ON "albums" ("year"))");
static_assert(lite::index<Album, 1> == R"(CREATE UNIQUE INDEX "ux_albums_title_year" ON "albums" ("title", "year"))");
static_assert(pg::index<Album, 1> == R"(CREATE UNIQUE INDEX "ux_albums_title_year" ON "albums" ("title", "year"))");
static_assert(ddl<sqlite, true>::index<Album, 1> == R"(CREATE UNIQUE INDEX IF NOT EXISTS "ux_albums_title_year" ON "albums" ("title", "year"))");
static_assert(ddl<postgres, true>::index<Album, 0> == R"(CREATE INDEX IF NOT EXISTS "ix_albums_year" ON "albums" ("year"))");
static_assert(lite::drop<Album> == R"(DROP TABLE "albums")");

// No `id` and no declared key: no primary key.
static_assert(lite::create<LogLine> == R"(CREATE TABLE "log_line" ("text" TEXT NOT NULL, "level" INTEGER NOT NULL))");
static_assert(pg::create<LogLine> == R"(CREATE TABLE "log_line" ("text" TEXT NOT NULL, "level" INTEGER NOT NULL))");

// A text `id` is the key, given by the program.
static_assert(lite::create<Country> == R"(CREATE TABLE "country" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL))");
static_assert(pg::create<Country> == R"(CREATE TABLE "country" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL))");

static_assert(lite::create<Isbn> == R"(CREATE TABLE "isbn" ("code" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL))");
static_assert(pg::create<Isbn> == R"(CREATE TABLE "isbn" ("code" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL))");

static_assert(lite::create<Membership> == R"(CREATE TABLE "membership" ("id" INTEGER NOT NULL, "group_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, PRIMARY KEY ("group_id", "user_id")))");
static_assert(pg::create<Membership> == R"(CREATE TABLE "membership" ("id" BIGINT NOT NULL, "group_id" BIGINT NOT NULL, "user_id" BIGINT NOT NULL, PRIMARY KEY ("group_id", "user_id")))");

static_assert(lite::create<Ticket> == R"(CREATE TABLE "ticket" ("code" TEXT NOT NULL UNIQUE, "number" INTEGER PRIMARY KEY))");
static_assert(pg::create<Ticket> == R"(CREATE TABLE "ticket" ("code" TEXT NOT NULL UNIQUE, "number" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY))");

static_assert(lite::create<Node> == R"(CREATE TABLE "node" ("id" INTEGER PRIMARY KEY, "parent_id" INTEGER, FOREIGN KEY ("parent_id") REFERENCES "node" ("id") ON DELETE SET NULL ON UPDATE RESTRICT))");
static_assert(pg::create<Node> == R"(CREATE TABLE "node" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "parent_id" BIGINT, FOREIGN KEY ("parent_id") REFERENCES "node" ("id") ON DELETE SET NULL ON UPDATE RESTRICT))");

static_assert(lite::create<Account> == R"(CREATE TABLE "account" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL UNIQUE, "handle" TEXT NOT NULL))");
static_assert(pg::index<Account, 0> == R"(CREATE UNIQUE INDEX "ux_account_handle" ON "account" ("handle"))");
static_assert(lite::create<Login> == R"(CREATE TABLE "login" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL, "handle" TEXT NOT NULL, "account_id" INTEGER, FOREIGN KEY ("email") REFERENCES "account" ("email"), FOREIGN KEY ("handle") REFERENCES "account" ("handle") ON UPDATE CASCADE, FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE SET DEFAULT))");
static_assert(pg::create<Login> == R"(CREATE TABLE "login" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "email" TEXT NOT NULL, "handle" TEXT NOT NULL, "account_id" BIGINT, FOREIGN KEY ("email") REFERENCES "account" ("email"), FOREIGN KEY ("handle") REFERENCES "account" ("handle") ON UPDATE CASCADE, FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE SET DEFAULT))");

static_assert(lite::create<Settings> == R"(CREATE TABLE "settings" ("id" INTEGER PRIMARY KEY, "enabled" BOOLEAN NOT NULL DEFAULT TRUE, "retries" INTEGER NOT NULL DEFAULT -3, "mode" INTEGER NOT NULL DEFAULT 1, "label" TEXT DEFAULT 'it''s', "created" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "big" INTEGER NOT NULL DEFAULT 9223372036854775807, "off" BOOLEAN NOT NULL DEFAULT FALSE))");
static_assert(pg::create<Settings> == R"(CREATE TABLE "settings" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "enabled" BOOLEAN NOT NULL DEFAULT TRUE, "retries" SMALLINT NOT NULL DEFAULT -3, "mode" INTEGER NOT NULL DEFAULT 1, "label" TEXT DEFAULT 'it''s', "created" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "big" BIGINT NOT NULL DEFAULT 9223372036854775807, "off" BOOLEAN NOT NULL DEFAULT FALSE))");

// Reserved words and a double quote in identifiers.
static_assert(lite::create<order> == R"(CREATE TABLE "order" ("id" INTEGER PRIMARY KEY, "select" TEXT NOT NULL, "user" TEXT NOT NULL, "group" TEXT NOT NULL, "from" TEXT))");
static_assert(pg::create<order> == R"(CREATE TABLE "order" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "select" TEXT NOT NULL, "user" TEXT NOT NULL, "group" TEXT NOT NULL, "from" TEXT))");
static_assert(lite::index<order, 0> == R"(CREATE INDEX "ix_order_group_select" ON "order" ("group", "select"))");
static_assert(pg::index<order, 1> == R"(CREATE UNIQUE INDEX "ux_order_user" ON "order" ("user"))");
static_assert(pg::drop<order> == R"(DROP TABLE "order")");
static_assert(lite::create<Weird> == R"(CREATE TABLE "we""ird" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL))");
static_assert(pg::create<Weird> == R"(CREATE TABLE "we""ird" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" TEXT NOT NULL))");
static_assert(pg::index<Weird, 0> == R"(CREATE INDEX "ix_we""ird_name" ON "we""ird" ("name"))");
static_assert(ddl<sqlite, true>::drop<Weird> == R"(DROP TABLE IF EXISTS "we""ird")");
// clang-format on

// create_statements: the table, then each index, in order.
static_assert(schema::create_statements<Album, sqlite>.size() == 3);
static_assert(schema::create_statements<Album, sqlite>[0] == lite::create<Album>);
static_assert(schema::create_statements<Album, sqlite>[2] == lite::index<Album, 1>);
static_assert(schema::create_statements<Artist, postgres>.size() == 1);
static_assert(schema::create_statements<order, postgres, true>[1] == ddl<postgres, true>::index<order, 0>);

// A 65-column table renders whole.
static_assert(lite::create<Wide>.starts_with(R"(CREATE TABLE "wide" ("id" INTEGER PRIMARY KEY, "f01" INTEGER NOT NULL, )"));
static_assert(pg::create<Wide>.ends_with(R"("f63" INTEGER NOT NULL, "last" TEXT))"));

} // namespace

TEST(Ddl, StructLocalToAFunction) {
    struct LocalThing {
        std::int64_t id;
        std::optional<double> score;
    };
    static_assert(lite::create<LocalThing> == R"(CREATE TABLE "local_thing" ("id" INTEGER PRIMARY KEY, "score"))");
    static_assert(pg::create<LocalThing> ==
                  R"(CREATE TABLE "local_thing" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "score" DOUBLE PRECISION))");
    EXPECT_EQ(lite::drop<LocalThing>, R"(DROP TABLE "local_thing")");
}

TEST(Ddl, TextIsUsableAtRunTime) {
    EXPECT_NE(std::string(pg::create<order>).find(R"("select" TEXT NOT NULL)"), std::string::npos);
    const auto statements = schema::create_statements<Album, postgres>;
    EXPECT_EQ(statements[1], R"(CREATE INDEX "ix_albums_year" ON "albums" ("year"))");
}
