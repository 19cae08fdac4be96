#include "net/tcp_stream.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "net/address.hpp"
#include "net/poll.hpp"

namespace ocspmx::net {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

Result<UniqueFd> open_socket(int family)
{
    UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
    if (!fd.valid()) return make_error("socket: " + errno_text(errno));
    // SMTP is a command/reply dialogue: don't hold small writes back (Nagle),
    // since pipelined groups are written in one call anyway.
    const int one = 1;
    (void)::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Non-blocking connect: EINPROGRESS, wait for writability, then SO_ERROR.
Result<void> finish_connect(int fd, Clock::time_point deadline)
{
    if (auto w = wait_fd(fd, POLLOUT, deadline); !w) return w;
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) return make_error(errno_text(err));
    return {};
}

}  // namespace

Result<TcpStream> TcpStream::connect(std::string_view address, std::uint16_t port,
                                     Clock::time_point deadline)
{
    std::string endpoint = format_endpoint(address, port);
    const std::string context = "connect to " + endpoint;
    auto sa = parse_numeric(address, port);
    if (!sa) return sa.error().with_context(context);
    auto fd = open_socket(sa->storage.ss_family);
    if (!fd) return fd.error().with_context(context);
    const auto* addr = reinterpret_cast<const sockaddr*>(&sa->storage);
    if (::connect(fd->get(), addr, sa->length) != 0) {
        // EINTR: the connect goes on in the background, as with EINPROGRESS.
        if (errno != EINPROGRESS && errno != EINTR) {
            return make_error(context + ": " + errno_text(errno));
        }
        if (auto done = finish_connect(fd->get(), deadline); !done) {
            return done.error().with_context(context);
        }
    }
    return TcpStream(std::move(*fd), std::move(endpoint));
}

Result<std::size_t> TcpStream::read_some(std::span<char> buf, Clock::time_point deadline)
{
    if (!fd_.valid()) return make_error("read from " + endpoint_ + ": connection closed");
    for (;;) {
        const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return make_error("read from " + endpoint_ + ": " + errno_text(errno));
        }
        if (auto w = wait_fd(fd_.get(), POLLIN, deadline); !w) {
            return w.error().with_context("read from " + endpoint_);
        }
    }
}

Result<void> TcpStream::write_all(std::span<const char> data, Clock::time_point deadline)
{
    if (!fd_.valid()) return make_error("write to " + endpoint_ + ": connection closed");
    while (!data.empty()) {
        const ssize_t n = ::send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            data = data.subspan(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return make_error("write to " + endpoint_ + ": " + errno_text(errno));
        }
        if (auto w = wait_fd(fd_.get(), POLLOUT, deadline); !w) {
            return w.error().with_context("write to " + endpoint_);
        }
    }
    return {};
}

}  // namespace ocspmx::net
