// table<T>: the schema a struct stands for — name, columns, keys, constraints, indexes.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "crucible/dialect/column_kind.hpp"
#include "crucible/dialect/quote.hpp"
#include "crucible/reflect/reflect.hpp"
#include "crucible/schema/options.hpp"
#include "crucible/schema/value_type.hpp"

namespace crucible::schema {

struct column_info {
    std::string_view name;
    column_kind kind{};
    bool nullable = false;
    bool primary_key = false;
    bool autoincrement = false;
    bool unique = false;
    std::string_view default_sql;  // empty: no DEFAULT
};

// A short list of column indexes, sized for constexpr use.
struct column_list {
    static constexpr std::size_t capacity = 16;
    std::array<std::size_t, capacity> at{};
    std::size_t size = 0;

    constexpr void push(std::size_t column) { at[size++] = column; }
    constexpr bool contains(std::size_t column) const {
        for (std::size_t i = 0; i < size; ++i) {
            if (at[i] == column) {
                return true;
            }
        }
        return false;
    }
};

struct index_info {
    column_list columns;
    bool unique = false;
};

struct foreign_key_info {
    std::size_t column = 0;
    std::string_view table;
    std::string_view referenced_column;
    fk_action on_delete = fk_action::no_action;
    fk_action on_update = fk_action::no_action;
};

template <std::size_t N>
struct table_description {
    static constexpr std::size_t max_constraints = 16;

    std::array<column_info, N> columns{};
    column_list primary_key;
    bool key_declared = false;
    std::array<column_list, max_constraints> uniques{};
    std::size_t unique_count = 0;
    std::array<index_info, max_constraints> indexes{};
    std::size_t index_count = 0;
    std::array<foreign_key_info, max_constraints> foreign_keys{};
    std::size_t foreign_key_count = 0;
    std::array<std::string_view, max_constraints> checks{};
    std::size_t check_count = 0;
};

namespace detail {

template <class T>
concept has_options = requires { crucible_table(table_tag<T>{}); };

template <class T>
constexpr auto options_of() {
    if constexpr (has_options<T>) {
        return crucible_table(table_tag<T>{});
    } else {
        return table_options<>{};
    }
}

template <class T>
inline constexpr auto options = options_of<T>();

template <class Option>
struct is_table_name : std::is_same<Option, table_name> {};

// "TodoItem" -> "todo_item", "HTTPServer" -> "http_server".
constexpr std::string snake_case(std::string_view name) {
    auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto is_lower = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (is_upper(c)) {
            const bool after_lower = i > 0 && is_lower(name[i - 1]);
            const bool acronym_end = i > 0 && is_upper(name[i - 1]) && i + 1 < name.size() && is_lower(name[i + 1]);
            if (after_lower || acronym_end) {
                out += '_';
            }
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += c;
        }
    }
    return out;
}

template <class T>
consteval std::string_view declared_name() {
    std::string_view name;
    std::apply(
        [&](const auto&... option) {
            (
                [&] {
                    if constexpr (is_table_name<std::remove_cvref_t<decltype(option)>>::value) {
                        name = option.value;
                    }
                }(),
                ...);
        },
        options<T>.options);
    return name;
}

// Names the struct and field in the instantiation context of the error below.
template <class Struct, std::size_t FieldIndex, class FieldType>
consteval void check_field_type() {
    static_assert(column_value<FieldType>,
                  "crucible: this field's type cannot be stored in a column (supported: bool, integers, "
                  "float, double, std::string, byte vectors, std::chrono::sys_time, scoped enums, and "
                  "std::optional of those)");
}

} // namespace detail

// The table's name: table_name(...) if declared, else the snake_case of the type's name.
template <class T>
inline constexpr std::string_view table_name_of = [] {
    if constexpr (!detail::declared_name<T>().empty()) {
        return detail::declared_name<T>();
    } else {
        return std::string_view(reflect::static_text<[] { return detail::snake_case(reflect::type_name<T>); }>);
    }
}();

namespace detail {

template <class T, auto Column>
consteval std::size_t column_index() {
    return reflect::field_index<T, Column>();
}

template <class T, auto Column>
using column_type = reflect::field_type<T, column_index<T, Column>()>;

template <class T, auto... Columns>
consteval column_list list_of() {
    column_list list;
    (list.push(column_index<T, Columns>()), ...);
    return list;
}

template <class T, auto... Columns>
constexpr void apply_primary_key(auto& d) {
    static_assert(!(is_nullable<column_type<T, Columns>> || ...),
                  "crucible: a primary key column cannot be std::optional (nullable)");
    d.primary_key = list_of<T, Columns...>();
    d.key_declared = true;
    (void(d.columns[column_index<T, Columns>()].primary_key = true), ...);
}

template <class T>
constexpr void apply(auto&, const table_name&) {}

template <class T, auto... Columns>
constexpr void apply(auto& d, primary_key_t<Columns...>) {
    static_assert(sizeof...(Columns) > 0, "crucible: primary_key needs at least one column");
    apply_primary_key<T, Columns...>(d);
}

template <class T, auto Column>
constexpr void apply(auto& d, autoincrement_t<Column>) {
    static_assert(dialect::is_integer(detail::kind_if_supported<non_null_t<column_type<T, Column>>>().value_or(column_kind::text)),
                  "crucible: autoincrement needs an integer column");
    apply_primary_key<T, Column>(d);
    d.columns[column_index<T, Column>()].autoincrement = true;
}

template <class T, auto... Columns>
constexpr void apply(auto& d, unique_t<Columns...>) {
    static_assert(sizeof...(Columns) > 0, "crucible: unique needs at least one column");
    if constexpr (sizeof...(Columns) == 1) {
        (void(d.columns[column_index<T, Columns>()].unique = true), ...);
    } else {
        d.uniques[d.unique_count++] = list_of<T, Columns...>();
    }
}

template <class T, bool Unique, auto... Columns>
constexpr void apply(auto& d, index_t<Unique, Columns...>) {
    static_assert(sizeof...(Columns) > 0, "crucible: an index needs at least one column");
    d.indexes[d.index_count++] = index_info{list_of<T, Columns...>(), Unique};
}

template <class T, auto From, auto To>
constexpr void apply(auto& d, foreign_key_t<From, To> key) {
    using referenced = reflect::class_of<To>;
    static_assert(std::is_same_v<non_null_t<column_type<T, From>>, non_null_t<column_type<referenced, To>>>,
                  "crucible: a foreign key must join columns of the same type");
    d.foreign_keys[d.foreign_key_count++] =
        foreign_key_info{column_index<T, From>(), table_name_of<referenced>,
                         reflect::field_name<referenced, column_index<referenced, To>()>, key.delete_action,
                         key.update_action};
}

template <class Field, auto Value>
consteval bool default_fits() {
    using value_type = decltype(Value);
    if constexpr (std::is_same_v<Field, bool> || std::is_same_v<value_type, bool>) {
        return std::is_same_v<Field, value_type>;
    } else if constexpr (std::is_enum_v<Field>) {
        return std::is_same_v<Field, value_type>;
    } else if constexpr (std::is_integral_v<Field> && std::is_integral_v<value_type>) {
        return std::in_range<Field>(Value);
    } else {
        return false;
    }
}

template <auto Value>
constexpr std::string literal_of() {
    std::string out;
    using value_type = decltype(Value);
    if constexpr (std::is_same_v<value_type, bool>) {
        out = Value ? "TRUE" : "FALSE";
    } else if constexpr (std::is_enum_v<value_type>) {
        dialect::detail::append_signed(out, static_cast<long long>(Value));
    } else if constexpr (std::is_signed_v<value_type>) {
        dialect::detail::append_signed(out, Value);
    } else {
        dialect::detail::append_unsigned(out, Value);
    }
    return out;
}

template <class T, auto Column, auto Value>
constexpr void apply(auto& d, default_value_t<Column, Value>) {
    static_assert(default_fits<non_null_t<column_type<T, Column>>, Value>(),
                  "crucible: default_value does not fit the column's type (use default_text for text)");
    d.columns[column_index<T, Column>()].default_sql = reflect::static_text<[] { return literal_of<Value>(); }>;
}

template <class T, auto Column, reflect::fixed_string Text>
constexpr void apply(auto& d, default_text_t<Column, Text>) {
    static_assert(std::is_same_v<non_null_t<column_type<T, Column>>, std::string>,
                  "crucible: default_text needs a text column");
    d.columns[column_index<T, Column>()].default_sql = reflect::static_text<[] {
        std::string out;
        dialect::detail::append_quoted(out, Text.view(), '\'');
        return out;
    }>;
}

template <class T, auto Column, reflect::fixed_string Sql>
constexpr void apply(auto& d, default_sql_t<Column, Sql>) {
    d.columns[column_index<T, Column>()].default_sql = reflect::static_text<[] { return std::string(Sql.view()); }>;
}

template <class T, reflect::fixed_string Sql>
constexpr void apply(auto& d, check_t<Sql>) {
    d.checks[d.check_count++] = reflect::static_text<[] { return std::string(Sql.view()); }>;
}

template <class T>
consteval auto describe() {
    constexpr std::size_t count = reflect::field_count<T>;
    table_description<count> d;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (check_field_type<T, I, reflect::field_type<T, I>>(), ...);
        ((d.columns[I].name = reflect::field_name<T, I>,
          d.columns[I].kind = kind_if_supported<non_null_t<reflect::field_type<T, I>>>().value_or(column_kind::text),
          d.columns[I].nullable = is_nullable<reflect::field_type<T, I>>),
         ...);
    }(std::make_index_sequence<count>{});

    std::apply([&](const auto&... option) { (apply<T>(d, option), ...); }, options<T>.options);

    // No declared key: a field named `id` is the key, assigned by the database when an integer.
    if (!d.key_declared) {
        for (std::size_t i = 0; i < count; ++i) {
            if (d.columns[i].name == "id" && !d.columns[i].nullable) {
                d.primary_key.push(i);
                d.columns[i].primary_key = true;
                d.columns[i].autoincrement = dialect::is_integer(d.columns[i].kind);
            }
        }
    }
    return d;
}

} // namespace detail

// Everything crucible knows about the table a struct T stands for, as compile-time constants.
template <class T>
struct table {
    using value_type = T;
    static constexpr std::string_view name = table_name_of<T>;
    static constexpr std::size_t column_count = reflect::field_count<T>;
    static constexpr auto description = detail::describe<T>();
    static constexpr const auto& columns = description.columns;

    template <std::size_t I>
    using column_type = reflect::field_type<T, I>;

    static constexpr bool has_primary_key = description.primary_key.size > 0;

    // Index of the column the database assigns, or column_count when there is none.
    static constexpr std::size_t autoincrement_column = [] {
        for (std::size_t i = 0; i < column_count; ++i) {
            if (description.columns[i].autoincrement) {
                return i;
            }
        }
        return column_count;
    }();
};

} // namespace crucible::schema
