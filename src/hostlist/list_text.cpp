#include "hostlist/list_text.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "util/text.hpp"

namespace ocspmx::hostlist {

using util::is_space;

std::vector<std::string> split_list(std::string_view text)
{
    std::size_t pos = 0;
    auto skip_space = [&] {
        while (pos < text.size() && is_space(text[pos])) ++pos;
    };
    skip_space();
    char sep = ':';
    if (pos + 1 < text.size() && text[pos] == '<' &&
        std::ispunct(static_cast<unsigned char>(text[pos + 1]))) {
        sep = text[pos + 1];
        pos += 2;
    }
    std::vector<std::string> items;
    for (;;) {
        skip_space();
        if (pos >= text.size()) break;
        std::string item;
        for (;;) {
            const auto end = text.find(sep, pos);
            if (end == std::string_view::npos) {
                item.append(text.substr(pos));
                pos = text.size();
                break;
            }
            item.append(text.substr(pos, end - pos));
            pos = end + 1;
            if (pos < text.size() && text[pos] == sep) {
                item += sep;
                ++pos;
                continue;
            }
            break;
        }
        items.emplace_back(util::trim(item));
    }
    return items;
}

namespace {

// List and lookup files are read whole, with a bound, so that a device such
// as /dev/zero named by mistake is an error rather than a hang.
constexpr std::size_t max_file_bytes = 64u << 20;

Result<std::vector<std::string>> read_lines(const std::string& path)
{
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("cannot open " + path + ": " + std::strerror(errno));
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_file_bytes) {
            return make_error(path + ": larger than " + std::to_string(max_file_bytes >> 20) +
                              " MiB");
        }
    }
    if (in.bad()) return make_error("error reading " + path);
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        lines.emplace_back(text, pos, nl - pos);
        pos = nl + 1;
    }
    return lines;
}

}  // namespace

Result<std::vector<std::string>> read_list_file(const std::string& path)
{
    auto raw = read_lines(path);
    if (!raw) return std::move(raw).error();
    std::vector<std::string> lines;
    for (const std::string& line : *raw) {
        std::string_view view = line;
        if (const auto hash = view.find('#'); hash != std::string_view::npos) {
            view = view.substr(0, hash);
        }
        view = util::trim(view);
        if (!view.empty()) lines.emplace_back(view);
    }
    return lines;
}

Result<std::vector<std::string>> read_lsearch_keys(const std::string& path)
{
    auto raw = read_lines(path);
    if (!raw) return std::move(raw).error();
    std::vector<std::string> keys;
    for (const std::string& line : *raw) {
        if (line.empty() || line[0] == '#' || is_space(line[0])) continue;
        std::string key;
        if (line[0] == '"') {
            for (std::size_t i = 1; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size()) ++i;
                key += line[i];
            }
        } else {
            for (char c : line) {
                if (c == ':' || is_space(c)) break;
                key += c;
            }
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

}  // namespace ocspmx::hostlist
