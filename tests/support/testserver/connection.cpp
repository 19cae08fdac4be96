#include "connection.hpp"

#include <gnutls/x509.h>
#include <sys/socket.h>

#include <cerrno>

namespace ocspmx::testserver {

Connection::Connection(Fd fd, unsigned id, Recorder& recorder)
    : fd_(std::move(fd)), id_(id), recorder_(recorder)
{
    recorder_.event(id_, "accepted");
}

Connection::~Connection() { recorder_.event(id_, "closed"); }

long Connection::read_some(char* data, std::size_t size)
{
    for (;;) {
        long n = 0;
        if (tls_) {
            n = gnutls_record_recv(tls_.get(), data, size);
            if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) continue;
            if (n == GNUTLS_E_REHANDSHAKE) continue;  // ignored: we never renegotiate
        } else {
            n = ::recv(fd_.get(), data, size, 0);
            if (n < 0 && errno == EINTR) continue;
        }
        if (n > 0)
            recorder_.bytes(id_, tls_ != nullptr,
                            std::string_view(data, static_cast<std::size_t>(n)));
        return n;
    }
}

LineStatus Connection::read_line(std::string& line, std::size_t max)
{
    for (;;) {
        auto crlf = buf_.find("\r\n", scan_);
        if (crlf != std::string::npos) {
            line.assign(buf_, pos_, crlf - pos_);
            pos_ = crlf + 2;
            scan_ = pos_;
            if (pos_ == buf_.size()) {
                buf_.clear();
                pos_ = scan_ = 0;
            }
            return LineStatus::line;
        }
        if (buf_.size() - pos_ > max) return LineStatus::too_long;
        scan_ = buf_.size() > pos_ ? buf_.size() - 1 : pos_;
        if (pos_ > 0 && pos_ * 2 > buf_.size()) {
            buf_.erase(0, pos_);
            scan_ -= pos_;
            pos_ = 0;
        }
        char chunk[16384];
        long n = read_some(chunk, sizeof chunk);
        if (n <= 0) return LineStatus::eof;
        buf_.append(chunk, static_cast<std::size_t>(n));
    }
}

bool Connection::send(std::string_view data)
{
    if (!tls_) return write_all(fd_.get(), data.data(), data.size());
    while (!data.empty()) {
        long n = gnutls_record_send(tls_.get(), data.data(), data.size());
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool Connection::handshake(Session session)
{
    int rc = 0;
    do {
        rc = gnutls_handshake(session.get());
    } while (rc < 0 && gnutls_error_is_fatal(rc) == 0);
    if (rc < 0) {
        failed_tls_ = std::move(session);
        return false;
    }
    tls_ = std::move(session);
    recorder_.event(id_, "tls-established");
    record_client_cert();
    return true;
}

void Connection::record_client_cert()
{
    unsigned count = 0;
    const gnutls_datum_t* certs = gnutls_certificate_get_peers(tls_.get(), &count);
    if (certs == nullptr || count == 0) return;
    gnutls_x509_crt_t crt = nullptr;
    if (gnutls_x509_crt_init(&crt) < 0) return;
    gnutls_datum_t dn{nullptr, 0};
    if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) >= 0 &&
        gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0) {
        recorder_.client_cert(id_, std::string_view(reinterpret_cast<const char*>(dn.data), dn.size));
        gnutls_free(dn.data);
    }
    gnutls_x509_crt_deinit(crt);
}

void Connection::send_alert(gnutls_alert_description_t alert)
{
    if (failed_tls_) (void)gnutls_alert_send(failed_tls_.get(), GNUTLS_AL_FATAL, alert);
}

void Connection::close_notify()
{
    if (tls_) (void)gnutls_bye(tls_.get(), GNUTLS_SHUT_WR);
}

void Connection::drain()
{
    char chunk[16384];
    while (read_some(chunk, sizeof chunk) > 0) {
    }
}

}  // namespace ocspmx::testserver
