#include "transport/policy.hpp"

namespace ocspmx::transport {

namespace {

using hostlist::Outcome;

const hostlist::MatchResult& at(const ListOutcomes& lists, ListId id)
{
    return lists[static_cast<std::size_t>(id)];
}

bool matches(const ListOutcomes& lists, ListId id)
{
    return at(lists, id).outcome == Outcome::match;
}

// Match or defer: the stricter reading for lists that only tighten policy.
bool matches_or_defers(const ListOutcomes& lists, ListId id)
{
    return at(lists, id).outcome != Outcome::no_match;
}

void fail_closed(HostPolicy& policy, const ListOutcomes& lists, ListId id)
{
    const auto& r = at(lists, id);
    if (r.outcome != Outcome::defer) return;
    if (!policy.defer_reason.empty()) policy.defer_reason += "; ";
    policy.defer_reason +=
        std::string(option_name(id)) + ": " + (r.reason.empty() ? "lookup deferred" : r.reason);
    policy.defer = true;
}

}  // namespace

const char* option_name(ListId id)
{
    switch (id) {
        case ListId::require_ocsp:
            return "hosts_require_ocsp";
        case ListId::request_ocsp:
            return "hosts_request_ocsp";
        case ListId::require_tls:
            return "hosts_require_tls";
        case ListId::avoid_tls:
            return "hosts_avoid_tls";
        case ListId::verify_hosts:
            return "tls_verify_hosts";
        case ListId::try_verify_hosts:
            return "tls_try_verify_hosts";
        case ListId::verify_cert_hostnames:
            return "tls_verify_cert_hostnames";
    }
    return "?";
}

HostPolicy decide(const ListOutcomes& lists, bool tempfail_tryclear)
{
    HostPolicy p;
    fail_closed(p, lists, ListId::require_ocsp);
    fail_closed(p, lists, ListId::require_tls);

    if (matches_or_defers(lists, ListId::request_ocsp)) p.ocsp = OcspPolicy::request;
    if (matches(lists, ListId::require_ocsp)) p.ocsp = OcspPolicy::require;

    if (matches(lists, ListId::avoid_tls)) p.tls = TlsPolicy::avoid;
    if (matches(lists, ListId::require_tls) || p.ocsp == OcspPolicy::require) {
        p.tls = TlsPolicy::require;
    }

    if (matches_or_defers(lists, ListId::try_verify_hosts)) p.verify = VerifyPolicy::attempt;
    if (matches_or_defers(lists, ListId::verify_hosts) || p.ocsp == OcspPolicy::require) {
        p.verify = VerifyPolicy::require;
    }
    p.check_name = matches_or_defers(lists, ListId::verify_cert_hostnames);
    p.tryclear = tempfail_tryclear && p.tls != TlsPolicy::require;
    return p;
}

void apply_must_staple(HostPolicy& policy)
{
    policy.ocsp = OcspPolicy::require;
    policy.tls = TlsPolicy::require;
    policy.verify = VerifyPolicy::require;
    policy.tryclear = false;
}

Result<CompiledLists> CompiledLists::compile(const Config& config)
{
    const Options& o = config.options;
    const std::array<const HostListText*, list_count> texts{
        &o.hosts_require_ocsp,        &o.hosts_request_ocsp, &o.hosts_require_tls,
        &o.hosts_avoid_tls,           &o.tls_verify_hosts,   &o.tls_try_verify_hosts,
        &o.tls_verify_cert_hostnames,
    };
    CompiledLists out;
    for (std::size_t i = 0; i < list_count; ++i) {
        if (!texts[i]->has_value()) continue;
        auto compiled = hostlist::HostList::compile(**texts[i], config.hostlists);
        if (!compiled) {
            return compiled.error().with_context(option_name(static_cast<ListId>(i)));
        }
        out.lists_[i].emplace(std::move(*compiled));
    }
    return out;
}

ListOutcomes CompiledLists::match(std::string_view name, std::string_view ip,
                                  const hostlist::Resolver& resolver) const
{
    ListOutcomes out{};
    for (std::size_t i = 0; i < list_count; ++i) {
        if (lists_[i]) out[i] = lists_[i]->match(name, ip, resolver);
    }
    return out;
}

}  // namespace ocspmx::transport
