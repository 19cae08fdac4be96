#include "transport/mx.hpp"

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ocspmx::transport {

using hostlist::LookupStatus;

MxLookup parse_mx_answer(std::span<const std::uint8_t> answer, std::string_view domain)
{
    MxLookup out;
    ns_msg msg;
    if (ns_initparse(answer.data(), static_cast<int>(answer.size()), &msg) < 0) {
        out.status = LookupStatus::try_again;
        out.detail = "MX lookup for " + std::string(domain) + ": malformed DNS answer";
        return out;
    }
    struct Mx {
        unsigned preference;
        std::string name;
    };
    std::vector<Mx> mxs;
    const int count = ns_msg_count(msg, ns_s_an);
    for (int i = 0; i < count; ++i) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) continue;
        if (ns_rr_type(rr) != ns_t_mx || ns_rr_rdlen(rr) < 3) continue;
        const unsigned char* rdata = ns_rr_rdata(rr);
        const unsigned preference = ns_get16(rdata);
        char name[NS_MAXDNAME];
        if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), rdata + 2, name, sizeof name) <
            0) {
            continue;
        }
        mxs.push_back({preference, name});
    }
    std::stable_sort(mxs.begin(), mxs.end(),
                     [](const Mx& a, const Mx& b) { return a.preference < b.preference; });
    if (mxs.empty()) {
        // RFC 5321 §5.1: no MX records, the domain is the implicit MX.
        out.status = LookupStatus::ok;
        out.hosts.push_back(Host{std::string(domain), {}, {}});
        return out;
    }
    if (mxs.size() == 1 && (mxs[0].name.empty() || mxs[0].name == ".")) {
        out.status = LookupStatus::not_found;
        out.detail = std::string(domain) + " accepts no mail (null MX, RFC 7505)";
        return out;
    }
    out.status = LookupStatus::ok;
    for (auto& mx : mxs) out.hosts.push_back(Host{std::move(mx.name), {}, {}});
    return out;
}

MxLookup lookup_mx(std::string_view domain)
{
    MxLookup out;
    const std::string name(domain);
    struct __res_state state {};
    if (res_ninit(&state) < 0) {
        out.status = LookupStatus::try_again;
        out.detail = "MX lookup for " + name + ": resolver initialisation failed";
        return out;
    }
    std::vector<std::uint8_t> answer(64 * 1024);
    const int n = res_nquery(&state, name.c_str(), ns_c_in, ns_t_mx, answer.data(),
                             static_cast<int>(answer.size()));
    const int herr = state.res_h_errno;
    res_nclose(&state);
    if (n >= 0) {
        return parse_mx_answer({answer.data(), static_cast<std::size_t>(n)}, domain);
    }
    switch (herr) {
        case NO_DATA:  // the name exists without MX records: implicit MX
            out.status = LookupStatus::ok;
            out.hosts.push_back(Host{name, {}, {}});
            return out;
        case HOST_NOT_FOUND:
            out.status = LookupStatus::not_found;
            out.detail = "MX lookup for " + name + ": no such domain";
            return out;
        default:
            out.status = LookupStatus::try_again;
            out.detail = "MX lookup for " + name + ": temporary DNS failure";
            return out;
    }
}

}  // namespace ocspmx::transport
