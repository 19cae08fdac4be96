// Command-line options of ocspmx-testserver, the project's own SMTP peer for
// delivery tests: it staples arbitrary bytes, misbehaves on request and
// records what the client sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ocspmx::testserver {

// Where in the dialogue a fault replaces the server's normal behaviour.
enum class Stage {
    connect,    // instead of the greeting
    greeting,   // right after the greeting, without reading the next command
    ehlo,       // instead of the reply to the first EHLO/HELO
    ehlo_tls,   // instead of the reply to the first EHLO/HELO inside TLS
    starttls,   // after STARTTLS's 220, instead of the handshake
    handshake,  // mid-handshake: after the ClientHello arrived
    mail,       // instead of the reply to MAIL
    rcpt,       // instead of the reply to the first RCPT
    data,       // right after DATA's 354
    body,       // after the first line of the message arrived
    dot,        // after the final dot, instead of the 250 (nothing is stored)
};

enum class Action {
    close,     // drop the connection (no SMTP reply, no TLS close_notify)
    stall,     // say nothing more; read and discard until the client leaves
    reply421,  // "421 ..." then close (RFC 5321 3.8)
    garbage,   // a line that is not an SMTP reply, then drain until the client leaves
    hugeline,  // 1 MiB without CRLF, then close
};

struct Fault {
    Stage stage;
    Action action;
};

struct Options {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 0;
    std::string hostname = "localhost";
    std::string cert;  // PEM chain, leaf first; empty: no TLS at all
    std::string key;
    std::string staple;               // leaf staple, re-read per connection
    std::string staple_intermediate;  // second certificate's staple (TLS 1.3)
    std::string tls_max;              // "", "1.2" or "1.3"
    std::string priority;             // overrides the priority string
    bool no_starttls = false;
    int starttls_reply = 220;
    bool handshake_fail = false;
    bool request_client_cert = false;  // ask for a client certificate, record its DN
    std::string maildir;
    std::string record;
    bool reject_data = false;
    std::vector<Fault> faults;

    [[nodiscard]] bool tls_enabled() const { return !cert.empty(); }
    [[nodiscard]] std::optional<Action> fault_at(Stage stage) const;
    [[nodiscard]] std::string priority_string() const;
};

// Throws std::invalid_argument with a one-line message on bad input.
Options parse_options(int argc, char** argv);

const char* stage_name(Stage stage);
const char* usage();

}  // namespace ocspmx::testserver
