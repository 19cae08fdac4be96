// End to end with two real Exim 4.96 daemons: a sending Exim whose router
// hands mail for the test domain to `ocspmx send` through the README's pipe
// transport (examples/exim/ocspmx-router-transport.conf), and a receiving
// Exim stapling from tls_ocsp_file (tests/support's EximServer).
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <regex>
#include <string>

#include "harness.hpp"
#include "sending_exim.hpp"

namespace {

using namespace ocspmx::test;
using ocspmx::mta_test::SendingExim;
using ocspmx::mta_test::SendingOptions;

// The recipient domain is a name on the receiver's certificate
// (tests/fixtures/README.md: mx.ocspmx.test), so the name check passes as in
// production, where the MX target is checked.
constexpr const char* kDomain = "mx.ocspmx.test";

std::string env_path(const char* name)
{
    const char* value = std::getenv(name);
    REQUIRE(value != nullptr);
    return value;
}

std::string message(const std::string& subject, const std::string& id)
{
    return "From: Alice <alice@example.org>\r\n"
           "To: Bob <bob@mx.ocspmx.test>\r\n"
           "Subject: " +
           subject +
           "\r\n"
           "Date: Thu, 03 Dec 2026 12:00:00 +0000\r\n"
           "Message-ID: <" +
           id +
           "@example.org>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\n"
           "\r\n"
           "Hello Bob,\r\n"
           "\r\n"
           ".a line that starts with a dot (dot-stuffed twice on the way)\r\n"
           "From a line that mbox would escape.\r\n"
           "-- \r\n"
           "Alice\r\n";
}

void submit(const SendingExim& sender, std::string text)
{
    // swaks ends DATA with "\r\n.\r\n" after the data it is given (and
    // dot-stuffs): without this, the message would gain an empty last line.
    if (text.ends_with("\r\n")) text.resize(text.size() - 2);
    const auto r = run_command({"swaks", "--server", "127.0.0.1:" + std::to_string(sender.port()),
                                "--from", "alice@example.org", "--to",
                                std::string("bob@") + kDomain, "--data", "-", "--silent", "2"},
                               text, 60s);
    INFO(r.out << r.err);
    REQUIRE(r.exit_status == 0);
}

// What the receiver stored, minus the Received: header the sending Exim
// added (the receiver adds none: tests/support's received_header_text).
std::string without_received(std::string stored)
{
    static const std::regex received("^Received: [^\n]*\n([ \t][^\n]*\n)*");
    return std::regex_replace(stored, received, "", std::regex_constants::format_first_only);
}

std::size_t count(const std::string& haystack, const std::string& needle)
{
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

// The mainlog lines that mention text.
std::string lines_with(const std::string& log, const std::string& text)
{
    std::string out;
    std::size_t start = 0;
    while (start < log.size()) {
        auto end = log.find('\n', start);
        if (end == std::string::npos) end = log.size();
        const std::string line = log.substr(start, end - start);
        if (line.find(text) != std::string::npos) out += line + "\n";
        start = end + 1;
    }
    return out;
}

// A live response's bytes (harness live_responses()).
std::string live_bytes(const std::string& name) { return read_file(live_responses() / name); }

// The sending Exim: mail for kDomain goes through ocspmx (the example
// router and transport) to 127.0.0.1:PORT, OCSP required.
SendingOptions through_ocspmx(std::uint16_t port)
{
    SendingOptions sending;
    sending.ocspmx_program = env_path("OCSPMX_PROGRAM");
    sending.fragment = source_root() / "examples" / "exim" / "ocspmx-router-transport.conf";
    sending.domain = kDomain;
    sending.next_hop_port = port;
    sending.ocspmx_config = "hosts_require_ocsp = *\n";
    return sending;
}

// The receiving Exim: the fixture leaf chain, stapling live good.der.
EximOptions stapling_receiver()
{
    EximOptions options;
    options.cert = fixture("pki/leaf-chain.pem");
    options.key = fixture("pki/leaf.key");
    options.ocsp_file = (live_responses() / "good.der").string();
    return options;
}

}  // namespace

TEST_CASE("two Exims: ocspmx as the pipe transport enforces the receiver's staple",
          "[mta][exim][integration]")
{
    if (const auto why = exim_unavailable()) SKIP(*why);
    const EximOptions receiving = stapling_receiver();
    EximServer receiver(receiving);

    SendingOptions sending = through_ocspmx(receiver.port());
    SendingExim sender(sending);
    const std::string rcpt = std::string("bob@") + kDomain;

    // 1. Good staple: delivered at once, intact, and the sender's queue empties.
    const std::string first = message("good staple", "first");
    submit(sender, first);
    {
        INFO("sender mainlog:\n"
             << sender.mainlog() << sender.paniclog() << "receiver mainlog:\n"
             << receiver.mainlog());
        REQUIRE(receiver.wait_for_messages(1, 30s));
        CHECK(without_received(receiver.messages()[0]) == to_lf(first));
        CHECK(sender.wait_for_log("<" + rcpt + "> R=ocspmx T=ocspmx_pipe"));
        CHECK(sender.wait_for_empty_queue());
        CHECK(sender.queue().empty());
        CHECK(receiver.mainlog().find("X=TLS") != std::string::npos);
    }

    // 2. Revoked staple: the message stays queued, the log gives the reason,
    //    the receiver gets nothing.
    receiver.set_staple(live_bytes("revoked.der"));
    const std::string second = message("revoked then tryLater then good", "second");
    submit(sender, second);
    REQUIRE(sender.wait_for_log("== " + rcpt + " R=ocspmx T=ocspmx_pipe defer"));
    const std::string revoked_log = lines_with(sender.mainlog(), "ocspmx_pipe transport output");
    UNSCOPED_INFO("revoked staple, the sender's log:\n" << revoked_log);
    CHECK(sender.queue().find(rcpt) != std::string::npos);
    CHECK(receiver.messages().size() == 1);

    // 3. tryLater staple: a forced queue run defers again.
    receiver.set_staple(live_bytes("try-later.der"));
    const auto run_try_later = sender.force_queue_run();
    CHECK(run_try_later.exit_status == 0);
    const std::string log_after_try_later = sender.mainlog();
    CHECK(count(log_after_try_later, "== " + rcpt + " R=ocspmx T=ocspmx_pipe defer") == 2);
    const std::string try_later_log =
        lines_with(log_after_try_later, "ocspmx_pipe transport output").substr(revoked_log.size());
    UNSCOPED_INFO("tryLater staple, the sender's log:\n" << try_later_log);
    CHECK(sender.queue().find(rcpt) != std::string::npos);
    CHECK(receiver.messages().size() == 1);

    // What Exim 4.96 + GnuTLS 3.7.9 do with these files: GnuTLS refuses to
    // load a revoked ("The session or certificate has expired") or a
    // tryLater ("doesn't match the available certificates") response, and
    // Exim then answers STARTTLS with 454 instead of handshaking without a
    // staple. ocspmx never sees the staple: a require host without TLS is a
    // deferral (OCSP=not_requested, "STARTTLS refused: 454 ..."). Should a
    // receiver staple them after all, ocspmx's own verdict must fail.
    for (const auto* log : {&revoked_log, &try_later_log}) {
        CHECK(log->find("deferred H=" + std::string(kDomain)) != std::string::npos);
        const bool refused_tls = log->find("STARTTLS refused: 454") != std::string::npos;
        const bool failed_staple = log->find("OCSP=failed") != std::string::npos;
        CHECK((refused_tls || failed_staple));
        CHECK(log->find("OCSP=") != std::string::npos);
    }
    CHECK(receiver.mainlog().find("second@example.org") == std::string::npos);

    // 3b. A status-unknown staple, which GnuTLS does staple: the verdict is
    //     ocspmx's own, and its reason is in the sender's log.
    receiver.set_staple(live_bytes("unknown.der"));
    const auto run_unknown = sender.force_queue_run();
    CHECK(run_unknown.exit_status == 0);
    const std::string log_after_unknown = sender.mainlog();
    CHECK(count(log_after_unknown, "== " + rcpt + " R=ocspmx T=ocspmx_pipe defer") == 3);
    const std::string unknown_log = lines_with(log_after_unknown, "ocspmx_pipe transport output")
                                        .substr(revoked_log.size() + try_later_log.size());
    UNSCOPED_INFO("unknown staple, the sender's log:\n" << unknown_log);
    CHECK(unknown_log.find("OCSP=failed") != std::string::npos);
    CHECK(unknown_log.find("unknown") != std::string::npos);
    CHECK(sender.queue().find(rcpt) != std::string::npos);
    CHECK(receiver.messages().size() == 1);
    // Not one byte of the envelope reached the receiver on those connections.
    CHECK(receiver.mainlog().find("second@example.org") == std::string::npos);

    // 3c. No staple at all (an empty tls_ocsp_file): TLS comes up, the
    //     state is not_responded, and a require host still defers.
    receiver.set_staple(std::nullopt);
    const auto run_none = sender.force_queue_run();
    CHECK(run_none.exit_status == 0);
    const std::string log_after_none = sender.mainlog();
    CHECK(count(log_after_none, "== " + rcpt + " R=ocspmx T=ocspmx_pipe defer") == 4);
    const std::string none_log =
        lines_with(log_after_none, "ocspmx_pipe transport output")
            .substr(revoked_log.size() + try_later_log.size() + unknown_log.size());
    UNSCOPED_INFO("no staple, the sender's log:\n" << none_log);
    CHECK(none_log.find("OCSP=not_responded") != std::string::npos);
    CHECK(none_log.find("X=TLS") != std::string::npos);
    CHECK(sender.queue().find(rcpt) != std::string::npos);
    CHECK(receiver.messages().size() == 1);

    // 4. Good staple again and a queue run: delivered exactly once.
    receiver.set_staple(live_bytes("good.der"));
    const auto run_good = sender.force_queue_run();
    CHECK(run_good.exit_status == 0);
    INFO("sender mainlog:\n" << sender.mainlog() << "receiver mainlog:\n" << receiver.mainlog());
    REQUIRE(receiver.wait_for_messages(2, 30s));
    CHECK(sender.wait_for_empty_queue());
    const auto messages = receiver.messages();
    CHECK(messages.size() == 2);
    std::size_t copies = 0;
    for (const auto& m : messages) {
        if (m.find("Message-ID: <second@example.org>") != std::string::npos) {
            ++copies;
            CHECK(without_received(m) == to_lf(second));
        }
    }
    CHECK(copies == 1);
    CHECK(count(sender.mainlog(), "<" + rcpt + "> R=ocspmx T=ocspmx_pipe") == 2);
    CHECK(sender.paniclog().empty());
}

TEST_CASE("two Exims: a 5xx bounces with ocspmx's explanation, sent back with MAIL FROM:<>",
          "[mta][exim][integration]")
{
    if (const auto why = exim_unavailable()) SKIP(*why);
    const EximOptions receiving = stapling_receiver();
    EximServer receiver(receiving);  // its ACL denies local parts ^reject with 550 5.1.1

    SendingOptions sending = through_ocspmx(receiver.port());
    SendingExim sender(sending);

    // The sender is in the ocspmx domain too, so the bounce leaves through
    // ocspmx as well: Exim's SENDER is empty, ocspmx sends MAIL FROM:<>.
    const std::string from = std::string("alice@") + kDomain;
    const std::string to = std::string("reject-me@") + kDomain;
    const auto r =
        run_command({"swaks", "--server", "127.0.0.1:" + std::to_string(sender.port()), "--from",
                     from, "--to", to, "--header", "Subject: to be bounced", "--silent", "2"},
                    std::nullopt, 60s);
    REQUIRE(r.exit_status == 0);

    INFO("sender mainlog:\n"
         << sender.mainlog() << sender.paniclog() << "receiver mainlog:\n"
         << receiver.mainlog());
    // 69 is not in temp_errors: the address fails at once, no retry.
    CHECK(sender.wait_for_log("** " + to + " R=ocspmx T=ocspmx_pipe"));
    CHECK(sender.mainlog().find("returned 69") != std::string::npos);
    REQUIRE(receiver.wait_for_messages(1, 30s));
    CHECK(sender.wait_for_empty_queue());
    const std::string bounce = receiver.messages()[0];
    // return_fail_output: ocspmx's output, with the receiver's reply, is in the bounce.
    CHECK(bounce.find("550 5.1.1 User unknown") != std::string::npos);
    CHECK(bounce.find("Subject: to be bounced") != std::string::npos);
    CHECK(receiver.mainlog().find("<= <> ") != std::string::npos);
    CHECK(receiver.mainlog().find("for " + from) != std::string::npos);
}

TEST_CASE("two Exims: a stalling next hop ends in ocspmx's time budget, a deferral",
          "[mta][exim][integration]")
{
    if (const auto why = exim_unavailable()) SKIP(*why);
    // Accepts the connection and never greets: only the time budget ends it
    // (connect/command timeouts are 5m, the pipe transport's timeout 20m).
    TestServer stalling({"--fault", "greeting:stall"});

    SendingOptions sending = through_ocspmx(stalling.port());
    sending.macros = "OCSPMX_TIME_BUDGET = 2s\n";
    SendingExim sender(sending);
    const std::string rcpt = std::string("bob@") + kDomain;

    const auto started = std::chrono::steady_clock::now();
    submit(sender, message("stalled", "stalled"));
    INFO("sender mainlog:\n" << sender.mainlog() << sender.paniclog());
    REQUIRE(sender.wait_for_log("== " + rcpt + " R=ocspmx T=ocspmx_pipe defer", 30s));
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(took < 20s);
    CHECK(sender.mainlog().find("returned 75") != std::string::npos);
    CHECK(sender.mainlog().find("time budget") != std::string::npos);
    CHECK(sender.queue().find(rcpt) != std::string::npos);
    CHECK(stalling.messages().empty());
}
