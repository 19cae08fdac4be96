// A minimal JSON writer (RFC 8259) for reports. Server text is hostile: every
// string is escaped (quotes, backslash, all control characters, DEL) and
// invalid UTF-8 becomes U+FFFD, so the output is always valid JSON and valid
// UTF-8 whatever a server sent.
#pragma once

#include <string>
#include <string_view>

namespace ocspmx::transport::json {

// Appends `text` as a JSON string literal, quotes included.
void append_string(std::string& out, std::string_view text);

[[nodiscard]] inline std::string quote(std::string_view text)
{
    std::string out;
    append_string(out, text);
    return out;
}

}  // namespace ocspmx::transport::json
