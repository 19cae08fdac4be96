// SMTP replies (RFC 5321 §4.2) and their incremental parser.
//
// A reply is one or more lines "NNN-text" ... "NNN text" (or a bare "NNN" on
// the last line). Every line must carry the same code (§4.2.1). When
// ENHANCEDSTATUSCODES was advertised (RFC 2034 §3) the text of the first line
// starts with "class.subject.detail".
//
// Server text is hostile input: the parser bounds line length, line count and
// total size, replaces control characters with '?', and quotes bad input in
// its errors only after sanitising and truncating it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/result.hpp"

namespace ocspmx::smtp {

struct Reply {
    int code = 0;                    // 200..599
    std::string enhanced;            // "5.1.1" when ENHANCEDSTATUSCODES is in effect, else ""
    std::vector<std::string> lines;  // text after "NNN-" / "NNN ", sanitised

    // RFC 5321 §4.2.1: the first digit decides.
    [[nodiscard]] bool positive() const { return code / 100 == 2; }
    [[nodiscard]] bool intermediate() const { return code / 100 == 3; }
    [[nodiscard]] bool transient() const { return code / 100 == 4; }
    [[nodiscard]] bool permanent() const { return code / 100 == 5; }
    // One line for logs and errors: "550 5.1.1 no such user / second line",
    // at most 1,000 characters.
    [[nodiscard]] std::string summary() const;
};

// RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers send
// longer ones (long AUTH lists, URLs), so accept far more but never unbounded.
struct ReplyLimits {
    std::size_t max_line = 64 * 1024;    // bytes per line, without the line ending
    std::size_t max_lines = 512;         // lines per reply
    std::size_t max_total = 256 * 1024;  // bytes per reply
};

// Assembles one reply from lines (without their CRLF / LF).
class ReplyParser {
public:
    explicit ReplyParser(ReplyLimits limits = {}, bool enhanced_status_codes = false);

    // true once the last line of the reply has been added; then take().
    // Errors name the problem and quote the sanitised line.
    [[nodiscard]] Result<bool> add_line(std::string_view line);
    // Returns the finished reply and resets the parser for the next one.
    [[nodiscard]] Reply take();

private:
    ReplyLimits limits_;
    bool enhanced_;
    Reply reply_;
    std::size_t total_ = 0;
};

// Parses a whole reply from text with CRLF or LF line endings (tests, fuzzing).
// Trailing bytes after the last line are an error.
[[nodiscard]] Result<Reply> parse_reply(std::string_view text, ReplyLimits limits = {},
                                        bool enhanced_status_codes = false);

// Printable rendering of untrusted text for one-line messages: control
// characters and DEL become '?', at most max_len bytes, "..." when cut.
[[nodiscard]] std::string sanitize(std::string_view text, std::size_t max_len = 200);

}  // namespace ocspmx::smtp
