// The configuration file of CONTRACT.md §2, read the way Exim reads its
// main configuration: a line starting with '#' (after white space) is a
// comment, a trailing backslash joins the next line (its leading white
// space dropped), `hostlist NAME = LIST` names a list for `+NAME`. Boolean
// options may also be written Exim's way: `name` alone, `no_name`, `not_name`.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "config/options.hpp"
#include "util/text.hpp"

namespace ocspmx::config {

namespace {

struct LogicalLine {
    std::size_t number = 0;  // where it starts
    std::string text;
};

std::vector<LogicalLine> logical_lines(std::string_view text)
{
    std::vector<LogicalLine> out;
    bool continuing = false;
    std::size_t number = 0;
    while (!text.empty() || continuing) {
        if (text.empty()) break;
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++number;
        std::string_view body = util::trim(line);
        if (!body.empty() && body.front() == '#') continue;
        if (continuing && body.empty()) {
            continuing = false;
            continue;
        }
        const bool more = !body.empty() && body.back() == '\\';
        if (more) body = util::trim(body.substr(0, body.size() - 1));
        if (continuing) {
            out.back().text += ' ';
            out.back().text += body;
        } else if (!body.empty()) {
            out.push_back(LogicalLine{number, std::string(body)});
        }
        continuing = more && (!out.empty());
    }
    return out;
}

bool is_name(std::string_view s)
{
    if (s.empty()) return false;
    for (char c : s) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    }
    return true;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

class Parser {
public:
    explicit Parser(std::string_view source) : source_(source) {}
    Result<Config> run(std::string_view text);

private:
    Error at(std::size_t line, const std::string& message) const
    {
        return make_error(source_ + ":" + std::to_string(line) + ": " + message);
    }
    Result<void> line(const LogicalLine& l);
    Result<void> hostlist(const LogicalLine& l, std::string_view rest);
    Result<void> option(const LogicalLine& l, std::string_view name, std::string_view value);

    std::string source_;
    Config config_;
    std::map<std::string, std::size_t, std::less<>> option_lines_;
    std::map<std::string, std::size_t, std::less<>> list_lines_;
};

Result<Config> Parser::run(std::string_view text)
{
    for (const LogicalLine& l : logical_lines(text)) {
        if (auto r = line(l); !r) return std::move(r).error();
    }
    // Host lists are checked once every named list is known (a list may
    // name one defined further down, as in Exim), in file order.
    std::map<std::size_t, std::pair<std::string, std::string>> checks;  // line -> label, list
    for (const auto& [name, number] : list_lines_) {
        checks.emplace(number, std::pair("hostlist " + name, config_.hostlists.at(name)));
    }
    for (const auto& [name, number] : option_lines_) {
        const OptionDef* def = find_option(name);
        if (def->kind != OptionKind::host_list) continue;
        checks.emplace(number, std::pair(name, *(config_.options.*def->host_list)));
    }
    for (const auto& [number, check] : checks) {
        if (auto r = check_host_list(check.second, config_); !r) {
            return at(number, check.first + ": " + r.error().message);
        }
    }
    return std::move(config_);
}

// Exim has no trailing comments: "x = a # b" sets x to "a # b". In a host
// list that silently yields an item that never matches, so it is refused.
bool has_trailing_comment(std::string_view s)
{
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i] == '#' && util::is_space(s[i - 1])) return true;
    }
    return false;
}

Result<void> Parser::line(const LogicalLine& l)
{
    std::string_view s = l.text;
    if (has_trailing_comment(s)) {
        return at(l.number, "a '#' comment must be on a line of its own: " + quoted(l.text));
    }
    if (s.starts_with("hostlist") && s.size() > 8 && util::is_space(s[8])) {
        return hostlist(l, util::trim(s.substr(8)));
    }
    const auto eq = s.find('=');
    const std::string_view name = util::trim(s.substr(0, eq));
    if (eq != std::string_view::npos) return option(l, name, util::trim(s.substr(eq + 1)));
    // Exim's boolean shorthand.
    for (std::string_view prefix : {"no_", "not_"}) {
        if (name.starts_with(prefix)) {
            const OptionDef* def = find_option(name.substr(prefix.size()));
            if (def && def->kind == OptionKind::boolean) {
                return option(l, name.substr(prefix.size()), "false");
            }
        }
    }
    if (const OptionDef* def = find_option(name); def && def->kind == OptionKind::boolean) {
        return option(l, name, "true");
    }
    if (find_option(name)) return at(l.number, "missing '=' after option " + quoted(name));
    return at(l.number, "unknown option " + quoted(name));
}

Result<void> Parser::hostlist(const LogicalLine& l, std::string_view rest)
{
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) {
        return at(l.number, "expected 'hostlist NAME = LIST': " + quoted(l.text));
    }
    const std::string_view name = util::trim(rest.substr(0, eq));
    if (!is_name(name)) return at(l.number, "bad host list name " + quoted(name));
    if (auto it = list_lines_.find(name); it != list_lines_.end()) {
        return at(l.number, "duplicate definition of hostlist " + std::string(name) +
                                " (first at line " + std::to_string(it->second) + ")");
    }
    list_lines_.emplace(std::string(name), l.number);
    config_.hostlists.emplace(std::string(name), std::string(util::trim(rest.substr(eq + 1))));
    return {};
}

Result<void> Parser::option(const LogicalLine& l, std::string_view name, std::string_view value)
{
    const OptionDef* def = find_option(name);
    if (!def) return at(l.number, "unknown option " + quoted(name));
    if (auto it = option_lines_.find(name); it != option_lines_.end()) {
        return at(l.number, "duplicate setting of option " + std::string(name) +
                                " (first at line " + std::to_string(it->second) + ")");
    }
    option_lines_.emplace(std::string(name), l.number);
    if (auto r = assign(config_, *def, value, false); !r) {
        return at(l.number, std::string(name) + ": " + r.error().message);
    }
    return {};
}

}  // namespace

Result<Config> parse(std::string_view text, std::string_view source)
{
    return Parser(source).run(text);
}

Result<Config> load_file(const std::string& path)
{
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("cannot open " + path + ": " + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return make_error("error reading " + path);
    return parse(buf.str(), path);
}

}  // namespace ocspmx::config
