// EximServer: a real Exim 4.96 receiving over STARTTLS with a staple from
// tls_ocsp_file, started and stopped by the test.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "harness.hpp"
#include "smtp_client.hpp"

using namespace ocspmx::test;

namespace {

// Fresh responses (dated now): Exim + GnuTLS refuses to staple expired ones,
// and the checked-in fixtures are pinned to 2026-06-01.
std::string live_bytes(const std::string& name) { return read_file(live_responses() / name); }

EximOptions stapling(const std::string& response)
{
    EximOptions options;
    options.cert = fixture("pki/leaf-chain.pem");
    options.key = fixture("pki/leaf.key");
    options.ocsp_file = (live_responses() / response).string();
    return options;
}

TlsResult probe(const EximServer& exim, const std::string& tls_max = "")
{
    SmtpTestClient client("127.0.0.1", exim.port());
    REQUIRE(client.read_reply().code == 220);
    REQUIRE(client.command("EHLO client.test").code == 250);
    const auto go = client.command("STARTTLS");
    if (go.code != 220) return TlsResult{false, "STARTTLS: " + go.text, "", {}, {}};
    return client.handshake(tls_max);
}

#define SKIP_WITHOUT_EXIM() \
    if (const auto why = exim_unavailable()) SKIP(*why)

bool alive(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("EximServer receives over STARTTLS with a staple, then stops cleanly", "[support][exim]")
{
    SKIP_WITHOUT_EXIM();
    pid_t pid = -1;
    {
        EximServer exim(stapling("good.der"));
        pid = exim.pid();
        REQUIRE(alive(pid));

        // An independent client sees the staple.
        const auto r = run_command({"openssl", "s_client", "-status", "-connect", exim.address(),
                                    "-starttls", "smtp", "-servername", "localhost"},
                                   std::string());
        INFO(r.out);
        CHECK(r.out.find("OCSP Response Status: successful") != std::string::npos);
        CHECK(r.out.find("Cert Status: good") != std::string::npos);

        // Exim staples the file's bytes unchanged, under both versions.
        for (const std::string tls : {"1.2", "1.3"}) {
            const auto result = probe(exim, tls);
            REQUIRE(result.ok);
            CHECK(result.version == "TLS" + tls);
            CHECK(result.leaf_staple == live_bytes("good.der"));
        }

        TempDir dir;
        const std::string message =
            "From: sender@ocspmx.test\r\nTo: rcpt@ocspmx.test\r\nSubject: via exim\r\n\r\n"
            ".dot first\r\nlast line\r\n";
        write_file(dir / "msg", message.substr(0, message.size() - 2));
        const auto sent = run_command({"swaks", "--server", exim.address(), "--tls", "--from",
                                       "sender@ocspmx.test", "--to", "rcpt@ocspmx.test", "--helo",
                                       "client.test", "--data", "@" + (dir / "msg").string()});
        INFO(sent.out << sent.err);
        REQUIRE(sent.exit_status == 0);
        REQUIRE(exim.wait_for_messages(1));
        const auto messages = exim.messages();
        REQUIRE(messages.size() == 1);
        CHECK(messages[0] == to_lf(message));  // Exim stores LF line ends, nothing added
        CHECK(exim.mainlog().find("<= sender@ocspmx.test") != std::string::npos);
        CHECK(exim.mainlog().find("X=TLS1.3") != std::string::npos);
        CHECK(exim.paniclog().empty());

        CHECK(exim.stop());
        CHECK_FALSE(alive(pid));
    }
    CHECK_FALSE(alive(pid));
}

TEST_CASE("EximServer rejects and defers recipients by local part", "[support][exim]")
{
    SKIP_WITHOUT_EXIM();
    EximServer exim;  // no TLS at all
    SmtpTestClient client("127.0.0.1", exim.port());
    REQUIRE(client.read_reply().code == 220);
    const auto ehlo = client.command("EHLO client.test");
    CHECK(ehlo.text.find("STARTTLS") == std::string::npos);
    CHECK(client.command("MAIL FROM:<a@ocspmx.test>").code == 250);
    CHECK(client.command("RCPT TO:<reject-me@ocspmx.test>").code == 550);
    CHECK(client.command("RCPT TO:<defer-me@ocspmx.test>").code == 451);
    CHECK(client.command("RCPT TO:<ok@ocspmx.test>").code == 250);
    CHECK(client.command("DATA").code == 354);
    CHECK(client.command("Subject: plain\r\n\r\nhello\r\n.").code == 250);
    CHECK(client.command("QUIT").code == 221);
    CHECK(exim.wait_for_messages(1));
}

TEST_CASE("EximServer: the staple file is read per connection; GnuTLS vets it", "[support][exim]")
{
    SKIP_WITHOUT_EXIM();
    EximServer exim(stapling("good.der"));
    CHECK(probe(exim).leaf_staple == live_bytes("good.der"));

    // Swapped between connections: the next connection sees the new file.
    exim.set_staple(live_bytes("unknown.der"));
    CHECK(probe(exim).leaf_staple == live_bytes("unknown.der"));
    exim.set_staple(std::nullopt);
    const auto none = probe(exim);
    CHECK(none.ok);
    CHECK_FALSE(none.leaf_staple);

    // Responses GnuTLS will not load make Exim refuse STARTTLS outright
    // (454), rather than handshake without a staple.
    for (const std::string name :
         {"revoked.der", "expired.der", "try-later.der", "wrong-serial.der"}) {
        CAPTURE(name);
        exim.set_staple(live_bytes(name));
        const auto refused = probe(exim);
        CHECK_FALSE(refused.ok);
        CHECK(refused.error.rfind("STARTTLS: 454", 0) == 0);
    }
    CHECK(exim.mainlog().find("gnutls_certificate_set_ocsp_status_request_file2") !=
          std::string::npos);

    exim.set_staple(live_bytes("good.der"));
    CHECK(probe(exim).leaf_staple == live_bytes("good.der"));
}

TEST_CASE("EximServer: GnuTLS matches a staple file to the chain certificate it is for",
          "[support][exim]")
{
    SKIP_WITHOUT_EXIM();
    EximServer exim(stapling("intermediate-good.der"));
    // No signature check at load: only serial/issuer, status and dates.
    const auto tls13 = probe(exim, "1.3");
    REQUIRE(tls13.ok);
    CHECK_FALSE(tls13.leaf_staple);
    CHECK(tls13.intermediate_staple == live_bytes("intermediate-good.der"));
    // Both staples, as a PEM bundle.
    exim.set_staples(live_bytes("good.der"), live_bytes("intermediate-good.der"));
    const auto both = probe(exim, "1.3");
    CHECK(both.leaf_staple == live_bytes("good.der"));
    CHECK(both.intermediate_staple == live_bytes("intermediate-good.der"));
    CHECK(probe(exim, "1.2").leaf_staple == live_bytes("good.der"));

    for (const std::string name : {"root-signed.der", "delegated-good.der", "future.der"}) {
        CAPTURE(name);
        exim.set_staple(live_bytes(name));
        CHECK(probe(exim).leaf_staple == live_bytes(name));
    }
}

TEST_CASE("EximServer: a static tls_ocsp_file is preloaded by the daemon", "[support][exim]")
{
    SKIP_WITHOUT_EXIM();
    auto options = stapling("good.der");
    options.per_connection_ocsp = false;
    EximServer exim(options);
    CHECK(probe(exim).leaf_staple == live_bytes("good.der"));
    // Exim 4.96 holds the credentials it loaded at start: a new file is not
    // seen by the next connection (only after inotify plus a delay).
    exim.set_staple(live_bytes("unknown.der"));
    CHECK(probe(exim).leaf_staple == live_bytes("good.der"));
}

// Hidden ([.]): how long a preloaded staple takes to be replaced.
TEST_CASE("EximServer: a preloaded staple is reloaded after a change", "[.][exim-reload]")
{
    SKIP_WITHOUT_EXIM();
    auto options = stapling("good.der");
    options.per_connection_ocsp = false;
    EximServer exim(options);
    exim.set_staple(live_bytes("unknown.der"));
    const auto start = std::chrono::steady_clock::now();
    while (probe(exim).leaf_staple != live_bytes("unknown.der")) {
        REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    WARN("reloaded after " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count()
                           << " ms");
}
