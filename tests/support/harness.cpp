#include "harness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace ocspmx::test {
namespace {

fs::path root_from(const char* env, const char* fallback)
{
    const char* value = std::getenv(env);
    return fs::path(value != nullptr && *value != '\0' ? value : fallback);
}

// An owned socket, for the probes below.
struct Socket {
    int fd;
    explicit Socket(int family) : fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
    ~Socket()
    {
        if (fd >= 0) ::close(fd);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
};

// Fills ss for address:port (IPv4 or IPv6 literal); returns its length.
socklen_t make_sockaddr(const std::string& address, std::uint16_t port, sockaddr_storage& ss)
{
    ss = {};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return sizeof(sockaddr_in);
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    throw std::invalid_argument("not an IP address: '" + address + "'");
}

}  // namespace

fs::path source_root() { return root_from("OCSPMX_SOURCE_ROOT", OCSPMX_TEST_SOURCE_ROOT); }
fs::path build_root() { return root_from("OCSPMX_BUILD_ROOT", OCSPMX_TEST_BUILD_ROOT); }

std::string fixture(std::string_view relative)
{
    return (source_root() / "tests" / "fixtures" / relative).string();
}

fs::path testserver_program() { return build_root() / "tests" / "support" / "ocspmx-testserver"; }

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, std::string_view content)
{
    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

TempDir::TempDir(std::string_view prefix)
{
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") +
                          "/" + std::string(prefix) + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    path_ = pattern;
}

TempDir::~TempDir()
{
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

std::uint16_t free_port(const std::string& address)
{
    sockaddr_storage ss{};
    socklen_t len = make_sockaddr(address, 0, ss);
    Socket s(ss.ss_family);
    if (s.fd < 0 || ::bind(s.fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
        ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
        throw std::runtime_error(std::string("free_port: ") + std::strerror(errno));
    }
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

bool wait_for_port(const std::string& address, std::uint16_t port,
                   std::chrono::milliseconds timeout)
{
    sockaddr_storage ss{};
    const socklen_t len = make_sockaddr(address, port, ss);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
        Socket s(ss.ss_family);
        if (::connect(s.fd, reinterpret_cast<sockaddr*>(&ss), len) == 0) return true;
        std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

std::string to_lf(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        out.push_back(text[i]);
    }
    return out;
}

const fs::path& live_responses()
{
    static TempDir dir("ocspmx-live");
    static std::once_flag once;
    std::call_once(once, [] {
        const auto r =
            run_command({"bash", fixture("make-fixtures.sh"), "--live", dir.path().string()});
        if (r.exit_status != 0 || !fs::exists(dir / "good.der"))
            throw std::runtime_error("make-fixtures.sh --live failed: " + r.err);
    });
    return dir.path();
}

}  // namespace ocspmx::test
