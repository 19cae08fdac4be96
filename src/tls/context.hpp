// What every TLS session of one transport shares, loaded once when the
// transport is opened: trust anchors and CRLs (tls_verify_certificates,
// tls_crl), the client certificate (tls_certificate, tls_privatekey), the
// priority string (tls_require_ciphers) and ocsp_trusted_responders.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ocsp/cache.hpp"
#include "ocspmx/result.hpp"
#include "tls/anchors.hpp"
#include "tls/handles.hpp"

namespace ocspmx::tls {

struct ContextOptions {
    std::string verify_certificates = "system";     // "system", a PEM file or a directory
    std::optional<std::string> crl;                 // PEM file
    std::optional<std::string> certificate;         // PEM file
    std::optional<std::string> private_key;         // PEM file; defaults to certificate
    std::optional<std::string> priority;            // GnuTLS priority string
    std::optional<std::string> trusted_responders;  // PEM file
};

class Context {
public:
    // Errors name the option and the file at fault.
    [[nodiscard]] static Result<Context> open(const ContextOptions& options);

    [[nodiscard]] gnutls_certificate_credentials_t credentials() const
    {
        return credentials_.get();
    }
    // Trust anchors and CRLs, given to GnuTLS per peer chain (anchors.hpp).
    [[nodiscard]] const AnchorStore& anchors() const { return *anchors_; }
    [[nodiscard]] gnutls_priority_t priority() const { return priority_.get(); }
    [[nodiscard]] std::span<const gnutls_x509_crt_t> trusted_responders() const
    {
        return responder_view_;
    }
    // Verified staples, shared by every connection of this transport: a
    // busy MTA reconnecting to the same MX does not re-check the same
    // response's signature (the time window is re-checked on each hit).
    [[nodiscard]] ocsp::VerifiedCache& staple_cache() const { return *staple_cache_; }

private:
    Context() = default;
    CredentialsPtr credentials_;
    std::unique_ptr<AnchorStore> anchors_;
    PriorityPtr priority_;
    std::vector<CrtPtr> responders_;
    std::vector<gnutls_x509_crt_t> responder_view_;
    std::unique_ptr<ocsp::VerifiedCache> staple_cache_ = std::make_unique<ocsp::VerifiedCache>();
};

// Reads every certificate of a PEM file.
[[nodiscard]] Result<std::vector<CrtPtr>> load_pem_certificates(const std::string& path);

}  // namespace ocspmx::tls
