// One mail transaction (RFC 5321 §3.3): MAIL FROM, RCPT TO..., DATA, the
// message, the final dot; with PIPELINING (RFC 2920 §3.1) the envelope
// commands and DATA go in one write and their replies are read in order.
#include <algorithm>

#include "smtp/address.hpp"
#include "smtp/client.hpp"

namespace ocspmx::smtp {

namespace {

constexpr std::size_t data_block = 64 * 1024;
constexpr std::size_t pipeline_window = 4096;

RecipientStatus status_of(const Reply& reply)
{
    if (reply.positive()) return RecipientStatus::accepted;
    return reply.permanent() ? RecipientStatus::failed : RecipientStatus::deferred;
}

// RFC 5321 §4.2.1: 5yz is permanent; 4yz (and anything unexpected) is retried.
Outcome outcome_of(const Reply& reply)
{
    return reply.permanent() ? Outcome::permanent : Outcome::temporary;
}

struct Command {
    Stage stage;
    std::string name;  // "MAIL FROM", "RCPT TO:<a@b>", "DATA"
    std::string line;
    std::size_t rcpt = 0;  // index into the envelope, for Stage::rcpt
    std::optional<Reply> reply;
};

}  // namespace

// send_message() with access to the client's private I/O helpers.
class TransactionRunner {
public:
    TransactionRunner(Client& client, const Envelope& envelope, MessageInfo info);
    TransactionResult run(const ChunkReader& next_chunk);

private:
    bool check_locally();
    bool check_recipients();
    void plan_commands();
    bool exchange_pipelined();
    bool exchange_stepwise();
    bool read_reply_to(Command& cmd);
    bool judge_envelope();
    bool judge_recipients();
    void abandon_data();
    bool send_content(const ChunkReader& next_chunk);
    bool write_block(std::string_view bytes);
    void read_final_reply();
    void end(Outcome outcome, Stage stage, std::string error);

    Client& c_;
    const Envelope& env_;
    MessageInfo info_;
    TransactionResult result_;
    bool utf8_ = false;
    std::vector<std::size_t> valid_rcpts_;
    std::vector<Command> cmds_;  // MAIL, RCPT..., DATA
};

TransactionRunner::TransactionRunner(Client& client, const Envelope& envelope, MessageInfo info)
    : c_(client), env_(envelope), info_(info)
{
    for (const auto& rcpt : envelope.rcpt_to) {
        result_.recipients.push_back({rcpt, RecipientStatus::deferred, {}});
    }
}

// Records how the transaction ended. Recipients not yet decided, and those
// accepted at RCPT, share the outcome and the error that decided it.
void TransactionRunner::end(Outcome outcome, Stage stage, std::string error)
{
    result_.outcome = outcome;
    result_.stage = stage;
    result_.error = std::move(error);
    const auto status =
        outcome == Outcome::permanent ? RecipientStatus::failed : RecipientStatus::deferred;
    for (auto& r : result_.recipients) {
        if (!r.smtp.empty() && r.status != RecipientStatus::accepted) continue;
        r.status = status;
        r.smtp = result_.error;
    }
}

TransactionResult TransactionRunner::run(const ChunkReader& next_chunk)
{
    if (auto ok = c_.check_usable("MAIL FROM"); !ok) {
        end(Outcome::temporary, Stage::mail, ok.error().message);
        return std::move(result_);
    }
    if (!check_locally()) return std::move(result_);
    if (c_.transaction_open_) {
        if (auto r = c_.rset(); !r) {
            end(Outcome::temporary, Stage::rset, r.error().message);
            return std::move(result_);
        }
    }
    plan_commands();
    const bool exchanged = c_.caps_.pipelining ? exchange_pipelined() : exchange_stepwise();
    if (exchanged && judge_envelope() && send_content(next_chunk)) read_final_reply();
    return std::move(result_);
}

// Refusals that need no round trip (nothing is sent): a bad reverse-path, an
// address needing SMTPUTF8 the server lacks (RFC 6531 §3.4), a message over
// the server's SIZE (RFC 1870 §6). A bad recipient fails alone.
bool TransactionRunner::check_locally()
{
    const auto& caps = c_.caps_;
    auto from = validate_address(env_.mail_from, true);
    utf8_ = needs_utf8(env_.mail_from);
    if (from && utf8_ && !caps.smtputf8) {
        from = make_error("<" + sanitize(env_.mail_from, 100) +
                          "> needs SMTPUTF8, which the server does not offer");
    }
    if (!from) {
        end(Outcome::permanent, Stage::mail, "MAIL FROM: " + from.error().message);
        return false;
    }
    if (caps.size && caps.size_limit != 0 && info_.size > caps.size_limit) {
        end(Outcome::permanent, Stage::mail,
            "MAIL FROM: message size " + std::to_string(info_.size) +
                " exceeds the server's SIZE limit " + std::to_string(caps.size_limit));
        return false;
    }
    return check_recipients();
}

bool TransactionRunner::check_recipients()
{
    for (std::size_t i = 0; i < env_.rcpt_to.size(); ++i) {
        auto& r = result_.recipients[i];
        auto ok = validate_address(r.address, false);
        if (ok && needs_utf8(r.address) && !c_.caps_.smtputf8) {
            ok = make_error("<" + sanitize(r.address, 100) +
                            "> needs SMTPUTF8, which the server does not offer");
        }
        if (!ok) {
            r.status = RecipientStatus::failed;
            r.smtp = "RCPT TO: " + ok.error().message;
            continue;
        }
        utf8_ = utf8_ || needs_utf8(r.address);
        valid_rcpts_.push_back(i);
    }
    if (!valid_rcpts_.empty()) return true;
    end(Outcome::permanent, Stage::rcpt, "RCPT TO: no valid recipient");
    return false;
}

void TransactionRunner::plan_commands()
{
    const auto& caps = c_.caps_;
    std::string mail = "MAIL FROM:<" + env_.mail_from + ">";
    if (caps.size) mail += " SIZE=" + std::to_string(info_.size);        // RFC 1870 §6
    if (info_.eight_bit && caps.eightbitmime) mail += " BODY=8BITMIME";  // RFC 6152 §3
    if (utf8_) mail += " SMTPUTF8";                                      // RFC 6531 §3.4
    cmds_.push_back({Stage::mail, "MAIL FROM", std::move(mail), 0, std::nullopt});
    for (const std::size_t i : valid_rcpts_) {
        const std::string path = "<" + env_.rcpt_to[i] + ">";
        cmds_.push_back({Stage::rcpt, "RCPT TO:" + path, "RCPT TO:" + path, i, std::nullopt});
    }
    cmds_.push_back({Stage::data, "DATA", "DATA", 0, std::nullopt});
}

bool TransactionRunner::read_reply_to(Command& cmd)
{
    auto reply =
        c_.read_reply("reply to " + cmd.name, Client::deadline_in(c_.options_.command_timeout));
    if (!reply) {
        end(Outcome::temporary, cmd.stage, reply.error().message);
        return false;
    }
    cmd.reply = std::move(*reply);
    if (cmd.stage == Stage::mail && cmd.reply->positive()) c_.transaction_open_ = true;
    if (c_.usable()) return true;
    end(Outcome::temporary, cmd.stage, c_.broken_);  // 421 (RFC 5321 §3.8)
    return false;
}

// RFC 2920 §3.1: DATA ends the group; every reply is read, in order, even
// after a rejection, to keep commands and replies in step. A client that
// does not read while it writes "MUST ... make sure that each group of
// commands fits entirely within the [TCP] window" (usually 4K): long
// recipient lists go out in several groups.
bool TransactionRunner::exchange_pipelined()
{
    for (std::size_t first = 0; first < cmds_.size();) {
        std::string group;
        std::size_t last = first;
        while (last < cmds_.size() &&
               (group.empty() || group.size() + cmds_[last].line.size() + 2 <= pipeline_window)) {
            group += cmds_[last++].line + "\r\n";
        }
        const auto deadline = Client::deadline_in(c_.options_.command_timeout);
        if (auto w = c_.send_lines(cmds_[first].name, group, deadline); !w) {
            end(Outcome::temporary, cmds_[first].stage, w.error().message);
            return false;
        }
        for (; first < last; ++first) {
            if (!read_reply_to(cmds_[first])) return false;
        }
    }
    return true;
}

// Without PIPELINING: stop after a refused MAIL, and send DATA only when a
// recipient was accepted (RFC 5321 §3.3).
bool TransactionRunner::exchange_stepwise()
{
    bool any_accepted = false;
    for (auto& cmd : cmds_) {
        if (cmd.stage == Stage::data && !any_accepted) return true;
        const auto deadline = Client::deadline_in(c_.options_.command_timeout);
        if (auto w = c_.send_lines(cmd.name, cmd.line + "\r\n", deadline); !w) {
            end(Outcome::temporary, cmd.stage, w.error().message);
            return false;
        }
        if (!read_reply_to(cmd)) return false;
        if (cmd.stage == Stage::mail && !cmd.reply->positive()) return true;
        any_accepted = any_accepted || (cmd.stage == Stage::rcpt && cmd.reply->positive());
    }
    return true;
}

// Sets each recipient from its RCPT reply; false when none was accepted.
bool TransactionRunner::judge_recipients()
{
    const Command* first_refusal = nullptr;
    bool any_accepted = false;
    bool any_deferred = false;
    for (const auto& cmd : cmds_) {
        if (cmd.stage != Stage::rcpt || !cmd.reply) continue;
        auto& r = result_.recipients[cmd.rcpt];
        r.status = status_of(*cmd.reply);
        r.smtp = cmd.reply->summary();
        any_accepted = any_accepted || r.status == RecipientStatus::accepted;
        any_deferred = any_deferred || r.status == RecipientStatus::deferred;
        if (!first_refusal && !cmd.reply->positive()) first_refusal = &cmd;
    }
    if (any_accepted) return true;
    const std::string error =
        "reply to " + first_refusal->name + ": " + first_refusal->reply->summary();
    end(any_deferred ? Outcome::temporary : Outcome::permanent, Stage::rcpt, error);
    return false;
}

bool TransactionRunner::judge_envelope()
{
    const Command& mail = cmds_.front();
    const Command& data = cmds_.back();
    bool ok = true;
    if (!mail.reply->positive()) {
        end(outcome_of(*mail.reply), Stage::mail, "reply to MAIL FROM: " + mail.reply->summary());
        ok = false;
    } else if (!judge_recipients()) {
        ok = false;
    } else if (!data.reply->intermediate()) {
        end(outcome_of(*data.reply), Stage::data, "reply to DATA: " + data.reply->summary());
        return false;
    }
    if (!ok && data.reply && data.reply->intermediate()) abandon_data();
    return ok;
}

// A pipelining server answered 354 although nothing can be sent: RFC 2920
// §3.1 says to send a lone dot, which ends an empty transaction.
void TransactionRunner::abandon_data()
{
    const auto deadline = Client::deadline_in(c_.options_.data_timeout);
    if (!c_.send_lines("end of data", ".\r\n", deadline)) return;
    if (c_.read_reply("reply to end of data", deadline)) c_.transaction_open_ = false;
}

bool TransactionRunner::write_block(std::string_view bytes)
{
    auto w = c_.write_raw("message data", bytes, Client::deadline_in(c_.options_.data_timeout));
    if (!w) end(Outcome::temporary, Stage::message, w.error().message);
    return w.ok();
}

// Never sends the final dot after a failed read: a dot would deliver a
// truncated message, so the connection is given up instead.
bool TransactionRunner::send_content(const ChunkReader& next_chunk)
{
    DataEncoder encoder;
    std::string out;
    out.reserve(2 * data_block + 8);
    std::uint64_t bytes = 0;
    for (;;) {
        auto chunk = next_chunk();
        if (!chunk) {
            const Error e = c_.fail("reading message: " + chunk.error().message);
            end(Outcome::temporary, Stage::message, e.message);
            return false;
        }
        if (chunk->empty()) break;
        bytes += chunk->size();
        for (std::span<const char> rest = *chunk; !rest.empty();) {
            const auto piece = rest.first(std::min(rest.size(), data_block));
            rest = rest.subspan(piece.size());
            encoder.encode(piece, out);
            if (out.size() < data_block) continue;
            if (!write_block(out)) return false;
            out.clear();
        }
    }
    encoder.finish(out);
    c_.note(Direction::sent, "<" + std::to_string(encoder.lines()) + " lines, " +
                                 std::to_string(bytes) + " bytes of message data>");
    c_.note(Direction::sent, ".");
    return write_block(out);
}

void TransactionRunner::read_final_reply()
{
    auto reply =
        c_.read_reply("reply to end of data", Client::deadline_in(c_.options_.data_timeout));
    if (!reply) {
        end(Outcome::temporary, Stage::end_of_data, reply.error().message);
        return;
    }
    c_.transaction_open_ = false;  // RFC 5321 §4.1.1.4: the dot's reply ends it either way
    result_.final_reply = *reply;
    if (!reply->positive()) {
        end(outcome_of(*reply), Stage::end_of_data, "reply to end of data: " + reply->summary());
        return;
    }
    result_.outcome = Outcome::delivered;
    for (auto& r : result_.recipients) {
        if (r.status == RecipientStatus::accepted) r.smtp = reply->summary();
    }
}

TransactionResult Client::send_message(const Envelope& envelope, MessageInfo info,
                                       const ChunkReader& next_chunk)
{
    return TransactionRunner(*this, envelope, info).run(next_chunk);
}

TransactionResult Client::send_message(const Envelope& envelope, std::span<const char> message)
{
    bool done = false;
    const ChunkReader whole = [&]() -> Result<std::span<const char>> {
        if (done) return std::span<const char>{};
        done = true;
        return message;
    };
    return send_message(envelope, scan_message(message), whole);
}

}  // namespace ocspmx::smtp
