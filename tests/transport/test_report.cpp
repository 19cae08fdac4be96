// The delivery report: CONTRACT §5 JSON and Exim-style log lines.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "ocspmx/transport.hpp"
#include "tls/session.hpp"

using namespace ocspmx::transport;
using Catch::Matchers::ContainsSubstring;
using ocspmx::ocsp::State;

namespace {

Attempt tls_attempt()
{
    Attempt a;
    a.host = "mx.example";
    a.address = "192.0.2.1";
    a.port = 25;
    a.tls.active = true;
    a.tls.version = "TLS1.3";
    a.tls.cipher = "TLS_AES_256_GCM_SHA384:256";
    a.tls.cert_verified = true;
    a.ocsp.policy = OcspPolicy::require;
    a.ocsp.status = State::verified;
    a.outcome = Outcome::delivered;
    a.detail = "250 OK id=1";
    return a;
}

}  // namespace

TEST_CASE("report: JSON has the CONTRACT §5 fields", "[report]")
{
    DeliveryReport r;
    r.result = Outcome::delivered;
    r.attempts.push_back(tls_attempt());
    r.recipients.push_back({"a@example", Outcome::delivered, "250 OK id=1"});
    CHECK(to_json(r) ==
          R"({"result": "delivered", "attempts": [{"host": "mx.example", "address": "192.0.2.1", )"
          R"("port": 25, "tls": {"version": "TLS1.3", "cipher": "TLS_AES_256_GCM_SHA384:256", )"
          R"("cert_verified": true, "verify_error": null}, "ocsp": {"policy": "require", )"
          R"("status": "verified", "reason": null, "must_staple": false}, "outcome": "delivered", )"
          R"("detail": "250 OK id=1"}], "recipients": [{"address": "a@example", )"
          R"("outcome": "delivered", "smtp": "250 OK id=1"}]})");
}

TEST_CASE("report: no TLS gives null version and cipher; hostile text is escaped", "[report]")
{
    DeliveryReport r;
    r.result = Outcome::deferred;
    Attempt a;
    a.host = "h";
    a.address = "::1";
    a.port = 2525;
    a.ocsp.policy = OcspPolicy::require;
    a.ocsp.status = State::not_requested;
    a.detail = "STARTTLS refused: 454 \"no\"\r\nMAIL FROM:<x>";
    r.attempts.push_back(a);
    const std::string json = to_json(r);
    CHECK_THAT(json, ContainsSubstring(
                         R"("tls": {"version": null, "cipher": null, "cert_verified": false)"));
    CHECK_THAT(json, ContainsSubstring(R"(454 \"no\"\r\nMAIL FROM:<x>)"));
    CHECK(json.find('\n') == std::string::npos);
}

TEST_CASE("report: Exim-style log lines", "[report]")
{
    CHECK(log_line(tls_attempt()) ==
          "delivered H=mx.example [192.0.2.1]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes "
          "OCSP=verified: 250 OK id=1");
    Attempt a = tls_attempt();
    a.outcome = Outcome::deferred;
    a.tls.cert_verified = false;
    a.ocsp.status = State::failed;
    a.ocsp.reason = "revoked";
    a.detail = "OCSP failed: revoked\nforged line";
    CHECK(log_line(a) ==
          "deferred H=mx.example [192.0.2.1]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no "
          "OCSP=failed: revoked?forged line");  // the state once
    a.detail = "connection lost";
    CHECK(log_line(a) ==
          "deferred H=mx.example [192.0.2.1]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no "
          "OCSP=failed (revoked): connection lost");
    // With the session's Exim-form cipher known, X= is written Exim's way.
    a.tls.exim_cipher = "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256";
    CHECK(log_line(a).starts_with(
        "deferred H=mx.example [192.0.2.1]:25 "
        "X=TLS1.3:ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no OCSP=failed"));
    Attempt literal;
    literal.host = "127.0.0.1";
    literal.address = "127.0.0.1";
    literal.port = 2525;
    literal.outcome = Outcome::deferred;
    literal.detail = "connect to 127.0.0.1:2525: Connection refused";
    CHECK(log_line(literal) ==
          "deferred H=[127.0.0.1]:2525 OCSP=not_requested: connect to "
          "127.0.0.1:2525: Connection refused");
}

TEST_CASE("report: gnutls_session_get_desc text in Exim's X= form", "[report]")
{
    using ocspmx::tls::exim_cipher_name;
    // What Exim 4.96 with GnuTLS 3.7 logged for these sessions.
    CHECK(exim_cipher_name("(TLS1.3)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)", 256) ==
          "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256");
    CHECK(exim_cipher_name("(TLS1.2)-(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-128-GCM)", 128) ==
          "ECDHE_SECP256R1__RSA_SHA256__AES_128_GCM:128");
    CHECK(exim_cipher_name("(TLS1.3)-(ECDHE-X25519)-(ECDSA-SECP256R1-SHA256)-(CHACHA20-POLY1305)",
                           256) == "ECDHE_X25519__ECDSA_SECP256R1_SHA256__CHACHA20_POLY1305:256");
    for (const char* bad : {"", "(TLS1.3)", "TLS1.3-(AES)", "(TLS1.3)-(AES", "(TLS1.3)(AES)"}) {
        INFO(bad);
        CHECK(exim_cipher_name(bad, 256).empty());
    }
}
