// The listener: accepts connections on loopback and runs each SMTP dialogue
// on its own thread, so a stalled connection never blocks the next one.
// SIGTERM/SIGINT shut every connection down, join the threads and return.
#pragma once

#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "fd.hpp"
#include "smtp_session.hpp"

namespace ocspmx::testserver {

class Server {
public:
    // Binds and listens; throws std::runtime_error.
    Server(ServerContext& ctx, const std::string& address, std::uint16_t port);
    [[nodiscard]] std::uint16_t port() const { return port_; }

    // Serves until signal_fd (a signalfd) becomes readable.
    void serve(int signal_fd);

private:
    struct Worker {
        std::thread thread;
        int fd;  // shut down (not closed) on exit to wake the thread
    };

    void spawn(Fd client);
    void reap();
    void shutdown_all();

    ServerContext& ctx_;
    Fd listener_;
    std::uint16_t port_ = 0;
    unsigned next_id_ = 0;
    std::mutex mutex_;
    std::map<unsigned, Worker> workers_;
    std::vector<unsigned> finished_;
};

}  // namespace ocspmx::testserver
