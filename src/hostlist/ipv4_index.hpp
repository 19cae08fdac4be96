// IPv4 networks by prefix, for the lowest-index network containing an
// address in two or three memory accesses: networks of length 8..16 are
// expanded into a table over the address's first 16 bits; longer ones sit
// in per-length hash tables, probed only for the lengths that occur under
// the address's /16 (a 16-bit mask per /16); the rare networks shorter than
// /8 have their own per-length tables.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "hostlist/flat_map.hpp"

namespace ocspmx::hostlist {

class Ipv4Index {
public:
    void insert(std::uint32_t net, unsigned prefix, std::uint32_t index);
    [[nodiscard]] std::uint32_t find(std::uint32_t addr) const;

private:
    static std::uint32_t mask(unsigned prefix)
    {
        return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    }

    std::array<FlatMap<std::uint32_t>, 8> short_;  // /0 ../7
    std::vector<unsigned> short_lengths_;
    std::vector<std::uint32_t> by16_;    // 65536 slots once used: best /8../16
    std::array<FlatMap<std::uint32_t>, 33> long_;  // /17../32
    std::vector<std::uint16_t> long16_;  // 65536 masks once used: bit (len-17)
};

}  // namespace ocspmx::hostlist
