// fyyur as a program sees it: an app made from a database URL, which creates its tables, can load
// the seed data, and puts its routes on a cpp-httplib server. Its templates (site.hpp) are
// compiled once, in site.cpp, for SQLite and PostgreSQL.
#pragma once

#include <httplib.h>

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "crucible/engine/connection.hpp"
#include "web.hpp"

namespace fyyur {

struct app_options {
    std::string db = "sqlite:///fyyur.db";  // sqlite:///file.db or postgresql://...
    std::string secret;                     // signs the session cookie (random when empty)
    crucible::echo_hook echo;               // sees each SQL statement (SQL text, never values)
    std::ostream* log = nullptr;            // errors behind 500 pages (std::cerr when null)
    std::function<web::timestamp()> clock;  // "now", splitting past from upcoming shows (the system clock when empty)
};

class app {
public:
    virtual ~app() = default;
    virtual void routes(httplib::Server& server) = 0;
    virtual bool seed() = 0;                          // false when there are venues already
    virtual std::string_view dialect() const = 0;     // "sqlite" or "postgresql"
};

// Connects (the tables and the 19 genres are created when missing).
std::unique_ptr<app> make_app(app_options options);

}  // namespace fyyur
