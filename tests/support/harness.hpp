// Test harness for the integration tests: real peers on loopback, started
// and stopped by the test that uses them.
//
//   TempDir dir;                                   // removed on scope exit
//   TestServer server({"--cert", fixture("pki/leaf-chain.pem"),
//                      "--key", fixture("pki/leaf.key"), "--staple", der});
//   auto r = run_command({"swaks", "--server", server.address(), ...});
//   CHECK(server.messages().size() == 1);
//   CHECK(server.received_in_tls().find("MAIL FROM") == std::string::npos);
//
// Every child process is tracked by pid and ended by pid (or, for Exim, by
// the process group it was started in); nothing here kills by name.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocspmx::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// OCSPMX_SOURCE_ROOT / OCSPMX_BUILD_ROOT (tests/meson.build's test_env),
// falling back to the paths this library was configured with, so a test
// binary also runs by hand.
fs::path source_root();
fs::path build_root();
// source_root()/tests/fixtures/relative, as a string for argv use.
std::string fixture(std::string_view relative);
fs::path testserver_program();

std::string read_file(const fs::path& path);

// OCSP responses for the fixture PKI dated now (good.der, revoked.der, ...:
// tests/fixtures/make-fixtures.sh --live), made once per process on first
// use, thread-safe; throws when the script fails. Read-only for the tests.
const fs::path& live_responses();
void write_file(const fs::path& path, std::string_view content);  // atomic: tmp + rename

// A fresh directory under $TMPDIR (or /tmp), removed with its content.
class TempDir {
public:
    explicit TempDir(std::string_view prefix = "ocspmx-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }
    [[nodiscard]] fs::path operator/(std::string_view name) const { return path_ / name; }

private:
    fs::path path_;
};

struct CommandResult {
    int exit_status = -1;  // exit code; 128 + signal when killed by a signal
    std::string out;
    std::string err;
    bool timed_out = false;  // killed by run_command after timeout
};

// fork + execvp, no shell. stdin gets stdin_data (or /dev/null). The child
// is killed with SIGKILL when it outlives timeout.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::optional<std::string>& stdin_data = std::nullopt,
                          std::chrono::milliseconds timeout = 60s);

// A port that was free a moment ago: bind port 0, read it, close. Another
// process may take it before the caller binds it (the race is inherent);
// prefer servers that bind port 0 themselves and report the port, as
// ocspmx-testserver does. Used for Exim, which cannot report its port.
std::uint16_t free_port(const std::string& address = "127.0.0.1");

// True once a TCP connect to address:port succeeds (polled until timeout).
bool wait_for_port(const std::string& address, std::uint16_t port,
                   std::chrono::milliseconds timeout = 10s);

// One entry of ocspmx-testserver's --record file (format: testserver/record.hpp).
struct RecordEntry {
    enum class Kind { accepted, clear, tls_established, tls, client_cert, closed };
    unsigned conn = 0;
    Kind kind = Kind::accepted;
    std::string bytes;  // for clear / tls; the subject DN for client_cert
};
std::vector<RecordEntry> parse_record(std::string_view raw);

// ocspmx-testserver, started with args plus --maildir and --record inside
// its own TempDir; "--port 0" unless args give a port.
class TestServer {
public:
    explicit TestServer(std::vector<std::string> args = {});
    ~TestServer();  // stop()
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] const std::string& host() const { return host_; }  // the --listen address
    [[nodiscard]] std::string address() const;  // "127.0.0.1:PORT" / "[::1]:PORT"
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] fs::path maildir() const { return dir_ / "maildir"; }
    [[nodiscard]] fs::path record_path() const { return dir_ / "record"; }
    [[nodiscard]] const fs::path& dir() const { return dir_.path(); }

    // Accepted messages, in arrival order, exactly as stored.
    [[nodiscard]] std::vector<std::string> messages() const;
    [[nodiscard]] std::vector<RecordEntry> record() const;
    // What clients sent inside TLS / in clear, all connections concatenated.
    [[nodiscard]] std::string received_in_tls() const;
    [[nodiscard]] std::string received_in_clear() const;
    [[nodiscard]] std::string received() const;  // both, in order
    [[nodiscard]] unsigned connections() const;  // "accepted" entries
    [[nodiscard]] std::string stderr_text() const;

    // SIGTERM, then wait (SIGKILL after 5 s). Returns the exit status as
    // CommandResult::exit_status does; idempotent.
    int stop();

private:
    TempDir dir_;
    std::string host_ = "127.0.0.1";
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int exit_status_ = -1;
};

// A receiving Exim 4.96 daemon (Debian exim4-daemon-heavy) with its own
// configuration, spool, logs and maildir, on 127.0.0.1.
struct EximOptions {
    std::string cert;  // PEM chain; empty: no TLS
    std::string key;
    std::string ocsp_file;               // copied in; empty: no staple (set_staple later)
    std::string intermediate_ocsp_file;  // the chain's second certificate (TLS 1.3)
    std::string extra_main;              // appended to the main section verbatim
    bool per_connection_ocsp = true;     // see EximServer::set_staple
};

class EximServer {
public:
    explicit EximServer(EximOptions options = {});
    ~EximServer();  // stop()
    EximServer(const EximServer&) = delete;
    EximServer& operator=(const EximServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] std::string address() const;  // "127.0.0.1:PORT"
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] const fs::path& dir() const { return dir_.path(); }
    [[nodiscard]] fs::path config_path() const;
    [[nodiscard]] fs::path maildir() const;        // Maildir root; messages in new/
    [[nodiscard]] fs::path ocsp_path() const;      // DER, leaf staple only
    [[nodiscard]] fs::path ocsp_pem_path() const;  // "PEM " bundle, leaf + intermediate
    [[nodiscard]] std::string mainlog() const;
    [[nodiscard]] std::string paniclog() const;
    [[nodiscard]] std::string rejectlog() const;

    // Delivered messages (Exim writes LF line ends), oldest first.
    [[nodiscard]] std::vector<std::string> messages() const;
    // Polls until at least n messages were delivered; false on timeout.
    bool wait_for_messages(std::size_t n, std::chrono::milliseconds timeout = 10s) const;

    // Replaces the staple atomically; std::nullopt removes it (no staple).
    // With per_connection_ocsp (the default) tls_ocsp_file is an expansion,
    // so Exim cannot preload it and reads it on every connection: the next
    // connection sees the new file. Without it the daemon preloads the
    // staple and reloads it about 5 s after the file changes (inotify); that
    // mode reads only ocsp_path(), a DER leaf staple.
    void set_staple(const std::optional<std::string>& der);
    // Leaf and intermediate staples (TLS 1.3 sends both): written as one PEM
    // bundle, which tls_ocsp_file takes with a "PEM " prefix and GnuTLS
    // matches to the chain's certificates.
    void set_staples(const std::optional<std::string>& leaf_der,
                     const std::optional<std::string>& intermediate_der);

    // Kills the daemon's process group (SIGTERM, then SIGKILL) and reaps
    // the daemon. Returns true when no process of the group is left.
    bool stop();

private:
    void write_config();
    void start();

    EximOptions options_;
    TempDir dir_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

// The exim binary ("exim", or $OCSPMX_EXIM).
std::string exim_program();
// Why an EximServer cannot run here (not root, no exim binary, no
// Debian-exim user), or nullopt when it can: tests SKIP with the reason.
std::optional<std::string> exim_unavailable();

// CRLF -> LF, for comparing a sent message with what Exim stored.
std::string to_lf(std::string_view text);

}  // namespace ocspmx::test
