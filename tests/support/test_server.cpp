// TestServer: ocspmx-testserver as a child process of the test.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "harness.hpp"
#include "process.hpp"

namespace ocspmx::test {
namespace {

// Reads "listening PORT\n" from fd within timeout; 0 when it did not come.
std::uint16_t read_port(int fd, std::chrono::milliseconds timeout)
{
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd pfd{fd, POLLIN, 0};
        if (left <= 0ms || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return 0;
        char buf[64];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return 0;
        line.append(buf, static_cast<std::size_t>(n));
    }
    constexpr std::string_view prefix = "listening ";
    if (line.rfind(prefix, 0) != 0) return 0;
    unsigned port = 0;
    std::from_chars(line.data() + prefix.size(), line.data() + line.size(), port);
    return static_cast<std::uint16_t>(port);
}

RecordEntry::Kind kind_of(std::string_view word)
{
    using K = RecordEntry::Kind;
    if (word == "clear") return K::clear;
    if (word == "tls") return K::tls;
    if (word == "tls-established") return K::tls_established;
    if (word == "closed") return K::closed;
    if (word == "client-cert") return K::client_cert;
    if (word == "accepted") return K::accepted;
    throw std::runtime_error("record: unknown entry '" + std::string(word) + "'");
}

}  // namespace

std::vector<RecordEntry> parse_record(std::string_view raw)
{
    std::vector<RecordEntry> entries;
    while (!raw.empty()) {
        // "[conn N WHAT]\n" or "[conn N clear|tls LEN]\n<LEN bytes>\n"
        auto eol = raw.find("]\n");
        if (raw.rfind("[conn ", 0) != 0 || eol == std::string_view::npos) {
            throw std::runtime_error("record: malformed entry header");
        }
        std::string_view header = raw.substr(6, eol - 6);
        raw.remove_prefix(eol + 2);
        RecordEntry entry;
        auto sp = header.find(' ');
        std::from_chars(header.data(), header.data() + sp, entry.conn);
        header.remove_prefix(sp + 1);
        sp = header.find(' ');
        entry.kind = kind_of(header.substr(0, sp));
        if (sp != std::string_view::npos) {
            std::size_t len = 0;
            std::from_chars(header.data() + sp + 1, header.data() + header.size(), len);
            if (raw.size() < len + 1) throw std::runtime_error("record: truncated entry");
            entry.bytes = raw.substr(0, len);
            raw.remove_prefix(len + 1);
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

TestServer::TestServer(std::vector<std::string> args) : dir_("ocspmx-testserver")
{
    fs::create_directory(maildir());
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--listen") host_ = args[i + 1];
    }
    std::vector<std::string> argv{testserver_program().string(), "--maildir", maildir().string(),
                                  "--record", record_path().string()};
    if (std::find(args.begin(), args.end(), "--port") == args.end()) {
        argv.insert(argv.end(), {"--port", "0"});
    }
    argv.insert(argv.end(), args.begin(), args.end());

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    int err = ::open((dir_ / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = detail::spawn({argv, -1, out[1], err, false});
    ::close(out[1]);
    if (err >= 0) ::close(err);
    port_ = read_port(out[0], 10s);
    ::close(out[0]);
    if (port_ == 0) {
        stop();
        throw std::runtime_error("ocspmx-testserver did not start (exit " +
                                 std::to_string(exit_status_) + "): " + stderr_text());
    }
}

TestServer::~TestServer() { stop(); }

int TestServer::stop()
{
    if (pid_ > 0) {
        exit_status_ = detail::terminate(pid_, 5s);
        pid_ = -1;
    }
    return exit_status_;
}

std::string TestServer::address() const
{
    if (host_.find(':') != std::string::npos) return "[" + host_ + "]:" + std::to_string(port_);
    return host_ + ":" + std::to_string(port_);
}

std::vector<std::string> TestServer::messages() const
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(maildir())) {
        if (entry.path().filename().string().front() != '.') files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& file : files) out.push_back(read_file(file));
    return out;
}

std::vector<RecordEntry> TestServer::record() const
{
    if (!fs::exists(record_path())) return {};
    return parse_record(read_file(record_path()));
}

std::string TestServer::received_in_tls() const
{
    std::string out;
    for (const auto& e : record()) {
        if (e.kind == RecordEntry::Kind::tls) out += e.bytes;
    }
    return out;
}

std::string TestServer::received_in_clear() const
{
    std::string out;
    for (const auto& e : record()) {
        if (e.kind == RecordEntry::Kind::clear) out += e.bytes;
    }
    return out;
}

std::string TestServer::received() const
{
    std::string out;
    for (const auto& e : record()) out += e.bytes;
    return out;
}

unsigned TestServer::connections() const
{
    auto entries = record();
    return static_cast<unsigned>(std::count_if(entries.begin(), entries.end(), [](const auto& e) {
        return e.kind == RecordEntry::Kind::accepted;
    }));
}

std::string TestServer::stderr_text() const
{
    std::error_code ec;
    return fs::exists(dir_ / "stderr", ec) ? read_file(dir_ / "stderr") : std::string();
}

}  // namespace ocspmx::test
