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
        throw std::invalid_argument(std::string(flag) + ": not a number in [" +
                                    std::to_string(lo) + ", " + std::to_string(hi) +
                                    "]: '" + std::string(text) + "'");
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
    if (!stage_ok) throw std::invalid_argument("--fault: unknown stage '" + std::string(stage_text) + "'");
    if (!action_ok) throw std::invalid_argument("--fault: unknown action '" + std::string(action_text) + "'");
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
           "         [--starttls-reply CODE] [--handshake-fail] [--maildir DIR]\n"
           "         [--reject-data] [--record FILE] [--fault STAGE:ACTION]...\n"
           "  STAGE: connect greeting ehlo ehlo-tls starttls handshake mail rcpt data body dot\n"
           "  ACTION: close stall 421 garbage hugeline\n";
}

Options parse_options(int argc, char** argv)
{
    Options opt;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + ": missing value");
            return argv[++i];
        };
        if (flag == "--listen") opt.listen = value();
        else if (flag == "--port") opt.port = static_cast<std::uint16_t>(parse_int(flag, value(), 0, 65535));
        else if (flag == "--hostname") opt.hostname = value();
        else if (flag == "--cert") opt.cert = value();
        else if (flag == "--key") opt.key = value();
        else if (flag == "--staple") opt.staple = value();
        else if (flag == "--staple-intermediate") opt.staple_intermediate = value();
        else if (flag == "--tls-max") {
            opt.tls_max = value();
            if (opt.tls_max != "1.2" && opt.tls_max != "1.3") {
                throw std::invalid_argument("--tls-max: expected 1.2 or 1.3, got '" + opt.tls_max + "'");
            }
        }
        else if (flag == "--priority") opt.priority = value();
        else if (flag == "--no-starttls") opt.no_starttls = true;
        else if (flag == "--starttls-reply") opt.starttls_reply = parse_int(flag, value(), 200, 599);
        else if (flag == "--handshake-fail") opt.handshake_fail = true;
        else if (flag == "--maildir") opt.maildir = value();
        else if (flag == "--record") opt.record = value();
        else if (flag == "--reject-data") opt.reject_data = true;
        else if (flag == "--fault") opt.faults.push_back(parse_fault(value()));
        else throw std::invalid_argument("unknown option '" + std::string(flag) + "'");
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
