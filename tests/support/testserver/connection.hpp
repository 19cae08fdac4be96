// One client connection: the socket, the TLS session once STARTTLS
// succeeded, a line reader, and recording of every byte read.
#pragma once

#include <string>
#include <string_view>

#include "fd.hpp"
#include "record.hpp"
#include "tls.hpp"

namespace ocspmx::testserver {

enum class LineStatus { line, eof, too_long };

class Connection {
public:
    Connection(Fd fd, unsigned id, Recorder& recorder);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    [[nodiscard]] int fd() const { return fd_.get(); }
    [[nodiscard]] unsigned id() const { return id_; }
    [[nodiscard]] bool in_tls() const { return tls_ != nullptr; }

    // Reads one CRLF-terminated line into line (without the CRLF). A line
    // longer than max is not consumed: too_long.
    LineStatus read_line(std::string& line, std::size_t max);
    bool send(std::string_view data);

    // RFC 3207 section 4: plaintext pipelined after STARTTLS is discarded,
    // never interpreted as a command inside TLS.
    void discard_buffered()
    {
        buf_.clear();
        pos_ = 0;
    }

    // Runs the server handshake on session; true when it completed.
    bool handshake(Session session);
    // Sends a fatal alert on the session of a failed handshake.
    void send_alert(gnutls_alert_description_t alert);
    // TLS close_notify (when in TLS), for a polite QUIT.
    void close_notify();

    // Reads and discards until the client closes or the server shuts the
    // socket down (a stalled server still notices its client leaving).
    void drain();

private:
    long read_some(char* data, std::size_t size);
    void record_client_cert();  // when the client presented one

    Fd fd_;
    unsigned id_;
    Recorder& recorder_;
    Session tls_;
    Session failed_tls_;  // kept to send an alert after a failed handshake
    std::string buf_;
    std::size_t pos_ = 0;   // start of unread data in buf_
    std::size_t scan_ = 0;  // where the CRLF search resumes
};

}  // namespace ocspmx::testserver
