// The OCSP verdict for one stapled response: CONTRACT.md §4 rules 2-6 over
// RFC 6960. Rule 1 (the peer chain) belongs to the TLS layer.
//
// GnuTLS's own gnutls_ocsp_resp_verify()/check_crt() are deliberately not
// the deciding check: they accept tryLater, unknown and future thisUpdate,
// look only at the first SingleResponse, and accept any signer that chains
// to a trust anchor. This file uses only GnuTLS's getters.
#include <algorithm>
#include <cstring>
#include <initializer_list>

#include "ocsp/cert_id.hpp"
#include "ocsp/der.hpp"
#include "ocsp/handles.hpp"
#include "ocsp/responder.hpp"
#include "ocsp/text.hpp"
#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp {

namespace {

using detail::Datum;

constexpr const char* oid_basic = "1.3.6.1.5.5.7.48.1.1";  // id-pkix-ocsp-basic

Verdict fail(Verdict v, Reason reason, std::string detail)
{
    v.state = State::failed;
    v.reason = reason;
    v.detail = std::move(detail);
    return v;
}

// Rule 2, RFC 6960 §4.2.1 OCSPResponseStatus.
Reason status_reason(int status)
{
    switch (status) {
        case GNUTLS_OCSP_RESP_MALFORMEDREQUEST:
            return Reason::status_malformed_request;
        case GNUTLS_OCSP_RESP_INTERNALERROR:
            return Reason::status_internal_error;
        case GNUTLS_OCSP_RESP_TRYLATER:
            return Reason::status_try_later;
        case GNUTLS_OCSP_RESP_SIGREQUIRED:
            return Reason::status_sig_required;
        case GNUTLS_OCSP_RESP_UNAUTHORIZED:
            return Reason::status_unauthorized;
        default:
            return Reason::malformed;  // 4 and 7+ are not defined
    }
}

// Extensions whose criticality we can honour: nothing in them changes the
// verdict of a staple (RFC 6960 §4.4, RFC 5280 §5.3 in singleExtensions).
// Compared as DER content octets, so no other encoding reads as one of them.
bool understood(der::Bytes oid)
{
    using O = std::initializer_list<std::uint8_t>;
    static const O known[] = {
        {0x2B, 6, 1, 5, 5, 7, 0x30, 1, 2},  // 1.3.6.1.5.5.7.48.1.2 nonce (§4.4.1): a staple
                                            // answers no request of ours
        {0x2B, 6, 1, 5, 5, 7, 0x30, 1, 3},  // 1.3.6.1.5.5.7.48.1.3 CRL references (§4.4.2)
        {0x2B, 6, 1, 5, 5, 7, 0x30, 1, 6},  // 1.3.6.1.5.5.7.48.1.6 archive cutoff (§4.4.4)
        {0x2B, 6, 1, 5, 5, 7, 0x30, 1, 9},  // 1.3.6.1.5.5.7.48.1.9 extended revoke (§4.4.8):
                                            // revoked fails anyway
        {0x55, 0x1D, 0x15},                 // 2.5.29.21 CRL reasonCode: revoked fails anyway
        {0x55, 0x1D, 0x18},                 // 2.5.29.24 invalidityDate: revoked fails anyway
    };
    return std::ranges::any_of(known, [&](const O& k) { return std::ranges::equal(k, oid); });
}

// The first critical extension we do not understand, by its dotted OID.
// Extensions that are not DER (malformed OIDs included) set `malformed`.
std::optional<std::string> unknown_critical(der::Bytes extensions, bool& malformed)
{
    auto exts = der::extensions(extensions);
    if (!exts) {
        malformed = true;
        return std::nullopt;
    }
    for (const der::Extension& e : *exts)
        if (e.critical && !understood(e.oid))
            return der::oid_text(e.oid).value_or("(OID " + hex(e.oid) + ")");
    return std::nullopt;
}

struct Single {
    std::size_t index = 0;
    CertStatus status = CertStatus::unknown;
    TimePoint this_update;
    std::optional<TimePoint> next_update;
    std::optional<TimePoint> revocation_time;
    std::optional<RevocationReason> revocation_reason;
};

// A GeneralizedTime reaches year 9999; system_clock's 64-bit nanoseconds end
// in 2262, so clamp (to about 1685..2255) instead of overflowing.
TimePoint from_time(time_t t)
{
    return std::chrono::system_clock::from_time_t(
        std::clamp<time_t>(t, -9'000'000'000, 9'000'000'000));
}

// Rules 5 and 6 for one matching SingleResponse: none when it proves "good".
Reason judge(const Single& s, const Input& in, std::string& detail)
{
    if (s.status == CertStatus::revoked) {
        detail = "revoked at " + (s.revocation_time ? iso8601(*s.revocation_time) : "?") +
                 (s.revocation_reason ? std::string(", ") + to_string(*s.revocation_reason) : "");
        return Reason::cert_revoked;
    }
    if (s.status == CertStatus::unknown) {
        detail = "the responder does not know the certificate";
        return Reason::cert_unknown;
    }
    if (s.this_update > in.now + in.clock_skew) {
        detail =
            "thisUpdate " + iso8601(s.this_update) + " is after " + iso8601(in.now) + " + skew";
        return Reason::response_not_yet_valid;
    }
    if (s.next_update && *s.next_update < in.now - in.clock_skew) {
        detail =
            "nextUpdate " + iso8601(*s.next_update) + " is before " + iso8601(in.now) + " - skew";
        return Reason::response_expired;
    }
    if (!s.next_update && s.this_update < in.now - in.max_age) {
        detail =
            "no nextUpdate and thisUpdate " + iso8601(s.this_update) + " is older than max age";
        return Reason::response_too_old;
    }
    return Reason::none;
}

// Strictest first, CONTRACT §4 rule 6: revoked > unknown > stale > good.
int severity(Reason r)
{
    switch (r) {
        case Reason::none:
            return 0;
        case Reason::cert_revoked:
            return 3;
        case Reason::cert_unknown:
            return 2;
        default:
            return 1;
    }
}

// Rule 5 is monotone in each bound, so the tightest bound of each kind
// over the matching SingleResponses stands for all of them.
Verdict::Window window_of(const std::vector<Single>& singles)
{
    Verdict::Window w{singles.front().this_update, {}, {}};
    auto earliest = [](std::optional<TimePoint>& bound, TimePoint t) {
        if (!bound || t < *bound) bound = t;
    };
    for (const Single& s : singles) {
        w.latest_this_update = std::max(w.latest_this_update, s.this_update);
        if (s.next_update)
            earliest(w.earliest_next_update, *s.next_update);
        else
            earliest(w.earliest_this_update_without_next, s.this_update);
    }
    return w;
}

// The SingleResponse whose time window ends first: what a verified verdict reports.
const Single& first_to_go_stale(const std::vector<Single>& singles, const Input& in)
{
    auto end = [&](const Single& s) {
        return s.next_update ? *s.next_update : s.this_update + in.max_age;
    };
    return *std::ranges::min_element(
        singles, [&](const Single& a, const Single& b) { return end(a) < end(b); });
}

void copy_details(Verdict& v, const Single& s)
{
    v.cert_status = s.status;
    v.this_update = s.this_update;
    v.next_update = s.next_update;
    v.revocation_time = s.revocation_time;
    v.revocation_reason = s.revocation_reason;
    v.matched_index = s.index;
}

// Rule 3: every SingleResponse whose CertID names the certificate.
Reason matching_singles(gnutls_ocsp_resp_t resp, const detail::CertIdMatcher& matcher,
                        std::vector<Single>& out, std::size_t& count)
{
    for (unsigned i = 0;; ++i) {
        gnutls_digest_algorithm_t alg = GNUTLS_DIG_UNKNOWN;
        Datum name_hash, key_hash, serial;
        unsigned status = 0, reason = 0;
        time_t this_update = 0, next_update = 0, revoked_at = 0;
        const int rc = gnutls_ocsp_resp_get_single(resp, i, &alg, name_hash.out(), key_hash.out(),
                                                   serial.out(), &status, &this_update,
                                                   &next_update, &revoked_at, &reason);
        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return Reason::none;
        if (rc < 0) return Reason::malformed;
        count = i + 1;
        if (!matcher.matches(alg, name_hash.span(), key_hash.span(), serial.span())) continue;
        Single s;
        s.index = i;
        s.this_update = from_time(this_update);
        if (next_update != static_cast<time_t>(-1)) s.next_update = from_time(next_update);
        if (status == GNUTLS_OCSP_CERT_GOOD)
            s.status = CertStatus::good;
        else if (status == GNUTLS_OCSP_CERT_REVOKED)
            s.status = CertStatus::revoked;
        if (s.status == CertStatus::revoked) {
            s.revocation_time = from_time(revoked_at);
            s.revocation_reason = static_cast<RevocationReason>(reason);
        }
        out.push_back(s);
    }
}

}  // namespace

Verdict verify(const Input& in)
{
    Verdict v;
    if (in.cert == nullptr || in.issuer == nullptr)
        return fail(std::move(v), Reason::bad_input, "no certificate or issuer to check against");

    // Rule 2: a successful OCSPResponse carrying a BasicOCSPResponse.
    gnutls_ocsp_resp_t raw = nullptr;
    if (gnutls_ocsp_resp_init(&raw) < 0)
        return fail(std::move(v), Reason::malformed, "out of memory");
    detail::OcspRespPtr resp(raw);
    const gnutls_datum_t bytes = detail::borrowed_datum(in.response);
    if (in.response.empty() || gnutls_ocsp_resp_import(resp.get(), &bytes) < 0)
        return fail(std::move(v), Reason::malformed, "not a DER OCSPResponse");
    const int status = gnutls_ocsp_resp_get_status(resp.get());
    if (status != GNUTLS_OCSP_RESP_SUCCESSFUL) {
        const Reason r = status < 0 ? Reason::malformed : status_reason(status);
        return fail(std::move(v), r, std::string("responseStatus ") + to_string(r));
    }
    Datum type;
    if (gnutls_ocsp_resp_get_response(resp.get(), type.out(), nullptr) < 0)
        return fail(std::move(v), Reason::malformed,
                    "successful responseStatus without responseBytes");
    if (type.span().size() != std::strlen(oid_basic) ||
        std::memcmp(type.span().data(), oid_basic, type.span().size()) != 0)
        return fail(std::move(v), Reason::unsupported_response_type,
                    "responseType is not id-pkix-ocsp-basic");
    auto layout = der::basic_layout(in.response);
    if (!layout)
        return fail(std::move(v), Reason::malformed,
                    "BasicOCSPResponse is not DER as RFC 6960 defines it");
    const time_t produced = gnutls_ocsp_resp_get_produced(resp.get());
    if (produced != static_cast<time_t>(-1)) v.produced_at = from_time(produced);

    // Rule 3: the CertID under its own hash algorithm, every SingleResponse.
    auto matcher = detail::CertIdMatcher::make(in.cert, in.issuer);
    if (!matcher)
        return fail(std::move(v), Reason::bad_input, "cannot read the certificate or issuer");
    std::vector<Single> singles;
    std::size_t count = 0;
    if (matching_singles(resp.get(), *matcher, singles, count) != Reason::none)
        return fail(std::move(v), Reason::malformed, "unreadable SingleResponse");
    if (count != layout->single_extensions.size())
        return fail(std::move(v), Reason::malformed, "SingleResponse count disagrees with the DER");
    if (singles.empty())
        return fail(std::move(v), Reason::no_matching_response,
                    "none of " + std::to_string(count) + " SingleResponse(s) is for serial " +
                        hex(matcher->serial()) + " under this issuer");
    copy_details(v, first_to_go_stale(singles, in));
    v.window = window_of(singles);

    // Rule 4: signature and the signer's authority.
    auto signer = detail::check_signer(resp.get(), layout->tbs_response_data, in);
    v.responder = signer.responder;
    v.responder_not_after = signer.not_after;
    if (signer.reason != Reason::none) return fail(std::move(v), signer.reason, signer.detail);

    // Rule 6, critical extensions (RFC 5280 §4.2: unknown critical ones fail),
    // of the response and of every SingleResponse that speaks for the cert.
    // Extensions that are not DER (a malformed OID too) fail as malformed first.
    bool bad_der = false;
    const auto response_oid = unknown_critical(layout->response_extensions, bad_der);
    std::optional<std::string> single_oid;
    for (const Single& s : singles) {
        auto oid = unknown_critical(layout->single_extensions[s.index], bad_der);
        if (!single_oid) single_oid = std::move(oid);
    }
    if (bad_der) return fail(std::move(v), Reason::malformed, "unreadable extensions");
    if (response_oid)
        return fail(std::move(v), Reason::unknown_critical_extension,
                    "critical responseExtension " + *response_oid);
    if (single_oid)
        return fail(std::move(v), Reason::unknown_critical_extension,
                    "critical singleExtension " + *single_oid);

    // Rules 5 and 6: each matching SingleResponse; the strictest decides.
    Reason worst = Reason::none;
    std::string worst_detail;
    for (const Single& s : singles) {
        std::string d;
        const Reason r = judge(s, in, d);
        if (severity(r) > severity(worst)) {
            worst = r;
            worst_detail = std::move(d);
            copy_details(v, s);
        }
    }
    if (worst != Reason::none) return fail(std::move(v), worst, std::move(worst_detail));
    v.state = State::verified;
    v.reason = Reason::none;
    return v;
}

}  // namespace ocspmx::ocsp
