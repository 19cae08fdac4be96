#include "cli/args.hpp"

#include <algorithm>

namespace ocspmx::cli {

bool ParsedArgs::has(std::string_view name) const
{
    return std::any_of(flags.begin(), flags.end(),
                       [&](const auto& f) { return f.first == name; });
}

std::optional<std::string> ParsedArgs::get(std::string_view name) const
{
    for (const auto& [flag, value] : flags) {
        if (flag == name) return value;
    }
    return std::nullopt;
}

std::vector<std::string> ParsedArgs::all(std::string_view name) const
{
    std::vector<std::string> out;
    for (const auto& [flag, value] : flags) {
        if (flag == name) out.push_back(value);
    }
    return out;
}

namespace {

std::string underscored(std::string_view dashed)
{
    std::string out(dashed);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

}  // namespace

Result<ParsedArgs> parse_args(std::span<char* const> args, std::span<const FlagSpec> spec,
                              bool transport_options)
{
    ParsedArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg.size() < 3 || !arg.starts_with("--")) {
            if (arg.starts_with("-") && arg != "-") {
                return make_error("unknown option '" + std::string(arg) + "'");
            }
            out.positional.emplace_back(arg);
            continue;
        }
        std::string_view name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string_view::npos) {
            inline_value = std::string(name.substr(eq + 1));
            name = name.substr(0, eq);
        }
        const auto it = std::find_if(spec.begin(), spec.end(),
                                     [&](const FlagSpec& f) { return f.name == name; });
        const bool is_transport =
            it == spec.end() && transport_options && config::is_option(underscored(name));
        if (it == spec.end() && !is_transport) {
            return make_error("unknown option '--" + std::string(name) + "'");
        }
        std::string value;
        if (is_transport || it->takes_value) {
            if (inline_value) {
                value = *inline_value;
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                return make_error("option '--" + std::string(name) + "' needs a value");
            }
        } else if (inline_value) {
            return make_error("option '--" + std::string(name) + "' takes no value");
        }
        if (is_transport) {
            out.options.emplace_back(underscored(name), std::move(value));
            continue;
        }
        if (!it->repeatable && out.has(name)) {
            return make_error("option '--" + std::string(name) + "' given twice");
        }
        out.flags.emplace_back(std::string(name), std::move(value));
    }
    return out;
}

Result<Config> load_config(const ParsedArgs& args)
{
    Config config;
    if (auto file = args.get("config")) {
        auto loaded = config::load_file(*file);
        if (!loaded) return std::move(loaded).error();
        config = std::move(*loaded);
    }
    for (const auto& [name, value] : args.options) {
        if (auto set = config::set_option(config, name, value); !set) {
            return set.error().with_context("--" + name);
        }
    }
    return config;
}

}  // namespace ocspmx::cli
