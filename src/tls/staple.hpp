// The OCSP state of one TLS connection (CONTRACT §4): every stapled
// response is handed to ocsp::verify, the leaf's and, under TLS 1.3, each
// intermediate's against its own issuer (RFC 8446 §4.4.2.1). Chain
// verification (rule 1) is decided by the caller and passed in.
#pragma once

#include <chrono>
#include <string>

#include "ocspmx/ocsp.hpp"
#include "tls/context.hpp"
#include "tls/peer.hpp"
#include "tls/session.hpp"

namespace ocspmx::tls {

struct StapleCheckOptions {
    bool requested = false;
    bool chain_verified = false;
    std::string chain_reason;
    ocsp::TimePoint now;
    std::chrono::seconds clock_skew{5 * 60};
    std::chrono::seconds max_age{7 * 24 * 3600};
};

struct StapleOutcome {
    ocsp::State state = ocsp::State::not_requested;
    std::string reason;  // empty when verified, not_requested or not_responded
};

[[nodiscard]] StapleOutcome check_staples(const Context& context, const Session& session,
                                          const PeerChain& chain,
                                          const StapleCheckOptions& options);

}  // namespace ocspmx::tls
