// Numeric socket addresses and their text form.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "ocspmx/result.hpp"

namespace ocspmx::net {

struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
};

// A numeric IPv4 or IPv6 address (no DNS: resolution is the caller's job).
// "[::1]" brackets and an IPv6 zone ("fe80::1%eth0") are accepted.
[[nodiscard]] Result<SocketAddress> parse_numeric(std::string_view address, std::uint16_t port);

// "192.0.2.1:25", "[2001:db8::1]:25": IPv6 literals bracketed (RFC 3986 §3.2.2).
[[nodiscard]] std::string format_endpoint(std::string_view address, std::uint16_t port);

// true for text that contains ':' and is therefore an IPv6 literal.
[[nodiscard]] bool is_ipv6_literal(std::string_view address);

}  // namespace ocspmx::net
