// Host-list benchmark (issue 2): a 100,000-item mixed list, compiled once,
// matched against 1,000,000 random (name, address) queries, and a naive
// item-by-item matcher over a sample of the same queries for comparison.
//
// What is measured, plainly:
// - compile: HostList::compile of the whole list text (splitting, parsing,
//   indexing), wall time.
// - match: the time of each HostList::match call, steady_clock around the
//   call (the clock's own cost, printed as "timer overhead", is included).
//   The headline median uses the list without its regex items, as the
//   issue asks; the same list with the regexes is measured too. Regex items
//   are evaluated in list order, so a query reaches them whenever no
//   earlier item matched; a regex's literal prefix after '^' (here
//   "rxN-") is checked before regexec, which these regexes favour.
// - plain host names are compiled with resolve_names = false (matched by
//   the host's name only): with Exim's forward lookup every name item ahead
//   of the decision costs a resolver call, which is DNS, not this engine.
// - naive: a straightforward first-match scan over the same parsed items,
//   run on the first `naive_queries` queries (a full million would take
//   minutes); the speed-up compares medians over that same sample, and the
//   two matchers' answers are compared query by query.
#include <arpa/inet.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "hostlist/address.hpp"
#include "naive_matcher.hpp"
#include "ocspmx/hostlist.hpp"

namespace hl = ocspmx::hostlist;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t list_items = 100'000;
constexpr std::size_t queries = 1'000'000;
constexpr std::size_t naive_queries = 10'000;
constexpr std::size_t regex_items = 5;
constexpr std::size_t exim_queries = 2'000;

// Answers every forward lookup at once with an address no query uses: the
// cost of Exim's per-item lookups without any DNS latency.
class InstantDns final : public hl::Resolver {
public:
    hl::AddressLookup lookup(std::string_view) const override
    {
        ++calls;
        return {hl::LookupStatus::ok, {"100.64.0.1"}, {}};
    }
    std::string primary_hostname() const override { return "bench.invalid"; }
    std::vector<std::string> local_addresses() const override { return {}; }
    mutable std::size_t calls = 0;
};

class NoDns final : public hl::Resolver {
public:
    hl::AddressLookup lookup(std::string_view) const override { return {}; }
    std::string primary_hostname() const override { return "bench.invalid"; }
    std::vector<std::string> local_addresses() const override { return {}; }
};

struct Generated {
    std::vector<std::string> items;     // as written, '!' included
    std::vector<std::string> names;     // exact names in the list
    std::vector<std::string> suffixes;  // wildcard suffixes (".x.example")
    std::vector<hl::Network> nets;
};

std::string v4_text(std::uint32_t a)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                  a & 255);
    return buf;
}

std::string v6_text(const std::array<std::uint8_t, 16>& b)
{
    char buf[64];
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
    return buf;
}

// A global unicast address (2000::/3).
std::array<std::uint8_t, 16> random_v6(std::mt19937_64& rng)
{
    std::array<std::uint8_t, 16> b{};
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    b[0] = static_cast<std::uint8_t>(0x20 | (b[0] & 0x1f));
    return b;
}

Generated generate(std::mt19937_64& rng)
{
    Generated g;
    std::uniform_int_distribution<int> pick(0, 99);
    // Mostly long prefixes, a few short ones (a handful of /8 alone would
    // cover a large part of the address space and every query would hit).
    auto v4_length = [&] {
        const auto r = rng() % 1000;
        if (r < 1) return 8;
        if (r < 3) return 12;
        if (r < 50) return 16;
        if (r < 150) return 20;
        if (r < 250) return 22;
        if (r < 550) return 24;
        if (r < 650) return 26;
        if (r < 750) return 28;
        if (r < 800) return 30;
        return 32;
    };
    const int v6_lengths[] = {32, 40, 48, 56, 64, 64, 96, 128, 128};
    std::vector<std::size_t> regex_at;
    for (std::size_t i = 0; i < regex_items; ++i) regex_at.push_back(rng() % list_items);
    for (std::size_t i = 0; i < list_items; ++i) {
        std::string item;
        if (std::find(regex_at.begin(), regex_at.end(), i) != regex_at.end()) {
            item = "^rx" + std::to_string(i) + "-[0-9]+\\.regex\\.example$";
        } else if (const int k = pick(rng); k < 35) {
            const int len = v4_length();
            const auto a = static_cast<std::uint32_t>(rng());
            item = v4_text(a) + "/" + std::to_string(len);
        } else if (k < 50) {
            item = v6_text(random_v6(rng)) + "/" +
                   std::to_string(v6_lengths[rng() % std::size(v6_lengths)]);
        } else if (k < 76) {
            item = "host" + std::to_string(rng() % 10'000'000) + ".d" +
                   std::to_string(rng() % 5000) + ".example";
            g.names.push_back(item);
        } else {
            std::string suffix = ".s" + std::to_string(rng() % 10'000'000) + ".d" +
                                 std::to_string(rng() % 5000) + ".example";
            item = "*" + suffix;
            g.suffixes.push_back(suffix);
        }
        if (item.front() != '^') {
            hl::Network n;
            if (hl::parse_network(item, n) == hl::NetworkParse::ok) g.nets.push_back(n);
        }
        if (pick(rng) == 0) item = "!" + item;  // 1% negations
        g.items.push_back(std::move(item));
    }
    return g;
}

struct Query {
    std::string name;
    std::string ip;
};

// The queries, packed into one buffer so that they do not dominate the
// process's memory.
class Queries {
public:
    void add(const Query& q)
    {
        spans_.push_back({static_cast<std::uint32_t>(arena_.size()),
                          static_cast<std::uint32_t>(q.name.size()),
                          static_cast<std::uint32_t>(q.ip.size())});
        arena_ += q.name;
        arena_ += q.ip;
    }
    [[nodiscard]] std::string_view name(std::size_t i) const
    {
        return std::string_view(arena_).substr(spans_[i][0], spans_[i][1]);
    }
    [[nodiscard]] std::string_view ip(std::size_t i) const
    {
        return std::string_view(arena_).substr(spans_[i][0] + spans_[i][1], spans_[i][2]);
    }

private:
    std::string arena_;
    std::vector<std::array<std::uint32_t, 3>> spans_;
};

Queries make_queries(const Generated& g, std::mt19937_64& rng)
{
    Queries out;
    std::uniform_int_distribution<int> pick(0, 99);
    for (std::size_t i = 0; i < queries; ++i) {
        Query q;
        const int k = pick(rng);
        if (k < 25) {
            q.name = g.names[rng() % g.names.size()];
        } else if (k < 50) {
            q.name = "mx" + std::to_string(rng() % 100) + g.suffixes[rng() % g.suffixes.size()];
        } else if (k < 52) {
            q.name = "rx" + std::to_string(rng() % 100) + "-7.regex.example";
        } else {
            q.name = "other" + std::to_string(rng() % 10'000'000) + ".example.net";
        }
        if (pick(rng) < 50) {  // inside a listed network
            hl::Network n = g.nets[rng() % g.nets.size()];
            hl::Address a = n.base;
            for (unsigned bit = n.prefix; bit < a.bits(); ++bit) {
                if (rng() & 1) a.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80u >> (bit % 8));
            }
            q.ip = a.v6 ? v6_text(a.bytes) : v4_text(a.v4());
        } else if (pick(rng) < 70) {
            q.ip = v4_text(static_cast<std::uint32_t>(rng()));
        } else {
            q.ip = v6_text(random_v6(rng));
        }
        out.add(q);
    }
    return out;
}

std::string join(const std::vector<std::string>& items, bool with_regex)
{
    std::string text = "<; ";
    for (const std::string& item : items) {
        if (!with_regex && (item.front() == '^' || item.starts_with("!^"))) continue;
        text += item;
        text += " ; ";
    }
    return text;
}

template <class F>
double median_ns(std::size_t n, F&& f)
{
    std::vector<std::int64_t> times(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        f(i);
        const auto t1 = Clock::now();
        times[i] = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
    }
    std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(n / 2),
                     times.end());
    return static_cast<double>(times[n / 2]);
}

double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Resident set size now, from /proc/self/statm.
double rss_mb()
{
    long pages = 0;
    long resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

struct Compiled {
    hl::HostList list;
    double ms = 0;
    double mb = 0;  // resident growth while compiling
};

Compiled compile(const std::string& text, bool resolve_names = false)
{
    const double before = rss_mb();
    const auto t0 = Clock::now();
    auto list = hl::HostList::compile(text, {}, hl::CompileOptions{.resolve_names = resolve_names});
    const double ms = ms_since(t0);
    if (!list) {
        std::fprintf(stderr, "compile failed: %s\n", list.error().message.c_str());
        std::exit(1);
    }
    return Compiled{std::move(*list), ms, rss_mb() - before};
}

}  // namespace

int main()
{
    std::mt19937_64 rng(20261203);
    const Generated g = generate(rng);
    const Queries qs = make_queries(g, rng);
    const NoDns resolver;
    const double timer = median_ns(queries, [](std::size_t) {});

    // 1. The list without its regex items: the headline figures.
    std::size_t matched = 0;
    double plain_ms = 0;
    double plain_mb = 0;
    double plain_ns = 0;
    {
        const Compiled c = compile(join(g.items, false));
        plain_ms = c.ms;
        plain_mb = c.mb;
        plain_ns = median_ns(queries, [&](std::size_t i) {
            matched += c.list.match(qs.name(i), qs.ip(i), resolver).outcome == hl::Outcome::match;
        });
    }

    // 2. The full list, regexes included, and the naive scan of it.
    double all_ms = 0;
    double all_ns = 0;
    double naive_ns = 0;
    double sample_ns = 0;
    std::size_t disagree = 0;
    {
        const Compiled c = compile(join(g.items, true));
        all_ms = c.ms;
        all_ns = median_ns(
            queries, [&](std::size_t i) { (void)c.list.match(qs.name(i), qs.ip(i), resolver); });
        const bench::NaiveMatcher naive(g.items);
        std::vector<hl::MatchResult> naive_results(naive_queries);
        naive_ns = median_ns(naive_queries, [&](std::size_t i) {
            naive_results[i] = naive.match(qs.name(i), qs.ip(i));
        });
        sample_ns = median_ns(naive_queries, [&](std::size_t i) {
            const auto r = c.list.match(qs.name(i), qs.ip(i), resolver);
            if (r.outcome != naive_results[i].outcome || r.item != naive_results[i].item)
                ++disagree;
        });
    }

    // 3. Exim's semantics for plain names: every name item ahead of the
    // decision is looked up (here by an instant in-memory resolver).
    double exim_ns = 0;
    double exim_calls = 0;
    {
        const Compiled e = compile(join(g.items, false), true);
        const InstantDns dns;
        exim_ns = median_ns(exim_queries,
                            [&](std::size_t i) { (void)e.list.match(qs.name(i), qs.ip(i), dns); });
        exim_calls = static_cast<double>(dns.calls) / exim_queries;
    }

    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf(
        "hostlist benchmark: %zu items (%zu IPv4/IPv6 networks, %zu names, %zu wildcards, "
        "%zu regexes, ~1%% negated); %zu random queries, %zu%% matched\n",
        g.items.size(), g.nets.size(), g.names.size(), g.suffixes.size(), regex_items, queries,
        matched * 100 / queries);
    std::printf("compile, list without regexes:  %7.1f ms   (target < 300 ms)\n", plain_ms);
    std::printf("compile, full list:             %7.1f ms\n", all_ms);
    std::printf("median match, list without regexes: %5.0f ns   (target < 1000 ns)\n", plain_ns);
    std::printf(
        "median match, full list:            %5.0f ns   (regexes tried in list order "
        "whenever reached)\n",
        all_ns);
    std::printf("timer overhead per timed call (included in the medians): %.0f ns\n", timer);
    std::printf(
        "naive item-by-item on the first %zu queries: median %.0f ns; compiled full list on "
        "the same queries: %.0f ns; speed-up %.0fx   (target >= 100x)\n",
        naive_queries, naive_ns, sample_ns, naive_ns / sample_ns);
    std::printf("answers differing, naive vs compiled: %zu of %zu\n", disagree, naive_queries);
    std::printf(
        "with Exim's forward lookup of plain names (resolve_names = true, instant "
        "in-memory resolver), first %zu queries: median %.0f ns, %.0f lookups per query\n",
        exim_queries, exim_ns, exim_calls);
    std::printf(
        "memory of the compiled list without regexes (resident growth while compiling): %.1f MB\n",
        plain_mb);
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3) {
        std::printf(
            "machine load average at the end (timings are wall clock): %.2f %.2f %.2f on %ld "
            "CPUs\n",
            load[0], load[1], load[2], sysconf(_SC_NPROCESSORS_ONLN));
    }
    std::printf("peak RSS of the whole benchmark process: %.1f MB   (target < 150 MB)\n",
                static_cast<double>(ru.ru_maxrss) / 1024.0);
    return disagree == 0 ? 0 : 1;
}
