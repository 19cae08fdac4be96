// Must-staple (RFC 7633): a leaf carrying the TLS feature extension with
// status_request makes a host we asked for a staple a hosts_require_ocsp
// host, whatever the lists say; a host not asked owes no staple. The test
// makes a twin of pki/leaf.pem (same key, issuer and serial, so the live
// responses speak for it) with the extension added.
#include <catch2/catch_test_macros.hpp>

#include "live.hpp"

using namespace ocspmx::itest;

namespace {

// The must-staple twin of leaf.pem + the intermediate, in DIR/chain.pem.
void make_must_staple_chain(const TempDir& dir)
{
    make_twin_leaf_chain(dir,
                         "basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature, keyEncipherment\n"
                         "extendedKeyUsage = serverAuth\n"
                         "subjectAltName = DNS:localhost, DNS:mx.ocspmx.test, IP:127.0.0.1, IP:::1\n"
                         "tlsfeature = status_request\n");
}

}  // namespace

TEST_CASE("must-staple: the leaf's TLS feature makes the host require OCSP",
          "[integration][ocsp][must-staple]")
{
    TempDir dir("ocspmx-must-staple");
    make_must_staple_chain(dir);
    struct Row {
        const char* staple;
        int status;
        const char* ocsp;
    };
    for (const Row row : {Row{"good.der", 0, "verified"}, Row{"revoked.der", 75, "failed"},
                          Row{"", 75, "not_responded"}}) {
        INFO("staple " << row.staple);
        std::vector<std::string> args{"--cert",    (dir / "chain.pem").string(),
                                      "--key",     fixture("pki/leaf.key"),
                                      "--tls-max", "1.3"};
        if (*row.staple != '\0') args.insert(args.end(), {"--staple", live(row.staple)});
        TestServer server(args);
        // Only requested by the lists (the default hosts_request_ocsp = *).
        const auto r = send_to(server.port(), {"--json"});
        INFO(r.out << r.err);
        CHECK(r.exit_status == row.status);
        CHECK(r.out.find("\"must_staple\": true") != std::string::npos);
        CHECK(r.out.find("\"policy\": \"require\"") != std::string::npos);
        CHECK(r.out.find(std::string("\"status\": \"") + row.ocsp + "\"") != std::string::npos);
        if (row.status != 0) require_no_envelope(server);
    }
}

TEST_CASE("must-staple: a host we did not ask for a staple owes none (RFC 7633 §4.3.3)",
          "[integration][ocsp][must-staple]")
{
    TempDir dir("ocspmx-must-staple");
    make_must_staple_chain(dir);
    // With and without a staple on offer: no status_request went out, so
    // none is read and the host's lists alone decide (here: deliver).
    for (const bool staple : {true, false}) {
        INFO("server staple " << staple);
        std::vector<std::string> args{"--cert", (dir / "chain.pem").string(), "--key",
                                      fixture("pki/leaf.key")};
        if (staple) args.insert(args.end(), {"--staple", live("good.der")});
        TestServer server(args);
        const auto r = send_to(server.port(), {"--json", "--hosts-request-ocsp", ""});
        INFO(r.out << r.err);
        CHECK(r.exit_status == 0);
        CHECK(r.out.find("\"result\": \"delivered\"") != std::string::npos);
        CHECK(r.out.find("\"policy\": \"none\"") != std::string::npos);
        CHECK(r.out.find("\"status\": \"not_requested\"") != std::string::npos);
        CHECK(r.out.find("\"must_staple\": true") != std::string::npos);
        REQUIRE(server.messages().size() == 1);
        CHECK(server.messages()[0].find(marker) != std::string::npos);
    }
}
