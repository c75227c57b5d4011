// Database URL parsing: the forms create_engine accepts, and clear errors for the rest.
#include "crucible/engine/url.hpp"

#include <gtest/gtest.h>

using crucible::parse_url;

TEST(Url, SqliteForms) {
    EXPECT_EQ(parse_url("sqlite://").database, ":memory:");
    EXPECT_EQ(parse_url("sqlite:///:memory:").database, ":memory:");
    EXPECT_EQ(parse_url("sqlite:///relative.db").database, "relative.db");
    EXPECT_EQ(parse_url("sqlite:////absolute/path.db").database, "/absolute/path.db");
    EXPECT_EQ(parse_url("sqlite:///dir/a%20b.db").database, "dir/a b.db");
    // An SQLite URI filename is passed on whole, query included (SQLite reads it).
    EXPECT_EQ(parse_url("sqlite:///file:/bench-1?vfs=memdb").database, "file:/bench-1?vfs=memdb");
    EXPECT_EQ(parse_url("sqlite:///file:data.db?mode=ro&cache=shared").database, "file:data.db?mode=ro&cache=shared");
}

TEST(Url, PostgresFull) {
    const auto u = parse_url("postgresql://alice:s3cr%40t@db.example:6543/shop?sslmode=disable&application_name=x");
    EXPECT_EQ(u.scheme, "postgresql");
    EXPECT_EQ(u.username, "alice");
    EXPECT_EQ(u.password, "s3cr@t");
    EXPECT_EQ(u.host, "db.example");
    EXPECT_EQ(u.port, "6543");
    EXPECT_EQ(u.database, "shop");
    EXPECT_EQ(u.query.at("sslmode"), "disable");
    EXPECT_EQ(u.libpq_conninfo(),
              "user='alice' password='s3cr@t' host='db.example' port='6543' dbname='shop' "
              "application_name='x' sslmode='disable'");
    EXPECT_EQ(u.text.find("s3cr"), std::string::npos) << "the password is masked in the printable form";
}

TEST(Url, PostgresFromEnvironment) {
    const auto u = parse_url("postgresql://");
    EXPECT_EQ(u.libpq_conninfo(), "");
    EXPECT_EQ(parse_url("postgres://h/db").scheme, "postgresql");
    EXPECT_EQ(parse_url("postgresql://[::1]:5432/db").host, "::1");
    EXPECT_EQ(parse_url("postgresql://[::1]:5432/db").port, "5432");
}

TEST(Url, ErrorsSayWhatIsWrong) {
    try {
        parse_url("mysql://localhost/db");
        FAIL() << "expected an error";
    } catch (const crucible::programming_error& e) {
        EXPECT_NE(std::string(e.what()).find("unknown database URL scheme 'mysql'"), std::string::npos) << e.what();
    }
    try {
        parse_url("not a url");
        FAIL() << "expected an error";
    } catch (const crucible::programming_error& e) {
        EXPECT_NE(std::string(e.what()).find("malformed URL"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_url("postgresql://h:port/db"), crucible::programming_error);
    EXPECT_THROW(parse_url("sqlite:relative.db"), crucible::programming_error);
    EXPECT_THROW(parse_url("postgresql://h/db?novalue"), crucible::programming_error);
    EXPECT_THROW(parse_url("postgresql://h/d%zzb"), crucible::programming_error);
}
