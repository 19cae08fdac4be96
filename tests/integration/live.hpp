// Shared by the integration tests: fresh OCSP responses (dated now, made once
// per test binary by tests/fixtures/make-fixtures.sh --live) and a runner
// for the `ocspmx` program.
#pragma once

#include <string>
#include <vector>

#include "harness.hpp"

namespace ocspmx::itest {

using namespace ocspmx::test;

// The live response directory, made on first use.
const fs::path& live_dir();
std::string live(const std::string& name);  // path of one response

fs::path ocspmx_program();

// A message with a unique marker line, to look for in what servers received.
inline constexpr const char* marker = "X-Ocspmx-Marker: 7f3c0d";
std::string test_message();

// `ocspmx send --host 127.0.0.1:PORT --tls-verify-certificates anchors
// --from --to ... extra...` with test_message() on stdin.
CommandResult send_to(std::uint16_t port, const std::vector<std::string>& extra);

// ocspmx-testserver presenting the RSA leaf chain; `tls_max` "1.2"/"1.3".
std::vector<std::string> stapling_server(const std::string& tls_max, const std::string& staple,
                                         const std::vector<std::string>& extra = {});

// Writes DIR/chain.pem: a twin of pki/leaf.pem (same key, issuer and serial,
// so the live responses speak for it) issued by the fixture intermediate
// with `extensions` (an openssl extfile body; keep basicConstraints,
// keyUsage and subjectAltName in it), followed by the intermediate.
// Returns the chain's path.
std::string make_twin_leaf_chain(const TempDir& dir, const std::string& extensions);

// Asserts that `server` received nothing of the envelope or the message.
void require_no_envelope(const TestServer& server);

}  // namespace ocspmx::itest
