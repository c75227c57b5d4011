// fyyur: the venue-booking site of the Udacity course, in C++ on crucible.
//   fyyur                      # SQLite file fyyur.db (created on first start), http://127.0.0.1:5000
//   fyyur --seed               # with the original's three venues, three artists and five shows
//   fyyur --db postgresql://user:pw@host/db --port 8080 --echo
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "app.hpp"
#include "crucible/engine/engine.hpp"

namespace {

constexpr std::string_view usage = R"(usage: fyyur [options]
  --db URL        database: the file fyyur.db here, created on first start, in WAL mode (default:
                  sqlite:///fyyur.db?journal_mode=wal&synchronous=normal), sqlite:////absolute/path.db,
                  or postgresql://user:password@host:port/dbname (postgresql:// alone uses libpq's
                  PG* environment variables)
  --host ADDRESS  address to listen on (default 127.0.0.1)
  --port N        port to listen on (default 5000; 0 picks a free one, printed at start)
  --threads N     worker threads (default 8)
  --keep-alive N  requests one connection may make before the server closes it (default 100; 1
                  closes each connection after its response, like gunicorn's sync workers)
  --seed          load the original fyyur's venues, artists and shows into an empty database
  --echo          log each SQL statement (text, duration, parameter count; never values)
  --quiet         no line per request
  --secret TEXT   key that signs the session cookie (default: $FYYUR_SECRET, else random per start)
  --help          this text
)";

struct options {
    std::string db = "sqlite:///fyyur.db?journal_mode=wal&synchronous=normal";
    std::string host = "127.0.0.1";
    int port = 5000;
    int threads = 8;
    int keep_alive = 100;
    bool seed = false;
    bool echo = false;
    bool quiet = false;
    std::string secret;
};

[[noreturn]] void bad_usage(const std::string& message) {
    std::cerr << "fyyur: " << message << "\n\n" << usage;
    std::exit(2);
}

int number(const std::string& flag, const char* text, int low, int high) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(text, &used);
        if (used == std::string_view(text).size() && v >= low && v <= high) {
            return v;
        }
    } catch (const std::exception&) {
    }
    bad_usage(flag + " wants a number from " + std::to_string(low) + " to " + std::to_string(high) + ", not '" + text + "'");
}

options parse(int argc, char** argv) {
    options o;
    if (const char* secret = std::getenv("FYYUR_SECRET")) {
        o.secret = secret;
    }
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                bad_usage(arg + " wants a value");
            }
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::cout << usage;
            std::exit(0);
        } else if (arg == "--db") {
            o.db = value();
        } else if (arg == "--host") {
            o.host = value();
        } else if (arg == "--port") {
            o.port = number(arg, value(), 0, 65535);
        } else if (arg == "--threads") {
            o.threads = number(arg, value(), 1, 256);
        } else if (arg == "--keep-alive") {
            o.keep_alive = number(arg, value(), 1, 100000);
        } else if (arg == "--seed") {
            o.seed = true;
        } else if (arg == "--echo") {
            o.echo = true;
        } else if (arg == "--quiet") {
            o.quiet = true;
        } else if (arg == "--secret") {
            o.secret = value();
        } else {
            bad_usage("unknown option " + arg);
        }
    }
    if (o.secret.empty()) {
        o.secret = fyyur::web::random_hex(32);
    }
    return o;
}

int serve(const options& o) {
    fyyur::app_options config;
    config.db = o.db;
    config.secret = o.secret;
    if (o.echo) {
        config.echo = crucible::echo_to(std::clog);
    }
    const std::unique_ptr<fyyur::app> site = fyyur::make_app(config);
    if (o.seed) {
        std::cout << (site->seed() ? "fyyur: seeded 3 venues, 3 artists and 5 shows\n"
                                   : "fyyur: the database has venues already; --seed left it as it is\n");
    }
    httplib::Server server;
    const int threads = o.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    // Answers go out at once: without it a response written in two parts waits for the client's
    // delayed ACK (40 ms on Linux), Nagle's algorithm against keep-alive.
    server.set_tcp_nodelay(true);
    // A connection holds its worker thread while it is kept alive.
    server.set_keep_alive_max_count(static_cast<std::size_t>(o.keep_alive));
    site->routes(server);
    if (!o.quiet) {
        // One line per request with its duration (measured from routing to the logger, on the
        // worker thread that served it).
        static thread_local std::chrono::steady_clock::time_point started;
        server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
            started = std::chrono::steady_clock::now();
            return httplib::Server::HandlerResponse::Unhandled;
        });
        server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
            std::clog << req.remote_addr << " \"" << req.method << ' ' << req.path << "\" " << res.status << ' '
                      << static_cast<double>(us.count()) / 1000.0 << " ms\n";
        });
    }
    int port = o.port;
    if (port == 0) {
        port = server.bind_to_any_port(o.host);
    } else if (!server.bind_to_port(o.host, port)) {
        port = -1;
    }
    if (port < 0) {
        std::cerr << "fyyur: cannot listen on " << o.host << ':' << o.port << '\n';
        return 1;
    }
    std::cout << "fyyur: serving on http://" << o.host << ':' << port << "/ (" << site->dialect()
              << ")" << std::endl;
    server.listen_after_bind();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    try {
        return serve(o);
    } catch (const crucible::error& e) {
        std::cerr << "fyyur: " << e.what() << '\n';
        return 1;
    }
}
