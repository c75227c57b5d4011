// crucible on PostgreSQL as a benchmark peer (its own translation unit).
#include <cctype>
#include <string>
#include <string_view>

#include "crucible/engine/postgres.hpp"
#include "crucible_peer.hpp"
#include "harness.hpp"
#include "postgres_backend.hpp"

namespace bench {
namespace {

// The harness hands a libpq conninfo ("options='-c search_path=...'", the PG* variables doing
// the rest). crucible's engines take a URL, and a crucible::url's query entries are passed to
// libpq as conninfo keywords: split the conninfo's `key='value'` pairs into them. (crucible has no
// create_engine from a conninfo string; a URL would carry the same as
// postgresql:///?options=-c%20search_path%3D...)
crucible::url url_from_conninfo(std::string_view conninfo) {
    crucible::url location;
    location.scheme = "postgresql";
    location.text = "postgresql://";
    std::size_t i = 0;
    auto skip_spaces = [&] {
        while (i < conninfo.size() && std::isspace(static_cast<unsigned char>(conninfo[i]))) {
            ++i;
        }
    };
    for (skip_spaces(); i < conninfo.size(); skip_spaces()) {
        const auto eq = conninfo.find('=', i);
        if (eq == std::string_view::npos) {
            throw crucible::programming_error("malformed conninfo '" + std::string(conninfo) + "'");
        }
        std::string key(conninfo.substr(i, eq - i));
        while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) {
            key.pop_back();
        }
        i = eq + 1;
        skip_spaces();
        std::string value;
        if (i < conninfo.size() && conninfo[i] == '\'') {
            for (++i; i < conninfo.size() && conninfo[i] != '\''; ++i) {
                if (conninfo[i] == '\\' && i + 1 < conninfo.size()) {
                    ++i;
                }
                value.push_back(conninfo[i]);
            }
            ++i;  // the closing quote
        } else {
            while (i < conninfo.size() && !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
                value.push_back(conninfo[i++]);
            }
        }
        location.query[key] = value;
    }
    return location;
}

struct crucible_postgres {
    static crucible::postgres_engine engine(const std::string& connection) {
        crucible::engine_options<crucible::backend::postgres_connection> options;
        options.pool.pool_size = 1;
        return crucible::postgres_engine(url_from_conninfo(connection), options);
    }
};

}  // namespace

void register_postgres_crucible_peer() {
    register_peer<postgres_backend, orm::crucible_peer<crucible_postgres>>("crucible");
}

}  // namespace bench
