#include "tls/session.hpp"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <vector>

#include "tls/errors.hpp"

namespace ocspmx::tls {

namespace {

Result<void> set_nonblocking(int fd)
{
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        return make_error("TLS: cannot make the socket non-blocking");
    }
    return {};
}

bool is_retry(int rc) { return rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED; }

}  // namespace

Result<void> Session::wait(net::Clock::time_point deadline, std::string_view what)
{
    // gnutls_record_get_direction: 0 = it wanted to read, 1 = to write.
    const short events = gnutls_record_get_direction(session_.get()) ? POLLOUT : POLLIN;
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - net::Clock::now());
        if (left.count() <= 0) return make_error(std::string(what) + ": timeout");
        pollfd p{fd_, events, 0};
        const int n = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30)));
        if (n > 0) return {};
        if (n < 0 && errno != EINTR) return make_error(std::string(what) + ": poll failed");
    }
}

Result<std::unique_ptr<Session>> Session::handshake(const Context& context, int fd,
                                                    const HandshakeOptions& options,
                                                    net::Clock::time_point deadline)
{
    gnutls_session_t raw = nullptr;
    // GNUTLS_NO_SIGNAL: a peer that resets the connection must not kill an
    // MTA that loaded us with SIGPIPE.
    if (int rc = gnutls_init(&raw, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL); rc < 0) {
        return tls_error("TLS session", rc);
    }
    std::unique_ptr<Session> self(new Session(SessionPtr(raw), fd));
    if (int rc = gnutls_priority_set(raw, context.priority()); rc < 0) {
        return tls_error("TLS priority", rc);
    }
    if (int rc = gnutls_credentials_set(raw, GNUTLS_CRD_CERTIFICATE, context.credentials());
        rc < 0) {
        return tls_error("TLS credentials", rc);
    }
    if (options.server_name && !options.server_name->empty()) {
        const int rc = gnutls_server_name_set(raw, GNUTLS_NAME_DNS, options.server_name->data(),
                                              options.server_name->size());
        if (rc < 0) return tls_error("TLS SNI", rc);
    }
    if (options.request_status) {
        if (int rc = gnutls_ocsp_status_request_enable_client(raw, nullptr, 0, nullptr); rc < 0) {
            return tls_error("TLS status request", rc);
        }
    }
    // The deadline is ours (poll below), not GnuTLS's.
    gnutls_handshake_set_timeout(raw, GNUTLS_INDEFINITE_TIMEOUT);
    if (auto nb = set_nonblocking(fd); !nb) return nb.error();
    gnutls_transport_set_int(raw, fd);

    for (;;) {
        const int rc = gnutls_handshake(raw);
        if (rc == GNUTLS_E_SUCCESS) break;
        if (is_retry(rc)) {
            if (auto w = self->wait(deadline, "TLS handshake"); !w) return w.error();
            continue;
        }
        if (gnutls_error_is_fatal(rc) == 0) continue;  // a warning alert
        return tls_error("TLS handshake", rc, raw);
    }
    return self;
}

Result<std::size_t> Session::read_some(std::span<char> buf, net::Clock::time_point deadline)
{
    for (;;) {
        const ssize_t rc = gnutls_record_recv(session_.get(), buf.data(), buf.size());
        if (rc >= 0) return static_cast<std::size_t>(rc);
        const int err = static_cast<int>(rc);
        // A peer that closes without close_notify is a closed peer for SMTP,
        // whose replies are self-delimiting (RFC 5321 §4.2).
        if (err == GNUTLS_E_PREMATURE_TERMINATION) return std::size_t{0};
        if (is_retry(err)) {
            if (auto w = wait(deadline, "TLS read"); !w) return w.error();
            continue;
        }
        if (err == GNUTLS_E_REHANDSHAKE || gnutls_error_is_fatal(err) == 0) continue;
        return tls_error("TLS read", err, session_.get());
    }
}

Result<void> Session::write_all(std::span<const char> data, net::Clock::time_point deadline)
{
    while (!data.empty()) {
        const ssize_t rc = gnutls_record_send(session_.get(), data.data(), data.size());
        if (rc >= 0) {
            data = data.subspan(static_cast<std::size_t>(rc));
            continue;
        }
        const int err = static_cast<int>(rc);
        if (is_retry(err)) {
            if (auto w = wait(deadline, "TLS write"); !w) return w.error();
            // GnuTLS buffered the record: retry with the same data.
            continue;
        }
        return tls_error("TLS write", err, session_.get());
    }
    return {};
}

std::string Session::version() const
{
    const char* name = gnutls_protocol_get_name(gnutls_protocol_get_version(session_.get()));
    return name != nullptr ? name : "unknown";
}

std::string Session::cipher() const
{
    const char* suite = gnutls_ciphersuite_get(session_.get());
    const auto bits = 8 * gnutls_cipher_get_key_size(gnutls_cipher_get(session_.get()));
    return std::string(suite != nullptr ? suite : "unknown") + ":" + std::to_string(bits);
}

std::string Session::exim_cipher() const
{
    char* desc = gnutls_session_get_desc(session_.get());
    if (desc == nullptr) return {};
    const auto bits = 8 * gnutls_cipher_get_key_size(gnutls_cipher_get(session_.get()));
    std::string out = exim_cipher_name(desc, static_cast<unsigned>(bits));
    gnutls_free(desc);
    return out;
}

std::string exim_cipher_name(std::string_view desc, unsigned key_bits)
{
    // Groups are "(...)" joined by '-'; the first is the version.
    std::vector<std::string_view> groups;
    while (!desc.empty()) {
        if (desc.front() != '(') return {};
        const std::size_t close = desc.find(')');
        if (close == std::string_view::npos) return {};
        groups.push_back(desc.substr(1, close - 1));
        desc.remove_prefix(close + 1);
        if (!desc.empty()) {
            if (desc.front() != '-') return {};
            desc.remove_prefix(1);
        }
    }
    if (groups.size() < 2) return {};
    std::string out;
    for (std::size_t i = 1; i < groups.size(); ++i) {
        if (i > 1) out += "__";
        for (char c : groups[i]) out += c == '-' ? '_' : c;
    }
    return out + ":" + std::to_string(key_bits);
}

bool Session::is_tls13() const
{
    return gnutls_protocol_get_version(session_.get()) == GNUTLS_TLS1_3;
}

std::span<const gnutls_datum_t> Session::peer_certificates() const
{
    unsigned count = 0;
    const gnutls_datum_t* list = gnutls_certificate_get_peers(session_.get(), &count);
    if (list == nullptr) return {};
    return {list, count};
}

std::span<const std::uint8_t> Session::staple(unsigned index) const
{
    gnutls_datum_t d{nullptr, 0};
    if (gnutls_ocsp_status_request_get2(session_.get(), index, &d) < 0 || d.data == nullptr) {
        return {};
    }
    return {d.data, d.size};
}

void Session::abort_with_alert(gnutls_alert_description_t alert, net::Clock::time_point deadline)
{
    if (closed_) return;
    closed_ = true;
    for (;;) {
        const int rc = gnutls_alert_send(session_.get(), GNUTLS_AL_FATAL, alert);
        if (!is_retry(rc) || !wait(deadline, "TLS alert")) return;
    }
}

void Session::close(net::Clock::time_point deadline)
{
    if (closed_) return;
    closed_ = true;
    for (;;) {
        // SHUT_WR: do not wait for the peer's close_notify (RFC 8446 §6.1
        // allows closing the write side alone).
        const int rc = gnutls_bye(session_.get(), GNUTLS_SHUT_WR);
        if (!is_retry(rc) || !wait(deadline, "TLS close")) return;
    }
}

}  // namespace ocspmx::tls
