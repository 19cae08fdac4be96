// JSON string escaping of hostile server text (RFC 8259 §7, RFC 3629).
#include <catch2/catch_test_macros.hpp>
#include <string>

#include "transport/json.hpp"

using ocspmx::transport::json::quote;

TEST_CASE("json: strings are escaped and always valid UTF-8", "[json]")
{
    struct Row {
        std::string in;
        std::string out;
    };
    const Row rows[] = {
        {"", "\"\""},
        {"plain", "\"plain\""},
        {"say \"hi\"", "\"say \\\"hi\\\"\""},
        {"back\\slash", "\"back\\\\slash\""},
        {"a\r\nb\tc", "\"a\\r\\nb\\tc\""},
        {std::string("nul\0x", 5), "\"nul\\u0000x\""},
        {"\x1b[31mred", "\"\\u001b[31mred\""},
        {"del\x7f", "\"del\\u007f\""},
        {"caf\xc3\xa9", "\"caf\xc3\xa9\""},                            // valid 2-byte
        {"\xe2\x82\xac", "\"\xe2\x82\xac\""},                          // valid 3-byte (euro)
        {"\xf0\x9f\x93\xa7", "\"\xf0\x9f\x93\xa7\""},                  // valid 4-byte
        {"bad\xff", "\"bad\xef\xbf\xbd\""},                            // invalid byte
        {"trunc\xc3", "\"trunc\xef\xbf\xbd\""},                        // truncated sequence
        {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""},                  // overlong
        {"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},  // UTF-16 surrogate
        {"</script>", "\"</script>\""},
    };
    for (const Row& row : rows) {
        INFO(row.in);
        CHECK(quote(row.in) == row.out);
    }
}
