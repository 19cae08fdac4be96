#include "ocsp/issuer.hpp"

#include <vector>

#include "ocsp/der.hpp"
#include "ocsp/handles.hpp"

namespace ocspmx::ocsp::detail {

namespace {

bool signature_verifies(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer)
{
    // An algorithm GnuTLS no longer trusts for certificates (SHA-1, say) is
    // left to gnutls_x509_crt_verify(), which refuses it.
    const int alg = gnutls_x509_crt_get_signature_algorithm(cert);
    if (alg <= 0 || !gnutls_sign_is_secure2(static_cast<gnutls_sign_algorithm_t>(alg),
                                            GNUTLS_SIGN_FLAG_SECURE_FOR_CERTS))
        return false;
    Datum der;
    if (gnutls_x509_crt_export2(cert, GNUTLS_X509_FMT_DER, der.out()) < 0) return false;
    auto layout = der::certificate_layout(der.span());
    if (!layout) return false;

    std::vector<unsigned char> sig(512);
    std::size_t size = sig.size();
    int rc = gnutls_x509_crt_get_signature(cert, reinterpret_cast<char*>(sig.data()), &size);
    if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) {
        sig.resize(size);
        rc = gnutls_x509_crt_get_signature(cert, reinterpret_cast<char*>(sig.data()), &size);
    }
    if (rc < 0) return false;

    gnutls_pubkey_t raw = nullptr;
    if (gnutls_pubkey_init(&raw) < 0) return false;
    PubkeyPtr key(raw);
    if (gnutls_pubkey_import_x509(key.get(), issuer, 0) < 0) return false;
    const gnutls_datum_t tbs_datum = borrowed_datum(layout->tbs_certificate);
    const gnutls_datum_t sig_datum{sig.data(), static_cast<unsigned>(size)};
    return gnutls_pubkey_verify_data2(key.get(), static_cast<gnutls_sign_algorithm_t>(alg), 0,
                                      &tbs_datum, &sig_datum) >= 0;
}

}  // namespace

bool issued_by(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer)
{
    if (cert == nullptr || issuer == nullptr) return false;
    if (gnutls_x509_crt_check_issuer(cert, issuer) == 0) return false;
    if (signature_verifies(cert, issuer)) return true;
    unsigned status = 0;
    const unsigned flags =
        GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;
    return gnutls_x509_crt_verify(cert, &issuer, 1, flags, &status) >= 0 && status == 0;
}

}  // namespace ocspmx::ocsp::detail
