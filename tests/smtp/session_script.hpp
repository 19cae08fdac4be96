// Script fragments shared by the client tests.
#pragma once

#include <string>
#include <vector>

#include "scripted_stream.hpp"

namespace ocspmx::test {

inline std::vector<Io> cat(std::vector<Io> a, const std::vector<Io>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The server's EHLO reply advertising `keywords` (none: a one-line 250).
inline std::vector<Io> ehlo_reply(const std::vector<std::string>& keywords)
{
    std::vector<Io> out;
    if (keywords.empty()) return {S("250 mx.example")};
    out.push_back(S("250-mx.example"));
    for (std::size_t i = 0; i < keywords.size(); ++i) {
        out.push_back(S((i + 1 == keywords.size() ? "250 " : "250-") + keywords[i]));
    }
    return out;
}

// Greeting and EHLO as client.example.
inline std::vector<Io> opening(const std::vector<std::string>& keywords)
{
    return cat({S("220 mx.example ESMTP"), C("EHLO client.example")}, ehlo_reply(keywords));
}

}  // namespace ocspmx::test
