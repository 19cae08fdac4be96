#include "hostlist/ipv4_index.hpp"

#include <algorithm>

namespace ocspmx::hostlist {

void Ipv4Index::insert(std::uint32_t net, unsigned prefix, std::uint32_t index)
{
    if (prefix < 8) {
        short_[prefix].insert(net, index);
        if (std::find(short_lengths_.begin(), short_lengths_.end(), prefix) ==
            short_lengths_.end()) {
            short_lengths_.push_back(prefix);
        }
        return;
    }
    if (by16_.empty()) {
        by16_.assign(65536, Slash16{});
        used16_.assign(65536 / 64, 0);
    }
    if (prefix <= 16) {
        const std::uint32_t first = net >> 16;
        const std::uint32_t count = 1u << (16 - prefix);
        for (std::uint32_t i = first; i < first + count; ++i) {
            by16_[i].best = std::min(by16_[i].best, index);
            used16_[i / 64] |= std::uint64_t{1} << (i % 64);
        }
    } else {
        const std::uint32_t top = net >> 16;
        long_[prefix].insert(net, index);
        by16_[top].lengths |= 1u << (prefix - 17);
        used16_[top / 64] |= std::uint64_t{1} << (top % 64);
    }
}

std::uint32_t Ipv4Index::find(std::uint32_t addr) const
{
    std::uint32_t best = no_index;
    for (unsigned len : short_lengths_) best = std::min(best, short_[len].find(addr & mask(len)));
    const std::uint32_t top = addr >> 16;
    if (by16_.empty() || ((used16_[top / 64] >> (top % 64)) & 1) == 0) return best;
    const Slash16& s = by16_[top];
    best = std::min(best, s.best);
    for (std::uint32_t bits = s.lengths; bits != 0; bits &= bits - 1) {
        const unsigned len = 17 + static_cast<unsigned>(__builtin_ctz(bits));
        best = std::min(best, long_[len].find(addr & mask(len)));
    }
    return best;
}

}  // namespace ocspmx::hostlist
