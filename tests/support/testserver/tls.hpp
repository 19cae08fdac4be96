// Server side TLS for ocspmx-testserver. Credentials are loaded once; each
// connection gets a session whose certificate callback re-reads the staple
// files, so a test can swap a staple between deliveries.
//
// Staples go through gnutls_certificate_set_retrieve_function3 with
// gnutls_ocsp_data_st entries whose exptime is 0: GnuTLS then sends the
// bytes as they are (status_request.c, tls13/certificate.c). A response
// loaded with gnutls_certificate_set_ocsp_status_request_file is checked
// against the certificate and dropped when revoked or expired, which is
// exactly what a test of the client's checks cannot have.
#pragma once

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "options.hpp"

namespace ocspmx::testserver {

struct SessionDeleter {
    void operator()(gnutls_session_t s) const { gnutls_deinit(s); }
};
using Session = std::unique_ptr<gnutls_session_int, SessionDeleter>;

class TlsServer;

// What the GnuTLS callbacks of one connection see (gnutls_session_get_ptr).
struct ConnTls {
    const TlsServer* server = nullptr;
    // Called once the ClientHello arrived; a negative GnuTLS error aborts
    // the handshake (--handshake-fail, --fault handshake:*).
    std::function<int()> on_client_hello;
    // Staple bytes of this handshake; alive as long as the session.
    std::string leaf_staple;
    std::string intermediate_staple;
    std::array<gnutls_ocsp_data_st, 2> ocsp{};
};

class TlsServer {
public:
    explicit TlsServer(const Options& options);  // throws std::runtime_error
    ~TlsServer();
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    // A server session on fd; conn must outlive the session.
    // Reads the staple files for this connection.
    [[nodiscard]] Session new_session(int fd, ConnTls& conn) const;

private:
    static int retrieve_cert(gnutls_session_t session, const gnutls_cert_retr_st* info,
                             gnutls_pcert_st** certs, unsigned* certs_length,
                             gnutls_ocsp_data_st** ocsp, unsigned* ocsp_length,
                             gnutls_privkey_t* key, unsigned* flags);
    static int post_client_hello(gnutls_session_t session);

    std::string staple_path_;
    std::string intermediate_staple_path_;
    bool request_client_cert_ = false;
    std::vector<gnutls_pcert_st> chain_;
    gnutls_privkey_t key_ = nullptr;
    gnutls_certificate_credentials_t creds_ = nullptr;
    gnutls_priority_t priority_ = nullptr;
};

}  // namespace ocspmx::testserver
