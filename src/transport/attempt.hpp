// One connection to one address of one host: connect, greeting, EHLO,
// STARTTLS (RFC 3207), the handshake, the certificate and OCSP verdict, then
// — only when the policy is satisfied — the mail transaction.
//
// For a host whose policy makes OCSP fatal, the verdict is taken right after
// the handshake, before the second EHLO: nothing at all is written inside TLS
// until it is `verified` (CONTRACT §4), and a bad verdict ends the session
// with the bad_certificate_status_response alert (RFC 6066 §8).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ocspmx/config.hpp"
#include "ocspmx/transport.hpp"
#include "smtp/client.hpp"
#include "tls/context.hpp"
#include "transport/policy.hpp"

namespace ocspmx::transport {

struct AttemptSettings {
    const tls::Context& tls;
    const Options& options;
    const TranscriptHook& transcript;
    // Read right after each handshake: a staple is judged at the time it
    // arrived, not when the delivery (or an earlier host's attempt) started.
    const std::function<ocsp::TimePoint()>& clock;
    std::string helo;
};

struct Target {
    std::string host;
    std::string address;
    unsigned port = 25;
    HostPolicy policy;
};

struct AttemptResult {
    std::vector<Attempt> earlier;  // a TLS attempt given up for a clear retry
    Attempt attempt;
    bool transaction_ran = false;  // send_message was called
    smtp::TransactionResult transaction;
};

// The message of a delivery: bytes in memory, or a rewindable source.
struct MessageInput {
    std::span<const char> bytes;
    const MessageSource* source = nullptr;  // when set, used instead of bytes
};

// `envelope` null: a probe (no transaction, QUIT after the verdict).
[[nodiscard]] AttemptResult run_attempt(const AttemptSettings& settings, const Target& target,
                                        const smtp::Envelope* envelope,
                                        const MessageInput& message);

}  // namespace ocspmx::transport
