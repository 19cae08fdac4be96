// Placeholder: replaced by the owner of `ocspmx send`.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace ocspmx::cli {

int cmd_send(std::span<char* const>)
{
    std::fputs("ocspmx: 'send' is not implemented yet\n", stderr);
    return exit_software;
}

int cmd_probe(std::span<char* const>)
{
    std::fputs("ocspmx: 'probe' is not implemented yet\n", stderr);
    return exit_software;
}

}  // namespace ocspmx::cli
