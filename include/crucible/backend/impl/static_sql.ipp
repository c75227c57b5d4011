// Definitions for crucible/backend/static_sql.hpp: included by it when header-only, else by
// crucible/src/common.hpp.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "crucible/backend/static_sql.hpp"
#include "crucible/detail/function.hpp"

namespace crucible::backend {

CRUCIBLE_DECL static_sql intern_sql(std::string_view text) {
    static std::mutex mutex;
    static std::set<std::string, std::less<>> texts;  // nodes never move: c_str() stays valid
    const std::lock_guard lock(mutex);
    auto found = texts.find(text);
    if (found == texts.end()) {
        found = texts.emplace(text).first;
    }
    return static_sql(found->c_str(), found->size(), nullptr);
}

}  // namespace crucible::backend
