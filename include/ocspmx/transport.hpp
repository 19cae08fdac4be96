// The SMTP transport: delivers one message to a destination's hosts in MX
// order while enforcing the TLS and OCSP stapling policy of CONTRACT.md
// §2 and §4, and reports what happened (§5).
//
// A Transport is opened once from a Config: host lists are compiled and
// trust anchors loaded then, not per delivery. deliver() never throws for
// network, TLS, OCSP or SMTP failures; they are values in the report. It is
// not safe to call one Transport from two threads at once.
//
// Kept free of GnuTLS and socket types so that a C ABI can wrap it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/config.hpp"
#include "ocspmx/hostlist.hpp"
#include "ocspmx/ocsp.hpp"
#include "ocspmx/result.hpp"

namespace ocspmx::transport {

enum class OcspPolicy { none, request, require };
enum class TlsPolicy { avoid, attempt, require };
enum class VerifyPolicy { none, attempt, require };

// A destination host. `address` empty: resolved (A/AAAA, or a --resolve
// pin); every address of a name is one attempt. `port` unset: the
// transport's `port` option.
struct Host {
    std::string name;     // MX target, or an IP literal
    std::string address;  // numeric IPv4/IPv6, no brackets
    std::optional<unsigned> port;
};

struct Envelope {
    std::string mail_from;             // "" for the null reverse-path
    std::vector<std::string> rcpt_to;  // at least one
};

// A message read in chunks instead of held in memory. Every attempt (each
// host tried) starts over by calling `rewind`, which returns a reader for
// the whole message from its first byte; the reader returns the next chunk,
// an empty span at the end, or an Error (the attempt defers). `size` is the
// message's size with CRLF line ends (RFC 1870 SIZE); `eight_bit` whether
// it has a byte >= 0x80 (BODY=8BITMIME, RFC 6152).
using MessageReader = std::function<Result<std::span<const char>>()>;
struct MessageSource {
    std::uint64_t size = 0;
    bool eight_bit = false;
    std::function<MessageReader()> rewind;
};

// Final for the message (delivered, failed) or not (deferred: the MTA keeps
// the message and retries later).
enum class Outcome { delivered, deferred, failed };
[[nodiscard]] const char* to_string(Outcome outcome);
[[nodiscard]] const char* to_string(OcspPolicy policy);

struct TlsInfo {
    bool active = false;         // a TLS session was established
    std::string version;         // "TLS1.3"
    std::string cipher;          // "TLS_AES_256_GCM_SHA384:256"
    std::string exim_cipher;     // as Exim logs it in X=: "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256"
    bool cert_verified = false;  // chain (and name, when checked) verified
    std::string verify_error;    // why not, when not
};

struct OcspInfo {
    OcspPolicy policy = OcspPolicy::none;
    ocsp::State status = ocsp::State::not_requested;
    std::string reason;        // for failed; also why a require host was refused
    bool must_staple = false;  // the leaf carries the RFC 7633 TLS feature
};

// One connection (or one refusal to connect) to one address of one host.
struct Attempt {
    std::string host;
    std::string address;
    unsigned port = 25;
    TlsInfo tls;
    OcspInfo ocsp;
    Outcome outcome = Outcome::deferred;  // for this host: deferred → next host
    std::string detail;                   // one line: why, when not delivered
};

struct RecipientReport {
    std::string address;
    Outcome outcome = Outcome::deferred;
    std::string smtp;  // the server's reply, or the local reason
};

struct DeliveryReport {
    Outcome result = Outcome::deferred;
    std::vector<Attempt> attempts;
    std::vector<RecipientReport> recipients;
};

// CONTRACT §5 JSON object (one line, no trailing newline).
[[nodiscard]] std::string to_json(const DeliveryReport& report);
// One Exim-style log line per attempt:
// "deferred H=mx.example [192.0.2.1]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes
//  OCSP=failed: revoked ..."
[[nodiscard]] std::string log_line(const Attempt& attempt);

// An MX lookup: not_found (NXDOMAIN) fails the message, try_again defers it.
struct MxLookup {
    hostlist::LookupStatus status = hostlist::LookupStatus::not_found;
    std::vector<Host> hosts;
    std::string detail;
};

// The SMTP dialogue, for `--transcript` (swaks' prefixes): sent and received
// lines in clear or inside TLS, and facts ("TLS started ...", the verdict).
enum class TranscriptKind { sent, received, sent_tls, received_tls, fact };
using TranscriptHook = std::function<void(TranscriptKind kind, std::string_view line)>;

// The transport's edges, injectable for tests (STYLE.md practice 2).
struct Environment {
    // Forward lookups for host lists and A/AAAA; null: the system resolver.
    std::shared_ptr<const hostlist::Resolver> resolver;
    // Wall clock for OCSP times, read once right after each TLS handshake
    // (each host and address is judged at its own time); null:
    // std::chrono::system_clock::now.
    std::function<ocsp::TimePoint()> clock;
    // Names pinned to addresses (curl's --resolve): used before DNS, for
    // host lists and connections alike.
    std::map<std::string, std::vector<std::string>, std::less<>> pins;
    TranscriptHook transcript;
};

class Transport {
public:
    // Compiles the host lists and loads anchors, CRL, client certificate and
    // trusted responders. Errors are one line naming the option at fault.
    [[nodiscard]] static Result<Transport> open(const Config& config, Environment env = {});

    Transport(Transport&&) noexcept;
    Transport& operator=(Transport&&) noexcept;
    ~Transport();

    // Tries `hosts` in order until every recipient has a final answer.
    [[nodiscard]] DeliveryReport deliver(const Envelope& envelope, std::span<const char> message,
                                         std::span<const Host> hosts);

    // Same, with the message read through `source`.
    [[nodiscard]] DeliveryReport deliver(const Envelope& envelope, const MessageSource& source,
                                         std::span<const Host> hosts);

    // MX lookup (then A/AAAA per target, RFC 5321 §5.1), then deliver().
    [[nodiscard]] DeliveryReport deliver_to_domain(const Envelope& envelope,
                                                   std::span<const char> message,
                                                   std::string_view domain);

    // EHLO, STARTTLS, handshake, OCSP verdict, QUIT: no envelope is sent.
    // The report has no recipients. Its result is `delivered` only when an
    // address passed the whole policy AND its OCSP state is `verified` (the
    // rule `ocspmx probe` exits 0 by, CONTRACT §5); otherwise `deferred`,
    // even for a request host that would have been sent mail without a
    // staple. Addresses are tried until one passes the policy; that
    // attempt's own outcome stays `delivered`.
    [[nodiscard]] DeliveryReport probe(const Host& host);

    // The MX hosts of a domain, most preferred first; a domain without MX
    // records is its own host (RFC 5321 §5.1). A pinned domain is its own host.
    [[nodiscard]] MxLookup mx_hosts(std::string_view domain) const;

    void set_transcript(TranscriptHook hook);

    struct Impl;

private:
    explicit Transport(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ocspmx::transport
