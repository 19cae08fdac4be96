#include "smtp_session.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>

namespace ocspmx::testserver {
namespace {

constexpr std::size_t kMaxCommandLine = 4096;          // RFC 5321 4.5.3.1.4 says 512; be lenient
constexpr std::size_t kMaxDataLine = 4 * 1024 * 1024;  // longer lines end the connection
constexpr std::size_t kMaxMessage = 64 * 1024 * 1024;  // advertised as SIZE
constexpr std::size_t kHugeLine = 1024 * 1024;

std::string upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && upper(s.substr(0, prefix.size())) == upper(prefix);
}

// "RCPT TO:<user@example>" -> "user"; an address without <> is taken up to
// the first space.
std::string local_part(std::string_view line)
{
    auto colon = line.find(':');
    std::string_view addr = colon == std::string_view::npos ? line : line.substr(colon + 1);
    while (!addr.empty() && addr.front() == ' ') addr.remove_prefix(1);
    if (!addr.empty() && addr.front() == '<') {
        addr.remove_prefix(1);
        addr = addr.substr(0, addr.find('>'));
    } else {
        addr = addr.substr(0, addr.find(' '));
    }
    return std::string(addr.substr(0, addr.rfind('@')));
}

}  // namespace

std::string fault_bytes(Action action, Stage stage, const std::string& hostname)
{
    switch (action) {
        case Action::reply421:
            return "421 4.3.2 " + hostname + " fault injected at " + stage_name(stage) +
                   ", closing connection\r\n";
        case Action::garbage:
            return std::string("\x01\x02\xff garbage at ") + stage_name(stage) +
                   " \x1b[31m not an SMTP reply\r\n";
        case Action::hugeline:
            return "250 " + std::string(kHugeLine - 4, 'x');
        case Action::close:
        case Action::stall:
            break;
    }
    return {};
}

SmtpSession::SmtpSession(ServerContext& ctx, Fd fd, unsigned id)
    : ctx_(ctx), conn_(std::move(fd), id, ctx.recorder)
{
}

void SmtpSession::run()
{
    if (fault(Stage::connect)) return;
    if (reply("220 " + ctx_.options.hostname + " ESMTP ocspmx-testserver") == Next::end) return;
    if (fault(Stage::greeting)) return;
    std::string line;
    for (;;) {
        switch (conn_.read_line(line, kMaxCommandLine)) {
            case LineStatus::eof:
                return;
            case LineStatus::too_long:
                (void)reply("500 5.5.2 Line too long");
                return;
            case LineStatus::line:
                break;
        }
        if (dispatch(line) == Next::end) return;
    }
}

SmtpSession::Next SmtpSession::reply(std::string_view text)
{
    std::string out(text);
    out += "\r\n";
    return conn_.send(out) ? Next::go_on : Next::end;
}

bool SmtpSession::fault(Stage stage)
{
    auto action = ctx_.options.fault_at(stage);
    if (!action) return false;
    run_action(*action, stage);
    return true;
}

void SmtpSession::run_action(Action action, Stage stage)
{
    if (action == Action::close) return;  // abrupt: unread client bytes may turn it into a RST
    (void)conn_.send(fault_bytes(action, stage, ctx_.options.hostname));
    // After a 421 or a huge line the server closes its side but keeps
    // reading: closing with the client's bytes unread would send a RST,
    // which can destroy what was just sent before the client reads it.
    if (action == Action::reply421 || action == Action::hugeline) ::shutdown(conn_.fd(), SHUT_WR);
    conn_.drain();
}

SmtpSession::Next SmtpSession::dispatch(const std::string& line)
{
    const std::string verb = upper(line.substr(0, line.find(' ')));
    const std::string_view arg =
        line.size() > verb.size() ? std::string_view(line).substr(verb.size() + 1) : "";
    if (verb == "EHLO") return on_ehlo(arg, true);
    if (verb == "HELO") return on_ehlo(arg, false);
    if (verb == "MAIL") return on_mail(line);
    if (verb == "RCPT") return on_rcpt(line);
    if (verb == "DATA") return on_data();
    if (verb == "STARTTLS") return on_starttls();
    if (verb == "RSET") {
        reset_transaction();
        return reply("250 2.0.0 OK");
    }
    if (verb == "NOOP") return reply("250 2.0.0 OK");
    if (verb == "QUIT") {
        (void)reply("221 2.0.0 " + ctx_.options.hostname + " closing connection");
        conn_.close_notify();
        return Next::end;
    }
    return reply("500 5.5.2 Command unrecognized");
}

bool SmtpSession::starttls_offered() const
{
    return ctx_.tls != nullptr && !ctx_.options.no_starttls && !conn_.in_tls();
}

void SmtpSession::reset_transaction()
{
    have_mail_ = false;
    accepted_rcpts_ = 0;
    rcpts_seen_ = 0;
}

SmtpSession::Next SmtpSession::on_ehlo(std::string_view arg, bool extended)
{
    bool& seen = conn_.in_tls() ? ehlo_tls_seen_ : ehlo_clear_seen_;
    if (!seen) {
        seen = true;
        if (fault(conn_.in_tls() ? Stage::ehlo_tls : Stage::ehlo)) return Next::end;
    }
    greeted_ = true;
    reset_transaction();
    if (!extended) return reply("250 " + ctx_.options.hostname);
    std::string lines = "250-" + ctx_.options.hostname + " Hello " + std::string(arg);
    for (const char* ext :
         {"PIPELINING", "SIZE 67108864", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES"}) {
        lines += "\r\n250-";
        lines += ext;
    }
    if (starttls_offered()) lines += "\r\n250-STARTTLS";
    lines[lines.rfind("250-") + 3] = ' ';
    return reply(lines);
}

SmtpSession::Next SmtpSession::on_mail(const std::string& line)
{
    if (fault(Stage::mail)) return Next::end;
    if (!greeted_) return reply("503 5.5.1 EHLO or HELO first");
    if (have_mail_) return reply("503 5.5.1 Nested MAIL command");
    if (!starts_with_nocase(line, "MAIL FROM:"))
        return reply("501 5.5.4 Syntax: MAIL FROM:<address>");
    have_mail_ = true;
    return reply("250 2.1.0 Sender OK");
}

SmtpSession::Next SmtpSession::on_rcpt(const std::string& line)
{
    if (rcpts_seen_++ == 0 && fault(Stage::rcpt)) return Next::end;
    if (!have_mail_) return reply("503 5.5.1 MAIL first");
    if (!starts_with_nocase(line, "RCPT TO:")) return reply("501 5.5.4 Syntax: RCPT TO:<address>");
    const std::string local = local_part(line);
    if (starts_with_nocase(local, "reject")) return reply("550 5.1.1 User unknown");
    if (starts_with_nocase(local, "defer")) return reply("451 4.3.0 Try again later");
    ++accepted_rcpts_;
    return reply("250 2.1.5 Recipient OK");
}

SmtpSession::Next SmtpSession::on_data()
{
    if (!have_mail_) return reply("503 5.5.1 MAIL first");
    if (accepted_rcpts_ == 0) return reply("554 5.5.1 No valid recipients");
    if (reply("354 Start mail input; end with <CRLF>.<CRLF>") == Next::end) return Next::end;
    if (fault(Stage::data)) return Next::end;
    std::string message;
    bool too_big = false;
    if (receive_message(message, too_big) == Next::end) return Next::end;
    if (fault(Stage::dot)) return Next::end;
    reset_transaction();
    if (too_big) return reply("552 5.3.4 Message size exceeds fixed limit");
    if (ctx_.options.reject_data) return reply("554 5.6.0 Message rejected (--reject-data)");
    if (!ctx_.maildir.store(message)) return reply("451 4.3.0 Cannot store message");
    return reply("250 2.0.0 OK message accepted");
}

// RFC 5321 4.5.2: a line "." ends the message; a leading dot is removed.
SmtpSession::Next SmtpSession::receive_message(std::string& message, bool& too_big)
{
    std::string line;
    for (bool first = true;; first = false) {
        switch (conn_.read_line(line, kMaxDataLine)) {
            case LineStatus::eof:
                return Next::end;
            case LineStatus::too_long:
                (void)reply("500 5.5.2 Line too long");
                return Next::end;
            case LineStatus::line:
                break;
        }
        if (first && fault(Stage::body)) return Next::end;
        if (line == ".") return Next::go_on;
        std::string_view content(line);
        if (!content.empty() && content.front() == '.') content.remove_prefix(1);
        if (message.size() + content.size() + 2 > kMaxMessage) too_big = true;
        if (too_big) continue;
        message.append(content);
        message.append("\r\n");
    }
}

SmtpSession::Next SmtpSession::on_starttls()
{
    if (!starttls_offered()) {
        return reply(conn_.in_tls() ? "503 5.5.1 TLS already active"
                                    : "502 5.5.1 STARTTLS not offered");
    }
    const int code = ctx_.options.starttls_reply;
    if (code != 220) {
        return reply(std::to_string(code) + (code >= 500 ? " 5.7.0" : " 4.7.0") +
                     " TLS not available (--starttls-reply)");
    }
    if (reply("220 2.0.0 Ready to start TLS") == Next::end) return Next::end;
    if (fault(Stage::starttls)) return Next::end;
    conn_.discard_buffered();

    const int fd = conn_.fd();
    const std::string hostname = ctx_.options.hostname;
    auto handshake_fault = ctx_.options.fault_at(Stage::handshake);
    const bool fail = ctx_.options.handshake_fail;
    conn_tls_.on_client_hello = [fd, hostname, handshake_fault, fail]() -> int {
        if (handshake_fault) {
            // Raw bytes in the middle of the TLS stream, as a broken
            // middlebox would write them.
            std::string bytes = fault_bytes(*handshake_fault, Stage::handshake, hostname);
            if (*handshake_fault != Action::close) {
                (void)write_all(fd, bytes.data(), bytes.size());
                if (*handshake_fault == Action::reply421 || *handshake_fault == Action::hugeline) {
                    ::shutdown(fd, SHUT_WR);
                }
                char chunk[4096];
                while (::recv(fd, chunk, sizeof chunk, 0) > 0) {
                }
            }
            return GNUTLS_E_USER_ERROR;
        }
        return fail ? GNUTLS_E_NO_CIPHER_SUITES : 0;
    };
    if (!conn_.handshake(ctx_.tls->new_session(fd, conn_tls_))) {
        if (fail && !handshake_fault) conn_.send_alert(GNUTLS_A_HANDSHAKE_FAILURE);
        return Next::end;
    }
    greeted_ = false;  // RFC 3207 4.2: forget everything learnt before TLS
    reset_transaction();
    return Next::go_on;
}

}  // namespace ocspmx::testserver
