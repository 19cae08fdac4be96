// SendingExim: see sending_exim.hpp.
#include "sending_exim.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace ocspmx::mta_test {
namespace {

using test::read_file;

void give_to(const fs::path& path, const char* user, mode_t mode)
{
    const passwd* pw = ::getpwnam(user);
    if (pw == nullptr) throw std::runtime_error(std::string("no user ") + user);
    if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0 || ::chmod(path.c_str(), mode) != 0) {
        throw std::runtime_error("chown/chmod " + path.string() + ": " + std::strerror(errno));
    }
}

// Written by root, mode 0644: what `exim -C` demands of a configuration.
void write_root_file(const fs::path& path, const std::string& content, mode_t mode = 0644)
{
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out) throw std::runtime_error("cannot write " + path.string());
    }
    if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("chmod " + path.string());
}

// The daemon in its own process group, so that stop() reaches the delivery
// processes it forks too.
pid_t spawn_daemon(const std::vector<std::string>& argv, const fs::path& output)
{
    const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(out);
    return pid;
}

bool exited(pid_t pid)
{
    int status = 0;
    return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

SendingExim::SendingExim(SendingOptions options)
    : options_(std::move(options)), dir_("ocspmx-mta-sender")
{
    write_files();
    start();
}

SendingExim::~SendingExim() { stop(); }

std::string SendingExim::mainlog() const
{
    const auto path = dir_ / "log" / "mainlog";
    return fs::exists(path) ? read_file(path) : "";
}

std::string SendingExim::paniclog() const
{
    const auto path = dir_ / "log" / "paniclog";
    return fs::exists(path) ? read_file(path) : "";
}

void SendingExim::write_files()
{
    const fs::path d = dir_.path();
    fs::permissions(d, fs::perms(0755));  // Debian-exim must get in
    for (const char* sub : {"spool", "log"}) {
        fs::create_directory(d / sub);
        give_to(d / sub, "Debian-exim", 0750);
    }
    fs::create_directory(d / "ocspmx");
    fs::permissions(d / "ocspmx", fs::perms(0755));
    fs::copy_file(options_.ocspmx_program, d / "ocspmx" / "ocspmx");
    fs::permissions(d / "ocspmx" / "ocspmx", fs::perms(0755));
    write_root_file(d / "ocspmx" / "anchors.pem", read_file(test::fixture("pki/anchors.pem")));
    write_root_file(d / "ocspmx" / "ocspmx.conf",
                    "tls_verify_certificates = " + (d / "ocspmx" / "anchors.pem").string() +
                        "\nport = " + std::to_string(options_.next_hop_port) + "\n" +
                        options_.ocspmx_config);
    // The fragment byte for byte; a root-owned copy, as -C wants of what it reads.
    write_root_file(d / "ocspmx-router-transport.conf", read_file(options_.fragment));

    // The main section, then the README's Exim fragment, unchanged.
    std::string config = "# Written by tests/mta/sending_exim.cpp.\n";
    config += "OCSPMX_DOMAINS = " + options_.domain + "\n";
    config += "OCSPMX_COMMAND = " + (d / "ocspmx" / "ocspmx").string() + "\n";
    config += "OCSPMX_CONFIG = " + (d / "ocspmx" / "ocspmx.conf").string() + "\n";
    // No DNS in tests: the domain is pinned to the receiving daemon.
    config += "OCSPMX_ARGS = --resolve " + options_.domain + ":127.0.0.1\n";
    config += options_.macros;
    config += "primary_hostname = sender.ocspmx.test\n";
    config += "qualify_domain = ocspmx.test\n";
    config += "deliver_drop_privilege = true\n";
    config += "spool_directory = " + (d / "spool").string() + "\n";
    config += "log_file_path = " + (d / "log").string() + "/%slog\n";
    config += "pid_file_path = " + (d / "exim.pid").string() + "\n";
    config += "local_interfaces = <; 127.0.0.1\n";
    config += "host_lookup =\n";
    config += "rfc1413_hosts =\n";
    config += "keep_environment =\n";
    config += "tls_advertise_hosts =\n";
    config += "acl_smtp_rcpt = accept_all\n";
    config += "log_selector = +received_recipients +smtp_connection +subject\n";
    config += ".include " + (d / "ocspmx-router-transport.conf").string() + "\n\n";
    config += "begin acl\naccept_all:\n  accept\n\n";
    config += "begin retry\n*   *   F,2h,15m\n";
    write_root_file(config_path(), config);
}

void SendingExim::start()
{
    // free_port() races with other processes binding ports: retry.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = test::free_port();
        // -bdf: the daemon in the foreground (our child); no -q: no queue
        // runner, so a deferred message stays queued until force_queue_run.
        pid_ = spawn_daemon({test::exim_program(), "-C", config_path().string(), "-bdf", "-oX",
                             std::to_string(port_)},
                            dir_ / "daemon.out");
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (exited(pid_)) {
                pid_ = -1;
                break;
            }
            if (test::wait_for_port("127.0.0.1", port_, 100ms)) return;
        }
        stop();
    }
    throw std::runtime_error("sending exim did not start: " + read_file(dir_ / "daemon.out") +
                             paniclog());
}

void SendingExim::stop()
{
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!exited(pid_)) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(-pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    // Delivery processes outlive the daemon's exit; they share its group.
    ::kill(-pid_, SIGKILL);
    pid_ = -1;
}

std::string SendingExim::queue() const
{
    const auto r = test::run_command({test::exim_program(), "-C", config_path().string(), "-bp"});
    return r.out;
}

test::CommandResult SendingExim::force_queue_run() const
{
    return test::run_command({test::exim_program(), "-C", config_path().string(), "-qff"},
                             std::nullopt, 120s);
}

bool SendingExim::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (mainlog().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

bool SendingExim::wait_for_empty_queue(std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!queue().empty()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(100ms);
    }
    return true;
}

}  // namespace ocspmx::mta_test
