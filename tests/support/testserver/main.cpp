// ocspmx-testserver: an SMTP server for the delivery tests. See
// tests/support/README.md for the flags and the record format.
#include <sys/signalfd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "options.hpp"
#include "server.hpp"

using namespace ocspmx::testserver;

int main(int argc, char** argv)
{
    Options options;
    try {
        options = parse_options(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << "ocspmx-testserver: " << e.what() << "\n" << usage();
        return 64;  // EX_USAGE
    }

    // Blocked before any thread exists, so only the signalfd sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    Fd signal_fd(::signalfd(-1, &stop_signals, SFD_CLOEXEC));

    try {
        std::unique_ptr<TlsServer> tls;
        if (options.tls_enabled()) tls = std::make_unique<TlsServer>(options);
        Maildir maildir(options.maildir);
        Recorder recorder(options.record);
        ServerContext ctx{options, tls.get(), maildir, recorder};
        Server server(ctx, options.listen, options.port);
        std::printf("listening %u\n", static_cast<unsigned>(server.port()));
        std::fflush(stdout);
        server.serve(signal_fd.get());
    } catch (const std::exception& e) {
        std::cerr << "ocspmx-testserver: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
