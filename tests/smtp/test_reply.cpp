// Reply parser rows (RFC 5321 §4.2), capabilities (§4.1.1.1) and addresses.
#include <catch2/catch_test_macros.hpp>

#include "smtp/address.hpp"
#include "smtp/capabilities.hpp"
#include "smtp/reply.hpp"

using namespace ocspmx::smtp;

namespace {

struct ReplyRow {
    const char* name;
    std::string text;
    bool enhanced;
    int code;  // 0: an error is expected
    std::size_t lines;
    const char* status;  // enhanced code expected, or error substring when code == 0
};

const ReplyRow reply_rows[] = {
    {"one line", "250 OK\r\n", false, 250, 1, ""},
    {"bare code", "250\r\n", false, 250, 1, ""},
    {"bare LF tolerated", "220 hi\n", false, 220, 1, ""},
    {"multi-line", "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n", false, 250, 3, ""},
    {"multi-line bare dash", "250-\r\n250 x\r\n", false, 250, 2, ""},
    {"enhanced on", "550 5.1.1 no such user\r\n", true, 550, 1, "5.1.1"},
    {"enhanced off", "550 5.1.1 no such user\r\n", false, 550, 1, ""},
    {"enhanced class mismatch ignored", "550 4.1.1 odd\r\n", true, 550, 1, ""},
    {"enhanced needs a space after", "250 2.0.0queued\r\n", true, 250, 1, ""},
    {"enhanced three-digit parts", "451 4.123.456 x\r\n", true, 451, 1, "4.123.456"},
    {"control chars replaced",
     std::string("250 a\x01"
                 "b\x1b[2J\r\n"),
     false, 250, 1, ""},
    {"empty", "", false, 0, 0, "ends before"},
    {"empty line", "\r\n", false, 0, 0, "bad reply syntax"},
    {"letters", "OK fine\r\n", false, 0, 0, "bad reply syntax: \"OK fine\""},
    {"two digits", "25 x\r\n", false, 0, 0, "bad reply syntax"},
    {"first digit 1", "150 x\r\n", false, 0, 0, "bad reply syntax"},
    {"first digit 6", "650 x\r\n", false, 0, 0, "bad reply syntax"},
    {"second digit 6", "260 x\r\n", false, 0, 0, "bad reply syntax"},
    {"bad separator", "250_x\r\n", false, 0, 0, "bad reply syntax"},
    {"four digits", "2500 x\r\n", false, 0, 0, "bad reply syntax"},
    {"mixed codes", "250-a\r\n251 b\r\n", false, 0, 0, "mixed reply codes: \"251 b\""},
    {"unterminated multi-line", "250-a\r\n", false, 0, 0, "ends before"},
    {"no line end", "250 a", false, 0, 0, "without line end"},
    {"trailing data", "250 a\r\n250 b\r\n", false, 0, 0, "after the last"},
    {"garbage sanitised", std::string("\x1b[31mevil\r\n"), false, 0, 0, "\"?[31mevil\""},
};

}  // namespace

TEST_CASE("reply parser table", "[reply]")
{
    for (const auto& row : reply_rows) {
        INFO(row.name);
        auto r = parse_reply(row.text, ReplyLimits{}, row.enhanced);
        if (row.code == 0) {
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find(row.status) != std::string::npos);
            for (char c : r.error().message) CHECK(static_cast<unsigned char>(c) >= 0x20);
            continue;
        }
        REQUIRE(r.ok());
        CHECK(r->code == row.code);
        CHECK(r->lines.size() == row.lines);
        CHECK(r->enhanced == row.status);
        for (const auto& line : r->lines) {
            for (char c : line) CHECK(static_cast<unsigned char>(c) >= 0x20);
        }
    }
}

TEST_CASE("reply parser bounds", "[reply]")
{
    ReplyLimits limits{.max_line = 100, .max_lines = 3, .max_total = 1000};
    SECTION("line too long")
    {
        auto r = parse_reply("250 " + std::string(200, 'x') + "\r\n", limits);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "reply line longer than 100 bytes");
    }
    SECTION("too many lines")
    {
        auto r = parse_reply("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", limits);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("reply longer than 3 lines") == 0);
    }
    SECTION("total too big")
    {
        std::string text;
        for (int i = 0; i < 3; ++i) text += "250-" + std::string(90, 'x') + "\r\n";
        limits.max_lines = 100;
        limits.max_total = 200;
        auto r = parse_reply(text + "250 end\r\n", limits);
        REQUIRE_FALSE(r.ok());
    }
    SECTION("parser is reusable after take()")
    {
        ReplyParser p;
        REQUIRE(*p.add_line("220 a"));
        CHECK(p.take().code == 220);
        REQUIRE_FALSE(*p.add_line("250-b"));
        REQUIRE(*p.add_line("250 c"));
        CHECK(p.take().lines.size() == 2);
    }
}

TEST_CASE("reply summary", "[reply]")
{
    auto r = parse_reply("550-5.1.1 no such user\r\n550 5.1.1 see docs\r\n", {}, true);
    REQUIRE(r.ok());
    CHECK(r->summary() == "550 5.1.1 no such user / 5.1.1 see docs");
    CHECK(r->permanent());
    Reply huge{250, "", {std::string(5000, 'a')}};
    CHECK(huge.summary().size() <= 1003);
}

TEST_CASE("EHLO capabilities", "[capabilities]")
{
    auto r = parse_reply(
        "250-mx.example greets you\r\n250-pipelining\r\n250-SIZE 52428800\r\n"
        "250-8BITMIME\r\n250-SMTPUTF8\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
        "250-CHUNKING\r\n250-AUTH PLAIN LOGIN\r\n250 X-UNKNOWN\r\n");
    REQUIRE(r.ok());
    const Capabilities caps = parse_ehlo(*r);
    CHECK(caps.esmtp);
    CHECK(caps.pipelining);
    CHECK(caps.size);
    CHECK(caps.size_limit == 52428800);
    CHECK(caps.eightbitmime);
    CHECK(caps.smtputf8);
    CHECK(caps.starttls);
    CHECK(caps.enhanced_status_codes);
    CHECK(caps.chunking);
    CHECK(caps.keywords.size() == 9);
    CHECK(caps.keywords.back() == "X-UNKNOWN");

    const Capabilities bare = parse_ehlo(*parse_reply("250-mx\r\n250 SIZE\r\n"));
    CHECK(bare.size);
    CHECK(bare.size_limit == 0);
    CHECK_FALSE(bare.pipelining);
    // The greeting line is not a keyword even when it looks like one.
    CHECK_FALSE(parse_ehlo(*parse_reply("250 STARTTLS\r\n")).starttls);
}

namespace {

struct AddressRow {
    std::string address;
    bool reverse_path;
    const char* error;  // "" when valid
};

const AddressRow address_rows[] = {
    {"user@example.org", false, ""},
    {"", true, ""},
    {"", false, "empty recipient"},
    {"Postmaster", false, ""},
    {"\"john doe\"@example.org", false, ""},
    {"\"a\\\"b c\"@example.org", false, ""},
    {"user@example.org\r\nRCPT TO:<victim@x>", false, "control character"},
    {"user@example.org\nDATA", false, "control character"},
    {std::string("a\0b@x", 5), false, "control character"},
    {"user@example.org> SIZE=1", false, "angle bracket"},
    {"<user@example.org>", false, "angle bracket"},
    {"user @example.org", false, "space outside"},
    {"\"open@example.org", false, "unterminated"},
    {std::string(255, 'a'), false, "longer than 254"},
    {"jöran@example.org", false, ""},
};

}  // namespace

TEST_CASE("address validation", "[address]")
{
    for (const auto& row : address_rows) {
        INFO(row.address);
        auto ok = validate_address(row.address, row.reverse_path);
        if (*row.error == '\0') {
            CHECK(ok.ok());
            continue;
        }
        REQUIRE_FALSE(ok.ok());
        CHECK(ok.error().message.find(row.error) != std::string::npos);
        CHECK(ok.error().message.find('\n') == std::string::npos);
        CHECK(ok.error().message.find('\r') == std::string::npos);
    }
    CHECK(needs_utf8("jöran@example.org"));
    CHECK_FALSE(needs_utf8("joran@example.org"));
}
