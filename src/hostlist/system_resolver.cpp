// The real resolver: getaddrinfo(3) for forward lookups (what Exim's
// host_find_byname does), gethostname(2) for `@`, getifaddrs(3) for `@[]`.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "ocspmx/hostlist.hpp"

namespace ocspmx::hostlist {

namespace {

struct FreeAddrinfo {
    void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
struct FreeIfaddrs {
    void operator()(ifaddrs* ifa) const { freeifaddrs(ifa); }
};

std::string address_text(const sockaddr* sa)
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
    } else if (sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
    }
    return buf;
}

class SystemResolver final : public Resolver {
public:
    AddressLookup lookup(std::string_view name) const override
    {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* raw = nullptr;
        const std::string host(name);
        const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
        std::unique_ptr<addrinfo, FreeAddrinfo> list(raw);
        AddressLookup out;
        if (rc != 0) {
            out.detail = gai_strerror(rc);
            // EAI_NONAME and EAI_NODATA are definite answers; anything else
            // (EAI_AGAIN, EAI_FAIL, EAI_SYSTEM...) may succeed later.
            bool definite = rc == EAI_NONAME;
#ifdef EAI_NODATA
            definite = definite || rc == EAI_NODATA;
#endif
            out.status = definite ? LookupStatus::not_found : LookupStatus::try_again;
            return out;
        }
        out.status = LookupStatus::ok;
        for (const addrinfo* ai = list.get(); ai; ai = ai->ai_next) {
            std::string text = address_text(ai->ai_addr);
            if (!text.empty()) out.addresses.push_back(std::move(text));
        }
        return out;
    }

    std::string primary_hostname() const override
    {
        char buf[256] = {};
        if (gethostname(buf, sizeof buf - 1) != 0) return {};
        return buf;
    }

    std::vector<std::string> local_addresses() const override
    {
        ifaddrs* raw = nullptr;
        std::vector<std::string> out;
        if (getifaddrs(&raw) != 0) return out;
        std::unique_ptr<ifaddrs, FreeIfaddrs> list(raw);
        for (const ifaddrs* ifa = list.get(); ifa; ifa = ifa->ifa_next) {
            if (!ifa->ifa_addr) continue;
            std::string text = address_text(ifa->ifa_addr);
            if (!text.empty()) out.push_back(std::move(text));
        }
        return out;
    }
};

}  // namespace

std::unique_ptr<Resolver> system_resolver() { return std::make_unique<SystemResolver>(); }

}  // namespace ocspmx::hostlist
