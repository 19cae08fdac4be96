// --fault STAGE:ACTION: every stage x every action, observed by a client
// that walks the dialogue up to the stage (issue 6).
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "harness.hpp"
#include "smtp_client.hpp"

using namespace ocspmx::test;

namespace {

// Long enough for any real reply on a loaded machine; the short one is set
// only where the fault is due, to see a stall as a timeout.
constexpr auto kNormalTimeout = std::chrono::seconds(10);
constexpr auto kStallTimeout = std::chrono::milliseconds(700);

// What the client saw where the fault was due.
struct Observed {
    bool handshake_stage = false;  // the fault hit the TLS handshake
    TlsResult tls;
    Reply reply;
};

// Runs the dialogue (STARTTLS included) until the stage, and returns the
// reply due there (or the failed handshake).
Observed walk_to(const std::string& stage, SmtpTestClient& c)
{
    Observed seen;
    // Sends line (if any) and reads the reply; true when the stage is not
    // here yet and the reply was the expected code.
    auto step = [&](const std::string& here, const std::string& line, int code) {
        if (stage == here) c.set_timeout(kStallTimeout);
        const Reply r = line.empty() ? c.read_reply(2 * 1024 * 1024) : c.command(line);
        if (stage == here) {
            seen.reply = r;
            return false;
        }
        REQUIRE(r.code == code);
        return true;
    };
    if (!step("connect", "", 220)) return seen;
    const std::string ehlo_stage = stage == "greeting" ? "greeting" : "ehlo";
    if (!step(ehlo_stage, "EHLO client.test", 250)) return seen;
    REQUIRE(c.command("STARTTLS").code == 220);
    if (stage == "starttls" || stage == "handshake") {
        c.set_timeout(kStallTimeout);
        seen.handshake_stage = true;
        seen.tls = c.handshake();
        return seen;
    }
    seen.tls = c.handshake();
    REQUIRE(seen.tls.ok);
    if (!step("ehlo-tls", "EHLO client.test", 250)) return seen;
    if (!step("mail", "MAIL FROM:<a@ocspmx.test>", 250)) return seen;
    if (!step("rcpt", "RCPT TO:<b@ocspmx.test>", 250)) return seen;
    REQUIRE(c.command("DATA").code == 354);
    // data, body and dot faults all show in the reply to the message.
    c.set_timeout(kStallTimeout);
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
        SmtpTestClient client(server.host(), server.port(), kNormalTimeout);
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
    SmtpTestClient stalled(server.host(), server.port());
    REQUIRE(stalled.read_reply().code == 220);
    REQUIRE(stalled.command("HELO a.test").code == 250);
    stalled.set_timeout(kStallTimeout);
    CHECK(stalled.command("MAIL FROM:<a@b.test>").end == Reply::End::timeout);
    SmtpTestClient next(server.host(), server.port());
    CHECK(next.read_reply().code == 220);
    CHECK(next.command("HELO b.test").code == 250);
    CHECK(server.stop() == 0);
}
