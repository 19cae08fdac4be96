// Transport: hosts in order, per-recipient results, the overall outcome.
// RFC 5321 §4.2.1 / §5.1; Exim's smtp transport for host fallback.
#include "ocspmx/transport.hpp"

#include <unistd.h>

#include <algorithm>

#include "net/address.hpp"
#include "tls/context.hpp"
#include "transport/attempt.hpp"
#include "transport/mx.hpp"
#include "transport/policy.hpp"
#include "transport/resolver.hpp"
#include "util/text.hpp"

namespace ocspmx::transport {

struct Transport::Impl {
    Config config;
    Environment env;
    std::shared_ptr<const PinnedResolver> resolver;
    CompiledLists lists;
    tls::Context tls;
    std::string helo;
};

namespace {

tls::ContextOptions tls_options(const Options& o)
{
    tls::ContextOptions t;
    t.verify_certificates = o.tls_verify_certificates;
    t.crl = o.tls_crl;
    t.certificate = o.tls_certificate;
    t.private_key = o.tls_privatekey;
    t.priority = o.tls_require_ciphers;
    t.trusted_responders = o.ocsp_trusted_responders;
    return t;
}

std::string strip_brackets(std::string_view s)
{
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    return std::string(s);
}

bool is_ip_literal(std::string_view s) { return net::parse_numeric(s, 25).ok(); }

}  // namespace

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transport::Transport(Transport&&) noexcept = default;
Transport& Transport::operator=(Transport&&) noexcept = default;
Transport::~Transport() = default;

Result<Transport> Transport::open(const Config& config, Environment env)
{
    auto lists = CompiledLists::compile(config);
    if (!lists) return lists.error();
    auto context = tls::Context::open(tls_options(config.options));
    if (!context) return context.error();
    if (!env.clock) env.clock = [] { return std::chrono::system_clock::now(); };
    std::shared_ptr<const hostlist::Resolver> base = env.resolver;
    if (!base) base = hostlist::system_resolver();
    PinnedResolver::Pins pins;
    for (const auto& [name, addresses] : env.pins) {
        auto& slot = pins[util::normalise_dns_name(name)];
        for (const auto& a : addresses) slot.push_back(strip_brackets(a));
    }
    auto impl = std::unique_ptr<Impl>(
        new Impl{config,
                 std::move(env),
                 std::make_shared<PinnedResolver>(std::move(base), std::move(pins)),
                 std::move(*lists),
                 std::move(*context),
                 {}});
    const auto& helo = config.options.helo_data;
    impl->helo = helo && !helo->empty() ? *helo : impl->resolver->primary_hostname();
    if (impl->helo.empty()) impl->helo = "localhost";
    return Transport(std::move(impl));
}

void Transport::set_transcript(TranscriptHook hook) { impl_->env.transcript = std::move(hook); }

MxLookup Transport::mx_hosts(std::string_view domain) const
{
    if (impl_->resolver->pinned(domain) || is_ip_literal(strip_brackets(domain))) {
        return {hostlist::LookupStatus::ok, {Host{std::string(domain), {}, {}}}, {}};
    }
    return lookup_mx(domain);
}

namespace {

// The addresses to try for one host, each with its evaluated policy.
struct Resolved {
    std::vector<Target> targets;
    std::optional<Attempt> failure;  // the host could not be resolved
};

Resolved resolve(const Transport::Impl& impl, const Host& host)
{
    Resolved out;
    const unsigned port = host.port.value_or(impl.config.options.port);
    std::vector<std::string> addresses;
    std::string name = host.name;
    if (!host.address.empty()) {
        addresses.push_back(strip_brackets(host.address));
    } else if (const std::string literal = strip_brackets(host.name); is_ip_literal(literal)) {
        addresses.push_back(literal);
        name = literal;
    } else {
        const auto found = impl.resolver->lookup(host.name);
        if (found.status != hostlist::LookupStatus::ok || found.addresses.empty()) {
            Attempt a;
            a.host = host.name;
            a.port = port;
            a.outcome = Outcome::deferred;
            a.detail = "cannot resolve " + host.name +
                       (found.detail.empty() ? std::string() : ": " + found.detail);
            out.failure = std::move(a);
            return out;
        }
        addresses = found.addresses;
    }
    for (const auto& address : addresses) {
        Target t;
        t.host = name;
        t.address = address;
        t.port = port;
        t.policy = decide(impl.lists.match(name, address, *impl.resolver),
                          impl.config.options.tls_tempfail_tryclear);
        out.targets.push_back(std::move(t));
    }
    return out;
}

AttemptSettings settings_for(const Transport::Impl& impl)
{
    return AttemptSettings{impl.tls, impl.config.options, impl.env.transcript, impl.env.clock,
                           impl.helo};
}

RecipientReport recipient_from(const smtp::RecipientResult& r)
{
    RecipientReport out;
    out.address = r.address;
    out.smtp = r.smtp;
    switch (r.status) {
        case smtp::RecipientStatus::accepted:
            out.outcome = Outcome::delivered;
            break;
        case smtp::RecipientStatus::deferred:
            out.outcome = Outcome::deferred;
            break;
        case smtp::RecipientStatus::failed:
            out.outcome = Outcome::failed;
            break;
    }
    return out;
}

Outcome overall(const std::vector<RecipientReport>& recipients)
{
    bool any_deferred = false;
    bool any_failed = false;
    for (const auto& r : recipients) {
        any_deferred |= r.outcome == Outcome::deferred;
        any_failed |= r.outcome == Outcome::failed;
    }
    if (any_deferred) return Outcome::deferred;
    return any_failed ? Outcome::failed : Outcome::delivered;
}

DeliveryReport deliver_message(const Transport::Impl& impl, const Envelope& envelope,
                               const MessageInput& message, std::span<const Host> hosts)
{
    DeliveryReport report;
    for (const auto& rcpt : envelope.rcpt_to) {
        report.recipients.push_back({rcpt, Outcome::deferred, "no host was reachable"});
    }
    const AttemptSettings settings = settings_for(impl);
    auto pending = [&] {
        smtp::Envelope env{envelope.mail_from, {}};
        for (const auto& r : report.recipients) {
            if (r.outcome == Outcome::deferred) env.rcpt_to.push_back(r.address);
        }
        return env;
    };
    for (const Host& host : hosts) {
        Resolved resolved = resolve(impl, host);
        if (resolved.failure) {
            for (auto& rep : report.recipients) {
                if (rep.outcome == Outcome::deferred) rep.smtp = resolved.failure->detail;
            }
            report.attempts.push_back(std::move(*resolved.failure));
        }
        for (const Target& target : resolved.targets) {
            const smtp::Envelope env = pending();
            if (env.rcpt_to.empty()) break;
            AttemptResult r = run_attempt(settings, target, &env, message);
            if (r.transaction_ran) {
                for (const auto& rr : r.transaction.recipients) {
                    for (auto& rep : report.recipients) {
                        if (rep.address == rr.address && rep.outcome == Outcome::deferred) {
                            rep = recipient_from(rr);
                        }
                    }
                }
            }
            if (!r.transaction_ran || r.transaction.recipients.empty()) {
                for (auto& rep : report.recipients) {
                    if (rep.outcome == Outcome::deferred) rep.smtp = r.attempt.detail;
                }
            }
            for (auto& e : r.earlier) report.attempts.push_back(std::move(e));
            report.attempts.push_back(std::move(r.attempt));
        }
        if (pending().rcpt_to.empty()) break;
    }
    report.result = overall(report.recipients);
    return report;
}

}  // namespace

DeliveryReport Transport::deliver(const Envelope& envelope, std::span<const char> message,
                                  std::span<const Host> hosts)
{
    return deliver_message(*impl_, envelope, MessageInput{message, nullptr}, hosts);
}

DeliveryReport Transport::deliver(const Envelope& envelope, const MessageSource& source,
                                  std::span<const Host> hosts)
{
    return deliver_message(*impl_, envelope, MessageInput{{}, &source}, hosts);
}

DeliveryReport Transport::deliver_to_domain(const Envelope& envelope, std::span<const char> message,
                                            std::string_view domain)
{
    const MxLookup mx = mx_hosts(domain);
    if (mx.status == hostlist::LookupStatus::ok) return deliver(envelope, message, mx.hosts);
    DeliveryReport report;
    const Outcome outcome =
        mx.status == hostlist::LookupStatus::not_found ? Outcome::failed : Outcome::deferred;
    for (const auto& rcpt : envelope.rcpt_to)
        report.recipients.push_back({rcpt, outcome, mx.detail});
    report.result = outcome;
    return report;
}

DeliveryReport Transport::probe(const Host& host)
{
    DeliveryReport report;
    const AttemptSettings settings = settings_for(*impl_);
    Resolved resolved = resolve(*impl_, host);
    if (resolved.failure) report.attempts.push_back(std::move(*resolved.failure));
    report.result = Outcome::deferred;
    for (const Target& target : resolved.targets) {
        AttemptResult r = run_attempt(settings, target, nullptr, {});
        // The attempt's outcome says the host passed its policy; the probe's
        // result follows `ocspmx probe`'s exit rule (CONTRACT §5): a request
        // host without a verified staple passes, yet is no success here.
        const bool passed = r.attempt.outcome == Outcome::delivered;
        report.result = passed && r.attempt.ocsp.status == ocsp::State::verified
                            ? Outcome::delivered
                            : Outcome::deferred;
        for (auto& e : r.earlier) report.attempts.push_back(std::move(e));
        report.attempts.push_back(std::move(r.attempt));
        if (passed) break;
    }
    return report;
}

}  // namespace ocspmx::transport
