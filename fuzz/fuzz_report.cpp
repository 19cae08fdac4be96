// The writers that carry hostile server text (CONTRACT §5): the JSON report,
// Exim-style log lines and the SMTP transcript.
//
// The input is played as a server's side of an SMTP session to smtp::Client
// (greeting, EHLO, one transaction with two recipients, QUIT), with a
// transcript hook; what the client reports then fills a DeliveryReport the
// way the transport does. The input is also split at NUL bytes into raw
// report fields. Asserted: the JSON is one valid RFC 8259 value on one line,
// log lines and transcript lines hold no control characters (a tab is
// allowed in the transcript only).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "json_check.hpp"
#include "net/stream.hpp"
#include "ocspmx/transport.hpp"
#include "smtp/client.hpp"
#include "transport/json.hpp"

namespace {

using namespace ocspmx;

// Serves the input in reads of varying size, then end of stream; accepts
// every write.
class FuzzStream final : public net::Stream {
public:
    explicit FuzzStream(std::string_view bytes) : rest_(bytes) {}

    Result<std::size_t> read_some(std::span<char> buf, net::Clock::time_point) override
    {
        if (rest_.empty()) return std::size_t{0};
        const std::size_t want = 1 + (reads_++ * 977) % 5000;
        const std::size_t n = std::min({buf.size(), rest_.size(), want});
        std::copy_n(rest_.data(), n, buf.data());
        rest_.remove_prefix(n);
        return n;
    }
    Result<void> write_all(std::span<const char>, net::Clock::time_point) override { return {}; }

private:
    std::string_view rest_;
    std::size_t reads_ = 0;
};

void check_report(const transport::DeliveryReport& report)
{
    const std::string json = transport::to_json(report);
    FUZZ_CHECK(fuzz::JsonCheck::valid(json), json);
    FUZZ_CHECK(!fuzz::has_control(json, false), json);  // escaped: one line, no raw DEL
    for (const auto& a : report.attempts) {
        const std::string line = transport::log_line(a);
        FUZZ_CHECK(!fuzz::has_control(line, false), line);
    }
}

transport::Outcome outcome_of(smtp::RecipientStatus s)
{
    switch (s) {
    case smtp::RecipientStatus::accepted: return transport::Outcome::delivered;
    case smtp::RecipientStatus::deferred: return transport::Outcome::deferred;
    case smtp::RecipientStatus::failed: return transport::Outcome::failed;
    }
    return transport::Outcome::deferred;
}

void session(std::string_view server_bytes)
{
    FuzzStream stream(server_bytes);
    smtp::Options options;
    options.limits.max_line = 2048;  // keeps buffering small; the default is covered by fuzz_smtp_reply
    options.transcript = [](smtp::Direction, std::string_view line, bool) {
        FUZZ_CHECK(!fuzz::has_control(line, true), line);
    };
    smtp::Client client(stream, options);

    transport::Attempt a;
    a.host = "mx.ocspmx.test";
    a.address = "127.0.0.1";
    transport::DeliveryReport report;
    auto record_error = [&](const Error& e) {
        a.detail = e.message;
        report.attempts.push_back(a);
        check_report(report);
    };
    if (auto g = client.greeting(); !g) return record_error(g.error());
    if (auto e = client.ehlo("client.ocspmx.test"); !e) return record_error(e.error());

    const smtp::Envelope envelope{"sender@ocspmx.test", {"a@ocspmx.test", "b@ocspmx.test"}};
    static constexpr std::string_view message = "Subject: fuzz\r\n\r\nbody\r\n.leading dot\r\n";
    const auto tx = client.send_message(envelope, message);
    a.outcome = tx.outcome == smtp::Outcome::delivered ? transport::Outcome::delivered
                                                       : transport::Outcome::deferred;
    a.detail = tx.final_reply ? tx.final_reply->summary() : tx.error;
    report.attempts.push_back(a);
    for (const auto& r : tx.recipients) {
        report.recipients.push_back({r.address, outcome_of(r.status), r.smtp});
    }
    (void)client.quit();
    check_report(report);
}

void raw_fields(std::string_view input)
{
    std::vector<std::string> f;
    for (std::size_t i = 0; i < 8; ++i) {
        const auto nul = input.find('\0');
        f.emplace_back(input.substr(0, nul));
        input = nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1);
    }
    transport::Attempt a;
    // The address is numeric (getaddrinfo, --resolve), never server text;
    // the host name may come from DNS (an MX target).
    a.host = f[0] + f[1];
    a.address = "192.0.2.1";
    a.tls.active = true;
    a.tls.version = "TLS1.3";
    a.tls.cipher = "TLS_AES_256_GCM_SHA384:256";
    a.tls.verify_error = f[2];
    a.ocsp.status = ocsp::State::failed;
    a.ocsp.reason = f[3];
    a.detail = f[4];
    transport::DeliveryReport report;
    report.attempts.push_back(a);
    report.recipients.push_back({f[5], transport::Outcome::failed, f[6]});
    check_report(report);
    const std::string quoted = transport::json::quote(f[7]);
    FUZZ_CHECK(fuzz::JsonCheck::valid(quoted), quoted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    raw_fields(input);
    session(input);
    return 0;
}
