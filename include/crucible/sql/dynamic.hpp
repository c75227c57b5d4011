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
#include "crucible/dialect/dialect.hpp"
#include "crucible/schema/value_type.hpp"
#include "crucible/sql/node.hpp"
#include "crucible/sql/operators.hpp"

namespace crucible::sql {

// A value bound by a dynamic condition, in a normalised form.
using dynamic_value = std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string,
                                   std::vector<std::byte>, std::chrono::sys_time<std::chrono::microseconds>>;

namespace detail {

struct dynamic_collector {
    std::vector<dynamic_value>* values;

    template <class V>
    void operator()(const V& value) const {
        if constexpr (schema::is_nullable<V>) {
            if (value) {
                (*this)(*value);
            } else {
                values->emplace_back(std::monostate{});
            }
        } else if constexpr (std::is_array_v<V> || std::is_same_v<V, const char*> || std::is_same_v<V, char*> ||
                             std::is_same_v<V, std::string_view>) {
            values->emplace_back(std::string(std::string_view(value)));
        } else if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, std::string> || std::is_same_v<V, double>) {
            values->emplace_back(value);
        } else if constexpr (std::is_enum_v<V>) {
            values->emplace_back(static_cast<std::int64_t>(value));
        } else if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) {
            values->emplace_back(static_cast<std::int64_t>(value));
        } else if constexpr (std::is_integral_v<V>) {
            values->emplace_back(static_cast<std::uint64_t>(value));
        } else if constexpr (std::is_floating_point_v<V>) {
            values->emplace_back(static_cast<double>(value));
        } else if constexpr (std::is_same_v<V, std::vector<unsigned char>>) {
            std::vector<std::byte> bytes(value.size());
            for (std::size_t i = 0; i < value.size(); ++i) {
                bytes[i] = static_cast<std::byte>(value[i]);
            }
            values->emplace_back(std::move(bytes));
        } else if constexpr (std::is_same_v<V, std::vector<std::byte>>) {
            values->emplace_back(value);
        } else {
            values->emplace_back(std::chrono::time_point_cast<std::chrono::microseconds>(value));
        }
    }
};

} // namespace detail

// `dynamic_filter<Artist> f; if (city) f.add(col<&Artist::city> == *city); select<Artist>().where(f)`
// The conditions are joined with AND; an empty filter is true. Sources lists the tables the
// conditions may read, so the statement's FROM check still holds.
template <class... Sources>
class dynamic_filter : public node_tag {
public:
    using value_type = bool;
    using sources = detail::type_list<Sources...>;
    using bare_columns = detail::type_list<>;
    static constexpr bool has_aggregate = false;
    static constexpr bool is_static = false;

    template <class E>
    dynamic_filter& add(E condition) {
        using node = node_t<E>;
        detail::check_boolean<node>();
        static_assert(detail::is_subset<typename node::sources, sources>,
                      "crucible: a column is used whose table is not in FROM or JOIN");
        static_assert(!node::has_aggregate, "crucible: an aggregate cannot be used in WHERE (use HAVING)");
        entry added;
        auto shared = std::make_shared<node>(as_node(std::move(condition)));
        added.render_sqlite = [shared](std::string& out, render_context& ctx) {
            shared->template render<dialect::sqlite>(out, ctx);
        };
        added.render_postgres = [shared](std::string& out, render_context& ctx) {
            shared->template render<dialect::postgres>(out, ctx);
        };
        detail::dynamic_collector collector{&added.values};
        shared->bind(collector);
        entries_.push_back(std::move(added));
        return *this;
    }

    bool empty() const noexcept { return entries_.empty(); }
    std::size_t size() const noexcept { return entries_.size(); }

    template <class D>
    void render(std::string& out, render_context& ctx) const {
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
                std::visit(
                    [&](const auto& v) {
                        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, std::monostate>) {
                            sink(std::optional<std::int64_t>{});
                        } else {
                            sink(v);
                        }
                    },
                    value);
            }
        }
    }

private:
    struct entry {
        std::function<void(std::string&, render_context&)> render_sqlite;
        std::function<void(std::string&, render_context&)> render_postgres;
        std::vector<dynamic_value> values;
    };
    std::vector<entry> entries_;
};

} // namespace crucible::sql
