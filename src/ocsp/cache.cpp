#include "ocsp/cache.hpp"

#include <cstring>

#include "ocsp/handles.hpp"

namespace ocspmx::ocsp {

namespace {

bool add_crt(gnutls_hash_hd_t hash, gnutls_x509_crt_t crt)
{
    detail::Datum der;
    if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, der.out()) < 0) return false;
    const std::uint32_t size = static_cast<std::uint32_t>(der.span().size());
    // Length-prefixed, so the concatenation is unambiguous.
    return gnutls_hash(hash, &size, sizeof size) >= 0 &&
           gnutls_hash(hash, der.span().data(), der.span().size()) >= 0;
}

}  // namespace

bool still_valid(const Verdict& v, const Input& in)
{
    if (v.state != State::verified || !v.this_update) return false;
    if (*v.this_update > in.now + in.clock_skew) return false;
    if (v.next_update ? *v.next_update < in.now - in.clock_skew
                      : *v.this_update < in.now - in.max_age)
        return false;
    return !v.responder_not_after || in.now <= *v.responder_not_after;
}

VerifiedCache::VerifiedCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::size_t VerifiedCache::KeyHash::operator()(const Key& k) const noexcept
{
    std::size_t h = 0;
    std::memcpy(&h, k.data(), sizeof h);  // already a cryptographic digest
    return h;
}

std::optional<VerifiedCache::Key> VerifiedCache::key_of(const Input& in)
{
    if (in.cert == nullptr || in.issuer == nullptr) return std::nullopt;
    gnutls_hash_hd_t hash = nullptr;
    if (gnutls_hash_init(&hash, GNUTLS_DIG_SHA256) < 0) return std::nullopt;
    const std::uint32_t size = static_cast<std::uint32_t>(in.response.size());
    bool ok = gnutls_hash(hash, &size, sizeof size) >= 0 &&
              gnutls_hash(hash, in.response.data(), in.response.size()) >= 0 &&
              add_crt(hash, in.cert) && add_crt(hash, in.issuer);
    for (gnutls_x509_crt_t t : in.trusted_responders)
        ok = ok && t != nullptr && add_crt(hash, t);
    Key key{};
    gnutls_hash_deinit(hash, key.data());
    if (!ok) return std::nullopt;
    return key;
}

std::optional<Verdict> VerifiedCache::lookup(const Key& key, const Input& in)
{
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) {
        ++misses_;
        return std::nullopt;
    }
    if (!still_valid(it->second->verdict, in)) {
        lru_.erase(it->second);
        index_.erase(it);
        ++misses_;
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    ++hits_;
    return it->second->verdict;
}

std::optional<Verdict> VerifiedCache::lookup(const Input& in)
{
    auto key = key_of(in);
    if (!key) return std::nullopt;
    return lookup(*key, in);
}

Verdict VerifiedCache::verify(const Input& in)
{
    auto key = key_of(in);
    if (!key) return ocsp::verify(in);
    if (auto hit = lookup(*key, in)) return std::move(*hit);
    Verdict v = ocsp::verify(in);
    if (!v.verified()) return v;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(*key); it != index_.end()) {  // another thread was faster
        it->second->verdict = v;
        lru_.splice(lru_.begin(), lru_, it->second);
        return v;
    }
    lru_.push_front(Entry{*key, v});
    index_.emplace(*key, lru_.begin());
    if (lru_.size() > capacity_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
    return v;
}

VerifiedCache::Stats VerifiedCache::stats() const
{
    std::lock_guard lock(mutex_);
    return {hits_, misses_, lru_.size()};
}

}  // namespace ocspmx::ocsp
