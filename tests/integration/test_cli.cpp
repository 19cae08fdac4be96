// `ocspmx send` / `ocspmx probe` end to end: host order and fallback,
// --domain with --resolve, --transcript, --json, sysexits exit statuses.
#include <catch2/catch_test_macros.hpp>

#include "live.hpp"

using namespace ocspmx::itest;

namespace {

std::vector<std::string> base(const std::string& command)
{
    return {ocspmx_program().string(), command, "--tls-verify-certificates",
            fixture("pki/anchors.pem")};
}

CommandResult run(std::vector<std::string> argv, const std::vector<std::string>& more)
{
    argv.insert(argv.end(), more.begin(), more.end());
    return run_command(argv, test_message(), std::chrono::seconds(30));
}

}  // namespace

TEST_CASE("send: a require host that fails defers to the next host", "[integration][cli]")
{
    TestServer bad(stapling_server("1.3", live("revoked.der")));
    TestServer good(stapling_server("1.2", live("good.der")));
    const auto r = run(base("send"), {"--hosts-require-ocsp", "*", "--host",
                                      "127.0.0.1:" + std::to_string(bad.port()), "--host",
                                      "127.0.0.1:" + std::to_string(good.port()), "--from",
                                      "a@client.test", "--to", "b@server.test", "--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 0);
    require_no_envelope(bad);
    CHECK(good.messages().size() == 1);
    // One log line per attempt on stderr, Exim style.
    CHECK(r.err.find("deferred H=[127.0.0.1]:" + std::to_string(bad.port())) != std::string::npos);
    CHECK(r.err.find("OCSP=failed") != std::string::npos);
    CHECK(r.err.find("delivered H=[127.0.0.1]:" + std::to_string(good.port()) + " X=TLS1.2:") !=
          std::string::npos);
}

TEST_CASE("send: --domain with --resolve, transcript prefixes", "[integration][cli]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    const auto r =
        run(base("send"), {"--hosts-require-ocsp", "*", "--domain", "mx.ocspmx.test", "--resolve",
                           "mx.ocspmx.test:127.0.0.1", "--port", std::to_string(server.port()),
                           "--from", "a@client.test", "--to", "b@server.test", "--transcript"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 0);
    CHECK(server.messages().size() == 1);
    CHECK(r.out.find("<-  220 ") != std::string::npos);
    CHECK(r.out.find(" -> STARTTLS") != std::string::npos);
    CHECK(r.out.find("=== OCSP: verified") != std::string::npos);
    CHECK(r.out.find(" ~> MAIL FROM:<a@client.test>") != std::string::npos);
    CHECK(r.out.find("<~  250 ") != std::string::npos);
    // The verdict comes before the second EHLO.
    CHECK(r.out.find("=== OCSP: verified") < r.out.find(" ~> EHLO"));
}

TEST_CASE("send: name check against the MX name", "[integration][cli]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    const auto r = run(base("send"), {"--hosts-require-ocsp", "*", "--host",
                                      "wrong.example:" + std::to_string(server.port()), "--resolve",
                                      "wrong.example:127.0.0.1", "--from", "a@client.test", "--to",
                                      "b@server.test", "--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 75);
    CHECK(r.out.find("does not match host name") != std::string::npos);
    require_no_envelope(server);
}

TEST_CASE("send: permanent rejection exits 69", "[integration][cli]")
{
    TestServer server(stapling_server("1.3", live("good.der"), {"--reject-data"}));
    const auto r =
        run(base("send"), {"--host", "127.0.0.1:" + std::to_string(server.port()), "--from",
                           "a@client.test", "--to", "b@server.test", "--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 69);
    CHECK(r.out.find("\"result\": \"failed\"") != std::string::npos);
}

TEST_CASE("send: usage, data and config errors", "[integration][cli]")
{
    struct Row {
        std::vector<std::string> args;
        int status;
        const char* names;  // the input at fault, named on stderr
    };
    const Row rows[] = {
        {{"--to", "b@x"}, 64, "--host"},
        {{"--host", "127.0.0.1:1", "--to", "b@x"}, 64, "--from"},
        {{"--host", "127.0.0.1:1", "--from", "a@x"}, 64, "--to"},
        {{"--host", "127.0.0.1:99999", "--from", "a@x", "--to", "b@x"}, 64, "bad port"},
        {{"--bogus", "1"}, 64, "--bogus"},
        {{"--host", "127.0.0.1:1", "--from", "a@x", "--to", "b@x", "--data", "/nonexistent"},
         65,
         "/nonexistent"},
        {{"--host", "127.0.0.1:1", "--from", "a@x", "--to", "b@x", "--config", "/nonexistent"},
         78,
         "/nonexistent"},
        {{"--host", "127.0.0.1:1", "--from", "a@x", "--to", "b@x", "--tls-crl", "/nonexistent"},
         78,
         "tls_crl"},
        {{"--host", "127.0.0.1:1", "--from", "a@x", "--to", "b@x", "--tls-require-ciphers",
          "NORMAL:+NOPE"},
         78,
         "tls_require_ciphers"},
    };
    for (const Row& row : rows) {
        const auto r = run(base("send"), row.args);
        INFO(r.err);
        CHECK(r.exit_status == row.status);
        CHECK(r.err.find(row.names) != std::string::npos);
        CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
    }
}

TEST_CASE("send: connection refused defers", "[integration][cli]")
{
    const auto port = free_port();
    const auto r = run(base("send"), {"--host", "127.0.0.1:" + std::to_string(port), "--from",
                                      "a@client.test", "--to", "b@server.test"});
    CHECK(r.exit_status == 75);
}

TEST_CASE("probe: exit 0 only when the OCSP state is verified; --json result agrees",
          "[integration][cli]")
{
    struct Row {
        const char* staple;
        std::vector<std::string> policy;
        int status;
        const char* result;
        const char* ocsp;
    };
    const std::vector<std::string> require{"--hosts-require-ocsp", "*"};
    const std::vector<std::string> verify{"--tls-verify-hosts", "*"};
    const std::vector<std::string> none{"--hosts-request-ocsp", ""};
    // Request hosts (the default lists) pass the policy with a bad or no
    // staple; a probe still reports them deferred, as it exits 75.
    const Row rows[] = {
        {"good.der", {}, 0, "delivered", "verified"},
        {"revoked.der", {}, 75, "deferred", "failed"},
        {"", {}, 75, "deferred", "not_responded"},
        {"", verify, 75, "deferred", "not_responded"},
        {"good.der", none, 75, "deferred", "not_requested"},
        {"good.der", require, 0, "delivered", "verified"},
        {"revoked.der", require, 75, "deferred", "failed"},
    };
    for (const Row& row : rows) {
        INFO(row.staple << " " << (row.policy.empty() ? "" : row.policy[0]));
        TestServer server(stapling_server("1.3", *row.staple ? live(row.staple) : ""));
        std::vector<std::string> args{"--host", "127.0.0.1:" + std::to_string(server.port()),
                                      "--json"};
        args.insert(args.end(), row.policy.begin(), row.policy.end());
        const auto r = run(base("probe"), args);
        INFO(r.out << r.err);
        CHECK(r.exit_status == row.status);
        CHECK(r.out.find(std::string("{\"result\": \"") + row.result + "\"") == 0);
        CHECK(r.out.find(std::string("\"status\": \"") + row.ocsp + "\"") != std::string::npos);
        CHECK(r.out.find("\"recipients\": []") != std::string::npos);
        require_no_envelope(server);
    }
}

TEST_CASE("send: a require list that defers fails closed, without connecting",
          "[integration][cli][policy]")
{
    for (const char* list : {"--hosts-require-ocsp", "--hosts-require-tls"}) {
        INFO(list);
        TestServer server(stapling_server("1.3", live("good.der")));
        const auto r = run(base("send"), {list, "lsearch;/nonexistent/ocspmx-list", "--host",
                                          "127.0.0.1:" + std::to_string(server.port()), "--from",
                                          "a@client.test", "--to", "b@server.test", "--json"});
        INFO(r.out << r.err);
        CHECK(r.exit_status == 75);
        CHECK(r.out.find("failing closed") != std::string::npos);
        CHECK(server.connections() == 0);
    }
}

TEST_CASE("send: --time-budget ends a stalled delivery with 75", "[integration][cli]")
{
    TestServer server(stapling_server("1.3", live("good.der"), {"--fault", "mail:stall"}));
    const auto start = std::chrono::steady_clock::now();
    const auto r = run(base("send"), {"--host", "127.0.0.1:" + std::to_string(server.port()),
                                      "--command-timeout", "60s", "--time-budget", "1s", "--from",
                                      "a@client.test", "--to", "b@server.test", "--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 75);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK(r.err.find("time budget") != std::string::npos);
    CHECK(r.out.find("\"result\": \"deferred\"") != std::string::npos);
    CHECK(server.messages().empty());

    const auto bad = run(base("send"), {"--host", "127.0.0.1:1", "--from", "a@x", "--to", "b@x",
                                        "--time-budget", "soon"});
    CHECK(bad.exit_status == 64);
    CHECK(bad.err.find("--time-budget") != std::string::npos);
}

TEST_CASE("send: --domain forms of a Postfix nexthop", "[integration][cli]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    const std::string port = std::to_string(server.port());
    for (const std::string& domain :
         {"mx.ocspmx.test:" + port, "[mx.ocspmx.test]:" + port, "[127.0.0.1]:" + port}) {
        INFO(domain);
        const auto r =
            run(base("send"), {"--hosts-require-ocsp", "*", "--domain", domain, "--resolve",
                               "mx.ocspmx.test:127.0.0.1", "--from", "", "--to", "b@server.test"});
        INFO(r.out << r.err);
        CHECK(r.exit_status == 0);
    }
    CHECK(server.messages().size() == 3);
    // An empty --from is the null reverse-path (a bounce).
    CHECK(server.received_in_tls().find("MAIL FROM:<>") != std::string::npos);
}

TEST_CASE("send: tls_crl revoking the leaf fails verification; tls_require_ciphers applies",
          "[integration][cli][tls]")
{
    TempDir dir("ocspmx-crl");
    // A CRL from the intermediate listing the leaf's serial (0x3001).
    write_file(
        dir / "index.txt",
        "R\t360101000000Z\t260415120000Z,keyCompromise\t3001\tunknown\t/CN=mx.ocspmx.test\n");
    write_file(dir / "crlnumber", "01\n");
    write_file(dir / "ca.cnf",
               "[ca]\ndefault_ca = d\n[d]\ndatabase = " + (dir / "index.txt").string() +
                   "\ncrlnumber = " + (dir / "crlnumber").string() +
                   "\ndefault_md = sha256\ndefault_crl_days = 30\n");
    const auto crl =
        run_command({"openssl", "ca", "-config", (dir / "ca.cnf").string(), "-gencrl", "-keyfile",
                     fixture("pki/intermediate-ca.key"), "-cert",
                     fixture("pki/intermediate-ca.pem"), "-out", (dir / "crl.pem").string()});
    INFO(crl.err);
    REQUIRE(crl.exit_status == 0);

    TestServer server(stapling_server("1.3", live("good.der")));
    const std::string host = "127.0.0.1:" + std::to_string(server.port());
    const auto revoked = run(base("send"), {"--hosts-require-ocsp", "*", "--tls-crl",
                                            (dir / "crl.pem").string(), "--host", host, "--from",
                                            "a@client.test", "--to", "b@server.test", "--json"});
    INFO(revoked.out << revoked.err);
    CHECK(revoked.exit_status == 75);
    CHECK(revoked.out.find("\"cert_verified\": false") != std::string::npos);
    CHECK(revoked.out.find("revoked") != std::string::npos);
    require_no_envelope(server);

    const auto tls12 = run(base("send"), {"--hosts-require-ocsp", "*", "--tls-require-ciphers",
                                          "NORMAL:-VERS-TLS1.3", "--host", host, "--from",
                                          "a@client.test", "--to", "b@server.test", "--json"});
    INFO(tls12.out << tls12.err);
    CHECK(tls12.exit_status == 0);
    CHECK(tls12.out.find("\"version\": \"TLS1.2\"") != std::string::npos);
}

TEST_CASE("send: tls_certificate is presented to a server that asks; a bad pair is a config error",
          "[integration][cli][tls]")
{
    auto args = stapling_server("1.3", live("good.der"));
    args.push_back("--request-client-cert");
    TestServer server(args);
    const std::string host = "127.0.0.1:" + std::to_string(server.port());
    auto client_certs = [&server] {
        std::vector<std::string> dns;
        for (const auto& e : server.record())
            if (e.kind == RecordEntry::Kind::client_cert) dns.push_back(e.bytes);
        return dns;
    };

    // Without tls_certificate the server asks and gets none; delivery goes on.
    const auto none = run(base("send"), {"--hosts-require-ocsp", "*", "--host", host, "--from",
                                         "a@client.test", "--to", "b@server.test"});
    INFO(none.out << none.err);
    CHECK(none.exit_status == 0);
    CHECK(client_certs().empty());

    // The fixture's other leaf as the client's certificate: the server saw it.
    const auto with = run(base("send"), {"--hosts-require-ocsp", "*", "--tls-certificate",
                                         fixture("pki/other-leaf.pem"), "--tls-privatekey",
                                         fixture("pki/other-leaf.key"), "--host", host, "--from",
                                         "a@client.test", "--to", "b@server.test"});
    INFO(with.out << with.err);
    CHECK(with.exit_status == 0);
    CHECK(server.messages().size() == 2);
    const auto dns = client_certs();
    REQUIRE(dns.size() == 1);
    CHECK(dns[0].find("CN=other.ocspmx.test") != std::string::npos);

    // A key that does not belong to the certificate: nothing is sent.
    const auto mismatch = run(base("send"), {"--tls-certificate", fixture("pki/other-leaf.pem"),
                                             "--tls-privatekey", fixture("pki/leaf.key"), "--host",
                                             host, "--from", "a@client.test", "--to",
                                             "b@server.test"});
    INFO(mismatch.out << mismatch.err);
    CHECK(mismatch.exit_status == 78);
    CHECK(mismatch.err.find("tls_certificate") != std::string::npos);
    CHECK(server.connections() == 2);
}
