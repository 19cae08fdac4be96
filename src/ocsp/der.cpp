// DER reading, X.690 §8.1 and §10.1 (definite-length, minimal lengths).
#include "ocsp/der.hpp"

namespace ocspmx::ocsp::der {

std::optional<Tlv> read(Bytes& in)
{
    if (in.size() < 2) return std::nullopt;
    const std::uint8_t tag = in[0];
    if ((tag & 0x1F) == 0x1F) return std::nullopt;  // high tag numbers: never in OCSP
    std::size_t length = in[1];
    std::size_t header = 2;
    if (length & 0x80) {
        const std::size_t n = length & 0x7F;
        if (n == 0 || n > 4 || in.size() < 2 + n) return std::nullopt;  // indefinite or huge
        if (in[2] == 0) return std::nullopt;  // not minimal (X.690 §10.1)
        length = 0;
        for (std::size_t i = 0; i < n; ++i) length = (length << 8) | in[2 + i];
        if (length < 0x80) return std::nullopt;
        header += n;
    }
    if (in.size() - header < length) return std::nullopt;
    Tlv tlv{tag, in.first(header + length), in.subspan(header, length)};
    in = in.subspan(header + length);
    return tlv;
}

std::optional<Tlv> expect(Bytes& in, std::uint8_t tag)
{
    auto tlv = read(in);
    if (!tlv || tlv->tag != tag) return std::nullopt;
    return tlv;
}

std::optional<std::vector<Tlv>> children(Bytes value)
{
    std::vector<Tlv> out;
    while (!value.empty()) {
        auto tlv = read(value);
        if (!tlv) return std::nullopt;
        out.push_back(*tlv);
    }
    return out;
}

std::optional<std::vector<Extension>> extensions(Bytes extensions_seq_value)
{
    auto items = children(extensions_seq_value);
    if (!items) return std::nullopt;
    std::vector<Extension> out;
    for (const Tlv& item : *items) {
        if (item.tag != tag_sequence) return std::nullopt;
        Bytes body = item.value;
        auto oid = expect(body, tag_oid);
        if (!oid || !valid_oid(oid->value)) return std::nullopt;
        Extension ext{oid->value, false};
        if (!body.empty() && body[0] == tag_boolean) {
            auto flag = read(body);
            if (!flag || flag->value.size() != 1) return std::nullopt;
            ext.critical = flag->value[0] != 0;
        }
        if (!expect(body, tag_octet_string) || !body.empty()) return std::nullopt;
        out.push_back(ext);
    }
    return out;
}

bool valid_oid(Bytes oid)
{
    if (oid.empty() || (oid.back() & 0x80)) return false;
    bool arc_start = true;
    for (std::uint8_t b : oid) {
        if (arc_start && b == 0x80) return false;  // a redundant leading octet
        arc_start = !(b & 0x80);
    }
    return true;
}

std::optional<std::string> oid_text(Bytes oid)
{
    if (!valid_oid(oid)) return std::nullopt;
    std::string out;
    std::uint64_t arc = 0;
    bool first = true;
    for (std::uint8_t b : oid) {
        if (arc >> 57) return std::nullopt;  // would not fit in 64 bits
        arc = (arc << 7) | (b & 0x7F);
        if (b & 0x80) continue;
        if (first) {
            const std::uint64_t top = arc < 80 ? arc / 40 : 2;
            out = std::to_string(top) + "." + std::to_string(arc - top * 40);
            first = false;
        } else {
            out += "." + std::to_string(arc);
        }
        arc = 0;
    }
    return out;
}

namespace {

// The value of an EXPLICIT [n] Extensions wrapper: the SEQUENCE's content.
std::optional<Bytes> explicit_extensions(const Tlv& tagged)
{
    Bytes inner = tagged.value;
    auto seq = expect(inner, tag_sequence);
    if (!seq || !inner.empty()) return std::nullopt;
    return seq->value;
}

// SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate,
//   nextUpdate [0] OPTIONAL, singleExtensions [1] OPTIONAL }
std::optional<Bytes> single_extensions(const Tlv& single)
{
    auto parts = children(single.value);
    if (!parts || parts->size() < 3 || (*parts)[0].tag != tag_sequence) return std::nullopt;
    for (std::size_t i = 3; i < parts->size(); ++i) {
        const Tlv& p = (*parts)[i];
        if (p.tag == context(1)) return explicit_extensions(p);
    }
    return Bytes{};
}

}  // namespace

std::optional<BasicLayout> basic_layout(Bytes response)
{
    // OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT }
    auto outer = expect(response, tag_sequence);
    if (!outer || !response.empty()) return std::nullopt;
    Bytes body = outer->value;
    if (!expect(body, tag_enumerated)) return std::nullopt;
    auto explicit0 = expect(body, context(0));
    if (!explicit0 || !body.empty()) return std::nullopt;
    Bytes rb_outer = explicit0->value;
    auto response_bytes = expect(rb_outer, tag_sequence);
    if (!response_bytes || !rb_outer.empty()) return std::nullopt;
    Bytes rb = response_bytes->value;
    if (!expect(rb, tag_oid)) return std::nullopt;
    auto octets = expect(rb, tag_octet_string);
    if (!octets || !rb.empty()) return std::nullopt;

    // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm,
    //   signature BIT STRING, certs [0] EXPLICIT OPTIONAL }
    Bytes basic_bytes = octets->value;
    auto basic = expect(basic_bytes, tag_sequence);
    if (!basic || !basic_bytes.empty()) return std::nullopt;
    Bytes b = basic->value;
    auto tbs = expect(b, tag_sequence);
    if (!tbs || !expect(b, tag_sequence) || !expect(b, tag_bit_string)) return std::nullopt;

    // ResponseData ::= SEQUENCE { version [0] DEFAULT v1, responderID,
    //   producedAt, responses SEQUENCE OF SingleResponse, responseExtensions [1] }
    auto fields = children(tbs->value);
    if (!fields) return std::nullopt;
    const Tlv* responses = nullptr;
    BasicLayout layout{tbs->whole, {}, {}};
    for (const Tlv& f : *fields) {
        if (f.tag == tag_sequence && responses == nullptr) {
            responses = &f;
        } else if (f.tag == context(1) && responses != nullptr) {
            auto exts = explicit_extensions(f);
            if (!exts) return std::nullopt;
            layout.response_extensions = *exts;
        }
    }
    if (responses == nullptr) return std::nullopt;
    auto singles = children(responses->value);
    if (!singles) return std::nullopt;
    for (const Tlv& single : *singles) {
        auto ext = single_extensions(single);
        if (!ext) return std::nullopt;
        layout.single_extensions.push_back(*ext);
    }
    return layout;
}

std::optional<CertificateLayout> certificate_layout(Bytes cert)
{
    auto outer = expect(cert, tag_sequence);
    if (!outer || !cert.empty()) return std::nullopt;
    Bytes body = outer->value;
    auto tbs = expect(body, tag_sequence);
    if (!tbs || !expect(body, tag_sequence) || !expect(body, tag_bit_string) || !body.empty())
        return std::nullopt;
    Bytes fields = tbs->value;
    auto first = read(fields);
    if (!first) return std::nullopt;
    constexpr std::uint8_t tag_integer = 0x02;
    if (first->tag == context(0) && !expect(fields, tag_integer)) return std::nullopt;
    if (first->tag != context(0) && first->tag != tag_integer) return std::nullopt;
    for (int skip = 0; skip < 3; ++skip)  // signature, issuer, validity
        if (!expect(fields, tag_sequence)) return std::nullopt;
    auto subject = expect(fields, tag_sequence);
    if (!subject) return std::nullopt;
    return CertificateLayout{tbs->whole, subject->whole};
}

std::optional<Bytes> public_key_bits(Bytes spki)
{
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
    auto seq = expect(spki, tag_sequence);
    if (!seq) return std::nullopt;
    Bytes body = seq->value;
    if (!expect(body, tag_sequence)) return std::nullopt;
    auto bits = expect(body, tag_bit_string);
    if (!bits || bits->value.empty() || !body.empty()) return std::nullopt;
    return bits->value.subspan(1);
}

}  // namespace ocspmx::ocsp::der
