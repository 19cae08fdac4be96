// Fault injection (issue 6): ocspmx-testserver misbehaves at one stage of
// the dialogue, `ocspmx send` with OCSP required and 2 s timeouts must defer
// (exit 75, EX_TEMPFAIL, result "deferred", never "delivered") within the
// timeout plus a small margin, say in one stderr line which stage failed,
// and keep its memory bounded when the server sends a 1 MiB line.
//
// Stages are the test server's (tests/support/testserver/options.hpp); the
// words each row expects are how the client names that point of the
// dialogue (RFC 5321 §4.1 commands, RFC 3207 STARTTLS, the TLS handshake).
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "child.hpp"
#include "delivery_setup.hpp"

namespace ocspmx::test {
namespace {

using namespace std::chrono_literals;

struct Row {
    const char* stage;   // --fault STAGE:ACTION
    const char* action;
    std::vector<const char*> names;  // one of these must appear in the reason
};

// What the client was doing when the fault hit, as its reason names it:
//   connect    no greeting                      -> "greeting"
//   greeting   fault instead of the EHLO reply  -> "EHLO"
//   ehlo       fault instead of the EHLO reply  -> "EHLO"
//   starttls   after 220, instead of handshake  -> "handshake", or "STARTTLS" when
//              the fault bytes came with the 220 (RFC 3207 §5 injection check)
//   handshake  after the ClientHello            -> "handshake"
//   mail/rcpt  fault instead of that reply      -> "MAIL FROM" / "RCPT TO"
//   data       after 354, message still to come -> "message data" / "end of data"
//   body       after the first message line     -> "message data" / "end of data"
//   dot        instead of the 250 to the dot    -> "end of data"
const std::vector<Row>& rows()
{
    static const std::vector<Row> table = {
        {"connect", "close", {"greeting"}},
        {"connect", "stall", {"greeting"}},
        {"connect", "421", {"greeting"}},
        {"connect", "garbage", {"greeting"}},
        {"connect", "hugeline", {"greeting"}},
        {"greeting", "close", {"EHLO"}},
        {"greeting", "stall", {"EHLO"}},
        {"greeting", "421", {"EHLO"}},
        {"greeting", "garbage", {"EHLO"}},
        {"greeting", "hugeline", {"EHLO"}},
        {"ehlo", "close", {"EHLO"}},
        {"ehlo", "stall", {"EHLO"}},
        {"ehlo", "421", {"EHLO"}},
        {"ehlo", "garbage", {"EHLO"}},
        {"ehlo", "hugeline", {"EHLO"}},
        {"starttls", "close", {"handshake", "STARTTLS"}},
        {"starttls", "stall", {"handshake", "STARTTLS"}},
        {"starttls", "421", {"handshake", "STARTTLS"}},
        {"starttls", "garbage", {"handshake", "STARTTLS"}},
        {"starttls", "hugeline", {"handshake", "STARTTLS"}},
        {"handshake", "close", {"handshake"}},
        {"handshake", "stall", {"handshake"}},
        {"handshake", "421", {"handshake"}},
        {"handshake", "garbage", {"handshake"}},
        {"handshake", "hugeline", {"handshake"}},
        {"mail", "close", {"MAIL FROM"}},
        {"mail", "stall", {"MAIL FROM"}},
        {"mail", "421", {"MAIL FROM"}},
        {"mail", "garbage", {"MAIL FROM"}},
        {"mail", "hugeline", {"MAIL FROM"}},
        {"rcpt", "close", {"RCPT TO"}},
        {"rcpt", "stall", {"RCPT TO"}},
        {"rcpt", "421", {"RCPT TO"}},
        {"rcpt", "garbage", {"RCPT TO"}},
        {"rcpt", "hugeline", {"RCPT TO"}},
        {"data", "close", {"message data", "end of data"}},
        {"data", "stall", {"message data", "end of data"}},
        {"data", "421", {"message data", "end of data"}},
        {"data", "garbage", {"message data", "end of data"}},
        {"data", "hugeline", {"message data", "end of data"}},
        {"body", "close", {"message data", "end of data"}},
        {"body", "stall", {"message data", "end of data"}},
        {"body", "421", {"message data", "end of data"}},
        {"body", "garbage", {"message data", "end of data"}},
        {"body", "hugeline", {"message data", "end of data"}},
        {"dot", "close", {"end of data"}},
        {"dot", "stall", {"end of data"}},
        {"dot", "421", {"end of data"}},
        {"dot", "garbage", {"end of data"}},
        {"dot", "hugeline", {"end of data"}},
    };
    return table;
}

// The configured timeouts are 2 s; the margin covers process start, a TLS
// handshake and a loaded CI machine, not a second timeout.
constexpr auto configured_timeout = 2000ms;
constexpr auto margin = 2000ms;

struct Outcome {
    ChildResult run;
    std::size_t stored = 0;  // messages the server stored
};

Outcome run_row(const Row& row, const fs::path& message)
{
    TestServer server(stapling_server_args(
        {"--fault", std::string(row.stage) + ":" + row.action}));
    Child child(send_argv(server, message));
    Outcome o{child.wait_for(30s), 0};
    o.stored = server.messages().size();
    return o;
}

// `"detail": "..."` of the first attempt, still JSON-escaped.
std::string json_detail(const std::string& json)
{
    const std::string key = "\"detail\": \"";
    const auto at = json.find(key);
    if (at == std::string::npos) return {};
    std::string out;
    for (std::size_t i = at + key.size(); i < json.size() && json[i] != '"'; ++i) {
        if (json[i] == '\\' && i + 1 < json.size()) out += json[i++];
        out += json[i];
    }
    return out;
}

bool names_any(const std::string& text, const std::vector<const char*>& names)
{
    return std::any_of(names.begin(), names.end(),
                       [&](const char* n) { return text.find(n) != std::string::npos; });
}

// Peak RSS of a clean delivery: the yardstick for the hugeline rows (an ASan
// build's baseline is far above an optimised one's).
long baseline_rss_kib(const fs::path& message)
{
    TestServer server(stapling_server_args());
    Child child(send_argv(server, message));
    const ChildResult r = child.wait_for(30s);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_status == 0);
    REQUIRE(server.messages().size() == 1);
    return r.max_rss_kib;
}

}  // namespace

TEST_CASE("every stage x fault defers within the timeout, naming the stage", "[faults]")
{
    (void)live_responses();  // made once, before the worker threads
    TempDir dir("ocspmx-faults");
    const fs::path message = dir / "message.eml";
    write_file(message, test_message);
    const long baseline = baseline_rss_kib(message);

    // Rows run three at a time: ten stall rows take 2 s each.
    const auto& table = rows();
    std::vector<Outcome> outcomes(table.size());
    std::vector<std::string> errors(table.size());
    std::mutex mutex;
    std::size_t next = 0;
    auto worker = [&] {
        for (;;) {
            std::size_t i = 0;
            {
                std::lock_guard lock(mutex);
                if (next == table.size()) return;
                i = next++;
            }
            try {
                outcomes[i] = run_row(table[i], message);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        }
    };
    std::vector<std::thread> workers;
    for (int t = 0; t < 3; ++t) workers.emplace_back(worker);
    for (auto& w : workers) w.join();

    for (std::size_t i = 0; i < table.size(); ++i) {
        const Row& row = table[i];
        const ChildResult& r = outcomes[i].run;
        const std::string detail = json_detail(r.out);
        // The matrix, for the record (`meson test -v faults`).
        std::printf("fault %s:%s -> exit %d in %lld ms, peak RSS %ld KiB: %s\n", row.stage,
                    row.action, r.exit_status, static_cast<long long>(r.elapsed.count()),
                    r.max_rss_kib, detail.c_str());
        INFO("--fault " << row.stage << ":" << row.action << " (" << r.elapsed.count()
                        << " ms, peak RSS " << r.max_rss_kib << " KiB)\nstdout: " << r.out
                        << "\nstderr: " << r.err);
        REQUIRE(errors[i].empty());
        CHECK_FALSE(r.timed_out);
        CHECK(r.exit_status == 75);
        CHECK(r.out.find("\"result\": \"deferred\"") != std::string::npos);
        CHECK(r.out.find("delivered") == std::string::npos);
        CHECK(outcomes[i].stored == 0);
        CHECK(r.elapsed <= configured_timeout + margin);
        // One line on stderr (the attempt's log line), naming the stage.
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(names_any(r.err, row.names));
        CHECK(names_any(detail, row.names));
        if (std::string_view(row.action) == "hugeline") {
            // 1 MiB without a line end: the client must stop buffering at its
            // line limit (64 KiB), not hold the whole line.
            CHECK(r.max_rss_kib <= baseline + 16 * 1024);
            if (!sanitized) CHECK(r.max_rss_kib <= 50 * 1024);
        }
    }
}

}  // namespace ocspmx::test
