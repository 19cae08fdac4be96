#include "transport/verdict.hpp"

#include "tls/errors.hpp"
#include "tls/peer.hpp"
#include "tls/staple.hpp"

namespace ocspmx::transport {

SessionVerdict judge_session(const tls::Context& context, const tls::Session& session,
                             std::string_view name, const Options& options, ocsp::TimePoint now,
                             HostPolicy& policy, Attempt& attempt)
{
    auto chain = tls::import_chain(session.peer_certificates());
    if (!chain) {
        attempt.tls.verify_error = chain.error().message;
        attempt.ocsp.status = ocsp::State::failed;
        attempt.ocsp.reason = chain.error().message;
        return {false, GNUTLS_A_BAD_CERTIFICATE, chain.error().message};
    }
    const tls::ChainCheck check = tls::verify_chain(context, *chain);
    bool verified = check.verified;
    attempt.tls.verify_error = check.reason;
    if (verified && policy.check_name && !tls::name_matches(chain->leaf(), name)) {
        verified = false;
        attempt.tls.verify_error =
            "certificate does not match host name '" + std::string(name) + "'";
    }
    attempt.tls.cert_verified = verified;

    // Whether status_request went out in the ClientHello: decided by the
    // lists before the handshake, not by what the certificate says now.
    const bool requested = policy.ocsp != OcspPolicy::none;
    if (tls::must_staple(chain->leaf())) {
        attempt.ocsp.must_staple = true;
        // RFC 7633 §4.3.3: the client must insist on the features present in
        // both its ClientHello and the certificate. Without status_request
        // (a host in neither OCSP list) no staple can come, and none is owed.
        if (requested) apply_must_staple(policy);
    }
    attempt.ocsp.policy = policy.ocsp;

    tls::StapleCheckOptions staple_options;
    staple_options.requested = requested;
    staple_options.chain_verified = check.verified;
    staple_options.chain_reason = check.reason;
    staple_options.now = now;
    staple_options.clock_skew = options.ocsp_clock_skew;
    staple_options.max_age = options.ocsp_max_age;
    const tls::StapleOutcome staple = tls::check_staples(context, session, *chain, staple_options);
    attempt.ocsp.status = staple.state;
    attempt.ocsp.reason = staple.reason;

    // OCSP first: for a require host its state is the news, and it already
    // includes a chain failure when a staple was present.
    if (policy.ocsp_fatal(staple.state)) {
        std::string why = std::string("OCSP ") + ocsp::to_string(staple.state);
        if (!staple.reason.empty()) why += ": " + staple.reason;
        if (attempt.ocsp.must_staple) why += " (certificate requires a staple, RFC 7633)";
        if (attempt.ocsp.reason.empty()) attempt.ocsp.reason = why;
        return {false, tls::alert_bad_certificate_status_response, why};
    }
    if (policy.verify == VerifyPolicy::require && !verified) {
        return {false, GNUTLS_A_BAD_CERTIFICATE,
                "certificate verification failed: " + attempt.tls.verify_error};
    }
    return {true, {}, {}};
}

}  // namespace ocspmx::transport
