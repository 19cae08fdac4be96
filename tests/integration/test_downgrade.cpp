// Downgrade: a host in hosts_require_ocsp or hosts_require_tls that withholds
// STARTTLS, answers 454, or fails the handshake is deferred and never sent
// anything in clear; a host in neither list follows tls_tempfail_tryclear.
#include <catch2/catch_test_macros.hpp>

#include "live.hpp"

using namespace ocspmx::itest;

namespace {

struct Fault {
    const char* name;
    std::vector<std::string> server_flags;
};

const Fault faults[] = {
    {"no STARTTLS", {"--no-starttls"}},
    {"STARTTLS answered 454", {"--starttls-reply", "454"}},
    {"handshake failure", {"--handshake-fail"}},
};

}  // namespace

TEST_CASE("downgrade: require hosts defer, never clear", "[integration][downgrade]")
{
    for (const Fault& fault : faults) {
        for (const char* list : {"--hosts-require-ocsp", "--hosts-require-tls"}) {
            INFO(fault.name << " with " << list);
            TestServer server(stapling_server("1.3", live("good.der"), fault.server_flags));
            const auto r = send_to(server.port(), {list, "*", "--json"});
            INFO(r.out << r.err);
            CHECK(r.exit_status == 75);
            CHECK(r.out.find("\"result\": \"deferred\"") != std::string::npos);
            require_no_envelope(server);
            CHECK(server.connections() == 1);  // no second, cleartext connection
        }
    }
}

TEST_CASE("downgrade: neither-list hosts fall back to clear with tls_tempfail_tryclear",
          "[integration][downgrade]")
{
    for (const Fault& fault : faults) {
        INFO(fault.name);
        TestServer server(stapling_server("1.3", live("good.der"), fault.server_flags));
        const auto r = send_to(server.port(), {"--json"});
        INFO(r.out << r.err);
        CHECK(r.exit_status == 0);
        REQUIRE(server.messages().size() == 1);
        CHECK(server.received_in_clear().find("MAIL FROM") != std::string::npos);
        if (fault.server_flags[0] == "--handshake-fail") {
            // Two attempts logged: the TLS one given up, then the clear one.
            CHECK(r.out.find("retrying in clear") != std::string::npos);
            CHECK(server.connections() == 2);
        }
    }
}

TEST_CASE("downgrade: tls_tempfail_tryclear false defers after a TLS failure",
          "[integration][downgrade]")
{
    for (const Fault& fault : {faults[1], faults[2]}) {
        INFO(fault.name);
        TestServer server(stapling_server("1.3", live("good.der"), fault.server_flags));
        const auto r = send_to(server.port(), {"--tls-tempfail-tryclear", "false"});
        INFO(r.out << r.err);
        CHECK(r.exit_status == 75);
        require_no_envelope(server);
    }
}

TEST_CASE("downgrade: hosts_avoid_tls delivers in clear without STARTTLS",
          "[integration][downgrade]")
{
    TestServer server(stapling_server("1.3", live("good.der")));
    const auto r = send_to(server.port(), {"--hosts-avoid-tls", "*", "--transcript"});
    INFO(r.out << r.err);
    CHECK(r.exit_status == 0);
    CHECK(server.received_in_clear().find("STARTTLS") == std::string::npos);
    CHECK(server.messages().size() == 1);
}
