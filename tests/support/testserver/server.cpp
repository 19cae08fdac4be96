#include "server.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ocspmx::testserver {
namespace {

Fd listen_on(const std::string& address, std::uint16_t port)
{
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = ::getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &res);
    if (rc != 0) throw std::runtime_error("--listen " + address + ": " + gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(res, &::freeaddrinfo);

    Fd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (res->ai_family == AF_INET6)
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (::bind(fd.get(), res->ai_addr, res->ai_addrlen) != 0 || ::listen(fd.get(), 128) != 0) {
        throw std::runtime_error("listen on " + address + " port " + std::to_string(port) + ": " +
                                 std::strerror(errno));
    }
    return fd;
}

std::uint16_t bound_port(int fd)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

}  // namespace

Server::Server(ServerContext& ctx, const std::string& address, std::uint16_t port)
    : ctx_(ctx), listener_(listen_on(address, port)), port_(bound_port(listener_.get()))
{
}

void Server::serve(int signal_fd)
{
    for (;;) {
        pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {signal_fd, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents != 0) break;
        reap();
        if ((fds[0].revents & POLLIN) != 0) {
            Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (client.valid()) {
                // Replies are single small writes: without this, Nagle holds
                // a reply back until the client ACKs the previous segment
                // (a delayed ACK costs 40 ms, e.g. after TLS 1.3 tickets).
                int one = 1;
                ::setsockopt(client.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                spawn(std::move(client));
            }
        }
    }
    listener_.reset();
    shutdown_all();
}

void Server::spawn(Fd client)
{
    const unsigned id = ++next_id_;
    const int fd = client.get();
    std::lock_guard lock(mutex_);
    // The worker's first act is to take the lock, so it cannot finish
    // before it is registered.
    std::thread thread([this, id, fd]() mutable {
        {
            std::lock_guard start(mutex_);
        }
        auto session = std::make_unique<SmtpSession>(ctx_, Fd(fd), id);
        session->run();
        {
            // Unregistered before the descriptor is closed, so shutdown_all
            // never touches a number the kernel has handed out again.
            std::lock_guard unregister(mutex_);
            workers_.at(id).fd = -1;
        }
        session.reset();
        std::lock_guard done(mutex_);
        finished_.push_back(id);
    });
    (void)client.release();
    workers_.emplace(id, Worker{std::move(thread), fd});
}

void Server::reap()
{
    std::vector<std::thread> done;
    {
        std::lock_guard lock(mutex_);
        for (unsigned id : finished_) {
            auto it = workers_.find(id);
            done.push_back(std::move(it->second.thread));
            workers_.erase(it);
        }
        finished_.clear();
    }
    for (auto& t : done) t.join();
}

void Server::shutdown_all()
{
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, worker] : workers_) {
            if (worker.fd >= 0) ::shutdown(worker.fd, SHUT_RDWR);
        }
    }
    std::vector<std::thread> all;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, worker] : workers_) all.push_back(std::move(worker.thread));
    }
    for (auto& t : all) t.join();
    std::lock_guard lock(mutex_);
    workers_.clear();
    finished_.clear();
}

}  // namespace ocspmx::testserver
