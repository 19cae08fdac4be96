// TcpStream over loopback, and the address helpers.
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch_test_macros.hpp>

#include "net/address.hpp"
#include "net/tcp_stream.hpp"

using namespace ocspmx;
using namespace ocspmx::net;
using namespace std::chrono_literals;

namespace {

struct EndpointRow {
    const char* address;
    std::uint16_t port;
    const char* text;
};

const EndpointRow endpoint_rows[] = {
    {"192.0.2.1", 25, "192.0.2.1:25"},
    {"::1", 2525, "[::1]:2525"},
    {"[::1]", 2525, "[::1]:2525"},
    {"2001:db8::25", 587, "[2001:db8::25]:587"},
    {"::ffff:192.0.2.1", 25, "[::ffff:192.0.2.1]:25"},
};

// A listening socket on 127.0.0.1 with a kernel-chosen port.
struct Listener {
    UniqueFd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    std::uint16_t port = 0;

    explicit Listener(bool listening = true)
    {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
        socklen_t len = sizeof sa;
        REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len) == 0);
        port = ntohs(sa.sin_port);
        if (listening) REQUIRE(::listen(fd.get(), 4) == 0);
    }
};

}  // namespace

TEST_CASE("endpoint text", "[net]")
{
    for (const auto& row : endpoint_rows) {
        CHECK(format_endpoint(row.address, row.port) == row.text);
    }
    CHECK(parse_numeric("127.0.0.1", 25).ok());
    CHECK(parse_numeric("[::1]", 25).ok());
    CHECK(parse_numeric("::1", 25)->storage.ss_family == AF_INET6);
    const auto name = parse_numeric("mx.example.org", 25);
    REQUIRE_FALSE(name.ok());
    CHECK(name.error().message == "'mx.example.org' is not a numeric IPv4 or IPv6 address");
    CHECK_FALSE(parse_numeric("1.2.3.4\n", 25).ok());
}

TEST_CASE("TcpStream connects, reads, writes and times out", "[net]")
{
    Listener l;
    auto s = TcpStream::connect("127.0.0.1", l.port, Clock::now() + 2s);
    REQUIRE(s.ok());
    CHECK(s->endpoint() == "127.0.0.1:" + std::to_string(l.port));
    UniqueFd peer(::accept(l.fd.get(), nullptr, nullptr));
    REQUIRE(peer.valid());

    const std::string hello = "220 hi\r\n";
    REQUIRE(::send(peer.get(), hello.data(), hello.size(), 0) == ssize_t(hello.size()));
    std::array<char, 64> buf{};
    auto n = s->read_some(buf, Clock::now() + 2s);
    REQUIRE(n.ok());
    CHECK(std::string(buf.data(), *n) == hello);

    REQUIRE(s->write_all(std::string_view("EHLO x\r\n"), Clock::now() + 2s).ok());
    std::array<char, 64> got{};
    CHECK(::recv(peer.get(), got.data(), got.size(), 0) == 8);

    const auto start = Clock::now();
    auto stalled = s->read_some(buf, Clock::now() + 50ms);
    REQUIRE_FALSE(stalled.ok());
    CHECK(stalled.error().message == "read from " + s->endpoint() + ": timeout");
    CHECK(Clock::now() - start < 1s);

    peer.reset();
    auto closed = s->read_some(buf, Clock::now() + 2s);
    REQUIRE(closed.ok());
    CHECK(*closed == 0);
}

TEST_CASE("TcpStream connect errors name the endpoint", "[net]")
{
    std::uint16_t port = 0;
    {
        Listener bound(false);
        port = bound.port;
    }  // closed: nothing listens on the port now
    auto refused = TcpStream::connect("127.0.0.1", port, Clock::now() + 2s);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message ==
          "connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
    auto name = TcpStream::connect("localhost", 25, Clock::now() + 2s);
    REQUIRE_FALSE(name.ok());
    CHECK(name.error().message.starts_with("connect to localhost:25: "));
}
