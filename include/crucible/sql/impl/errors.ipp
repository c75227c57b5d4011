// Definitions for crucible/sql/errors.hpp: included by it when header-only, else by
// crucible/src/common.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "crucible/error.hpp"
#include "crucible/sql/errors.hpp"

namespace crucible::sql::detail {

[[noreturn, gnu::cold]] CRUCIBLE_DECL void throw_too_many_parameters(std::string_view dialect, std::size_t count,
                                                                     std::size_t limit, std::string sql) {
    std::string message = "crucible: the statement binds ";
    message.append(std::to_string(count))
        .append(" parameters, more than ")
        .append(dialect)
        .append("'s limit of ")
        .append(std::to_string(limit))
        .append(" per statement: split it (connection.insert_all splits rows into statements that fit)");
    throw programming_error(message, std::move(sql));
}

[[noreturn, gnu::cold]] CRUCIBLE_DECL void throw_blob_list_too_long(std::string_view dialect, std::size_t count,
                                                                    std::size_t limit) {
    std::string message = "crucible: an IN list of ";
    message.append(std::to_string(count))
        .append(" byte strings is longer than ")
        .append(dialect)
        .append("'s limit of ")
        .append(std::to_string(limit))
        .append(" for a list of blobs (longer lists are sent as JSON, which cannot hold bytes): split the list");
    throw programming_error(message);
}

} // namespace crucible::sql::detail
