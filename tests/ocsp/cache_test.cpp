// VerifiedCache: hits, the time window re-checked on every hit, expiry at
// min(nextUpdate, signer notAfter), LRU bound, keys, threads.
#include "ocsp/cache.hpp"

#include <catch2/catch_test_macros.hpp>
#include <thread>

#include "fixtures.hpp"

namespace ocspmx::ocsp::test {

namespace {

struct Case {
    std::vector<std::uint8_t> bytes;
    detail::CrtPtr cert = pki_cert("leaf");
    detail::CrtPtr issuer = pki_cert("intermediate-ca");
    Input in;

    explicit Case(const char* file, TimePoint now = reference_time())
        : bytes(read_bytes(fixture(std::string("ocsp/") + file)))
    {
        in.response = bytes;
        in.cert = cert.get();
        in.issuer = issuer.get();
        in.now = now;
    }
};

}  // namespace

TEST_CASE("a verified response is served from the cache", "[ocsp][cache]")
{
    VerifiedCache cache(8);
    Case c("good-delegated.der");
    REQUIRE(!cache.lookup(c.in));
    CHECK(cache.verify(c.in).verified());
    auto hit = cache.lookup(c.in);
    REQUIRE(hit);
    CHECK(hit->verified());
    CHECK(cache.verify(c.in).verified());
    CHECK(cache.stats().hits == 2);
    CHECK(cache.stats().size == 1);
}

TEST_CASE("failed verdicts are not cached", "[ocsp][cache]")
{
    VerifiedCache cache(8);
    Case c("revoked.der");
    CHECK(cache.verify(c.in).reason == Reason::cert_revoked);
    CHECK(cache.stats().size == 0);
}

TEST_CASE("the time window is re-checked on every hit", "[ocsp][cache]")
{
    VerifiedCache cache(8);
    Case c("good-issuer.der");
    REQUIRE(cache.verify(c.in).verified());
    c.in.now = *parse_time("2026-06-08T00:05:00Z");  // nextUpdate + skew: still fine
    CHECK(cache.lookup(c.in));
    c.in.now = *parse_time("2026-06-08T00:05:01Z");
    CHECK(!cache.lookup(c.in));
    CHECK(cache.stats().size == 0);  // dropped
    CHECK(cache.verify(c.in).reason == Reason::response_expired);
    c.in.now = *parse_time("2026-05-31T23:00:00Z");  // before thisUpdate - skew
    CHECK(!cache.lookup(c.in));
}

TEST_CASE("a hit re-checks the window of every SingleResponse for the certificate", "[ocsp][cache]")
{
    // [leaf good until 06-08, leaf good until 06-01T11:57Z]: the second one
    // decides when the verdict goes stale, though the first one is listed first.
    struct Step {
        const char* now;
        Reason direct;
    };
    constexpr Step steps[] = {
        {"2026-06-01T12:00:00Z", Reason::none},
        {"2026-06-01T12:02:00Z", Reason::none},  // nextUpdate + skew
        {"2026-06-01T12:02:01Z", Reason::response_expired},
        {"2026-06-01T12:10:00Z", Reason::response_expired},
    };
    VerifiedCache cache(8);
    Case c("two-singles-second-expires-first.der");
    for (const Step& s : steps) {
        CAPTURE(s.now);
        c.in.now = *parse_time(s.now);
        const Verdict direct = ocsp::verify(c.in);
        CHECK(direct.reason == s.direct);
        const Verdict cached = cache.verify(c.in);
        CHECK(cached.state == direct.state);
        CHECK(cached.reason == direct.reason);
    }
    CHECK(cache.stats().hits == 1);
}

TEST_CASE("an entry ends at the signer certificate's notAfter", "[ocsp][cache]")
{
    Verdict v;
    v.state = State::verified;
    v.window = Verdict::Window{*parse_time("2026-06-01T00:00:00Z"),
                               *parse_time("2026-06-08T00:00:00Z"), std::nullopt};
    v.responder_not_after = *parse_time("2026-06-02T00:00:00Z");
    Input in;
    in.now = *parse_time("2026-06-01T12:00:00Z");
    CHECK(still_valid(v, in));
    in.now = *parse_time("2026-06-02T00:00:01Z");
    CHECK(!still_valid(v, in));
}

TEST_CASE("the key covers the certificate, issuer and trusted responders", "[ocsp][cache]")
{
    VerifiedCache cache(8);
    Case c("delegated-cert-missing.der");
    auto responder = pki_cert("responder");
    std::vector<gnutls_x509_crt_t> trusted{responder.get()};
    c.in.trusted_responders = trusted;
    REQUIRE(cache.verify(c.in).verified());
    c.in.trusted_responders = {};
    CHECK(!cache.lookup(c.in));
    CHECK(cache.verify(c.in).reason == Reason::signer_not_found);

    Case other("good-issuer.der");
    REQUIRE(cache.verify(other.in).verified());
    auto other_leaf = pki_cert("other-leaf");
    other.in.cert = other_leaf.get();
    CHECK(!cache.lookup(other.in));
}

TEST_CASE("the cache is bounded, least recently used out first", "[ocsp][cache]")
{
    VerifiedCache cache(2);
    Case a("good-issuer.der"), b("good-delegated.der"), c("good-sha256-certid.der");
    REQUIRE(cache.verify(a.in).verified());
    REQUIRE(cache.verify(b.in).verified());
    REQUIRE(cache.lookup(a.in));  // a is now the most recent
    REQUIRE(cache.verify(c.in).verified());
    CHECK(cache.stats().size == 2);
    CHECK(cache.lookup(a.in));
    CHECK(!cache.lookup(b.in));
    CHECK(cache.lookup(c.in));
}

TEST_CASE("the cache is safe to share between threads", "[ocsp][cache]")
{
    VerifiedCache cache(4);
    Case a("good-issuer.der"), b("good-delegated.der"), c("revoked.der");
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (!cache.verify(a.in).verified()) ++wrong;
                if (!cache.verify(b.in).verified()) ++wrong;
                if (cache.verify(c.in).reason != Reason::cert_revoked) ++wrong;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
    CHECK(cache.stats().size == 2);
}

}  // namespace ocspmx::ocsp::test
