// The fixture table (fixture_table.hpp): one verdict per fixture at the
// pinned reference time, plus the details the verdict reports.
#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <set>

#include "fixture_table.hpp"
#include "fixtures.hpp"

namespace ocspmx::ocsp::test {

namespace {

Verdict run(const Row& row, TimePoint now = reference_time())
{
    const auto bytes = read_bytes(fixture(std::string("ocsp/") + row.file));
    auto cert = pki_cert(row.cert);
    auto issuer = pki_cert(row.issuer);
    detail::CrtPtr trusted;
    std::vector<gnutls_x509_crt_t> trusted_list;
    if (row.trusted != nullptr) {
        trusted = pki_cert(row.trusted);
        trusted_list.push_back(trusted.get());
    }
    Input in;
    in.response = bytes;
    in.cert = cert.get();
    in.issuer = issuer.get();
    in.trusted_responders = trusted_list;
    in.now = now;
    return verify(in);
}

const Row& row_for(std::string_view file)
{
    for (const Row& r : rows)
        if (file == r.file) return r;
    throw std::logic_error("no row");
}

}  // namespace

TEST_CASE("every fixture gets its expected verdict", "[ocsp][table]")
{
    for (const Row& row : rows) {
        CAPTURE(row.file, row.cert, row.issuer, row.trusted ? row.trusted : "-");
        const Verdict v = run(row);
        CAPTURE(v.detail);
        CHECK(to_string(v.state) == std::string(to_string(row.state)));
        CHECK(to_string(v.reason) == std::string(to_string(row.reason)));
    }
}

TEST_CASE("every response file in tests/fixtures/ocsp has a row", "[ocsp][table]")
{
    std::set<std::string> covered;
    for (const Row& row : rows) covered.insert(row.file);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(fixture("ocsp"))) {
        ++files;
        CAPTURE(entry.path().filename().string());
        CHECK(covered.count(entry.path().filename().string()) == 1);
    }
    CHECK(files >= 30);
}

TEST_CASE("a verified verdict carries the response's details", "[ocsp]")
{
    const Verdict v = run(row_for("good-delegated.der"));
    REQUIRE(v.verified());
    CHECK(v.cert_status == CertStatus::good);
    CHECK(iso8601(*v.this_update) == "2026-06-01T00:00:00Z");
    CHECK(iso8601(*v.next_update) == "2026-06-08T00:00:00Z");
    CHECK(iso8601(*v.produced_at) == "2026-06-01T00:00:00Z");
    CHECK(v.responder.find("ocspmx Test OCSP Responder") != std::string::npos);
    CHECK(iso8601(*v.responder_not_after) == "2036-01-01T00:00:00Z");
    CHECK(v.matched_index == 0u);
}

TEST_CASE("revocation time and reason are reported", "[ocsp]")
{
    const Verdict v = run(row_for("two-singles-leaf-revoked-second.der"));
    CHECK(v.reason == Reason::cert_revoked);
    CHECK(v.cert_status == CertStatus::revoked);
    CHECK(v.matched_index == 1u);
    CHECK(iso8601(*v.revocation_time) == "2026-04-15T12:00:00Z");
    CHECK(v.revocation_reason == RevocationReason::key_compromise);
}

TEST_CASE("the strictest of several SingleResponses for the certificate wins", "[ocsp]")
{
    const Verdict v = run(row_for("leaf-twice-good-then-revoked.der"));
    CHECK(v.reason == Reason::cert_revoked);
    CHECK(v.matched_index == 1u);
}

TEST_CASE("verified with several SingleResponses: details of the first to go stale, window of all",
          "[ocsp]")
{
    const Verdict v = run(row_for("two-singles-second-expires-first.der"));
    REQUIRE(v.verified());
    CHECK(v.matched_index == 1u);
    CHECK(iso8601(*v.this_update) == "2026-05-31T11:57:00Z");
    CHECK(iso8601(*v.next_update) == "2026-06-01T11:57:00Z");
    REQUIRE(v.window);
    CHECK(iso8601(v.window->latest_this_update) == "2026-06-01T00:00:00Z");
    CHECK(iso8601(*v.window->earliest_next_update) == "2026-06-01T11:57:00Z");
    CHECK(!v.window->earliest_this_update_without_next);
}

TEST_CASE("an unknown critical extension is named in the detail", "[ocsp]")
{
    CHECK(run(row_for("critical-unknown-extension.der")).detail ==
          "critical responseExtension 1.3.6.1.4.1.99999.1");
    CHECK(run(row_for("critical-unknown-single-extension.der")).detail ==
          "critical singleExtension 1.3.6.1.4.1.99999.2");
}

TEST_CASE("no nextUpdate: absent in the details, max age applies", "[ocsp]")
{
    const Verdict v = run(row_for("no-next-update-fresh.der"));
    CHECK(v.verified());
    CHECK(!v.next_update.has_value());
}

TEST_CASE("the time window moves with the reference time", "[ocsp]")
{
    const Row& good = row_for("good-issuer.der");
    CHECK(run(good, *parse_time("2026-05-31T23:55:00Z")).verified());  // thisUpdate - skew
    CHECK(run(good, *parse_time("2026-05-31T23:54:59Z")).reason == Reason::response_not_yet_valid);
    CHECK(run(good, *parse_time("2026-06-08T00:05:00Z")).verified());  // nextUpdate + skew
    CHECK(run(good, *parse_time("2026-06-08T00:05:01Z")).reason == Reason::response_expired);
    // The delegated responder of responder-expired.der was valid in March.
    CHECK(run(row_for("responder-expired.der"), *parse_time("2026-03-31T00:00:00Z")).reason ==
          Reason::response_not_yet_valid);
}

TEST_CASE("missing certificate or issuer is bad input, not a crash", "[ocsp]")
{
    const auto bytes = read_bytes(fixture("ocsp/good-issuer.der"));
    Input in;
    in.response = bytes;
    in.now = reference_time();
    const Verdict v = verify(in);
    CHECK(v.state == State::failed);
    CHECK(v.reason == Reason::bad_input);
}

TEST_CASE("names of states and reasons", "[ocsp]")
{
    CHECK(std::string(to_string(State::not_responded)) == "not_responded");
    CHECK(std::string(to_string(Reason::status_try_later)) == "tryLater");
    CHECK(std::string(to_string(Reason::cert_revoked)) == "revoked");
    CHECK(std::string(to_string(RevocationReason::key_compromise)) == "keyCompromise");
}

TEST_CASE("parse_time accepts ISO 8601 and unix seconds", "[ocsp]")
{
    CHECK(parse_time("2026-06-01T12:00:00Z") == parse_time("1780315200"));
    CHECK(parse_time("@1780315200") == parse_time("2026-06-01 12:00:00"));
    CHECK(!parse_time("2026-13-01T00:00:00Z"));
    CHECK(!parse_time("yesterday"));
    CHECK(!parse_time(""));
}

}  // namespace ocspmx::ocsp::test
