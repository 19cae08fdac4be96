// MX answers (RFC 1035 §3.3.9, RFC 5321 §5.1, RFC 7505), from hand-built
// DNS messages: no network.
#include <catch2/catch_test_macros.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "transport/mx.hpp"

using namespace ocspmx::transport;
using ocspmx::hostlist::LookupStatus;

namespace {

void name(std::vector<std::uint8_t>& out, const std::string& dotted)
{
    std::size_t start = 0;
    while (start < dotted.size()) {
        auto dot = dotted.find('.', start);
        if (dot == std::string::npos) dot = dotted.size();
        out.push_back(static_cast<std::uint8_t>(dot - start));
        out.insert(out.end(), dotted.begin() + static_cast<long>(start),
                   dotted.begin() + static_cast<long>(dot));
        start = dot + 1;
    }
    out.push_back(0);
}

void u16(std::vector<std::uint8_t>& out, unsigned v)
{
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

struct Mx {
    unsigned preference;
    std::string target;
};

std::vector<std::uint8_t> answer(const std::string& domain, const std::vector<Mx>& mxs)
{
    std::vector<std::uint8_t> m;
    u16(m, 0x1234);  // id
    u16(m, 0x8180);  // response, RD, RA
    u16(m, 1);
    u16(m, static_cast<unsigned>(mxs.size()));
    u16(m, 0);
    u16(m, 0);
    name(m, domain);
    u16(m, 15);  // MX
    u16(m, 1);   // IN
    for (const auto& mx : mxs) {
        m.push_back(0xc0);  // pointer to the question name
        m.push_back(12);
        u16(m, 15);
        u16(m, 1);
        u16(m, 0);
        u16(m, 300);  // TTL
        std::vector<std::uint8_t> rdata;
        u16(rdata, mx.preference);
        name(rdata, mx.target);
        u16(m, static_cast<unsigned>(rdata.size()));
        m.insert(m.end(), rdata.begin(), rdata.end());
    }
    return m;
}

std::vector<std::string> names(const MxLookup& r)
{
    std::vector<std::string> out;
    for (const auto& h : r.hosts) out.push_back(h.name);
    return out;
}

}  // namespace

TEST_CASE("mx: targets sorted by preference, ties keep answer order", "[mx]")
{
    const auto msg = answer("example.org", {{20, "b.example.org"},
                                            {10, "a.example.org"},
                                            {20, "c.example.org"},
                                            {5, "first.example.net"}});
    const MxLookup r = parse_mx_answer(msg, "example.org");
    CHECK(r.status == LookupStatus::ok);
    CHECK(names(r) == std::vector<std::string>{"first.example.net", "a.example.org",
                                               "b.example.org", "c.example.org"});
}

TEST_CASE("mx: no MX records means the domain is its own host", "[mx]")
{
    const MxLookup r = parse_mx_answer(answer("example.org", {}), "example.org");
    CHECK(r.status == LookupStatus::ok);
    CHECK(names(r) == std::vector<std::string>{"example.org"});
}

TEST_CASE("mx: a null MX refuses mail", "[mx]")
{
    const MxLookup r = parse_mx_answer(answer("example.org", {{0, ""}}), "example.org");
    CHECK(r.status == LookupStatus::not_found);
    CHECK(r.detail.find("null MX") != std::string::npos);
}

TEST_CASE("mx: garbage is a temporary failure", "[mx]")
{
    const std::vector<std::uint8_t> junk{1, 2, 3};
    CHECK(parse_mx_answer(junk, "example.org").status == LookupStatus::try_again);
}
