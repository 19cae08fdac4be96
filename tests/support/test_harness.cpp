// The harness's own pieces that need no server.
#include <catch2/catch_test_macros.hpp>

#include "harness.hpp"

using namespace ocspmx::test;

TEST_CASE("run_command returns exit status, stdout and stderr without a shell", "[support]")
{
    auto r = run_command({"sh", "-c", "printf out; printf err >&2; exit 3"});
    CHECK(r.exit_status == 3);
    CHECK(r.out == "out");
    CHECK(r.err == "err");

    auto echo = run_command({"cat"}, std::string("fed through stdin"));
    CHECK(echo.exit_status == 0);
    CHECK(echo.out == "fed through stdin");

    auto literal = run_command({"echo", "$HOME;", "*"});  // no shell: nothing expands
    CHECK(literal.out == "$HOME; *\n");

    CHECK(run_command({"/nonexistent/program"}).exit_status == 127);
    auto slow = run_command({"sleep", "10"}, std::nullopt, std::chrono::milliseconds(200));
    CHECK(slow.timed_out);
    CHECK(slow.exit_status == 128 + 9);
}

TEST_CASE("TempDir is created empty and removed with its content", "[support]")
{
    fs::path kept;
    {
        TempDir dir;
        kept = dir.path();
        CHECK(fs::is_directory(kept));
        write_file(dir / "a", "x");
        fs::create_directory(dir / "sub");
        write_file(dir / "sub" / "b", "y");
        CHECK(read_file(dir / "sub" / "b") == "y");
    }
    CHECK_FALSE(fs::exists(kept));
}

TEST_CASE("roots point at this tree", "[support]")
{
    CHECK(fs::exists(source_root() / "meson.build"));
    CHECK(fs::exists(fixture("pki/leaf-chain.pem")));
    CHECK(fs::exists(testserver_program()));
}

TEST_CASE("free_port gives a bindable loopback port", "[support]")
{
    const auto port = free_port();
    CHECK(port > 0);
    CHECK_FALSE(wait_for_port("127.0.0.1", port, std::chrono::milliseconds(50)));
}

TEST_CASE("parse_record splits entries and keeps the bytes exact", "[support]")
{
    const char data[] =
        "[conn 1 accepted]\n"
        "[conn 1 clear 8]\nEHLO x\r\n\n"
        "[conn 1 tls-established]\n"
        "[conn 1 tls 5]\n]\n[\0\n\n"
        "[conn 1 closed]\n";
    const auto entries = parse_record(std::string_view(data, sizeof data - 1));
    REQUIRE(entries.size() == 5);
    CHECK(entries[1].kind == RecordEntry::Kind::clear);
    CHECK(entries[1].bytes == "EHLO x\r\n");
    CHECK(entries[2].kind == RecordEntry::Kind::tls_established);
    CHECK(entries[3].kind == RecordEntry::Kind::tls);
    CHECK(entries[3].bytes.size() == 5);
    CHECK(entries[4].kind == RecordEntry::Kind::closed);
}

TEST_CASE("to_lf turns CRLF into LF only", "[support]")
{
    CHECK(to_lf("a\r\nb\rc\n") == "a\nb\rc\n");
}
