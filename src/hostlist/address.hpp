// IP addresses and networks as host lists use them (Exim spec, "Host list
// patterns that match by IP address"; RFC 4291 section 2.5.5.2 for
// IPv4-mapped IPv6 addresses).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ocspmx::hostlist {

struct Address {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
    bool v6 = false;

    [[nodiscard]] unsigned bits() const { return v6 ? 128u : 32u; }
    [[nodiscard]] std::uint32_t v4() const;
    [[nodiscard]] std::uint64_t hi() const;
    [[nodiscard]] std::uint64_t lo() const;
    friend bool operator==(const Address&, const Address&) = default;
};

// Parses a textual IPv4 or IPv6 address. An IPv4-mapped IPv6 address
// (::ffff:a.b.c.d) becomes the IPv4 address, as Exim's host_is_in_net does
// for the host being matched, so that it matches IPv4 patterns.
[[nodiscard]] std::optional<Address> parse_address(std::string_view text);

// Clears every bit after the first `prefix` bits.
[[nodiscard]] Address masked(Address a, unsigned prefix);

struct Network {
    Address base;  // already masked
    unsigned prefix = 0;
};

enum class NetworkParse { ok, not_an_address, bad_mask };

// "ADDR" or "ADDR/LEN". A pattern in IPv4-mapped form with LEN >= 96 is
// normalised to the IPv4 network (Exim would compare it against the host
// only after converting the host to IPv4, so it could never match).
[[nodiscard]] NetworkParse parse_network(std::string_view text, Network& out);

// The key Exim builds for net[N]-<lookup>: the address masked to `mlen`
// bits (mlen < 0: unmasked), IPv4 dotted quad, IPv6 as eight 4-digit hex
// groups joined by `v6_separator`, then "/mlen" when a mask was given.
[[nodiscard]] std::string lookup_key(const Address& a, int mlen, char v6_separator);

}  // namespace ocspmx::hostlist
