// Session steps of the SMTP client: greeting, EHLO/HELO, STARTTLS, RSET,
// QUIT, and the line/reply I/O they share. The mail transaction itself is in
// transaction.cpp.
#include "smtp/client.hpp"

#include <algorithm>
#include <array>

#include "smtp/address.hpp"

namespace ocspmx::smtp {

namespace {

constexpr std::size_t read_chunk = 4096;

std::string reply_name(std::string_view name)
{
    return name == "greeting" ? std::string(name) : "reply to " + std::string(name);
}

// RFC 5321 §4.1.1.1: EHLO/HELO take a domain or an address literal; anything
// with spaces or control characters would inject into the command line.
bool valid_helo_name(std::string_view name)
{
    if (name.empty() || name.size() > 255) return false;
    return std::none_of(name.begin(), name.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c <= 0x20 || c == 0x7f;
    });
}

}  // namespace

std::string_view to_string(Stage stage)
{
    switch (stage) {
        case Stage::none:
            return "none";
        case Stage::greeting:
            return "greeting";
        case Stage::ehlo:
            return "EHLO";
        case Stage::helo:
            return "HELO";
        case Stage::starttls:
            return "STARTTLS";
        case Stage::mail:
            return "MAIL FROM";
        case Stage::rcpt:
            return "RCPT TO";
        case Stage::data:
            return "DATA";
        case Stage::message:
            return "message data";
        case Stage::end_of_data:
            return "end of data";
        case Stage::rset:
            return "RSET";
        case Stage::quit:
            return "QUIT";
    }
    return "unknown";
}

Client::Client(net::Stream& stream, Options options)
    : stream_(&stream), options_(std::move(options))
{
}

Client::Deadline Client::deadline_in(std::chrono::milliseconds timeout)
{
    return net::Clock::now() + timeout;
}

Error Client::fail(std::string message)
{
    if (broken_.empty()) broken_ = message;
    return make_error(std::move(message));
}

void Client::note(Direction direction, std::string_view line) const
{
    if (options_.transcript) options_.transcript(direction, line, inside_tls_);
}

Result<void> Client::check_usable(std::string_view name) const
{
    if (broken_.empty()) return {};
    return make_error(std::string(name) + ": connection unusable after: " + broken_);
}

Result<void> Client::write_raw(std::string_view what, std::string_view bytes, Deadline deadline)
{
    auto w = stream_->write_all(std::span<const char>(bytes.data(), bytes.size()), deadline);
    if (!w) return fail("writing " + std::string(what) + ": " + w.error().message);
    return {};
}

Result<void> Client::send_lines(std::string_view what, std::string_view lines, Deadline deadline)
{
    for (std::string_view rest = lines; !rest.empty();) {
        const std::size_t end = rest.find("\r\n");
        note(Direction::sent, rest.substr(0, end));
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 2);
    }
    return write_raw(what, lines, deadline);
}

// Lines end in LF (CR stripped): servers sending bare LF are tolerated. At
// most max_line + read_chunk bytes are buffered, whatever the server sends.
Result<std::string> Client::read_line(Deadline deadline)
{
    std::size_t scan = rpos_;
    for (;;) {
        const std::size_t lf = rbuf_.find('\n', scan);
        if (lf != std::string::npos) {
            std::string line = rbuf_.substr(rpos_, lf - rpos_);
            rpos_ = lf + 1;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        if (buffered() > options_.limits.max_line + 1) {
            return make_error("reply line longer than " + std::to_string(options_.limits.max_line) +
                              " bytes");
        }
        rbuf_.erase(0, rpos_);
        rpos_ = 0;
        scan = rbuf_.size();
        std::array<char, read_chunk> chunk{};
        auto n = stream_->read_some(chunk, deadline);
        if (!n) return std::move(n).error();
        if (*n == 0) return make_error("connection closed");
        rbuf_.append(chunk.data(), *n);
    }
}

Result<Reply> Client::read_reply(std::string_view what, Deadline deadline)
{
    ReplyParser parser(options_.limits, caps_.enhanced_status_codes);
    for (;;) {
        auto line = read_line(deadline);
        if (!line) return fail("reading " + std::string(what) + ": " + line.error().message);
        note(Direction::received, sanitize(*line, options_.limits.max_line));
        auto done = parser.add_line(*line);
        if (!done) return fail(std::string(what) + ": " + done.error().message);
        if (*done) break;
    }
    Reply reply = parser.take();
    last_reply_ = reply;
    // RFC 5321 §3.8: 421 means the server is closing the channel.
    if (reply.code == 421) (void)fail(std::string(what) + ": " + reply.summary());
    return reply;
}

Result<Reply> Client::step(std::string_view name, std::string_view line, int want,
                           std::chrono::milliseconds timeout)
{
    if (auto ok = check_usable(name); !ok) return std::move(ok).error();
    last_reply_.reset();
    const Deadline deadline = deadline_in(timeout);
    if (!line.empty()) {
        if (auto w = send_lines(name, std::string(line) + "\r\n", deadline); !w) {
            return std::move(w).error();
        }
    }
    const std::string what = reply_name(name);
    auto reply = read_reply(what, deadline);
    if (!reply) return reply;
    if (reply->code / 100 != want) return make_error(what + ": " + reply->summary());
    return reply;
}

Result<Reply> Client::greeting()
{
    // RFC 5321 §4.3.1: 220 opens the session; 554 (or anything else) refuses it.
    return step("greeting", "", 2, options_.greeting_timeout.value_or(options_.command_timeout));
}

Result<Reply> Client::ehlo(std::string_view helo_name)
{
    if (!valid_helo_name(helo_name)) {
        return make_error("EHLO: invalid name \"" + sanitize(helo_name, 100) + "\"");
    }
    caps_ = Capabilities{};
    auto reply = step("EHLO", "EHLO " + std::string(helo_name), 2, options_.command_timeout);
    if (reply) {
        caps_ = parse_ehlo(*reply);
        return reply;
    }
    // RFC 5321 §3.2: a 5xx to EHLO from an old server: fall back to HELO.
    if (!usable() || !last_reply_ || !last_reply_->permanent()) return reply;
    return step("HELO", "HELO " + std::string(helo_name), 2, options_.command_timeout);
}

Result<Reply> Client::starttls()
{
    auto reply = step("STARTTLS", "STARTTLS", 2, options_.command_timeout);
    if (!reply) return reply;
    // RFC 3207 §5 and CVE-2011-0411: whatever follows the 220 in plaintext
    // would be taken as the server's first words inside TLS.
    if (buffered() != 0) {
        return fail("reply to STARTTLS: server sent " + std::to_string(buffered()) +
                    " bytes after its 220, before the TLS handshake (STARTTLS injection)");
    }
    return reply;
}

Result<void> Client::set_stream(net::Stream& stream)
{
    if (auto ok = check_usable("switching to TLS"); !ok) return ok;
    if (buffered() != 0) {
        return fail("switching to TLS: " + std::to_string(buffered()) +
                    " plaintext bytes still buffered (STARTTLS injection)");
    }
    stream_ = &stream;
    rbuf_.clear();
    rpos_ = 0;
    inside_tls_ = true;
    caps_ = Capabilities{};  // RFC 3207 §4.2: forget what was learnt in clear
    transaction_open_ = false;
    return {};
}

Result<Reply> Client::rset()
{
    auto reply = step("RSET", "RSET", 2, options_.command_timeout);
    if (reply) transaction_open_ = false;
    return reply;
}

Result<Reply> Client::quit()
{
    // RFC 5321 §4.1.1.10: the server MUST answer 221; anything else is noted
    // as an error, but the session is over either way.
    auto reply = step("QUIT", "QUIT", 2, options_.command_timeout);
    (void)fail("session ended by QUIT");
    return reply;
}

}  // namespace ocspmx::smtp
