// RFC 6960 §4.1.1 CertID computation and comparison.
#include "ocsp/cert_id.hpp"

#include <algorithm>
#include <array>

#include "ocsp/der.hpp"
#include "ocsp/handles.hpp"

namespace ocspmx::ocsp::detail {

std::optional<ByteVector> public_key_bits(gnutls_x509_crt_t crt)
{
    gnutls_pubkey_t raw = nullptr;
    if (gnutls_pubkey_init(&raw) < 0) return std::nullopt;
    PubkeyPtr key(raw);
    if (gnutls_pubkey_import_x509(key.get(), crt, 0) < 0) return std::nullopt;
    Datum spki;
    if (gnutls_pubkey_export2(key.get(), GNUTLS_X509_FMT_DER, spki.out()) < 0) return std::nullopt;
    auto bits = der::public_key_bits(spki.span());
    if (!bits) return std::nullopt;
    return ByteVector(bits->begin(), bits->end());
}

std::optional<ByteVector> certid_hash(gnutls_digest_algorithm_t alg,
                                      std::span<const std::uint8_t> data)
{
    switch (alg) {
        case GNUTLS_DIG_SHA1:
        case GNUTLS_DIG_SHA256:
        case GNUTLS_DIG_SHA384:
        case GNUTLS_DIG_SHA512:
            break;
        default:
            return std::nullopt;  // MD5, SHA-224 and others are not CertID hashes we accept
    }
    std::array<std::uint8_t, 64> out{};
    if (gnutls_hash_fast(alg, data.data(), data.size(), out.data()) < 0) return std::nullopt;
    return ByteVector(out.begin(), out.begin() + gnutls_hash_get_len(alg));
}

std::optional<CertIdMatcher> CertIdMatcher::make(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer)
{
    CertIdMatcher m;
    Datum dn;
    if (gnutls_x509_crt_get_raw_issuer_dn(cert, dn.out()) < 0) return std::nullopt;
    m.issuer_dn_.assign(dn.span().begin(), dn.span().end());
    auto key = public_key_bits(issuer);
    if (!key) return std::nullopt;
    m.issuer_key_ = std::move(*key);
    // The raw content octets, as gnutls_ocsp_resp_get_single() returns the CertID's.
    std::array<std::uint8_t, 64> serial{};
    std::size_t size = serial.size();
    if (gnutls_x509_crt_get_serial(cert, serial.data(), &size) < 0) return std::nullopt;
    m.serial_.assign(serial.begin(), serial.begin() + static_cast<std::ptrdiff_t>(size));
    return m;
}

bool CertIdMatcher::matches(gnutls_digest_algorithm_t alg,
                            std::span<const std::uint8_t> issuer_name_hash,
                            std::span<const std::uint8_t> issuer_key_hash,
                            std::span<const std::uint8_t> serial) const
{
    if (!std::ranges::equal(serial, serial_)) return false;
    auto name = certid_hash(alg, issuer_dn_);
    if (!name || !std::ranges::equal(*name, issuer_name_hash)) return false;
    auto key = certid_hash(alg, issuer_key_);
    return key && std::ranges::equal(*key, issuer_key_hash);
}

}  // namespace ocspmx::ocsp::detail
