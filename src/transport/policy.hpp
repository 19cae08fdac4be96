// Per-host policy: the transport's host lists (CONTRACT §2) evaluated once
// per host into one decision. The decision itself is a pure function of the
// list outcomes, so it is tested as a table without DNS.
//
// Precedence:
// - hosts_require_ocsp implies a status request, TLS and certificate
//   verification, and never a cleartext fallback (stricter than Exim).
// - A list that defers (DNS or lookup failure) while evaluating
//   hosts_require_ocsp or hosts_require_tls defers the host: fail closed
//   where Exim fails open (CONTRACT §2).
// - A defer in the other lists takes the stricter reading: request the
//   staple, attempt TLS, require verification, check the name.
// - Requiring TLS wins over hosts_avoid_tls (Exim would fail the delivery).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "ocspmx/config.hpp"
#include "ocspmx/hostlist.hpp"
#include "ocspmx/result.hpp"
#include "ocspmx/transport.hpp"

namespace ocspmx::transport {

enum class ListId {
    require_ocsp,
    request_ocsp,
    require_tls,
    avoid_tls,
    verify_hosts,
    try_verify_hosts,
    verify_cert_hostnames,
};
inline constexpr std::size_t list_count = 7;
[[nodiscard]] const char* option_name(ListId id);

// One outcome per list, indexed by ListId; an unset list is no_match.
using ListOutcomes = std::array<hostlist::MatchResult, list_count>;

struct HostPolicy {
    OcspPolicy ocsp = OcspPolicy::none;
    TlsPolicy tls = TlsPolicy::attempt;
    VerifyPolicy verify = VerifyPolicy::none;
    bool check_name = false;   // tls_verify_cert_hostnames matched
    bool tryclear = false;     // may retry in clear after a TLS failure
    bool defer = false;        // a require list could not be evaluated
    std::string defer_reason;  // "hosts_require_ocsp: <reason>"

    // Whether an OCSP state ends the connection. hosts_require_ocsp: anything
    // but verified (CONTRACT §4). hosts_request_ocsp: "a bad staple is
    // recorded, not fatal, unless the host is in tls_verify_hosts" (§2) — a
    // bad staple is `failed`; no staple (`not_responded`) is not a bad one,
    // as Exim's $tls_out_ocsp keeps the two apart.
    [[nodiscard]] bool ocsp_fatal(ocsp::State state) const
    {
        if (ocsp == OcspPolicy::require) return state != ocsp::State::verified;
        return ocsp == OcspPolicy::request && verify == VerifyPolicy::require &&
               state == ocsp::State::failed;
    }
};

[[nodiscard]] HostPolicy decide(const ListOutcomes& lists, bool tempfail_tryclear);

// Must-staple (RFC 7633) learnt from the leaf of a host that was sent
// status_request: the host is treated as in hosts_require_ocsp from then on.
// The caller applies it only when a staple was requested (RFC 7633 §4.3.3).
void apply_must_staple(HostPolicy& policy);

// The seven lists compiled once, when the transport is opened.
class CompiledLists {
public:
    [[nodiscard]] static Result<CompiledLists> compile(const Config& config);
    [[nodiscard]] ListOutcomes match(std::string_view name, std::string_view ip,
                                     const hostlist::Resolver& resolver) const;

private:
    std::array<std::optional<hostlist::HostList>, list_count> lists_;
};

}  // namespace ocspmx::transport
