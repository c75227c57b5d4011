// The dialect concept, and both dialects.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

#include "crucible/dialect/column_kind.hpp"
#include "crucible/dialect/postgres.hpp"
#include "crucible/dialect/sqlite.hpp"

namespace crucible::dialect {

template <class D>
concept sql_dialect = requires(std::string& out, std::size_t index, std::string_view id, column_kind kind) {
    { D::name } -> std::convertible_to<std::string_view>;
    D::placeholder(out, index);
    D::quote_identifier(out, id);
    { D::type_name(kind) } -> std::convertible_to<std::string_view>;
    { D::column_type(kind) } -> std::convertible_to<std::string_view>;
    D::autoincrement_column(out, kind);
    { D::has_ilike } -> std::convertible_to<bool>;
    { D::has_returning } -> std::convertible_to<bool>;
    { D::max_parameters } -> std::convertible_to<std::size_t>;
    D::numbered_placeholder(out, index);
    { D::has_array_parameters } -> std::convertible_to<bool>;
    { D::in_list_inline_max } -> std::convertible_to<std::size_t>;
};

static_assert(sql_dialect<sqlite>);
static_assert(sql_dialect<postgres>);

} // namespace crucible::dialect
