#include "options.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace ocspmx::testserver {
namespace {

constexpr std::array<std::pair<std::string_view, Stage>, 11> kStages{{
    {"connect", Stage::connect},
    {"greeting", Stage::greeting},
    {"ehlo", Stage::ehlo},
    {"ehlo-tls", Stage::ehlo_tls},
    {"starttls", Stage::starttls},
    {"handshake", Stage::handshake},
    {"mail", Stage::mail},
    {"rcpt", Stage::rcpt},
    {"data", Stage::data},
    {"body", Stage::body},
    {"dot", Stage::dot},
}};

constexpr std::array<std::pair<std::string_view, Action>, 5> kActions{{
    {"close", Action::close},
    {"stall", Action::stall},
    {"421", Action::reply421},
    {"garbage", Action::garbage},
    {"hugeline", Action::hugeline},
}};

int parse_int(std::string_view flag, std::string_view text, int lo, int hi)
{
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi) {
        throw std::invalid_argument(std::string(flag) + ": not a number in [" + std::to_string(lo) +
                                    ", " + std::to_string(hi) + "]: '" + std::string(text) + "'");
    }
    return value;
}

Fault parse_fault(std::string_view text)
{
    auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        throw std::invalid_argument("--fault: expected STAGE:ACTION, got '" + std::string(text) +
                                    "'");
    }
    auto stage_text = text.substr(0, colon);
    auto action_text = text.substr(colon + 1);
    Fault fault{};
    bool stage_ok = false;
    for (const auto& [name, stage] : kStages) {
        if (name == stage_text) {
            fault.stage = stage;
            stage_ok = true;
        }
    }
    bool action_ok = false;
    for (const auto& [name, action] : kActions) {
        if (name == action_text) {
            fault.action = action;
            action_ok = true;
        }
    }
    if (!stage_ok)
        throw std::invalid_argument("--fault: unknown stage '" + std::string(stage_text) + "'");
    if (!action_ok)
        throw std::invalid_argument("--fault: unknown action '" + std::string(action_text) + "'");
    return fault;
}

}  // namespace

const char* stage_name(Stage stage)
{
    for (const auto& [name, s] : kStages) {
        if (s == stage) return name.data();
    }
    return "?";
}

std::optional<Action> Options::fault_at(Stage stage) const
{
    for (const auto& fault : faults) {
        if (fault.stage == stage) return fault.action;
    }
    return std::nullopt;
}

std::string Options::priority_string() const
{
    if (!priority.empty()) return priority;
    if (tls_max == "1.2") return "NORMAL:-VERS-TLS1.3";
    return "NORMAL";
}

const char* usage()
{
    return "usage: ocspmx-testserver [--listen ADDR] [--port N] [--hostname NAME]\n"
           "         [--cert PEM --key PEM] [--staple FILE] [--staple-intermediate FILE]\n"
           "         [--tls-max 1.2|1.3] [--priority STRING] [--no-starttls]\n"
           "         [--starttls-reply CODE] [--handshake-fail] [--request-client-cert]\n"
           "         [--maildir DIR]\n"
           "         [--reject-data] [--record FILE] [--fault STAGE:ACTION]...\n"
           "  STAGE: connect greeting ehlo ehlo-tls starttls handshake mail rcpt data body dot\n"
           "  ACTION: close stall 421 garbage hugeline\n";
}

Options parse_options(int argc, char** argv)
{
    using Setter = void (*)(Options&, const std::string&);
    struct Flag {
        std::string_view name;
        bool takes_value;
        Setter set;
    };
    static constexpr Flag kFlags[] = {
        {"--listen", true, [](Options& o, const std::string& v) { o.listen = v; }},
        {"--port", true,
         [](Options& o, const std::string& v) {
             o.port = static_cast<std::uint16_t>(parse_int("--port", v, 0, 65535));
         }},
        {"--hostname", true, [](Options& o, const std::string& v) { o.hostname = v; }},
        {"--cert", true, [](Options& o, const std::string& v) { o.cert = v; }},
        {"--key", true, [](Options& o, const std::string& v) { o.key = v; }},
        {"--staple", true, [](Options& o, const std::string& v) { o.staple = v; }},
        {"--staple-intermediate", true,
         [](Options& o, const std::string& v) { o.staple_intermediate = v; }},
        {"--tls-max", true,
         [](Options& o, const std::string& v) {
             if (v != "1.2" && v != "1.3") {
                 throw std::invalid_argument("--tls-max: expected 1.2 or 1.3, got '" + v + "'");
             }
             o.tls_max = v;
         }},
        {"--priority", true, [](Options& o, const std::string& v) { o.priority = v; }},
        {"--no-starttls", false, [](Options& o, const std::string&) { o.no_starttls = true; }},
        {"--starttls-reply", true,
         [](Options& o, const std::string& v) {
             o.starttls_reply = parse_int("--starttls-reply", v, 200, 599);
         }},
        {"--handshake-fail", false,
         [](Options& o, const std::string&) { o.handshake_fail = true; }},
        {"--request-client-cert", false,
         [](Options& o, const std::string&) { o.request_client_cert = true; }},
        {"--maildir", true, [](Options& o, const std::string& v) { o.maildir = v; }},
        {"--record", true, [](Options& o, const std::string& v) { o.record = v; }},
        {"--reject-data", false, [](Options& o, const std::string&) { o.reject_data = true; }},
        {"--fault", true,
         [](Options& o, const std::string& v) { o.faults.push_back(parse_fault(v)); }},
    };

    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const Flag* flag = nullptr;
        for (const auto& f : kFlags) {
            if (f.name == arg) flag = &f;
        }
        if (flag == nullptr)
            throw std::invalid_argument("unknown option '" + std::string(arg) + "'");
        std::string value;
        if (flag->takes_value) {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + ": missing value");
            value = argv[++i];
        }
        flag->set(opt, value);
    }
    if (opt.cert.empty() != opt.key.empty()) {
        throw std::invalid_argument("--cert and --key go together");
    }
    if (!opt.tls_enabled() && (!opt.staple.empty() || !opt.staple_intermediate.empty())) {
        throw std::invalid_argument("--staple needs --cert");
    }
    return opt;
}

}  // namespace ocspmx::testserver
