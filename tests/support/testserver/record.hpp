// The --record file: every byte a client sent, in chunks tagged with the
// connection and whether it arrived in clear or inside TLS, so a test can
// assert that nothing of the envelope reached the server after a failed
// OCSP verdict. Format, one entry after another (parsed by harness.cpp):
//
//   [conn N accepted]\n
//   [conn N clear LEN]\n<LEN bytes>\n     bytes before TLS
//   [conn N tls-established]\n
//   [conn N tls LEN]\n<LEN bytes>\n       plaintext read inside TLS
//   [conn N closed]\n
//
// Each entry is one write(2) to an O_APPEND descriptor: nothing is buffered,
// and entries of concurrent connections never interleave.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "fd.hpp"

namespace ocspmx::testserver {

class Recorder {
public:
    explicit Recorder(const std::string& path);  // empty path: records nothing

    void event(unsigned conn, std::string_view what);
    void bytes(unsigned conn, bool tls, std::string_view data);
    // "[conn N client-cert LEN]\n<subject DN>\n": the certificate the client presented.
    void client_cert(unsigned conn, std::string_view subject);

private:
    void append(const std::string& entry);

    Fd fd_;
    std::mutex mutex_;
};

}  // namespace ocspmx::testserver
