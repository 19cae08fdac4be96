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
    // Per /16, once used (65536 entries): the lowest index of the /8../16
    // networks covering it, and which lengths /17../32 occur inside it.
    struct Slash16 {
        std::uint32_t best = no_index;
        std::uint32_t lengths = 0;  // bit (len - 17)
    };
    std::vector<Slash16> by16_;
    // One bit per /16 with anything in by16_, small enough to stay in
    // cache: most addresses outside every listed network stop here.
    std::vector<std::uint64_t> used16_;
    std::array<FlatMap<std::uint32_t>, 33> long_;
};

}  // namespace ocspmx::hostlist
