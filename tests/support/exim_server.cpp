// EximServer: a receiving Exim 4.96 daemon for end-to-end tests.
//
// What makes `exim -C` work here (found on Debian 12, exim4-daemon-heavy):
// - The configuration must belong to root (Debian's CONFIGURE_OWNER) and not
//   be writable by others; the directories above it must be searchable.
// - -C outside TRUSTED_CONFIG_LIST makes Exim drop root for good: the daemon
//   runs as Debian-exim ("exim user lost privilege for using -C option" in
//   the paniclog). So spool, log, maildir and the TLS files must be usable
//   by Debian-exim, and the appendfile transport runs as Debian-exim.
//   deliver_drop_privilege = true keeps the delivery process from trying
//   to regain root, which would write that line on every delivery.
// - -bdf keeps the daemon in the foreground: the child we fork is the
//   daemon, and its own process group holds every process it forks.
// - Without -q the daemon starts no queue runners; -odf delivers at once.
// - Exim 4.96 preloads TLS credentials in the daemon when the option values
//   contain no expansion, and reloads them only after an inotify event plus
//   a few seconds; an expanded tls_ocsp_file is read on every connection.
// - GnuTLS (gnutls_certificate_set_ocsp_status_request_file2) refuses a
//   revoked or expired response ("The session or certificate has expired")
//   and a tryLater or other-serial one ("doesn't match the available
//   certificates"): Exim then answers STARTTLS with "454 TLS currently
//   unavailable" rather than handshaking without a staple. unknown-status and
//   future-dated responses are stapled as they are. The load check matches
//   serial and issuer to a certificate of the chain, status and dates; it
//   does not check the signature (root-signed and delegated responses load).
// - "PEM file" in tls_ocsp_file loads every response of a PEM bundle; GnuTLS
//   assigns each to its certificate, so under TLS 1.3 the intermediate's
//   staple is sent too.
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "harness.hpp"
#include "process.hpp"

namespace ocspmx::test {
namespace {

constexpr const char* kEximUser = "Debian-exim";

struct Owner {
    uid_t uid;
    gid_t gid;
};

Owner exim_owner()
{
    const passwd* pw = ::getpwnam(kEximUser);
    if (pw == nullptr) throw std::runtime_error(std::string("no user ") + kEximUser);
    return {pw->pw_uid, pw->pw_gid};
}

void give_to_exim(const fs::path& path, Owner owner, mode_t mode)
{
    if (::chown(path.c_str(), owner.uid, owner.gid) != 0 || ::chmod(path.c_str(), mode) != 0) {
        throw std::runtime_error("chown/chmod " + path.string() + ": " + std::strerror(errno));
    }
}

// Processes of process group pgid that are not zombies, from /proc.
std::vector<pid_t> live_members(pid_t pgid)
{
    std::vector<pid_t> pids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // pid (comm) state ppid pgrp ...; comm may contain spaces and ')'.
        auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        char state = 0;
        long ppid = 0, pgrp = 0;
        if (std::sscanf(stat.c_str() + close + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3)
            continue;
        if (pgrp == pgid && state != 'Z' && state != 'X') pids.push_back(std::stoi(name));
    }
    return pids;
}

std::string base64_lines(const std::string& bytes)
{
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t column = 0;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const auto byte = [&](std::size_t k) -> unsigned {
            return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0U;
        };
        const unsigned n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        for (std::size_t j = 0; j < 4; ++j) {
            out += i + j <= bytes.size() ? kAlphabet[(n >> (18 - 6 * j)) & 63] : '=';
            if (++column == 64) {
                out += '\n';
                column = 0;
            }
        }
    }
    if (column != 0) out += '\n';
    return out;
}

}  // namespace

std::string exim_program()
{
    const char* env = std::getenv("OCSPMX_EXIM");
    return env != nullptr && *env != '\0' ? env : "exim";
}

std::optional<std::string> exim_unavailable()
{
    if (::geteuid() != 0) return "EximServer needs root (exim -C keeps root only for root)";
    if (::getpwnam(kEximUser) == nullptr) return std::string("no user ") + kEximUser;
    const auto r = run_command({exim_program(), "-bV"}, std::nullopt, 10s);
    if (r.exit_status != 0) return exim_program() + " -bV failed: " + r.err;
    return std::nullopt;
}

EximServer::EximServer(EximOptions options) : options_(std::move(options)), dir_("ocspmx-exim")
{
    const Owner owner = exim_owner();
    fs::permissions(dir_.path(), fs::perms(0755));  // Debian-exim must get in
    for (const char* sub : {"spool", "log", "mail", "tls"}) {
        fs::create_directory(dir_ / sub);
        give_to_exim(dir_ / sub, owner, 0750);
    }
    if (!options_.cert.empty()) {
        fs::copy_file(options_.cert, dir_ / "tls" / "cert.pem");
        fs::copy_file(options_.key, dir_ / "tls" / "key.pem");
        give_to_exim(dir_ / "tls" / "cert.pem", owner, 0644);
        give_to_exim(dir_ / "tls" / "key.pem", owner, 0600);
        auto staple = [](const std::string& path) -> std::optional<std::string> {
            if (path.empty()) return std::nullopt;
            return read_file(path);
        };
        set_staples(staple(options_.ocsp_file), staple(options_.intermediate_ocsp_file));
    }
    write_config();
    start();
}

EximServer::~EximServer() { stop(); }

fs::path EximServer::config_path() const { return dir_ / "exim.conf"; }
fs::path EximServer::maildir() const { return dir_ / "mail"; }
fs::path EximServer::ocsp_path() const { return dir_ / "tls" / "ocsp.der"; }
fs::path EximServer::ocsp_pem_path() const { return dir_ / "tls" / "ocsp.pem"; }
std::string EximServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string EximServer::mainlog() const
{
    return fs::exists(dir_ / "log" / "mainlog") ? read_file(dir_ / "log" / "mainlog") : "";
}
std::string EximServer::paniclog() const
{
    return fs::exists(dir_ / "log" / "paniclog") ? read_file(dir_ / "log" / "paniclog") : "";
}
std::string EximServer::rejectlog() const
{
    return fs::exists(dir_ / "log" / "rejectlog") ? read_file(dir_ / "log" / "rejectlog") : "";
}

void EximServer::set_staple(const std::optional<std::string>& der)
{
    set_staples(der, std::nullopt);
}

void EximServer::set_staples(const std::optional<std::string>& leaf_der,
                             const std::optional<std::string>& intermediate_der)
{
    // The new file is in place before the other one goes, so no connection
    // falls between two staples.
    auto install = [](const fs::path& path, const std::string& content) {
        fs::path tmp = path;
        tmp += ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out.write(content.data(), static_cast<std::streamsize>(content.size()));
        }
        give_to_exim(tmp, exim_owner(), 0644);
        fs::rename(tmp, path);
    };
    std::error_code ignored;
    if (intermediate_der) {
        std::string pem;
        for (const auto& der : {leaf_der, intermediate_der}) {
            if (der)
                pem += "-----BEGIN OCSP RESPONSE-----\n" + base64_lines(*der) +
                       "-----END OCSP RESPONSE-----\n";
        }
        install(ocsp_pem_path(), pem);
        fs::remove(ocsp_path(), ignored);
    } else if (leaf_der) {
        install(ocsp_path(), *leaf_der);
        fs::remove(ocsp_pem_path(), ignored);
    } else {
        fs::remove(ocsp_path(), ignored);
        fs::remove(ocsp_pem_path(), ignored);
    }
}

void EximServer::write_config()
{
    const std::string d = dir_.path().string();
    std::string tls;
    if (!options_.cert.empty()) {
        const std::string ocsp = ocsp_path().string();
        const std::string pem = ocsp_pem_path().string();
        tls =
            "tls_advertise_hosts = *\n"
            "tls_certificate = " +
            d +
            "/tls/cert.pem\n"
            "tls_privatekey = " +
            d + "/tls/key.pem\n" +
            (options_.per_connection_ocsp ? "tls_ocsp_file = ${if exists{" + pem + "}{PEM " + pem +
                                                "}{${if exists{" + ocsp + "}{" + ocsp + "}{}}}}\n"
                                          : "tls_ocsp_file = " + ocsp + "\n");
    } else {
        tls = "tls_advertise_hosts =\n";
    }
    const std::string config =
        "# Written by the ocspmx test harness (tests/support/exim_server.cpp).\n"
        "primary_hostname = mx.ocspmx.test\n"
        "qualify_domain = ocspmx.test\n"
        "deliver_drop_privilege = true\n"
        "spool_directory = " +
        d +
        "/spool\n"
        "log_file_path = " +
        d +
        "/log/%slog\n"
        "pid_file_path = " +
        d +
        "/exim.pid\n"
        "local_interfaces = <; 127.0.0.1\n"
        "host_lookup =\n"
        "rfc1413_hosts =\n"
        "keep_environment =\n"
        "message_size_limit = 64M\n"
        // Messages arrive as sent: no Received: header (the log has the facts).
        "received_header_text =\n"
        "acl_smtp_rcpt = check_rcpt\n"
        "log_selector = +tls_cipher +tls_peerdn +received_recipients +smtp_connection "
        "+tls_certificate_verified\n" +
        tls + options_.extra_main +
        "\n"
        "begin acl\n"
        "check_rcpt:\n"
        "  deny   local_parts = ^reject\n"
        "         message = 5.1.1 User unknown\n"
        "  defer  local_parts = ^defer\n"
        "         message = 4.3.0 Try again later\n"
        "  accept\n"
        "\n"
        "begin routers\n"
        "to_maildir:\n"
        "  driver = accept\n"
        "  transport = maildir_delivery\n"
        "\n"
        "begin transports\n"
        "maildir_delivery:\n"
        "  driver = appendfile\n"
        "  directory = " +
        d +
        "/mail\n"
        "  maildir_format\n"
        "  create_directory\n"
        "  user = " +
        kEximUser +
        "\n"
        "  group = " +
        kEximUser +
        "\n"
        "  mode = 0644\n";
    // Written by root with mode 0644, as exim -C requires.
    {
        std::ofstream out(config_path(), std::ios::trunc);
        out << config;
    }
    fs::permissions(config_path(), fs::perms(0644));
}

void EximServer::start()
{
    // free_port() races with every other process binding ports: if the
    // daemon cannot bind the port it exits, and we try another one.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_port();
        int log =
            ::open((dir_ / "daemon.out").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        pid_ = detail::spawn({{exim_program(), "-C", config_path().string(), "-bdf", "-oX",
                               std::to_string(port_), "-odf"},
                              -1,
                              log,
                              log,
                              true});
        if (log >= 0) ::close(log);
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (auto status = detail::wait_exit(pid_, 0ms)) {
                pid_ = -1;
                break;  // died: most likely the port was taken
            }
            if (wait_for_port("127.0.0.1", port_, 100ms)) return;
        }
        stop();
    }
    throw std::runtime_error("exim daemon did not start: " + read_file(dir_ / "daemon.out") +
                             paniclog());
}

bool EximServer::stop()
{
    if (pid_ <= 0) return true;
    const pid_t pgid = pid_;
    ::kill(-pgid, SIGTERM);
    if (!detail::wait_exit(pid_, 5s)) {
        ::kill(-pgid, SIGKILL);
        (void)detail::wait_exit(pid_, 5s);
    }
    pid_ = -1;
    // Delivery processes were forked by the daemon's children, and are
    // reparented away from us; they share the daemon's process group.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!live_members(pgid).empty()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        ::kill(-pgid, SIGKILL);
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

std::vector<std::string> EximServer::messages() const
{
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(maildir() / "new", ec)) {
        files.emplace_back(entry.last_write_time(), entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& [time, path] : files) out.push_back(read_file(path));
    return out;
}

bool EximServer::wait_for_messages(std::size_t n, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (messages().size() < n) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

}  // namespace ocspmx::test
