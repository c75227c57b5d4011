// backend::connection: the contract every backend connection meets, which the pool and engine use.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crucible/backend/static_sql.hpp"
#include "crucible/backend/value_traits.hpp"

namespace crucible::backend {

// A cursor over the rows of one execution: next() advances (false at the end), get<T>(i) reads
// column i (0-based) into any value_type, throwing data_error that names the column when the value
// does not fit.
template <class C>
concept cursor = std::movable<C> && requires(C& c, const C& cc, int column, const column_context& where) {
    { c.next() } -> std::same_as<bool>;
    { cc.template get<std::int64_t>(column, where) } -> std::same_as<std::int64_t>;
    { cc.template get<std::optional<std::string>>(column) } -> std::same_as<std::optional<std::string>>;
    { cc.is_null(column) } -> std::same_as<bool>;
    { cc.column_count() } -> std::same_as<int>;
    { cc.column_name(column) } -> std::same_as<std::string_view>;
};

namespace detail {
// Stands for the SQL layer's statements in the concept: binds one integer and one string.
struct sample_binder {
    template <class Sink>
    void operator()(Sink& sink) const {
        sink(std::int64_t{1});
        sink(std::string("x"));
    }
};
}  // namespace detail

// A database connection. Statements with static SQL text (`static_sql`, the SQL layer's
// compile-time strings) are prepared once and cached under the text's address; `*_text` takes
// run-time SQL and caches by its content (bounded, least recently used out). Parameters bind
// 0-based in order, either as arguments or through a binder (`*_bound`: `binder(sink)` calls
// `sink(value)` per parameter); values are never spliced into the text. `query*` may receive the
// whole result before its cursor reads it (`query*_in_place` may keep pointers to the values bound
// until the cursor is gone); `stream*` receives one row at a time, and while that
// cursor is open the connection may refuse other statements (programming_error).
template <class C>
concept connection = requires(C& c, const C& cc, std::string_view text, const std::string& script,
                              std::int64_t i, std::string s) {
    typename C::cursor;
    requires cursor<typename C::cursor>;
    typename C::stream_cursor;
    requires cursor<typename C::stream_cursor>;
    { C::backend_name } -> std::convertible_to<std::string_view>;
    { c.execute(static_sql("SELECT 1")) } -> std::same_as<std::int64_t>;
    { c.execute(static_sql("SELECT 1"), i, s) } -> std::same_as<std::int64_t>;
    { c.execute_text(text, i, s) } -> std::same_as<std::int64_t>;
    { c.query(static_sql("SELECT 1"), i, s) } -> std::same_as<typename C::cursor>;
    { c.query_text(text, i, s) } -> std::same_as<typename C::cursor>;
    { c.execute_bound(static_sql("SELECT 1"), detail::sample_binder{}) } -> std::same_as<std::int64_t>;
    { c.execute_text_bound(text, detail::sample_binder{}) } -> std::same_as<std::int64_t>;
    { c.query_bound(static_sql("SELECT 1"), detail::sample_binder{}) } -> std::same_as<typename C::cursor>;
    { c.query_text_bound(text, detail::sample_binder{}) } -> std::same_as<typename C::cursor>;
    { c.query_bound_in_place(static_sql("SELECT 1"), detail::sample_binder{}) } -> std::same_as<typename C::cursor>;
    { c.query_text_bound_in_place(text, detail::sample_binder{}) } -> std::same_as<typename C::cursor>;
    {
        c.stream_bound(static_sql("SELECT 1"), detail::sample_binder{})
        } -> std::same_as<typename C::stream_cursor>;
    { c.stream_text_bound(text, detail::sample_binder{}) } -> std::same_as<typename C::stream_cursor>;
    c.execute_script(script);
    c.begin();
    c.commit();
    c.rollback();
    c.savepoint(text);
    c.release_savepoint(text);
    c.rollback_to_savepoint(text);
    { cc.in_transaction() } -> std::same_as<bool>;
    { cc.is_open() } -> std::same_as<bool>;
    { c.ping() } -> std::same_as<bool>;
    c.cancel();
    { cc.prepare_count() } -> std::same_as<std::size_t>;
    { cc.bound_parameter_count() } -> std::same_as<std::size_t>;
    { cc.cached_statement_count() } -> std::same_as<std::size_t>;
};

}  // namespace crucible::backend
