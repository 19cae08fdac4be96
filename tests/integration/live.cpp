#include "live.hpp"

#include <catch2/catch_test_macros.hpp>
#include <cstdlib>

namespace ocspmx::itest {

const fs::path& live_dir() { return live_responses(); }

std::string live(const std::string& name) { return (live_dir() / name).string(); }

fs::path ocspmx_program()
{
    if (const char* p = std::getenv("OCSPMX_PROGRAM")) return p;
    return build_root() / "src" / "cli" / "ocspmx";
}

std::string test_message()
{
    return std::string("From: a@client.test\r\nTo: b@server.test\r\nSubject: ocspmx test\r\n") +
           marker + "\r\n\r\nHello over verified TLS.\r\n.leading dot\r\n";
}

CommandResult send_to(std::uint16_t port, const std::vector<std::string>& extra)
{
    std::vector<std::string> argv{ocspmx_program().string(),
                                  "send",
                                  "--host",
                                  "127.0.0.1:" + std::to_string(port),
                                  "--tls-verify-certificates",
                                  fixture("pki/anchors.pem"),
                                  "--helo-data",
                                  "client.test",
                                  "--from",
                                  "a@client.test",
                                  "--to",
                                  "b@server.test"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv, test_message(), std::chrono::seconds(30));
}

std::vector<std::string> stapling_server(const std::string& tls_max, const std::string& staple,
                                         const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"--cert",    fixture("pki/leaf-chain.pem"),
                                  "--key",     fixture("pki/leaf.key"),
                                  "--tls-max", tls_max};
    if (!staple.empty()) {
        args.push_back("--staple");
        args.push_back(staple);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

void require_no_envelope(const TestServer& server)
{
    const std::string all = server.received();
    CHECK(all.find("MAIL FROM") == std::string::npos);
    CHECK(all.find("RCPT TO") == std::string::npos);
    CHECK(all.find(marker) == std::string::npos);
    CHECK(server.messages().empty());
}

std::string make_twin_leaf_chain(const TempDir& dir, const std::string& extensions)
{
    write_file(dir / "ext.cnf", extensions);
    const auto csr =
        run_command({"openssl", "req", "-new", "-key", fixture("pki/leaf.key"), "-subj",
                     "/CN=mx.ocspmx.test", "-out", (dir / "leaf.csr").string()});
    REQUIRE(csr.exit_status == 0);
    const auto crt = run_command({"openssl", "x509", "-req", "-in", (dir / "leaf.csr").string(),
                                  "-CA", fixture("pki/intermediate-ca.pem"), "-CAkey",
                                  fixture("pki/intermediate-ca.key"), "-set_serial", "0x3001",
                                  "-days", "365", "-sha256", "-extfile", (dir / "ext.cnf").string(),
                                  "-out", (dir / "leaf.pem").string()});
    INFO(crt.err);
    REQUIRE(crt.exit_status == 0);
    write_file(dir / "chain.pem",
               read_file(dir / "leaf.pem") + read_file(fixture("pki/intermediate-ca.pem")));
    return (dir / "chain.pem").string();
}

}  // namespace ocspmx::itest
