// Host-list matching: first match wins (Exim match.c, match_check_list),
// items as in Exim verify.c check_host(), with the "unknown" and "defer"
// rules of the Exim spec sections "Behaviour when an IP address or name
// cannot be found" and "Temporary DNS errors when looking up host
// information".
#include <algorithm>

#include "hostlist/compiled.hpp"
#include "util/text.hpp"

namespace ocspmx::hostlist {

namespace {

// What one item said about the host, as Exim's check functions return.
enum class Check { ok, fail, defer, error };

struct Checked {
    Check check = Check::fail;
    std::string reason;
};

struct Host {
    std::string_view name;        // as given, for regexes
    std::string_view norm;        // normalised name ("" if unknown)
    std::optional<Address> addr;  // nullopt if unknown
};

std::uint32_t best_by_name(const HostList::Impl& impl, std::string_view n)
{
    std::uint32_t best = impl.exact_names.find(n);
    if (!impl.dot_suffixes.empty()) {
        for (std::size_t dot = n.find('.'); dot != std::string_view::npos;
             dot = n.find('.', dot + 1)) {
            best = std::min(best, impl.dot_suffixes.find(n.substr(dot)));
        }
    }
    for (const SuffixGroup& g : impl.suffixes) {
        if (g.length > n.size()) continue;
        best = std::min(best, g.suffixes.find(n.substr(n.size() - g.length)));
    }
    return best;
}

std::uint32_t best_by_address(const HostList::Impl& impl, const Address& a)
{
    std::uint32_t best = no_index;
    if (!a.v6) {
        best = impl.v4.find(a.v4());
    } else {
        const std::uint64_t hi = a.hi();
        const std::uint64_t lo = a.lo();
        for (unsigned len : impl.v6_lengths) {
            Key128 key;
            if (len == 0) {
            } else if (len <= 64) {
                key.hi = hi & (~std::uint64_t{0} << (64 - len));
            } else {
                key.hi = hi;
                key.lo = len == 128 ? lo : lo & (~std::uint64_t{0} << (128 - len));
            }
            best = std::min(best, impl.v6[len].find(key));
        }
    }
    for (const NetLsearchGroup& g : impl.net_lsearch) {
        best = std::min(best, g.keys.find(lookup_key(a, g.mlen, '.')));
    }
    return best;
}

// A plain host name: Exim looks up its addresses and compares them with the
// host's (verify.c check_host, "If the pattern is a complete domain name").
Checked forward_lookup(std::string_view pattern, const Address& addr, const Resolver& resolver)
{
    const AddressLookup found = resolver.lookup(pattern);
    switch (found.status) {
        case LookupStatus::ok:
            for (const std::string& text : found.addresses) {
                if (parse_address(text) == addr) return {Check::ok, {}};
            }
            return {Check::fail, {}};
        case LookupStatus::try_again: {
            std::string reason = "DNS lookup of \"" + std::string(pattern) + "\" deferred";
            if (!found.detail.empty()) reason += ": " + found.detail;
            return {Check::defer, std::move(reason)};
        }
        case LookupStatus::not_found:
            break;
    }
    return {Check::error, "failed to find IP address for " + std::string(pattern)};
}

Checked check(const HostList::Impl& impl, const Item& item, const Host& host, std::string_view ip,
              const Resolver& resolver)
{
    switch (item.kind) {
        case ItemKind::plain_name:
            // Equal names were found by the index; without an address there is
            // nothing to compare a lookup with.
            if (!host.addr) return {Check::fail, {}};
            return forward_lookup(item.name, *host.addr, resolver);
        case ItemKind::at_primary: {
            const std::string primary = resolver.primary_hostname();
            if (primary.empty()) return {Check::error, "the primary host name is unknown"};
            if (!host.norm.empty() && normalise_name(primary) == host.norm) return {Check::ok, {}};
            if (!host.addr) return {Check::fail, {}};
            return forward_lookup(primary, *host.addr, resolver);
        }
        case ItemKind::at_local:
            if (!host.addr) return {Check::fail, {}};
            for (const std::string& text : resolver.local_addresses()) {
                if (parse_address(text) == host.addr) return {Check::ok, {}};
            }
            return {Check::fail, {}};
        case ItemKind::regex:
            // A nameless host is handled by first_name_needing.
            if (host.norm.empty()) return {Check::fail, {}};
            return {impl.regexes[item.regex].search(host.norm) ? Check::ok : Check::fail, {}};
        case ItemKind::named: {
            const MatchResult sub = item.sublist->match(host.name, ip, resolver);
            if (sub.outcome == Outcome::match) return {Check::ok, {}};
            if (sub.outcome == Outcome::defer) return {Check::defer, sub.reason};
            return {Check::fail, {}};
        }
        case ItemKind::lookup_failed:
            return {Check::defer, item.name};
        default:
            return {Check::fail, {}};  // indexed kinds never reach here
    }
}

MatchResult decided(const Item& item)
{
    return MatchResult{item.negated ? Outcome::no_match : Outcome::match, item.text, {}};
}

// The name is needed and unknown (no reverse DNS here): Exim's ERROR.
MatchResult unknown_name(const Item& item, std::string_view ip)
{
    std::string reason = "failed to find host name for " + std::string(ip);
    if (item.flags.include_unknown) {
        return MatchResult{Outcome::match, item.text, reason + ": accepted by +include_unknown"};
    }
    return MatchResult{Outcome::no_match, item.text, "list matching forced to fail: " + reason};
}

}  // namespace

MatchResult HostList::Impl::match(std::string_view name, std::string_view ip,
                                  const Resolver& resolver) const
{
    // Names are at most 253 characters; a longer one takes the slow path.
    char buffer[256];
    std::string long_name;
    std::string_view trimmed = name;
    if (!trimmed.empty() && trimmed.back() == '.') trimmed.remove_suffix(1);
    std::string_view norm;
    if (trimmed.size() < sizeof buffer) {
        for (std::size_t i = 0; i < trimmed.size(); ++i) buffer[i] = util::ascii_lower(trimmed[i]);
        norm = std::string_view(buffer, trimmed.size());
    } else {
        long_name = normalise_name(name);
        norm = long_name;
    }
    Host host{name, norm, std::nullopt};
    if (!ip.empty()) {
        host.addr = parse_address(ip);
        if (!host.addr) {
            return MatchResult{Outcome::defer, {}, "not an IP address: '" + std::string(ip) + "'"};
        }
    }
    std::uint32_t best = any_index;
    if (!host.addr) best = std::min(best, empty_index);
    if (!host.norm.empty()) best = std::min(best, best_by_name(*this, host.norm));
    if (host.addr) best = std::min(best, best_by_address(*this, *host.addr));
    const std::uint32_t unknown = host.norm.empty() ? first_name_needing : no_index;

    for (const std::uint32_t index : ordered) {
        if (index >= best) break;
        if (unknown < index) return unknown_name(items[unknown], ip);
        const Item& item = items[index];
        Checked r = check(*this, item, host, ip, resolver);
        switch (r.check) {
            case Check::ok:
                return decided(item);
            case Check::fail:
                continue;
            case Check::defer:
                // Exim (match.c): a named list that defers defers the whole
                // list; +ignore_defer/+include_defer apply to plain items.
                if (item.kind == ItemKind::named) {
                    return MatchResult{Outcome::defer, item.text, r.reason};
                }
                if (item.flags.ignore_defer) continue;
                if (item.flags.include_defer) {
                    return MatchResult{Outcome::match, item.text,
                                       r.reason + ": accepted by +include_defer"};
                }
                return MatchResult{Outcome::defer, item.text, r.reason};
            case Check::error:
                if (item.flags.ignore_unknown) continue;
                if (item.flags.include_unknown) {
                    return MatchResult{Outcome::match, item.text,
                                       r.reason + ": accepted by +include_unknown"};
                }
                return MatchResult{Outcome::no_match, item.text,
                                   "list matching forced to fail: " + r.reason};
        }
    }
    if (unknown < best) return unknown_name(items[unknown], ip);
    if (best != no_index) {
        const Decision& d = decisions[best];
        return MatchResult{
            d.negated ? Outcome::no_match : Outcome::match, texts.substr(d.offset, d.length), {}};
    }
    if (last_negated) return MatchResult{Outcome::match, {}, "end of list after a negated item"};
    return MatchResult{Outcome::no_match, {}, "end of list"};
}

MatchResult HostList::match(std::string_view name, std::string_view ip,
                            const Resolver& resolver) const
{
    if (!impl_) return MatchResult{Outcome::no_match, {}, "empty list"};
    return impl_->match(name, ip, resolver);
}

}  // namespace ocspmx::hostlist
