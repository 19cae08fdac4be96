// The table of transport options (CONTRACT.md §2) shared by the file
// parser and set_option.
#pragma once

#include <chrono>
#include <string_view>

#include "ocspmx/config.hpp"

namespace ocspmx::config {

enum class OptionKind { host_list, string, optional_string, boolean, time, port };

struct OptionDef {
    std::string_view name;
    OptionKind kind;
    HostListText Options::*host_list = nullptr;
    std::string Options::*string = nullptr;
    std::optional<std::string> Options::*optional_string = nullptr;
    bool Options::*boolean = nullptr;
    std::chrono::seconds Options::*time = nullptr;
    unsigned Options::*port = nullptr;
};

[[nodiscard]] const OptionDef* find_option(std::string_view name);

// Sets one option. Host lists are compiled against config.hostlists when
// check_lists is true; the file parser checks them once the whole file,
// with every `hostlist` definition, has been read. Errors do not name the
// option: the caller adds its own context.
[[nodiscard]] Result<void> assign(Config& config, const OptionDef& def, std::string_view value,
                                  bool check_lists);

// Compiles a host list the way a transport will, for validation.
[[nodiscard]] Result<void> check_host_list(std::string_view text, const Config& config);

}  // namespace ocspmx::config
