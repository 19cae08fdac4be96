// C ABI error paths: every misuse is a status code plus one line of
// last_error text, never a crash or an exception (ocspmx.h).
#include <atomic>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "module.hpp"

namespace {

using ocspmx::capi_test::module;

std::string last_error() { return module().last_error(); }

std::string anchors()
{
    const char* root = std::getenv("OCSPMX_SOURCE_ROOT");
    return std::string(root != nullptr ? root : ".") + "/tests/fixtures/pki/anchors.pem";
}

struct Opened {
    ocspmx_transport* t = nullptr;
    Opened()
    {
        const std::string text =
            "tls_verify_certificates = " + anchors() + "\nhosts_require_ocsp = *\n";
        REQUIRE(module().transport_open_text(text.data(), text.size(), "test", &t) == OCSPMX_OK);
    }
    ~Opened() { module().transport_close(t); }
};

}  // namespace

TEST_CASE("the module table names its ABI", "[capi]")
{
    const auto& m = module();
    CHECK(m.abi_version == OCSPMX_ABI_VERSION);
    CHECK(m.struct_size == sizeof(ocspmx_module_v1));
    CHECK(std::string_view(m.library_version) == OCSPMX_VERSION);
}

TEST_CASE("an ABI version the library does not implement gives NULL and a reason", "[capi]")
{
    for (unsigned version : {0u, 2u, 99u}) {
        CAPTURE(version);
        CHECK(ocspmx_get_module(version) == nullptr);
        CHECK(last_error() == "ocspmx_get_module: ABI version " + std::to_string(version) +
                                  " requested; this library implements version 1");
    }
    CHECK(ocspmx_get_module(1) != nullptr);
    CHECK(last_error().empty());
}

TEST_CASE("configuration text errors name the source line", "[capi]")
{
    struct Row {
        std::string_view text;
        std::string_view error_contains;
    };
    const Row rows[] = {
        {"no_such_option = 1\n", "inline:1:"},
        {"port = 25\nport = not-a-number\n", "inline:2:"},
        {"hosts_require_ocsp\n", "inline:1:"},
        {"connect_timeout = 5x\n", "inline:1:"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        ocspmx_transport* t = reinterpret_cast<ocspmx_transport*>(0x1);
        CHECK(module().transport_open_text(row.text.data(), row.text.size(), "inline", &t) ==
              OCSPMX_E_CONFIG);
        CHECK(t == nullptr);
        CHECK(last_error().find(row.error_contains) != std::string::npos);
        CHECK(last_error().find('\n') == std::string::npos);
    }
}

TEST_CASE("a configuration whose files do not exist is refused at open", "[capi]")
{
    const std::string text = "tls_verify_certificates = /nonexistent/anchors.pem\n";
    ocspmx_transport* t = nullptr;
    CHECK(module().transport_open_text(text.data(), text.size(), nullptr, &t) == OCSPMX_E_CONFIG);
    CHECK(t == nullptr);
    CHECK(last_error().find("/nonexistent/anchors.pem") != std::string::npos);
}

TEST_CASE("a missing configuration file is named", "[capi]")
{
    ocspmx_transport* t = nullptr;
    CHECK(module().transport_open_file("/nonexistent/ocspmx.conf", &t) == OCSPMX_E_CONFIG);
    CHECK(t == nullptr);
    CHECK(last_error().find("/nonexistent/ocspmx.conf") != std::string::npos);
}

TEST_CASE("null arguments are refused, not dereferenced", "[capi]")
{
    const auto& m = module();
    ocspmx_transport* t = nullptr;
    CHECK(m.transport_open_text("", 0, nullptr, nullptr) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK(m.transport_open_text(nullptr, 5, nullptr, &t) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK(m.transport_open_file(nullptr, &t) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK(m.transport_open_file("x", nullptr) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK_FALSE(last_error().empty());

    const char* rcpt[] = {"b@example.net"};
    const ocspmx_envelope env{"a@example.org", rcpt, 1};
    const ocspmx_host host{"127.0.0.1", nullptr, 1};
    const ocspmx_destination dest{nullptr, &host, 1};
    ocspmx_report* report = reinterpret_cast<ocspmx_report*>(0x1);
    CHECK(m.deliver_buffer(nullptr, &env, &dest, "x", 1, &report) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK(report == nullptr);
    CHECK(m.deliver_read(nullptr, &env, &dest, nullptr, nullptr, nullptr) ==
          OCSPMX_E_INVALID_ARGUMENT);

    Opened opened;
    CHECK(m.deliver_buffer(opened.t, nullptr, &dest, "x", 1, &report) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK(m.deliver_buffer(opened.t, &env, nullptr, "x", 1, &report) == OCSPMX_E_INVALID_ARGUMENT);
    CHECK(m.deliver_buffer(opened.t, &env, &dest, nullptr, 1, &report) ==
          OCSPMX_E_INVALID_ARGUMENT);
    CHECK(m.deliver_read(opened.t, &env, &dest, nullptr, nullptr, &report) ==
          OCSPMX_E_INVALID_ARGUMENT);
    CHECK(report == nullptr);

    // Readers and destructors accept NULL.
    CHECK(m.report_result(nullptr) == OCSPMX_DEFERRED);
    CHECK(m.report_attempt_count(nullptr) == 0);
    CHECK(m.report_recipient_count(nullptr) == 0);
    CHECK(m.report_json(nullptr) == nullptr);
    ocspmx_attempt_info info{};
    info.struct_size = sizeof info;
    CHECK(m.report_attempt(nullptr, 0, &info) == OCSPMX_E_INVALID_ARGUMENT);
    m.report_free(nullptr);
    m.transport_close(nullptr);
}

TEST_CASE("envelopes and destinations are checked before any connection", "[capi]")
{
    const auto& m = module();
    Opened opened;
    const char* rcpt[] = {"b@example.net", ""};
    const ocspmx_host host{"127.0.0.1", nullptr, 1};
    const ocspmx_host nameless{"", nullptr, 25};
    const ocspmx_host bad_port{"127.0.0.1", nullptr, 70000};
    struct Row {
        const char* what;
        ocspmx_envelope env;
        ocspmx_destination dest;
        std::string_view error;
    };
    const Row rows[] = {
        {"no recipients",
         {"a@example.org", rcpt, 0},
         {nullptr, &host, 1},
         "envelope: no recipients"},
        {"empty recipient",
         {"a@example.org", rcpt, 2},
         {nullptr, &host, 1},
         "envelope: recipient 1 is NULL or empty"},
        {"neither domain nor hosts",
         {"a@example.org", rcpt, 1},
         {nullptr, nullptr, 0},
         "either a domain or a host list"},
        {"both domain and hosts",
         {"a@example.org", rcpt, 1},
         {"example.net", &host, 1},
         "either a domain or a host list"},
        {"empty domain", {"a@example.org", rcpt, 1}, {"", nullptr, 0}, "empty domain"},
        {"hosts NULL", {"a@example.org", rcpt, 1}, {nullptr, nullptr, 1}, "hosts is NULL"},
        {"nameless host",
         {"a@example.org", rcpt, 1},
         {nullptr, &nameless, 1},
         "host 0 has no name"},
        {"bad port", {"a@example.org", rcpt, 1}, {nullptr, &bad_port, 1}, "bad port"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        ocspmx_report* report = nullptr;
        CHECK(m.deliver_buffer(opened.t, &row.env, &row.dest, "x\n", 2, &report) ==
              OCSPMX_E_INVALID_ARGUMENT);
        CHECK(report == nullptr);
        CHECK(last_error().find(row.error) != std::string::npos);
    }
}

TEST_CASE("a failing read callback is an I/O error and nothing is delivered", "[capi]")
{
    const auto& m = module();
    Opened opened;
    const char* rcpt[] = {"b@example.net"};
    const ocspmx_envelope env{"a@example.org", rcpt, 1};
    const ocspmx_host host{"127.0.0.1", nullptr, 1};
    const ocspmx_destination dest{nullptr, &host, 1};
    ocspmx_report* report = nullptr;
    auto failing = [](void*, char*, size_t, size_t*) -> int { return -1; };
    CHECK(m.deliver_read(opened.t, &env, &dest, failing, nullptr, &report) == OCSPMX_E_IO);
    CHECK(report == nullptr);
    auto overlong = [](void*, char*, size_t capacity, size_t* got) -> int {
        *got = capacity + 1;
        return 0;
    };
    CHECK(m.deliver_read(opened.t, &env, &dest, overlong, nullptr, &report) == OCSPMX_E_IO);
    CHECK(last_error().find("more than asked") != std::string::npos);
}

TEST_CASE("a refused connection is an outcome in the report, not an error", "[capi]")
{
    const auto& m = module();
    Opened opened;
    const char* rcpt[] = {"b@example.net"};
    const ocspmx_envelope env{"", rcpt, 1};
    // Port 1 on loopback: nothing listens there.
    const ocspmx_host host{"127.0.0.1", "127.0.0.1", 1};
    const ocspmx_destination dest{nullptr, &host, 1};
    ocspmx_report* report = nullptr;
    REQUIRE(m.deliver_buffer(opened.t, &env, &dest, "Subject: x\n\nx\n", 14, &report) == OCSPMX_OK);
    REQUIRE(report != nullptr);
    CHECK(m.report_result(report) == OCSPMX_DEFERRED);
    REQUIRE(m.report_attempt_count(report) == 1);
    ocspmx_attempt_info a{};
    a.struct_size = sizeof a;
    REQUIRE(m.report_attempt(report, 0, &a) == OCSPMX_OK);
    CHECK(std::string_view(a.address) == "127.0.0.1");
    CHECK(a.port == 1);
    CHECK(a.outcome == OCSPMX_DEFERRED);
    CHECK(a.tls_active == 0);
    CHECK(a.ocsp_policy == OCSPMX_OCSP_POLICY_REQUIRE);
    CHECK_FALSE(std::string_view(a.log_line).empty());
    REQUIRE(m.report_recipient_count(report) == 1);
    ocspmx_recipient_info r{};
    r.struct_size = sizeof r;
    REQUIRE(m.report_recipient(report, 0, &r) == OCSPMX_OK);
    CHECK(std::string_view(r.address) == "b@example.net");
    CHECK(r.outcome == OCSPMX_DEFERRED);
    CHECK(std::string_view(m.report_json(report)).starts_with("{\"result\": \"deferred\""));

    SECTION("indexes past the end are range errors")
    {
        CHECK(m.report_attempt(report, 1, &a) == OCSPMX_E_RANGE);
        CHECK(m.report_recipient(report, 7, &r) == OCSPMX_E_RANGE);
        CHECK(last_error() == "report_recipient: index 7 >= count 1");
    }
    SECTION("a struct_size that was not set is refused")
    {
        ocspmx_attempt_info unset{};
        CHECK(m.report_attempt(report, 0, &unset) == OCSPMX_E_INVALID_ARGUMENT);
        CHECK(m.report_attempt(report, 0, nullptr) == OCSPMX_E_INVALID_ARGUMENT);
    }
    m.report_free(report);
}

TEST_CASE("enum names match the JSON report's words", "[capi]")
{
    const auto& m = module();
    CHECK(std::string_view(m.outcome_string(OCSPMX_DELIVERED)) == "delivered");
    CHECK(std::string_view(m.outcome_string(OCSPMX_DEFERRED)) == "deferred");
    CHECK(std::string_view(m.outcome_string(OCSPMX_FAILED)) == "failed");
    CHECK(std::string_view(m.ocsp_state_string(OCSPMX_OCSP_NOT_RESPONDED)) == "not_responded");
    CHECK(std::string_view(m.ocsp_state_string(OCSPMX_OCSP_VERIFIED)) == "verified");
    CHECK(std::string_view(m.ocsp_policy_string(OCSPMX_OCSP_POLICY_REQUIRE)) == "require");
    CHECK(std::string_view(m.status_string(OCSPMX_E_CONFIG)) == "config");
    CHECK(std::string_view(m.outcome_string(static_cast<ocspmx_outcome>(42))) == "?");
}

TEST_CASE("one transport shared by threads: deliveries serialize, errors stay per thread", "[capi]")
{
    const auto& m = module();
    Opened opened;
    std::atomic<int> deferred{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            const char* rcpt[] = {"b@example.net"};
            const ocspmx_envelope env{"a@example.org", rcpt, 1};
            const ocspmx_host host{"127.0.0.1", "127.0.0.1", 1};
            const ocspmx_destination dest{nullptr, &host, 1};
            for (int round = 0; round < 5; ++round) {
                ocspmx_report* report = nullptr;
                if (m.deliver_buffer(opened.t, &env, &dest, "x\n", 2, &report) == OCSPMX_OK &&
                    m.report_result(report) == OCSPMX_DEFERRED) {
                    ++deferred;
                }
                m.report_free(report);
                // An error on this thread is this thread's alone.
                if (i % 2 == 0) (void)ocspmx_get_module(100 + static_cast<unsigned>(i));
                const std::string error = m.last_error();
                if (i % 2 == 0 &&
                    error.find("ABI version " + std::to_string(100 + i)) == std::string::npos) {
                    --deferred;
                }
                if (i % 2 == 1 && !error.empty()) --deferred;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(deferred == 20);
}
