// The compiled form of a host list. Items keep their list order (their
// index); "simple" items are also entered into hash tables keyed by what
// they match, each table remembering the lowest index per key, so a match
// costs a few probes however long the list is. Items that need the
// resolver, a regex or a sublist are evaluated in list order, and only
// while their index is below the best indexed candidate: first match wins
// exactly as in Exim's item-by-item scan (match.c, match_check_list).
//
// Where ocspmx differs from Exim, on purpose:
// - A plain host-name item also matches when the host's own name (the MX
//   target, CONTRACT §3) equals it, without a lookup; Exim only compares the
//   item's looked-up addresses with the host's address. With
//   CompileOptions::resolve_names false, only the name is compared.
// - A host given without an address: Exim matches only "*" and the empty
//   item; we also match it by name (names, wildcards, regexes, lsearch).
// - A host without a name is never looked up by reverse DNS (CONTRACT §3):
//   items that need the name count as "cannot find the host name".
// - Malformed addresses and masks ("1.2.3", "1.2.3.4/33"), bad regexes,
//   unsupported lookup types and unreadable /files are compile errors, not
//   failures at match time (Exim: an ERROR, or a panic for files).
// - An IPv4-mapped pattern (::ffff:a.b.c.d/N, N >= 96) is the IPv4 network;
//   Exim converts only the host's address, so such a pattern never matched.
// - "iplsearch;FILE" without "net-" looks up the address; Exim would use
//   the host name as the key, which no iplsearch file can contain.
// - Lookup files are read once, at compile time; a file that cannot be
//   read makes its item defer (Exim's lookups open the file per match).
// - Regexes are POSIX extended (regcomp), not PCRE: see posix_regex.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hostlist/address.hpp"
#include "hostlist/flat_map.hpp"
#include "hostlist/ipv4_index.hpp"
#include "hostlist/name_table.hpp"
#include "hostlist/posix_regex.hpp"
#include "ocspmx/hostlist.hpp"

namespace ocspmx::hostlist {

enum class ItemKind {
    empty,          // "": matches only a host without an address
    any,            // "*"
    network,        // IP address or CIDR network
    plain_name,     // letters, digits, '.', '-', '_': by name, then by forward lookup
    literal_name,   // any other text: compared with the host name
    wildcard,       // "*suffix"
    regex,          // "^..."
    at_primary,     // "@": the primary host name, treated as a plain name
    at_local,       // "@[]": any local interface address
    named,          // "+name"
    lsearch_name,   // "lsearch;FILE": the host name is the key
    ip_lookup,      // "iplsearch;FILE", "net[N]-iplsearch;FILE"
    net_lsearch,    // "net[N]-lsearch;FILE": the masked address text is the key
    lookup_failed,  // a lookup file that could not be read: defers when reached
};

// Exim's +ignore_unknown/+include_unknown and +ignore_defer/+include_defer:
// each lasts until the next of its pair or the end of the list.
struct ItemFlags {
    bool ignore_unknown = false;
    bool include_unknown = false;
    bool ignore_defer = false;
    bool include_defer = false;
};

struct Item {
    std::string text;  // as written, for MatchResult::item
    ItemKind kind = ItemKind::empty;
    bool negated = false;
    ItemFlags flags;
    std::string name;  // plain name to look up; or the reason of lookup_failed
    std::size_t regex = 0;
    std::shared_ptr<const HostList::Impl> sublist;
};

struct SuffixGroup {
    std::size_t length = 0;
    NameTable suffixes;
};

struct NetLsearchGroup {
    int mlen = -1;
    NameTable keys;  // lower-case lookup keys
};

struct HostList::Impl {
    std::vector<Item> items;
    std::vector<PosixRegex> regexes;

    // Indexed items, by what they match.
    std::uint32_t any_index = no_index;
    std::uint32_t empty_index = no_index;
    NameTable exact_names;              // normalised names
    NameTable dot_suffixes;             // "*.example" stored as ".example"
    std::vector<SuffixGroup> suffixes;  // "*example", grouped by length
    Ipv4Index v4;
    std::array<FlatMap<Key128>, 129> v6;
    std::vector<unsigned> v6_lengths;
    std::vector<NetLsearchGroup> net_lsearch;

    // Each item's text and polarity, packed: what a decision returns, read
    // without touching the (large) Item records.
    struct Decision {
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
        bool negated = false;
    };
    std::vector<Decision> decisions;
    std::string texts;

    // Items evaluated in list order, ascending.
    std::vector<std::uint32_t> ordered;
    // The first item that needs the host name and is not under
    // +ignore_unknown: where a nameless host's match is decided.
    std::uint32_t first_name_needing = no_index;
    // Exim: a list whose last item is negated matches every other host.
    bool last_negated = false;

    [[nodiscard]] MatchResult match(std::string_view name, std::string_view ip,
                                    const Resolver& resolver) const;
};

// Lower case, one trailing dot removed: how host names are compared.
[[nodiscard]] std::string normalise_name(std::string_view name);

}  // namespace ocspmx::hostlist
