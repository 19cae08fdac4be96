// A real Exim 4.96 receiver (Debian exim4-daemon-heavy) stapling through
// tls_ocsp_file: a good staple delivers into its mailbox intact, a revoked
// staple defers with nothing delivered.
//
// GnuTLS 3.7 as Exim's server library refuses to load a revoked (or expired,
// tryLater, wrong-serial) response and Exim then answers STARTTLS with 454;
// an `unknown` response it does staple. So the revoked case is deferred at
// STARTTLS (never in clear), and the `unknown` case shows ocspmx refusing a
// staple that GnuTLS's own client check would accept.
#include <catch2/catch_test_macros.hpp>

#include "live.hpp"

using namespace ocspmx::itest;

namespace {

EximOptions stapling(const std::string& response)
{
    EximOptions options;
    options.cert = fixture("pki/leaf-chain.pem");
    options.key = fixture("pki/leaf.key");
    options.ocsp_file = live(response);
    return options;
}

}  // namespace

TEST_CASE("exim: good staple delivers intact, revoked staple defers", "[integration][exim]")
{
    EximServer exim(stapling("good.der"));
    const auto good = send_to(exim.port(), {"--hosts-require-ocsp", "*", "--json"});
    INFO(good.out << good.err << exim.mainlog() << exim.paniclog());
    CHECK(good.exit_status == 0);
    CHECK(good.out.find("\"status\": \"verified\"") != std::string::npos);
    REQUIRE(exim.wait_for_messages(1));
    const auto messages = exim.messages();
    REQUIRE(messages.size() == 1);
    // Exim adds its own headers above ours; the message itself is intact
    // (dot-unstuffed, LF line ends in the mailbox).
    CHECK(messages[0].find(to_lf(test_message())) != std::string::npos);
    // Both ends log the session alike: ocspmx's X= is Exim's own form.
    auto x_field = [](const std::string& log) {
        const std::size_t at = log.find(" X=");
        return at == std::string::npos ? std::string()
                                       : log.substr(at + 1, log.find(' ', at + 1) - at - 1);
    };
    const std::string exim_x = x_field(exim.mainlog());
    CHECK(exim_x.starts_with("X=TLS1.3:"));
    CHECK(x_field(good.err) == exim_x);

    exim.set_staple(read_file(live("revoked.der")));
    const auto revoked = send_to(exim.port(), {"--hosts-require-ocsp", "*", "--json"});
    INFO(revoked.out << revoked.err);
    CHECK(revoked.exit_status == 75);
    CHECK(revoked.out.find("\"result\": \"deferred\"") != std::string::npos);

    exim.set_staple(read_file(live("unknown.der")));
    const auto unknown = send_to(exim.port(), {"--hosts-require-ocsp", "*", "--json"});
    INFO(unknown.out << unknown.err);
    CHECK(unknown.exit_status == 75);
    CHECK(unknown.out.find("\"status\": \"failed\"") != std::string::npos);
    CHECK(unknown.out.find("unknown") != std::string::npos);

    CHECK(exim.messages().size() == 1);  // nothing more was delivered
    CHECK(exim.mainlog().find("<= a@client.test") == exim.mainlog().rfind("<= a@client.test"));
}
