// Small string helpers shared by the parsers (config, host lists).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace ocspmx::util {

[[nodiscard]] inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

[[nodiscard]] inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

[[nodiscard]] inline char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] inline std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

// A DNS name as a lookup key: case-insensitive (RFC 4343), one trailing dot
// (the root label) ignored.
[[nodiscard]] inline std::string normalise_dns_name(std::string_view name)
{
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    return lower(name);
}

[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

}  // namespace ocspmx::util
