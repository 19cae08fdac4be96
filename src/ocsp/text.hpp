// Text forms shared by the verifier's details and `ocspmx verify`.
#pragma once

#include <gnutls/x509.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp {

// "2026-06-01T12:00:00Z" (UTC, seconds precision).
[[nodiscard]] std::string iso8601(TimePoint t);

// Parses "2026-06-01T12:00:00Z" (also without the Z, or with a space for
// the T) or unix seconds ("1780315200", "@1780315200").
[[nodiscard]] std::optional<TimePoint> parse_time(std::string_view text);

// Lower-case hex, no separators.
[[nodiscard]] std::string hex(std::span<const std::uint8_t> bytes);

// RFC 4514 subject of a certificate ("CN=...,O=..."), "" if unreadable.
[[nodiscard]] std::string subject(gnutls_x509_crt_t crt);

}  // namespace ocspmx::ocsp
