// Command-line parsing shared by the subcommands: `--flag VALUE` pairs,
// repeatable flags, and every transport option of CONTRACT.md §2 as
// `--name-with-dashes VALUE`.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ocspmx/config.hpp"
#include "ocspmx/result.hpp"

namespace ocspmx::cli {

struct FlagSpec {
    std::string_view name;  // without the leading "--"
    bool takes_value = true;
    bool repeatable = false;
};

struct ParsedArgs {
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> flags;  // in command-line order
    // Transport options given as flags, underscore form, in order.
    std::vector<std::pair<std::string, std::string>> options;

    [[nodiscard]] bool has(std::string_view name) const;
    [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
};

// Parses args (argv after the subcommand). With transport_options, any
// `--x-y` whose underscore form is a §2 option is accepted too. Errors name
// the offending argument.
[[nodiscard]] Result<ParsedArgs> parse_args(std::span<char* const> args,
                                            std::span<const FlagSpec> spec,
                                            bool transport_options);

// `--config FILE` (if given) then every option flag, flags winning.
// Errors are one line; the caller exits 78 (EX_CONFIG).
[[nodiscard]] Result<Config> load_config(const ParsedArgs& args);

}  // namespace ocspmx::cli
