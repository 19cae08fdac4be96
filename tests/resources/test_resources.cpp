// Resource bounds (issue 6): many deliveries in one process leave file
// descriptors and RSS flat; 100 deliveries under valgrind leak nothing;
// SIGTERM/SIGINT during a delivery end `ocspmx send` with EX_TEMPFAIL (75)
// and no success reported.
#include <signal.h>

#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "child.hpp"
#include "deliveries.hpp"
#include "delivery_setup.hpp"

namespace ocspmx::test {
namespace {

using namespace std::chrono_literals;

constexpr int warm_up = 50;
constexpr int deliveries = 1000;

bool has_program(const std::string& name)
{
    return run_command({"sh", "-c", "command -v " + name}).exit_status == 0;
}

}  // namespace

TEST_CASE("1000 deliveries in one process: no fd or RSS growth", "[resources][deliveries]")
{
    TestServer server(stapling_server_args());
    auto transport = open_require_ocsp(fixture("pki/anchors.pem"));
    REQUIRE(transport.ok());
    Deliverer deliverer(*transport, server.port());
    std::string why;
    // Warm-up: GnuTLS's lazy initialisation, the OCSP cache, allocator arenas.
    for (int i = 0; i < warm_up; ++i) {
        INFO("warm-up delivery " << i + 1 << ": " << why);
        REQUIRE(deliverer.deliver_one(why));
    }
    const int fds_before = open_fds();
    const long rss_before = rss_kib();
    for (int i = warm_up; i < deliveries; ++i) {
        INFO("delivery " << i + 1 << ": " << why);
        REQUIRE(deliverer.deliver_one(why));
    }
    const int fds_after = open_fds();
    const long rss_after = rss_kib();
    // The figures, for the record (stdout of `meson test -v`).
    std::printf("resources: %d deliveries; fds %d -> %d; RSS %ld KiB -> %ld KiB\n", deliveries,
                fds_before, fds_after, rss_before, rss_after);
    CHECK(server.messages().size() == static_cast<std::size_t>(deliveries));
    CHECK(fds_after == fds_before);
    // ~1 KiB per delivery would already be 950 KiB: a leak shows; allocator
    // noise stays far below. Under ASan, freed memory sits in its quarantine
    // (256 MiB by default), so RSS grows by design; LeakSanitizer checks
    // leaks at exit instead.
    if (!sanitized) CHECK(rss_after - rss_before <= 512);
}

TEST_CASE("100 deliveries under valgrind: no definite or indirect leaks", "[resources][valgrind]")
{
    if (sanitized) SKIP("valgrind does not run ASan binaries; the ASan build checks leaks itself");
    if (!has_program("valgrind")) SKIP("valgrind not installed");
    TestServer server(stapling_server_args());
    const auto program = build_root() / "tests/resources/deliver_many";
    const auto r = run_command(
        {"valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
         "--show-leak-kinds=definite,indirect", "--error-exitcode=1",
         "--suppressions=" + (source_root() / "tests/resources/valgrind.supp").string(),
         program.string(), std::to_string(server.port()), "100", fixture("pki/anchors.pem")},
        std::nullopt, 600s);
    INFO("valgrind stderr:\n" << r.err);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_status == 0);
    CHECK(r.out.find("100 delivered") != std::string::npos);
    // Either nothing is left at exit, or only "still reachable" blocks.
    const bool all_freed = r.err.find("All heap blocks were freed") != std::string::npos;
    const bool none_lost = r.err.find("definitely lost: 0 bytes") != std::string::npos &&
                           r.err.find("indirectly lost: 0 bytes") != std::string::npos;
    CHECK((all_freed || none_lost));
    CHECK(r.err.find("ERROR SUMMARY: 0 errors") != std::string::npos);
    CHECK(server.messages().size() == 100);
}

// The server stalls instead of answering MAIL FROM, inside TLS after the
// verdict: the delivery is in flight when the signal comes. ocspmx's
// ProcessGuard (src/cli/guard.hpp) must turn the signal into exit 75 with
// no success on stdout, within a second.
TEST_CASE("SIGTERM and SIGINT during a delivery: exit 75, no success", "[resources][signals]")
{
    TempDir dir("ocspmx-signals");
    const fs::path message = dir / "message.eml";
    write_file(message, test_message);
    for (const int sig : {SIGTERM, SIGINT}) {
        TestServer server(stapling_server_args({"--fault", "mail:stall"}));
        Child child(send_argv(server, message, "60s"));
        // Wait until the client is inside TLS and waiting for the MAIL reply.
        const auto until = std::chrono::steady_clock::now() + 20s;
        while (server.received_in_tls().find("MAIL FROM") == std::string::npos &&
               std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(20ms);
        }
        REQUIRE(server.received_in_tls().find("MAIL FROM") != std::string::npos);
        const auto sent = std::chrono::steady_clock::now();
        child.signal(sig);
        const ChildResult r = child.wait_for(30s);
        const auto took = std::chrono::steady_clock::now() - sent;
        INFO((sig == SIGTERM ? "SIGTERM" : "SIGINT") << "\nstdout: " << r.out << "\nstderr: "
                                                     << r.err);
        CHECK(r.exit_status == 75);
        CHECK(took <= 1s);
        CHECK(r.out.find("delivered") == std::string::npos);
        CHECK(r.out.find("\"result\": \"deferred\"") != std::string::npos);
        CHECK(r.err.find(sig == SIGTERM ? "SIGTERM" : "SIGINT") != std::string::npos);
        CHECK(server.messages().empty());
    }
}

}  // namespace ocspmx::test
