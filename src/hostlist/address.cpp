#include "hostlist/address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>

namespace ocspmx::hostlist {

std::uint32_t Address::v4() const
{
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
           (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

namespace {

std::uint64_t load64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
    return v;
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& b)
{
    for (int i = 0; i < 10; ++i) {
        if (b[i] != 0) return false;
    }
    return b[10] == 0xff && b[11] == 0xff;
}

}  // namespace

std::uint64_t Address::hi() const { return load64(bytes.data()); }
std::uint64_t Address::lo() const { return load64(bytes.data() + 8); }

std::optional<Address> parse_address(std::string_view text)
{
    if (text.empty() || text.size() > 63) return std::nullopt;
    char buf[64];
    text.copy(buf, text.size());
    buf[text.size()] = '\0';
    Address a;
    if (text.find(':') == std::string_view::npos) {
        if (inet_pton(AF_INET, buf, a.bytes.data()) != 1) return std::nullopt;
        return a;
    }
    if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
    if (is_v4_mapped(a.bytes)) {
        Address v4;
        for (int i = 0; i < 4; ++i) v4.bytes[i] = a.bytes[12 + i];
        return v4;
    }
    a.v6 = true;
    return a;
}

Address masked(Address a, unsigned prefix)
{
    const unsigned total = a.bits();
    for (unsigned bit = prefix; bit < total; ++bit) {
        a.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    }
    return a;
}

NetworkParse parse_network(std::string_view text, Network& out)
{
    const auto slash = text.find('/');
    const std::string_view addr_text = text.substr(0, slash);
    // Remember whether the pattern was written in IPv4-mapped form, whose
    // mask counts the 96 leading bits.
    const bool mapped_form = addr_text.find(':') != std::string_view::npos;
    const auto addr = parse_address(addr_text);
    if (!addr) return NetworkParse::not_an_address;
    unsigned prefix = addr->bits();
    if (slash != std::string_view::npos) {
        const std::string_view len = text.substr(slash + 1);
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), value);
        if (len.empty() || ec != std::errc() || end != len.data() + len.size()) {
            return NetworkParse::bad_mask;
        }
        if (mapped_form && !addr->v6) {
            if (value > 128) return NetworkParse::bad_mask;
            if (value < 96) {
                // Wider than the mapped range: an IPv6 network after all.
                Address v6;
                v6.v6 = true;
                v6.bytes[10] = v6.bytes[11] = 0xff;
                for (int i = 0; i < 4; ++i) v6.bytes[12 + i] = addr->bytes[i];
                out.base = masked(v6, value);
                out.prefix = value;
                return NetworkParse::ok;
            }
            value -= 96;
        }
        if (value > addr->bits()) return NetworkParse::bad_mask;
        prefix = value;
    }
    out.base = masked(*addr, prefix);
    out.prefix = prefix;
    return NetworkParse::ok;
}

std::string lookup_key(const Address& a, int mlen, char v6_separator)
{
    const Address m = mlen < 0 ? a : masked(a, static_cast<unsigned>(mlen));
    char buf[64];
    std::string out;
    if (!m.v6) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", m.bytes[0], m.bytes[1], m.bytes[2],
                      m.bytes[3]);
        out = buf;
    } else {
        for (int i = 0; i < 8; ++i) {
            if (i) out += v6_separator;
            std::snprintf(buf, sizeof buf, "%02x%02x", m.bytes[2 * i], m.bytes[2 * i + 1]);
            out += buf;
        }
    }
    if (mlen >= 0) out += "/" + std::to_string(mlen);
    return out;
}

}  // namespace ocspmx::hostlist
