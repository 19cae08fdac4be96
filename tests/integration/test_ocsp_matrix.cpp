// Every live fixture response × TLS 1.2 / 1.3 × host in hosts_require_ocsp /
// only in hosts_request_ocsp (plus no staple): the OCSP state, the result,
// the exit status, and — for every deferral — that the server received no
// envelope and no message data (CONTRACT §4, §5).
#include <catch2/catch_test_macros.hpp>

#include "live.hpp"

using namespace ocspmx::itest;

namespace {

struct Row {
    const char* staple;               // live response for the leaf; "" = none
    const char* intermediate_staple;  // live response for the intermediate (TLS 1.3 only)
    bool ec;                          // the server presents ec-leaf-chain.pem
    const char* status_12;            // OCSP state under TLS 1.2
    const char* status_13;            // under TLS 1.3
};

const Row rows[] = {
    {"good.der", "", false, "verified", "verified"},
    {"delegated-good.der", "", false, "verified", "verified"},
    {"ec-good.der", "", true, "verified", "verified"},
    {"revoked.der", "", false, "failed", "failed"},
    {"unknown.der", "", false, "failed", "failed"},
    {"try-later.der", "", false, "failed", "failed"},
    {"expired.der", "", false, "failed", "failed"},
    {"future.der", "", false, "failed", "failed"},
    {"wrong-serial.der", "", false, "failed", "failed"},
    {"root-signed.der", "", false, "failed", "failed"},
    {"intermediate-good.der", "", false, "failed", "failed"},  // speaks for another cert
    {"", "", false, "not_responded", "not_responded"},
    // TLS 1.3 staples for the intermediate (RFC 8446 §4.4.2.1); TLS 1.2 has none.
    {"good.der", "intermediate-good.der", false, "verified", "verified"},
    {"good.der", "intermediate-revoked.der", false, "verified", "failed"},
};

std::vector<std::string> server_args(const Row& row, const std::string& tls_max)
{
    std::vector<std::string> args{
        "--cert",    fixture(row.ec ? "pki/ec-leaf-chain.pem" : "pki/leaf-chain.pem"),
        "--key",     fixture(row.ec ? "pki/ec-leaf.key" : "pki/leaf.key"),
        "--tls-max", tls_max};
    if (*row.staple != '\0') {
        args.push_back("--staple");
        args.push_back(live(row.staple));
    }
    if (*row.intermediate_staple != '\0') {
        args.push_back("--staple-intermediate");
        args.push_back(live(row.intermediate_staple));
    }
    return args;
}

}  // namespace

TEST_CASE("OCSP matrix: fixtures x TLS version x require/request", "[integration][ocsp]")
{
    for (const Row& row : rows) {
        for (const std::string tls_max : {"1.2", "1.3"}) {
            for (const bool require : {true, false}) {
                const std::string status = tls_max == "1.2" ? row.status_12 : row.status_13;
                INFO("staple=" << (*row.staple ? row.staple : "(none)")
                               << " intermediate=" << row.intermediate_staple << " TLS" << tls_max
                               << (require ? " hosts_require_ocsp" : " hosts_request_ocsp only"));
                TestServer server(server_args(row, tls_max));
                std::vector<std::string> policy{"--json"};
                if (require) {
                    policy.insert(policy.end(), {"--hosts-require-ocsp", "*"});
                } else {
                    policy.insert(policy.end(), {"--hosts-request-ocsp", "*"});
                }
                const auto r = send_to(server.port(), policy);
                INFO("stdout: " << r.out << "\nstderr: " << r.err);
                CHECK(r.out.find("\"status\": \"" + status + "\"") != std::string::npos);
                CHECK(r.out.find("\"version\": \"TLS" + tls_max + "\"") != std::string::npos);
                const bool delivers = status == "verified" || !require;
                if (delivers) {
                    CHECK(r.exit_status == 0);
                    CHECK(r.out.find("\"result\": \"delivered\"") != std::string::npos);
                    REQUIRE(server.messages().size() == 1);
                    CHECK(server.messages()[0].find(marker) != std::string::npos);
                } else {
                    CHECK(r.exit_status == 75);
                    CHECK(r.out.find("\"result\": \"deferred\"") != std::string::npos);
                    require_no_envelope(server);
                    // Nothing at all was written inside TLS: not even EHLO.
                    CHECK(server.received_in_tls().empty());
                }
            }
        }
    }
}

TEST_CASE("OCSP: not requested when the host is in neither OCSP list", "[integration][ocsp]")
{
    TestServer server(stapling_server("1.3", live("revoked.der")));
    const auto r = send_to(server.port(), {"--json", "--hosts-request-ocsp", ""});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 0);
    CHECK(r.out.find("\"status\": \"not_requested\"") != std::string::npos);
    CHECK(server.messages().size() == 1);
}

TEST_CASE("OCSP: a bad staple for a request host in tls_verify_hosts defers", "[integration][ocsp]")
{
    TestServer server(stapling_server("1.3", live("revoked.der")));
    const auto r = send_to(server.port(), {"--json", "--tls-verify-hosts", "*"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 75);
    require_no_envelope(server);
}

TEST_CASE("OCSP: no staple for a request host in tls_verify_hosts is recorded, not fatal",
          "[integration][ocsp]")
{
    // CONTRACT §2: only a *bad* staple is fatal for such a host; not_responded
    // is recorded and the delivery goes on, without an alert.
    for (const std::string tls_max : {"1.2", "1.3"}) {
        INFO("TLS" << tls_max);
        TestServer server(stapling_server(tls_max, ""));
        const auto r =
            send_to(server.port(), {"--json", "--transcript", "--tls-verify-hosts", "*"});
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exit_status == 0);
        CHECK(r.out.find("\"result\": \"delivered\"") != std::string::npos);
        CHECK(r.out.find("\"status\": \"not_responded\"") != std::string::npos);
        CHECK(r.out.find("\"cert_verified\": true") != std::string::npos);
        CHECK(r.err.find("Sent TLS alert") == std::string::npos);
        CHECK(r.err.find("bad_certificate_status_response") == std::string::npos);
        REQUIRE(server.messages().size() == 1);
        CHECK(server.messages()[0].find(marker) != std::string::npos);
    }
}

TEST_CASE("OCSP: the chain must verify (rule 1) even with a good staple", "[integration][ocsp]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    // Anchors that did not issue the server's chain.
    const auto r = run_command(
        {ocspmx_program().string(), "send", "--host", "127.0.0.1:" + std::to_string(server.port()),
         "--tls-verify-certificates", fixture("pki/foreign-ca.pem"), "--hosts-require-ocsp", "*",
         "--from", "a@client.test", "--to", "b@server.test", "--json"},
        test_message());
    INFO(r.out << r.err);
    CHECK(r.exit_status == 75);
    CHECK(r.out.find("\"cert_verified\": false") != std::string::npos);
    CHECK(r.out.find("\"status\": \"failed\"") != std::string::npos);
    require_no_envelope(server);
}

TEST_CASE("OCSP: a leaf not meant for TLS servers (EKU clientAuth only) does not verify",
          "[integration][ocsp][tls]")
{
    // A twin of pki/leaf.pem (same key, issuer and serial, so good.der speaks
    // for it) whose EKU excludes serverAuth (RFC 5280 §4.2.1.12).
    TempDir dir("ocspmx-eku");
    make_twin_leaf_chain(dir,
                         "basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature, keyEncipherment\n"
                         "extendedKeyUsage = clientAuth\n"
                         "subjectAltName = DNS:localhost, DNS:mx.ocspmx.test, IP:127.0.0.1, IP:::1\n");

    struct Row {
        std::string chain;
        int status;
        const char* cv;
    };
    for (const Row& row : {Row{(dir / "chain.pem").string(), 75, "CV=no"},
                           Row{fixture("pki/leaf-chain.pem"), 0, "CV=yes"}}) {
        INFO(row.chain);
        TestServer server(
            {"--cert", row.chain, "--key", fixture("pki/leaf.key"), "--staple", live("good.der")});
        const auto r = send_to(server.port(), {"--json", "--hosts-require-ocsp", "*"});
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exit_status == row.status);
        CHECK(r.err.find(row.cv) != std::string::npos);
        if (row.status != 0) {
            CHECK(r.out.find("\"cert_verified\": false") != std::string::npos);
            CHECK(r.out.find("purpose") != std::string::npos);
            require_no_envelope(server);
        } else {
            CHECK(server.messages().size() == 1);
        }
    }
}
