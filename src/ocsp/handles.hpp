// Owning pointers for the GnuTLS handles the verifier uses (STYLE.md
// practice 3): one type per C handle, with its deleter.
#pragma once

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include <cstdint>
#include <memory>
#include <span>

namespace ocspmx::ocsp::detail {

struct OcspRespDeleter {
    void operator()(gnutls_ocsp_resp_t p) const noexcept { gnutls_ocsp_resp_deinit(p); }
};
struct CrtDeleter {
    void operator()(gnutls_x509_crt_t p) const noexcept { gnutls_x509_crt_deinit(p); }
};
struct PubkeyDeleter {
    void operator()(gnutls_pubkey_t p) const noexcept { gnutls_pubkey_deinit(p); }
};
struct GnutlsFree {
    void operator()(void* p) const noexcept { gnutls_free(p); }
};

using OcspRespPtr = std::unique_ptr<gnutls_ocsp_resp_int, OcspRespDeleter>;
using CrtPtr = std::unique_ptr<gnutls_x509_crt_int, CrtDeleter>;
using PubkeyPtr = std::unique_ptr<gnutls_pubkey_st, PubkeyDeleter>;

// A gnutls_datum_t whose data GnuTLS allocated: freed with gnutls_free.
class Datum {
public:
    Datum() = default;
    Datum(const Datum&) = delete;
    Datum& operator=(const Datum&) = delete;
    ~Datum() { gnutls_free(d_.data); }

    gnutls_datum_t* out() noexcept
    {
        gnutls_free(d_.data);
        d_ = {nullptr, 0};
        return &d_;
    }
    [[nodiscard]] std::span<const std::uint8_t> span() const noexcept { return {d_.data, d_.size}; }

private:
    gnutls_datum_t d_{nullptr, 0};
};

inline gnutls_datum_t borrowed_datum(std::span<const std::uint8_t> bytes) noexcept
{
    return {const_cast<unsigned char*>(bytes.data()), static_cast<unsigned>(bytes.size())};
}

}  // namespace ocspmx::ocsp::detail
