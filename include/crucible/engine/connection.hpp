// basic_connection<Backend>: typed statements and text() SQL on a pooled connection, typed
// results, transactions and savepoints, bulk inserts, create_all/drop_all, echo.
#pragma once

#include <array>
#include <atomic>
#include "crucible/detail/chrono.hpp"
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <iterator>  // std::contiguous_iterator, std::data, std::size (not all of <ranges>)
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>

#include "crucible/backend/binder.hpp"
#include "crucible/backend/static_sql.hpp"
#include "crucible/detail/config.hpp"
#include "crucible/detail/function.hpp"
#include "crucible/error.hpp"
#include "crucible/engine/text.hpp"
#include "crucible/pool/pool.hpp"
#include "crucible/schema/ddl.hpp"
#include "crucible/sql/insert.hpp"
#include "crucible/sql/render.hpp"
#include "crucible/sql/result.hpp"

namespace crucible {

// Backend glue, specialised in crucible/engine/sqlite.hpp and crucible/engine/postgres.hpp:
// `using dialect`, `static std::unique_ptr<Backend> open(const url&)`.
template <class Backend>
struct backend_traits;

// What an echo event reports, so that a hook can filter (count statements, log failures only).
enum class echo_kind {
    statement,    // a statement ran (once, or a batch of it: executions > 1)
    transaction,  // BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE / ROLLBACK TO SAVEPOINT
    failed,       // a statement or transaction command failed; `error` is the error's message
};

// What the echo hook receives for each statement: its SQL, how long it took, how many values
// were bound (the values themselves are not passed).
struct echo_event {
    std::string_view sql;
    std::chrono::nanoseconds duration;
    std::size_t parameter_count;  // per execution
    // How many times the statement ran in this event: 1, or a batch's size (execute_batch; on
    // PostgreSQL the executions of a batch are pipelined).
    std::size_t executions = 1;
    echo_kind kind = echo_kind::statement;
    std::string_view error;  // kind == failed: what the error said
};
using echo_hook = std::function<void(const echo_event&)>;

namespace detail {

// Adapts a backend cursor to the SQL layer's row reader.
template <class Cursor>
struct cursor_reader {
    const Cursor& cursor;
    bool is_null(std::size_t index) const { return cursor.is_null(static_cast<int>(index)); }
    template <class T>
    T read(std::size_t index, const sql::column_context& where) const {
        return cursor.template get<T>(static_cast<int>(index), {where.table, where.column});
    }
};

// What a statement that returns no rows (an INSERT, UPDATE or DELETE without RETURNING) "reads":
// nothing; all()/one()/... on it stop at their static_assert.
struct no_rows {};

template <class S>
using row_of = std::conditional_t<std::is_void_v<typename S::result_type>, no_rows, typename S::result_type>;

template <class S>
inline constexpr bool returns_rows = !std::is_void_v<typename S::result_type>;

template <class S>
consteval void check_returns_rows() {
    static_assert(returns_rows<S>,
                  "crucible: this statement returns no rows (an INSERT, UPDATE or DELETE without .returning(...)): "
                  "run it with execute(), or add .returning(...) to read what it wrote");
}

// The columns one element of a tuple row takes: one per field for a struct (outer-joined or not).
template <class T>
consteval std::size_t element_width() {
    if constexpr (sql::detail::is_struct_value<schema::non_null_t<T>>) {
        return reflect::field_count<schema::non_null_t<T>>;
    } else {
        return 1;
    }
}

// One element of a tuple row, read from column First on when converted to T: a tuple built from
// these (and an outer-joined struct built inside its optional with std::in_place) gets each
// struct read straight into its own storage, where sql::read_row's tuple would move every struct
// once more (and an outer-joined one twice): about 150 instructions a row for (User, optional<Post>).
// Each element knows its first column, so the order libstdc++ builds a tuple's elements in (last
// first) does not matter to a backend that reads columns by index.
template <class T, std::size_t First, class Reader>
struct element_in_place {
    Reader& reader;
    operator T() const {
        if constexpr (schema::is_nullable<T> && sql::detail::is_struct_value<schema::non_null_t<T>>) {
            using inner = schema::non_null_t<T>;
            // Absent when every one of its columns is NULL (as sql::detail::read_element).
            for (std::size_t i = 0; i < reflect::field_count<inner>; ++i) {
                if (!reader.is_null(First + i)) {
                    return T(std::in_place, element_in_place<inner, First, Reader>{reader});
                }
            }
            return std::nullopt;
        } else {
            std::size_t index = First;
            return sql::detail::read_element<T>(reader, index);
        }
    }
};

template <class Tuple, class Reader>
Tuple read_tuple_in_place(Reader& reader) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        constexpr std::array<std::size_t, sizeof...(I) + 1> first = [] {
            std::array<std::size_t, sizeof...(I) + 1> at{};
            const std::size_t widths[] = {element_width<std::tuple_element_t<I, Tuple>>()..., 0};
            for (std::size_t i = 0; i < sizeof...(I); ++i) {
                at[i + 1] = at[i] + widths[i];
            }
            return at;
        }();
        return Tuple{element_in_place<std::tuple_element_t<I, Tuple>, first[I], Reader>{reader}...};
    }(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}

// Reads the current row when converted to Row: `rows.emplace_back(row_in_place{...})` builds the row
// in the vector's own storage instead of moving every field of a finished row into it.
template <class Row, class RowTuple, class Reader>
struct row_in_place {
    Reader& reader;
    operator Row() const {
        if constexpr (sql::detail::is_tuple<Row>::value) {
            return read_tuple_in_place<Row>(reader);
        } else {
            return sql::read_row<Row, RowTuple>(reader);
        }
    }
};

// Indexes of the fields an INSERT of a whole T writes (all but the database-assigned key).
template <class T>
consteval auto inserted_columns() {
    constexpr std::size_t count = schema::table<T>::column_count;
    constexpr std::size_t skipped = schema::table<T>::autoincrement_column < count ? 1 : 0;
    std::array<std::size_t, count - skipped> columns{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (i != schema::table<T>::autoincrement_column) {
            columns[at++] = i;
        }
    }
    return columns;
}

template <class T, class D>
inline constexpr std::string_view quoted_table_sql = reflect::static_text<[] {
    crucible::detail::sql_string out;
    D::quote_identifier(out, schema::table<T>::name);
    return out;
}>;

template <class T, class D>
inline constexpr std::string_view copy_columns_sql = reflect::static_text<[] {
    crucible::detail::sql_string out;
    for (const std::size_t i : inserted_columns<T>()) {
        if (!out.empty()) {
            out += ", ";
        }
        D::quote_identifier(out, schema::table<T>::columns[i].name);
    }
    return out;
}>;

// "INSERT INTO "t" ("a", "b") VALUES " for a whole T in D: the part of a multi-row INSERT that
// depends on T. The rows' placeholders depend only on the column and row counts (below).
template <class T, class D>
inline constexpr std::string_view insert_head_sql = reflect::static_text<[] {
    crucible::detail::sql_string out = "INSERT INTO ";
    D::quote_identifier(out, schema::table<T>::name);
    sql::detail::render_struct_columns<T, D>(out);
    return out;
}>;

// What insert_all needs of a row type, as a constant: the INSERT's head, the columns, the row's
// size, and the function that binds a run of rows. The chunking and running are compiled once per
// backend; a table adds only its bind_rows.
template <class Binder>
struct insert_entry {
    std::string_view head;
    std::size_t columns;
    std::size_t row_size;
    void (*bind_rows)(const void* first, std::size_t count, typename Binder::sink_type& sink);
};

template <class T, class Sink>
void bind_rows(const void* first, std::size_t count, Sink& sink) {
    const T* rows = static_cast<const T*>(first);
    for (std::size_t i = 0; i < count; ++i) {
        sql::detail::bind_struct(rows[i], sink);
    }
}

template <class T, class D, class Binder>
inline constexpr insert_entry<Binder> insert_entry_of{insert_head_sql<T, D>, inserted_columns<T>().size(), sizeof(T),
                                                       &bind_rows<T, typename Binder::sink_type>};

// `head` followed by `rows` groups of `columns` placeholders: (?, ?), (?, ?) or ($1, $2), ($3, $4).
template <class D>
std::string multi_row_insert_sql(std::string_view head, std::size_t columns, std::size_t rows) {
    std::string out(head);
    out.reserve(head.size() + rows * columns * 6);
    std::size_t parameter = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        out += r == 0 ? "(" : ", (";
        for (std::size_t c = 0; c < columns; ++c) {
            if (c > 0) {
                out += ", ";
            }
            D::placeholder(out, ++parameter);
        }
        out += ')';
    }
    return out;
}

// The text of insert_all's full chunks: a multi-row INSERT of T's text depends only on its row
// count, so it is rendered once per (T, dialect, row count) and interned for the program; `head`
// (static storage, one per T and dialect) is the key. A program uses one or two chunk sizes per
// table; past a few dozen texts, more stay run-time text (nullopt) rather than being kept forever.
template <class D>
std::optional<backend::static_sql> interned_insert_sql(std::string_view head, std::size_t columns, std::size_t rows) {
    struct entry {
        const char* head;
        std::size_t rows;
        backend::static_sql sql;
    };
    static std::mutex mutex;
    static std::vector<entry> known;
    const std::lock_guard lock(mutex);
    for (const entry& e : known) {
        if (e.head == head.data() && e.rows == rows) {
            return e.sql;
        }
    }
    if (known.size() >= 64) {
        return std::nullopt;
    }
    known.push_back({head.data(), rows, backend::intern_sql(multi_row_insert_sql<D>(head, columns, rows))});
    return known.back().sql;
}

// One table's part in create_all / drop_all: its name, the tables it references, its statements.
struct table_ddl {
    std::string_view name;
    std::span<const std::string_view> references;
    std::span<const std::string_view> statements;
};

// The tables T's foreign keys reference, itself left out.
template <class T>
inline constexpr auto referenced_tables = [] {
    constexpr auto& d = schema::table<T>::description;
    constexpr std::size_t count = [&] {
        std::size_t n = 0;
        for (std::size_t f = 0; f < d.foreign_key_count; ++f) {
            n += d.foreign_keys[f].table != schema::table<T>::name ? 1 : 0;
        }
        return n;
    }();
    std::array<std::string_view, count> names{};
    std::size_t at = 0;
    for (std::size_t f = 0; f < d.foreign_key_count; ++f) {
        if (d.foreign_keys[f].table != schema::table<T>::name) {
            names[at++] = d.foreign_keys[f].table;
        }
    }
    return names;
}();

template <class T, class D, bool Guarded>
inline constexpr std::array<std::string_view, 1> drop_statements{schema::drop_table_sql<T, D, Guarded>};


// What the engine needs of a statement type, as a constant: its SQL (the static text, or a
// function that renders it) and the function that binds its values. all(), execute(), ... pass
// it to one function compiled per backend, rather than instantiating a function per statement
// type to do the same.
template <class Binder>
struct statement_entry {
    backend::static_sql sql;                     // a static statement's text ("" otherwise)
    std::string (*render)(const void* statement);  // a dynamic statement's renderer (else null)
    typename Binder::call_type bind;
};

template <class S, class D>
std::string render_statement_erased(const void* statement) {
    return sql::to_sql<D>(*static_cast<const S*>(statement));
}

template <class S, class D, class Binder>
consteval statement_entry<Binder> make_statement_entry() {
    if constexpr (S::is_static) {
        return {backend::static_sql(sql::sql_text<S, D>), nullptr, &Binder::template bind_statement<S>};
    } else {
        return {backend::static_sql(""), &render_statement_erased<S, D>, &Binder::template bind_statement<S>};
    }
}

template <class S, class D, class Binder>
inline constexpr statement_entry<Binder> statement_entry_of = make_statement_entry<S, D, Binder>();

} // namespace detail

// The rows of a query, received and read one at a time as the loop asks for them: a single-pass
// input range. On PostgreSQL the connection runs nothing else until the stream has been read to the
// end or destroyed (programming_error); a stream destroyed early discards the rows not read.
template <class Row, class RowTuple, class Cursor>
class row_stream {
public:
    // `keep` holds the connection the rows come from checked out while the stream lives, even
    // past the connection object that started it.
    row_stream(Cursor cursor, std::shared_ptr<void> keep) : keep_(std::move(keep)), cursor_(std::move(cursor)) {}

    const Cursor& cursor() const noexcept { return cursor_; }

    class iterator {
    public:
        using value_type = Row;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(row_stream* stream) : stream_(stream) { advance(); }
        const Row& operator*() const { return *current_; }
        const Row* operator->() const { return &*current_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        void operator++(int) { advance(); }
        bool operator==(std::default_sentinel_t) const { return stream_ == nullptr; }

    private:
        void advance() {
            if (stream_->cursor_.next()) {
                detail::cursor_reader<Cursor> reader{stream_->cursor_};
                current_.emplace(detail::row_in_place<Row, RowTuple, decltype(reader)>{reader});
            } else {
                stream_ = nullptr;
            }
        }
        row_stream* stream_ = nullptr;
        std::optional<Row> current_;
    };

    iterator begin() { return iterator(this); }
    std::default_sentinel_t end() { return {}; }

private:
    std::shared_ptr<void> keep_;  // declared first: the cursor goes before the connection
    Cursor cursor_;
};

template <class Backend>
class basic_transaction;

namespace detail {

// What a connection object is: the backend connection checked out of the pool, and what the
// connection object knows about it. Shared by the connection object, its transactions and its
// streams, so that any of them may outlive (or be moved away from) the others, and the engine.
template <class Backend>
class connection_state {
public:
    using handle = typename basic_pool<Backend>::handle;

    connection_state(handle checked_out, const echo_hook* echo_hook) noexcept
        : link(std::move(checked_out)), echo(echo_hook) {}

    handle link;             // empty after the link was lost, until the next statement renews it
    const echo_hook* echo;   // the engine's, kept alive by the pool the handle holds
    std::size_t savepoint_depth = 0;
    std::uint64_t generation = 0;  // how many backend connections were lost under this one
    bool autobegin = false;
    bool transaction_open = false;     // begun through begin() or autobegin
    bool lost_in_transaction = false;  // lost while a transaction was open, not yet rolled back

    // One call at a time: a second thread using the same connection at once gets a
    // programming_error instead of a corrupted protocol.
    void enter() {
        if (busy_.exchange(true, std::memory_order_acquire)) [[unlikely]] {
            throw_concurrent_use();
        }
    }
    void leave() noexcept { busy_.store(false, std::memory_order_release); }

    // The backend connection; after a lost link, a new one from the pool (outside a transaction).
    Backend& backend() {
        if (!link) [[unlikely]] {
            renew();
        }
        return *link;
    }

    // Runs a transaction command through run(): echoed as echo_kind::transaction with `sql` as its
    // text (or as failed with the error), when a hook is set.
    template <class F>
    void run_command(std::string_view sql, F&& f) {
        if (echo == nullptr || !*echo) [[likely]] {
            run(f);
            return;
        }
        const auto start = std::chrono::steady_clock::now();
        try {
            run(f);
        } catch (const std::exception& e) {
            (*echo)(echo_event{sql, std::chrono::steady_clock::now() - start, 0, 1, echo_kind::failed, e.what()});
            throw;
        }
        (*echo)(echo_event{sql, std::chrono::steady_clock::now() - start, 0, 1, echo_kind::transaction, {}});
    }

    // Runs f; an operational_error that left the link down drops this backend connection and makes
    // every older one in the pool stale (the pool's invalidation).
    template <class F>
    decltype(auto) run(F&& f) {
        try {
            return f();
        } catch (const operational_error&) {
            check_lost();
            throw;
        }
    }

    // Cold: every statement's path only calls them, on a failure or the first use.
    [[gnu::cold]] void check_lost() noexcept;
    [[gnu::cold]] void renew();
    [[noreturn, gnu::cold]] static void throw_concurrent_use();

private:
    std::atomic<bool> busy_{false};
};

// enter() for a scope.
template <class Backend>
class use_guard {
public:
    explicit use_guard(connection_state<Backend>& state) : state_(state) { state_.enter(); }
    use_guard(const use_guard&) = delete;
    use_guard& operator=(const use_guard&) = delete;
    ~use_guard() { state_.leave(); }

private:
    connection_state<Backend>& state_;
};

}  // namespace detail

// A connection from an engine's pool. Cheap to move; its transactions and streams share it, so each
// may outlive the object (or live on after it moved): the backend connection goes back to the pool
// when the last of them is gone. One thread at a time: a call from a second thread while one runs
// is a programming_error. After the link to the server is lost, the next statement runs on a new
// connection from the pool, unless a transaction was open: then, until it is rolled back, every
// statement is an operational_error (the server already rolled it back).
template <class Backend>
class basic_connection {
public:
    using backend_type = Backend;
    using dialect = typename backend_traits<Backend>::dialect;
    using cursor = typename Backend::cursor;
    using handle = typename basic_pool<Backend>::handle;
    using state_type = detail::connection_state<Backend>;

    explicit basic_connection(std::shared_ptr<state_type> state) noexcept : state_(std::move(state)) {}

    // Runs any statement; returns the rows it changed (or returned).
    template <class S>
    std::int64_t execute(const S& statement) {
        return run_entry(&statement, detail::statement_entry_of<S, dialect, execute_binder>);
    }

    // One statement run once per item of a random-access range: `statement_for(item)` gives the
    // item's statement, of one type whose SQL is fixed at compile time. On PostgreSQL the
    // executions are pipelined (libpq's pipeline mode: one round trip per
    // Backend::batch_pipeline_depth of them); on SQLite the prepared statement runs once per item.
    // Returns the rows each execution changed, in item order. When one fails, `*failed_at` (if
    // given) is set to its index and its error is thrown. Outside a transaction the batch runs in
    // one of its own, so a failure leaves nothing of it; inside the caller's, the executions before
    // the failing one have run, and rolling back undoes them. The echo hook sees one event for the
    // batch (and BEGIN / COMMIT when it opens its own transaction).
    template <class Range, class Make>
        requires requires(const Range& r) {
            std::size(r);
            r[std::size_t{}];
        }
    std::vector<std::int64_t> execute_batch(const Range& items, Make&& statement_for,
                                            std::size_t* failed_at = nullptr) {
        using S = std::remove_cvref_t<std::invoke_result_t<Make&, decltype(items[std::size_t{}])>>;
        static_assert(S::is_static,
                      "crucible: execute_batch runs one statement whose SQL is fixed at compile time; this "
                      "statement's text is built at run time (dynamic_filter, or an IN list on SQLite)");
        // The statement being run stays alive until the next one is made: SQLite binds its values in
        // place, and steps it after the binder has returned.
        struct context {
            const Range* items;
            std::remove_reference_t<Make>* make;
            std::optional<S> current;
            static void bind(const void* object, std::size_t i, typename batch_binder::sink_type& sink) {
                auto& c = *static_cast<context*>(const_cast<void*>(object));
                c.current.reset();
                c.current.emplace((*c.make)((*c.items)[i]));
                std::as_const(*c.current).bind(sink);
            }
        };
        context c{&items, &statement_for, std::nullopt};
        std::vector<std::int64_t> affected(static_cast<std::size_t>(std::size(items)), 0);
        std::size_t failed = affected.size();
        try {
            const auto run = [&] {
                run_batch(backend::static_sql(sql::sql_text<S, dialect>), batch_binder(&c, &context::bind), affected,
                          failed);
            };
            if (affected.empty() || in_transaction()) {
                run();
            } else {
                // All or nothing: outside a transaction, PostgreSQL would commit each pipeline's
                // executions as one implicit transaction and SQLite each execution on its own.
                auto transaction = begin();
                run();
                transaction.commit();
            }
        } catch (...) {
            if (failed_at != nullptr) {
                *failed_at = failed;
            }
            throw;
        }
        return affected;
    }

    // Every row, read into the statement's result type.
    template <class S>
    std::vector<detail::row_of<S>> all(const S& statement) {
        detail::check_returns_rows<S>();
        if constexpr (detail::returns_rows<S>) {
            return all_rows<detail::row_of<S>, typename S::row_tuple>(
                &statement, detail::statement_entry_of<S, dialect, query_binder>);
        } else {
            return {};
        }
    }

    // Exactly one row; none or several is a programming_error.
    template <class S>
    detail::row_of<S> one(const S& statement) {
        detail::check_returns_rows<S>();
        if constexpr (detail::returns_rows<S>) {
            return one_row<detail::row_of<S>, typename S::row_tuple>(
                &statement, detail::statement_entry_of<S, dialect, query_binder>);
        } else {
            return {};
        }
    }

    // Zero or one row; several is a programming_error.
    template <class S>
    std::optional<detail::row_of<S>> one_or_none(const S& statement) {
        detail::check_returns_rows<S>();
        if constexpr (detail::returns_rows<S>) {
            return one_or_none_row<detail::row_of<S>, typename S::row_tuple>(
                &statement, detail::statement_entry_of<S, dialect, query_binder>);
        } else {
            return {};
        }
    }

    // The first row, if any.
    template <class S>
    std::optional<detail::row_of<S>> first(const S& statement) {
        detail::check_returns_rows<S>();
        if constexpr (detail::returns_rows<S>) {
            return first_row<detail::row_of<S>, typename S::row_tuple>(
                &statement, detail::statement_entry_of<S, dialect, query_binder>);
        } else {
            return {};
        }
    }

    // The first column of the first row; a query with no row is a programming_error.
    template <class S>
    auto scalar(const S& statement) {
        detail::check_returns_rows<S>();
        if constexpr (detail::returns_rows<S>) {
            return scalar_value<std::tuple_element_t<0, typename S::row_tuple>>(
                &statement, detail::statement_entry_of<S, dialect, query_binder>);
        }
    }

    // The rows as an input range, received as the loop goes: a large result is never held whole.
    template <class S>
    auto stream(const S& statement) {
        detail::check_returns_rows<S>();
        using stream_cursor = typename Backend::stream_cursor;
        using rows = row_stream<detail::row_of<S>, typename S::row_tuple, stream_cursor>;
        const detail::use_guard<Backend> use(*state_);
        return rows(stream_entry(&statement, detail::statement_entry_of<S, dialect, stream_binder>), state_);
    }

    // text(): rows read by position into Row (a struct or a tuple).
    template <class Row>
    std::vector<Row> all(const text_statement& statement) {
        const detail::use_guard<Backend> use(*state_);
        auto result = query_text(statement);
        using row_tuple = std::conditional_t<sql::detail::is_tuple<Row>::value, Row, std::tuple<Row>>;
        return read_all<Row, row_tuple>(result);
    }
    std::int64_t execute(const text_statement& statement);

    // Inserts a range of structs in multi-row VALUES statements, each within the backend's
    // parameter limit. Returns the number of rows inserted.
    template <class Range>
    std::int64_t insert_all(const Range& rows, std::size_t rows_per_statement = 0) {
        using T = std::remove_cvref_t<decltype(*std::begin(rows))>;
        constexpr const detail::insert_entry<execute_binder>& entry = detail::insert_entry_of<T, dialect, execute_binder>;
        if constexpr (std::contiguous_iterator<decltype(std::begin(rows))> &&
                      requires { std::data(rows); std::size(rows); }) {
            // Rows in one block of memory: each chunk is bound where it is, nothing is copied.
            return insert_rows_at(entry, std::data(rows), std::size(rows), rows_per_statement);
        } else {
            std::int64_t inserted = 0;
            const std::size_t chunk = insert_chunk_size(entry.columns, rows_per_statement);
            std::vector<T> batch;
            batch.reserve(chunk);
            for (const auto& row : rows) {
                batch.push_back(row);
                if (batch.size() == chunk) {
                    inserted += insert_rows_at(entry, batch.data(), batch.size(), rows_per_statement);
                    batch.clear();
                }
            }
            if (!batch.empty()) {
                inserted += insert_rows_at(entry, batch.data(), batch.size(), rows_per_statement);
            }
            return inserted;
        }
    }

    // Bulk load: COPY on PostgreSQL, multi-row INSERT chunks elsewhere. The key the database
    // assigns is left out, as with insert(). Returns the number of rows loaded.
    template <class Range>
    std::int64_t bulk_insert(const Range& rows) {
        using T = std::remove_cvref_t<decltype(*std::begin(rows))>;
        if constexpr (requires(Backend& b) { b.copy_rows(std::string_view{}, std::string_view{}, std::vector<std::tuple<int>>{}); }) {
            const detail::use_guard<Backend> use(*state_);
            auto as_tuple = [](const T& row) {
                static constexpr auto columns = detail::inserted_columns<T>();
                return [&]<std::size_t... I>(std::index_sequence<I...>) {
                    return std::tie(boost::pfr::get<columns[I]>(row)...);
                }(std::make_index_sequence<columns.size()>{});
            };
            return timed(
                detail::copy_columns_sql<T, dialect>,
                [&] {
                    auto_begin();
                    return backend().copy_rows(detail::quoted_table_sql<T, dialect>,
                                                  detail::copy_columns_sql<T, dialect>, rows, as_tuple);
                },
                0);
        } else {
            return insert_all(rows);
        }
    }

    // Commit-as-you-go: with autobegin on, the first statement outside a transaction begins one,
    // and commit() / rollback() end it (a connection returned to the pool uncommitted rolls back).
    void set_autobegin(bool on) noexcept;
    void commit();
    void rollback();

    // CREATE TABLE (and indexes) for each type, referenced tables first.
    template <class... Ts>
    void create_all(bool if_not_exists = true) {
        const std::array<detail::table_ddl, sizeof...(Ts)> tables{detail::table_ddl{
            schema::table<Ts>::name, detail::referenced_tables<Ts>,
            if_not_exists ? std::span<const std::string_view>(schema::create_statements<Ts, dialect, true>)
                          : std::span<const std::string_view>(schema::create_statements<Ts, dialect, false>)}...};
        run_ddl_all(tables, true);
    }
    // DROP TABLE for each type, referencing tables first.
    template <class... Ts>
    void drop_all(bool if_exists = true) {
        const std::array<detail::table_ddl, sizeof...(Ts)> tables{detail::table_ddl{
            schema::table<Ts>::name, detail::referenced_tables<Ts>,
            if_exists ? std::span<const std::string_view>(detail::drop_statements<Ts, dialect, true>)
                      : std::span<const std::string_view>(detail::drop_statements<Ts, dialect, false>)}...};
        run_ddl_all(tables, false);
    }

    // BEGIN, or a SAVEPOINT inside a transaction; rolled back unless committed.
    basic_transaction<Backend> begin();
    // SQLite: BEGIN IMMEDIATE, which takes the write lock now, so a transaction that reads and then
    // writes never fails on upgrading its lock (it waits up to busy_timeout for the lock instead).
    basic_transaction<Backend> begin_immediate()
        requires requires(Backend& b) { b.begin_immediate(); };

    bool in_transaction() const;
    // The backend connection (a new one from the pool if the last was lost).
    Backend& native() { return state_->backend(); }

private:
    friend class basic_transaction<Backend>;

    // Runs a statement; with an echo hook set, reports its SQL, duration and how many values the
    // backend bound (bound_parameter_count) or, for COPY and DDL, `parameters`.
    // A lost link is noticed here (state_type::run).
    template <class F>
    auto timed(std::string_view sql, F&& run, std::optional<std::size_t> parameters = std::nullopt) {
        state_type& s = *state_;
        return s.run([&] {
            if (s.echo == nullptr || !*s.echo) [[likely]] {
                return run();
            }
            const auto start = std::chrono::steady_clock::now();
            try {
                auto result = run();
                (*s.echo)(echo_event{sql, std::chrono::steady_clock::now() - start,
                                     parameters ? *parameters : s.link->bound_parameter_count(), 1,
                                     echo_kind::statement, {}});
                return result;
            } catch (const std::exception& e) {
                const std::size_t bound = parameters ? *parameters : s.link ? s.link->bound_parameter_count() : 0;
                (*s.echo)(echo_event{sql, std::chrono::steady_clock::now() - start, bound, 1, echo_kind::failed,
                                     e.what()});
                throw;
            }
        });
    }

    Backend& backend() { return state_->backend(); }

    void auto_begin() {
        if (state_->autobegin) [[unlikely]] {
            begin_if_idle();
        }
    }
    [[gnu::cold]] void begin_if_idle();
    basic_transaction<Backend> begin_with(void (*start)(Backend&), std::string_view sql);

    // A statement type adds only a constant naming its SQL and its bind function
    // (detail::statement_entry_of); the rest (transaction, echo, the backend's statement cache,
    // errors) is compiled once per backend, and the reading once per row type, which keeps a
    // translation unit with many queries quick to compile.
    using query_binder = typename Backend::in_place_binder;  // every row is read before the statement goes
    using stream_binder = typename Backend::query_binder;     // a stream outlives the call: values copied
    using execute_binder = typename Backend::execute_binder;

    cursor query_entry(const void* statement, const detail::statement_entry<query_binder>& entry);
    cursor query_static(backend::static_sql sql, const query_binder& binder);
    cursor query_dynamic(const std::string& sql, const query_binder& binder);
    cursor query_text(const text_statement& statement);

    using batch_binder = typename Backend::batch_binder;
    void run_batch(backend::static_sql sql, const batch_binder& binder, std::span<std::int64_t> affected,
                   std::size_t& failed_at);

    std::int64_t run_entry(const void* statement, const detail::statement_entry<execute_binder>& entry);
    std::int64_t run_static(backend::static_sql sql, const execute_binder& binder);
    std::int64_t run_dynamic(const std::string& sql, const execute_binder& binder);

    using stream_cursor = typename Backend::stream_cursor;
    stream_cursor stream_entry(const void* statement, const detail::statement_entry<stream_binder>& entry);
    stream_cursor stream_static(backend::static_sql sql, const stream_binder& binder);
    stream_cursor stream_dynamic(const std::string& sql, const stream_binder& binder);

    // What all(), one(), ... do, by row type: statements with the same result share it, and pass
    // their own part (SQL, binder) as the constant `entry`.
    template <class Row, class RowTuple>
    std::vector<Row> all_rows(const void* statement, const detail::statement_entry<query_binder>& entry) {
        const detail::use_guard<Backend> use(*state_);
        auto result = query_entry(statement, entry);
        return read_all<Row, RowTuple>(result);
    }
    template <class Row, class RowTuple>
    std::optional<Row> one_or_none_row(const void* statement, const detail::statement_entry<query_binder>& entry) {
        const detail::use_guard<Backend> use(*state_);
        auto result = query_entry(statement, entry);
        auto row = read_first<Row, RowTuple>(result);
        if (row && result.next()) {
            fail_entry("one(): the query returned more than one row", statement, entry);
        }
        return row;
    }
    template <class Row, class RowTuple>
    Row one_row(const void* statement, const detail::statement_entry<query_binder>& entry) {
        auto row = one_or_none_row<Row, RowTuple>(statement, entry);
        if (!row) {
            fail_entry("one(): the query returned no row", statement, entry);
        }
        return std::move(*row);
    }
    template <class Row, class RowTuple>
    std::optional<Row> first_row(const void* statement, const detail::statement_entry<query_binder>& entry) {
        const detail::use_guard<Backend> use(*state_);
        auto result = query_entry(statement, entry);
        return read_first<Row, RowTuple>(result);
    }
    template <class Value>
    Value scalar_value(const void* statement, const detail::statement_entry<query_binder>& entry) {
        const detail::use_guard<Backend> use(*state_);
        auto result = query_entry(statement, entry);
        if (!result.next()) {
            fail_entry("scalar(): the query returned no row", statement, entry);
        }
        detail::cursor_reader<cursor> reader{result};
        std::size_t index = 0;
        return sql::detail::read_element<Value>(reader, index);
    }

    // Row reading depends on the row type only, so statements with the same result share it.
    template <class Row, class RowTuple>
    static std::vector<Row> read_all(cursor& result) {
        std::vector<Row> rows;
        if constexpr (requires { result.row_count(); }) {
            rows.reserve(static_cast<std::size_t>(result.row_count()));  // PostgreSQL: already received
        }
        detail::cursor_reader<cursor> reader{result};
        while (result.next()) {
            rows.emplace_back(detail::row_in_place<Row, RowTuple, decltype(reader)>{reader});
        }
        return rows;
    }
    template <class Row, class RowTuple>
    static std::optional<Row> read_first(cursor& result) {
        std::optional<Row> row;  // the one object returned (NRVO), the row built inside it
        if (result.next()) {
            detail::cursor_reader<cursor> reader{result};
            row.emplace(detail::row_in_place<Row, RowTuple, decltype(reader)>{reader});
        }
        return row;
    }

    [[noreturn]] static void fail(const char* problem, std::string_view sql);
    // A programming_error naming the statement's SQL: its static text, or rendered now.
    [[noreturn]] static void fail_entry(const char* problem, const void* statement,
                                        const detail::statement_entry<query_binder>& entry);

    void run_ddl(std::string_view sql);
    // The statements of `tables` in foreign-key order: a table after the tables it references
    // (Kahn's algorithm over the few tables given; references to tables not given are ignored, and
    // a cycle keeps the given order); reversed for DROP. Compiled once per backend, not per call.
    void run_ddl_all(std::span<const detail::table_ddl> tables, bool create);

    // insert_all's rows per statement: `rows_per_statement`, or up to 1000, within the backend's
    // parameter limit.
    static std::size_t insert_chunk_size(std::size_t columns, std::size_t rows_per_statement);
    // `count` rows of entry's type from `first`, in chunks.
    std::int64_t insert_rows_at(const detail::insert_entry<execute_binder>& entry, const void* first,
                                std::size_t count, std::size_t rows_per_statement);
    // A multi-row INSERT of `rows` rows after `head`; a full chunk runs its interned text.
    std::int64_t insert_rows(std::string_view head, std::size_t columns, std::size_t rows, bool full_chunk,
                             const execute_binder& binder);

    std::shared_ptr<state_type> state_;
};

// An open transaction (or savepoint). Destroyed without commit(), it rolls back — also when an
// exception unwinds through it. It shares its connection, so it may outlive the connection object
// or be moved anywhere (a std::vector that grows). If the link was lost since BEGIN, commit() is an
// operational_error (the server rolled the transaction back) and rollback() only acknowledges it.
template <class Backend>
class basic_transaction {
public:
    basic_transaction(basic_transaction&& other) noexcept;
    basic_transaction& operator=(basic_transaction&&) = delete;
    ~basic_transaction();

    void commit();
    void rollback();

    bool is_savepoint() const noexcept { return !savepoint_.empty(); }

private:
    friend class basic_connection<Backend>;
    basic_transaction(std::shared_ptr<detail::connection_state<Backend>> state, std::string savepoint);

    void active() const;
    void finish(bool commit);

    std::shared_ptr<detail::connection_state<Backend>> state_;  // null once committed or rolled back
    std::string savepoint_;
    std::uint64_t generation_;  // the state's generation at BEGIN: another means the link was lost
};

// basic_connection's and basic_transaction's members that are not templates: out of the classes,
// so that with CRUCIBLE_SEPARATE_COMPILATION the explicit instantiations for each backend
// (crucible/engine/impl/*.ipp) are the only copy (see crucible/detail/config.hpp). Header-only,
// they are `inline` as in the class, so the statements' hot path compiles as before.

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void detail::connection_state<Backend>::check_lost() noexcept {
    if (link && !link->is_open()) {
        lost_in_transaction = transaction_open;
        transaction_open = false;
        savepoint_depth = 0;
        ++generation;
        link.invalidate("lost: a statement failed because the link to the server is gone");
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void detail::connection_state<Backend>::renew() {
    if (lost_in_transaction) {
        throw operational_error(
            "the connection was lost inside a transaction, which the database rolled back; roll the "
            "transaction back (or let it go out of scope) before using this connection again");
    }
    link.renew();
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void detail::connection_state<Backend>::throw_concurrent_use() {
    throw programming_error(
        "a connection was used from two threads at once (or re-entered while a call on it was running); "
        "take one connection per thread from the engine");
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::int64_t basic_connection<Backend>::execute(const text_statement& statement) {
    const detail::use_guard<Backend> use(*state_);
    return run_dynamic(statement.template render<dialect>(), [&](auto& sink) { statement.bind_all(sink); });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::set_autobegin(bool on) noexcept {
    state_->autobegin = on;
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::begin_if_idle() {
    state_type& s = *state_;
    Backend& b = s.backend();
    if (!b.in_transaction()) {
        s.run_command("BEGIN", [&] { b.begin(); });
        s.transaction_open = true;
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::commit() {
    const detail::use_guard<Backend> use(*state_);
    state_type& s = *state_;
    if (s.lost_in_transaction) {
        throw operational_error(
            "commit: the connection was lost inside the transaction; the database rolled it back and "
            "nothing of it was committed (rollback() acknowledges it)");
    }
    if (s.link && s.link->in_transaction()) {
        s.transaction_open = false;
        s.savepoint_depth = 0;
        s.run_command("COMMIT", [&] { s.link->commit(); });
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::rollback() {
    const detail::use_guard<Backend> use(*state_);
    state_type& s = *state_;
    s.lost_in_transaction = false;
    if (s.link && s.link->in_transaction()) {
        s.transaction_open = false;
        s.savepoint_depth = 0;
        s.run_command("ROLLBACK", [&] { s.link->rollback(); });
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_transaction<Backend> basic_connection<Backend>::begin() {
    return begin_with([](Backend& b) { b.begin(); }, "BEGIN");
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_transaction<Backend> basic_connection<Backend>::begin_immediate()
    requires requires(Backend& b) { b.begin_immediate(); }
{
    return begin_with([](Backend& b) { b.begin_immediate(); }, "BEGIN IMMEDIATE");
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_transaction<Backend> basic_connection<Backend>::begin_with(void (*start)(Backend&),
                                                                                      std::string_view sql) {
    const detail::use_guard<Backend> use(*state_);
    state_type& s = *state_;
    Backend& b = s.backend();
    if (!b.in_transaction()) {
        s.run_command(sql, [&] { start(b); });
        s.transaction_open = true;
        s.savepoint_depth = 0;
        return basic_transaction<Backend>(state_, {});
    }
    std::string name = "crucible_sp_" + std::to_string(s.savepoint_depth + 1);
    s.run_command("SAVEPOINT " + name, [&] { b.savepoint(name); });
    ++s.savepoint_depth;
    return basic_transaction<Backend>(state_, std::move(name));
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL bool basic_connection<Backend>::in_transaction() const {
    return state_->link ? state_->link->in_transaction() : state_->lost_in_transaction;
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::query_entry(const void* statement,
                                                                  const detail::statement_entry<query_binder>& entry)
    -> cursor {
    const query_binder binder(statement, entry.bind);
    if (entry.render == nullptr) [[likely]] {
        return query_static(entry.sql, binder);
    }
    return query_dynamic(entry.render(statement), binder);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::int64_t basic_connection<Backend>::run_entry(
    const void* statement, const detail::statement_entry<execute_binder>& entry) {
    const detail::use_guard<Backend> use(*state_);
    const execute_binder binder(statement, entry.bind);
    if (entry.render == nullptr) [[likely]] {
        return run_static(entry.sql, binder);
    }
    return run_dynamic(entry.render(statement), binder);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::query_static(backend::static_sql sql,
                                                                   const query_binder& binder) -> cursor {
    return timed(sql.view(), [&] {
        auto_begin();
        return backend().query_bound_in_place(sql, binder);
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::query_dynamic(const std::string& sql,
                                                                    const query_binder& binder) -> cursor {
    return timed(sql, [&] {
        auto_begin();
        return backend().query_text_bound_in_place(sql, binder);
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::query_text(const text_statement& statement) -> cursor {
    return query_dynamic(statement.template render<dialect>(), [&](auto& sink) { statement.bind_all(sink); });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::run_batch(backend::static_sql sql, const batch_binder& binder,
                                                                std::span<std::int64_t> affected,
                                                                std::size_t& failed_at) {
    if (affected.empty()) {
        return;
    }
    const detail::use_guard<Backend> use(*state_);
    state_type& s = *state_;
    s.run([&] {
        auto_begin();
        const auto start = std::chrono::steady_clock::now();
        if (s.echo == nullptr || !*s.echo) [[likely]] {
            backend().execute_batch_bound(sql, affected.size(), binder, affected, failed_at);
            return 0;
        }
        try {
            backend().execute_batch_bound(sql, affected.size(), binder, affected, failed_at);
        } catch (const std::exception& e) {
            (*s.echo)(echo_event{sql.view(), std::chrono::steady_clock::now() - start, 0, affected.size(),
                                 echo_kind::failed, e.what()});
            throw;
        }
        (*s.echo)(echo_event{sql.view(), std::chrono::steady_clock::now() - start, s.link->bound_parameter_count(),
                             affected.size(), echo_kind::statement, {}});
        return 0;
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::int64_t basic_connection<Backend>::run_static(backend::static_sql sql,
                                                                         const execute_binder& binder) {
    return timed(sql.view(), [&] {
        auto_begin();
        return backend().execute_bound(sql, binder);
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::int64_t basic_connection<Backend>::run_dynamic(const std::string& sql,
                                                                          const execute_binder& binder) {
    return timed(sql, [&] {
        auto_begin();
        return backend().execute_text_bound(sql, binder);
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::stream_entry(
    const void* statement, const detail::statement_entry<stream_binder>& entry) -> stream_cursor {
    const stream_binder binder(statement, entry.bind);
    if (entry.render == nullptr) [[likely]] {
        return stream_static(entry.sql, binder);
    }
    return stream_dynamic(entry.render(statement), binder);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::stream_static(backend::static_sql sql,
                                                                    const stream_binder& binder) -> stream_cursor {
    return timed(sql.view(), [&] {
        auto_begin();
        return backend().stream_bound(sql, binder);
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL auto basic_connection<Backend>::stream_dynamic(const std::string& sql,
                                                                     const stream_binder& binder) -> stream_cursor {
    return timed(sql, [&] {
        auto_begin();
        return backend().stream_text_bound(sql, binder);
    });
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::fail(const char* problem, std::string_view sql) {
    throw programming_error(problem, std::string(sql));
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::fail_entry(const char* problem, const void* statement,
                                                                 const detail::statement_entry<query_binder>& entry) {
    if (entry.render != nullptr) {
        fail(problem, entry.render(statement));
    }
    fail(problem, entry.sql.view());
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::run_ddl(std::string_view sql) {
    timed(
        sql,
        [&] {
            backend().execute_script(std::string(sql));
            return 0;
        },
        0);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_connection<Backend>::run_ddl_all(std::span<const detail::table_ddl> tables,
                                                                   bool create) {
    const detail::use_guard<Backend> use(*state_);
    std::vector<std::size_t> order;
    std::vector<bool> done(tables.size(), false);
    for (std::size_t round = 0; round < tables.size(); ++round) {
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (done[i]) {
                continue;
            }
            bool ready = true;
            for (const std::string_view ref : tables[i].references) {
                for (std::size_t j = 0; j < tables.size(); ++j) {
                    ready = ready && !(tables[j].name == ref && !done[j]);
                }
            }
            if (ready) {
                done[i] = true;
                order.push_back(i);
                break;
            }
        }
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (!done[i]) {
            order.push_back(i);
        }
    }
    for (std::size_t k = 0; k < order.size(); ++k) {
        for (const std::string_view sql : tables[order[create ? k : order.size() - 1 - k]].statements) {
            run_ddl(sql);
        }
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::size_t basic_connection<Backend>::insert_chunk_size(std::size_t columns,
                                                                              std::size_t rows_per_statement) {
    const std::size_t limit = std::max<std::size_t>(1, dialect::max_parameters / std::max<std::size_t>(1, columns));
    return rows_per_statement == 0 ? std::min<std::size_t>(limit, 1000) : std::min(rows_per_statement, limit);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::int64_t basic_connection<Backend>::insert_rows_at(
    const detail::insert_entry<execute_binder>& entry, const void* first, std::size_t count,
    std::size_t rows_per_statement) {
    struct run_of_rows {
        const detail::insert_entry<execute_binder>* entry;
        const char* first;
        std::size_t count;
        static void bind(void* self, typename execute_binder::sink_type& sink) {
            const auto* run = static_cast<const run_of_rows*>(self);
            run->entry->bind_rows(run->first, run->count, sink);
        }
    };
    const detail::use_guard<Backend> use(*state_);
    const std::size_t chunk = insert_chunk_size(entry.columns, rows_per_statement);
    std::int64_t inserted = 0;
    for (std::size_t at = 0; at < count; at += chunk) {
        const std::size_t n = std::min(chunk, count - at);
        const run_of_rows run{&entry, static_cast<const char*>(first) + at * entry.row_size, n};
        inserted += insert_rows(entry.head, entry.columns, n, n == chunk, execute_binder(&run, &run_of_rows::bind));
    }
    return inserted;
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL std::int64_t basic_connection<Backend>::insert_rows(std::string_view head, std::size_t columns,
                                                                          std::size_t rows, bool full_chunk,
                                                                          const execute_binder& binder) {
    if (full_chunk) {
        if (const auto sql = detail::interned_insert_sql<dialect>(head, columns, rows)) {
            return run_static(*sql, binder);
        }
    }
    return run_dynamic(detail::multi_row_insert_sql<dialect>(head, columns, rows), binder);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_transaction<Backend>::basic_transaction(basic_transaction&& other) noexcept
    : state_(std::move(other.state_)), savepoint_(std::move(other.savepoint_)), generation_(other.generation_) {}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_transaction<Backend>::basic_transaction(
    std::shared_ptr<detail::connection_state<Backend>> state, std::string savepoint)
    : state_(std::move(state)), savepoint_(std::move(savepoint)), generation_(state_->generation) {}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL basic_transaction<Backend>::~basic_transaction() {
    if (state_) {
        try {
            finish(false);
        } catch (...) {
            // The link is gone (the server rolled back), or the connection is busy in another
            // thread: the pool rolls back when the connection comes back.
        }
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_transaction<Backend>::commit() {
    finish(true);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_transaction<Backend>::rollback() {
    finish(false);
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_transaction<Backend>::finish(bool commit) {
    active();
    const auto state = std::move(state_);  // ended, whatever happens below
    detail::connection_state<Backend>& s = *state;
    const detail::use_guard<Backend> use(s);
    if (generation_ != s.generation || !s.link) {
        // The link was lost since BEGIN: the server rolled the transaction back.
        if (savepoint_.empty()) {
            s.lost_in_transaction = false;
        }
        if (commit) {
            throw operational_error(
                "commit: the connection was lost during this transaction; the database rolled it back and "
                "nothing of it was committed");
        }
        return;
    }
    Backend& b = *s.link;
    if (savepoint_.empty()) {
        s.transaction_open = false;
        s.savepoint_depth = 0;
        s.run_command(commit ? "COMMIT" : "ROLLBACK", [&] {
            if (commit) {
                b.commit();
            } else {
                b.rollback();
            }
        });
    } else {
        --s.savepoint_depth;
        // The text is for the echo hook only: built when there is one.
        const bool echoed = s.echo != nullptr && *s.echo;
        const std::string sql = !echoed ? std::string()
                                : commit ? "RELEASE SAVEPOINT " + savepoint_
                                         : "ROLLBACK TO SAVEPOINT " + savepoint_ + "; RELEASE SAVEPOINT " + savepoint_;
        s.run_command(sql, [&] {
            if (!commit) {
                b.rollback_to_savepoint(savepoint_);
            }
            b.release_savepoint(savepoint_);
        });
    }
}

template <class Backend>
CRUCIBLE_TEMPLATE_DECL void basic_transaction<Backend>::active() const {
    if (!state_) {
        throw programming_error("the transaction was already committed or rolled back");
    }
}

} // namespace crucible
