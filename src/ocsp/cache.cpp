#include "ocsp/cache.hpp"

#include <cstring>

namespace ocspmx::ocsp {

namespace {

// The certificate's DER, independent of the caller's handle (which may be
// freed after verify()); empty when it cannot be exported.
detail::ByteVector der_of(gnutls_x509_crt_t crt)
{
    detail::Datum der;
    if (crt == nullptr || gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, der.out()) < 0)
        return {};
    return detail::ByteVector(der.span().begin(), der.span().end());
}

bool same_der(const detail::ByteVector& der, gnutls_x509_crt_t crt)
{
    const gnutls_datum_t d = detail::borrowed_datum(der);
    return crt != nullptr && gnutls_x509_crt_equals2(crt, &d) != 0;
}

}  // namespace

bool still_valid(const Verdict& v, const Input& in)
{
    // The window of every matching SingleResponse, not only the reported one.
    if (v.state != State::verified || !v.window) return false;
    const Verdict::Window& w = *v.window;
    if (w.latest_this_update > in.now + in.clock_skew) return false;
    if (w.earliest_next_update && *w.earliest_next_update < in.now - in.clock_skew) return false;
    if (w.earliest_this_update_without_next &&
        *w.earliest_this_update_without_next < in.now - in.max_age)
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
    Key key{};
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, in.response.data(), in.response.size(), key.data()) < 0)
        return std::nullopt;
    return key;
}

bool VerifiedCache::same_inputs(const Entry& e, const Input& in)
{
    // gnutls_x509_crt_equals2 compares the DER, without re-encoding.
    if (!same_der(e.cert, in.cert) || !same_der(e.issuer, in.issuer) ||
        e.trusted.size() != in.trusted_responders.size())
        return false;
    for (std::size_t i = 0; i < e.trusted.size(); ++i)
        if (!same_der(e.trusted[i], in.trusted_responders[i])) return false;
    return true;
}

std::optional<Verdict> VerifiedCache::lookup(const Key& key, const Input& in)
{
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end() || !same_inputs(*it->second, in)) {
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

void VerifiedCache::store(const Key& key, const Input& in, const Verdict& v)
{
    Entry entry{key, v, der_of(in.cert), der_of(in.issuer), {}};
    if (entry.cert.empty() || entry.issuer.empty()) return;
    for (gnutls_x509_crt_t t : in.trusted_responders) {
        entry.trusted.push_back(der_of(t));
        if (entry.trusted.back().empty()) return;
    }
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {  // same staple, other inputs, or a race
        *it->second = std::move(entry);
        lru_.splice(lru_.begin(), lru_, it->second);
        return;
    }
    lru_.push_front(std::move(entry));
    index_.emplace(key, lru_.begin());
    if (lru_.size() > capacity_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
}

Verdict VerifiedCache::verify(const Input& in)
{
    auto key = key_of(in);
    if (!key) return ocsp::verify(in);
    if (auto hit = lookup(*key, in)) return std::move(*hit);
    Verdict v = ocsp::verify(in);
    if (v.verified()) store(*key, in, v);
    return v;
}

VerifiedCache::Stats VerifiedCache::stats() const
{
    std::lock_guard lock(mutex_);
    return {hits_, misses_, lru_.size()};
}

}  // namespace ocspmx::ocsp
