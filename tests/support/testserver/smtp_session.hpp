// The server side of one SMTP dialogue (RFC 5321, STARTTLS per RFC 3207),
// with the misbehaviour the options ask for.
#pragma once

#include <string>
#include <string_view>

#include "connection.hpp"
#include "maildir.hpp"
#include "options.hpp"
#include "record.hpp"
#include "tls.hpp"

namespace ocspmx::testserver {

// Shared, read-only (or internally synchronised) state of the server.
struct ServerContext {
    const Options& options;
    const TlsServer* tls;  // null: no --cert, no TLS at all
    Maildir& maildir;
    Recorder& recorder;
};

class SmtpSession {
public:
    SmtpSession(ServerContext& ctx, Fd fd, unsigned id);
    void run();

private:
    enum class Next { go_on, end };

    Next dispatch(const std::string& line);
    Next on_ehlo(std::string_view arg, bool extended);
    Next on_mail(const std::string& line);
    Next on_rcpt(const std::string& line);
    Next on_data();
    Next on_starttls();
    Next receive_message(std::string& message, bool& too_big);
    Next reply(std::string_view text);

    // Runs the fault configured for stage, if any: true when one ran (the
    // connection is then over).
    bool fault(Stage stage);
    void run_action(Action action, Stage stage);
    [[nodiscard]] bool starttls_offered() const;
    void reset_transaction();

    ServerContext& ctx_;
    ConnTls conn_tls_;  // declared before conn_: outlives the TLS session
    Connection conn_;
    bool greeted_ = false;
    bool have_mail_ = false;
    bool ehlo_clear_seen_ = false;
    bool ehlo_tls_seen_ = false;
    unsigned accepted_rcpts_ = 0;
    unsigned rcpts_seen_ = 0;
};

// The bytes of a fault action that replaces a reply (also written raw,
// mid-handshake, by the TLS hook).
std::string fault_bytes(Action action, Stage stage, const std::string& hostname);

}  // namespace ocspmx::testserver
