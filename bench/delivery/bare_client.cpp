#include "bare_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace bench {

namespace {

struct Fd {
    int fd;
    ~Fd()
    {
        if (fd >= 0) ::close(fd);
    }
};

// Line-oriented reading of SMTP replies over either the socket or TLS.
class Io {
public:
    Io(int fd) : fd_(fd) {}
    void use_tls(gnutls_session_t s) { tls_ = s; }

    bool send(const std::string& data)
    {
        std::size_t off = 0;
        while (off < data.size()) {
            const ssize_t n = tls_
                                  ? gnutls_record_send(tls_, data.data() + off, data.size() - off)
                                  : ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Reads one whole reply; returns its code (0 on error).
    int reply()
    {
        for (;;) {
            const auto eol = buf_.find("\r\n");
            if (eol != std::string::npos) {
                const std::string line = buf_.substr(0, eol);
                buf_.erase(0, eol + 2);
                if (line.size() < 3) return 0;
                if (line.size() == 3 || line[3] == ' ') return std::stoi(line.substr(0, 3));
                continue;
            }
            char tmp[4096];
            const ssize_t n =
                tls_ ? gnutls_record_recv(tls_, tmp, sizeof tmp) : ::recv(fd_, tmp, sizeof tmp, 0);
            if (n <= 0) return 0;
            buf_.append(tmp, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_;
    gnutls_session_t tls_ = nullptr;
    std::string buf_;
};

}  // namespace

BareClient::BareClient(const std::string& anchors_pem)
{
    gnutls_certificate_allocate_credentials(&creds_);
    if (gnutls_certificate_set_x509_trust_file(creds_, anchors_pem.c_str(), GNUTLS_X509_FMT_PEM) <=
        0) {
        throw std::runtime_error("cannot load " + anchors_pem);
    }
    gnutls_priority_init(&priority_, nullptr, nullptr);
}

BareClient::~BareClient()
{
    gnutls_priority_deinit(priority_);
    gnutls_certificate_free_credentials(creds_);
}

bool BareClient::deliver(std::uint16_t port, const std::string& message, std::string& error)
{
    Fd sock{::socket(AF_INET, SOCK_STREAM, 0)};
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(sock.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        error = "connect";
        return false;
    }
    int one = 1;
    ::setsockopt(sock.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Io io(sock.fd);
    if (io.reply() != 220 || !io.send("EHLO bench.test\r\n") || io.reply() != 250 ||
        !io.send("STARTTLS\r\n") || io.reply() != 220) {
        error = "before TLS";
        return false;
    }
    gnutls_session_t s = nullptr;
    gnutls_init(&s, GNUTLS_CLIENT);
    gnutls_priority_set(s, priority_);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, creds_);
    gnutls_ocsp_status_request_enable_client(s, nullptr, 0, nullptr);
    gnutls_transport_set_int(s, sock.fd);
    int rc;
    do {
        rc = gnutls_handshake(s);
    } while (rc < 0 && gnutls_error_is_fatal(rc) == 0);
    bool ok = rc >= 0;
    unsigned status = 0;
    if (ok) {
        gnutls_typed_vdata_st host{GNUTLS_DT_DNS_HOSTNAME,
                                   reinterpret_cast<unsigned char*>(const_cast<char*>("localhost")),
                                   0};
        ok = gnutls_certificate_verify_peers(s, &host, 1, &status) == 0 && status == 0 &&
             gnutls_ocsp_status_request_is_checked(s, 0) != 0;
        if (!ok) error = "verification";
    } else {
        error = gnutls_strerror(rc);
    }
    if (ok) {
        io.use_tls(s);
        ok = io.send("EHLO bench.test\r\n") && io.reply() == 250 &&
             io.send("MAIL FROM:<bench@client.test>\r\nRCPT TO:<sink@server.test>\r\nDATA\r\n") &&
             io.reply() == 250 && io.reply() == 250 && io.reply() == 354 &&
             io.send(message + ".\r\n") && io.reply() == 250 && io.send("QUIT\r\n") &&
             io.reply() == 221;
        if (!ok) error = "SMTP inside TLS";
        gnutls_bye(s, GNUTLS_SHUT_WR);
    }
    gnutls_deinit(s);
    return ok;
}

}  // namespace bench
