// Policy decision table: list outcomes → one decision per host (CONTRACT §2).
#include <catch2/catch_test_macros.hpp>
#include <initializer_list>
#include <utility>

#include "transport/policy.hpp"

using namespace ocspmx::transport;
using ListOutcome = ocspmx::hostlist::Outcome;

namespace {

constexpr ListOutcome M = ListOutcome::match;
constexpr ListOutcome N = ListOutcome::no_match;
constexpr ListOutcome D = ListOutcome::defer;

ListOutcomes lists(std::initializer_list<std::pair<ListId, ListOutcome>> set)
{
    ListOutcomes out{};
    for (const auto& [id, outcome] : set) {
        out[static_cast<std::size_t>(id)].outcome = outcome;
        if (outcome == D) out[static_cast<std::size_t>(id)].reason = "DNS timeout";
    }
    return out;
}

struct Row {
    const char* name;
    ListOutcomes in;
    bool tryclear_option;
    OcspPolicy ocsp;
    TlsPolicy tls;
    VerifyPolicy verify;
    bool check_name;
    bool tryclear;
    bool defer;
};

}  // namespace

TEST_CASE("policy: list outcomes decide one policy per host", "[policy]")
{
    using L = ListId;
    const Row rows[] = {
        {"nothing matches", lists({}), true, OcspPolicy::none, TlsPolicy::attempt,
         VerifyPolicy::none, false, true, false},
        {"Exim defaults (request *, try_verify *, cert_hostnames *)",
         lists({{L::request_ocsp, M}, {L::try_verify_hosts, M}, {L::verify_cert_hostnames, M}}),
         true, OcspPolicy::request, TlsPolicy::attempt, VerifyPolicy::attempt, true, true, false},
        {"require_ocsp implies request, TLS, verification, no clear", lists({{L::require_ocsp, M}}),
         true, OcspPolicy::require, TlsPolicy::require, VerifyPolicy::require, false, false, false},
        {"require_ocsp beats avoid_tls", lists({{L::require_ocsp, M}, {L::avoid_tls, M}}), true,
         OcspPolicy::require, TlsPolicy::require, VerifyPolicy::require, false, false, false},
        {"require_tls: no clear fallback", lists({{L::require_tls, M}}), true, OcspPolicy::none,
         TlsPolicy::require, VerifyPolicy::none, false, false, false},
        {"avoid_tls", lists({{L::avoid_tls, M}}), true, OcspPolicy::none, TlsPolicy::avoid,
         VerifyPolicy::none, false, true, false},
        {"tls_tempfail_tryclear false", lists({}), false, OcspPolicy::none, TlsPolicy::attempt,
         VerifyPolicy::none, false, false, false},
        {"verify_hosts requires verification", lists({{L::verify_hosts, M}}), true,
         OcspPolicy::none, TlsPolicy::attempt, VerifyPolicy::require, false, true, false},
        {"defer in require_ocsp fails closed", lists({{L::require_ocsp, D}}), true,
         OcspPolicy::none, TlsPolicy::attempt, VerifyPolicy::none, false, true, true},
        {"defer in require_tls fails closed", lists({{L::require_tls, D}}), true, OcspPolicy::none,
         TlsPolicy::attempt, VerifyPolicy::none, false, true, true},
        {"defer in request_ocsp: request anyway", lists({{L::request_ocsp, D}}), true,
         OcspPolicy::request, TlsPolicy::attempt, VerifyPolicy::none, false, true, false},
        {"defer in avoid_tls: still try TLS", lists({{L::avoid_tls, D}}), true, OcspPolicy::none,
         TlsPolicy::attempt, VerifyPolicy::none, false, true, false},
        {"defer in verify_hosts: require", lists({{L::verify_hosts, D}}), true, OcspPolicy::none,
         TlsPolicy::attempt, VerifyPolicy::require, false, true, false},
        {"defer in cert_hostnames: check", lists({{L::verify_cert_hostnames, D}}), true,
         OcspPolicy::none, TlsPolicy::attempt, VerifyPolicy::none, true, true, false},
        {"request only", lists({{L::request_ocsp, M}}), true, OcspPolicy::request,
         TlsPolicy::attempt, VerifyPolicy::none, false, true, false},
    };
    for (const Row& row : rows) {
        INFO(row.name);
        const HostPolicy p = decide(row.in, row.tryclear_option);
        CHECK(p.ocsp == row.ocsp);
        CHECK(p.tls == row.tls);
        CHECK(p.verify == row.verify);
        CHECK(p.check_name == row.check_name);
        CHECK(p.tryclear == row.tryclear);
        CHECK(p.defer == row.defer);
    }
}

TEST_CASE("policy: a defer names the list and the reason", "[policy]")
{
    const HostPolicy p = decide(lists({{ListId::require_ocsp, D}, {ListId::require_tls, D}}), true);
    CHECK(p.defer);
    CHECK(p.defer_reason == "hosts_require_ocsp: DNS timeout; hosts_require_tls: DNS timeout");
}

TEST_CASE("policy: which OCSP states end the connection (CONTRACT §2, §4)", "[policy]")
{
    using ocspmx::ocsp::State;
    using L = ListId;
    struct Row {
        const char* name;
        ListOutcomes in;
        State state;
        bool fatal;
    };
    const auto require = lists({{L::require_ocsp, M}});
    const auto request = lists({{L::request_ocsp, M}});
    const auto request_verify = lists({{L::request_ocsp, M}, {L::verify_hosts, M}});
    const auto neither_verify = lists({{L::verify_hosts, M}});
    const Row rows[] = {
        {"require: verified", require, State::verified, false},
        {"require: failed", require, State::failed, true},
        {"require: no staple", require, State::not_responded, true},
        {"require: not requested", require, State::not_requested, true},
        {"request: failed is recorded", request, State::failed, false},
        {"request: no staple is recorded", request, State::not_responded, false},
        {"request + tls_verify_hosts: verified", request_verify, State::verified, false},
        {"request + tls_verify_hosts: a bad staple is fatal", request_verify, State::failed, true},
        {"request + tls_verify_hosts: no staple is recorded, not fatal", request_verify,
         State::not_responded, false},
        {"tls_verify_hosts only: not requested", neither_verify, State::not_requested, false},
        {"nothing", lists({}), State::not_requested, false},
    };
    for (const Row& row : rows) {
        INFO(row.name);
        CHECK(decide(row.in, true).ocsp_fatal(row.state) == row.fatal);
    }
}

TEST_CASE("policy: must-staple turns a host into a require host", "[policy]")
{
    HostPolicy p = decide(lists({{ListId::request_ocsp, M}}), true);
    apply_must_staple(p);
    CHECK(p.ocsp == OcspPolicy::require);
    CHECK(p.tls == TlsPolicy::require);
    CHECK(p.verify == VerifyPolicy::require);
    CHECK_FALSE(p.tryclear);
}
