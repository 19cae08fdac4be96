// MX lookup (RFC 5321 §5.1): targets sorted by preference, a domain without
// MX records is its own host, a null MX (RFC 7505) refuses mail.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "ocspmx/transport.hpp"

namespace ocspmx::transport {

// Queries DNS (res_nquery).
[[nodiscard]] MxLookup lookup_mx(std::string_view domain);

// Parses a DNS answer for an MX query; pure, for tests. Records of equal
// preference keep their order in the answer.
[[nodiscard]] MxLookup parse_mx_answer(std::span<const std::uint8_t> answer,
                                       std::string_view domain);

}  // namespace ocspmx::transport
