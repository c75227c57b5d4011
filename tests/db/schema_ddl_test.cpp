// The DDL of table<T>, executed on real SQLite and PostgreSQL through their drivers, then read back
// from each catalogue: columns, types, nullability, keys, uniques, indexes, defaults, foreign keys.
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/schema.hpp"

#include "music_tables.hpp"
#include "postgres_env.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace schema = crucible::schema;
using crucible::fk_action;
using namespace music;  // AllTypes, Artist, Album and their enums (tests/support)

// ---- the tables --------------------------------------------------------------------------------

struct Ticket {
    std::string code;
    std::int32_t number;
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
        crucible::foreign_key<&Login::email, &Account::email>.on_delete(fk_action::restrict),
        crucible::foreign_key<&Login::handle, &Account::handle>.on_update(fk_action::cascade),
        crucible::foreign_key<&Login::account_id, &Account::id>.on_delete(fk_action::set_default),
    };
}

struct Settings {
    std::int64_t id;
    bool enabled;
    std::int16_t retries;
    Mid mode;
    std::optional<std::string> label;
    micros created;
    std::optional<std::string> note;
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

struct Wide {
    std::int64_t id;
    int f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20;
    int f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31, f32, f33, f34, f35, f36, f37, f38, f39, f40;
    int f41, f42, f43, f44, f45, f46, f47, f48, f49, f50, f51, f52, f53, f54, f55, f56, f57, f58, f59, f60;
    int f61, f62, f63;
    std::optional<std::string> last;
};

// ---- what a catalogue says, the same shape for both backends -----------------------------------

using text_row = std::vector<std::optional<std::string>>;
using text_rows = std::vector<text_row>;

struct column_facts {
    std::string name;
    std::string type;  // as the dialect spells it
    bool not_null = false;
    bool has_default = false;
    bool assigned_by_database = false;  // SQLite rowid alias, PostgreSQL identity
};

struct index_facts {
    std::string name;
    std::vector<std::string> columns;
    bool unique = false;
    bool primary = false;
};

struct foreign_key_facts {
    std::string column;
    std::string table;
    std::string referenced_column;
    std::string on_delete;  // "CASCADE", "SET NULL", "NO ACTION", ...
    std::string on_update;
    auto operator<=>(const foreign_key_facts&) const = default;
};
std::ostream& operator<<(std::ostream& out, const foreign_key_facts& key) {
    return out << key.column << " -> " << key.table << "." << key.referenced_column << " ON DELETE " << key.on_delete
               << " ON UPDATE " << key.on_update;
}

std::string sql_literal(std::string_view text) {
    std::string out;
    crucible::dialect::detail::append_quoted(out, text, '\'');
    return out;
}

// SQLite in memory, foreign keys enforced, through SQLiteCpp.
class sqlite_db {
public:
    using dialect = crucible::dialect::sqlite;
    static constexpr bool is_postgres = false;

    sqlite_db() : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) { exec("PRAGMA foreign_keys = ON"); }

    void exec(std::string_view sql) { db_.exec(std::string(sql)); }

    // True when the database refuses the statement for a constraint; any other error is thrown.
    bool rejects(std::string_view sql) {
        try {
            exec(sql);
            return false;
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_CONSTRAINT) {
                return true;
            }
            throw;
        }
    }

    text_rows query(std::string_view sql) {
        SQLite::Statement statement(db_, std::string(sql));
        text_rows rows;
        while (statement.executeStep()) {
            text_row row;
            for (int i = 0; i < statement.getColumnCount(); ++i) {
                const SQLite::Column value = statement.getColumn(i);
                row.push_back(value.isNull() ? std::nullopt : std::optional<std::string>(value.getString()));
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

    bool table_exists(std::string_view table) {
        return !query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = " + sql_literal(table)).empty();
    }

    std::vector<column_facts> columns(std::string_view table) {
        const auto rows = query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(" +
                                sql_literal(table) + ") ORDER BY cid");
        const auto key_columns = std::count_if(rows.begin(), rows.end(), [](const text_row& r) { return *r[4] != "0"; });
        std::vector<column_facts> out;
        for (const auto& r : rows) {
            // An INTEGER PRIMARY KEY alone is the rowid: never NULL, assigned when left out.
            const bool rowid = *r[4] == "1" && key_columns == 1 && *r[1] == "INTEGER";
            out.push_back({*r[0], *r[1], *r[2] == "1" || rowid, r[3].has_value(), rowid});
        }
        return out;
    }

    std::vector<std::string> primary_key(std::string_view table) {
        std::vector<std::string> out;
        for (const auto& r :
             query("SELECT name FROM pragma_table_info(" + sql_literal(table) + ") WHERE pk > 0 ORDER BY pk")) {
            out.push_back(*r[0]);
        }
        return out;
    }

    std::vector<index_facts> indexes(std::string_view table) {
        std::vector<index_facts> out;
        for (const auto& r : query("SELECT name, \"unique\", origin FROM pragma_index_list(" + sql_literal(table) +
                                   ") ORDER BY name")) {
            index_facts index{*r[0], {}, *r[1] == "1", *r[2] == "pk"};
            for (const auto& c :
                 query("SELECT name FROM pragma_index_info(" + sql_literal(index.name) + ") ORDER BY seqno")) {
                index.columns.push_back(*c[0]);
            }
            out.push_back(std::move(index));
        }
        return out;
    }

    std::vector<foreign_key_facts> foreign_keys(std::string_view table) {
        std::vector<foreign_key_facts> out;
        for (const auto& r : query("SELECT \"from\", \"table\", \"to\", on_delete, on_update FROM pragma_foreign_key_list(" +
                                   sql_literal(table) + ")")) {
            out.push_back({*r[0], *r[1], *r[2], *r[3], *r[4]});
        }
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    SQLite::Database db_;
};

// PostgreSQL through libpqxx, every test in a fresh schema of its own.
class postgres_db {
public:
    using dialect = crucible::dialect::postgres;
    static constexpr bool is_postgres = true;

    postgres_db() : conn_(crucible::testing::postgres_conninfo()) {
        exec("SET client_min_messages = warning");
        exec("DROP SCHEMA IF EXISTS crucible_schema_ddl_test CASCADE");
        exec("CREATE SCHEMA crucible_schema_ddl_test");
        exec("SET search_path TO crucible_schema_ddl_test");
    }
    ~postgres_db() {
        try {
            exec("DROP SCHEMA IF EXISTS crucible_schema_ddl_test CASCADE");
        } catch (...) {
        }
    }
    postgres_db(const postgres_db&) = delete;
    postgres_db& operator=(const postgres_db&) = delete;

    void exec(std::string_view sql) {
        pqxx::nontransaction tx(conn_);
        tx.exec(std::string(sql));
    }

    bool rejects(std::string_view sql) {
        try {
            exec(sql);
            return false;
        } catch (const pqxx::integrity_constraint_violation&) {
            return true;
        }
    }

    text_rows query(std::string_view sql) {
        pqxx::nontransaction tx(conn_);
        const pqxx::result result = tx.exec(std::string(sql));
        text_rows rows;
        for (const auto& row : result) {
            text_row out;
            for (const auto& field : row) {
                out.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
            }
            rows.push_back(std::move(out));
        }
        return rows;
    }

    bool table_exists(std::string_view table) {
        return !query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = " +
                      sql_literal(table))
                    .empty();
    }

    std::vector<column_facts> columns(std::string_view table) {
        std::vector<column_facts> out;
        for (const auto& r : query("SELECT column_name, upper(data_type), is_nullable, column_default, is_identity "
                                   "FROM information_schema.columns WHERE table_schema = current_schema() AND "
                                   "table_name = " +
                                   sql_literal(table) + " ORDER BY ordinal_position")) {
            std::string type = *r[1];
            if (type == "TIMESTAMP WITHOUT TIME ZONE") {
                type = "TIMESTAMP";
            }
            const bool identity = *r[4] == "YES";
            out.push_back({*r[0], type, *r[2] == "NO", r[3].has_value(), identity});
        }
        return out;
    }

    std::vector<std::string> primary_key(std::string_view table) {
        std::vector<std::string> out;
        for (const auto& r : query("SELECT k.column_name FROM information_schema.table_constraints c "
                                   "JOIN information_schema.key_column_usage k ON k.constraint_schema = "
                                   "c.constraint_schema AND k.constraint_name = c.constraint_name "
                                   "WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() "
                                   "AND c.table_name = " +
                                   sql_literal(table) + " ORDER BY k.ordinal_position")) {
            out.push_back(*r[0]);
        }
        return out;
    }

    // information_schema has no indexes; pg_index has constraints' and CREATE INDEX's alike.
    std::vector<index_facts> indexes(std::string_view table) {
        std::vector<index_facts> out;
        for (const auto& r : query("SELECT i.relname, x.indisunique, x.indisprimary, "
                                   "array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY "
                                   "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = "
                                   "k.attnum ORDER BY k.n), ',') "
                                   "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                                   "JOIN pg_class t ON t.oid = x.indrelid "
                                   "WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
                                   "AND t.relname = " +
                                   sql_literal(table) + " ORDER BY i.relname")) {
            index_facts index{*r[0], {}, *r[1] == "t", *r[2] == "t"};
            const std::string& names = *r[3];
            for (std::size_t start = 0; start <= names.size();) {
                const std::size_t end = std::min(names.find(',', start), names.size());
                index.columns.push_back(names.substr(start, end - start));
                start = end + 1;
            }
            out.push_back(std::move(index));
        }
        return out;
    }

    std::vector<foreign_key_facts> foreign_keys(std::string_view table) {
        std::vector<foreign_key_facts> out;
        for (const auto& r : query("SELECT k.column_name, u.table_name, u.column_name, r.delete_rule, r.update_rule "
                                   "FROM information_schema.referential_constraints r "
                                   "JOIN information_schema.key_column_usage k ON k.constraint_schema = "
                                   "r.constraint_schema AND k.constraint_name = r.constraint_name "
                                   "JOIN information_schema.constraint_column_usage u ON u.constraint_schema = "
                                   "r.constraint_schema AND u.constraint_name = r.constraint_name "
                                   "WHERE k.table_schema = current_schema() AND k.table_name = " +
                                   sql_literal(table))) {
            out.push_back({*r[0], *r[1], *r[2], *r[3], *r[4]});
        }
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    pqxx::connection conn_;
};

std::string action_name(fk_action action) {
    switch (action) {
        case fk_action::restrict:
            return "RESTRICT";
        case fk_action::cascade:
            return "CASCADE";
        case fk_action::set_null:
            return "SET NULL";
        case fk_action::set_default:
            return "SET DEFAULT";
        case fk_action::no_action:
            break;
    }
    return "NO ACTION";
}

// ---- the behaviour, written once ---------------------------------------------------------------

template <class Db>
class SchemaDdl : public ::testing::Test {
protected:
    using dialect = typename Db::dialect;

    void SetUp() override {
        if constexpr (Db::is_postgres) {
            CRUCIBLE_NEED_POSTGRES();
        }
        db_ = std::make_unique<Db>();
    }

    Db& db() { return *db_; }

    template <class T>
    void create() {
        for (const std::string_view statement : schema::create_statements<T, dialect>) {
            SCOPED_TRACE(statement);
            ASSERT_NO_THROW(db().exec(statement));
        }
    }

    template <class T>
    void drop() {
        db().exec(schema::drop_table_sql<T, dialect>);
        EXPECT_FALSE(db().table_exists(schema::table<T>::name));
    }

    // Everything table<T> declares, compared with what the database's catalogue reports.
    template <class T>
    void expect_as_declared() {
        using info = schema::table<T>;
        const auto& d = info::description;
        const std::string name(info::name);
        SCOPED_TRACE("table " + name);
        ASSERT_TRUE(db().table_exists(name));

        const auto columns = db().columns(name);
        ASSERT_EQ(columns.size(), info::column_count);
        for (std::size_t i = 0; i < info::column_count; ++i) {
            const schema::column_info& declared = d.columns[i];
            SCOPED_TRACE("column " + std::string(declared.name));
            EXPECT_EQ(columns[i].name, declared.name);
            EXPECT_EQ(columns[i].type, dialect::column_type(declared.kind));
            EXPECT_EQ(columns[i].not_null, !declared.nullable || declared.primary_key);
            EXPECT_EQ(columns[i].has_default, !declared.default_sql.empty());
            EXPECT_EQ(columns[i].assigned_by_database, declared.autoincrement);
        }

        std::vector<std::string> key;
        for (std::size_t i = 0; i < d.primary_key.size; ++i) {
            key.emplace_back(d.columns[d.primary_key.at[i]].name);
        }
        EXPECT_EQ(db().primary_key(name), key);

        // Unique column sets: UNIQUE on a column, multi-column UNIQUE, unique indexes, and (where the
        // database keeps one) the primary key's index.
        auto names_of = [&](const schema::column_list& list) {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < list.size; ++i) {
                out.emplace_back(d.columns[list.at[i]].name);
            }
            return out;
        };
        std::vector<std::vector<std::string>> declared_unique;
        for (std::size_t i = 0; i < info::column_count; ++i) {
            if (d.columns[i].unique) {
                declared_unique.push_back({std::string(d.columns[i].name)});
            }
        }
        for (std::size_t u = 0; u < d.unique_count; ++u) {
            declared_unique.push_back(names_of(d.uniques[u]));
        }
        std::vector<std::vector<std::string>> found_unique;
        const auto indexes = db().indexes(name);
        for (const index_facts& index : indexes) {
            if (index.unique && !index.primary) {
                found_unique.push_back(index.columns);
            }
        }
        for (std::size_t i = 0; i < d.index_count; ++i) {
            const std::string index_name(std::string_view(schema::detail::index_name<T>(d.indexes[i])));
            SCOPED_TRACE("index " + index_name);
            const auto found = std::find_if(indexes.begin(), indexes.end(),
                                            [&](const index_facts& index) { return index.name == index_name; });
            ASSERT_NE(found, indexes.end());
            EXPECT_EQ(found->columns, names_of(d.indexes[i].columns));
            EXPECT_EQ(found->unique, d.indexes[i].unique);
            if (d.indexes[i].unique) {
                declared_unique.push_back(names_of(d.indexes[i].columns));
            }
        }
        std::sort(declared_unique.begin(), declared_unique.end());
        std::sort(found_unique.begin(), found_unique.end());
        EXPECT_EQ(found_unique, declared_unique);

        std::vector<foreign_key_facts> keys;
        for (std::size_t f = 0; f < d.foreign_key_count; ++f) {
            const schema::foreign_key_info& k = d.foreign_keys[f];
            keys.push_back({std::string(d.columns[k.column].name), std::string(k.table),
                            std::string(k.referenced_column), action_name(k.on_delete), action_name(k.on_update)});
        }
        std::sort(keys.begin(), keys.end());
        EXPECT_EQ(db().foreign_keys(name), keys);
    }

    std::string count(std::string_view from_where) {
        return *db().query("SELECT COUNT(*) FROM " + std::string(from_where)).at(0).at(0);
    }

private:
    std::unique_ptr<Db> db_;
};

using backends = ::testing::Types<sqlite_db, postgres_db>;
class backend_names {
public:
    template <class Db>
    static std::string GetName(int) {
        return Db::is_postgres ? "postgres" : "sqlite";
    }
};
TYPED_TEST_SUITE(SchemaDdl, backends, backend_names);

TYPED_TEST(SchemaDdl, EveryColumnType) {
    this->template create<AllTypes>();
    this->template expect_as_declared<AllTypes>();
    const std::string blob = TypeParam::is_postgres ? "'\\x00ff'::bytea" : "x'00ff'";
    this->db().exec(
        "INSERT INTO \"all_types\" (\"b\", \"i8\", \"i16\", \"i32\", \"i64\", \"u8\", \"u16\", \"u32\", \"u64\", \"f\", "
        "\"d\", \"s\", \"bytes\", \"uchars\", \"at_us\", \"at_s\", \"e8\", \"e32\", \"e64\") VALUES (TRUE, -128, -32768, "
        "-2147483648, -9223372036854775808, 255, 65535, 4294967295, 9223372036854775807, 1.5, 2.25, 'x', " +
        blob + ", " + blob + ", '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05', 1, 2, 3)");
    EXPECT_TRUE(this->db().rejects("INSERT INTO \"all_types\" (\"b\") VALUES (TRUE)"));
    EXPECT_EQ(this->count("\"all_types\" WHERE \"ob\" IS NULL AND \"u32\" = 4294967295"), "1");
    this->template drop<AllTypes>();
}

TYPED_TEST(SchemaDdl, KeysUniquesIndexesAndCascadingForeignKey) {
    this->template create<Artist>();
    this->template create<Album>();
    this->template expect_as_declared<Artist>();
    this->template expect_as_declared<Album>();

    auto& db = this->db();
    db.exec("INSERT INTO \"artist\" (\"name\") VALUES ('Nina')");
    db.exec("INSERT INTO \"artist\" (\"name\", \"city\") VALUES ('Miles', 'Alton')");
    EXPECT_EQ(this->count("\"artist\" WHERE \"id\" IN (1, 2)"), "2");  // assigned by the database
    db.exec("INSERT INTO \"albums\" (\"artist_id\", \"title\", \"year\") VALUES (1, 'Pastel Blues', 1965)");
    db.exec("INSERT INTO \"albums\" (\"artist_id\", \"title\") VALUES (1, 'Wild Is the Wind')");
    db.exec("INSERT INTO \"albums\" (\"artist_id\", \"title\", \"year\") VALUES (2, 'Kind of Blue', 1959)");
    EXPECT_EQ(this->count("\"albums\" WHERE \"plays\" = 0"), "3");  // DEFAULT 0
    // UNIQUE (artist_id, title), the unique index on (title, year), CHECK, NOT NULL, the foreign key.
    EXPECT_TRUE(db.rejects("INSERT INTO \"albums\" (\"artist_id\", \"title\") VALUES (1, 'Pastel Blues')"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"albums\" (\"artist_id\", \"title\", \"year\") VALUES (2, 'Pastel Blues', 1965)"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"albums\" (\"artist_id\", \"title\", \"plays\") VALUES (2, 'Milestones', -1)"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"albums\" (\"artist_id\") VALUES (2)"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"albums\" (\"artist_id\", \"title\") VALUES (99, 'Nobody')"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"artist\" (\"id\", \"name\") VALUES (1, 'Again')"));

    db.exec("DELETE FROM \"artist\" WHERE \"id\" = 1");  // ON DELETE CASCADE
    EXPECT_EQ(this->count("\"albums\""), "1");
    EXPECT_EQ(this->count("\"albums\" WHERE \"artist_id\" = 2"), "1");

    this->template drop<Album>();
    this->template drop<Artist>();
}

TYPED_TEST(SchemaDdl, TablesWithoutTheIdDefault) {
    this->template create<LogLine>();
    this->template create<Country>();
    this->template create<Membership>();
    this->template create<Ticket>();
    this->template expect_as_declared<LogLine>();
    this->template expect_as_declared<Country>();
    this->template expect_as_declared<Membership>();
    this->template expect_as_declared<Ticket>();

    auto& db = this->db();
    db.exec("INSERT INTO \"log_line\" VALUES ('same', 1)");
    db.exec("INSERT INTO \"log_line\" VALUES ('same', 1)");  // no key: duplicates are fine
    db.exec("INSERT INTO \"country\" VALUES ('fr', 'France')");
    EXPECT_TRUE(db.rejects("INSERT INTO \"country\" VALUES ('fr', 'Francia')"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"country\" (\"name\") VALUES ('Nowhere')"));  // text key: not assigned
    db.exec("INSERT INTO \"membership\" VALUES (1, 10, 20)");
    db.exec("INSERT INTO \"membership\" VALUES (1, 10, 21)");  // `id` is no key here
    EXPECT_TRUE(db.rejects("INSERT INTO \"membership\" VALUES (2, 10, 20)"));
    db.exec("INSERT INTO \"ticket\" (\"code\") VALUES ('a')");
    db.exec("INSERT INTO \"ticket\" (\"code\") VALUES ('b')");
    EXPECT_EQ(this->count("\"ticket\" WHERE \"number\" IN (1, 2)"), "2");
    EXPECT_TRUE(db.rejects("INSERT INTO \"ticket\" (\"code\") VALUES ('a')"));

    this->template drop<LogLine>();
    this->template drop<Country>();
    this->template drop<Membership>();
    this->template drop<Ticket>();
}

TYPED_TEST(SchemaDdl, SelfReferenceSetsNullOnDelete) {
    this->template create<Node>();
    this->template expect_as_declared<Node>();
    auto& db = this->db();
    db.exec("INSERT INTO \"node\" (\"id\", \"parent_id\") VALUES (1, NULL)");
    db.exec("INSERT INTO \"node\" (\"id\", \"parent_id\") VALUES (2, 1)");
    db.exec("INSERT INTO \"node\" (\"id\", \"parent_id\") VALUES (3, 2)");
    EXPECT_TRUE(db.rejects("UPDATE \"node\" SET \"id\" = 10 WHERE \"id\" = 2"));  // ON UPDATE RESTRICT
    db.exec("DELETE FROM \"node\" WHERE \"id\" = 1");
    EXPECT_EQ(this->count("\"node\" WHERE \"id\" = 2 AND \"parent_id\" IS NULL"), "1");
    EXPECT_EQ(this->count("\"node\" WHERE \"id\" = 3 AND \"parent_id\" = 2"), "1");
    this->template drop<Node>();
}

TYPED_TEST(SchemaDdl, ForeignKeysToUniqueColumns) {
    this->template create<Account>();
    this->template create<Login>();
    this->template expect_as_declared<Account>();
    this->template expect_as_declared<Login>();
    auto& db = this->db();
    db.exec("INSERT INTO \"account\" (\"email\", \"handle\") VALUES ('a@x', 'a')");
    db.exec("INSERT INTO \"login\" (\"email\", \"handle\", \"account_id\") VALUES ('a@x', 'a', 1)");
    EXPECT_TRUE(db.rejects("INSERT INTO \"account\" (\"email\", \"handle\") VALUES ('a@x', 'b')"));
    EXPECT_TRUE(db.rejects("INSERT INTO \"account\" (\"email\", \"handle\") VALUES ('b@x', 'a')"));
    db.exec("UPDATE \"account\" SET \"handle\" = 'alpha'");  // ON UPDATE CASCADE
    EXPECT_EQ(this->count("\"login\" WHERE \"handle\" = 'alpha'"), "1");
    EXPECT_TRUE(db.rejects("DELETE FROM \"account\""));  // ON DELETE RESTRICT on email
    this->template drop<Login>();
    this->template drop<Account>();
}

TYPED_TEST(SchemaDdl, ColumnDefaults) {
    this->template create<Settings>();
    this->template expect_as_declared<Settings>();
    auto& db = this->db();
    db.exec("INSERT INTO \"settings\" (\"note\") VALUES (NULL)");
    const auto rows = db.query("SELECT CASE WHEN \"enabled\" THEN 1 ELSE 0 END, \"retries\", \"mode\", \"label\", "
                               "\"created\" IS NOT NULL, \"note\" IS NULL FROM \"settings\"");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(*rows[0][0], "1");
    EXPECT_EQ(*rows[0][1], "-3");
    EXPECT_EQ(*rows[0][2], "1");
    EXPECT_EQ(*rows[0][3], "it's");
    EXPECT_TRUE(*rows[0][4] == "1" || *rows[0][4] == "t");
    EXPECT_TRUE(*rows[0][5] == "1" || *rows[0][5] == "t");
    this->template drop<Settings>();
}

TYPED_TEST(SchemaDdl, ReservedWordsAndQuotesInIdentifiers) {
    this->template create<order>();
    this->template create<Weird>();
    this->template expect_as_declared<order>();
    this->template expect_as_declared<Weird>();
    auto& db = this->db();
    db.exec("INSERT INTO \"order\" (\"select\", \"user\", \"group\", \"from\") VALUES ('s', 'u', 'g', NULL)");
    EXPECT_TRUE(db.rejects("INSERT INTO \"order\" (\"select\", \"user\", \"group\") VALUES ('s2', 'u', 'g2')"));
    const auto rows = db.query("SELECT \"select\", \"user\", \"group\", \"from\" FROM \"order\"");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(*rows[0][2], "g");
    EXPECT_FALSE(rows[0][3].has_value());
    db.exec("INSERT INTO \"we\"\"ird\" (\"name\") VALUES ('q')");
    EXPECT_EQ(this->count("\"we\"\"ird\""), "1");
    this->template drop<order>();
    this->template drop<Weird>();
}

TYPED_TEST(SchemaDdl, WideTable) {
    this->template create<Wide>();
    this->template expect_as_declared<Wide>();
    this->template drop<Wide>();
}

TYPED_TEST(SchemaDdl, IfNotExistsAndIfExists) {
    using dialect = typename TestFixture::dialect;
    this->template create<Artist>();
    this->template create<Album>();
    for (const std::string_view statement : schema::create_statements<Album, dialect, true>) {
        SCOPED_TRACE(statement);
        EXPECT_NO_THROW(this->db().exec(statement));
    }
    EXPECT_ANY_THROW(this->db().exec(schema::create_table_sql<Album, dialect>));
    this->db().exec(schema::drop_table_sql<Album, dialect, true>);
    EXPECT_FALSE(this->db().table_exists("albums"));
    EXPECT_NO_THROW(this->db().exec(schema::drop_table_sql<Album, dialect, true>));
    EXPECT_ANY_THROW(this->db().exec(schema::drop_table_sql<Album, dialect>));
    this->template drop<Artist>();
}

} // namespace
