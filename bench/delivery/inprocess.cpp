// In-process delivery benchmark (issue 4): N sequential deliveries, a fresh
// connection each, OCSP required and verified, through ocspmx's Transport,
// next to a bare GnuTLS client doing the same exchange, in the same run,
// interleaved in rounds so that machine noise hits both alike.
//
//   bench-delivery-inprocess PORT ANCHORS.pem [N]
// (bench/delivery/run.sh starts the stapling server and passes its port.)
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bare_client.hpp"
#include "ocspmx/transport.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// CPU time of this (single-threaded) client, independent of how busy the
// shared machine is: the server runs in another process.
double cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string make_message()
{
    std::string m = "From: bench@client.test\r\nTo: sink@server.test\r\nSubject: bench\r\n\r\n";
    for (int i = 0; i < 16; ++i)
        m += "The quick brown fox jumps over the lazy dog, line " + std::to_string(i) + ".\r\n";
    return m;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s PORT ANCHORS.pem [N]\n", argv[0]);
        return 64;
    }
    const auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    const std::string anchors = argv[2];
    const int n = argc > 3 ? std::atoi(argv[3]) : 500;
    constexpr int rounds = 5;

    ocspmx::Config config;
    config.options.hosts_require_ocsp = "*";
    config.options.tls_verify_certificates = anchors;
    config.options.helo_data = "bench.test";
    auto transport = ocspmx::transport::Transport::open(config);
    if (!transport) {
        std::fprintf(stderr, "open: %s\n", transport.error().message.c_str());
        return 78;
    }
    bench::BareClient bare(anchors);
    const std::string message = make_message();
    const ocspmx::transport::Envelope envelope{"bench@client.test", {"sink@server.test"}};
    const ocspmx::transport::Host host{"localhost", "127.0.0.1", port};

    auto run_ocspmx = [&](int count, int& failures) {
        for (int i = 0; i < count; ++i) {
            const auto r = transport->deliver(envelope, message, {&host, 1});
            if (r.result != ocspmx::transport::Outcome::delivered ||
                r.attempts.back().ocsp.status != ocspmx::ocsp::State::verified) {
                if (failures++ == 0)
                    std::fprintf(stderr, "ocspmx: %s\n", ocspmx::transport::to_json(r).c_str());
            }
        }
    };
    auto run_bare = [&](int count, int& failures) {
        std::string error;
        for (int i = 0; i < count; ++i) {
            if (!bare.deliver(port, message, error) && failures++ == 0) {
                std::fprintf(stderr, "bare: %s\n", error.c_str());
            }
        }
    };

    int f_ocspmx = 0, f_bare = 0;
    run_ocspmx(10, f_ocspmx);  // warm-up, not timed
    run_bare(10, f_bare);
    f_ocspmx = f_bare = 0;
    Clock::duration t_ocspmx{}, t_bare{};
    double c_ocspmx = 0, c_bare = 0;
    for (int r = 0; r < rounds; ++r) {
        const int count = n / rounds + (r < n % rounds ? 1 : 0);
        const double c0 = cpu_seconds();
        auto t0 = Clock::now();
        run_ocspmx(count, f_ocspmx);
        auto t1 = Clock::now();
        const double c1 = cpu_seconds();
        run_bare(count, f_bare);
        auto t2 = Clock::now();
        c_ocspmx += c1 - c0;
        c_bare += cpu_seconds() - c1;
        t_ocspmx += t1 - t0;
        t_bare += t2 - t1;
    }
    const double s_ocspmx = std::chrono::duration<double>(t_ocspmx).count();
    const double s_bare = std::chrono::duration<double>(t_bare).count();
    std::printf(
        "in-process: N=%d sequential deliveries each, fresh connection, OCSP required, "
        "127.0.0.1:%u\n",
        n, static_cast<unsigned>(port));
    std::printf("                             wall total  wall/delivery  client CPU/delivery\n");
    std::printf("  ocspmx Transport::deliver  %8.3f s  %9.3f ms  %12.3f ms  failures %d\n",
                s_ocspmx, 1000 * s_ocspmx / n, 1000 * c_ocspmx / n, f_ocspmx);
    std::printf("  bare GnuTLS client         %8.3f s  %9.3f ms  %12.3f ms  failures %d\n", s_bare,
                1000 * s_bare / n, 1000 * c_bare / n, f_bare);
    std::printf("  ratio ocspmx / bare: wall %.3f (target <= 1.2), client CPU %.3f\n",
                s_ocspmx / s_bare, c_ocspmx / c_bare);
    return f_ocspmx == 0 && f_bare == 0 ? 0 : 1;
}
