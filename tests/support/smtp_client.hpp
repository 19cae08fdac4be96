// A deliberately small SMTP client for testing the test peers themselves
// (and for tests that need to drive a dialogue byte by byte): raw lines,
// STARTTLS over GnuTLS without any verification, and the staples received.
// It is not the product's client and shares no code with it.
#pragma once

#include <gnutls/gnutls.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ocspmx::test {

struct Reply {
    enum class End { complete, eof, timeout, too_long };
    int code = 0;      // 0 when no complete reply arrived
    std::string text;  // every byte of the reply as received (or what came before the end)
    End end = End::complete;
};

struct TlsResult {
    bool ok = false;
    std::string error;                       // gnutls_strerror, plus the alert name if one came
    std::string version;                     // "TLS1.2", "TLS1.3"
    std::optional<std::string> leaf_staple;  // as received, no checks
    std::optional<std::string> intermediate_staple;
};

class SmtpTestClient {
public:
    // Connects (throws std::runtime_error on failure). timeout bounds each
    // read.
    SmtpTestClient(const std::string& host, std::uint16_t port,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~SmtpTestClient();
    SmtpTestClient(const SmtpTestClient&) = delete;
    SmtpTestClient& operator=(const SmtpTestClient&) = delete;

    // One reply, multi-line ones included; at most max_bytes are buffered.
    Reply read_reply(std::size_t max_bytes = 4 * 1024 * 1024);
    bool send(std::string_view bytes);
    Reply command(std::string_view line);  // line + CRLF, then read_reply()

    // Handshake after a 220 to STARTTLS. tls_max: "" (any), "1.2", "1.3".
    TlsResult handshake(const std::string& tls_max = "");
    [[nodiscard]] bool in_tls() const { return session_ != nullptr; }
    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

private:
    long read_some(char* buf, std::size_t size);

    struct SessionDeleter {
        void operator()(gnutls_session_t s) const { gnutls_deinit(s); }
    };
    struct CredDeleter {
        void operator()(gnutls_certificate_credentials_t c) const
        {
            gnutls_certificate_free_credentials(c);
        }
    };

    int fd_ = -1;
    std::chrono::milliseconds timeout_;
    std::string buf_;
    std::unique_ptr<gnutls_certificate_credentials_st, CredDeleter> creds_;
    std::unique_ptr<gnutls_session_int, SessionDeleter> session_;
};

}  // namespace ocspmx::test
