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

// A Bloom filter in front of a hash table: one bit array eight times the
// table's slot count (small enough to stay in cache), two bits per key, so
// most absent keys are rejected without touching the table itself.
class Bloom {
public:
    // `slots` is a power of two of at least 16.
    void reset(std::size_t slots)
    {
        bits_.assign(slots / 8, 0);
        mask_ = slots * 8 - 1;
    }
    void add(std::uint64_t h)
    {
        const std::uint64_t a = bit_a(h), b = bit_b(h);
        bits_[a / 64] |= std::uint64_t{1} << (a % 64);
        bits_[b / 64] |= std::uint64_t{1} << (b % 64);
    }
    [[nodiscard]] bool maybe(std::uint64_t h) const
    {
        const std::uint64_t a = bit_a(h), b = bit_b(h);
        return ((bits_[a / 64] >> (a % 64)) & (bits_[b / 64] >> (b % 64)) & 1) != 0;
    }

private:
    [[nodiscard]] std::uint64_t bit_a(std::uint64_t h) const { return (h >> 20) & mask_; }
    [[nodiscard]] std::uint64_t bit_b(std::uint64_t h) const
    {
        return ((h >> 42) | (h << 22)) & mask_;
    }
    std::vector<std::uint64_t> bits_;
    std::uint64_t mask_ = 0;
};

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
        const std::uint64_t h = hash_key(key);
        if (!bloom_.maybe(h)) return no_index;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
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
                bloom_.add(hash_key(key));
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
        bloom_.reset(slots_.size());
        size_ = 0;
        for (const Slot& s : old) {
            if (s.index != no_index) insert_slot(s.key, s.index);
        }
    }

    std::vector<Slot> slots_;
    Bloom bloom_;
    std::size_t size_ = 0;
};

}  // namespace ocspmx::hostlist
