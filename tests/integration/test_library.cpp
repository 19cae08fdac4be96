// The C++ API (include/ocspmx/transport.hpp) in process, against
// ocspmx-testserver: a rewindable message reader across host fallback, a
// reader error, the transcript hook and --resolve-style pins.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>

#include "live.hpp"
#include "ocspmx/transport.hpp"

using namespace ocspmx::itest;
namespace tr = ocspmx::transport;

namespace {

ocspmx::Config require_config()
{
    ocspmx::Config config;
    config.options.hosts_require_ocsp = "*";
    config.options.tls_verify_certificates = fixture("pki/anchors.pem");
    config.options.helo_data = "client.test";
    return config;
}

// Serves `text` in chunks of 7 bytes; counts rewinds.
struct ChunkedSource {
    std::string text;
    int rewinds = 0;
    bool fail_midway = false;

    tr::MessageSource source()
    {
        tr::MessageSource s;
        s.size = text.size();
        s.rewind = [this]() -> tr::MessageReader {
            ++rewinds;
            auto offset = std::make_shared<std::size_t>(0);
            return [this, offset]() -> ocspmx::Result<std::span<const char>> {
                if (fail_midway && *offset > text.size() / 2) {
                    return ocspmx::make_error("disk read error");
                }
                const std::size_t n = std::min<std::size_t>(7, text.size() - *offset);
                std::span<const char> chunk(text.data() + *offset, n);
                *offset += n;
                return chunk;
            };
        };
        return s;
    }
};

}  // namespace

TEST_CASE("library: a message reader is rewound per transaction, host fallback",
          "[integration][library]")
{
    TestServer bad(stapling_server("1.3", live("revoked.der")));
    TestServer good(stapling_server("1.2", live("good.der")));
    auto transport = tr::Transport::open(require_config());
    REQUIRE(transport.ok());
    ChunkedSource chunks{test_message()};
    const tr::MessageSource source = chunks.source();
    const std::vector<tr::Host> hosts{{"localhost", "127.0.0.1", bad.port()},
                                      {"localhost", "127.0.0.1", good.port()}};
    const auto report = transport->deliver({"a@client.test", {"b@server.test"}}, source, hosts);
    INFO(tr::to_json(report));
    CHECK(report.result == tr::Outcome::delivered);
    REQUIRE(report.attempts.size() == 2);
    CHECK(report.attempts[0].ocsp.status == ocspmx::ocsp::State::failed);
    CHECK(report.attempts[1].ocsp.status == ocspmx::ocsp::State::verified);
    CHECK(chunks.rewinds == 1);  // the revoked host never reached the transaction
    require_no_envelope(bad);
    REQUIRE(good.messages().size() == 1);
    CHECK(good.messages()[0].find(marker) != std::string::npos);
}

TEST_CASE("library: a reader error defers and stores nothing", "[integration][library]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    auto transport = tr::Transport::open(require_config());
    REQUIRE(transport.ok());
    ChunkedSource chunks{test_message(), 0, true};
    const std::vector<tr::Host> hosts{{"localhost", "127.0.0.1", server.port()}};
    const auto report =
        transport->deliver({"a@client.test", {"b@server.test"}}, chunks.source(), hosts);
    INFO(tr::to_json(report));
    CHECK(report.result == tr::Outcome::deferred);
    CHECK(server.messages().empty());
}

TEST_CASE("library: pins, transcript hook, verdict before the second EHLO",
          "[integration][library]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    tr::Environment env;
    env.pins["MX.Example.TEST"] = {"127.0.0.1"};
    std::vector<std::pair<tr::TranscriptKind, std::string>> lines;
    env.transcript = [&](tr::TranscriptKind kind, std::string_view line) {
        lines.emplace_back(kind, std::string(line));
    };
    auto config = require_config();
    config.options.tls_verify_cert_hostnames = std::string();  // the leaf is not mx.example.test
    auto transport = tr::Transport::open(config, std::move(env));
    REQUIRE(transport.ok());
    const std::string message = test_message();
    const std::vector<tr::Host> hosts{{"mx.example.test", "", server.port()}};
    const auto report = transport->deliver({"a@client.test", {"b@server.test"}}, message, hosts);
    INFO(tr::to_json(report));
    CHECK(report.result == tr::Outcome::delivered);
    const auto verdict = std::find_if(lines.begin(), lines.end(), [](const auto& l) {
        return l.first == tr::TranscriptKind::fact && l.second.starts_with("OCSP: verified");
    });
    const auto first_tls_write = std::find_if(lines.begin(), lines.end(), [](const auto& l) {
        return l.first == tr::TranscriptKind::sent_tls;
    });
    REQUIRE(verdict != lines.end());
    REQUIRE(first_tls_write != lines.end());
    CHECK(verdict < first_tls_write);
    CHECK(first_tls_write->second.starts_with("EHLO"));
}

TEST_CASE("library: probe() reports delivered only for a verified staple", "[integration][library]")
{
    // Default lists: a request host passes the policy without a staple, but
    // a probe's result follows `ocspmx probe`'s exit rule (CONTRACT §5).
    ocspmx::Config config;
    config.options.tls_verify_certificates = fixture("pki/anchors.pem");
    config.options.helo_data = "client.test";
    auto transport = tr::Transport::open(config);
    REQUIRE(transport.ok());
    for (const bool staple : {true, false}) {
        INFO("staple " << staple);
        TestServer server(stapling_server("1.3", staple ? live("good.der") : ""));
        const auto report = transport->probe({"localhost", "127.0.0.1", server.port()});
        INFO(tr::to_json(report));
        REQUIRE(report.attempts.size() == 1);
        CHECK(report.attempts[0].ocsp.status ==
              (staple ? ocspmx::ocsp::State::verified : ocspmx::ocsp::State::not_responded));
        CHECK(report.result == (staple ? tr::Outcome::delivered : tr::Outcome::deferred));
        CHECK(report.recipients.empty());
        require_no_envelope(server);
    }
}

TEST_CASE("library: each handshake's staple is judged at the clock's time after it",
          "[integration][library][ocsp]")
{
    // An injected clock that reads 30 days in the past on its first call and
    // the present after: a delivery that starts "early" and reaches its
    // second host later. Both hosts staple good.der (thisUpdate = now): at
    // the early time it is not yet valid, at the second host's time it is.
    // Judged at the delivery's start, both would fail.
    TestServer first(stapling_server("1.3", live("good.der")));
    TestServer second(stapling_server("1.2", live("good.der")));
    std::vector<ocspmx::ocsp::TimePoint> reads;
    tr::Environment env;
    env.clock = [&reads] {
        auto now = std::chrono::system_clock::now();
        if (reads.empty()) now -= std::chrono::hours(24 * 30);
        reads.push_back(now);
        return now;
    };
    auto transport = tr::Transport::open(require_config(), std::move(env));
    REQUIRE(transport.ok());
    const std::string message = test_message();
    const std::vector<tr::Host> hosts{{"localhost", "127.0.0.1", first.port()},
                                      {"localhost", "127.0.0.1", second.port()}};
    const auto report = transport->deliver({"a@client.test", {"b@server.test"}}, message, hosts);
    INFO(tr::to_json(report));
    CHECK(reads.size() == 2);  // once per handshake, none before
    REQUIRE(report.attempts.size() == 2);
    CHECK(report.attempts[0].ocsp.status == ocspmx::ocsp::State::failed);
    CHECK(report.attempts[0].ocsp.reason.find("thisUpdate") != std::string::npos);
    CHECK(report.attempts[1].ocsp.status == ocspmx::ocsp::State::verified);
    CHECK(report.result == tr::Outcome::delivered);
    require_no_envelope(first);
    CHECK(second.messages().size() == 1);
}

TEST_CASE("library: open() errors name the option at fault", "[integration][library]")
{
    auto config = require_config();
    config.options.tls_verify_certificates = "/nonexistent/anchors.pem";
    const auto opened = tr::Transport::open(config);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().message.find("tls_verify_certificates") != std::string::npos);

    auto bad_list = require_config();
    bad_list.options.hosts_require_ocsp = "192.0.2.0/99";
    const auto compiled = tr::Transport::open(bad_list);
    REQUIRE_FALSE(compiled.ok());
    CHECK(compiled.error().message.find("hosts_require_ocsp") != std::string::npos);
}
