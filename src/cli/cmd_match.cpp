// Placeholder: replaced by the owner of `ocspmx match`.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace ocspmx::cli {

int cmd_match(std::span<char* const>)
{
    std::fputs("ocspmx: 'match' is not implemented yet\n", stderr);
    return exit_software;
}

}  // namespace ocspmx::cli
