#include "smtp_client.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ocspmx::test {
namespace {

// The code of a complete reply in buf (RFC 5321 4.2: "ddd-" continues,
// "ddd " or "ddd\r\n" ends), or 0 while it is incomplete.
int complete_reply(const std::string& buf, std::size_t& end)
{
    std::size_t pos = 0;
    for (;;) {
        auto eol = buf.find("\r\n", pos);
        if (eol == std::string::npos) return 0;
        if (eol - pos < 3) return -1;
        const char sep = eol - pos > 3 ? buf[pos + 3] : ' ';
        if (sep != '-') {
            end = eol + 2;
            int code = 0;
            for (int i = 0; i < 3; ++i) {
                const char c = buf[pos + static_cast<std::size_t>(i)];
                if (c < '0' || c > '9') return -1;
                code = code * 10 + (c - '0');
            }
            return code;
        }
        pos = eol + 2;
    }
}

}  // namespace

SmtpTestClient::SmtpTestClient(const std::string& host, std::uint16_t port,
                               std::chrono::milliseconds timeout)
    : timeout_(timeout)
{
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) {
        throw std::runtime_error("bad address " + host);
    }
    fd_ = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int rc = fd_ < 0 ? -1 : ::connect(fd_, res->ai_addr, res->ai_addrlen);
    int one = 1;
    if (rc == 0) ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::freeaddrinfo(res);
    if (rc != 0) {
        const std::string why = std::strerror(errno);
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("connect " + host + ":" + std::to_string(port) + ": " + why);
    }
}

SmtpTestClient::~SmtpTestClient()
{
    session_.reset();
    if (fd_ >= 0) ::close(fd_);
}

long SmtpTestClient::read_some(char* buf, std::size_t size)
{
    // GnuTLS may hold decrypted bytes already: poll only when it has none.
    if (!session_ || gnutls_record_check_pending(session_.get()) == 0) {
        pollfd pfd{fd_, POLLIN, 0};
        int n = ::poll(&pfd, 1, static_cast<int>(timeout_.count()));
        if (n == 0) return -2;  // timeout
        if (n < 0) return -1;
    }
    if (session_) {
        long n = 0;
        do {
            n = gnutls_record_recv(session_.get(), buf, size);
        } while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
        return n < 0 ? -1 : n;
    }
    return ::recv(fd_, buf, size, 0);
}

Reply SmtpTestClient::read_reply(std::size_t max_bytes)
{
    Reply reply;
    for (;;) {
        std::size_t end = 0;
        const int code = complete_reply(buf_, end);
        if (code != 0) {
            reply.code = code < 0 ? 0 : code;
            if (code < 0) end = buf_.find("\r\n") + 2;  // not a reply line: hand it over as text
            reply.text = buf_.substr(0, end);
            buf_.erase(0, end);
            return reply;
        }
        if (buf_.size() > max_bytes) {
            reply.end = Reply::End::too_long;
            reply.text = std::move(buf_);
            buf_.clear();
            return reply;
        }
        char chunk[65536];
        const long n = read_some(chunk, sizeof chunk);
        if (n <= 0) {
            reply.end = n == -2 ? Reply::End::timeout : Reply::End::eof;
            reply.text = std::move(buf_);
            buf_.clear();
            return reply;
        }
        buf_.append(chunk, static_cast<std::size_t>(n));
    }
}

bool SmtpTestClient::send(std::string_view bytes)
{
    while (!bytes.empty()) {
        long n = session_ ? gnutls_record_send(session_.get(), bytes.data(), bytes.size())
                          : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED || (n < 0 && errno == EINTR)) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

Reply SmtpTestClient::command(std::string_view line)
{
    if (!send(std::string(line) + "\r\n")) return Reply{0, "", Reply::End::eof};
    return read_reply();
}

TlsResult SmtpTestClient::handshake(const std::string& tls_max)
{
    TlsResult result;
    gnutls_certificate_credentials_t creds = nullptr;
    gnutls_certificate_allocate_credentials(&creds);
    creds_.reset(creds);
    gnutls_session_t raw = nullptr;
    gnutls_init(&raw, GNUTLS_CLIENT);  // status_request is on by default for clients
    std::unique_ptr<gnutls_session_int, SessionDeleter> session(raw);
    gnutls_priority_set_direct(raw, tls_max == "1.2" ? "NORMAL:-VERS-TLS1.3" : "NORMAL", nullptr);
    gnutls_credentials_set(raw, GNUTLS_CRD_CERTIFICATE, creds);
    gnutls_server_name_set(raw, GNUTLS_NAME_DNS, "localhost", 9);
    gnutls_transport_set_int(raw, fd_);
    gnutls_handshake_set_timeout(raw, static_cast<unsigned>(timeout_.count()));
    buf_.clear();  // RFC 3207: nothing read in clear carries over
    int rc = 0;
    do {
        rc = gnutls_handshake(raw);
    } while (rc < 0 && gnutls_error_is_fatal(rc) == 0);
    if (rc < 0) {
        result.error = gnutls_strerror(rc);
        if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED) {
            result.error += std::string(": ") + gnutls_alert_get_name(gnutls_alert_get(raw));
        }
        return result;
    }
    result.ok = true;
    const char* version = gnutls_protocol_get_name(gnutls_protocol_get_version(raw));
    result.version = version != nullptr ? version : "";
    for (unsigned idx = 0; idx < 2; ++idx) {
        gnutls_datum_t data{};
        if (gnutls_ocsp_status_request_get2(raw, idx, &data) == 0) {
            std::string bytes(reinterpret_cast<const char*>(data.data), data.size);
            (idx == 0 ? result.leaf_staple : result.intermediate_staple) = std::move(bytes);
        }
    }
    session_ = std::move(session);
    return result;
}

}  // namespace ocspmx::test
