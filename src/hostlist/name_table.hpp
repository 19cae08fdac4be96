// Open-addressing table from host-name text to the lowest list index: one
// slot per key holding its hash, the key itself kept in one arena, so a
// miss costs one probe of a contiguous array (no node or string chase).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hostlist/flat_map.hpp"

namespace ocspmx::hostlist {

class NameTable {
public:
    [[nodiscard]] static std::uint64_t hash(std::string_view key)
    {
        return mix(std::hash<std::string_view>{}(key));
    }

    // Keeps the lower index when a key is inserted twice (first match wins).
    void insert(std::string_view key, std::uint32_t index)
    {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const std::uint64_t h = hash(key);
        Slot* s = probe(key, h);
        if (s->index == no_index) {
            *s = Slot{h, index, static_cast<std::uint32_t>(arena_.size()),
                      static_cast<std::uint32_t>(key.size())};
            bloom_.add(h);
            arena_.append(key);
            ++size_;
        } else if (index < s->index) {
            s->index = index;
        }
    }

    [[nodiscard]] std::uint32_t find(std::string_view key) const
    {
        if (size_ == 0) return no_index;
        const std::uint64_t h = hash(key);
        if (!bloom_.maybe(h)) return no_index;
        return const_cast<NameTable*>(this)->probe(key, h)->index;
    }

    [[nodiscard]] bool empty() const { return size_ == 0; }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t index = no_index;
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
    };

    Slot* probe(std::string_view key, std::uint64_t h)
    {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.index == no_index) return &s;
            if (s.hash == h && s.length == key.size() &&
                std::memcmp(arena_.data() + s.offset, key.data(), key.size()) == 0) {
                return &s;
            }
        }
    }

    void grow()
    {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
        bloom_.reset(slots_.size());
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.index == no_index) continue;
            bloom_.add(s.hash);
            std::size_t i = s.hash & mask;
            while (slots_[i].index != no_index) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    Bloom bloom_;
    std::string arena_;
    std::size_t size_ = 0;
};

}  // namespace ocspmx::hostlist
