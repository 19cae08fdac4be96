// `ocspmx match LIST --name NAME --ip ADDR [--config FILE]` (CONTRACT.md
// §5): evaluates a host list as the transport would, with the system
// resolver, and says which item decided.
#include <array>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "hostlist/address.hpp"
#include "ocspmx/hostlist.hpp"

namespace ocspmx::cli {

namespace {

constexpr std::array<FlagSpec, 3> match_flags{{
    {"name", true, false},
    {"ip", true, false},
    {"config", true, false},
}};

int usage(const std::string& message)
{
    std::fprintf(stderr, "ocspmx match: %s\n", message.c_str());
    std::fputs("usage: ocspmx match LIST --name NAME --ip ADDR [--config FILE]\n", stderr);
    return exit_usage;
}

}  // namespace

int cmd_match(std::span<char* const> args)
{
    auto parsed = parse_args(args, match_flags, false);
    if (!parsed) return usage(parsed.error().message);
    if (parsed->positional.size() != 1) return usage("expected exactly one LIST argument");
    const auto name = parsed->get("name");
    const auto ip = parsed->get("ip");
    if (!name) return usage("missing --name");
    if (!ip) return usage("missing --ip");
    if (!hostlist::parse_address(*ip)) return usage("--ip: not an IP address: '" + *ip + "'");

    auto config = load_config(*parsed);
    if (!config) {
        std::fprintf(stderr, "ocspmx match: %s\n", config.error().message.c_str());
        return exit_config;
    }
    const std::string& text = parsed->positional.front();
    auto list = hostlist::HostList::compile(text, config->hostlists);
    if (!list) {
        std::fprintf(stderr, "ocspmx match: %s\n", list.error().message.c_str());
        return exit_config;
    }
    const auto resolver = hostlist::system_resolver();
    const hostlist::MatchResult r = list->match(*name, *ip, *resolver);
    switch (r.outcome) {
        case hostlist::Outcome::match:
            std::printf("match: %s\n",
                        r.item.empty() ? ("(" + r.reason + ")").c_str() : r.item.c_str());
            return exit_ok;
        case hostlist::Outcome::no_match:
            std::puts("no match");
            if (r.reason.starts_with("list matching forced to fail")) {
                std::fprintf(stderr, "ocspmx match: %s (item '%s')\n", r.reason.c_str(),
                             r.item.c_str());
            }
            return exit_no_match;
        case hostlist::Outcome::defer:
            std::printf("defer: %s\n", r.reason.c_str());
            return exit_tempfail;
    }
    return exit_software;
}

}  // namespace ocspmx::cli
