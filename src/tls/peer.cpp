#include "tls/peer.hpp"

#include "ocsp/issuer.hpp"
#include "tls/errors.hpp"

namespace ocspmx::tls {

Result<PeerChain> import_chain(std::span<const gnutls_datum_t> der)
{
    PeerChain chain;
    if (der.empty()) return make_error("TLS: the server sent no certificate");
    for (const auto& d : der) {
        gnutls_x509_crt_t crt = nullptr;
        if (int rc = gnutls_x509_crt_init(&crt); rc < 0) return tls_error("certificate", rc);
        chain.certs.emplace_back(crt);
        if (int rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER); rc < 0) {
            return tls_error("server certificate " + std::to_string(chain.certs.size() - 1), rc);
        }
    }
    return chain;
}

namespace {

ChainCheck verify_with(gnutls_x509_trust_list_t anchors, std::vector<gnutls_x509_crt_t>& raw)
{
    // The chain must be fit to authenticate a TLS server (RFC 5280
    // §4.2.1.12): GnuTLS then requires id-kp-serverAuth (or, in the leaf,
    // anyExtendedKeyUsage) in the leaf and in every CA certificate of the
    // path that carries an EKU; a certificate without an EKU is unrestricted.
    // GnuTLS reads the OID as a C string; `size` is ignored.
    static char server_auth[] = GNUTLS_KP_TLS_WWW_SERVER;
    gnutls_typed_vdata_st purpose{GNUTLS_DT_KEY_PURPOSE_OID,
                                  reinterpret_cast<unsigned char*>(server_auth), 0};
    unsigned status = 0;
    const int rc = gnutls_x509_trust_list_verify_crt2(
        anchors, raw.data(), static_cast<unsigned>(raw.size()), &purpose, 1, 0, &status, nullptr);
    if (rc < 0) return {false, error_text("certificate verification", rc)};
    if (status == 0) return {true, {}};
    gnutls_datum_t text{nullptr, 0};
    ChainCheck out{false, "certificate verification failed"};
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) >= 0) {
        out.reason.assign(reinterpret_cast<const char*>(text.data), text.size);
        gnutls_free(text.data);
    }
    return out;
}

}  // namespace

ChainCheck verify_chain(const Context& context, const PeerChain& chain)
{
    std::vector<gnutls_x509_crt_t> raw = chain.handles();
    ChainCheck check;
    const auto done = context.anchors().attempt_with(raw, [&](gnutls_x509_trust_list_t anchors) {
        check = verify_with(anchors, raw);
        return check.verified;
    });
    if (!done) return {false, done.error().message};
    return check;
}

bool name_matches(gnutls_x509_crt_t leaf, std::string_view name)
{
    if (leaf == nullptr || name.empty()) return false;
    std::string host(name);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host.size() > 1 && host.back() == '.') host.pop_back();  // absolute DNS name
    return gnutls_x509_crt_check_hostname2(leaf, host.c_str(), 0) != 0;
}

bool must_staple(gnutls_x509_crt_t leaf)
{
    if (leaf == nullptr) return false;
    gnutls_x509_tlsfeatures_t raw = nullptr;
    if (gnutls_x509_tlsfeatures_init(&raw) < 0) return false;
    TlsFeaturesPtr features(raw);
    unsigned critical = 0;
    if (gnutls_x509_crt_get_tlsfeatures(leaf, raw, 0, &critical) < 0) return false;
    constexpr unsigned status_request = 5;  // RFC 6066 ExtensionType
    for (unsigned i = 0;; ++i) {
        unsigned feature = 0;
        if (gnutls_x509_tlsfeatures_get(raw, i, &feature) < 0) return false;
        if (feature == status_request) return true;
    }
}

gnutls_x509_crt_t find_issuer(const Context& context, const PeerChain& chain, std::size_t index,
                              CrtPtr& holder)
{
    if (index >= chain.certs.size()) return nullptr;
    gnutls_x509_crt_t cert = chain.certs[index].get();
    for (std::size_t j = 0; j < chain.certs.size(); ++j) {
        if (j == index) continue;
        // Name match alone is not enough: a server could append a certificate
        // with the issuer's name and its own key, then sign a staple with it.
        if (ocsp::detail::issued_by(cert, chain.certs[j].get())) return chain.certs[j].get();
    }
    gnutls_x509_crt_t issuer = nullptr;
    const auto found =
        context.anchors().attempt_with(chain.handles(), [&](gnutls_x509_trust_list_t anchors) {
            return gnutls_x509_trust_list_get_issuer(anchors, cert, &issuer, GNUTLS_TL_GET_COPY) >= 0;
        });
    if (!found || !*found) return nullptr;
    holder.reset(issuer);
    return issuer;
}

}  // namespace ocspmx::tls
