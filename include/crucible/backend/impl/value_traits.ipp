// Definitions for crucible/backend/value_traits.hpp: included by it when header-only, else by
// crucible/src/common.hpp.
#pragma once

#include <string>
#include <string_view>

#include "crucible/backend/value_traits.hpp"
#include "crucible/error.hpp"

namespace crucible::backend::detail {

[[noreturn]] CRUCIBLE_DECL void throw_data_error(std::string_view problem, const column_context& where,
                                                 std::string_view result_column, int index,
                                                 std::string_view sql) {
    std::string message = "column ";
    if (!where.column.empty()) {
        if (!where.table.empty()) {
            message.append(where.table).append(".");
        }
        message.append(where.column);
    } else if (!result_column.empty()) {
        message.append(result_column);
    } else {
        message.append("#").append(std::to_string(index));
    }
    message.append(" (result column ").append(std::to_string(index)).append("): ").append(problem);
    throw data_error(message, std::string(sql));
}

}  // namespace crucible::backend::detail
