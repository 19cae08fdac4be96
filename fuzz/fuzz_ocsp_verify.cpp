// The OCSP verifier (CONTRACT.md §4) on arbitrary staple bytes, for a fixed
// valid certificate and issuer (tests/fixtures/pki: leaf.pem issued by
// intermediate-ca.pem) at the fixtures' reference time. Checked: no crash,
// no leak, `verified` exactly when there is no failure reason, and only for
// a good status; the verdict renders as valid JSON and a clean log line.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gnutls/x509.h>

#include "fuzz_support.hpp"
#include "json_check.hpp"
#include "ocspmx/ocsp.hpp"
#include "ocspmx/transport.hpp"

namespace {

using namespace ocspmx;

struct Certs {
    gnutls_x509_crt_t leaf = nullptr;
    gnutls_x509_crt_t issuer = nullptr;
    gnutls_x509_crt_t responder = nullptr;
};

gnutls_x509_crt_t load(const std::string& name)
{
    const std::string path = fuzz::fixture("pki/" + name);
    std::ifstream in(path, std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    gnutls_x509_crt_t crt = nullptr;
    const gnutls_datum_t d{reinterpret_cast<unsigned char*>(const_cast<char*>(pem.data())),
                           static_cast<unsigned>(pem.size())};
    if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) < 0) {
        fuzz::violated("cannot load fixture (set OCSPMX_SOURCE_ROOT)", path);
    }
    return crt;
}

// Loaded once and kept for the life of the process (not a leak: reachable).
const Certs& certs()
{
    static const Certs c{load("leaf.pem"), load("intermediate-ca.pem"), load("responder.pem")};
    return c;
}

// 2026-06-01T12:00:00Z, the instant the fixtures are evaluated at.
ocsp::TimePoint reference_time()
{
    return ocsp::TimePoint(std::chrono::seconds(1780315200));
}

void check(const ocsp::Verdict& v)
{
    FUZZ_CHECK(v.verified() == (v.reason == ocsp::Reason::none), v.detail);
    if (v.verified()) FUZZ_CHECK(v.cert_status == ocsp::CertStatus::good, v.detail);
    FUZZ_CHECK(v.state == ocsp::State::verified || v.state == ocsp::State::failed, v.detail);
    FUZZ_CHECK(ocsp::to_string(v.reason) != nullptr, v.detail);

    transport::Attempt a;
    a.host = "mx.ocspmx.test";
    a.address = "127.0.0.1";
    a.ocsp.policy = transport::OcspPolicy::require;
    a.ocsp.status = v.state;
    a.ocsp.reason = std::string(ocsp::to_string(v.reason)) + ": " + v.detail;
    a.detail = v.responder;
    transport::DeliveryReport report;
    report.attempts.push_back(a);
    const std::string json = transport::to_json(report);
    FUZZ_CHECK(fuzz::JsonCheck::valid(json), json);
    const std::string line = transport::log_line(a);
    FUZZ_CHECK(!fuzz::has_control(line, false), line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const Certs& c = certs();
    ocsp::Input input;
    input.response = std::span<const std::uint8_t>(data, size);
    input.cert = c.leaf;
    input.issuer = c.issuer;
    input.now = reference_time();
    check(ocsp::verify(input));

    // With a locally trusted responder (ocsp_trusted_responders).
    const gnutls_x509_crt_t trusted[] = {c.responder};
    input.trusted_responders = trusted;
    check(ocsp::verify(input));
    return 0;
}
