// Dot-stuffing and CRLF normalisation (RFC 5321 §4.5.2, §2.3.8).
#include <catch2/catch_test_macros.hpp>

#include "smtp/data.hpp"

using namespace ocspmx::smtp;

namespace {

struct DataRow {
    const char* name;
    std::string in;
    std::string wire;  // what goes on the wire, final dot included
};

const DataRow data_rows[] = {
    {"empty message", "", ".\r\n"},
    {"one CRLF line", "a\r\n", "a\r\n.\r\n"},
    {"no final line end", "a", "a\r\n.\r\n"},
    {"bare LF", "a\nb\n", "a\r\nb\r\n.\r\n"},
    {"bare CR", "a\rb\r", "a\r\nb\r\n.\r\n"},
    {"CR CR LF", "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n"},
    {"LF CR", "a\n\rb", "a\r\n\r\nb\r\n.\r\n"},
    {"leading dot", ".hidden\r\n", "..hidden\r\n.\r\n"},
    {"lone dot line", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"},
    {"dot after bare LF", "a\n.\n", "a\r\n..\r\n.\r\n"},
    {"dot after bare CR", "a\r.b", "a\r\n..b\r\n.\r\n"},
    {"dot not at start", "a.b\r\n", "a.b\r\n.\r\n"},
    {"two dots", "..\r\n", "...\r\n.\r\n"},
    {"smuggling attempt", "a\n.\r\nMAIL FROM:<x>\r\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
    {"smuggling bare CR", "a\r.\rQUIT\r", "a\r\n..\r\nQUIT\r\n.\r\n"},
    {"8-bit kept", "caf\xc3\xa9\n", "caf\xc3\xa9\r\n.\r\n"},
    {"NUL kept", std::string("a\0b\n", 4), std::string("a\0b\r\n.\r\n", 8)},
    {"blank lines", "\n\n", "\r\n\r\n.\r\n"},
};

std::string encode_whole(const std::string& in)
{
    DataEncoder e;
    std::string out;
    e.encode(in, out);
    e.finish(out);
    return out;
}

// The dots added by stuffing, for checking MessageInfo::size.
std::size_t stuffed_dots(const std::string& wire)
{
    std::size_t n = wire.starts_with("..") ? 1 : 0;
    for (std::size_t p = 0; (p = wire.find("\r\n..", p)) != std::string::npos; p += 2) ++n;
    return n;
}

}  // namespace

TEST_CASE("data encoder table", "[data]")
{
    for (const auto& row : data_rows) {
        INFO(row.name);
        CHECK(encode_whole(row.in) == row.wire);
    }
}

TEST_CASE("data encoder: every split point gives the same bytes", "[data]")
{
    for (const auto& row : data_rows) {
        INFO(row.name);
        for (std::size_t cut = 0; cut <= row.in.size(); ++cut) {
            INFO("cut at " << cut);
            DataEncoder e;
            std::string out;
            e.encode(std::span<const char>(row.in.data(), cut), out);
            e.encode(std::span<const char>(row.in.data() + cut, row.in.size() - cut), out);
            e.finish(out);
            CHECK(out == row.wire);
        }
    }
}

TEST_CASE("data encoder byte by byte, and line count", "[data]")
{
    const std::string in = "a\n.b\r\nc\rd";
    DataEncoder e;
    std::string out;
    for (char c : in) e.encode(std::span<const char>(&c, 1), out);
    e.finish(out);
    CHECK(out == "a\r\n..b\r\nc\r\nd\r\n.\r\n");
    CHECK(e.lines() == 4);
}

TEST_CASE("scan_message: SIZE counts CRLF lines without stuffing", "[data]")
{
    for (const auto& row : data_rows) {
        INFO(row.name);
        const MessageInfo info = scan_message(row.in);
        CHECK(info.size == row.wire.size() - 3 - stuffed_dots(row.wire));
    }
    CHECK(scan_message(std::string("caf\xc3\xa9")).eight_bit);
    CHECK_FALSE(scan_message(std::string("plain\r\n")).eight_bit);
}
