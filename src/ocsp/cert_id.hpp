// CertID matching, RFC 6960 §4.1.1: serialNumber, issuerNameHash (hash of
// the DER issuer Name in the certificate being checked) and issuerKeyHash
// (hash of the issuer's subjectPublicKey BIT STRING value), each hash
// computed with the CertID's own hashAlgorithm.
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ocspmx::ocsp::detail {

using ByteVector = std::vector<std::uint8_t>;

// The subjectPublicKey bits of a certificate (what issuerKeyHash and a
// byKey ResponderID hash); nullopt when GnuTLS cannot export the key.
[[nodiscard]] std::optional<ByteVector> public_key_bits(gnutls_x509_crt_t crt);

// Hash of `data` with a CertID hash (SHA-1/256/384/512); nullopt for others.
[[nodiscard]] std::optional<ByteVector> certid_hash(gnutls_digest_algorithm_t alg,
                                                    std::span<const std::uint8_t> data);

class CertIdMatcher {
public:
    // nullopt when the certificate or issuer cannot be read.
    [[nodiscard]] static std::optional<CertIdMatcher> make(gnutls_x509_crt_t cert,
                                                           gnutls_x509_crt_t issuer);

    // True when a SingleResponse's CertID names this certificate.
    [[nodiscard]] bool matches(gnutls_digest_algorithm_t alg,
                               std::span<const std::uint8_t> issuer_name_hash,
                               std::span<const std::uint8_t> issuer_key_hash,
                               std::span<const std::uint8_t> serial) const;

    [[nodiscard]] const ByteVector& serial() const noexcept { return serial_; }

private:
    ByteVector issuer_dn_;   // DER issuer Name of the certificate
    ByteVector issuer_key_;  // the issuer's subjectPublicKey bits
    // INTEGER content octets as encoded, sign octet included: DER has one
    // encoding per number (X.690 §8.3.2), and 00 80 (+128) is not 80 (-128).
    ByteVector serial_;
};

}  // namespace ocspmx::ocsp::detail
