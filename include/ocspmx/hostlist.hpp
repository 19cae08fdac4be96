// Exim host lists: CONTRACT.md §3 and the Exim specification, chapter
// "Domain, host, address, and local part lists".
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/result.hpp"

namespace ocspmx::hostlist {

// What a forward lookup of a host name returned. try_again is a DNS
// temporary failure and makes a match defer (Exim's "defer").
enum class LookupStatus { ok, not_found, try_again };

struct AddressLookup {
    LookupStatus status = LookupStatus::not_found;
    std::vector<std::string> addresses;  // textual IPv4/IPv6 addresses
    std::string detail;                  // resolver text for error messages
};

// Everything a match needs from the outside world; injected so unit tests
// run without a network (STYLE.md, practice 2).
class Resolver {
public:
    virtual ~Resolver() = default;
    [[nodiscard]] virtual AddressLookup lookup(std::string_view name) const = 0;
    // `@` matches this name (Exim's primary_hostname).
    [[nodiscard]] virtual std::string primary_hostname() const = 0;
    // `@[]` matches any of these addresses.
    [[nodiscard]] virtual std::vector<std::string> local_addresses() const = 0;
};

// The system resolver (getaddrinfo, gethostname, getifaddrs).
[[nodiscard]] std::unique_ptr<Resolver> system_resolver();

enum class Outcome { match, no_match, defer };

struct MatchResult {
    Outcome outcome = Outcome::no_match;
    std::string item;    // the list item that decided (as written), if any
    std::string reason;  // for defer: what could not be evaluated
};

using NamedLists = std::map<std::string, std::string, std::less<>>;

struct CompileOptions {
    // Exim matches a plain host-name item by looking up the item's addresses
    // and comparing them with the host's address (one resolver call per such
    // item reached). ocspmx also accepts the host's own name being equal to
    // the item, without a lookup. With resolve_names false only that name
    // comparison is done: no DNS, and such items are fully indexed.
    bool resolve_names = true;
};

class HostList {
public:
    // An empty list: matches no host.
    HostList() = default;

    // Parses and compiles `text` once. Errors (bad CIDR, bad regex, undefined
    // +name, unreadable /file) are one line naming the item.
    [[nodiscard]] static Result<HostList> compile(std::string_view text,
                                                  const NamedLists& named = {});
    [[nodiscard]] static Result<HostList> compile(std::string_view text,
                                                  const NamedLists& named,
                                                  const CompileOptions& options);

    // Matches a host by its name (as given, no reverse DNS) and its IP
    // address (may be empty when unknown). First match wins.
    [[nodiscard]] MatchResult match(std::string_view name, std::string_view ip,
                                    const Resolver& resolver) const;

    struct Impl;

private:
    explicit HostList(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<const Impl> impl_;
};

}  // namespace ocspmx::hostlist
