// The minimal DER reader: lengths, truncation, the OCSP layout, SPKI bits.
#include "ocsp/der.hpp"

#include <catch2/catch_test_macros.hpp>

#include "fixtures.hpp"
#include "ocsp/cert_id.hpp"

namespace ocspmx::ocsp::test {

TEST_CASE("DER lengths: short, long, truncated, non-minimal, indefinite", "[ocsp][der]")
{
    const std::vector<std::uint8_t> short_form{0x04, 0x02, 0xAA, 0xBB, 0x05};
    der::Bytes in = short_form;
    auto tlv = der::read(in);
    REQUIRE(tlv);
    CHECK(tlv->value.size() == 2);
    CHECK(in.size() == 1);

    std::vector<std::uint8_t> long_form{0x04, 0x81, 0x80};
    long_form.resize(3 + 0x80, 0x11);
    in = long_form;
    REQUIRE(der::read(in));
    CHECK(in.empty());

    const std::vector<std::uint8_t> truncated{0x04, 0x05, 0x01};
    in = truncated;
    CHECK(!der::read(in));
    const std::vector<std::uint8_t> non_minimal{0x04, 0x81, 0x01, 0x00};
    in = non_minimal;
    CHECK(!der::read(in));
    const std::vector<std::uint8_t> indefinite{0x30, 0x80, 0x00, 0x00};
    in = indefinite;
    CHECK(!der::read(in));
}

TEST_CASE("OCSP layout: tbsResponseData and singleExtensions per SingleResponse", "[ocsp][der]")
{
    const auto two = read_bytes(fixture("ocsp/two-singles-leaf-second.der"));
    auto layout = der::basic_layout(two);
    REQUIRE(layout);
    CHECK(layout->single_extensions.size() == 2);
    CHECK(layout->tbs_response_data.front() == der::tag_sequence);

    const auto status_only = read_bytes(fixture("ocsp/try-later.der"));
    CHECK(!der::basic_layout(status_only));
    const auto truncated = read_bytes(fixture("ocsp/truncated-one-byte.der"));
    CHECK(!der::basic_layout(truncated));
}

TEST_CASE("issuerKeyHash input is the subjectPublicKey bits only", "[ocsp][der]")
{
    // RSA: the bits are a DER RSAPublicKey SEQUENCE; EC: an uncompressed point.
    auto rsa = detail::public_key_bits(pki_cert("intermediate-ca").get());
    REQUIRE(rsa);
    CHECK(rsa->front() == 0x30);
    auto ec = detail::public_key_bits(pki_cert("ec-intermediate-ca").get());
    REQUIRE(ec);
    CHECK(ec->size() == 65);
    CHECK(ec->front() == 0x04);
}

}  // namespace ocspmx::ocsp::test

namespace ocspmx::ocsp::test {

TEST_CASE("OID content octets as dotted text", "[ocsp][der]")
{
    const std::vector<std::uint8_t> nonce{0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02};
    CHECK(der::oid_text(nonce) == "1.3.6.1.5.5.7.48.1.2");
    const std::vector<std::uint8_t> private_arc{0x2B, 0x06, 0x01, 0x04, 0x01,
                                                0x86, 0x8D, 0x1F, 0x01};
    CHECK(der::oid_text(private_arc) == "1.3.6.1.4.1.99999.1");
    const std::vector<std::uint8_t> joint{0x88, 0x37, 0x01};  // 2.999.1
    CHECK(der::oid_text(joint) == "2.999.1");
}

TEST_CASE("malformed OBJECT IDENTIFIER encodings (X.690 §8.19.2)", "[ocsp][der]")
{
    using V = std::vector<std::uint8_t>;
    struct OidRow {
        const char* what;
        V content;
        bool valid;
    };
    const OidRow oid_rows[] = {
        {"nonce", {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02}, true},
        {"2.999.1", {0x88, 0x37, 0x01}, true},
        {"one arc octet", {0x2B}, true},
        {"empty", {}, false},
        {"nonce + a continuing octet",
         {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02, 0x81},
         false},
        {"only a continuing octet", {0x81}, false},
        {"arc led by 0x80", {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x80, 0x02}, false},
        {"first arc led by 0x80", {0x80, 0x2B}, false},
    };
    for (const OidRow& r : oid_rows) {
        CAPTURE(r.what);
        CHECK(der::valid_oid(r.content) == r.valid);
        CHECK(der::oid_text(r.content).has_value() == r.valid);
        // An Extension with that OID, critical, empty value.
        V ext{0x30, static_cast<std::uint8_t>(2 + r.content.size() + 3 + 2), 0x06,
              static_cast<std::uint8_t>(r.content.size())};
        ext.insert(ext.end(), r.content.begin(), r.content.end());
        ext.insert(ext.end(), {0x01, 0x01, 0xFF, 0x04, 0x00});
        CHECK(der::extensions(ext).has_value() == r.valid);
    }
}

}  // namespace ocspmx::ocsp::test
