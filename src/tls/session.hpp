// A GnuTLS client session over a connected socket, as a net::Stream with
// deadlines. The socket stays owned by whoever connected it (the TcpStream);
// the session only borrows its descriptor.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "net/stream.hpp"
#include "ocspmx/result.hpp"
#include "tls/context.hpp"
#include "tls/handles.hpp"

namespace ocspmx::tls {

struct HandshakeOptions {
    std::optional<std::string> server_name;  // SNI (RFC 6066 §3); never an IP literal
    bool request_status = false;             // status_request (RFC 6066 §8)
};

class Session final : public net::Stream {
public:
    // Runs the handshake on `fd` (a connected socket, switched to
    // non-blocking). Does not verify the peer: that is the caller's decision
    // (peer.hpp, staple.hpp), taken before anything is written.
    [[nodiscard]] static Result<std::unique_ptr<Session>> handshake(
        const Context& context, int fd, const HandshakeOptions& options,
        net::Clock::time_point deadline);

    [[nodiscard]] Result<std::size_t> read_some(std::span<char> buf,
                                                net::Clock::time_point deadline) override;
    [[nodiscard]] Result<void> write_all(std::span<const char> data,
                                         net::Clock::time_point deadline) override;

    // "TLS1.3"
    [[nodiscard]] std::string version() const;
    // GnuTLS's suite name and the key bits, "TLS_AES_256_GCM_SHA384:256".
    [[nodiscard]] std::string cipher() const;
    // The same as Exim 4.96 (GnuTLS) writes it after the version in X=:
    // "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256".
    [[nodiscard]] std::string exim_cipher() const;
    [[nodiscard]] bool is_tls13() const;
    // The peer's certificates as sent, leaf first (borrowed).
    [[nodiscard]] std::span<const gnutls_datum_t> peer_certificates() const;
    // The staple for certificate `index` of the peer chain (0 = leaf; others
    // only under TLS 1.3, RFC 8446 §4.4.2.1); empty when none. Borrowed.
    [[nodiscard]] std::span<const std::uint8_t> staple(unsigned index) const;

    // Ends the session with a fatal alert (no close_notify after it).
    void abort_with_alert(gnutls_alert_description_t alert, net::Clock::time_point deadline);
    // Sends close_notify, best effort.
    void close(net::Clock::time_point deadline);

    [[nodiscard]] gnutls_session_t native() const { return session_.get(); }

private:
    Session(SessionPtr session, int fd) : session_(std::move(session)), fd_(fd) {}
    [[nodiscard]] Result<void> wait(net::Clock::time_point deadline, std::string_view what);

    SessionPtr session_;
    int fd_;
    bool closed_ = false;
};

// gnutls_session_get_desc() text, "(TLS1.3)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-
// SHA256)-(AES-256-GCM)", as Exim's X= cipher part: the groups after the
// version joined by "__", '-' inside a group written '_', then ":" and the
// key bits. Empty when the text is not of that shape.
[[nodiscard]] std::string exim_cipher_name(std::string_view desc, unsigned key_bits);

}  // namespace ocspmx::tls
