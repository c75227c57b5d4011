// crucible::error and its kinds: every run-time failure the library reports.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace crucible {

// The root of every exception crucible throws. `sql()` is the statement that failed (empty when
// none was involved) and `driver_message()` what the driver said, verbatim.
class error : public std::runtime_error {
public:
    error(const std::string& what, std::string sql = {}, std::string driver_message = {})
        : std::runtime_error(what), sql_(std::move(sql)), driver_message_(std::move(driver_message)) {}

    const std::string& sql() const noexcept { return sql_; }
    const std::string& driver_message() const noexcept { return driver_message_; }

private:
    std::string sql_;
    std::string driver_message_;
};

// A constraint was violated: unique, primary key, foreign key, not null, check.
class integrity_error : public error {
public:
    using error::error;
};

// The database could not do its job: connection lost or refused, database locked, disk full.
class operational_error : public error {
public:
    using error::error;
};

// A wait ran out: statement timeout, pool checkout timeout, busy timeout.
class timeout_error : public operational_error {
public:
    using operational_error::operational_error;
};

// The program asked for something invalid: bad SQL, missing table, wrong parameter count,
// a malformed URL, `one()` on a result that did not have exactly one row.
class programming_error : public error {
public:
    using error::error;
};

// A value did not fit: NULL into a non-optional field, out of range, text that is not a number.
class data_error : public error {
public:
    using error::error;
};

// The ORM session's UPDATE or DELETE of a row matched no row: another transaction changed its
// version<...> column, or deleted the row, since the session loaded it. An operational_error, as
// a serialization failure is: the work can be retried in a new transaction on fresh data.
class stale_data_error : public operational_error {
public:
    stale_data_error(const std::string& what, std::string table, std::string key, std::string sql = {})
        : operational_error(what, std::move(sql)), table_(std::move(table)), key_(std::move(key)) {}

    const std::string& table() const noexcept { return table_; }
    const std::string& key() const noexcept { return key_; }  // e.g. `id=7`

private:
    std::string table_;
    std::string key_;
};

} // namespace crucible
