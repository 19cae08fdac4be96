// The peer's certificate chain: rule 1 of CONTRACT §4 (the chain verifies
// against tls_verify_certificates), the name check (RFC 6125 via
// gnutls_x509_crt_check_hostname2), issuer lookup for OCSP, and must-staple
// (RFC 7633).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/result.hpp"
#include "tls/context.hpp"
#include "tls/handles.hpp"

namespace ocspmx::tls {

struct PeerChain {
    std::vector<CrtPtr> certs;  // as sent, leaf first
    [[nodiscard]] gnutls_x509_crt_t leaf() const
    {
        return certs.empty() ? nullptr : certs[0].get();
    }
    // The handles, in order, as GnuTLS's list functions take them.
    [[nodiscard]] std::vector<gnutls_x509_crt_t> handles() const
    {
        std::vector<gnutls_x509_crt_t> out;
        out.reserve(certs.size());
        for (const auto& c : certs) out.push_back(c.get());
        return out;
    }
};

[[nodiscard]] Result<PeerChain> import_chain(std::span<const gnutls_datum_t> der);

struct ChainCheck {
    bool verified = false;
    std::string reason;  // why not, in GnuTLS's words
};

// Verifies the chain against the context's anchors (and CRLs), for the
// server purpose (id-kp-serverAuth, RFC 5280 §4.2.1.12), only. GnuTLS's
// own OCSP check is never involved: gnutls_certificate_verify_peers is not
// called, so its lenient staple logic cannot decide anything (§4).
[[nodiscard]] ChainCheck verify_chain(const Context& context, const PeerChain& chain);

// True when the leaf matches `name` (a DNS name or an IP literal).
[[nodiscard]] bool name_matches(gnutls_x509_crt_t leaf, std::string_view name);

// RFC 7633: the TLS feature extension lists status_request(5).
[[nodiscard]] bool must_staple(gnutls_x509_crt_t leaf);

// The issuer of chain.certs[index]: the next certificate of the peer chain
// that issued it, else an anchor (copied into `holder`). nullptr if none.
[[nodiscard]] gnutls_x509_crt_t find_issuer(const Context& context, const PeerChain& chain,
                                            std::size_t index, CrtPtr& holder);

}  // namespace ocspmx::tls
