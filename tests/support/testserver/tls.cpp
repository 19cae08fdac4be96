#include "tls.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace ocspmx::testserver {
namespace {

// The content of path, or "" when it is missing or empty (no staple: an
// empty CertificateStatus is not valid TLS, RFC 6066 section 8).
std::string read_staple(const std::string& path)
{
    if (path.empty()) return {};
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check(int rc, const std::string& what)
{
    if (rc < 0) throw std::runtime_error(what + ": " + gnutls_strerror(rc));
}

gnutls_ocsp_data_st ocsp_entry(std::string& bytes)
{
    gnutls_ocsp_data_st entry{};
    entry.version = 0;
    entry.exptime = 0;  // 0: GnuTLS sends it whatever its dates say
    if (!bytes.empty()) {
        entry.response.data = reinterpret_cast<unsigned char*>(bytes.data());
        entry.response.size = static_cast<unsigned>(bytes.size());
    }
    return entry;
}

}  // namespace

TlsServer::TlsServer(const Options& options)
    : staple_path_(options.staple),
      intermediate_staple_path_(options.staple_intermediate),
      request_client_cert_(options.request_client_cert)
{
    // Up to 16 certificates in the chain file is plenty for test PKIs.
    chain_.resize(16);
    unsigned n = static_cast<unsigned>(chain_.size());
    check(gnutls_pcert_list_import_x509_file(chain_.data(), &n, options.cert.c_str(),
                                             GNUTLS_X509_FMT_PEM, nullptr, nullptr, 0),
          "--cert " + options.cert);
    chain_.resize(n);

    gnutls_datum_t key_pem{};
    check(gnutls_load_file(options.key.c_str(), &key_pem), "--key " + options.key);
    check(gnutls_privkey_init(&key_), "gnutls_privkey_init");
    int rc = gnutls_privkey_import_x509_raw(key_, &key_pem, GNUTLS_X509_FMT_PEM, nullptr, 0);
    gnutls_free(key_pem.data);
    check(rc, "--key " + options.key);

    check(gnutls_certificate_allocate_credentials(&creds_), "credentials");
    gnutls_certificate_set_retrieve_function3(creds_, &TlsServer::retrieve_cert);

    const std::string prio = options.priority_string();
    const char* err_pos = nullptr;
    check(gnutls_priority_init(&priority_, prio.c_str(), &err_pos), "priority '" + prio + "'");
}

TlsServer::~TlsServer()
{
    if (priority_ != nullptr) gnutls_priority_deinit(priority_);
    if (creds_ != nullptr) gnutls_certificate_free_credentials(creds_);
    if (key_ != nullptr) gnutls_privkey_deinit(key_);
    for (auto& pcert : chain_) gnutls_pcert_deinit(&pcert);
}

Session TlsServer::new_session(int fd, ConnTls& conn) const
{
    gnutls_session_t raw = nullptr;
    check(gnutls_init(&raw, GNUTLS_SERVER), "gnutls_init");
    Session session(raw);
    check(gnutls_priority_set(raw, priority_), "gnutls_priority_set");
    check(gnutls_credentials_set(raw, GNUTLS_CRD_CERTIFICATE, creds_), "gnutls_credentials_set");
    // REQUEST, not REQUIRE: a client without one still gets through, and the
    // record shows whether a certificate came.
    gnutls_certificate_server_set_request(raw,
                                          request_client_cert_ ? GNUTLS_CERT_REQUEST : GNUTLS_CERT_IGNORE);
    conn.server = this;
    gnutls_session_set_ptr(raw, &conn);
    gnutls_handshake_set_post_client_hello_function(raw, &TlsServer::post_client_hello);
    gnutls_transport_set_int(raw, fd);
    conn.leaf_staple = read_staple(staple_path_);
    conn.intermediate_staple = read_staple(intermediate_staple_path_);
    return session;
}

int TlsServer::retrieve_cert(gnutls_session_t session, const gnutls_cert_retr_st* /*info*/,
                             gnutls_pcert_st** certs, unsigned* certs_length,
                             gnutls_ocsp_data_st** ocsp, unsigned* ocsp_length,
                             gnutls_privkey_t* key, unsigned* flags)
{
    auto* conn = static_cast<ConnTls*>(gnutls_session_get_ptr(session));
    const auto* self = conn->server;
    *certs = const_cast<gnutls_pcert_st*>(self->chain_.data());
    *certs_length = static_cast<unsigned>(self->chain_.size());
    *key = self->key_;
    *flags = 0;  // everything stays owned by TlsServer / ConnTls

    conn->ocsp[0] = ocsp_entry(conn->leaf_staple);
    conn->ocsp[1] = ocsp_entry(conn->intermediate_staple);
    *ocsp = conn->ocsp.data();
    // Entry i belongs to certificate i; a missing leaf staple is a null
    // datum, which GnuTLS skips.
    if (!conn->intermediate_staple.empty() && self->chain_.size() > 1)
        *ocsp_length = 2;
    else if (!conn->leaf_staple.empty())
        *ocsp_length = 1;
    else
        *ocsp_length = 0;
    return 0;
}

int TlsServer::post_client_hello(gnutls_session_t session)
{
    auto* conn = static_cast<ConnTls*>(gnutls_session_get_ptr(session));
    return conn->on_client_hello ? conn->on_client_hello() : 0;
}

}  // namespace ocspmx::testserver
