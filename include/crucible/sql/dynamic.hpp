// dynamic_filter: the run-time escape hatch — conditions chosen while the program runs (optional
// filters), still typed when each is written, still with bound values. A statement that uses one
// renders its SQL at run time.
#pragma once

#include "crucible/detail/chrono.hpp"
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "crucible/detail/function.hpp"
#include "crucible/error.hpp"
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/value_type.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/sql/operators.hpp"
#include "crucible/sql/value_list.hpp"
#include "crucible/detail/sql_string.hpp"

namespace crucible::sql {

// The values of an IN list inside a dynamic condition, in a normalised form (NULL as nullopt).
template <class T>
using dynamic_list_of = std::vector<std::optional<T>>;
using dynamic_list =
    std::variant<dynamic_list_of<bool>, dynamic_list_of<std::int64_t>, dynamic_list_of<std::uint64_t>,
                 dynamic_list_of<double>, dynamic_list_of<std::string>, dynamic_list_of<std::vector<std::byte>>,
                 dynamic_list_of<std::chrono::sys_time<std::chrono::microseconds>>>;

// NULL given as an empty std::optional<T>: bound as a NULL of T's normalised type, so that PostgreSQL
// knows its type wherever it is used (also where it cannot infer one: `$1 IS NULL` before `s = $1`).
struct typed_null {
    enum class type : unsigned char { boolean, integer, unsigned_integer, real, text, blob, timestamp };
    type of;
};

// A value bound by a dynamic condition (or by text()), in a normalised form: std::monostate is
// NULL of no type (std::nullopt), bound as such so that PostgreSQL infers its type from its use.
using dynamic_value = std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string,
                                   std::vector<std::byte>, std::chrono::sys_time<std::chrono::microseconds>,
                                   dynamic_list, typed_null>;

namespace detail {

// A time point as the microseconds it is stored as; data_error when it is not a whole number of
// them or is out of range (never rounded, as the backends do when they bind it).
template <class Clock, class Duration>
std::chrono::sys_time<std::chrono::microseconds> dynamic_time(std::chrono::time_point<Clock, Duration> time) {
    const auto micros = crucible::detail::to_microseconds(time);
    if (micros.problem != crucible::detail::checked_microseconds::status::exact) [[unlikely]] {
        throw data_error(crucible::detail::timestamp_problem(micros.problem));
    }
    return std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(micros.value));
}

// A non-NULL value in its normalised form.
template <class V>
auto normalised(const V& value) {
    if constexpr (std::is_array_v<V> || std::is_same_v<V, const char*> || std::is_same_v<V, char*> ||
                  std::is_same_v<V, std::string_view>) {
        return std::string(std::string_view(value));
    } else if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, std::string> || std::is_same_v<V, double>) {
        return value;
    } else if constexpr (std::is_enum_v<V>) {
        return static_cast<std::int64_t>(value);
    } else if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) {
        return static_cast<std::int64_t>(value);
    } else if constexpr (std::is_integral_v<V>) {
        return static_cast<std::uint64_t>(value);
    } else if constexpr (std::is_floating_point_v<V>) {
        return static_cast<double>(value);
    } else if constexpr (std::is_same_v<V, std::vector<unsigned char>>) {
        std::vector<std::byte> bytes(value.size());
        for (std::size_t i = 0; i < value.size(); ++i) {
            bytes[i] = static_cast<std::byte>(value[i]);
        }
        return bytes;
    } else if constexpr (std::is_same_v<V, std::vector<std::byte>>) {
        return value;
    } else {
        return dynamic_time(value);
    }
}

// The typed_null of a normalised type.
template <class Normal>
constexpr typed_null null_of() {
    using type = typed_null::type;
    if constexpr (std::is_same_v<Normal, bool>) {
        return {type::boolean};
    } else if constexpr (std::is_same_v<Normal, std::int64_t>) {
        return {type::integer};
    } else if constexpr (std::is_same_v<Normal, std::uint64_t>) {
        return {type::unsigned_integer};
    } else if constexpr (std::is_same_v<Normal, double>) {
        return {type::real};
    } else if constexpr (std::is_same_v<Normal, std::string>) {
        return {type::text};
    } else if constexpr (std::is_same_v<Normal, std::vector<std::byte>>) {
        return {type::blob};
    } else {
        return {type::timestamp};
    }
}

struct dynamic_collector {
    std::vector<dynamic_value>* values;

    template <class V>
    void operator()(const V& value) const {
        if constexpr (is_value_list<V>) {
            using element = typename V::value_type;
            using normal = decltype(normalised(std::declval<const schema::non_null_t<element>&>()));
            dynamic_list_of<normal> list;
            list.reserve(value.size());
            for (const element& item : value) {
                if constexpr (schema::is_nullable<element>) {
                    list.push_back(item ? std::optional<normal>(normalised(*item)) : std::nullopt);
                } else {
                    list.emplace_back(normalised(item));
                }
            }
            values->emplace_back(dynamic_list(std::move(list)));
        } else if constexpr (std::is_same_v<V, std::nullopt_t>) {
            values->emplace_back(std::monostate{});
        } else if constexpr (schema::is_nullable<V>) {
            if (value) {
                (*this)(*value);
            } else {
                using normal = decltype(normalised(std::declval<const schema::non_null_t<V>&>()));
                values->emplace_back(null_of<normal>());
            }
        } else {
            values->emplace_back(normalised(value));
        }
    }
};

// Binds a collected value: NULL with no type (std::nullopt), a list as a value_list.
template <class Sink>
void bind_dynamic(const dynamic_value& value, Sink& sink) {
    std::visit(
        [&](const auto& v) {
            using held = std::remove_cvref_t<decltype(v)>;
            if constexpr (std::is_same_v<held, std::monostate>) {
                sink(std::nullopt);
            } else if constexpr (std::is_same_v<held, typed_null>) {
                using type = typed_null::type;
                switch (v.of) {
                    case type::boolean:
                        return sink(std::optional<bool>());
                    case type::integer:
                        return sink(std::optional<std::int64_t>());
                    case type::unsigned_integer:
                        return sink(std::optional<std::uint64_t>());
                    case type::real:
                        return sink(std::optional<double>());
                    case type::text:
                        return sink(std::optional<std::string>());
                    case type::blob:
                        return sink(std::optional<std::vector<std::byte>>());
                    case type::timestamp:
                        return sink(std::optional<std::chrono::sys_time<std::chrono::microseconds>>());
                }
            } else if constexpr (std::is_same_v<held, dynamic_list>) {
                std::visit([&](const auto& list) { sink(value_list<typename std::remove_cvref_t<decltype(list)>::value_type>{&list}); }, v);
            } else {
                sink(v);
            }
        },
        value);
}

} // namespace detail

// `dynamic_filter<Artist> f; if (city) f.add(col<&Artist::city> == *city); select<Artist>().where(f)`
// The conditions are joined with AND; an empty filter is true. Sources lists the tables the
// conditions may read, so the statement's FROM check still holds. Its conditions are rendered for
// both dialects (each add() compiles both), so a construct one dialect lacks (ILIKE) is refused;
// a program for one database says which with dynamic_filter_for<dialect::postgres, Artist>,
// whose conditions are compiled for that dialect alone (rendering it for another is the error).
template <class Dialect, class... Sources>
class basic_dynamic_filter : public node_tag {
public:
    using value_type = bool;
    using sources = detail::type_list<Sources...>;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = false;

    template <class E>
    basic_dynamic_filter& add(E condition) {
        using node = node_t<E>;
        detail::check_condition<detail::condition_of::where, node>();
        static_assert(detail::is_subset<typename node::sources, sources>,
                      "crucible: a column is used whose table is not in FROM or JOIN");
        static_assert(!node::has_aggregate, "crucible: an aggregate cannot be used in WHERE (use HAVING)");
        entry added;
        auto shared = std::make_shared<node>(as_node(std::move(condition)));
        if constexpr (std::is_void_v<Dialect> || std::is_same_v<Dialect, dialect::sqlite>) {
            added.render_sqlite = [shared](sql_string& out, render_context& ctx) {
                shared->template render<dialect::sqlite>(out, ctx);
            };
        }
        if constexpr (std::is_void_v<Dialect> || std::is_same_v<Dialect, dialect::postgres>) {
            added.render_postgres = [shared](sql_string& out, render_context& ctx) {
                shared->template render<dialect::postgres>(out, ctx);
            };
        }
        detail::dynamic_collector collector{&added.values};
        shared->bind(collector);
        entries_.push_back(std::move(added));
        return *this;
    }

    bool empty() const noexcept { return entries_.empty(); }
    std::size_t size() const noexcept { return entries_.size(); }

    template <class D>
    void render(sql_string& out, render_context& ctx) const {
        static_assert(std::is_void_v<Dialect> || std::is_same_v<Dialect, D>,
                      "crucible: this dynamic_filter_for was made for another database's dialect: its conditions "
                      "were compiled for that one alone");
        if (entries_.empty()) {
            out += "(1 = 1)";
            return;
        }
        out += '(';
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            if (i > 0) {
                out += " AND ";
            }
            if constexpr (std::is_same_v<D, dialect::sqlite>) {
                entries_[i].render_sqlite(out, ctx);
            } else {
                entries_[i].render_postgres(out, ctx);
            }
        }
        out += ')';
    }

    template <class Sink>
    void bind(Sink& sink) const {
        for (const entry& e : entries_) {
            for (const dynamic_value& value : e.values) {
                detail::bind_dynamic(value, sink);
            }
        }
    }

private:
    struct entry {
        std::function<void(sql_string&, render_context&)> render_sqlite;
        std::function<void(sql_string&, render_context&)> render_postgres;
        std::vector<dynamic_value> values;
    };
    std::vector<entry> entries_;
};

template <class... Sources>
using dynamic_filter = basic_dynamic_filter<void, Sources...>;
template <class Dialect, class... Sources>
using dynamic_filter_for = basic_dynamic_filter<Dialect, Sources...>;

} // namespace crucible::sql
