// Signer identification and authorization, RFC 6960 §4.2.1 and §4.2.2.2.
//
// The signer must be named by the ResponderID (byName: its subject; byKey:
// the SHA-1 of its subjectPublicKey bits) and its key must verify the
// signature. It is authorized when it is the certificate's issuer, a
// certificate from ocsp_trusted_responders ("local configuration"), or a
// delegated responder issued directly by the issuer, carrying
// id-kp-OCSPSigning and valid at the reference time. A trust anchor that is
// not the issuer is none of these (CONTRACT §4 rule 4).
#include "ocsp/responder.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "ocsp/cert_id.hpp"
#include "ocsp/handles.hpp"
#include "ocsp/issuer.hpp"
#include "ocsp/text.hpp"

namespace ocspmx::ocsp::detail {

namespace {

struct ResponderId {
    bool by_key = false;
    ByteVector raw;  // DER Name (byName) or the 20-byte key hash (byKey)
};

std::optional<ResponderId> responder_id(gnutls_ocsp_resp_t resp)
{
    Datum raw;
    if (gnutls_ocsp_resp_get_responder_raw_id(resp, GNUTLS_OCSP_RESP_ID_DN, raw.out()) >= 0)
        return ResponderId{false, ByteVector(raw.span().begin(), raw.span().end())};
    if (gnutls_ocsp_resp_get_responder_raw_id(resp, GNUTLS_OCSP_RESP_ID_KEY, raw.out()) >= 0)
        return ResponderId{true, ByteVector(raw.span().begin(), raw.span().end())};
    return std::nullopt;
}

bool names(const ResponderId& id, gnutls_x509_crt_t crt)
{
    if (id.by_key) {
        auto bits = public_key_bits(crt);
        if (!bits) return false;
        auto hash = certid_hash(GNUTLS_DIG_SHA1, *bits);
        return hash && *hash == id.raw;
    }
    Datum dn;
    return gnutls_x509_crt_get_raw_dn(crt, dn.out()) >= 0 && std::ranges::equal(dn.span(), id.raw);
}

std::string describe(const ResponderId& id)
{
    return id.by_key ? "byKey " + hex(id.raw) : "byName (no certificate with that name)";
}

bool signature_verifies(gnutls_x509_crt_t crt, gnutls_sign_algorithm_t alg,
                        const gnutls_datum_t& tbs, const gnutls_datum_t& sig)
{
    gnutls_pubkey_t raw = nullptr;
    if (gnutls_pubkey_init(&raw) < 0) return false;
    PubkeyPtr key(raw);
    if (gnutls_pubkey_import_x509(key.get(), crt, 0) < 0) return false;
    return gnutls_pubkey_verify_data2(key.get(), alg, 0, &tbs, &sig) >= 0;
}

bool has_ocsp_signing(gnutls_x509_crt_t crt)
{
    for (unsigned i = 0;; ++i) {
        char oid[128];
        std::size_t size = sizeof oid;
        const int rc = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &size, nullptr);
        if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) continue;  // not the OID we look for
        if (rc < 0) return false;
        if (std::strcmp(oid, GNUTLS_KP_OCSP_SIGNING) == 0) return true;
    }
}

SignerResult authorize(gnutls_x509_crt_t signer, const Input& in, SignerResult result)
{
    if (gnutls_x509_crt_equals(signer, in.issuer)) return result;
    for (gnutls_x509_crt_t trusted : in.trusted_responders)
        if (trusted != nullptr && gnutls_x509_crt_equals(signer, trusted)) return result;

    // A delegated responder: issued directly by the issuer (name and signature).
    if (!issued_by(signer, in.issuer)) {
        result.reason = Reason::signer_not_authorized;
        result.detail = "signer '" + result.responder +
                        "' is neither the issuer nor issued by it nor locally trusted";
        return result;
    }
    if (!has_ocsp_signing(signer)) {
        result.reason = Reason::responder_no_ocsp_signing;
        result.detail = "delegated responder '" + result.responder + "' lacks id-kp-OCSPSigning";
        return result;
    }
    const auto not_before =
        std::chrono::system_clock::from_time_t(gnutls_x509_crt_get_activation_time(signer));
    if (in.now < not_before || in.now > *result.not_after) {
        result.reason = Reason::responder_cert_expired;
        result.detail = "delegated responder '" + result.responder + "' is valid " +
                        iso8601(not_before) + " to " + iso8601(*result.not_after);
    }
    return result;
}

SignerResult signed_by(gnutls_x509_crt_t crt, const Input& in)
{
    SignerResult r;
    r.responder = subject(crt);
    r.not_after = std::chrono::system_clock::from_time_t(gnutls_x509_crt_get_expiration_time(crt));
    return authorize(crt, in, std::move(r));
}

}  // namespace

SignerResult check_signer(gnutls_ocsp_resp_t resp, std::span<const std::uint8_t> tbs,
                          const Input& in)
{
    SignerResult failure;
    auto id = responder_id(resp);
    if (!id) {
        failure.reason = Reason::malformed;
        failure.detail = "no readable ResponderID";
        return failure;
    }

    // Candidates in order of preference; the response's own certs last.
    std::vector<CrtPtr> owned;
    gnutls_x509_crt_t* certs = nullptr;
    std::size_t ncerts = 0;
    if (gnutls_ocsp_resp_get_certs(resp, &certs, &ncerts) >= 0) {
        for (std::size_t i = 0; i < ncerts; ++i) owned.emplace_back(certs[i]);
        gnutls_free(certs);
    }
    std::vector<gnutls_x509_crt_t> candidates{in.issuer};
    for (gnutls_x509_crt_t t : in.trusted_responders)
        if (t != nullptr) candidates.push_back(t);
    for (const CrtPtr& c : owned) candidates.push_back(c.get());

    const int alg = gnutls_ocsp_resp_get_signature_algorithm(resp);
    Datum sig;
    if (alg < 0 || gnutls_ocsp_resp_get_signature(resp, sig.out()) < 0) {
        failure.reason = Reason::bad_signature;
        failure.detail = "unsupported or unreadable signature algorithm";
        return failure;
    }
    const auto sign_alg = static_cast<gnutls_sign_algorithm_t>(alg);
    const gnutls_datum_t tbs_datum = borrowed_datum(tbs);
    const gnutls_datum_t sig_datum = borrowed_datum(sig.span());

    bool any_named = false;
    for (gnutls_x509_crt_t c : candidates) {
        if (!names(*id, c)) continue;
        any_named = true;
        if (signature_verifies(c, sign_alg, tbs_datum, sig_datum)) return signed_by(c, in);
    }
    // Only on the failure path: would another certificate have verified?
    for (gnutls_x509_crt_t c : candidates) {
        if (names(*id, c) || !signature_verifies(c, sign_alg, tbs_datum, sig_datum)) continue;
        failure.reason = Reason::responder_id_mismatch;
        failure.responder = subject(c);
        failure.detail =
            "signed by '" + failure.responder + "', which the ResponderID does not name";
        return failure;
    }
    if (!any_named) {
        failure.reason = Reason::signer_not_found;
        Datum dn;
        if (!id->by_key && gnutls_ocsp_resp_get_responder2(resp, dn.out(), 0) >= 0)
            failure.responder.assign(dn.span().begin(), dn.span().end());
        else
            failure.responder = describe(*id);
        failure.detail =
            "no certificate in the response, the issuer or the trusted responders "
            "matches ResponderID '" +
            failure.responder + "'";
        return failure;
    }
    failure.reason = Reason::bad_signature;
    const char* alg_name = gnutls_sign_get_name(sign_alg);  // NULL: an algorithm GnuTLS lacks
    failure.detail = std::string("signature (") + (alg_name ? alg_name : "unknown algorithm") +
                     ") does not verify under the key the ResponderID names";
    return failure;
}

}  // namespace ocspmx::ocsp::detail
