// Transport options: CONTRACT.md §2. Names and defaults are Exim's smtp
// transport's, except the ocsp_* additions and the stricter
// hosts_require_ocsp (never a cleartext fallback).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/result.hpp"

namespace ocspmx {

// A host list as written in the configuration; compiled once by
// hostlist::HostList::compile when a transport is opened. std::nullopt is
// Exim's "unset", which matches no host (unlike the empty string, which is
// also an empty list but is written explicitly).
using HostListText = std::optional<std::string>;

struct Options {
    HostListText hosts_require_ocsp;
    HostListText hosts_request_ocsp = std::string("*");
    HostListText hosts_require_tls;
    HostListText hosts_avoid_tls;
    std::string tls_verify_certificates = "system";  // "system", a PEM file, or a directory
    HostListText tls_verify_hosts;
    HostListText tls_try_verify_hosts = std::string("*");
    HostListText tls_verify_cert_hostnames = std::string("*");
    std::optional<std::string> tls_sni;  // "$host" expands to the host name
    std::optional<std::string> tls_require_ciphers;  // GnuTLS priority string
    std::optional<std::string> tls_certificate;
    std::optional<std::string> tls_privatekey;
    std::optional<std::string> tls_crl;
    bool tls_tempfail_tryclear = true;
    std::chrono::seconds ocsp_clock_skew{5 * 60};
    std::chrono::seconds ocsp_max_age{7 * 24 * 3600};
    std::optional<std::string> ocsp_trusted_responders;  // PEM file
    unsigned port = 25;
    std::chrono::seconds connect_timeout{5 * 60};
    std::chrono::seconds command_timeout{5 * 60};
    std::chrono::seconds data_timeout{5 * 60};
    std::optional<std::string> helo_data;  // unset: the local host name
};

// A whole configuration: the options plus `hostlist NAME = LIST`
// definitions, referenced from lists as `+NAME`.
struct Config {
    Options options;
    std::map<std::string, std::string, std::less<>> hostlists;
};

}  // namespace ocspmx

namespace ocspmx::config {

// Parses the configuration file format of CONTRACT.md §2. `source` names the
// input in error messages ("source:LINE: ..."). Every error is one line.
[[nodiscard]] Result<Config> parse(std::string_view text, std::string_view source);

// Reads and parses a file; a missing or unreadable file is an error naming it.
[[nodiscard]] Result<Config> load_file(const std::string& path);

// Sets one option from text, as a config line or a command-line flag does
// (`--hosts-require-ocsp X` arrives here as name "hosts_require_ocsp").
[[nodiscard]] Result<void> set_option(Config& config, std::string_view name,
                                      std::string_view value);

// True when `name` (underscore form) is a transport option of §2.
[[nodiscard]] bool is_option(std::string_view name);

// Exim time units: "30s", "5m", "2h", "1d", "1w", combinations ("1h30m"),
// and a bare number of seconds.
[[nodiscard]] Result<std::chrono::seconds> parse_time(std::string_view text);

}  // namespace ocspmx::config
