// The data phase on the wire (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8).
//
// Lines end in CRLF only: a bare LF or a bare CR in the message becomes CRLF
// (§2.3.8: CR and LF "MUST NOT" be sent except as CRLF; sending them bare is
// what SMTP smuggling exploits). A line starting with '.' gets one more '.'
// (§4.5.2). The message ends with CRLF "." CRLF; a message not ending in a
// line break gets one.
//
// DataEncoder streams over chunks of any size: state is kept across chunk
// boundaries, so "\r" | "\n" and "\n" | "." split over two chunks encode as
// if contiguous. Each input byte is copied once, into the caller's buffer.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ocspmx::smtp {

class DataEncoder {
public:
    // Appends the wire form of `in` to `out`.
    void encode(std::span<const char> in, std::string& out);
    // Ends the last line if needed and appends ".\r\n".
    void finish(std::string& out);
    // Lines of message content seen so far (the final "." not counted).
    [[nodiscard]] std::uint64_t lines() const { return lines_; }

private:
    void end_line(std::string& out);

    bool at_line_start_ = true;
    bool pending_cr_ = false;
    std::uint64_t lines_ = 0;
};

// What MAIL FROM needs to know about a message before it is sent.
struct MessageInfo {
    std::uint64_t size = 0;  // octets with CRLF line ends, without dot-stuffing (RFC 1870 §4)
    bool eight_bit = false;  // a byte >= 0x80: BODY=8BITMIME when offered (RFC 6152)
};

[[nodiscard]] MessageInfo scan_message(std::span<const char> message);

}  // namespace ocspmx::smtp
