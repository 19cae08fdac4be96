// Placeholder: replaced by the owner of `ocspmx verify`.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace ocspmx::cli {

int cmd_verify(std::span<char* const>)
{
    std::fputs("ocspmx: 'verify' is not implemented yet\n", stderr);
    return exit_software;
}

}  // namespace ocspmx::cli
