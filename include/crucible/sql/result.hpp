// Reading a result row into a statement's result type, by column index, from any backend reader.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/pfr/core.hpp>

#include "crucible/reflect/reflect.hpp"
#include "crucible/schema/table.hpp"
#include "crucible/schema/value_type.hpp"

namespace crucible::sql {

// Where a value came from, for the message of a data error.
struct column_context {
    std::string_view table;
    std::string_view column;
    std::size_t index = 0;
};

// What a backend's cursor offers: read column `index` as T (T may be std::optional, which reads
// NULL as nullopt; a NULL into a non-optional T is a data_error naming ctx), and test for NULL.
template <class R>
concept row_source = requires(R& reader, std::size_t index) {
    { reader.is_null(index) } -> std::convertible_to<bool>;
};

namespace detail {

template <class T>
inline constexpr bool is_struct_value = reflect::reflectable<T> && !schema::column_value<T>;

// Built in place from the columns read (a braced list reads them left to right), rather than
// default-constructed and then assigned field by field: per row, that saves a construction and a
// move assignment of every field (a copy of each short string's inline buffer).
template <class T, class Reader>
T read_struct(Reader& reader, std::size_t& index) {
    using info = schema::table<T>;
    const std::size_t first = index;
    index += reflect::field_count<T>;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return T{reader.template read<reflect::field_type<T, I>>(
            first + I, column_context{info::name, info::columns[I].name, first + I})...};
    }(std::make_index_sequence<reflect::field_count<T>>{});
}

template <class T, class Reader>
T read_element(Reader& reader, std::size_t& index) {
    if constexpr (is_struct_value<T>) {
        return read_struct<T>(reader, index);
    } else if constexpr (schema::is_nullable<T> && is_struct_value<schema::non_null_t<T>>) {
        // An outer-joined struct is absent when every one of its columns is NULL.
        using inner = schema::non_null_t<T>;
        constexpr std::size_t width = reflect::field_count<inner>;
        bool all_null = true;
        for (std::size_t i = 0; i < width && all_null; ++i) {
            all_null = reader.is_null(index + i);
        }
        if (all_null) {
            index += width;
            return std::nullopt;
        }
        return read_struct<inner>(reader, index);
    } else {
        const std::size_t at = index++;
        return reader.template read<T>(at, column_context{{}, {}, at});
    }
}

template <class Tuple, class Reader>
Tuple read_tuple(Reader& reader, std::size_t& index) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        // Braced initialisation evaluates left to right, so columns are read in order.
        return Tuple{read_element<std::tuple_element_t<I, Tuple>>(reader, index)...};
    }(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}

template <class T>
struct is_tuple : std::false_type {};
template <class... Ts>
struct is_tuple<std::tuple<Ts...>> : std::true_type {};

} // namespace detail

// Reads the current row into Result: a tuple of the items, a whole struct (possibly several in a
// tuple), or a user struct whose fields take RowTuple's types (or wider ones, or optional ones).
template <class Result, class RowTuple, class Reader>
Result read_row(Reader& reader) {
    std::size_t index = 0;
    if constexpr (detail::is_tuple<Result>::value) {
        return detail::read_tuple<Result>(reader, index);
    } else if constexpr (std::is_same_v<RowTuple, std::tuple<Result>>) {
        return detail::read_element<Result>(reader, index);
    } else {
        // `.as<S>()`: S's fields take the selected columns in order.
        Result value{};
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            // Each column read as its own type, then into the field (which may be wider, or optional).
            if constexpr (detail::is_tuple<RowTuple>::value) {
                ((boost::pfr::get<I>(value) = detail::read_element<std::tuple_element_t<I, RowTuple>>(reader, index)),
                 ...);
            } else {
                ((boost::pfr::get<I>(value) = detail::read_element<reflect::field_type<Result, I>>(reader, index)), ...);
            }
        }(std::make_index_sequence<reflect::field_count<Result>>{});
        return value;
    }
}

} // namespace crucible::sql
