// `ocspmx`: the command-line front door (CONTRACT.md §5).
#include <cstdio>
#include <exception>
#include <span>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace {

constexpr const char* usage_text =
    "usage:\n"
    "  ocspmx send   [--config FILE] [--OPTION VALUE]... (--host HOST[:PORT]... | --domain DOMAIN)\n"
    "                [--resolve NAME:ADDR]... --from ADDR --to ADDR... [--data FILE|-]\n"
    "                [--json] [--transcript]\n"
    "  ocspmx probe  [--config FILE] [--OPTION VALUE]... --host HOST[:PORT] [--resolve NAME:ADDR] [--json]\n"
    "  ocspmx match  LIST --name NAME --ip ADDR [--config FILE]\n"
    "  ocspmx verify --response DER --cert PEM --issuer PEM [--anchors PEM] [--at TIME] [--json]\n";

}  // namespace

int main(int argc, char** argv)
{
    using namespace ocspmx::cli;
    if (argc < 2) {
        std::fputs(usage_text, stderr);
        return exit_usage;
    }
    const std::string_view command = argv[1];
    const std::span<char* const> rest(argv + 2, static_cast<std::size_t>(argc - 2));
    try {
        if (command == "send") return cmd_send(rest);
        if (command == "probe") return cmd_probe(rest);
        if (command == "match") return cmd_match(rest);
        if (command == "verify") return cmd_verify(rest);
        if (command == "--help" || command == "-h" || command == "help") {
            std::fputs(usage_text, stdout);
            return exit_ok;
        }
        if (command == "--version") {
            std::puts("ocspmx " OCSPMX_VERSION);
            return exit_ok;
        }
    } catch (const std::exception& e) {
        // Exceptions mean a bug; a pipe agent must still say something and
        // make the MTA keep the message.
        std::fprintf(stderr, "ocspmx: internal error: %s\n", e.what());
        return exit_software;
    }
    std::fprintf(stderr, "ocspmx: unknown command '%s'\n%s", argv[1], usage_text);
    return exit_usage;
}
