// Did this certificate issue that one? Used where the verifier needs the
// issuer of a certificate (the CertID's issuer, a delegated responder's
// issuer) rather than a whole path.
#pragma once

#include <gnutls/x509.h>

namespace ocspmx::ocsp::detail {

// True when `issuer`'s subject is `cert`'s issuer name and `issuer`'s key
// verifies `cert`'s signature (RFC 5280 §6.1.3 (a)(1) and (a)(4)). Times,
// CA flags and the rest of the path are the chain verifier's business.
//
// The signature is checked over the tbsCertificate bytes with the issuer's
// public key; GnuTLS's gnutls_x509_crt_verify() builds a trust list and
// re-decodes names for the same answer, at several times the cost. It
// stays the fallback for what that short path cannot express (RSA-PSS
// parameters other than the defaults, say), so a "no" is always GnuTLS's.
[[nodiscard]] bool issued_by(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer);

}  // namespace ocspmx::ocsp::detail
