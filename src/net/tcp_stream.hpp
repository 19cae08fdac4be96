// TCP connection to a numeric address with deadlines on every operation.
//
// The socket is non-blocking for its whole life, and stays so when handed to
// GnuTLS (gnutls_transport_set_int(session, stream.fd())): the TLS layer must
// treat GNUTLS_E_AGAIN by waiting with net::wait_fd() until its own deadline.
// Writes use MSG_NOSIGNAL, so a peer reset is an error, never SIGPIPE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/fd.hpp"
#include "net/stream.hpp"
#include "ocspmx/result.hpp"

namespace ocspmx::net {

class TcpStream final : public Stream {
public:
    // Errors name the endpoint: "connect to [::1]:2525: Connection refused",
    // "connect to 192.0.2.1:25: timeout".
    [[nodiscard]] static Result<TcpStream> connect(std::string_view address, std::uint16_t port,
                                                   Clock::time_point deadline);

    TcpStream(TcpStream&&) noexcept = default;
    TcpStream& operator=(TcpStream&&) noexcept = default;

    [[nodiscard]] Result<std::size_t> read_some(std::span<char> buf,
                                                Clock::time_point deadline) override;
    [[nodiscard]] Result<void> write_all(std::span<const char> data,
                                         Clock::time_point deadline) override;

    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    // "[::1]:2525", for messages and logs.
    [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }
    void close() noexcept { fd_.reset(); }

private:
    TcpStream(UniqueFd fd, std::string endpoint)
        : fd_(std::move(fd)), endpoint_(std::move(endpoint))
    {
    }

    UniqueFd fd_;
    std::string endpoint_;
};

}  // namespace ocspmx::net
