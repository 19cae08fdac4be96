// EHLO keywords are case-insensitive (RFC 5321 §2.4); each extension line is
// "keyword *(SP param)" (§4.1.1.1).
#include "smtp/capabilities.hpp"

#include <charconv>
#include <string_view>

namespace ocspmx::smtp {

namespace {

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

// RFC 1870 §4: "SIZE" [SP number]; 0 or absent means no fixed limit.
void apply_size(Capabilities& caps, std::string_view param)
{
    caps.size = true;
    std::uint64_t n = 0;
    const auto [ptr, ec] = std::from_chars(param.data(), param.data() + param.size(), n);
    if (ec == std::errc{} && ptr == param.data() + param.size()) caps.size_limit = n;
}

void apply_keyword(Capabilities& caps, const std::string& keyword, std::string_view param)
{
    if (keyword == "PIPELINING")
        caps.pipelining = true;
    else if (keyword == "STARTTLS")
        caps.starttls = true;
    else if (keyword == "8BITMIME")
        caps.eightbitmime = true;
    else if (keyword == "SMTPUTF8")
        caps.smtputf8 = true;
    else if (keyword == "ENHANCEDSTATUSCODES")
        caps.enhanced_status_codes = true;
    else if (keyword == "CHUNKING")
        caps.chunking = true;
    else if (keyword == "SIZE")
        apply_size(caps, param);
}

}  // namespace

Capabilities parse_ehlo(const Reply& reply)
{
    Capabilities caps;
    caps.esmtp = reply.positive();
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        std::string_view line = reply.lines[i];
        const std::size_t sp = line.find(' ');
        const std::string keyword = upper(line.substr(0, sp));
        const std::string_view param =
            sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
        if (keyword.empty()) continue;
        apply_keyword(caps, keyword, param);
        caps.keywords.push_back(keyword);
    }
    return caps;
}

}  // namespace ocspmx::smtp
