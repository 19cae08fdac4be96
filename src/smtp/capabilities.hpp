// ESMTP service extensions advertised in the EHLO reply (RFC 5321 §4.1.1.1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "smtp/reply.hpp"

namespace ocspmx::smtp {

struct Capabilities {
    bool esmtp = false;                  // EHLO accepted (false after the HELO fallback)
    bool pipelining = false;             // RFC 2920
    bool starttls = false;               // RFC 3207
    bool eightbitmime = false;           // RFC 6152
    bool smtputf8 = false;               // RFC 6531
    bool enhanced_status_codes = false;  // RFC 2034
    bool chunking = false;               // RFC 3030: recorded, BDAT is not used
    bool size = false;                   // RFC 1870
    std::uint64_t size_limit = 0;        // 0: SIZE without a limit, or no SIZE
    std::vector<std::string> keywords;   // every advertised keyword, upper case
};

// Reads the extension lines of a 250 reply to EHLO (the first line is the
// greeting and is skipped). Unknown keywords are kept in `keywords` only.
[[nodiscard]] Capabilities parse_ehlo(const Reply& reply);

}  // namespace ocspmx::smtp
