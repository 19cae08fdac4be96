// SMTP reply parsing (RFC 5321 §4.2): parse_reply on whole text, the
// incremental ReplyParser line by line, and EHLO capability parsing. A
// parsed reply never carries control characters other than tab, and its
// summary is one bounded line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "smtp/capabilities.hpp"
#include "smtp/reply.hpp"

namespace {

using namespace ocspmx;

void check_reply(const smtp::Reply& reply, std::string_view input)
{
    FUZZ_CHECK(reply.code >= 200 && reply.code <= 559, input);
    FUZZ_CHECK(!reply.lines.empty(), input);
    for (const auto& line : reply.lines) FUZZ_CHECK(!fuzz::has_control(line, true), line);
    const std::string summary = reply.summary();
    FUZZ_CHECK(summary.size() <= 1003, summary);
    FUZZ_CHECK(!fuzz::has_control(summary, true), summary);
    if (!reply.enhanced.empty()) {
        FUZZ_CHECK(reply.enhanced[0] - '0' == reply.code / 100, reply.enhanced);
    }
    const smtp::Capabilities caps = smtp::parse_ehlo(reply);
    for (const auto& k : caps.keywords) FUZZ_CHECK(!fuzz::has_control(k, true), k);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const smtp::ReplyLimits small{80, 8, 400};
    for (const bool enhanced : {false, true}) {
        for (const auto& limits : {smtp::ReplyLimits{}, small}) {
            auto reply = smtp::parse_reply(text, limits, enhanced);
            if (reply) {
                check_reply(*reply, text);
            } else {
                const std::string& message = reply.error().message;
                FUZZ_CHECK(!fuzz::has_control(message, true), message);
                FUZZ_CHECK(message.size() < 400, message);
            }
        }
    }

    // The incremental parser as the client drives it: replies back to back.
    smtp::ReplyParser parser(small, true);
    for (std::string_view rest = text; !rest.empty();) {
        const auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        auto done = parser.add_line(line);
        if (!done) {
            FUZZ_CHECK(!fuzz::has_control(done.error().message, true), done.error().message);
            break;
        }
        if (*done) check_reply(parser.take(), text);
    }

    const std::string cut = smtp::sanitize(text, 50);
    FUZZ_CHECK(cut.size() <= 53 && !fuzz::has_control(cut, true), cut);
    return 0;
}
