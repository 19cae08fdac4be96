// OCSP verification cost (issue 3): median µs per ocsp::verify() for an
// issuer-signed and a delegated response, next to a bare
// gnutls_ocsp_resp_verify_direct() (import + verify, what any verifier must
// at least do) on the same bytes in the same run, and the cost of a
// VerifiedCache hit. Targets: ratio <= 1.5, cache hit <= 2 µs.
//
//   bench_ocsp [--batches N] [--iterations N]
// Fixtures: $OCSPMX_SOURCE_ROOT/tests/fixtures (default: the source tree).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "ocsp/cache.hpp"
#include "ocsp/handles.hpp"
#include "ocsp/text.hpp"
#include "ocspmx/ocsp.hpp"

namespace {

using namespace ocspmx::ocsp;
using detail::CrtPtr;

std::string fixture(const std::string& relative)
{
    const char* root = std::getenv("OCSPMX_SOURCE_ROOT");
    return std::string(root != nullptr ? root : OCSPMX_DEFAULT_SOURCE_ROOT) + "/tests/fixtures/" +
           relative;
}

std::vector<std::uint8_t> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CrtPtr cert(const std::string& name)
{
    const auto pem = read_bytes(fixture("pki/" + name + ".pem"));
    gnutls_x509_crt_t raw = nullptr;
    gnutls_x509_crt_init(&raw);
    CrtPtr crt(raw);
    const gnutls_datum_t d = detail::borrowed_datum(pem);
    if (gnutls_x509_crt_import(crt.get(), &d, GNUTLS_X509_FMT_PEM) < 0)
        throw std::runtime_error("bad certificate " + name);
    return crt;
}

// The baseline: parse the bytes and check the signature, nothing else.
bool bare_verify_direct(std::span<const std::uint8_t> bytes, gnutls_x509_crt_t issuer)
{
    gnutls_ocsp_resp_t raw = nullptr;
    if (gnutls_ocsp_resp_init(&raw) < 0) return false;
    detail::OcspRespPtr resp(raw);
    const gnutls_datum_t d = detail::borrowed_datum(bytes);
    unsigned status = 1;
    return gnutls_ocsp_resp_import(resp.get(), &d) >= 0 &&
           gnutls_ocsp_resp_verify_direct(resp.get(), issuer, &status, 0) >= 0 && status == 0;
}

struct Timer {
    const char* name;
    std::function<bool()> call;
    std::vector<double> batch_us;  // µs per call, one entry per batch
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    int batches = 31, iterations = 300;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--batches") == 0) batches = std::max(1, std::atoi(argv[i + 1]));
        if (std::strcmp(argv[i], "--iterations") == 0)
            iterations = std::max(1, std::atoi(argv[i + 1]));
    }
    const auto leaf = cert("leaf");
    const auto issuer = cert("intermediate-ca");
    const auto issuer_signed = read_bytes(fixture("ocsp/good-issuer.der"));
    const auto delegated = read_bytes(fixture("ocsp/good-delegated.der"));

    auto input = [&](std::span<const std::uint8_t> bytes) {
        Input in;
        in.response = bytes;
        in.cert = leaf.get();
        in.issuer = issuer.get();
        in.now = *parse_time("2026-06-01T12:00:00Z");
        return in;
    };
    const Input in_issuer = input(issuer_signed);
    const Input in_delegated = input(delegated);
    VerifiedCache cache(64);
    if (!verify(in_issuer).verified() || !verify(in_delegated).verified() ||
        !bare_verify_direct(issuer_signed, issuer.get()) ||
        !bare_verify_direct(delegated, issuer.get()) || !cache.verify(in_delegated).verified()) {
        std::fputs("bench_ocsp: a fixture does not verify; fixtures out of date?\n", stderr);
        return 1;
    }

    std::vector<Timer> timers{
        {"issuer-signed ocspmx", [&] { return verify(in_issuer).verified(); }, {}},
        {"issuer-signed bare", [&] { return bare_verify_direct(issuer_signed, issuer.get()); }, {}},
        {"delegated ocspmx", [&] { return verify(in_delegated).verified(); }, {}},
        {"delegated bare", [&] { return bare_verify_direct(delegated, issuer.get()); }, {}},
        {"cache hit", [&] { return cache.verify(in_delegated).verified(); }, {}},
    };
    // Interleaved batches, so load from other processes hits every case alike.
    for (int b = 0; b < batches; ++b) {
        for (Timer& t : timers) {
            bool ok = true;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < iterations; ++i) ok = t.call() && ok;
            const auto end = std::chrono::steady_clock::now();
            if (!ok) {
                std::fprintf(stderr, "bench_ocsp: %s stopped verifying\n", t.name);
                return 1;
            }
            t.batch_us.push_back(std::chrono::duration<double, std::micro>(end - start).count() /
                                 iterations);
        }
    }
    const double is_ours = median(timers[0].batch_us), is_bare = median(timers[1].batch_us);
    const double dg_ours = median(timers[2].batch_us), dg_bare = median(timers[3].batch_us);
    const double hit = median(timers[4].batch_us);
    std::printf("ocsp verification, median of %d batches x %d calls (µs per call)\n", batches,
                iterations);
    std::printf("%-15s %12s %22s %8s\n", "response", "ocsp::verify", "bare verify_direct", "ratio");
    std::printf("%-15s %12.1f %22.1f %8.2f   (target <= 1.5)\n", "issuer-signed", is_ours, is_bare,
                is_ours / is_bare);
    std::printf("%-15s %12.1f %22.1f %8.2f   (target <= 1.5)\n", "delegated", dg_ours, dg_bare,
                dg_ours / dg_bare);
    std::printf("%-15s %12.2f %22s %8s   (target <= 2 µs)\n", "cache hit", hit, "-", "-");
    return 0;
}
