// Envelope addresses as they go into MAIL FROM:<...> and RCPT TO:<...>
// (RFC 5321 §4.1.2). ocspmx does not rewrite addresses; it refuses ones that
// could inject a second command or break the angle brackets.
#pragma once

#include <string_view>

#include "ocspmx/result.hpp"

namespace ocspmx::smtp {

// Refuses CR, LF, NUL and other control characters, '<', '>', spaces outside
// a quoted local part, and paths over 256 octets (§4.5.3.1.3). The error names
// the (sanitised) address. An empty address is valid only as a reverse-path.
[[nodiscard]] Result<void> validate_address(std::string_view address, bool reverse_path);

// true when the address has a byte >= 0x80, so MAIL FROM needs SMTPUTF8 (RFC 6531 §3.4).
[[nodiscard]] bool needs_utf8(std::string_view address);

}  // namespace ocspmx::smtp
