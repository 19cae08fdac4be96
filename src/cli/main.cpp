// `ocspmx`: the command-line front door (CONTRACT.md §5).
#include <cstdio>
#include <exception>
#include <span>
#include <string_view>

#include <gnutls/gnutls.h>

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

// Which GnuTLS does the work, and whether a GnuTLS security update reaches
// this program without a rebuild (src/cli/meson.build, static_gnutls).
void print_version()
{
    std::printf("ocspmx " OCSPMX_VERSION "\n");
#ifdef OCSPMX_GNUTLS_STATIC
    std::printf("GnuTLS %s, linked into the program: rebuild ocspmx after a GnuTLS update\n",
                gnutls_check_version(nullptr));
#else
    std::printf("GnuTLS %s, shared library\n", gnutls_check_version(nullptr));
#endif
}

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
            print_version();
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
