// Cross-check: `openssl ocsp` (3.0) on every fixture, run under faketime at
// the reference time (its validity check reads the clock, not -attime),
// with the same tolerances (-validity_period 300 = our 5m skew,
// -status_age 604800 = our 7d max age). Where OpenSSL's rules coincide with
// CONTRACT §4 the outcome must agree; the deliberate differences are the
// `OpenSsl` column of fixture_table.hpp:
//
// | difference       | fixture                               | OpenSSL  | ocspmx | why |
// | accepts_critical | critical-unknown-extension.der        | verified | failed | RFC 5280 §4.2 /
// RFC 6960 §4.4: an unrecognized critical extension must be rejected; OpenSSL's OCSP code never
// looks at criticality | | accepts_critical | critical-unknown-single-extension.der | verified |
// failed | the same, in singleExtensions | | first_match_only | leaf-twice-good-then-revoked.der |
// verified | failed | OCSP_resp_find_status() stops at the first matching SingleResponse; CONTRACT
// §4 rule 6: the strictest wins |
//
// Not differences here but worth knowing: OpenSSL rejects the root-signed
// response only because the root has no explicit OCSP-signing trust
// setting (X509_check_trust), and checks no delegated responder validity
// beyond its chain verification; ocspmx names the rule instead.
#include <sys/wait.h>

#include <array>
#include <catch2/catch_test_macros.hpp>
#include <cstdio>

#include "fixture_table.hpp"
#include "fixtures.hpp"

namespace ocspmx::ocsp::test {

namespace {

std::string quote(const std::string& s) { return "'" + s + "'"; }

std::string run_command(const std::string& command)
{
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
    pclose(pipe);
    return out;
}

// True when `openssl ocsp` calls the response verified and the certificate good.
bool openssl_verified(const Row& row, std::string& transcript)
{
    const std::string pki = fixture("pki/");
    std::string cmd = "faketime '2026-06-01 12:00:00' openssl ocsp -no_nonce";
    cmd += " -respin " + quote(fixture(std::string("ocsp/") + row.file));
    cmd += " -CAfile " + quote(pki + "root-ca.pem");
    cmd += " -verify_other " + quote(pki + row.issuer + ".pem");
    cmd += " -issuer " + quote(pki + row.issuer + ".pem");
    cmd += std::string(" -") + row.certid + " -cert " + quote(pki + row.cert + ".pem");
    cmd += " -validity_period 300 -status_age 604800";
    if (row.trusted != nullptr) cmd += " -VAfile " + quote(pki + row.trusted + ".pem");
    cmd += " 2>&1";
    transcript = run_command("TZ=UTC " + cmd);
    return transcript.find("Response verify OK") != std::string::npos &&
           transcript.find(".pem: good") != std::string::npos &&
           transcript.find("WARNING") == std::string::npos &&
           transcript.find("ERROR") == std::string::npos;
}

bool have_tools()
{
    return std::system("command -v openssl >/dev/null && command -v faketime >/dev/null") == 0;
}

}  // namespace

TEST_CASE("openssl ocsp agrees wherever its rules coincide with ours", "[openssl]")
{
    if (!have_tools()) SKIP("openssl or faketime not installed");
    std::size_t agreed = 0, differed = 0;
    for (const Row& row : rows) {
        std::string transcript;
        const bool theirs = openssl_verified(row, transcript);
        const bool ours = row.state == State::verified;
        CAPTURE(row.file, row.cert, transcript);
        if (row.openssl == OpenSsl::agrees) {
            CHECK(theirs == ours);
            ++agreed;
        } else {
            // A listed difference must really be one; else the table is stale.
            CHECK(theirs != ours);
            ++differed;
        }
    }
    CHECK(agreed + differed == rows.size());
    CHECK(differed == 3);
}

}  // namespace ocspmx::ocsp::test
