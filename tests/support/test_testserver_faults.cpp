// --fault STAGE:ACTION: every stage x every action, observed by a client
// that walks the dialogue up to the stage (issue 6).
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "harness.hpp"
#include "smtp_client.hpp"

using namespace ocspmx::test;

namespace {

constexpr auto kClientTimeout = std::chrono::milliseconds(700);

// What the client saw where the fault was due.
struct Observed {
    bool handshake_stage = false;  // the fault hit the TLS handshake
    TlsResult tls;
    Reply reply;
};

// Runs the dialogue (STARTTLS included) until the stage's reply, and
// returns that reply (or the failed handshake).
Observed walk_to(const std::string& stage, SmtpTestClient& c)
{
    Observed seen;
    auto expect = [&](const Reply& r, int code, const std::string& at) {
        if (stage == at) {
            seen.reply = r;
            return false;
        }
        REQUIRE(r.code == code);
        return true;
    };
    if (!expect(c.read_reply(), 220, "connect")) return seen;
    if (!expect(c.command("EHLO client.test"), 250, stage == "greeting" ? "greeting" : "ehlo"))
        return seen;
    const auto go = c.command("STARTTLS");
    REQUIRE(go.code == 220);
    seen.tls = c.handshake();
    if (stage == "starttls" || stage == "handshake") {
        seen.handshake_stage = true;
        return seen;
    }
    REQUIRE(seen.tls.ok);
    if (!expect(c.command("EHLO client.test"), 250, "ehlo-tls")) return seen;
    if (!expect(c.command("MAIL FROM:<a@ocspmx.test>"), 250, "mail")) return seen;
    if (!expect(c.command("RCPT TO:<b@ocspmx.test>"), 250, "rcpt")) return seen;
    REQUIRE(c.command("DATA").code == 354);
    // data and body faults show in the reply to the message; dot likewise.
    (void)c.send("Subject: fault\r\n\r\nbody line\r\n.\r\n");
    seen.reply = c.read_reply(2 * 1024 * 1024);
    return seen;
}

}  // namespace

TEST_CASE("testserver --fault STAGE:ACTION does what it says", "[support][testserver][fault]")
{
    const std::string stage = GENERATE("connect", "greeting", "ehlo", "starttls", "handshake",
                                       "ehlo-tls", "mail", "rcpt", "data", "body", "dot");
    const std::string action = GENERATE("close", "stall", "421", "garbage", "hugeline");
    CAPTURE(stage, action);

    TestServer server({"--cert", fixture("pki/leaf-chain.pem"), "--key", fixture("pki/leaf.key"),
                       "--fault", stage + ":" + action});
    {
        SmtpTestClient client(server.host(), server.port(), kClientTimeout);
        const auto seen = walk_to(stage, client);
        if (seen.handshake_stage) {
            CHECK_FALSE(seen.tls.ok);
        } else if (action == "close") {
            CHECK(seen.reply.end == Reply::End::eof);
            CHECK(seen.reply.text.empty());
        } else if (action == "stall") {
            CHECK(seen.reply.end == Reply::End::timeout);
        } else if (action == "421") {
            CHECK(seen.reply.code == 421);
            CHECK(seen.reply.text.find("fault injected at " + stage) != std::string::npos);
            CHECK(client.read_reply().end == Reply::End::eof);  // and the server closed
        } else if (action == "garbage") {
            CHECK(seen.reply.code == 0);
            CHECK(seen.reply.text.find("garbage") != std::string::npos);
        } else if (action == "hugeline") {
            CHECK(seen.reply.end == Reply::End::eof);  // closed without a CRLF
            CHECK(seen.reply.text.size() == 1024 * 1024);
            CHECK(seen.reply.text.rfind("250 xxx", 0) == 0);
        }
    }
    CHECK(server.messages().empty());  // a fault never delivers
    CHECK(server.stop() == 0);         // stalled connections do not hold up SIGTERM
}

TEST_CASE("testserver faults leave other connections alone", "[support][testserver][fault]")
{
    // A stalled connection does not block the next one (one thread each).
    TestServer server({"--fault", "mail:stall"});
    SmtpTestClient stalled(server.host(), server.port(), kClientTimeout);
    REQUIRE(stalled.read_reply().code == 220);
    REQUIRE(stalled.command("HELO a.test").code == 250);
    CHECK(stalled.command("MAIL FROM:<a@b.test>").end == Reply::End::timeout);
    SmtpTestClient next(server.host(), server.port(), kClientTimeout);
    CHECK(next.read_reply().code == 220);
    CHECK(next.command("HELO b.test").code == 250);
    CHECK(server.stop() == 0);
}
