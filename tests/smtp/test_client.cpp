// Client flows over a scripted stream: pipelining order, HELO fallback,
// per-recipient results, ESMTP parameters, STARTTLS, several messages.
#include <catch2/catch_test_macros.hpp>

#include "session_script.hpp"
#include "smtp/client.hpp"

using namespace ocspmx;
using namespace ocspmx::smtp;
using namespace ocspmx::test;

namespace {

const std::string body = "Subject: x\n\n.hi\n";  // 19 octets as CRLF lines

void open(Client& c)
{
    REQUIRE(c.greeting().ok());
    REQUIRE(c.ehlo("client.example").ok());
}

}  // namespace

TEST_CASE("the client writes nothing on its own", "[client]")
{
    ScriptedStream s(opening({"PIPELINING"}));
    Client c(s);
    CHECK(s.written().empty());
    REQUIRE(c.greeting().ok());
    CHECK(s.written().empty());
    REQUIRE(c.ehlo("client.example").ok());
    CHECK(s.written() == "EHLO client.example\r\n");
    CHECK(s.finished());
}

TEST_CASE("pipelined transaction with mixed recipient results", "[client][pipelining]")
{
    ScriptedStream s(cat(opening({"PIPELINING", "SIZE 1000", "ENHANCEDSTATUSCODES"}),
                         {C("MAIL FROM:<a@x> SIZE=19"), C("RCPT TO:<b@y>"), C("RCPT TO:<c@y>"),
                          C("RCPT TO:<d@y>"), C("DATA"), S("250 2.1.0 ok"), S("250 2.1.5 ok"),
                          S("550 5.1.1 no such user"), S("451 4.2.0 later"), S("354 go"),
                          C("Subject: x"), C(""), C("..hi"), C("."), S("250 2.0.0 queued")}));
    Client c(s);
    open(c);
    const auto r = c.send_message({"a@x", {"b@y", "c@y", "d@y"}}, body);
    CHECK(s.finished());
    INFO(s.errors().size());
    // EHLO, then MAIL + RCPTs + DATA in one write (RFC 2920 §3.1), then the data.
    CHECK(s.writes() == 3);
    CHECK(r.outcome == Outcome::delivered);
    CHECK(r.error.empty());
    REQUIRE(r.recipients.size() == 3);
    CHECK(r.recipients[0].status == RecipientStatus::accepted);
    CHECK(r.recipients[0].smtp == "250 2.0.0 queued");
    CHECK(r.recipients[1].status == RecipientStatus::failed);
    CHECK(r.recipients[1].smtp == "550 5.1.1 no such user");
    CHECK(r.recipients[2].status == RecipientStatus::deferred);
    CHECK(r.recipients[2].smtp == "451 4.2.0 later");
    REQUIRE(r.final_reply);
    CHECK(r.final_reply->enhanced == "2.0.0");
}

TEST_CASE("without PIPELINING commands go one at a time", "[client]")
{
    ScriptedStream s(cat(
        opening({}), {C("MAIL FROM:<>"), S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"), C("DATA"),
                      S("354 go"), C("Subject: x"), C(""), C("..hi"), C("."), S("250 queued")}));
    Client c(s);
    open(c);
    const auto r = c.send_message({"", {"b@y"}}, body);
    CHECK(s.finished());
    CHECK(r.outcome == Outcome::delivered);
    CHECK(s.writes() == 5);
}

TEST_CASE("all recipients refused: no DATA, outcome by the worst class, RSET before the next",
          "[client]")
{
    SECTION("all 5xx is permanent")
    {
        ScriptedStream s(cat(opening({}), {C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<b@y>"),
                                           S("550 no"), C("RCPT TO:<c@y>"), S("553 no")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"b@y", "c@y"}}, body);
        CHECK(s.finished());
        CHECK(r.outcome == Outcome::permanent);
        CHECK(r.stage == Stage::rcpt);
        CHECK(r.error == "reply to RCPT TO:<b@y>: 550 no");
    }
    SECTION("one 4xx makes it temporary; the next message starts with RSET")
    {
        ScriptedStream s(
            cat(opening({}), {C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<b@y>"), S("550 no"),
                              C("RCPT TO:<c@y>"), S("450 busy"), C("RSET"), S("250 reset"),
                              C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<c@y>"), S("250 ok"),
                              C("DATA"), S("354 go"), C("x"), C("."), S("250 queued")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"b@y", "c@y"}}, body);
        CHECK(r.outcome == Outcome::temporary);
        CHECK(r.recipients[0].status == RecipientStatus::failed);
        CHECK(r.recipients[1].status == RecipientStatus::deferred);
        const auto again = c.send_message({"a@x", {"c@y"}}, std::string_view("x"));
        CHECK(again.outcome == Outcome::delivered);
        CHECK(s.finished());
    }
}

TEST_CASE("several messages on one connection need no RSET after a final reply", "[client]")
{
    ScriptedStream s(cat(
        opening({"PIPELINING"}),
        {C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA"), S("250 ok"), S("250 ok"), S("354 go"),
         C("one"), C("."), S("451 try later"), C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA"),
         S("250 ok"), S("250 ok"), S("354 go"), C("two"), C("."), S("250 queued")}));
    Client c(s);
    open(c);
    const auto first = c.send_message({"a@x", {"b@y"}}, std::string_view("one"));
    CHECK(first.outcome == Outcome::temporary);
    CHECK(first.stage == Stage::end_of_data);
    CHECK(first.error == "reply to end of data: 451 try later");
    CHECK(first.recipients[0].status == RecipientStatus::deferred);
    CHECK(c.usable());
    const auto second = c.send_message({"a@x", {"b@y"}}, std::string_view("two"));
    CHECK(second.outcome == Outcome::delivered);
    CHECK(s.finished());
}

TEST_CASE("pipelined refusals keep replies in step", "[client][pipelining]")
{
    SECTION("MAIL refused: recipients share its reply")
    {
        ScriptedStream s(cat(opening({"PIPELINING"}),
                             {C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA"),
                              S("550 sender refused"), S("503 no MAIL"), S("503 no MAIL")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"b@y"}}, body);
        CHECK(s.finished());
        CHECK(r.outcome == Outcome::permanent);
        CHECK(r.stage == Stage::mail);
        CHECK(r.recipients[0].status == RecipientStatus::failed);
        CHECK(r.recipients[0].smtp == "reply to MAIL FROM: 550 sender refused");
    }
    SECTION("no recipient but 354 to DATA: a lone dot ends it (RFC 2920 §3.1)")
    {
        ScriptedStream s(cat(opening({"PIPELINING"}),
                             {C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA"), S("250 ok"),
                              S("550 no"), S("354 go"), C("."), S("554 no valid recipients")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"b@y"}}, body);
        CHECK(s.finished());
        CHECK(r.outcome == Outcome::permanent);
        CHECK(r.stage == Stage::rcpt);
        CHECK(s.written().find("Subject") == std::string::npos);
    }
    SECTION("DATA refused: accepted recipients take its reply")
    {
        ScriptedStream s(
            cat(opening({"PIPELINING"}), {C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA"),
                                          S("250 ok"), S("250 ok"), S("554 5.7.1 policy")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"b@y"}}, body);
        CHECK(s.finished());
        CHECK(r.outcome == Outcome::permanent);
        CHECK(r.stage == Stage::data);
        CHECK(r.recipients[0].status == RecipientStatus::failed);
        CHECK(r.recipients[0].smtp == "reply to DATA: 554 5.7.1 policy");
    }
}

TEST_CASE("HELO fallback", "[client][ehlo]")
{
    SECTION("5xx to EHLO: HELO, no extensions")
    {
        ScriptedStream s({S("220 old.example"), C("EHLO client.example"), S("502 what?"),
                          C("HELO client.example"), S("250 old.example"), C("MAIL FROM:<a@x>"),
                          S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"), C("DATA"), S("354 go"),
                          C("x"), C("."), S("250 ok")});
        Client c(s);
        REQUIRE(c.greeting().ok());
        const auto h = c.ehlo("client.example");
        REQUIRE(h.ok());
        CHECK_FALSE(c.capabilities().esmtp);
        CHECK(c.send_message({"a@x", {"b@y"}}, std::string_view("x")).outcome ==
              Outcome::delivered);
        CHECK(s.finished());
    }
    SECTION("4xx to EHLO is not a reason to try HELO")
    {
        ScriptedStream s({S("220 mx"), C("EHLO client.example"), S("451 later")});
        Client c(s);
        REQUIRE(c.greeting().ok());
        const auto h = c.ehlo("client.example");
        REQUIRE_FALSE(h.ok());
        CHECK(h.error().message == "reply to EHLO: 451 later");
        CHECK(c.last_reply()->code == 451);
        CHECK(s.finished());
    }
    SECTION("HELO refused too")
    {
        ScriptedStream s({S("220 mx"), C("EHLO client.example"), S("500 eh"),
                          C("HELO client.example"), S("550 go away")});
        Client c(s);
        REQUIRE(c.greeting().ok());
        const auto h = c.ehlo("client.example");
        REQUIRE_FALSE(h.ok());
        CHECK(h.error().message == "reply to HELO: 550 go away");
    }
    SECTION("a name that would inject is refused before sending")
    {
        ScriptedStream s({S("220 mx")});
        Client c(s);
        REQUIRE(c.greeting().ok());
        CHECK_FALSE(c.ehlo("client.example\r\nMAIL FROM:<x>").ok());
        CHECK_FALSE(c.ehlo("").ok());
        CHECK(s.written().empty());
    }
}

TEST_CASE("ESMTP parameters on MAIL FROM", "[client][mail]")
{
    const std::string eight = "caf\xc3\xa9\n";
    SECTION("SIZE, BODY=8BITMIME and SMTPUTF8 when offered and needed")
    {
        ScriptedStream s(cat(opening({"SIZE", "8BITMIME", "SMTPUTF8"}),
                             {C("MAIL FROM:<a@x> SIZE=7 BODY=8BITMIME SMTPUTF8"), S("250 ok"),
                              C("RCPT TO:<j\xc3\xb6@y>"), S("250 ok"), C("DATA"), S("354 go"),
                              C("caf\xc3\xa9"), C("."), S("250 ok")}));
        Client c(s);
        open(c);
        CHECK(c.send_message({"a@x", {"j\xc3\xb6@y"}}, eight).outcome == Outcome::delivered);
        CHECK(s.finished());
    }
    SECTION("8-bit body without 8BITMIME is sent as is, without BODY=")
    {
        ScriptedStream s(
            cat(opening({}), {C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"),
                              C("DATA"), S("354 go"), C("caf\xc3\xa9"), C("."), S("250 ok")}));
        Client c(s);
        open(c);
        CHECK(c.send_message({"a@x", {"b@y"}}, eight).outcome == Outcome::delivered);
        CHECK(s.finished());
    }
    SECTION("SMTPUTF8 needed for the sender but not offered: permanent, nothing sent")
    {
        ScriptedStream s(opening({"PIPELINING"}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"j\xc3\xb6@x", {"b@y"}}, body);
        CHECK(r.outcome == Outcome::permanent);
        CHECK(r.stage == Stage::mail);
        CHECK(r.error.find("needs SMTPUTF8") != std::string::npos);
        CHECK(r.recipients[0].status == RecipientStatus::failed);
        CHECK(s.written() == "EHLO client.example\r\n");
    }
    SECTION("a recipient needing SMTPUTF8 fails alone")
    {
        ScriptedStream s(
            cat(opening({}), {C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"),
                              C("DATA"), S("354 go"), C("x"), C("."), S("250 ok")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"j\xc3\xb6@y", "b@y"}}, std::string_view("x"));
        CHECK(r.outcome == Outcome::delivered);
        CHECK(r.recipients[0].status == RecipientStatus::failed);
        CHECK(r.recipients[0].smtp.find("needs SMTPUTF8") != std::string::npos);
        CHECK(r.recipients[1].status == RecipientStatus::accepted);
        CHECK(s.finished());
    }
    SECTION("over the advertised SIZE: permanent, nothing sent")
    {
        ScriptedStream s(opening({"SIZE 10"}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"b@y"}}, body);
        CHECK(r.outcome == Outcome::permanent);
        CHECK(r.error == "MAIL FROM: message size 19 exceeds the server's SIZE limit 10");
        CHECK(s.written() == "EHLO client.example\r\n");
    }
    SECTION("injection in addresses is refused, naming the address")
    {
        ScriptedStream s(
            cat(opening({}), {C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<b@y>"), S("250 ok"),
                              C("DATA"), S("354 go"), C("x"), C("."), S("250 ok")}));
        Client c(s);
        open(c);
        const auto r = c.send_message({"a@x", {"evil@y>\r\nRSET", "b@y"}}, std::string_view("x"));
        CHECK(r.outcome == Outcome::delivered);
        CHECK(r.recipients[0].status == RecipientStatus::failed);
        CHECK(r.recipients[0].smtp.find("invalid address <evil@y>??RSET>") != std::string::npos);
        CHECK(s.finished());
        const auto bad_from = c.send_message({"a@x>\nDATA", {"b@y"}}, std::string_view("x"));
        CHECK(bad_from.outcome == Outcome::permanent);
        CHECK(bad_from.stage == Stage::mail);
    }
}

TEST_CASE("STARTTLS", "[client][starttls]")
{
    SECTION("injected plaintext after the 220 is an attack")
    {
        ScriptedStream s(cat(opening({"STARTTLS"}),
                             {C("STARTTLS"), Raw("220 2.0.0 go ahead\r\n250-evil\r\n250 ok\r\n")}));
        Client c(s);
        open(c);
        const auto t = c.starttls();
        REQUIRE_FALSE(t.ok());
        CHECK(t.error().message.find("STARTTLS injection") != std::string::npos);
        CHECK_FALSE(c.usable());
        ScriptedStream tls({});
        CHECK_FALSE(c.set_stream(tls).ok());
        CHECK(tls.written().empty());
    }
    SECTION("clean switch: capabilities forgotten, transcript marks TLS")
    {
        std::vector<std::pair<std::string, bool>> seen;
        Options o;
        o.transcript = [&](Direction, std::string_view line, bool tls) {
            seen.emplace_back(std::string(line), tls);
        };
        ScriptedStream plain(
            cat(opening({"STARTTLS", "PIPELINING"}), {C("STARTTLS"), S("220 go ahead")}));
        ScriptedStream tls(cat({C("EHLO client.example")}, ehlo_reply({"SIZE 100"})));
        Client c(plain, o);
        open(c);
        REQUIRE(c.starttls().ok());
        REQUIRE(c.set_stream(tls).ok());
        CHECK(c.inside_tls());
        CHECK_FALSE(c.capabilities().pipelining);
        REQUIRE(c.ehlo("client.example").ok());
        CHECK(c.capabilities().size_limit == 100);
        CHECK_FALSE(c.capabilities().pipelining);
        CHECK(plain.finished());
        CHECK(tls.finished());
        REQUIRE(seen.size() >= 3);
        CHECK(seen[seen.size() - 3] == std::pair<std::string, bool>{"EHLO client.example", true});
        CHECK(seen.front().second == false);
    }
    SECTION("454: an error the caller can tell apart; the connection stays usable")
    {
        ScriptedStream s(
            cat(opening({"STARTTLS"}), {C("STARTTLS"), S("454 4.7.0 TLS not available")}));
        Client c(s);
        open(c);
        const auto t = c.starttls();
        REQUIRE_FALSE(t.ok());
        CHECK(t.error().message == "reply to STARTTLS: 454 4.7.0 TLS not available");
        REQUIRE(c.last_reply());
        CHECK(c.last_reply()->code == 454);
        CHECK(c.usable());
    }
}

TEST_CASE("transcript summarises the message body", "[client][transcript]")
{
    std::vector<std::string> sent;
    std::vector<std::string> received;
    Options o;
    o.transcript = [&](Direction d, std::string_view line, bool) {
        (d == Direction::sent ? sent : received).emplace_back(line);
    };
    ScriptedStream s(
        cat(opening({"PIPELINING"}),
            {C("MAIL FROM:<a@x>"), C("RCPT TO:<b@y>"), C("DATA"), S("250 ok"), S("250 ok"),
             S("354 go"), C("Subject: x"), C(""), C("..hi"), C("."), S("250 queued\x1b[2J")}));
    Client c(s, o);
    open(c);
    CHECK(c.send_message({"a@x", {"b@y"}}, body).outcome == Outcome::delivered);
    const std::vector<std::string> want = {"EHLO client.example",
                                           "MAIL FROM:<a@x>",
                                           "RCPT TO:<b@y>",
                                           "DATA",
                                           "<3 lines, 16 bytes of message data>",
                                           "."};
    CHECK(sent == want);
    CHECK(received.back() == "250 queued?[2J");
}

TEST_CASE("a failing message reader never sends the final dot", "[client][data]")
{
    ScriptedStream s(cat(opening({}), {C("MAIL FROM:<a@x>"), S("250 ok"), C("RCPT TO:<b@y>"),
                                       S("250 ok"), C("DATA"), S("354 go")}));
    Client c(s);
    open(c);
    int calls = 0;
    const std::string part = "first part\n";
    const ChunkReader reader = [&]() -> Result<std::span<const char>> {
        if (calls++ == 0) return std::span<const char>(part);
        return make_error("spool file: I/O error");
    };
    const auto r = c.send_message({"a@x", {"b@y"}}, MessageInfo{100, false}, reader);
    CHECK(r.outcome == Outcome::temporary);
    CHECK(r.stage == Stage::message);
    CHECK(r.error == "reading message: spool file: I/O error");
    CHECK(s.written().find("\r\n.\r\n") == std::string::npos);
    CHECK_FALSE(c.usable());
    CHECK_FALSE(c.quit().ok());
}

TEST_CASE("a large message is written in bounded blocks", "[client][data]")
{
    std::string big;
    for (int i = 0; i < 40000; ++i) big += ".line " + std::to_string(i) + "\n";
    DataEncoder e;
    std::string wire;
    e.encode(big, wire);
    e.finish(wire);
    ScriptedStream s(cat(opening({"PIPELINING"}), {C("MAIL FROM:<a@x>"),
                                                   C("RCPT TO:<b@y>"),
                                                   C("DATA"),
                                                   S("250 ok"),
                                                   S("250 ok"),
                                                   S("354 go"),
                                                   {Io::client, wire},
                                                   S("250 ok")}));
    Client c(s);
    open(c);
    CHECK(c.send_message({"a@x", {"b@y"}}, big).outcome == Outcome::delivered);
    CHECK(s.finished());
    CHECK(s.writes() > 4);  // EHLO, the pipelined group, then several data blocks
}

TEST_CASE("QUIT", "[client]")
{
    ScriptedStream s(cat(opening({}), {C("QUIT"), S("221 bye")}));
    Client c(s);
    open(c);
    CHECK(c.quit().ok());
    CHECK_FALSE(c.usable());
    CHECK(s.finished());
}

TEST_CASE("long recipient lists are pipelined in groups that fit a 4K window",
          "[client][pipelining]")
{
    Envelope env{"a@x", {}};
    std::vector<std::string> lines = {"MAIL FROM:<a@x>"};
    for (int i = 0; i < 400; ++i) {
        env.rcpt_to.push_back("recipient" + std::to_string(i) + "@example.org");
        lines.push_back("RCPT TO:<" + env.rcpt_to.back() + ">");
    }
    lines.push_back("DATA");
    std::vector<Io> script = opening({"PIPELINING"});
    std::size_t groups = 0;
    for (std::size_t first = 0; first < lines.size(); ++groups) {
        std::size_t size = 0;
        std::size_t last = first;
        while (last < lines.size() && (size == 0 || size + lines[last].size() + 2 <= 4096)) {
            size += lines[last++].size() + 2;
        }
        for (std::size_t i = first; i < last; ++i) script.push_back(C(lines[i]));
        for (std::size_t i = first; i < last; ++i) {
            script.push_back(S(lines[i] == "DATA" ? "354 go" : i % 7 == 3 ? "550 no" : "250 ok"));
        }
        first = last;
    }
    script = cat(script, {C("x"), C("."), S("250 queued")});
    ScriptedStream s(script);
    Client c(s);
    open(c);
    const auto r = c.send_message(env, std::string_view("x"));
    CHECK(groups > 2);
    CHECK(s.writes() == 1 + groups + 1);
    CHECK(s.finished());
    CHECK(r.outcome == Outcome::delivered);
    CHECK(r.recipients[2].status == RecipientStatus::failed);  // line 3: every 7th from 3
    CHECK(r.recipients[3].status == RecipientStatus::accepted);
}
