// One owning pointer type per GnuTLS handle, each with its deleter
// (STYLE.md practice 3). Borrowed data (peer certificates, staples) is a
// std::span and is never freed.
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <memory>
#include <type_traits>

namespace ocspmx::tls {

template <class Handle, void (*Free)(Handle)>
struct HandleDeleter {
    void operator()(Handle h) const noexcept
    {
        if (h != nullptr) Free(h);
    }
};

template <class Handle, void (*Free)(Handle)>
using Owned = std::unique_ptr<std::remove_pointer_t<Handle>, HandleDeleter<Handle, Free>>;

inline void free_trust_list(gnutls_x509_trust_list_t list)
{
    // 1: also free the certificates and CRLs the list holds.
    gnutls_x509_trust_list_deinit(list, 1);
}

using SessionPtr = Owned<gnutls_session_t, gnutls_deinit>;
using CredentialsPtr = Owned<gnutls_certificate_credentials_t, gnutls_certificate_free_credentials>;
using TrustListPtr = Owned<gnutls_x509_trust_list_t, free_trust_list>;
using CrtPtr = Owned<gnutls_x509_crt_t, gnutls_x509_crt_deinit>;
using PriorityPtr = Owned<gnutls_priority_t, gnutls_priority_deinit>;
using TlsFeaturesPtr = Owned<gnutls_x509_tlsfeatures_t, gnutls_x509_tlsfeatures_deinit>;

// A datum whose bytes GnuTLS allocated for us.
class OwnedDatum {
public:
    OwnedDatum() = default;
    OwnedDatum(const OwnedDatum&) = delete;
    OwnedDatum& operator=(const OwnedDatum&) = delete;
    ~OwnedDatum() { gnutls_free(datum_.data); }
    gnutls_datum_t* out() { return &datum_; }
    const gnutls_datum_t& get() const { return datum_; }

private:
    gnutls_datum_t datum_{nullptr, 0};
};

}  // namespace ocspmx::tls
