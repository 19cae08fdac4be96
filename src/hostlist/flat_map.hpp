// Open-addressing hash map from a fixed-size key to the lowest list index
// stored under it: the CIDR tables are probed once per prefix length on
// every match, so they must be cheap (one cache line per probe).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace ocspmx::hostlist {

inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

struct Key128 {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    friend bool operator==(const Key128&, const Key128&) = default;
};

inline std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}
inline std::uint64_t hash_key(std::uint32_t k) { return mix(k); }
inline std::uint64_t hash_key(const Key128& k) { return mix(k.hi * 0x9e3779b97f4a7c15ULL ^ k.lo); }

template <class Key>
class FlatMap {
public:
    // Keeps the lower index when a key is inserted twice (first match wins).
    void insert(const Key& key, std::uint32_t index)
    {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        insert_slot(key, index);
    }

    [[nodiscard]] std::uint32_t find(const Key& key) const
    {
        if (slots_.empty()) return no_index;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.index == no_index) return no_index;
            if (s.key == key) return s.index;
        }
    }

    [[nodiscard]] bool empty() const { return size_ == 0; }

private:
    struct Slot {
        Key key{};
        std::uint32_t index = no_index;
    };

    void insert_slot(const Key& key, std::uint32_t index)
    {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.index == no_index) {
                s = Slot{key, index};
                ++size_;
                return;
            }
            if (s.key == key) {
                if (index < s.index) s.index = index;
                return;
            }
        }
    }

    void grow()
    {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
        size_ = 0;
        for (const Slot& s : old) {
            if (s.index != no_index) insert_slot(s.key, s.index);
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace ocspmx::hostlist
