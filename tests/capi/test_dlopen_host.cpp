// examples/dlopen_host.c against ocspmx-testserver: the library loaded by
// path, the module found through its one symbol, and the OCSP verdict
// reported through the C ABI.
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <string>

#include "harness.hpp"

namespace {

using namespace ocspmx::test;

std::string env_path(const char* name)
{
    const char* value = std::getenv(name);
    REQUIRE(value != nullptr);
    return value;
}

const std::string kMessage =
    "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: dlopen host\r\n\r\nHello.\r\n";

CommandResult run_host(const TestServer& server, const TempDir& dir)
{
    write_file(dir / "message.eml", kMessage);
    const std::string config =
        "tls_verify_certificates = " + fixture("pki/anchors.pem") + "\nhosts_require_ocsp = *\n";
    return run_command({env_path("OCSPMX_DLOPEN_HOST"), env_path("OCSPMX_LIBRARY"), config,
                        server.address(), "alice@example.org", (dir / "message.eml").string(),
                        "bob@example.net"});
}

std::vector<std::string> server_args(const std::string& staple)
{
    std::vector<std::string> args{"--cert", fixture("pki/leaf-chain.pem"), "--key",
                                  fixture("pki/leaf.key")};
    if (!staple.empty()) {
        args.push_back("--staple");
        args.push_back((live_responses() / staple).string());
    }
    return args;
}

}  // namespace

TEST_CASE("dlopen host: a good staple is verified and the message delivered", "[capi][integration]")
{
    TempDir dir{"ocspmx-capi"};
    TestServer server(server_args("good.der"));
    const auto r = run_host(server, dir);
    INFO(r.out << r.err);
    CHECK(r.exit_status == 0);
    CHECK(r.out.find("library 0.1.0, ABI 1") != std::string::npos);
    CHECK(r.out.find("ocsp policy=require state=verified") != std::string::npos);
    CHECK(r.out.find("recipient bob@example.net: delivered") != std::string::npos);
    CHECK(r.out.find("result: delivered") != std::string::npos);
    const auto messages = server.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].find("Subject: dlopen host") != std::string::npos);
}

TEST_CASE("dlopen host: a require host with a bad staple defers, nothing reaches it",
          "[capi][integration]")
{
    struct Row {
        std::string staple;  // "" : the server staples nothing
        std::string state;
        std::string reason;  // substring of the reason line; "" : any
    };
    const Row rows[] = {
        {"revoked.der", "failed", "revoked"},
        {"try-later.der", "failed", "try"},
        {"expired.der", "failed", "expired"},
        {"wrong-serial.der", "failed", ""},
        {"", "not_responded", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.staple);
        TempDir dir{"ocspmx-capi"};
        TestServer server(server_args(row.staple));
        const auto r = run_host(server, dir);
        INFO(r.out << r.err);
        CHECK(r.exit_status == 75);
        CHECK(r.out.find("ocsp policy=require state=" + row.state) != std::string::npos);
        if (!row.reason.empty()) {
            const auto at = r.out.find("reason=");
            REQUIRE(at != std::string::npos);
            CHECK(r.out.substr(at, r.out.find('\n', at) - at).find(row.reason) !=
                  std::string::npos);
        }
        CHECK(r.out.find("recipient bob@example.net: deferred") != std::string::npos);
        CHECK(r.out.find("result: deferred") != std::string::npos);
        CHECK(server.messages().empty());
        CHECK(server.received_in_tls().find("MAIL FROM") == std::string::npos);
        CHECK(server.received_in_clear().find("MAIL FROM") == std::string::npos);
    }
}

TEST_CASE("dlopen host: a library path that does not load is EX_OSFILE", "[capi][integration]")
{
    const auto r = run_command({env_path("OCSPMX_DLOPEN_HOST"), "/nonexistent/libocspmx.so.0", "",
                                "127.0.0.1:25", "a@example.org", "/dev/null", "b@example.net"});
    CHECK(r.exit_status == 72);
    CHECK(r.err.find("/nonexistent/libocspmx.so.0") != std::string::npos);
}

TEST_CASE("dlopen host: bad configuration text is EX_CONFIG with the line named",
          "[capi][integration]")
{
    const auto r = run_command({env_path("OCSPMX_DLOPEN_HOST"), env_path("OCSPMX_LIBRARY"),
                                "port = 25\nbogus_option = 1\n", "127.0.0.1:25", "a@example.org",
                                "/dev/null", "b@example.net"});
    CHECK(r.exit_status == 78);
    CHECK(r.err.find("CONFIG-TEXT:2:") != std::string::npos);
}
