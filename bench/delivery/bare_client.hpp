// The yardstick: a minimal bare-GnuTLS SMTP client doing the same exchange
// as one ocspmx delivery (greeting, EHLO, STARTTLS, handshake with a status
// request, chain + staple check by GnuTLS, EHLO, pipelined MAIL/RCPT/DATA,
// message, QUIT) with blocking sockets and no policy engine.
#pragma once

#include <gnutls/gnutls.h>

#include <cstdint>
#include <string>

namespace bench {

class BareClient {
public:
    explicit BareClient(const std::string& anchors_pem);
    ~BareClient();
    BareClient(const BareClient&) = delete;
    BareClient& operator=(const BareClient&) = delete;

    // One delivery on a fresh connection; false with `error` set on failure.
    bool deliver(std::uint16_t port, const std::string& message, std::string& error);

private:
    gnutls_certificate_credentials_t creds_ = nullptr;
    gnutls_priority_t priority_ = nullptr;
};

}  // namespace bench
