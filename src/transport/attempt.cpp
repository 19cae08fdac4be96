#include "transport/attempt.hpp"

#include <memory>
#include <optional>

#include "net/tcp_stream.hpp"
#include "tls/session.hpp"
#include "transport/verdict.hpp"

namespace ocspmx::transport {

namespace {

using Clock = net::Clock;

// How one connection ended, when it did not run to its end.
enum class Retry { no, in_clear };

class Connection {
public:
    Connection(const AttemptSettings& s, const Target& t, Attempt& a)
        : s_(s), t_(t), a_(a), policy_(t.policy)
    {
    }

    // Runs one connection; `use_tls` false after a fallback to clear.
    Retry run(bool use_tls, const smtp::Envelope* envelope, const MessageInput& message,
              AttemptResult& out);

private:
    void fact(const std::string& text) const
    {
        if (s_.transcript) s_.transcript(TranscriptKind::fact, text);
    }
    Clock::time_point command_deadline() const { return Clock::now() + s_.options.command_timeout; }
    void defer(std::string why)
    {
        a_.outcome = Outcome::deferred;
        a_.detail = std::move(why);
        fact("Deferred: " + a_.detail);
    }
    // A TLS failure before any verdict: clear retry only per policy.
    Retry tls_failed(const std::string& why);
    [[nodiscard]] bool start_tls();
    [[nodiscard]] smtp::TransactionResult send(const smtp::Envelope& envelope,
                                               const MessageInput& message);
    void quit_quietly();

    const AttemptSettings& s_;
    const Target& t_;
    Attempt& a_;
    HostPolicy policy_;
    std::optional<net::TcpStream> tcp_;
    std::optional<smtp::Client> client_;
    std::unique_ptr<tls::Session> session_;
    bool starttls_refused_ = false;
    Retry retry_ = Retry::no;
};

smtp::Options smtp_options(const AttemptSettings& s)
{
    smtp::Options o;
    o.command_timeout = s.options.command_timeout;
    o.data_timeout = s.options.data_timeout;
    if (s.transcript) {
        const TranscriptHook& hook = s.transcript;
        o.transcript = [&hook](smtp::Direction d, std::string_view line, bool inside_tls) {
            const bool sent = d == smtp::Direction::sent;
            const TranscriptKind kind =
                inside_tls ? (sent ? TranscriptKind::sent_tls : TranscriptKind::received_tls)
                           : (sent ? TranscriptKind::sent : TranscriptKind::received);
            hook(kind, line);
        };
    }
    return o;
}

smtp::TransactionResult Connection::send(const smtp::Envelope& envelope,
                                         const MessageInput& message)
{
    if (message.source == nullptr) return client_->send_message(envelope, message.bytes);
    const MessageReader reader = message.source->rewind ? message.source->rewind() : nullptr;
    if (!reader) {
        smtp::TransactionResult failed;
        failed.outcome = smtp::Outcome::temporary;
        failed.error = "the message source cannot be read again";
        return failed;
    }
    const smtp::MessageInfo info{message.source->size, message.source->eight_bit};
    return client_->send_message(envelope, info, reader);
}

void Connection::quit_quietly()
{
    if (client_ && client_->usable()) (void)client_->quit();
    if (session_) session_->close(Clock::now() + std::chrono::seconds(5));
}

Retry Connection::tls_failed(const std::string& why)
{
    if (policy_.tls == TlsPolicy::require) {
        defer(why + " (TLS required: no cleartext fallback)");
        return Retry::no;
    }
    if (policy_.tryclear) {
        a_.outcome = Outcome::deferred;
        a_.detail = why + "; retrying in clear (tls_tempfail_tryclear)";
        fact(a_.detail);
        return Retry::in_clear;
    }
    defer(why);
    return Retry::no;
}

// STARTTLS, handshake and verdict. false: the connection is over (a_ says why
// and retry_ whether to try again in clear), or STARTTLS was refused and the
// caller may continue in clear on this connection (starttls_refused_).
bool Connection::start_tls()
{
    auto reply = client_->starttls();
    if (!reply) {
        const auto& last = client_->last_reply();
        if (client_->usable() && last && !last->positive()) {
            // 454 (RFC 3207 §4) or 5xx: the connection itself is still fine.
            const std::string why = "STARTTLS refused: " + last->summary();
            if (policy_.tls != TlsPolicy::require && policy_.tryclear) {
                fact(why + "; continuing in clear (tls_tempfail_tryclear)");
                starttls_refused_ = true;
                return false;
            }
            defer(policy_.tls == TlsPolicy::require ? why + " (TLS required)" : why);
            quit_quietly();
            return false;
        }
        retry_ = tls_failed(reply.error().message);
        return false;
    }
    tls::HandshakeOptions hs;
    if (s_.options.tls_sni) {
        std::string sni = *s_.options.tls_sni;
        if (sni == "$host" || sni == "${host}") sni = t_.host;
        // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted".
        if (sni != t_.address) hs.server_name = sni;
    }
    hs.request_status = policy_.ocsp != OcspPolicy::none;
    auto session = tls::Session::handshake(s_.tls, tcp_->fd(), hs, command_deadline());
    if (!session) {
        retry_ = tls_failed(session.error().message);
        return false;
    }
    session_ = std::move(*session);
    a_.tls.active = true;
    a_.tls.version = session_->version();
    a_.tls.cipher = session_->cipher();
    a_.tls.exim_cipher = session_->exim_cipher();
    fact("TLS started with cipher " + a_.tls.version + ":" + a_.tls.cipher);

    const SessionVerdict verdict =
        judge_session(s_.tls, *session_, t_.host, s_.options, s_.clock(), policy_, a_);
    fact(std::string("TLS peer certificate verified: ") + (a_.tls.cert_verified ? "yes" : "no") +
         (a_.tls.cert_verified ? "" : " (" + a_.tls.verify_error + ")"));
    fact(std::string("OCSP: ") + ocsp::to_string(a_.ocsp.status) +
         (a_.ocsp.reason.empty() ? "" : " (" + a_.ocsp.reason + ")") + ", policy " +
         to_string(a_.ocsp.policy));
    if (!verdict.proceed) {
        // Nothing has been written inside TLS; the alert is the last word.
        session_->abort_with_alert(verdict.alert, Clock::now() + std::chrono::seconds(5));
        const char* alert = gnutls_alert_get_name(verdict.alert);
        fact(std::string("Sent TLS alert ") +
             (alert != nullptr ? alert : "bad_certificate_status_response") +
             " and closed: nothing was written inside TLS");
        defer(verdict.reason);
        return false;
    }
    if (auto set = client_->set_stream(*session_); !set) {
        defer(set.error().message);
        return false;
    }
    if (auto again = client_->ehlo(s_.helo); !again) {
        defer(again.error().message);
        return false;
    }
    return true;
}

Retry Connection::run(bool use_tls, const smtp::Envelope* envelope, const MessageInput& message,
                      AttemptResult& out)
{
    fact("Trying " + t_.host + " [" + t_.address + "]:" + std::to_string(t_.port) + "...");
    auto tcp = net::TcpStream::connect(t_.address, static_cast<std::uint16_t>(t_.port),
                                       Clock::now() + s_.options.connect_timeout);
    if (!tcp) {
        defer(tcp.error().message);
        return Retry::no;
    }
    tcp_.emplace(std::move(*tcp));
    fact("Connected to " + tcp_->endpoint());
    client_.emplace(*tcp_, smtp_options(s_));
    if (auto g = client_->greeting(); !g) {
        defer(g.error().message);
        quit_quietly();
        return Retry::no;
    }
    if (auto e = client_->ehlo(s_.helo); !e) {
        defer(e.error().message);
        quit_quietly();
        return Retry::no;
    }
    if (use_tls && policy_.tls != TlsPolicy::avoid) {
        if (!client_->capabilities().starttls) {
            if (policy_.tls == TlsPolicy::require) {
                defer("STARTTLS not offered (TLS required: no cleartext delivery)");
                quit_quietly();
                return Retry::no;
            }
            fact("STARTTLS not offered; continuing in clear");
        } else if (!start_tls() && !starttls_refused_) {
            return retry_;
        }
    }
    if (envelope == nullptr) {  // probe: the policy passed
        a_.outcome = Outcome::delivered;
        quit_quietly();
        return Retry::no;
    }
    out.transaction_ran = true;
    out.transaction = send(*envelope, message);
    const auto& tx = out.transaction;
    switch (tx.outcome) {
        case smtp::Outcome::delivered:
            a_.outcome = Outcome::delivered;
            break;
        case smtp::Outcome::temporary:
            a_.outcome = Outcome::deferred;
            break;
        case smtp::Outcome::permanent:
            a_.outcome = Outcome::failed;
            break;
    }
    a_.detail = tx.outcome == smtp::Outcome::delivered
                    ? (tx.final_reply ? tx.final_reply->summary() : std::string())
                    : tx.error;
    quit_quietly();
    return Retry::no;
}

}  // namespace

AttemptResult run_attempt(const AttemptSettings& settings, const Target& target,
                          const smtp::Envelope* envelope, const MessageInput& message)
{
    AttemptResult out;
    Attempt& a = out.attempt;
    a.host = target.host;
    a.address = target.address;
    a.port = target.port;
    a.ocsp.policy = target.policy.ocsp;
    a.ocsp.status = ocsp::State::not_requested;
    if (target.policy.defer) {
        a.outcome = Outcome::deferred;
        a.detail =
            "host list could not be evaluated, failing closed: " + target.policy.defer_reason;
        if (settings.transcript) settings.transcript(TranscriptKind::fact, a.detail);
        return out;
    }
    bool use_tls = true;
    for (;;) {
        Connection connection(settings, target, a);
        const Retry retry = connection.run(use_tls, envelope, message, out);
        if (retry == Retry::no || !use_tls) return out;
        // A fresh connection in clear, logged as an attempt of its own.
        use_tls = false;
        out.earlier.push_back(a);
        a.tls = TlsInfo{};
        a.ocsp.status = ocsp::State::not_requested;
        a.ocsp.reason.clear();
        a.detail.clear();
    }
}

}  // namespace ocspmx::transport
