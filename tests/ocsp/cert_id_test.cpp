// CertID matching, RFC 6960 §4.1.1: the serialNumber is compared as the DER
// INTEGER content octets, sign octet included (X.690 §8.3.2 forbids
// redundant leading octets, so equal numbers have equal encodings).
#include "ocsp/cert_id.hpp"

#include <catch2/catch_test_macros.hpp>

#include "fixtures.hpp"

namespace ocspmx::ocsp::test {

namespace {

using V = std::vector<std::uint8_t>;

// leaf.pem with its serialNumber content octets replaced by `serial`.
detail::CrtPtr leaf_with_serial(const V& serial)
{
    auto crt = pki_cert("leaf");
    REQUIRE(gnutls_x509_crt_set_serial(crt.get(), serial.data(), serial.size()) == 0);
    return crt;
}

V raw_serial(gnutls_x509_crt_t crt)
{
    V out(64);
    std::size_t size = out.size();
    REQUIRE(gnutls_x509_crt_get_serial(crt, out.data(), &size) == 0);
    out.resize(size);
    return out;
}

}  // namespace

TEST_CASE("CertID serialNumber: exact INTEGER content octets, sign included", "[ocsp][certid]")
{
    struct Row {
        const char* what;
        V cert_serial;    // content octets in the certificate
        V certid_serial;  // content octets in the SingleResponse's CertID
        bool match;
    };
    const Row serial_rows[] = {
        {"leaf 0x3001", {0x30, 0x01}, {0x30, 0x01}, true},
        {"redundant leading zero is another encoding", {0x30, 0x01}, {0x00, 0x30, 0x01}, false},
        {"+128", {0x00, 0x80}, {0x00, 0x80}, true},
        {"+128 is not -128", {0x00, 0x80}, {0x80}, false},
        {"-128 is not +128", {0x80}, {0x00, 0x80}, false},
        {"other serial", {0x30, 0x01}, {0x30, 0x02}, false},
    };
    auto issuer = pki_cert("intermediate-ca");
    auto key_bits = detail::public_key_bits(issuer.get());
    REQUIRE(key_bits);
    for (const Row& r : serial_rows) {
        CAPTURE(r.what);
        auto cert = leaf_with_serial(r.cert_serial);
        // What GnuTLS returns is the raw content octets, sign octet included
        // (gnutls_ocsp_resp_get_single does the same for the CertID).
        REQUIRE(raw_serial(cert.get()) == r.cert_serial);
        detail::Datum dn;
        REQUIRE(gnutls_x509_crt_get_raw_issuer_dn(cert.get(), dn.out()) == 0);
        auto name_hash = detail::certid_hash(GNUTLS_DIG_SHA1, dn.span());
        auto key_hash = detail::certid_hash(GNUTLS_DIG_SHA1, *key_bits);
        REQUIRE(name_hash);
        REQUIRE(key_hash);
        auto matcher = detail::CertIdMatcher::make(cert.get(), issuer.get());
        REQUIRE(matcher);
        CHECK(matcher->serial() == r.cert_serial);
        CHECK(matcher->matches(GNUTLS_DIG_SHA1, *name_hash, *key_hash, r.certid_serial) == r.match);
    }
}

}  // namespace ocspmx::ocsp::test
