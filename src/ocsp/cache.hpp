// A cache of `verified` verdicts, so a busy MTA connecting to the same MX
// again does not re-verify the same staple's signature.
//
// Key: the SHA-256 digest of the response bytes; an entry also holds the
// DER of the certificate, the issuer and the trusted responders it was
// verified with, and hits only when those are identical (DER equality), so
// a different staple, certificate, issuer or local configuration never hits. Bounded (LRU),
// thread-safe. An entry lives until the earlier of nextUpdate (+ skew) and the signer certificate's
// notAfter, and every hit re-checks the time window of CONTRACT §4 rule 5 at the caller's `now`.
// Failed verdicts are not cached.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ocsp/cert_id.hpp"
#include "ocsp/handles.hpp"
#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp {

class VerifiedCache {
public:
    explicit VerifiedCache(std::size_t capacity = 256);

    // The cached verdict when present and still valid at input.now, else
    // ocsp::verify(input), stored when verified. Never throws for bad input.
    [[nodiscard]] Verdict verify(const Input& input);

    // Only the lookup part of verify(): nullopt on a miss or an entry whose
    // time has run out (which is then dropped).
    [[nodiscard]] std::optional<Verdict> lookup(const Input& input);

    struct Stats {
        std::size_t hits = 0;
        std::size_t misses = 0;
        std::size_t size = 0;
    };
    [[nodiscard]] Stats stats() const;

private:
    using Key = std::array<std::uint8_t, 32>;
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    struct Entry {
        Key key;
        Verdict verdict;
        // DER, not parsed copies: an entry is compared, never used as a
        // certificate, and parsing costs as much as a signature check.
        detail::ByteVector cert;
        detail::ByteVector issuer;
        std::vector<detail::ByteVector> trusted;
    };

    [[nodiscard]] static std::optional<Key> key_of(const Input& input);
    [[nodiscard]] static bool same_inputs(const Entry& entry, const Input& input);
    [[nodiscard]] std::optional<Verdict> lookup(const Key& key, const Input& input);
    void store(const Key& key, const Input& input, const Verdict& verdict);

    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // most recently used first
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
    std::size_t hits_ = 0;
    std::size_t misses_ = 0;
};

// Rule 5 over Verdict::window (every matching SingleResponse) and the
// signer's notAfter, for a verdict verified earlier: true while it may still
// be served at `now`. A verdict without a window is never served.
[[nodiscard]] bool still_valid(const Verdict& verdict, const Input& input);

}  // namespace ocspmx::ocsp
