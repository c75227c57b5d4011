// text("SELECT ... WHERE name = :name"): raw SQL with named bound parameters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crucible/error.hpp"
#include "crucible/sql/dynamic.hpp"
#include "crucible/sql/node.hpp"

namespace crucible {

// Raw SQL whose values are still bound: `:name` marks a parameter, given with .bind("name", v).
// The same name may appear several times. Quoted strings, quoted identifiers, comments and
// PostgreSQL's `::type` casts are left alone.
class text_statement {
public:
    explicit text_statement(std::string sql) : sql_(std::move(sql)) { parse(); }

    template <class V>
    text_statement& bind(std::string_view name, const V& value) {
        std::vector<sql::dynamic_value> collected;
        sql::detail::dynamic_collector collector{&collected};
        collector(value);
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (names_[i].first == name) {
                names_[i].second = std::move(collected.front());
                bound_[i] = true;
                return *this;
            }
        }
        throw programming_error("text(): no parameter :" + std::string(name) + " in the statement", sql_);
    }

    // The SQL for a dialect: each :name becomes that dialect's numbered placeholder, the same number
    // wherever the name appears (`$1` on PostgreSQL, `?1` on SQLite), numbered by first appearance.
    // So each name is one parameter, of one type at every place it is used.
    template <class D>
    std::string render() const {
        std::string out;
        std::size_t from = 0;
        for (const use& u : uses_) {
            out.append(sql_, from, u.at - from);
            D::numbered_placeholder(out, u.slot + 1);
            from = u.at + u.length;
        }
        out.append(sql_, from, std::string::npos);
        return out;
    }

    // Binds each name's value once, in the order of the names' first appearance. std::nullopt is a
    // NULL of no type (PostgreSQL infers it from its uses); an empty std::optional<T> a NULL of T's type.
    template <class Sink>
    void bind_all(Sink& sink) const {
        for (std::size_t i = 0; i < bound_.size(); ++i) {
            if (!bound_[i]) {
                throw programming_error("text(): parameter :" + names_[i].first + " was not given a value", sql_);
            }
        }
        for (const auto& named : names_) {
            sql::detail::bind_dynamic(named.second, sink);
        }
    }

    const std::string& sql() const noexcept { return sql_; }
    // How many parameters the statement binds: one per distinct :name, however often it appears.
    std::size_t parameter_count() const noexcept { return names_.size(); }

private:
    struct use {
        std::size_t at;
        std::size_t length;
        std::size_t slot;
    };

    static bool is_name_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    void parse() {
        const std::size_t n = sql_.size();
        for (std::size_t i = 0; i < n; ++i) {
            const char c = sql_[i];
            if (c == '\'' || c == '"') {
                const auto close = sql_.find(c, i + 1);
                i = close == std::string::npos ? n : close;
            } else if (c == '-' && i + 1 < n && sql_[i + 1] == '-') {
                const auto end = sql_.find('\n', i);
                i = end == std::string::npos ? n : end;
            } else if (c == '/' && i + 1 < n && sql_[i + 1] == '*') {
                const auto end = sql_.find("*/", i + 2);
                i = end == std::string::npos ? n : end + 1;
            } else if (c == ':' && i + 1 < n && sql_[i + 1] == ':') {
                ++i;  // ::cast
            } else if (c == ':' && i + 1 < n && is_name_char(sql_[i + 1]) && (i == 0 || sql_[i - 1] != ':')) {
                std::size_t end = i + 1;
                while (end < n && is_name_char(sql_[end])) {
                    ++end;
                }
                const std::string name = sql_.substr(i + 1, end - i - 1);
                std::size_t slot = names_.size();
                for (std::size_t k = 0; k < names_.size(); ++k) {
                    if (names_[k].first == name) {
                        slot = k;
                    }
                }
                if (slot == names_.size()) {
                    names_.emplace_back(name, sql::dynamic_value{});
                    bound_.push_back(false);
                }
                uses_.push_back({i, end - i, slot});
                i = end - 1;
            }
        }
    }

    std::string sql_;
    std::vector<std::pair<std::string, sql::dynamic_value>> names_;
    std::vector<bool> bound_;
    std::vector<use> uses_;
};

inline text_statement text(std::string sql) { return text_statement(std::move(sql)); }

} // namespace crucible
