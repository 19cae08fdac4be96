// The delivery report: CONTRACT §5 JSON and Exim-style log lines.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "ocspmx/transport.hpp"

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

