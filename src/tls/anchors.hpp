// Trust anchors (tls_verify_certificates) and CRLs (tls_crl), handed to
// GnuTLS only when a peer chain needs them.
//
// Why: GnuTLS parses every certificate of a trust store as it loads it.
// Debian's system bundle (144 certificates) costs 8 ms and more per process,
// more than a whole delivery, and an MTA's pipe agent is one process per
// message. GnuTLS looks anchors up by the raw DER of a name: a chain
// certificate's issuer name (who signed it?) and its subject name (is it
// itself trusted?). A trust list holding just the anchors whose subject is
// one of those names therefore reaches the verdict the whole store would.
// open() reads only the PEM framing and each certificate's subject; a list
// is built on demand, once per set of anchors, and kept.
//
// Selection may only save work, never change a verdict: a caller whose
// chain fails with a partial list retries with all(), which is exactly the
// store GnuTLS itself would load (add_system_trust, add_trust_file,
// add_trust_dir) and is built at most once.
#pragma once

#include <gnutls/x509.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "ocspmx/result.hpp"

namespace ocspmx::tls {

class AnchorStore {
public:
    using ListRef = std::shared_ptr<gnutls_x509_trust_list_st>;

    // `where`: "system", a PEM file or a directory of PEM files; `crl`: a PEM
    // file. Errors name the option and the file.
    [[nodiscard]] static Result<std::unique_ptr<AnchorStore>> open(
        const std::string& where, const std::optional<std::string>& crl);

    struct Selection {
        ListRef list;
        bool complete = false;  // holds every anchor: no retry with all() can help
    };
    // The anchors that can take part in verifying `chain` (leaf first), and
    // the CRLs.
    [[nodiscard]] Result<Selection> for_chain(std::span<const gnutls_x509_crt_t> chain) const;

    // Runs `attempt` (a verification, an issuer lookup) with for_chain's
    // list, and when it says no on a partial list, again with all(): the
    // answer is always the whole store's. Errors are those of loading a list.
    [[nodiscard]] Result<bool> attempt_with(
        std::span<const gnutls_x509_crt_t> chain,
        const std::function<bool(gnutls_x509_trust_list_t)>& attempt) const;

    // Every anchor and the CRLs, loaded by GnuTLS itself.
    [[nodiscard]] Result<ListRef> all() const;

    // Certificates indexed at open(); 0 when the store is GnuTLS's system
    // trust in a form we do not read (then every selection is all()).
    [[nodiscard]] std::size_t indexed() const { return anchors_.size(); }

    // The file GnuTLS reads for "system" on this build (meson option
    // system_trust_file); empty when the store is left to GnuTLS.
    [[nodiscard]] static std::string system_trust_file();

private:
    struct Anchor {
        std::vector<std::uint8_t> der;
    };
    AnchorStore() = default;
    [[nodiscard]] Result<ListRef> build(const std::vector<std::uint32_t>& picked) const;
    [[nodiscard]] Result<ListRef> load_all() const;
    // tls_crl, read once at open(), into `list`.
    [[nodiscard]] Result<void> add_crls(gnutls_x509_trust_list_t list) const;

    std::string where_;   // as configured
    std::string source_;  // "system", or the file or directory read
    bool directory_ = false;
    std::vector<Anchor> anchors_;
    std::unordered_multimap<std::string, std::uint32_t> by_subject_;  // raw DER name -> anchor
    std::string crl_pem_;                  // the tls_crl file as read at open()
    std::optional<std::string> crl_path_;  // set when tls_crl is

    mutable std::mutex mutex_;
    mutable std::map<std::vector<std::uint32_t>, ListRef> lists_;
    mutable ListRef all_;
};

}  // namespace ocspmx::tls
