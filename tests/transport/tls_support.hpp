// Helpers of the TLS-layer tests: chains and contexts from fixture files.
#pragma once

#include <catch2/catch_test_macros.hpp>
#include <initializer_list>
#include <string>

#include "harness.hpp"
#include "tls/context.hpp"
#include "tls/peer.hpp"

namespace ocspmx::tls::test {

// The chain as a server sends it, from PEM files (relative: under
// tests/fixtures/).
inline PeerChain chain_of(std::initializer_list<std::string> files)
{
    PeerChain chain;
    for (const auto& f : files) {
        auto certs = load_pem_certificates(f[0] == '/' ? f : ocspmx::test::fixture(f));
        REQUIRE(certs.ok());
        for (auto& c : *certs) chain.certs.push_back(std::move(c));
    }
    return chain;
}

inline Context context_with(const std::string& anchors)
{
    ContextOptions options;
    options.verify_certificates = anchors;
    auto ctx = Context::open(options);
    INFO(anchors << ": " << (ctx.ok() ? "" : ctx.error().message));
    REQUIRE(ctx.ok());
    return std::move(*ctx);
}

}  // namespace ocspmx::tls::test
