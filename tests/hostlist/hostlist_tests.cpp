// Host-list semantics, one row per case, each citing the Exim rule it checks
// (Exim specification, chapter "Domain, host, address, and local part
// lists", and Exim's match.c/verify.c where the spec is silent).
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fake_resolver.hpp"
#include "ocspmx/hostlist.hpp"

using ocspmx::hostlist::HostList;
using ocspmx::hostlist::NamedLists;
using ocspmx::hostlist::Outcome;

namespace {

constexpr Outcome M = Outcome::match;
constexpr Outcome N = Outcome::no_match;
constexpr Outcome D = Outcome::defer;

struct Row {
    const char* rule;  // the Exim rule this row checks
    const char* list;  // "%D" stands for the fixture directory
    const char* name;
    const char* ip;
    Outcome expected;
    const char* item;  // the deciding item; nullptr: not checked
};

// Lookup and list files used by the rows below.
const std::string& fixture_dir()
{
    static const std::string dir = [] {
        char tmpl[] = "/tmp/ocspmx-hostlist-XXXXXX";
        const char* made = mkdtemp(tmpl);
        REQUIRE(made != nullptr);
        const std::string d = made;
        auto write = [&](const char* file, const char* text) {
            std::ofstream(d + "/" + file) << text;
        };
        write("hosts.txt",
              "# hosts to include\n"
              "!192.0.2.99\n"
              "192.0.2.0/24   # documentation net\n"
              "   mx1.example.com\n"
              "\n"
              "*.files.example\n"
              "^re[0-9]+\\.files2\\.example$\n");
        write("neg.txt", "10.0.0.1\n!10.0.0.2\n");
        write("endneg.txt", "10.9.9.1\n!10.9.9.9\n");
        write("nested.txt", "/etc/hosts\n");
        write("lsearch.txt",
              "mx1.example.com: yes\n"
              "Host.Upper.Example   data\n"
              "\"quoted.example\": x\n"
              "# comment.example\n"
              "  continuation.example\n");
        write("iplsearch.txt",
              "192.0.2.0/24: a\n"
              "\"2001:db8:1::/48\": b\n"
              "198.51.100.7: c\n");
        write("netlsearch.txt",
              "192.0.2.5: a\n"
              "198.51.100.0/24: b\n"
              "2001.0db8.0000.0000.0000.0000.0000.0001: c\n");
        return d;
    }();
    return dir;
}

std::string with_dir(std::string text)
{
    for (auto p = text.find("%D"); p != std::string::npos; p = text.find("%D")) {
        text.replace(p, 2, fixture_dir());
    }
    return text;
}

const NamedLists named_lists{
    {"nets", "192.0.2.0/24 : 2001::db8::::/32"},
    {"nets6", "<; 192.0.2.0/24 ; 2001:db8::/32"},
    {"notbad", "!192.0.2.66"},
    {"mixed", "!192.0.2.7 : 192.0.2.0/24"},
    {"deferring", "again.example.com"},
    {"deferring_ignored", "+ignore_defer : again.example.com"},
    {"nested", "+nets6 : 198.51.100.1"},
    {"unknownish", "missing.example : 192.0.2.1"},
};

// clang-format off
const Row rows[] = {
    // --- Lists: separators, empty items, white space ---
    {"an empty list matches nothing", "", "mx1.example.com", "192.0.2.1", N, ""},
    {"':' alone is one empty item, which matches only a host without an address", ":", "a.example", "192.0.2.1", N, ""},
    {"an empty item matches a host without an address", ":", "a.example", "", M, ""},
    {"'a : : b' has an empty middle item that matches no addressed host", "mx2.example.com : : 192.0.2.1", "x.example", "192.0.2.1", M, "192.0.2.1"},
    {"leading and trailing white space of items is ignored", "  192.0.2.1  :  192.0.2.2  ", "x", "192.0.2.2", M, "192.0.2.2"},
    {"a final separator adds no item", "192.0.2.1:", "x", "192.0.2.1", M, "192.0.2.1"},
    {"'<;' changes the separator, so IPv6 needs no doubling", "<; 192.0.2.1 ; 2001:db8::1", "x", "2001:db8::1", M, "2001:db8::1"},
    {"without a separator change '::' is a literal ':' (\"fe80::1\" is the name \"fe80:1\")", "fe80::1", "x", "fe80::1", N, ""},
    {"IPv6 in a ':' list: every colon doubled", "2001::db8::::1", "x", "2001:db8::1", M, "2001:db8::1"},
    {"'<,' makes ',' the separator", "<, 192.0.2.1, 192.0.2.2", "x", "192.0.2.2", M, "192.0.2.2"},
    {"a doubled separator is a literal separator in an item", "<, a,,b.example , 192.0.2.9", "A,B.example", "192.0.2.1", M, "a,b.example"},
    {"'<' with white space before it still changes the separator", "  <; ::1", "x", "::1", M, "::1"},
    // --- "*" ---
    {"'*' matches every host", "*", "x", "192.0.2.1", M, "*"},
    {"'!*' excludes every host", "!*", "x", "192.0.2.1", N, "!*"},
    {"'*' matches a host with neither name nor address", "*", "", "", M, "*"},
    {"'!a : *': the negated item wins for its host", "!192.0.2.1 : *", "x", "192.0.2.1", N, "!192.0.2.1"},
    {"'!a : *': every other host matches '*'", "!192.0.2.1 : *", "x", "192.0.2.2", M, "*"},
    {"'!name : *' by host name", "!a.example : *", "a.example", "192.0.2.200", N, "!a.example"},
    // --- Negation and the end of the list ---
    {"a negated item that matches gives no match", "!192.0.2.1", "x", "192.0.2.1", N, "!192.0.2.1"},
    {"a list ending in a negated item matches every other host", "!192.0.2.1", "x", "192.0.2.2", M, ""},
    {"trailing negation: hosts matching nothing are in the list", "192.0.2.5 : !192.0.2.1", "x", "192.0.2.9", M, ""},
    {"a list ending in a positive item does not match other hosts", "!192.0.2.1 : 192.0.2.5", "x", "192.0.2.9", N, ""},
    {"white space after '!' is allowed", "! 192.0.2.1", "x", "192.0.2.1", N, "! 192.0.2.1"},
    // --- IPv4 addresses and masks ---
    {"an IPv4 address matches itself", "192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"an IPv4 address matches only itself", "192.0.2.1", "x", "192.0.2.10", N, ""},
    {"an IPv4 CIDR matches its network", "192.0.2.0/24", "x", "192.0.2.200", M, "192.0.2.0/24"},
    {"host bits in a CIDR pattern are ignored (the pattern is masked)", "192.0.2.77/24", "x", "192.0.2.1", M, "192.0.2.77/24"},
    {"a /25 does not cover the upper half", "192.0.2.0/25", "x", "192.0.2.200", N, ""},
    {"0.0.0.0/0 matches every IPv4 host", "0.0.0.0/0", "x", "203.0.113.5", M, "0.0.0.0/0"},
    {"an IPv4 network never matches an IPv6 host", "192.0.2.0/24", "x", "2001:db8::1", N, ""},
    {"an IPv4-mapped host address matches IPv4 patterns", "192.0.2.1", "x", "::ffff:192.0.2.1", M, "192.0.2.1"},
    {"an IPv4-mapped pattern is normalised to IPv4", "<; ::ffff:192.0.2.0/120", "x", "192.0.2.7", M, "::ffff:192.0.2.0/120"},
    {"IPv4-mapped on both sides", "<; ::ffff:192.0.2.0/120", "x", "::ffff:192.0.2.7", M, "::ffff:192.0.2.0/120"},
    {"IPv4-mapped pattern outside the host's network", "<; ::ffff:192.0.2.0/120", "x", "192.0.3.7", N, ""},
    {"an IPv4-mapped pattern wider than /96 is an IPv6 network", "<; ::ffff:192.0.2.0/64", "x", "::5", M, "::ffff:192.0.2.0/64"},
    {"... which IPv4 hosts are not in", "<; ::ffff:192.0.2.0/64", "x", "192.0.2.5", N, ""},
    {"/32 is the address itself", "192.0.2.1/32", "x", "192.0.2.1", M, "192.0.2.1/32"},
    // --- Overlapping networks: first match wins ---
    {"overlap: a negated /25 before its /24 excludes its half", "!192.0.2.128/25 : 192.0.2.0/24", "x", "192.0.2.200", N, "!192.0.2.128/25"},
    {"overlap: the rest of the /24 still matches", "!192.0.2.128/25 : 192.0.2.0/24", "x", "192.0.2.5", M, "192.0.2.0/24"},
    {"overlap: a /24 before a negated /25 wins", "192.0.2.0/24 : !192.0.2.128/25", "x", "192.0.2.200", M, "192.0.2.0/24"},
    {"overlap: negated /8 before /16 wins", "!10.0.0.0/8 : 10.1.0.0/16 : *", "x", "10.1.2.3", N, "!10.0.0.0/8"},
    {"overlap: /16 before negated /8 wins", "10.1.0.0/16 : !10.0.0.0/8 : *", "x", "10.1.2.3", M, "10.1.0.0/16"},
    {"overlap: outside the /16 the negated /8 applies", "10.1.0.0/16 : !10.0.0.0/8 : *", "x", "10.2.0.1", N, "!10.0.0.0/8"},
    {"overlap: outside both, '*' applies", "10.1.0.0/16 : !10.0.0.0/8 : *", "x", "11.0.0.1", M, "*"},
    {"a repeated item: the first one decides", "192.0.2.1 : !192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"a repeated item, negated first", "!192.0.2.1 : 192.0.2.1", "x", "192.0.2.1", N, "!192.0.2.1"},
    // --- IPv6 ---
    {"an IPv6 /32 covers its addresses", "<; 2001:db8::/32", "x", "2001:db8:ffff::1", M, "2001:db8::/32"},
    {"an IPv6 /33 does not cover the upper half", "<; 2001:db8::/33", "x", "2001:db8:8000::1", N, ""},
    {"IPv6 compares by value, not text (case, zero compression)", "<; 2001:DB8::1", "x", "2001:db8:0:0::1", M, "2001:DB8::1"},
    {"IPv6 /128 is the address itself", "<; 2001:db8::1/128", "x", "2001:db8::1", M, "2001:db8::1/128"},
    {"IPv6 mask normalisation inside a group", "<; 2001:db8:1:2:3:4:5:6/100", "x", "2001:db8:1:2:3:4:5:7", M, "2001:db8:1:2:3:4:5:6/100"},
    {"::/0 does not match IPv4 hosts", "<; ::/0", "x", "192.0.2.1", N, ""},
    {"::/0 matches IPv6 hosts", "<; ::/0", "x", "::1", M, "::/0"},
    {"::1 in a changed-separator list", "<; ::1", "x", "::1", M, "::1"},
    {"::1 in a ':' list is written '::::1'", "::::1", "x", "::1", M, "::1"},
    {"IPv6 /64 vs an address in the next /64", "<; 2001:db8:0:1::/64", "x", "2001:db8:0:2::1", N, ""},
    {"IPv6 /65 split", "<; 2001:db8::8000:0:0:0/65", "x", "2001:db8::8000:0:0:1", M, nullptr},
    // --- Host names: forward lookup of the item, compared by address ---
    {"names compare case-insensitively", "mx1.example.com", "MX1.EXAMPLE.COM", "203.0.113.9", M, "mx1.example.com"},
    {"one trailing dot of the host name is ignored", "mx1.example.com", "mx1.example.com.", "203.0.113.9", M, "mx1.example.com"},
    {"one trailing dot of the item is ignored", "mx1.example.com.", "mx1.example.com", "203.0.113.9", M, "mx1.example.com."},
    {"a plain name matches a host whose address it resolves to (IPv4)", "mx1.example.com", "other.example", "192.0.2.1", M, "mx1.example.com"},
    {"a plain name matches a host whose address it resolves to (IPv6)", "mx1.example.com", "other.example", "2001:db8::1", M, "mx1.example.com"},
    {"a plain name resolving elsewhere does not match", "mx1.example.com", "other.example", "192.0.2.2", N, ""},
    {"a lookup that must be tried again defers the match", "again.example.com", "other.example", "192.0.2.1", D, "again.example.com"},
    {"+ignore_defer skips an item whose lookup deferred", "+ignore_defer : again.example.com : 192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"+include_defer makes a deferred lookup a match", "+include_defer : again.example.com", "x", "192.0.2.1", M, "again.example.com"},
    {"a name that cannot be found forces the list to fail", "missing.example : 192.0.2.1", "x", "192.0.2.1", N, "missing.example"},
    {"+ignore_unknown skips a name that cannot be found", "+ignore_unknown : missing.example : 192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"+include_unknown makes a name that cannot be found a match", "+include_unknown : missing.example", "x", "198.51.100.1", M, "missing.example"},
    {"the later of +include_unknown/+ignore_unknown is in force", "+include_unknown : +ignore_unknown : missing.example : 192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"the later of +ignore_unknown/+include_unknown is in force", "+ignore_unknown : +include_unknown : missing.example", "x", "198.51.100.1", M, "missing.example"},
    {"put addresses first: an address before a failing name matches", "192.0.2.1 : missing.example", "x", "192.0.2.1", M, "192.0.2.1"},
    {"an unknown name forces failure even when the item is negated", "!missing.example : *", "x", "192.0.2.1", N, "!missing.example"},
    {"+include_unknown gives a match even for a negated item", "+include_unknown : !missing.example", "x", "192.0.2.1", M, "!missing.example"},
    {"a deferring lookup before an address item defers", "again.example.com : 192.0.2.1", "x", "192.0.2.1", D, "again.example.com"},
    {"the later of +include_defer/+ignore_defer is in force", "+include_defer : +ignore_defer : again.example.com : 192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"a host without a name is matched by a plain name's lookup", "mx1.example.com", "", "192.0.2.1", M, "mx1.example.com"},
    {"a host without an address is matched by name", "mx1.example.com", "mx1.example.com", "", M, "mx1.example.com"},
    {"underscores are allowed in plain names", "under_score.example", "Under_Score.example", "203.0.113.1", M, "under_score.example"},
    {"a name is not a prefix match", "mx1.example.com", "mx1.example.co", "203.0.113.9", N, ""},
    {"a name that is not a plain domain name is compared as text", "host+tag.example", "HOST+TAG.example", "203.0.113.1", M, "host+tag.example"},
    // --- Wildcards ---
    {"'*.suffix' matches a subdomain", "*.example.com", "a.example.com", "203.0.113.9", M, "*.example.com"},
    {"'*.suffix' matches a deeper subdomain", "*.example.com", "a.b.example.com", "203.0.113.9", M, "*.example.com"},
    {"'*.suffix' does not match the bare domain", "*.example.com", "example.com", "203.0.113.9", N, ""},
    {"'*suffix' matches the bare domain", "*example.com", "example.com", "203.0.113.9", M, "*example.com"},
    {"'*suffix' matches any name ending so (not only at a dot)", "*example.com", "badexample.com", "203.0.113.9", M, "*example.com"},
    {"'*.suffix' does not match inside a label", "*.example.com", "badexample.com", "203.0.113.9", N, ""},
    {"wildcards compare case-insensitively", "*.EXAMPLE.com", "A.example.COM", "203.0.113.9", M, "*.EXAMPLE.com"},
    {"wildcards ignore the host name's trailing dot", "*.example.com", "a.example.com.", "203.0.113.9", M, "*.example.com"},
    {"'*.' is not '*': it matches only names ending in '.', i.e. none", "*.", "a.example.com", "203.0.113.9", N, ""},
    {"'*' is not '*.': it matches every name", "*", "a.example.com", "203.0.113.9", M, "*"},
    {"a negated wildcard before a wider one excludes its subtree", "!*.bad.example : *.example", "x.bad.example", "203.0.113.9", N, "!*.bad.example"},
    {"a negated wildcard leaves the rest to the wider one", "!*.bad.example : *.example", "x.good.example", "203.0.113.9", M, "*.example"},
    {"a wildcard needs the host name: unknown forces failure", "*.example.com", "", "192.0.2.1", N, "*.example.com"},
    {"+ignore_unknown skips a wildcard when the name is unknown", "+ignore_unknown : *.example.com : 192.0.2.1", "", "192.0.2.1", M, "192.0.2.1"},
    {"+include_unknown: an unknown name matches a wildcard", "+include_unknown : *.example.com", "", "192.0.2.1", M, "*.example.com"},
    {"an address before a wildcard matches a nameless host", "192.0.2.1 : *.example.com", "", "192.0.2.1", M, "192.0.2.1"},
    {"a wildcard before an address fails a nameless host (Exim's ordering advice)", "*.example.com : 192.0.2.1", "", "192.0.2.1", N, "*.example.com"},
    {"longer and shorter wildcards: the first listed wins", "*.a.example : !*.example", "x.a.example", "203.0.113.9", M, "*.a.example"},
    // --- Regular expressions ---
    {"'^' items are regular expressions, case-insensitive", "^mx[0-9]+\\.example\\.com$", "MX12.example.com", "203.0.113.9", M, "^mx[0-9]+\\.example\\.com$"},
    {"a regular expression that does not match", "^mx[0-9]+\\.example\\.com$", "mx.example.com", "203.0.113.9", N, ""},
    {"a regular expression is not anchored at the end", "^mail", "mailer.example", "203.0.113.9", M, "^mail"},
    {"a negated regular expression", "!^bad : *", "bad.example", "203.0.113.9", N, "!^bad"},
    {"an earlier address beats a later regex", "192.0.2.1 : ^never", "x", "192.0.2.1", M, "192.0.2.1"},
    {"an earlier regex beats a later address", "^a : 192.0.2.1", "a.example", "192.0.2.1", M, "^a"},
    {"a quantifier may make the last literal optional", "^ab*c", "ac.example", "203.0.113.9", M, "^ab*c"},
    {"alternation: either branch matches", "^mx|^mail", "mail.example", "203.0.113.9", M, "^mx|^mail"},
    {"'+' keeps its character required, case-insensitively", "^A+b", "aab.example", "203.0.113.9", M, "^A+b"},
    {"an unanchored pattern matches anywhere in the name", "^.*relay", "x.relay.example", "203.0.113.9", M, "^.*relay"},
    {"a regex needs the host name: unknown forces failure", "^x.*\\.example$ : 192.0.2.1", "", "192.0.2.1", N, "^x.*\\.example$"},
    // --- @ and @[] ---
    {"'@' is the primary host name", "@", "mail.local.test", "203.0.113.9", M, "@"},
    {"'@' compares names case-insensitively, trailing dot ignored", "@", "MAIL.local.test.", "203.0.113.9", M, "@"},
    {"'@' is a plain name: its address is looked up", "@", "other.example", "192.0.2.25", M, "@"},
    {"'@' does not match other addresses", "@", "other.example", "192.0.2.26", N, ""},
    {"'@[]' matches a local IPv4 address", "@[]", "x", "127.0.0.1", M, "@[]"},
    {"'@[]' matches a local IPv6 address", "@[]", "x", "::1", M, "@[]"},
    {"'@[]' does not match a remote address", "@[]", "x", "192.0.2.26", N, ""},
    {"'!@[] : *' excludes the local host", "!@[] : *", "x", "192.0.2.25", N, "!@[]"},
    // --- Named lists ---
    {"'+name' matches what the named list matches", "+nets", "x", "192.0.2.9", M, "+nets"},
    {"'!+name' excludes what the named list matches", "!+nets : *", "x", "192.0.2.9", N, "!+nets"},
    {"'!+name : *' keeps the others", "!+nets : *", "x", "198.51.100.9", M, "*"},
    {"negation inside a named list does not leak out", "+mixed : 192.0.2.7", "x", "192.0.2.7", M, "192.0.2.7"},
    {"a named list's negative item makes the sublist fail, not the list", "+mixed", "x", "192.0.2.7", N, ""},
    {"a named list ending in a negation matches the other hosts", "+notbad", "x", "192.0.2.1", M, "+notbad"},
    {"... but not the negated one", "+notbad", "x", "192.0.2.66", N, ""},
    {"an outer list ending in '!+name' matches hosts outside it", "192.0.2.5 : !+nets6", "x", "203.0.113.1", M, ""},
    {"named lists nest", "+nested", "x", "198.51.100.1", M, "+nested"},
    {"named lists nest (IPv6 via the inner list)", "+nested", "x", "2001:db8::5", M, "+nested"},
    {"a named list whose lookup defers defers the list", "+deferring : 192.0.2.1", "x", "192.0.2.1", D, "+deferring"},
    {"Exim: the outer +ignore_defer does not cover a named list that defers", "+ignore_defer : +deferring : 192.0.2.1", "x", "192.0.2.1", D, "+deferring"},
    {"a +ignore_defer inside the named list does", "+deferring_ignored : 192.0.2.1", "x", "192.0.2.1", M, "192.0.2.1"},
    {"the outer list's flags do not apply inside a named list", "+include_unknown : +unknownish : 198.51.100.5", "x", "198.51.100.5", M, "198.51.100.5"},
    {"a named list forced to fail by an unknown name is a plain no", "+unknownish", "x", "192.0.2.1", N, ""},
    {"'<' inside a named list changes only its own separator", "+nets6 : 203.0.113.1", "x", "203.0.113.1", M, "203.0.113.1"},
    {"doubled colons inside a named list", "+nets", "x", "2001:db8::1", M, "+nets"},
    // --- Files ---
    {"'/file' includes one item per line", "/%D/hosts.txt", "x", "192.0.2.5", M, "/%D/hosts.txt: 192.0.2.0/24"},
    {"a negated line in a file", "/%D/hosts.txt", "x", "192.0.2.99", N, "/%D/hosts.txt: !192.0.2.99"},
    {"'#' starts a comment anywhere in a file line; indented items are items", "/%D/hosts.txt", "a.files.example", "203.0.113.1", M, "/%D/hosts.txt: *.files.example"},
    {"a regex line in a file", "/%D/hosts.txt", "re12.files2.example", "203.0.113.1", M, nullptr},
    {"a file's plain names are looked up too", "/%D/hosts.txt", "x", "2001:db8::1", M, "/%D/hosts.txt: mx1.example.com"},
    {"'!/file' negates each item of the file", "!/%D/neg.txt : *", "x", "10.0.0.1", N, nullptr},
    {"'!/file': a '!' line becomes positive", "!/%D/neg.txt : *", "x", "10.0.0.2", M, nullptr},
    {"'!/file': other hosts go on to the next item", "!/%D/neg.txt : *", "x", "10.0.0.3", M, "*"},
    {"a file ending in a negated line ends the list in a negation", "/%D/endneg.txt", "x", "10.9.9.8", M, ""},
    {"a file ending in a negated line: the line itself", "/%D/endneg.txt", "x", "10.9.9.9", N, nullptr},
    // --- Lookups ---
    {"'lsearch;FILE' looks up the host name", "lsearch;%D/lsearch.txt", "mx1.example.com", "203.0.113.1", M, nullptr},
    {"lsearch keys compare case-insensitively", "lsearch;%D/lsearch.txt", "host.upper.example", "203.0.113.1", M, nullptr},
    {"lsearch keys may be quoted", "lsearch;%D/lsearch.txt", "quoted.example", "203.0.113.1", M, nullptr},
    {"lsearch: indented lines continue data, they are no keys", "lsearch;%D/lsearch.txt", "continuation.example", "203.0.113.1", N, ""},
    {"lsearch: '#' lines are comments", "lsearch;%D/lsearch.txt", "#", "203.0.113.1", N, ""},
    {"lsearch needs the host name: unknown forces failure", "lsearch;%D/lsearch.txt : *", "", "192.0.2.1", N, nullptr},
    {"a missing lookup file defers the match", "lsearch;%D/missing.txt : *", "x", "192.0.2.1", D, nullptr},
    {"+ignore_defer skips a missing lookup file", "+ignore_defer : lsearch;%D/missing.txt : *", "x", "192.0.2.1", M, "*"},
    {"a negated lsearch", "!lsearch;%D/lsearch.txt : *", "mx1.example.com", "203.0.113.1", N, nullptr},
    {"'iplsearch;FILE' looks up the address in networks", "iplsearch;%D/iplsearch.txt", "x", "192.0.2.77", M, nullptr},
    {"iplsearch: quoted IPv6 networks", "iplsearch;%D/iplsearch.txt", "x", "2001:db8:1:ff::1", M, nullptr},
    {"iplsearch: a single address entry", "iplsearch;%D/iplsearch.txt", "x", "198.51.100.7", M, nullptr},
    {"iplsearch: no covering entry", "iplsearch;%D/iplsearch.txt", "x", "198.51.100.8", N, ""},
    {"'net-iplsearch;' is iplsearch on the whole address", "net-iplsearch;%D/iplsearch.txt", "x", "192.0.2.77", M, nullptr},
    {"'net24-iplsearch;': the /24 key is not covered by a /32 entry", "net24-iplsearch;%D/iplsearch.txt", "x", "198.51.100.7", N, ""},
    {"'net-lsearch;' looks up the address text", "net-lsearch;%D/netlsearch.txt", "x", "192.0.2.5", M, nullptr},
    {"'net-lsearch;' exact text only", "net-lsearch;%D/netlsearch.txt", "x", "192.0.2.6", N, ""},
    {"'net24-lsearch;' looks up 'a.b.c.0/24'", "net24-lsearch;%D/netlsearch.txt", "x", "198.51.100.200", M, nullptr},
    {"'net24-lsearch;': the unmasked entry is not the /24 key", "net24-lsearch;%D/netlsearch.txt", "x", "192.0.2.5", N, ""},
    {"'net-lsearch;' IPv6 keys are dotted 4-digit groups", "net-lsearch;%D/netlsearch.txt", "x", "2001:db8::1", M, nullptr},
    {"a missing iplsearch file defers", "iplsearch;%D/missing.txt", "x", "192.0.2.1", D, nullptr},
    {"an address lookup never matches a host without an address", "iplsearch;%D/iplsearch.txt", "x", "", N, ""},
};
// clang-format on

}  // namespace

TEST_CASE("host lists follow Exim's rules", "[hostlist]")
{
    const ocspmx::test::FakeResolver resolver;
    int checked = 0;
    for (const Row& row : rows) {
        const std::string list = with_dir(row.list);
        INFO("rule: " << row.rule);
        INFO("list: \"" << list << "\" name: \"" << row.name << "\" ip: \"" << row.ip << "\"");
        auto compiled = HostList::compile(list, named_lists);
        if (!compiled) {
            FAIL_CHECK("compile error: " << compiled.error().message);
            continue;
        }
        const auto r = compiled->match(row.name, row.ip, resolver);
        INFO("got outcome " << static_cast<int>(r.outcome) << " item \"" << r.item << "\" reason \""
                            << r.reason << "\"");
        CHECK(r.outcome == row.expected);
        if (row.item) CHECK(r.item == with_dir(row.item));
        ++checked;
    }
    CHECK(checked >= 100);
}

struct BadRow {
    const char* rule;
    const char* list;
    const char* error;  // a part of the one-line message
};

// clang-format off
const BadRow bad_rows[] = {
    {"a mask longer than the address is an error", "192.0.2.1/33", "'192.0.2.1/33': bad address mask"},
    {"an IPv6 mask over 128 is an error", "<; 2001:db8::/129", "bad address mask"},
    {"a mask that is not a number is an error", "192.0.2.1/x", "bad address mask"},
    {"Exim: digits and dots only is a malformed IPv4 address", "192.0.2", "malformed IPv4 address"},
    {"IPv6 in a ':' list without doubled colons splits into bad items", "2001:db8::1", "'2001': malformed IPv4 address"},
    {"Exim: '1.2.3/24' is a malformed mask, not a network", "192.0.2/24", "malformed IPv4 address"},
    {"a bad regular expression names the item", "^(unclosed", "'^(unclosed': bad regular expression"},
    {"stacked repetitions are refused before regcomp (memory bomb)", "^r2.0++++++++++++++++++++", "too complex: more than 16 repetition operators"},
    {"nested bounded repeats are refused before regcomp", "^(a{100}){100}", "too complex: repeat counts multiplying"},
    {"an over-long pattern is refused before regcomp", "^%LONG%", "too complex: longer than 1024 characters"},
    {"an undefined named list is an error", "+nolist", "undefined named list '+nolist'"},
    {"a named list that refers to itself is an error", "+loop1", "refers to itself"},
    {"an unreadable /file is an error (Exim panics)", "/nonexistent/ocspmx/file", "cannot open /nonexistent/ocspmx/file"},
    {"a file name inside an included file is an error", "/%D/nested.txt", "file names are not allowed"},
    {"an unsupported lookup type is an error", "dbm;/etc/x", "unsupported lookup type 'dbm'"},
    {"an unsupported net- lookup type is an error", "net24-cdb;/etc/x", "unsupported lookup type 'cdb'"},
    {"lookup files must be absolute", "lsearch;relative.txt", "absolute path"},
    {"a bad named list is reported through its user", "+badnamed", "in named list '+badnamed'"},
};
// clang-format on

TEST_CASE("bad host lists are one-line errors naming the item", "[hostlist]")
{
    NamedLists named = named_lists;
    named["loop1"] = "+loop2";
    named["loop2"] = "192.0.2.1 : +loop1";
    named["badnamed"] = "10.0.0.0/40";
    for (const BadRow& row : bad_rows) {
        INFO("rule: " << row.rule << " list: " << row.list);
        std::string list = with_dir(row.list);
        if (auto p = list.find("%LONG%"); p != std::string::npos) {
            list.replace(p, 6, std::string(1100, 'a'));
        }
        auto compiled = HostList::compile(list, named);
        REQUIRE_FALSE(compiled.ok());
        const std::string& message = compiled.error().message;
        INFO("message: " << message);
        CHECK(message.find(row.error) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("items that need the resolver are not evaluated past the decision", "[hostlist]")
{
    const ocspmx::test::FakeResolver resolver;
    // The address item decides before the names are reached: no lookups.
    auto list =
        HostList::compile("192.0.2.1 : mx1.example.com : missing.example : again.example.com");
    REQUIRE(list.ok());
    CHECK(list->match("x", "192.0.2.1", resolver).outcome == Outcome::match);
    CHECK(resolver.lookups == 0);
    // A name equal to the host's name decides without a lookup.
    CHECK(list->match("mx1.example.com", "203.0.113.1", resolver).item == "mx1.example.com");
    CHECK(resolver.lookups == 0);
}

TEST_CASE("resolve_names=false matches plain names by name only", "[hostlist]")
{
    const ocspmx::test::FakeResolver resolver;
    auto list = HostList::compile("missing.example : mx1.example.com", {},
                                  ocspmx::hostlist::CompileOptions{.resolve_names = false});
    REQUIRE(list.ok());
    CHECK(list->match("mx1.example.com", "192.0.2.9", resolver).outcome == Outcome::match);
    CHECK(list->match("other.example", "192.0.2.1", resolver).outcome == Outcome::no_match);
    CHECK(resolver.lookups == 0);
}

TEST_CASE("a default-constructed list matches nothing", "[hostlist]")
{
    const ocspmx::test::FakeResolver resolver;
    CHECK(HostList().match("x", "192.0.2.1", resolver).outcome == Outcome::no_match);
}

TEST_CASE("the system resolver answers from the local host", "[hostlist]")
{
    const auto resolver = ocspmx::hostlist::system_resolver();
    // localhost comes from /etc/hosts: no network needed.
    const auto found = resolver->lookup("localhost");
    REQUIRE(found.status == ocspmx::hostlist::LookupStatus::ok);
    bool loopback = false;
    for (const auto& a : found.addresses) loopback = loopback || a == "127.0.0.1" || a == "::1";
    CHECK(loopback);
    CHECK_FALSE(resolver->primary_hostname().empty());
    bool local = false;
    for (const auto& a : resolver->local_addresses()) local = local || a == "127.0.0.1";
    CHECK(local);
    auto list = HostList::compile("@[]");
    REQUIRE(list.ok());
    CHECK(list->match("x", "127.0.0.1", *resolver).outcome == Outcome::match);
}
