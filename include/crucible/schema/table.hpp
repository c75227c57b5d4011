// table<T>: the schema a struct stands for — name, columns, keys, constraints, indexes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "crucible/dialect/column_kind.hpp"
#include "crucible/dialect/quote.hpp"
#include "crucible/reflect/reflect.hpp"
#include "crucible/schema/options.hpp"
#include "crucible/schema/value_type.hpp"
#include "crucible/detail/sql_string.hpp"

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
    std::size_t version_column = static_cast<std::size_t>(-1);  // version<...>: its column, else none
};

namespace detail {

// The options inside the struct (`static constexpr auto crucible_table() {...}`), which cannot be
// misplaced, or beside it in its namespace (`crucible_table(crucible::table_tag<T>)`, found by
// argument-dependent lookup: declared in another namespace it is not found).
template <class T>
concept has_member_options = requires { T::crucible_table(); };

template <class T>
concept has_free_options = requires { crucible_table(table_tag<T>{}); };

template <class T>
concept has_options = has_member_options<T> || has_free_options<T>;

template <class T>
constexpr auto options_of() {
    if constexpr (has_member_options<T>) {
        static_assert(!has_free_options<T>,
                      "crucible: this struct declares its table options twice, as a static member crucible_table() "
                      "and as a crucible_table(crucible::table_tag<T>) function: keep one");
        return T::crucible_table();
    } else if constexpr (has_free_options<T>) {
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
constexpr sql_string snake_case(std::string_view name) {
    auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto is_lower = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    sql_string out;
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

// The type's own name from its qualified spelling: "music::Artist" -> "Artist",
// "main()::<lambda()>::Local" -> "Local", "music::Box<int>" -> "Box". Scans from the end and skips
// bracketed text, so a function signature or a lambda around a local struct is never taken for it.
constexpr std::string_view own_name(std::string_view name) {
    std::size_t end = name.size();
    if (end > 0 && name[end - 1] == '>') {  // template arguments
        int depth = 0;
        while (end > 0) {
            --end;
            depth += name[end] == '>' ? 1 : name[end] == '<' ? -1 : 0;
            if (depth == 0) {
                break;
            }
        }
    }
    int depth = 0;
    std::size_t start = end;
    while (start > 0) {
        const char c = name[start - 1];
        if (c == '>' || c == ')') {
            ++depth;
        } else if (c == '<' || c == '(') {
            --depth;
        } else if (c == ':' && depth == 0) {
            break;
        }
        --start;
    }
    return name.substr(start, end - start);
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

// The field's name as a template argument, so that the compiler prints it in the context of an
// error about the field.
template <class T, std::size_t I>
inline constexpr auto field_name_argument =
    reflect::fixed_string<reflect::field_name<T, I>.size()>(reflect::field_name<T, I>);

// Names the struct, the field and its type in the instantiation context of the error below.
template <class Struct, reflect::fixed_string Field, class FieldType>
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
        return std::string_view(reflect::static_text<[] {
            return detail::snake_case(detail::own_name(reflect::qualified_type_name<T>));
        }>);
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
    static_assert(sizeof...(Columns) <= column_list::capacity, "crucible: a key, unique or index has at most 16 columns");
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
    using field = non_null_t<column_type<T, Column>>;
    static_assert(std::is_integral_v<field> && !std::is_same_v<field, bool>,
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

template <class T, bool WithForeignKeys = true>
consteval auto describe();

// Both databases need the referenced column to be unique: SQLite reports "foreign key mismatch" on
// the first write, PostgreSQL refuses the CREATE TABLE. Decided from the referenced table's keys
// alone (described without its foreign keys), so self-references and cycles need no recursion.
template <class Referenced, std::size_t Column>
consteval bool is_unique_column() {
    constexpr auto keys = describe<Referenced, false>();
    const column_info& column = keys.columns[Column];
    if ((column.primary_key && keys.primary_key.size == 1) || column.unique) {
        return true;
    }
    for (std::size_t i = 0; i < keys.index_count; ++i) {
        const index_info& index = keys.indexes[i];
        if (index.unique && index.columns.size == 1 && index.columns.at[0] == Column) {
            return true;
        }
    }
    return false;
}

template <class T, auto From, auto To>
constexpr void apply(auto& d, foreign_key_t<From, To> key) {
    using referenced = reflect::class_of<To>;
    static_assert(std::is_same_v<non_null_t<column_type<T, From>>, non_null_t<column_type<referenced, To>>>,
                  "crucible: a foreign key must join columns of the same type");
    static_assert(is_unique_column<referenced, column_index<referenced, To>()>(),
                  "crucible: a foreign key must reference a primary key or unique column");
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
        if constexpr (std::is_same_v<Field, value_type>) {
            return std::in_range<std::int64_t>(static_cast<std::underlying_type_t<Field>>(Value));
        } else {
            return false;
        }
    } else if constexpr (std::is_integral_v<Field> && std::is_integral_v<value_type>) {
        // Both databases store at most a signed 64-bit integer (see the uint64 note in the dialects).
        return std::in_range<Field>(Value) && std::in_range<std::int64_t>(Value);
    } else {
        return false;
    }
}

template <auto Value>
constexpr sql_string literal_of() {
    sql_string out;
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
        sql_string out;
        dialect::detail::append_quoted(out, Text.view(), '\'');
        return out;
    }>;
}

template <class T, auto Column, reflect::fixed_string Sql>
constexpr void apply(auto& d, default_sql_t<Column, Sql>) {
    d.columns[column_index<T, Column>()].default_sql = Sql.view();  // a template parameter object: static storage
}

template <class T, auto Column>
constexpr void apply(auto& d, version_t<Column>) {
    using field = column_type<T, Column>;
    static_assert(std::is_integral_v<field> && !std::is_same_v<field, bool>,
                  "crucible: a version column must be a non-nullable integer");
    d.version_column = column_index<T, Column>();
}

template <class T, reflect::fixed_string Sql>
constexpr void apply(auto& d, check_t<Sql>) {
    d.checks[d.check_count++] = Sql.view();
}

template <class Option>
struct option_kind {
    static constexpr bool is_key = false, is_unique = false, is_index = false, is_foreign_key = false, is_check = false,
                          is_version = false;
};
template <auto C>
struct option_kind<version_t<C>> : option_kind<void> {
    static constexpr bool is_version = true;
};
template <auto... C>
struct option_kind<primary_key_t<C...>> : option_kind<void> {
    static constexpr bool is_key = true;
};
template <auto C>
struct option_kind<autoincrement_t<C>> : option_kind<void> {
    static constexpr bool is_key = true;
};
template <auto... C>
struct option_kind<unique_t<C...>> : option_kind<void> {
    static constexpr bool is_unique = sizeof...(C) > 1;  // one column: a column constraint
};
template <bool U, auto... C>
struct option_kind<index_t<U, C...>> : option_kind<void> {
    static constexpr bool is_index = true;
};
template <auto F, auto T>
struct option_kind<foreign_key_t<F, T>> : option_kind<void> {
    static constexpr bool is_foreign_key = true;
    static constexpr auto from = F;
    static constexpr auto to = T;
};
template <reflect::fixed_string S>
struct option_kind<check_t<S>> : option_kind<void> {
    static constexpr bool is_check = true;
};

template <class... Options>
consteval void check_option_counts(const table_options<Options...>&) {
    constexpr std::size_t limit = table_description<1>::max_constraints;
    static_assert((0 + ... + option_kind<Options>::is_key) <= 1,
                  "crucible: a table declares its primary key once (primary_key or autoincrement)");
    static_assert((0 + ... + option_kind<Options>::is_unique) <= limit,
                  "crucible: a table has at most 16 multi-column unique constraints");
    static_assert((0 + ... + option_kind<Options>::is_index) <= limit, "crucible: a table has at most 16 indexes");
    static_assert((0 + ... + option_kind<Options>::is_foreign_key) <= limit,
                  "crucible: a table has at most 16 foreign keys");
    static_assert((0 + ... + option_kind<Options>::is_check) <= limit, "crucible: a table has at most 16 checks");
    static_assert((0 + ... + option_kind<Options>::is_version) <= 1, "crucible: a table has at most one version column");
}

// The actions are values, so they are checked here, where each option is a constant.
template <class T, std::size_t I>
consteval void check_foreign_key_action() {
    using option = std::remove_cvref_t<decltype(std::get<I>(options<T>.options))>;
    if constexpr (option_kind<option>::is_foreign_key) {
        constexpr auto key = std::get<I>(options<T>.options);
        constexpr bool sets_null = key.delete_action == fk_action::set_null || key.update_action == fk_action::set_null;
        static_assert(!sets_null || is_nullable<column_type<T, option_kind<option>::from>>,
                      "crucible: a foreign key with ON DELETE/UPDATE SET NULL needs a nullable (std::optional) column");
    }
}

template <class T, bool WithForeignKeys>
consteval auto describe_table();

// What a struct must be to be a table, said before Boost.PFR's errors would say it less plainly.
template <class T>
consteval bool check_table_shape() {
    static_assert(std::is_class_v<T> && !std::is_union_v<T>,
                  "crucible: a table is a struct (from<T>(), select<T>(), insert(T{...})); this type is not a class "
                  "or struct, or is a union");
    if constexpr (std::is_class_v<T> && !std::is_union_v<T>) {
        static_assert(std::is_aggregate_v<T>,
                      "crucible: a table's struct must be an aggregate: public data members only, no user-declared "
                      "constructor, no virtual functions (make the members public and drop the constructor)");
    }
    if constexpr (reflect::reflectable<T>) {
        static_assert(!reflect::has_base_class<T>,
                      "crucible: a table's struct cannot have a base class (reflection sees only the struct's own "
                      "members): write the base's members into the struct, or make the base a member of another "
                      "table");
        if constexpr (!reflect::has_base_class<T>) {
            static_assert(reflect::value_initializable<T>,
                          "crucible: a table's struct must be constructible as T{}: a reference member, or a member "
                          "with no default constructor, stops it (store the value itself, not a reference)");
            if constexpr (reflect::value_initializable<T>) {
                static_assert(reflect::within_field_limit<T>,
                              "crucible: a table's struct has more than 100 fields, the most Boost 1.81's PFR can "
                              "reflect: split it into two tables joined by their key");
                if constexpr (reflect::within_field_limit<T>) {
                    static_assert(!reflect::has_bit_field<T>,
                                  "crucible: a table's struct cannot have a bit-field member (reflection reads each "
                                  "member by reference): declare it as a plain member, e.g. `int flags;` for "
                                  "`int flags : 3;`");
                }
            }
        }
    }
    return reflect::reflectable_shape<T>;
}

template <class T, bool WithForeignKeys>
consteval auto describe() {
    if constexpr (!check_table_shape<T>()) {
        return table_description<1>{};  // (the static_assert above said why)
    } else {
        return describe_table<T, WithForeignKeys>();
    }
}

template <class T, bool WithForeignKeys>
consteval auto describe_table() {
    constexpr std::size_t count = reflect::field_count<T>;
    static_assert(count > 0, "crucible: a table needs at least one column (the struct has no fields)");
    check_option_counts(options<T>);
    if constexpr (WithForeignKeys) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (check_foreign_key_action<T, I>(), ...);
        }(std::make_index_sequence<std::tuple_size_v<decltype(options<T>.options)>>{});
    }
    table_description<count> d;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (check_field_type<T, field_name_argument<T, I>, reflect::field_type<T, I>>(), ...);
        ((d.columns[I].name = reflect::field_name<T, I>,
          d.columns[I].kind = kind_if_supported<non_null_t<reflect::field_type<T, I>>>().value_or(column_kind::text),
          d.columns[I].nullable = is_nullable<reflect::field_type<T, I>>),
         ...);
    }(std::make_index_sequence<count>{});

    // (An index sequence rather than std::apply: an error in an option then reports four fewer
    // lines of libstdc++'s invoke machinery.)
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                const auto& option = std::get<I>(options<T>.options);
                if constexpr (WithForeignKeys || !option_kind<std::remove_cvref_t<decltype(option)>>::is_foreign_key) {
                    apply<T>(d, option);
                }
            }(),
            ...);
    }(std::make_index_sequence<std::tuple_size_v<decltype(options<T>.options)>>{});

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

    // Index of the version<...> column (optimistic locking), or column_count when there is none.
    static constexpr std::size_t version_column =
        description.version_column < column_count ? description.version_column : column_count;
    static_assert(version_column == column_count || !description.columns[version_column].primary_key,
                  "crucible: the version column cannot be part of the primary key");
};

// A type that cannot be a table: the shape check says why, in one line, and nothing else is
// looked at (Boost.PFR's own errors would follow for pages).
template <class T>
    requires(!reflect::reflectable_shape<T>)
struct table<T> {
    static_assert((detail::check_table_shape<T>(), true));
    using value_type = T;
    static constexpr std::string_view name = "";
    static constexpr std::size_t column_count = 0;
    static constexpr table_description<1> description{};
    static constexpr const auto& columns = description.columns;
    static constexpr bool has_primary_key = false;
    static constexpr std::size_t autoincrement_column = 0;
    static constexpr std::size_t version_column = 0;
};

} // namespace crucible::schema
