// The subcommands of `ocspmx` (CONTRACT.md §5). Each takes the arguments
// after its own name and returns the process exit status (cli/exit_codes.hpp).
#pragma once

#include <span>

namespace ocspmx::cli {

int cmd_match(std::span<char* const> args);
int cmd_verify(std::span<char* const> args);
int cmd_send(std::span<char* const> args);
int cmd_probe(std::span<char* const> args);

}  // namespace ocspmx::cli
