#include "net/address.hpp"

#include <netdb.h>

#include <cstring>
#include <memory>

namespace ocspmx::net {

namespace {

std::string_view strip_brackets(std::string_view address)
{
    if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
        return address.substr(1, address.size() - 2);
    }
    return address;
}

struct AddrinfoDeleter {
    void operator()(addrinfo* ai) const noexcept { freeaddrinfo(ai); }
};

}  // namespace

bool is_ipv6_literal(std::string_view address)
{
    return address.find(':') != std::string_view::npos;
}

std::string format_endpoint(std::string_view address, std::uint16_t port)
{
    const std::string_view bare = strip_brackets(address);
    std::string out;
    if (is_ipv6_literal(bare)) {
        out.append("[").append(bare).append("]");
    } else {
        out.append(bare);
    }
    return out.append(":").append(std::to_string(port));
}

Result<SocketAddress> parse_numeric(std::string_view address, std::uint16_t port)
{
    const std::string host(strip_brackets(address));
    const std::string service = std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    // Numeric only: a host name here would mean an unplanned DNS lookup.
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* raw = nullptr;
    const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &raw);
    std::unique_ptr<addrinfo, AddrinfoDeleter> list(raw);
    if (rc != 0 || !list || list->ai_addrlen > sizeof(sockaddr_storage)) {
        return make_error("'" + host + "' is not a numeric IPv4 or IPv6 address");
    }
    SocketAddress out;
    std::memcpy(&out.storage, list->ai_addr, list->ai_addrlen);
    out.length = static_cast<socklen_t>(list->ai_addrlen);
    return out;
}

}  // namespace ocspmx::net
