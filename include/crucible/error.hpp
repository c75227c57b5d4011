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

} // namespace crucible
