// A minimal DER reader (X.690 §8.1, definite lengths only) for the few
// places GnuTLS has no getter: the signed tbsResponseData bytes, the
// singleExtensions of each SingleResponse, and the BIT STRING inside a
// SubjectPublicKeyInfo (RFC 6960 §4.1.1 issuerKeyHash).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ocspmx::ocsp::der {

using Bytes = std::span<const std::uint8_t>;

inline constexpr std::uint8_t tag_boolean = 0x01;
inline constexpr std::uint8_t tag_bit_string = 0x03;
inline constexpr std::uint8_t tag_octet_string = 0x04;
inline constexpr std::uint8_t tag_enumerated = 0x0A;
inline constexpr std::uint8_t tag_oid = 0x06;
inline constexpr std::uint8_t tag_sequence = 0x30;
inline constexpr std::uint8_t context(unsigned n) { return static_cast<std::uint8_t>(0xA0 | n); }

struct Tlv {
    std::uint8_t tag = 0;
    Bytes whole;  // tag, length and value
    Bytes value;
};

// Reads the TLV at the front of `in` and advances past it; nullopt when it
// is malformed or overruns `in` (high tag numbers and indefinite lengths
// are not DER we need).
[[nodiscard]] std::optional<Tlv> read(Bytes& in);

// Reads a TLV that must have `tag`.
[[nodiscard]] std::optional<Tlv> expect(Bytes& in, std::uint8_t tag);

// The elements of a constructed value; nullopt when any is malformed or
// bytes are left over.
[[nodiscard]] std::optional<std::vector<Tlv>> children(Bytes value);

// An Extension (RFC 5280 §4.1): extnID, critical DEFAULT FALSE, extnValue.
// nullopt also when an extnID is not valid_oid().
struct Extension {
    Bytes oid;  // content octets of the OBJECT IDENTIFIER, valid_oid()
    bool critical = false;
};
[[nodiscard]] std::optional<std::vector<Extension>> extensions(Bytes extensions_seq_value);

// OBJECT IDENTIFIER content octets as X.690 §8.19.2 has them: at least one
// octet, no subidentifier led by 0x80, the last octet without bit 8.
[[nodiscard]] bool valid_oid(Bytes oid);

// Dotted text of OBJECT IDENTIFIER content octets ("1.3.6.1.5.5.7.48.1.2"),
// for messages only (compare OIDs as octets); nullopt when not valid_oid()
// or an arc does not fit in 64 bits.
[[nodiscard]] std::optional<std::string> oid_text(Bytes oid);

// Where the signed and the extension-bearing parts of a DER OCSPResponse
// are (RFC 6960 §4.2.1). Spans point into the input.
struct BasicLayout {
    Bytes tbs_response_data;               // whole TLV: what the signature covers
    Bytes response_extensions;             // Extensions SEQUENCE value; empty when absent
    std::vector<Bytes> single_extensions;  // per SingleResponse; empty span when absent
};
// nullopt unless `response` is exactly one successful OCSPResponse whose
// BasicOCSPResponse has the RFC 6960 shape.
[[nodiscard]] std::optional<BasicLayout> basic_layout(Bytes response);

// Where the signed part and the subject of a DER Certificate are (RFC 5280
// §4.1: tbsCertificate is [0] version OPTIONAL, serialNumber, signature,
// issuer, validity, subject, ...; then signatureAlgorithm and
// signatureValue). Spans point into the input; nullopt unless `cert` is
// exactly one certificate of that shape.
struct CertificateLayout {
    Bytes tbs_certificate;  // whole TLV: what the signature covers
    Bytes subject;          // whole TLV: the raw Name GnuTLS files anchors under
};
[[nodiscard]] std::optional<CertificateLayout> certificate_layout(Bytes cert);

// The subjectPublicKey bits of a DER SubjectPublicKeyInfo (without the
// unused-bits octet): what issuerKeyHash and ResponderID byKey hash.
[[nodiscard]] std::optional<Bytes> public_key_bits(Bytes spki);

}  // namespace ocspmx::ocsp::der
