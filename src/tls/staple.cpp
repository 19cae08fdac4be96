#include "tls/staple.hpp"

namespace ocspmx::tls {

namespace {

StapleOutcome failed(std::string reason) { return {ocsp::State::failed, std::move(reason)}; }

std::string describe(const ocsp::Verdict& v)
{
    std::string text = ocsp::to_string(v.reason);
    if (!v.detail.empty()) text += ": " + v.detail;
    return text;
}

// Verifies the staple of chain.certs[index]; nullopt when verified, else why.
std::optional<std::string> verify_one(const Context& context, const PeerChain& chain,
                                      std::size_t index, std::span<const std::uint8_t> staple,
                                      const StapleCheckOptions& options)
{
    CrtPtr holder;
    gnutls_x509_crt_t issuer = find_issuer(context, chain, index, holder);
    if (issuer == nullptr) return "no issuer certificate to check the staple against";
    ocsp::Input in;
    in.response = staple;
    in.cert = chain.certs[index].get();
    in.issuer = issuer;
    in.trusted_responders = context.trusted_responders();
    in.now = options.now;
    in.clock_skew = options.clock_skew;
    in.max_age = options.max_age;
    const ocsp::Verdict verdict = context.staple_cache().verify(in);
    if (verdict.state == ocsp::State::verified) return std::nullopt;
    return describe(verdict);
}

}  // namespace

StapleOutcome check_staples(const Context& context, const Session& session, const PeerChain& chain,
                            const StapleCheckOptions& options)
{
    if (!options.requested) return {ocsp::State::not_requested, {}};
    const auto leaf_staple = session.staple(0);
    if (leaf_staple.empty()) return {ocsp::State::not_responded, {}};
    // Rule 1: a staple says nothing about a chain we do not trust.
    if (!options.chain_verified) {
        return failed("certificate chain not verified: " + options.chain_reason);
    }
    if (auto why = verify_one(context, chain, 0, leaf_staple, options)) return failed(*why);
    if (session.is_tls13()) {
        for (std::size_t i = 1; i < chain.certs.size(); ++i) {
            const auto staple = session.staple(static_cast<unsigned>(i));
            if (staple.empty()) continue;
            if (auto why = verify_one(context, chain, i, staple, options)) {
                return failed("intermediate " + std::to_string(i) + ": " + *why);
            }
        }
    }
    return {ocsp::State::verified, {}};
}

}  // namespace ocspmx::tls
