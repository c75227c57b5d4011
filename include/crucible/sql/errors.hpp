// The run-time errors of rendering a statement: limits a statement's values would pass.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "crucible/detail/config.hpp"
#include "crucible/error.hpp"

namespace crucible::sql::detail {

// programming_error: the statement binds more parameters than the database takes in one statement.
[[noreturn, gnu::cold]] CRUCIBLE_DECL void throw_too_many_parameters(std::string_view dialect, std::size_t count,
                                                                     std::size_t limit, std::string sql);

// programming_error: an IN list of blobs longer than the dialect lists as plain placeholders (a
// longer list goes through JSON, which cannot hold bytes).
[[noreturn, gnu::cold]] CRUCIBLE_DECL void throw_blob_list_too_long(std::string_view dialect, std::size_t count,
                                                                    std::size_t limit);

} // namespace crucible::sql::detail

#if CRUCIBLE_HEADER_ONLY
#include "crucible/sql/impl/errors.ipp"
#endif
