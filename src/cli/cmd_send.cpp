// `ocspmx send` and `ocspmx probe` (CONTRACT.md §5).
//
// --time-budget (default 15m) and SIGTERM/SIGINT end a run with 75 through
// the ProcessGuard, as an MTA's pipe agent must (README.md, "Exit statuses").
//
// Output: with --json, one JSON object on stdout (the transcript, if asked
// for, then goes to stderr); otherwise the transcript on stdout. One
// Exim-style log line per attempt on stderr. Exit status: sysexits.h.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/guard.hpp"
#include "ocspmx/transport.hpp"
#include "util/file.hpp"

namespace ocspmx::cli {

namespace {

using transport::Host;
using transport::Outcome;

constexpr FlagSpec send_flags[] = {
    {"config"},
    {"host", true, true},
    {"domain"},
    {"resolve", true, true},
    {"from"},
    {"to", true, true},
    {"data"},
    {"json", false},
    {"transcript", false},
    {"time-budget"},
};

constexpr FlagSpec probe_flags[] = {
    {"config"}, {"host"}, {"resolve", true, true}, {"json", false}, {"transcript", false},
};

int fail(int code, const std::string& message)
{
    std::fprintf(stderr, "ocspmx: %s\n", message.c_str());
    return code;
}

bool all_digits(std::string_view s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_ip_literal(const std::string& text)
{
    unsigned char buf[sizeof(in6_addr)];
    return inet_pton(AF_INET, text.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// HOST[:PORT], with IPv6 literals in brackets: "[::1]:2525". A bare IPv6
// literal (more than one ':') has no port.
Result<Host> parse_host(std::string_view text)
{
    Host host;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return make_error("--host " + std::string(text) + ": missing ']'");
        host.name = std::string(text.substr(1, close - 1));
        // "[192.0.2.1]" is an address; "[mx.example]" a name not to be
        // MX-resolved (Postfix's nexthop convention), looked up by A/AAAA.
        if (is_ip_literal(host.name)) host.address = host.name;
        const auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(':'))
                return make_error("--host " + std::string(text) + ": junk after ']'");
            port = rest.substr(1);
        }
    } else if (const auto colon = text.find(':');
               colon != std::string_view::npos &&
               text.find(':', colon + 1) == std::string_view::npos) {
        host.name = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
    } else {
        host.name = std::string(text);
    }
    if (host.name.empty()) return make_error("--host " + std::string(text) + ": empty host name");
    if (!port.empty() || text.ends_with(':')) {
        if (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) == 0 ||
            std::stoul(std::string(port)) > 65535) {
            return make_error("--host " + std::string(text) + ": bad port '" + std::string(port) +
                              "'");
        }
        host.port = static_cast<unsigned>(std::stoul(std::string(port)));
    }
    return host;
}

// NAME:ADDR (curl's --resolve without the port); ADDR may be "[::1]".
Result<void> add_pin(transport::Environment& env, std::string_view text)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return make_error("--resolve " + std::string(text) + ": expected NAME:ADDR");
    }
    std::string address(text.substr(colon + 1));
    if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
        address = address.substr(1, address.size() - 2);
    }
    env.pins[std::string(text.substr(0, colon))].push_back(std::move(address));
    return {};
}

Result<std::string> read_message(const std::optional<std::string>& data)
{
    if (!data || *data == "-") {
        auto text = util::read_all(std::cin);
        if (!text) return make_error("standard input: read error");
        return std::move(*text);
    }
    std::ifstream in(*data, std::ios::binary);
    if (!in) return make_error("--data " + *data + ": cannot read file");
    auto text = util::read_all(in);
    if (!text) return make_error("--data " + *data + ": read error");
    return std::move(*text);
}

transport::TranscriptHook transcript_to(std::FILE* out)
{
    return [out](transport::TranscriptKind kind, std::string_view line) {
        const char* prefix = "===";
        switch (kind) {
            case transport::TranscriptKind::sent:
                prefix = " ->";
                break;
            case transport::TranscriptKind::received:
                prefix = "<- ";
                break;
            case transport::TranscriptKind::sent_tls:
                prefix = " ~>";
                break;
            case transport::TranscriptKind::received_tls:
                prefix = "<~ ";
                break;
            case transport::TranscriptKind::fact:
                break;
        }
        std::fprintf(out, "%s %.*s\n", prefix, static_cast<int>(line.size()), line.data());
        std::fflush(out);
    };
}

struct Common {
    ParsedArgs args;
    transport::Environment env;
    Config config;
    std::chrono::seconds time_budget = default_time_budget;
};

// Parses flags, config and pins. Returns an exit code on error.
std::variant<Common, int> prepare(std::span<char* const> argv, std::span<const FlagSpec> spec)
{
    Common c;
    auto parsed = parse_args(argv, spec, true);
    if (!parsed) return fail(exit_usage, parsed.error().message);
    c.args = std::move(*parsed);
    if (!c.args.positional.empty()) {
        return fail(exit_usage, "unexpected argument '" + c.args.positional.front() + "'");
    }
    auto config = load_config(c.args);
    if (!config) return fail(exit_config, config.error().message);
    c.config = std::move(*config);
    for (const auto& pin : c.args.all("resolve")) {
        if (auto ok = add_pin(c.env, pin); !ok) return fail(exit_usage, ok.error().message);
    }
    if (auto budget = c.args.get("time-budget")) {
        auto parsed_budget = config::parse_time(*budget);
        if (!parsed_budget || parsed_budget->count() <= 0) {
            return fail(exit_usage, "--time-budget " + *budget + ": expected a time such as 15m");
        }
        c.time_budget = *parsed_budget;
    }
    if (c.args.has("transcript")) {
        c.env.transcript = transcript_to(c.args.has("json") ? stderr : stdout);
    }
    return c;
}

// The outcome is known: the guard no longer ends the process (or, if a
// signal won the race, finish() does not return and exit 75 stands).
void print_report(ProcessGuard& guard, const ParsedArgs& args,
                  const transport::DeliveryReport& report)
{
    guard.finish();
    for (const auto& a : report.attempts) {
        std::fprintf(stderr, "%s\n", transport::log_line(a).c_str());
    }
    if (args.has("json")) std::printf("%s\n", transport::to_json(report).c_str());
}

}  // namespace

int cmd_send(std::span<char* const> argv)
{
    auto prepared = prepare(argv, send_flags);
    if (auto* code = std::get_if<int>(&prepared)) return *code;
    Common& c = std::get<Common>(prepared);
    const auto hosts_text = c.args.all("host");
    const auto domain = c.args.get("domain");
    if (hosts_text.empty() == !domain.has_value()) {
        return fail(exit_usage, "give either --host (repeatable) or --domain");
    }
    const auto from = c.args.get("from");
    if (!from) return fail(exit_usage, "--from is required ('' or '<>' for the null sender)");
    transport::Envelope envelope{*from == "<>" ? std::string() : *from, c.args.all("to")};
    if (envelope.rcpt_to.empty()) return fail(exit_usage, "at least one --to is required");
    std::vector<Host> hosts;
    for (const auto& text : hosts_text) {
        auto host = parse_host(text);
        if (!host) return fail(exit_usage, host.error().message);
        hosts.push_back(std::move(*host));
    }
    // SIGTERM/SIGINT and the time budget end the run with 75 from here on
    // (src/cli/guard.hpp); no thread exists yet.
    ProcessGuard guard(c.time_budget, c.args.has("json"));
    auto message = read_message(c.args.get("data"));
    if (!message) return fail(exit_dataerr, message.error().message);

    // --domain DOMAIN[:PORT] looks up MX records; "[NAME]" or "[ADDR]" (a
    // Postfix nexthop) is one host without an MX lookup.
    std::optional<std::string> mx_domain;
    if (domain) {
        auto target = parse_host(*domain);
        if (!target) return fail(exit_usage, "--domain" + target.error().message.substr(6));
        if (domain->starts_with('[')) {
            hosts.push_back(std::move(*target));
        } else {
            mx_domain = target->name;
            if (target->port) c.config.options.port = *target->port;
        }
    }
    auto opened = transport::Transport::open(c.config, std::move(c.env));
    if (!opened) return fail(exit_config, opened.error().message);
    const auto report = mx_domain ? opened->deliver_to_domain(envelope, *message, *mx_domain)
                                  : opened->deliver(envelope, *message, hosts);
    print_report(guard, c.args, report);
    switch (report.result) {
        case Outcome::delivered:
            return exit_ok;
        case Outcome::deferred:
            return exit_tempfail;
        case Outcome::failed:
            return exit_unavailable;
    }
    return exit_software;
}

int cmd_probe(std::span<char* const> argv)
{
    auto prepared = prepare(argv, probe_flags);
    if (auto* code = std::get_if<int>(&prepared)) return *code;
    Common& c = std::get<Common>(prepared);
    const auto host_text = c.args.get("host");
    if (!host_text) return fail(exit_usage, "--host is required");
    auto host = parse_host(*host_text);
    if (!host) return fail(exit_usage, host.error().message);
    ProcessGuard guard(c.time_budget, c.args.has("json"));
    auto opened = transport::Transport::open(c.config, std::move(c.env));
    if (!opened) return fail(exit_config, opened.error().message);
    const auto report = opened->probe(*host);
    print_report(guard, c.args, report);
    // Transport::probe reports `delivered` only for a verified staple, so
    // the --json result and the exit status (CONTRACT §5) say the same.
    return report.result == Outcome::delivered ? exit_ok : exit_tempfail;
}

}  // namespace ocspmx::cli
