#include "config/options.hpp"

#include <array>
#include <charconv>
#include <limits>

#include "ocspmx/hostlist.hpp"
#include "util/text.hpp"

namespace ocspmx::config {

namespace {

using K = OptionKind;
using O = Options;

// clang-format off
constexpr std::array options{
    OptionDef{.name = "hosts_require_ocsp",        .kind = K::host_list,       .host_list = &O::hosts_require_ocsp},
    OptionDef{.name = "hosts_request_ocsp",        .kind = K::host_list,       .host_list = &O::hosts_request_ocsp},
    OptionDef{.name = "hosts_require_tls",         .kind = K::host_list,       .host_list = &O::hosts_require_tls},
    OptionDef{.name = "hosts_avoid_tls",           .kind = K::host_list,       .host_list = &O::hosts_avoid_tls},
    OptionDef{.name = "tls_verify_certificates",   .kind = K::string,          .string = &O::tls_verify_certificates},
    OptionDef{.name = "tls_verify_hosts",          .kind = K::host_list,       .host_list = &O::tls_verify_hosts},
    OptionDef{.name = "tls_try_verify_hosts",      .kind = K::host_list,       .host_list = &O::tls_try_verify_hosts},
    OptionDef{.name = "tls_verify_cert_hostnames", .kind = K::host_list,       .host_list = &O::tls_verify_cert_hostnames},
    OptionDef{.name = "tls_sni",                   .kind = K::optional_string, .optional_string = &O::tls_sni},
    OptionDef{.name = "tls_require_ciphers",       .kind = K::optional_string, .optional_string = &O::tls_require_ciphers},
    OptionDef{.name = "tls_certificate",           .kind = K::optional_string, .optional_string = &O::tls_certificate},
    OptionDef{.name = "tls_privatekey",            .kind = K::optional_string, .optional_string = &O::tls_privatekey},
    OptionDef{.name = "tls_crl",                   .kind = K::optional_string, .optional_string = &O::tls_crl},
    OptionDef{.name = "tls_tempfail_tryclear",     .kind = K::boolean,         .boolean = &O::tls_tempfail_tryclear},
    OptionDef{.name = "ocsp_clock_skew",           .kind = K::time,            .time = &O::ocsp_clock_skew},
    OptionDef{.name = "ocsp_max_age",              .kind = K::time,            .time = &O::ocsp_max_age},
    OptionDef{.name = "ocsp_trusted_responders",   .kind = K::optional_string, .optional_string = &O::ocsp_trusted_responders},
    OptionDef{.name = "port",                      .kind = K::port,            .port = &O::port},
    OptionDef{.name = "connect_timeout",           .kind = K::time,            .time = &O::connect_timeout},
    OptionDef{.name = "command_timeout",           .kind = K::time,            .time = &O::command_timeout},
    OptionDef{.name = "data_timeout",              .kind = K::time,            .time = &O::data_timeout},
    OptionDef{.name = "helo_data",                 .kind = K::optional_string, .optional_string = &O::helo_data},
};
// clang-format on

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

Result<bool> parse_bool(std::string_view text)
{
    if (util::iequals(text, "true") || util::iequals(text, "yes")) return true;
    if (util::iequals(text, "false") || util::iequals(text, "no")) return false;
    return make_error("bad boolean value " + quoted(text) + " (true, false, yes or no)");
}

Result<unsigned> parse_port(std::string_view text)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
        value > 65535) {
        return make_error("bad port " + quoted(text) + " (1 to 65535)");
    }
    return value;
}

}  // namespace

const OptionDef* find_option(std::string_view name)
{
    for (const OptionDef& def : options) {
        if (def.name == name) return &def;
    }
    return nullptr;
}

bool is_option(std::string_view name) { return find_option(name) != nullptr; }

Result<void> check_host_list(std::string_view text, const Config& config)
{
    auto compiled = hostlist::HostList::compile(text, config.hostlists);
    if (!compiled) return std::move(compiled).error();
    return {};
}

Result<void> assign(Config& config, const OptionDef& def, std::string_view value, bool check_lists)
{
    Options& o = config.options;
    switch (def.kind) {
        case K::host_list:
            if (check_lists) {
                if (auto r = check_host_list(value, config); !r) return r;
            }
            o.*def.host_list = std::string(value);
            return {};
        case K::string:
            o.*def.string = std::string(value);
            return {};
        case K::optional_string:
            o.*def.optional_string = std::string(value);
            return {};
        case K::boolean: {
            auto b = parse_bool(value);
            if (!b) return std::move(b).error();
            o.*def.boolean = *b;
            return {};
        }
        case K::time: {
            auto t = parse_time(value);
            if (!t) return std::move(t).error();
            o.*def.time = *t;
            return {};
        }
        case K::port: {
            auto p = parse_port(value);
            if (!p) return std::move(p).error();
            o.*def.port = *p;
            return {};
        }
    }
    return {};
}

Result<void> set_option(Config& config, std::string_view name, std::string_view value)
{
    const OptionDef* def = find_option(name);
    if (!def) return make_error("unknown option " + quoted(name));
    return assign(config, *def, util::trim(value), true);
}

// Exim's readconf_readtime: a sequence of <number><unit>, unit one of
// s m h d w; a final number without a unit counts seconds.
Result<std::chrono::seconds> parse_time(std::string_view text)
{
    const std::string_view t = util::trim(text);
    auto bad = [&] {
        return make_error("bad time value " + quoted(text) + " (e.g. 30s, 5m, 2h, 1d, 1w, 1h30m)");
    };
    if (t.empty()) return bad();
    constexpr long long limit = std::numeric_limits<int>::max();
    long long total = 0;
    std::size_t i = 0;
    while (i < t.size()) {
        long long n = 0;
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
            n = n * 10 + (t[i] - '0');
            if (n > limit) return bad();
            ++i;
        }
        if (i == start) return bad();
        long long unit = 1;
        if (i < t.size()) {
            switch (t[i]) {
                case 's':
                    unit = 1;
                    break;
                case 'm':
                    unit = 60;
                    break;
                case 'h':
                    unit = 3600;
                    break;
                case 'd':
                    unit = 86400;
                    break;
                case 'w':
                    unit = 7 * 86400;
                    break;
                default:
                    return bad();
            }
            ++i;
        }
        total += n * unit;
        if (total > limit) return bad();
    }
    return std::chrono::seconds(total);
}

}  // namespace ocspmx::config
