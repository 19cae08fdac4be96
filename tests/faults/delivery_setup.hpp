// What the fault and resource tests share: a stapling ocspmx-testserver
// whose staple is fresh (make-fixtures.sh --live, once per process), and the
// `ocspmx send` command line that requires a verified staple from it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "harness.hpp"

namespace ocspmx::test {

inline std::vector<std::string> stapling_server_args(std::vector<std::string> extra = {})
{
    std::vector<std::string> args{"--cert", fixture("pki/leaf-chain.pem"),
                                  "--key", fixture("pki/leaf.key"),
                                  "--staple", (live_responses() / "good.der").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

inline std::string ocspmx_program() { return (build_root() / "src/cli/ocspmx").string(); }

// `ocspmx send --json` to the server on 127.0.0.1 with OCSP required and
// verified, certificate verification required, `timeout` for connect,
// commands and data.
inline std::vector<std::string> send_argv(const TestServer& server, const fs::path& message,
                                          const std::string& timeout = "2s")
{
    return {ocspmx_program(), "send",
            "--host", "mx.ocspmx.test:" + std::to_string(server.port()),
            "--resolve", "mx.ocspmx.test:127.0.0.1",
            "--from", "sender@client.test", "--to", "rcpt@mx.ocspmx.test",
            "--data", message.string(), "--json",
            "--hosts-require-ocsp", "*",
            "--tls-verify-hosts", "*",
            "--tls-verify-certificates", fixture("pki/anchors.pem"),
            "--connect-timeout", timeout, "--command-timeout", timeout,
            "--data-timeout", timeout,
            "--helo-data", "client.test"};
}

inline constexpr std::string_view test_message =
    "From: sender@client.test\r\nTo: rcpt@mx.ocspmx.test\r\nSubject: fault test\r\n\r\n"
    "line one\r\nline two\r\n";

}  // namespace ocspmx::test
