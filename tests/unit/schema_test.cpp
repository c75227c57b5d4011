// Schema: table<T> from a struct and its options — names, column kinds, keys, constraints — at compile time.
#include "crucible/dialect/sqlite.hpp"
#include "crucible/schema/ddl.hpp"
#include "crucible/schema/schema.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "music_tables.hpp"

namespace schema = crucible::schema;
using crucible::fk_action;
using schema::column_kind;

namespace {

struct InAnonymousNamespace {
    std::int64_t id;
    std::string select;
};

} // namespace

namespace music {

enum Unscoped { unscoped_a };

// A nullable `id` is no key.
struct Draft {
    std::optional<std::int64_t> id;
};

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

// Two tables that reference each other.
struct Husband;
struct Wife;
struct Husband {
    std::int64_t id;
    std::optional<std::int64_t> wife_id;
};
struct Wife {
    std::int64_t id;
    std::optional<std::int64_t> husband_id;
};
constexpr auto crucible_table(crucible::table_tag<Husband>) {
    return crucible::table_options{crucible::foreign_key<&Husband::wife_id, &Wife::id>};
}
constexpr auto crucible_table(crucible::table_tag<Wife>) {
    return crucible::table_options{crucible::foreign_key<&Wife::husband_id, &Husband::id>};
}

struct Login {
    std::int64_t id;
    std::string email;
    std::string handle;
};
constexpr auto crucible_table(crucible::table_tag<Login>) {
    return crucible::table_options{crucible::foreign_key<&Login::email, &Account::email>,
                                   crucible::foreign_key<&Login::handle, &Account::handle>.on_update(fk_action::cascade)};
}

struct Settings {
    std::int64_t id;
    bool enabled;
    std::int16_t retries;
    Mid mode;
    std::optional<std::string> label;
    micros created;
};
constexpr auto crucible_table(crucible::table_tag<Settings>) {
    return crucible::table_options{
        crucible::default_value<&Settings::enabled, true>,
        crucible::default_value<&Settings::retries, -3>,
        crucible::default_value<&Settings::mode, Mid::b>,
        crucible::default_text<&Settings::label, "it's">,
        crucible::default_sql<&Settings::created, "CURRENT_TIMESTAMP">,
    };
}

template <class T>
struct Box {
    T inner;
};

struct HTTPServerConfig {
    std::int32_t id;
};

// 70 fields: beyond 64.
struct Wide {
    std::int64_t id;
    int f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19;
    int f20, f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31, f32, f33, f34, f35, f36, f37, f38, f39;
    int f40, f41, f42, f43, f44, f45, f46, f47, f48, f49, f50, f51, f52, f53, f54, f55, f56, f57, f58, f59;
    int f60, f61, f62, f63, f64, f65, f66, f67, f68;
    std::optional<std::string> last;
};

} // namespace music

// `order` is no C++ keyword, but an SQL one; so are its fields.
struct order {
    std::int64_t id;
    std::string select;
    std::string user;
    std::string group;
    std::optional<std::string> from;
};

struct Weird {
    std::int64_t id;
};
constexpr auto crucible_table(crucible::table_tag<Weird>) {
    return crucible::table_options{crucible::table_name("we\"ird")};
}

namespace {

using namespace music;

template <auto Column>
constexpr const schema::column_info& column = schema::table<crucible::reflect::class_of<Column>>::columns[crucible::reflect::index_of<Column>];

template <class T>
constexpr std::size_t key_size = schema::table<T>::description.primary_key.size;

template <class T>
constexpr std::size_t key_at(std::size_t i) {
    return schema::table<T>::description.primary_key.at[i];
}

// ---- value types -------------------------------------------------------------------------------

static_assert(schema::kind_of<bool> == column_kind::boolean);
static_assert(schema::kind_of<std::int8_t> == column_kind::int8);
static_assert(schema::kind_of<signed char> == column_kind::int8);
static_assert(schema::kind_of<std::int16_t> == column_kind::int16);
static_assert(schema::kind_of<std::int32_t> == column_kind::int32);
static_assert(schema::kind_of<std::int64_t> == column_kind::int64);
static_assert(schema::kind_of<long long> == column_kind::int64);
static_assert(schema::kind_of<std::uint8_t> == column_kind::uint8);
static_assert(schema::kind_of<std::uint16_t> == column_kind::uint16);
static_assert(schema::kind_of<std::uint32_t> == column_kind::uint32);
static_assert(schema::kind_of<std::uint64_t> == column_kind::uint64);
static_assert(schema::kind_of<unsigned long long> == column_kind::uint64);
static_assert(schema::kind_of<float> == column_kind::real32);
static_assert(schema::kind_of<double> == column_kind::real64);
static_assert(schema::kind_of<std::string> == column_kind::text);
static_assert(schema::kind_of<std::vector<std::byte>> == column_kind::blob);
static_assert(schema::kind_of<std::vector<unsigned char>> == column_kind::blob);
static_assert(schema::kind_of<micros> == column_kind::timestamp);
static_assert(schema::kind_of<seconds> == column_kind::timestamp);
static_assert(schema::kind_of<std::chrono::sys_days> == column_kind::timestamp);
static_assert(schema::kind_of<Tiny> == column_kind::int8);
static_assert(schema::kind_of<Mid> == column_kind::int32);
static_assert(schema::kind_of<Big> == column_kind::int64);
static_assert(schema::kind_of<std::optional<Big>> == column_kind::int64);
static_assert(schema::kind_of<std::optional<std::string>> == column_kind::text);

static_assert(schema::is_nullable<std::optional<int>>);
static_assert(!schema::is_nullable<int>);

static_assert(!schema::column_value<char>);
static_assert(!schema::column_value<wchar_t>);
static_assert(!schema::column_value<char8_t>);
static_assert(!schema::column_value<Unscoped>);
static_assert(!schema::column_value<long double>);
static_assert(!schema::column_value<const char*>);
static_assert(!schema::column_value<std::string_view>);
static_assert(!schema::column_value<std::vector<int>>);
static_assert(!schema::column_value<std::vector<char>>);
static_assert(!schema::column_value<std::complex<double>>);
static_assert(!schema::column_value<std::map<std::string, int>>);
static_assert(!schema::column_value<std::optional<std::optional<int>>>);
static_assert(!schema::column_value<Artist>);
static_assert(!schema::column_value<std::optional<Artist>>);

// ---- every column type, in a table -------------------------------------------------------------

static_assert(schema::table<AllTypes>::column_count == 38);
static_assert(column<&AllTypes::b>.kind == column_kind::boolean);
static_assert(column<&AllTypes::i8>.kind == column_kind::int8);
static_assert(column<&AllTypes::u64>.kind == column_kind::uint64);
static_assert(column<&AllTypes::uchars>.kind == column_kind::blob);
static_assert(column<&AllTypes::at_s>.kind == column_kind::timestamp);
static_assert(column<&AllTypes::e8>.kind == column_kind::int8);
static_assert(column<&AllTypes::e64>.kind == column_kind::int64);
static_assert(column<&AllTypes::oe32>.kind == column_kind::int32);
static_assert(column<&AllTypes::ouchars>.kind == column_kind::blob);
static_assert(!column<&AllTypes::b>.nullable && !column<&AllTypes::e64>.nullable);
static_assert(column<&AllTypes::ob>.nullable && column<&AllTypes::oe64>.nullable && column<&AllTypes::oat_s>.nullable);
static_assert(!schema::table<AllTypes>::has_primary_key);
static_assert(schema::table<AllTypes>::autoincrement_column == 38);

// Each optional field has the kind of its plain twin, 19 fields earlier.
static_assert([] {
    const auto& c = schema::table<AllTypes>::columns;
    for (std::size_t i = 0; i < 19; ++i) {
        if (c[i].kind != c[i + 19].kind || c[i].nullable || !c[i + 19].nullable) {
            return false;
        }
    }
    return true;
}());

// ---- table names -------------------------------------------------------------------------------

static_assert(schema::table<Artist>::name == "artist");
static_assert(schema::table<HTTPServerConfig>::name == "http_server_config");
static_assert(schema::table<AllTypes>::name == "all_types");
static_assert(schema::table<Album>::name == "albums");
static_assert(schema::table<Box<int>>::name == "box");
static_assert(schema::table<InAnonymousNamespace>::name == "in_anonymous_namespace");
static_assert(schema::table<order>::name == "order");
static_assert(schema::table<Weird>::name == "we\"ird");
static_assert(schema::detail::snake_case("TodoItem") == "todo_item");
static_assert(schema::detail::snake_case("HTTPServer") == "http_server");
static_assert(schema::detail::snake_case("already_snake") == "already_snake");
static_assert(schema::detail::snake_case("A") == "a");
static_assert(schema::detail::own_name("music::Artist") == "Artist");
static_assert(schema::detail::own_name("{anonymous}::Artist") == "Artist");
static_assert(schema::detail::own_name("music::Box<music::Artist>") == "Box");
static_assert(schema::detail::own_name("int main()::<lambda()>::Local") == "Local");
static_assert(schema::detail::own_name("void f(std::vector<int>)::Local") == "Local");
static_assert(schema::detail::own_name("Plain") == "Plain");

// ---- columns and keys --------------------------------------------------------------------------

static_assert(schema::table<Artist>::column_count == 3);
static_assert(column<&Artist::id>.name == "id");
static_assert(column<&Artist::id>.primary_key && column<&Artist::id>.autoincrement);
static_assert(!column<&Artist::name>.nullable && column<&Artist::city>.nullable);
static_assert(schema::table<Artist>::autoincrement_column == 0);
static_assert(key_size<Artist> == 1 && key_at<Artist>(0) == 0);

static_assert(!schema::table<LogLine>::has_primary_key);
static_assert(schema::table<LogLine>::autoincrement_column == schema::table<LogLine>::column_count);

static_assert(column<&Country::id>.primary_key && !column<&Country::id>.autoincrement);
static_assert(schema::table<Country>::autoincrement_column == 2);

static_assert(!schema::table<Draft>::has_primary_key && column<&Draft::id>.nullable);

static_assert(key_size<Isbn> == 1 && column<&Isbn::code>.primary_key && !column<&Isbn::code>.autoincrement);

static_assert(key_size<Membership> == 2 && key_at<Membership>(0) == 1 && key_at<Membership>(1) == 2);
static_assert(!column<&Membership::id>.primary_key && !column<&Membership::id>.autoincrement);
static_assert(column<&Membership::group_id>.primary_key && column<&Membership::user_id>.primary_key);
static_assert(schema::table<Membership>::autoincrement_column == 3);

static_assert(column<&Ticket::number>.autoincrement && column<&Ticket::number>.primary_key);
static_assert(schema::table<Ticket>::autoincrement_column == 1);
static_assert(column<&Ticket::code>.unique && !column<&Ticket::code>.primary_key);

// ---- unique, index, check, default -------------------------------------------------------------

static_assert(schema::table<Album>::description.unique_count == 1);
static_assert(schema::table<Album>::description.uniques[0].size == 2);
static_assert(schema::table<Album>::description.uniques[0].at[0] == 1 && schema::table<Album>::description.uniques[0].at[1] == 2);
static_assert(!column<&Album::artist_id>.unique && !column<&Album::title>.unique);
static_assert(schema::table<Album>::description.index_count == 2);
static_assert(!schema::table<Album>::description.indexes[0].unique);
static_assert(schema::table<Album>::description.indexes[0].columns.size == 1);
static_assert(schema::table<Album>::description.indexes[0].columns.at[0] == 3);
static_assert(schema::table<Album>::description.indexes[1].unique);
static_assert(schema::table<Album>::description.indexes[1].columns.size == 2);
static_assert(schema::table<Album>::description.check_count == 1);
static_assert(schema::table<Album>::description.checks[0] == "\"plays\" >= 0");
static_assert(column<&Album::plays>.default_sql == "0");
static_assert(column<&Album::title>.default_sql.empty());

static_assert(column<&Settings::enabled>.default_sql == "TRUE");
static_assert(column<&Settings::retries>.default_sql == "-3");
static_assert(column<&Settings::mode>.default_sql == "1");
static_assert(column<&Settings::label>.default_sql == "'it''s'");
static_assert(column<&Settings::created>.default_sql == "CURRENT_TIMESTAMP");

// ---- foreign keys ------------------------------------------------------------------------------

static_assert(schema::table<Album>::description.foreign_key_count == 1);
static_assert(schema::table<Album>::description.foreign_keys[0].column == 1);
static_assert(schema::table<Album>::description.foreign_keys[0].table == "artist");
static_assert(schema::table<Album>::description.foreign_keys[0].referenced_column == "id");
static_assert(schema::table<Album>::description.foreign_keys[0].on_delete == fk_action::cascade);
static_assert(schema::table<Album>::description.foreign_keys[0].on_update == fk_action::no_action);

static_assert(schema::table<Node>::description.foreign_keys[0].table == "node");
static_assert(schema::table<Node>::description.foreign_keys[0].on_delete == fk_action::set_null);
static_assert(schema::table<Node>::description.foreign_keys[0].on_update == fk_action::restrict);

static_assert(schema::table<Husband>::description.foreign_keys[0].table == "wife");
static_assert(schema::table<Wife>::description.foreign_keys[0].table == "husband");

static_assert(schema::table<Login>::description.foreign_key_count == 2);
static_assert(schema::table<Login>::description.foreign_keys[0].referenced_column == "email");
static_assert(schema::table<Login>::description.foreign_keys[1].referenced_column == "handle");
static_assert(schema::table<Login>::description.foreign_keys[1].on_update == fk_action::cascade);

// ---- reserved words, odd identifiers, wide structs ---------------------------------------------

static_assert(column<&order::select>.name == "select");
static_assert(column<&order::user>.name == "user");
static_assert(column<&order::group>.name == "group");
static_assert(column<&order::from>.name == "from" && column<&order::from>.nullable);
static_assert(column<&order::id>.autoincrement);

static_assert(schema::table<Wide>::column_count == 70);
static_assert(column<&Wide::id>.autoincrement);
static_assert(column<&Wide::f68>.name == "f68");
static_assert(column<&Wide::last>.name == "last" && column<&Wide::last>.nullable);

static_assert(schema::table<InAnonymousNamespace>::columns[1].name == "select");
static_assert(schema::table<InAnonymousNamespace>::has_primary_key);

} // namespace

namespace member_options {
// Options declared inside the struct: found wherever the struct is, even where a free
// crucible_table beside it would not be (a struct local to a function, below).
struct Track {
    std::int64_t id;
    std::string title;
    std::int64_t album_id;
    static constexpr auto crucible_table() {
        return crucible::table_options{crucible::table_name("tracks"), crucible::unique<&Track::album_id, &Track::title>};
    }
};
} // namespace member_options

TEST(Schema, OptionsDeclaredInsideTheStruct) {
    using member_options::Track;
    static_assert(schema::table<Track>::name == "tracks");
    static_assert(schema::table<Track>::column_count == 3, "a static member function is no column");
    EXPECT_EQ(schema::table<Track>::description.unique_count, 1U);
    struct Local {
        std::int64_t id;
        std::string code;
        static constexpr auto crucible_table() {
            return crucible::table_options{crucible::table_name("locals"), crucible::unique<&Local::code>};
        }
    };
    static_assert(schema::table<Local>::name == "locals");
    EXPECT_TRUE(schema::table<Local>::columns[1].unique);
    EXPECT_EQ(std::string(schema::create_table_sql<Local, crucible::dialect::sqlite>),
              R"(CREATE TABLE "locals" ("id" INTEGER PRIMARY KEY, "code" TEXT NOT NULL UNIQUE))");
}

TEST(Schema, StructLocalToAFunction) {
    struct LocalThing {
        std::int64_t id;
        std::optional<double> score;
    };
    static_assert(schema::table<LocalThing>::name == "local_thing");
    static_assert(schema::table<LocalThing>::columns[0].autoincrement);
    static_assert(schema::table<LocalThing>::columns[1].kind == column_kind::real64);
    static_assert(schema::table<LocalThing>::columns[1].nullable);
    EXPECT_EQ(schema::table<LocalThing>::columns[1].name, "score");
}

TEST(Schema, StructLocalToALambda) {
    auto make = [] {
        struct InLambda {
            std::string id;
        };
        return InLambda{};
    };
    using in_lambda = decltype(make());
    static_assert(schema::table<in_lambda>::name == "in_lambda");
    static_assert(schema::table<in_lambda>::columns[0].primary_key);
    EXPECT_EQ(schema::table<in_lambda>::name, "in_lambda");
}

TEST(Schema, DescriptionIsUsableAtRunTime) {
    const auto& album = schema::table<Album>::description;
    EXPECT_EQ(album.columns[2].name, "title");
    EXPECT_EQ(album.foreign_keys[0].table, "artist");
    EXPECT_EQ(std::string(schema::table<Weird>::name), "we\"ird");
}
