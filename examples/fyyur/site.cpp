// fyyur's compiled part: the embedded assets, the per-thread templates, and site<Backend> for both
// backends (compiled once here; main.cpp and the tests link it).
#include "site.hpp"

#include "app.hpp"
#include "seed.hpp"

#include <stdexcept>

#include "fyyur_assets.hpp"

namespace fyyur {

std::string_view asset(std::string_view name) {
    for (const assets::file& f : assets::files) {
        if (f.name == name) {
            return f.text;
        }
    }
    throw std::logic_error("fyyur: no embedded file " + std::string(name));
}

namespace {

// The template's text with each {{> name}} replaced by name.mustache's text (recursively).
std::string expand_partials(std::string_view text, int depth = 0) {
    if (depth > 8) {
        throw std::logic_error("fyyur: partials nest too deep");
    }
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("{{>", at);
        if (open == std::string_view::npos) {
            out.append(text.substr(at));
            return out;
        }
        const std::size_t close = text.find("}}", open);
        if (close == std::string_view::npos) {
            throw std::logic_error("fyyur: unclosed partial tag");
        }
        out.append(text.substr(at, open - at));
        std::string_view name = text.substr(open + 3, close - open - 3);
        while (!name.empty() && name.front() == ' ') {
            name.remove_prefix(1);
        }
        while (!name.empty() && name.back() == ' ') {
            name.remove_suffix(1);
        }
        out += expand_partials(asset(std::string(name) + ".mustache"), depth + 1);
        at = close + 2;
    }
}

}  // namespace

mustache::mustache& compiled_template(std::string_view name) {
    thread_local std::unordered_map<std::string, std::unique_ptr<mustache::mustache>> cache;
    auto& slot = cache[std::string(name)];
    if (!slot) {
        slot = std::make_unique<mustache::mustache>(expand_partials(asset(name)));
        if (!slot->is_valid()) {
            throw std::logic_error("fyyur: template " + std::string(name) + ": " + slot->error_message());
        }
    }
    return *slot;
}

namespace {

template <class Backend>
class app_on final : public app {
public:
    explicit app_on(app_options o)
        : engine_(crucible::create_engine<Backend>(o.db)),
          site_(engine_, o.secret.empty() ? web::random_hex(32) : o.secret,
                site_options{o.log ? o.log : &std::cerr, std::move(o.clock)}) {
        if (o.echo) {
            engine_.set_echo(std::move(o.echo));
        }
        prepare_database(engine_);
    }
    void routes(httplib::Server& server) override { site_.routes(server); }
    bool seed() override { return fyyur::seed(engine_); }
    std::string_view dialect() const override { return crucible::basic_engine<Backend>::dialect::name; }

private:
    crucible::basic_engine<Backend> engine_;
    site<Backend> site_;
};

}  // namespace

std::unique_ptr<app> make_app(app_options options) {
    if (crucible::parse_url(options.db).scheme == "sqlite") {
        return std::make_unique<app_on<crucible::backend::sqlite_connection>>(std::move(options));
    }
    return std::make_unique<app_on<crucible::backend::postgres_connection>>(std::move(options));
}

}  // namespace fyyur
