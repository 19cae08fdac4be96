// RFC 5321 client engine over a net::Stream, driven step by step.
//
// The caller (the transport) decides the order of steps. The client never
// reads or writes on its own initiative: nothing is sent except by the method
// the caller is in. This is what lets the transport finish the TLS handshake
// and the OCSP verdict before one byte of the envelope is sent (CONTRACT §4).
//
// Typical session:
//   Client c(tcp, opts);
//   c.greeting(); c.ehlo(name);
//   if (c.capabilities().starttls) { c.starttls(); handshake on tcp.fd();
//       c.set_stream(tls); c.ehlo(name); }          // RFC 3207 §4.2
//   ... OCSP verdict ...
//   c.send_message(env, bytes);  [c.send_message(env2, bytes2) ...]  c.quit();
//
// Errors: every failure message names the stage ("reading reply to MAIL FROM:
// read from [::1]:25: timeout", "reply to DATA: 421 4.3.2 shutting down"). After an
// I/O error, timeout, unparsable reply or a 421 (RFC 5321 §3.8) the
// connection is unusable: usable() is false and every later step fails at
// once without touching the stream.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/stream.hpp"
#include "ocspmx/result.hpp"
#include "smtp/capabilities.hpp"
#include "smtp/data.hpp"
#include "smtp/reply.hpp"

namespace ocspmx::smtp {

enum class Direction { sent, received };

// Called once per line, without CRLF. Message content is not reported line by
// line: after DATA's 354 the hook gets one sent line "<N lines, M bytes of
// message data>", then the final "." as sent. Text is passed unredacted.
using TranscriptHook = std::function<void(Direction, std::string_view line, bool inside_tls)>;

struct Options {
    std::chrono::milliseconds command_timeout = std::chrono::minutes(5);
    // Each block of message data written, and the reply to the final dot
    // (Exim has a separate final_timeout; CONTRACT §2 has data_timeout only).
    std::chrono::milliseconds data_timeout = std::chrono::minutes(5);
    // Unset: command_timeout, as Exim does for the greeting.
    std::optional<std::chrono::milliseconds> greeting_timeout;
    ReplyLimits limits{};
    TranscriptHook transcript;
};

struct Envelope {
    std::string mail_from;             // "" sends the null reverse-path MAIL FROM:<>
    std::vector<std::string> rcpt_to;  // at least one
};

// Next chunk of the raw message; an empty span ends the message. The span
// must stay valid until the next call. An Error aborts the transaction
// (temporary) without sending the final dot.
using ChunkReader = std::function<Result<std::span<const char>>()>;

// Where a step or a transaction ended.
enum class Stage {
    none,
    greeting,
    ehlo,
    helo,
    starttls,
    mail,         // MAIL FROM
    rcpt,         // RCPT TO
    data,         // the DATA command
    message,      // writing message content
    end_of_data,  // waiting for the reply to the final dot
    rset,
    quit,
};
[[nodiscard]] std::string_view to_string(Stage stage);

enum class RecipientStatus {
    accepted,  // the server took the message for this recipient (250 to the final dot)
    deferred,  // 4xx, or the transaction failed temporarily after a 2xx to RCPT
    failed,    // 5xx, or a local permanent failure (bad address, SMTPUTF8 not offered)
};

struct RecipientResult {
    std::string address;
    RecipientStatus status = RecipientStatus::deferred;
    std::string smtp;  // Reply::summary() that decided, or the local error text
};

enum class Outcome {
    delivered,  // 250 to the final dot: the accepted recipients have the message
    temporary,  // 4xx (RFC 5321 §4.2.1), I/O error, timeout, 421, bad reply
    permanent,  // 5xx, or the message cannot be sent to this server as it is
};

struct TransactionResult {
    Outcome outcome = Outcome::temporary;
    Stage stage = Stage::none;                // where it ended, when not delivered
    std::string error;                        // one line naming the stage, when not delivered
    std::vector<RecipientResult> recipients;  // in Envelope::rcpt_to order
    std::optional<Reply> final_reply;         // the reply to the final dot, if read
};

class Client {
public:
    // Borrows `stream` (and later the one given to set_stream()): it must
    // outlive the client or the next set_stream(). Reads and writes nothing.
    explicit Client(net::Stream& stream, Options options = {});
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Each step returns the reply when it has the expected class, otherwise
    // an Error naming the stage; last_reply() then holds the reply, if any
    // (e.g. to tell a 454 to STARTTLS from a dropped connection).

    // Reads the 220 greeting (RFC 5321 §4.3.1).
    [[nodiscard]] Result<Reply> greeting();
    // EHLO, or HELO when EHLO gets a 5xx (RFC 5321 §3.2); sets capabilities().
    [[nodiscard]] Result<Reply> ehlo(std::string_view helo_name);
    // Sends STARTTLS and expects 220 (RFC 3207 §4). Fails if the server sent
    // anything after the 220: bytes buffered before the handshake would be
    // read as if inside TLS (STARTTLS command injection, CVE-2011-0411 class).
    [[nodiscard]] Result<Reply> starttls();
    // Continues over `stream` (the TLS session) after the handshake. Forgets
    // the capabilities (RFC 3207 §4.2): call ehlo() again. Fails if plaintext
    // is still buffered.
    [[nodiscard]] Result<void> set_stream(net::Stream& stream);

    // One mail transaction: MAIL FROM, RCPT TO for each recipient, DATA, the
    // message, the final dot. With PIPELINING (RFC 2920 §3.1) MAIL, all RCPTs
    // and DATA go in one write and their replies are read in order. Sends
    // RSET first when an earlier transaction on this connection was left open.
    [[nodiscard]] TransactionResult send_message(const Envelope& envelope,
                                                 std::span<const char> message);
    // Same, reading the message in chunks; `info` must describe the whole
    // message (scan_message() on it, or the caller's own count).
    [[nodiscard]] TransactionResult send_message(const Envelope& envelope, MessageInfo info,
                                                 const ChunkReader& next_chunk);

    [[nodiscard]] Result<Reply> rset();
    // Sends QUIT and reads the 221; the caller closes the stream.
    [[nodiscard]] Result<Reply> quit();

    [[nodiscard]] const Capabilities& capabilities() const { return caps_; }
    [[nodiscard]] const std::optional<Reply>& last_reply() const { return last_reply_; }
    [[nodiscard]] bool usable() const { return broken_.empty(); }
    [[nodiscard]] bool inside_tls() const { return inside_tls_; }

private:
    friend class TransactionRunner;  // send_message(), in transaction.cpp
    using Deadline = net::Clock::time_point;

    [[nodiscard]] static Deadline deadline_in(std::chrono::milliseconds timeout);
    // Marks the connection unusable (first error wins) and returns the error.
    [[nodiscard]] Error fail(std::string message);
    void note(Direction direction, std::string_view line) const;
    // Sends CRLF-terminated command lines in one write, noting each line.
    [[nodiscard]] Result<void> send_lines(std::string_view what, std::string_view lines,
                                          Deadline deadline);
    [[nodiscard]] Result<void> write_raw(std::string_view what, std::string_view bytes,
                                         Deadline deadline);
    [[nodiscard]] Result<std::string> read_line(Deadline deadline);
    // `what` names the reply in errors: "greeting", "reply to MAIL FROM".
    [[nodiscard]] Result<Reply> read_reply(std::string_view what, Deadline deadline);
    // Sends `line` (if not empty), reads the reply, wants first digit `want`.
    [[nodiscard]] Result<Reply> step(std::string_view name, std::string_view line, int want,
                                     std::chrono::milliseconds timeout);
    [[nodiscard]] Result<void> check_usable(std::string_view name) const;
    [[nodiscard]] std::size_t buffered() const { return rbuf_.size() - rpos_; }

    net::Stream* stream_;
    Options options_;
    Capabilities caps_;
    std::optional<Reply> last_reply_;
    std::string rbuf_;  // bytes read; [rpos_, size) not yet consumed
    std::size_t rpos_ = 0;
    std::string broken_;  // first fatal error; empty while usable
    bool inside_tls_ = false;
    bool transaction_open_ = false;  // MAIL accepted, not yet ended by the final reply or RSET
};

}  // namespace ocspmx::smtp
