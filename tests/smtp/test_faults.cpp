// Fault injection at every stage (issue 6): the server closes, stalls past
// the timeout, answers 421, answers garbage, or sends a 1 MB line. Each case
// must end as a temporary failure whose one-line error names the stage, with
// the connection marked unusable and memory bounded.
#include <catch2/catch_test_macros.hpp>

#include "session_script.hpp"
#include "smtp/client.hpp"

using namespace ocspmx;
using namespace ocspmx::smtp;
using namespace ocspmx::test;

namespace {

struct StageRow {
    const char* name;
    bool pipelining;
    bool starttls;
    std::vector<Io> before;  // the dialogue up to the reply that goes wrong
    const char* what;        // how the error names the stage
    Stage stage;             // TransactionResult::stage, none for session steps
};

const std::vector<Io> mail_plain = {S("220 mx"), C("EHLO client.example"), S("250 mx"),
                                    C("MAIL FROM:<a@x>")};

std::vector<StageRow> stage_rows()
{
    const auto ok_mail = cat(mail_plain, {S("250 ok"), C("RCPT TO:<b@y>")});
    const auto ok_rcpt = cat(ok_mail, {S("250 ok"), C("DATA")});
    const auto ok_data = cat(ok_rcpt, {S("354 go"), C("x"), C(".")});
    const auto group =
        cat(opening({"PIPELINING"}), {C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA")});
    return {
        {"before greeting", false, false, {}, "greeting", Stage::none},
        {"during EHLO",
         false,
         false,
         {S("220 mx"), C("EHLO client.example")},
         "reply to EHLO",
         Stage::none},
        {"after STARTTLS", false, true, cat(opening({"STARTTLS"}), {C("STARTTLS")}),
         "reply to STARTTLS", Stage::none},
        {"after MAIL", false, false, mail_plain, "reply to MAIL FROM", Stage::mail},
        {"after RCPT", false, false, ok_mail, "reply to RCPT TO:<b@y>", Stage::rcpt},
        {"after DATA", false, false, ok_rcpt, "reply to DATA", Stage::data},
        {"after the final dot", false, false, ok_data, "reply to end of data", Stage::end_of_data},
        {"pipelined MAIL", true, false, group, "reply to MAIL FROM", Stage::mail},
        {"pipelined RCPT", true, false, cat(group, {S("250 ok")}), "reply to RCPT TO:<b@y>",
         Stage::rcpt},
        {"pipelined DATA", true, false, cat(group, {S("250 ok"), S("250 ok")}), "reply to DATA",
         Stage::data},
    };
}

struct FaultRow {
    const char* name;
    Io fault;
    const char* says;  // in the error after the stage name
};

const std::string megabyte(1 << 20, 'x');

std::vector<FaultRow> fault_rows()
{
    return {
        {"close", Closed(), "connection closed"},
        {"stall", Timeout(), "timeout"},
        {"421", S("421 4.3.2 shutting down"), "421 4.3.2 shutting down"},
        {"garbage", S("HTTP/1.1 400 Bad Request"),
         "bad reply syntax: \"HTTP/1.1 400 Bad Request\""},
        {"1 MB line", Raw("250 " + megabyte + "\r\n"), "reply line longer than 65536 bytes"},
    };
}

// Runs the session as the transport would; returns the first error.
std::string drive(Client& c, const StageRow& row, Stage& stage)
{
    stage = Stage::none;
    if (auto g = c.greeting(); !g) return g.error().message;
    if (auto e = c.ehlo("client.example"); !e) return e.error().message;
    if (row.starttls) {
        if (auto t = c.starttls(); !t) return t.error().message;
    }
    const auto r = c.send_message({"a@x", {"b@y"}}, std::string_view("x"));
    stage = r.stage;
    if (r.outcome != Outcome::temporary) return "unexpected outcome";
    for (const auto& rcpt : r.recipients) {
        if (rcpt.status != RecipientStatus::deferred) return "recipient not deferred";
    }
    return r.error;
}

}  // namespace

TEST_CASE("every stage x every fault ends as a bounded error naming the stage", "[faults]")
{
    for (const auto& row : stage_rows()) {
        for (const auto& fault : fault_rows()) {
            INFO(row.name << " / " << fault.name);
            ScriptedStream s(cat(row.before, {fault.fault}));
            Client c(s);
            Stage stage = Stage::none;
            const std::string error = drive(c, row, stage);
            INFO(error);
            CHECK(error.find(row.what) != std::string::npos);
            CHECK(error.find(fault.says) != std::string::npos);
            CHECK(error.size() < 400);
            CHECK(error.find('\n') == std::string::npos);
            CHECK(stage == row.stage);
            CHECK_FALSE(c.usable());
            CHECK(s.errors().empty());
            // Bounded memory: the 1 MB line is abandoned after the line limit.
            CHECK(s.served() < 200 * 1024);
            // Nothing more reaches the server once the connection is unusable.
            const std::size_t writes = s.writes();
            CHECK_FALSE(c.quit().ok());
            CHECK(s.writes() == writes);
        }
    }
}

TEST_CASE("a stalled write mid-message is a temporary failure at the message stage", "[faults]")
{
    ScriptedStream s(cat(mail_plain, {S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"), C("DATA"),
                                      S("354 go"), WriteTimeout()}));
    Client c(s);
    REQUIRE(c.greeting().ok());
    REQUIRE(c.ehlo("client.example").ok());
    const auto r = c.send_message({"a@x", {"b@y"}}, std::string_view("x"));
    CHECK(r.outcome == Outcome::temporary);
    CHECK(r.stage == Stage::message);
    CHECK(r.error == "writing message data: timeout");
    CHECK_FALSE(c.usable());
}

TEST_CASE("a stalled write of a command names the command", "[faults]")
{
    ScriptedStream s({S("220 mx"), WriteTimeout()});
    Client c(s);
    REQUIRE(c.greeting().ok());
    const auto e = c.ehlo("client.example");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "writing EHLO: timeout");
}

TEST_CASE("421 and 554 greetings", "[faults]")
{
    ScriptedStream s({S("554 5.7.1 no service here")});
    Client c(s);
    const auto g = c.greeting();
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().message == "greeting: 554 5.7.1 no service here");
    CHECK(c.usable());  // the caller may still send QUIT (RFC 5321 §3.1)
}

TEST_CASE("each stage waits with its own timeout", "[faults][timeouts]")
{
    using std::chrono::seconds;
    Options o;
    o.greeting_timeout = seconds(50);
    o.command_timeout = seconds(100);
    o.data_timeout = seconds(200);
    ScriptedStream s(cat(mail_plain, {S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"), C("DATA"),
                                      S("354 go"), C("x"), C("."), S("250 ok")}));
    Client c(s, o);
    REQUIRE(c.greeting().ok());
    REQUIRE(c.ehlo("client.example").ok());
    REQUIRE(c.send_message({"a@x", {"b@y"}}, std::string_view("x")).outcome == Outcome::delivered);
    // greeting, EHLO, MAIL, RCPT, DATA, final dot (RFC 5321 §4.5.3.2 lists
    // them as separate timeouts; Exim's final_timeout is data_timeout here).
    const std::vector<int> reads = {50, 100, 100, 100, 100, 200};
    const std::vector<int> writes = {100, 100, 100, 100, 200};
    auto near = [](net::Clock::duration left, int want) {
        return left <= seconds(want) && left > seconds(want - 5);
    };
    REQUIRE(s.read_budgets.size() == reads.size());
    for (std::size_t i = 0; i < reads.size(); ++i) {
        INFO("read " << i);
        CHECK(near(s.read_budgets[i], reads[i]));
    }
    REQUIRE(s.write_budgets.size() == writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) {
        INFO("write " << i);
        CHECK(near(s.write_budgets[i], writes[i]));
    }
}
