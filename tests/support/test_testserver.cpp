// ocspmx-testserver does what its flags say: stapling, STARTTLS refusal,
// handshake failure, SMTP replies, maildir and record.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <thread>

#include "harness.hpp"
#include "smtp_client.hpp"

using namespace ocspmx::test;

namespace {

std::vector<std::string> with_tls(std::vector<std::string> extra = {})
{
    std::vector<std::string> args{"--cert", fixture("pki/leaf-chain.pem"), "--key",
                                  fixture("pki/leaf.key")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// Greeting, EHLO, STARTTLS and the handshake.
TlsResult starttls(SmtpTestClient& client, const std::string& tls_max = "")
{
    REQUIRE(client.read_reply().code == 220);
    REQUIRE(client.command("EHLO client.test").code == 250);
    REQUIRE(client.command("STARTTLS").code == 220);
    return client.handshake(tls_max);
}

TlsResult probe(const TestServer& server, const std::string& tls_max = "")
{
    SmtpTestClient client(server.host(), server.port());
    return starttls(client, tls_max);
}

}  // namespace

TEST_CASE("testserver staples the exact bytes given, without checking them",
          "[support][testserver]")
{
    const std::string tls = GENERATE("1.2", "1.3");
    // A revoked leaf and a revoked intermediate: GnuTLS would refuse to load
    // either from a file; the test server must send them anyway.
    const std::string leaf = fixture("ocsp/revoked.der");
    const std::string inter = fixture("ocsp/intermediate-revoked.der");
    TestServer server(with_tls({"--staple", leaf, "--staple-intermediate", inter}));
    const auto result = probe(server, tls);
    REQUIRE(result.ok);
    CHECK(result.version == "TLS" + tls);
    REQUIRE(result.leaf_staple);
    CHECK(*result.leaf_staple == read_file(leaf));
    if (tls == "1.3") {
        REQUIRE(result.intermediate_staple);
        CHECK(*result.intermediate_staple == read_file(inter));
    } else {
        CHECK_FALSE(result.intermediate_staple);  // TLS 1.2 has one CertificateStatus
    }
}

TEST_CASE("testserver staples bytes that are not OCSP at all", "[support][testserver]")
{
    TempDir dir;
    const std::string junk("\x00\x01 not DER at all \xff", 20);
    write_file(dir / "junk", junk);
    TestServer server(with_tls({"--staple", (dir / "junk").string()}));
    const auto result = probe(server);
    REQUIRE(result.ok);
    REQUIRE(result.leaf_staple);
    CHECK(*result.leaf_staple == junk);
}

TEST_CASE("testserver: an intermediate staple alone leaves the leaf without one",
          "[support][testserver]")
{
    const std::string inter = fixture("ocsp/intermediate-good.der");
    TestServer server(with_tls({"--staple-intermediate", inter}));
    const auto result = probe(server, "1.3");
    REQUIRE(result.ok);
    CHECK_FALSE(result.leaf_staple);
    REQUIRE(result.intermediate_staple);
    CHECK(*result.intermediate_staple == read_file(inter));
}

TEST_CASE("testserver without --staple sends no staple", "[support][testserver]")
{
    TestServer server(with_tls());
    const auto result = probe(server);
    REQUIRE(result.ok);
    CHECK_FALSE(result.leaf_staple);
    CHECK_FALSE(result.intermediate_staple);
}

TEST_CASE("testserver re-reads the staple file on every connection", "[support][testserver]")
{
    TempDir dir;
    const auto staple = dir / "staple.der";
    write_file(staple, read_file(fixture("ocsp/good-issuer.der")));
    TestServer server(with_tls({"--staple", staple.string()}));
    CHECK(probe(server).leaf_staple == read_file(fixture("ocsp/good-issuer.der")));
    write_file(staple, read_file(fixture("ocsp/revoked.der")));
    CHECK(probe(server).leaf_staple == read_file(fixture("ocsp/revoked.der")));
    fs::remove(staple);
    CHECK_FALSE(probe(server).leaf_staple);  // a missing file: no staple
}

TEST_CASE("openssl s_client sees the testserver's staple", "[support][testserver]")
{
    TestServer server(with_tls({"--staple", fixture("ocsp/revoked.der")}));
    const auto r = run_command({"openssl", "s_client", "-status", "-connect", server.address(),
                                "-starttls", "smtp", "-servername", "localhost"},
                               std::string());
    INFO(r.out << r.err);
    CHECK(r.out.find("OCSP Response Status: successful") != std::string::npos);
    CHECK(r.out.find("Cert Status: revoked") != std::string::npos);
}

TEST_CASE("testserver --tls-max 1.2 caps the protocol version", "[support][testserver]")
{
    TestServer capped(with_tls({"--tls-max", "1.2"}));
    CHECK(probe(capped).version == "TLS1.2");
    TestServer open(with_tls());
    CHECK(probe(open).version == "TLS1.3");
}

TEST_CASE("testserver --no-starttls withholds STARTTLS", "[support][testserver]")
{
    TestServer server(with_tls({"--no-starttls"}));
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(client.read_reply().code == 220);
    const auto ehlo = client.command("EHLO client.test");
    CHECK(ehlo.code == 250);
    CHECK(ehlo.text.find("STARTTLS") == std::string::npos);
    CHECK(ehlo.text.find("PIPELINING") != std::string::npos);
    CHECK(client.command("STARTTLS").code == 502);
}

TEST_CASE("testserver without --cert offers no TLS", "[support][testserver]")
{
    TestServer server;
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(client.read_reply().code == 220);
    const auto ehlo = client.command("EHLO client.test");
    CHECK(ehlo.text.find("STARTTLS") == std::string::npos);
    CHECK(client.command("STARTTLS").code == 502);
}

TEST_CASE("testserver --starttls-reply 454 refuses STARTTLS and carries on",
          "[support][testserver]")
{
    TestServer server(with_tls({"--starttls-reply", "454"}));
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(client.read_reply().code == 220);
    CHECK(client.command("EHLO client.test").text.find("STARTTLS") != std::string::npos);
    const auto reply = client.command("STARTTLS");
    CHECK(reply.code == 454);
    CHECK(reply.text.find("4.7.0") != std::string::npos);
    CHECK(client.command("NOOP").code == 250);
}

TEST_CASE("testserver --handshake-fail aborts the handshake with an alert", "[support][testserver]")
{
    const std::string tls = GENERATE("1.2", "1.3");
    TestServer server(with_tls({"--handshake-fail"}));
    SmtpTestClient client(server.host(), server.port());
    const auto result = starttls(client, tls);
    CHECK_FALSE(result.ok);
    CHECK(result.error.find("Handshake failed") != std::string::npos);
}

TEST_CASE("testserver answers recipients by local part, and --reject-data", "[support][testserver]")
{
    const bool reject_data = GENERATE(false, true);
    TestServer server(reject_data ? std::vector<std::string>{"--reject-data"}
                                  : std::vector<std::string>{});
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(client.read_reply().code == 220);
    CHECK(client.command("MAIL FROM:<a@b.test>").code == 503);  // EHLO first
    CHECK(client.command("HELO client.test").code == 250);
    CHECK(client.command("RCPT TO:<x@y.test>").code == 503);  // MAIL first
    CHECK(client.command("MAIL FROM:<a@b.test>").code == 250);
    CHECK(client.command("DATA").code == 554);  // no recipient yet
    const auto rejected = client.command("RCPT TO:<reject-me@y.test>");
    CHECK(rejected.code == 550);
    CHECK(rejected.text.find("5.1.1") != std::string::npos);
    const auto deferred = client.command("RCPT TO:<Defer.later@y.test>");
    CHECK(deferred.code == 451);
    CHECK(deferred.text.find("4.3.0") != std::string::npos);
    CHECK(client.command("RCPT TO:<ok@y.test>").code == 250);
    CHECK(client.command("DATA").code == 354);
    const auto end = client.command("Subject: x\r\n\r\nbody\r\n.");
    CHECK(end.code == (reject_data ? 554 : 250));
    CHECK(server.messages().size() == (reject_data ? 0U : 1U));
    CHECK(client.command("RSET").code == 250);
    CHECK(client.command("NOOP").code == 250);
    CHECK(client.command("VRFY x").code == 500);
    CHECK(client.command("QUIT").code == 221);
}

TEST_CASE("testserver stores what swaks sent over STARTTLS byte for byte", "[support][testserver]")
{
    TestServer server(with_tls({"--staple", fixture("ocsp/good-issuer.der")}));
    TempDir dir;
    // Dot-stuffing on the wire, none in the maildir; CRLF kept; 8-bit text.
    const std::string message =
        "From: sender@ocspmx.test\r\nTo: rcpt@ocspmx.test\r\nSubject: intact\r\n\r\n"
        ".leading dot\r\n..two dots\r\n.\tdot tab\r\nend \xc3\xa9t\xc3\xa9\r\n";
    // swaks ends DATA with CRLF "." CRLF itself: the file lacks the last CRLF.
    write_file(dir / "msg", message.substr(0, message.size() - 2));
    const auto r = run_command({"swaks", "--server", server.address(), "--tls", "--from",
                                "sender@ocspmx.test", "--to", "rcpt@ocspmx.test", "--data",
                                "@" + (dir / "msg").string(), "--helo", "client.test"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_status == 0);
    const auto messages = server.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0] == message);

    const auto clear = server.received_in_clear();
    const auto tls = server.received_in_tls();
    CHECK(clear.find("STARTTLS") != std::string::npos);
    CHECK(clear.find("MAIL FROM") == std::string::npos);
    CHECK(tls.find("MAIL FROM:<sender@ocspmx.test>") != std::string::npos);
    CHECK(tls.find("..two dots") != std::string::npos);  // the wire form is recorded
    CHECK(server.connections() == 1);
}

TEST_CASE("testserver records clear and TLS bytes per connection", "[support][testserver]")
{
    TestServer server(with_tls());
    {
        SmtpTestClient client(server.host(), server.port());
        REQUIRE(starttls(client).ok);
        CHECK(client.command("EHLO again.test").code == 250);
        CHECK(client.command("MAIL FROM:<a@b.test>").code == 250);
    }
    {
        SmtpTestClient client(server.host(), server.port());
        REQUIRE(client.read_reply().code == 220);
        CHECK(client.command("EHLO plain.test").code == 250);
    }
    // Entries of one connection are in order; two connections may overlap
    // (the first one's "closed" can follow the second one's "accepted").
    using K = RecordEntry::Kind;
    auto shape_of = [&](unsigned conn) {
        std::vector<K> shape;
        for (int i = 0; i < 100; ++i) {
            shape.clear();
            for (const auto& e : server.record()) {
                if (e.conn == conn) shape.push_back(e.kind);
            }
            if (!shape.empty() && shape.back() == K::closed) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return shape;
    };
    CHECK(shape_of(1) == std::vector<K>{K::accepted, K::clear, K::clear, K::tls_established, K::tls,
                                        K::tls, K::closed});
    CHECK(shape_of(2) == std::vector<K>{K::accepted, K::clear, K::closed});
    CHECK(server.received_in_tls() == "EHLO again.test\r\nMAIL FROM:<a@b.test>\r\n");
}

TEST_CASE("testserver discards plaintext pipelined behind STARTTLS", "[support][testserver]")
{
    TestServer server(with_tls());
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(client.read_reply().code == 220);
    REQUIRE(client.command("EHLO client.test").code == 250);
    REQUIRE(client.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n"));
    REQUIRE(client.read_reply().code == 220);
    REQUIRE(client.handshake().ok);
    // Had the injected MAIL been taken, this would be "503 nested MAIL".
    CHECK(client.command("MAIL FROM:<a@b.test>").code == 503);  // EHLO again first
    CHECK(client.command("EHLO client.test").code == 250);
    CHECK(client.command("MAIL FROM:<a@b.test>").code == 250);
}

TEST_CASE("testserver listens on ::1", "[support][testserver]")
{
    TestServer server(with_tls({"--listen", "::1", "--staple", fixture("ocsp/good-issuer.der")}));
    CHECK(server.address() == "[::1]:" + std::to_string(server.port()));
    CHECK(probe(server).leaf_staple == read_file(fixture("ocsp/good-issuer.der")));
}

TEST_CASE("testserver exits 0 on SIGTERM with a connection open", "[support][testserver]")
{
    TestServer server(with_tls());
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(client.read_reply().code == 220);
    CHECK(server.stop() == 0);
    CHECK(client.read_reply().end == Reply::End::eof);
}

TEST_CASE("testserver rejects bad flags with exit 64", "[support][testserver]")
{
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--fault", "nowhere:close"},
          {"--fault", "mail:explode"},
          {"--tls-max", "1.1"},
          {"--staple", "x"},
          {"--bogus"},
          {"--port", "70000"}}) {
        std::vector<std::string> argv{testserver_program().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = run_command(argv);
        CHECK(r.exit_status == 64);
        CHECK(r.err.find("ocspmx-testserver: ") == 0);
    }
}

namespace {

std::size_t open_fds(pid_t pid)
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry :
         fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        ++n;
    }
    return n;
}

void deliver_once(const TestServer& server)
{
    SmtpTestClient client(server.host(), server.port());
    REQUIRE(starttls(client).ok);
    REQUIRE(client.command("EHLO client.test").code == 250);
    REQUIRE(client.command("MAIL FROM:<a@ocspmx.test>").code == 250);
    REQUIRE(client.command("RCPT TO:<b@ocspmx.test>").code == 250);
    REQUIRE(client.command("DATA").code == 354);
    REQUIRE(client.command("Subject: n\r\n\r\nbody\r\n.").code == 250);
    REQUIRE(client.command("QUIT").code == 221);
}

}  // namespace

TEST_CASE("testserver keeps no descriptor per finished connection", "[support][testserver]")
{
    TestServer server(with_tls({"--staple", fixture("ocsp/good-issuer.der")}));
    // The server closes its side just after the client reads 221: wait for
    // the descriptor count to settle rather than for a fixed time.
    auto settled_fds = [&](std::size_t target) {
        std::size_t n = open_fds(server.pid());
        for (int i = 0; i < 200 && n != target; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            n = open_fds(server.pid());
        }
        return n;
    };
    const auto idle = open_fds(server.pid());  // listener, signalfd, record, stdio
    deliver_once(server);
    CHECK(settled_fds(idle) == idle);
    for (int i = 0; i < 50; ++i) deliver_once(server);
    CHECK(settled_fds(idle) == idle);
    CHECK(server.messages().size() == 51);
}

// Hidden ([.]): run with `support-tests "[perf]"` to time the server alone.
TEST_CASE("testserver takes 500 sequential TLS deliveries", "[.][perf]")
{
    TestServer server(with_tls({"--staple", fixture("ocsp/good-issuer.der")}));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 500; ++i) deliver_once(server);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    WARN("500 deliveries: " << ms.count() << " ms");
    CHECK(server.messages().size() == 500);
}
