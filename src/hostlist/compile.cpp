// Host-list compilation: Exim spec chapter "Domain, host, address, and local
// part lists", sections on host lists; item classification follows the
// order of Exim's check_host() (verify.c).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "hostlist/compiled.hpp"
#include "hostlist/list_text.hpp"
#include "util/text.hpp"

namespace ocspmx::hostlist {

std::string normalise_name(std::string_view name) { return util::normalise_dns_name(name); }

namespace {

bool is_plain_name(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

// Exim rejects "1.2.3" and "1.2.3/24" rather than reading them as names.
bool looks_like_broken_ipv4(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    return i == s.size() || (s[i] == '/' && i > 0);
}

void sort_unique(std::vector<unsigned>& v)
{
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

class Compiler {
public:
    Compiler(const NamedLists& named, const CompileOptions& options)
        : named_(named), options_(options)
    {
    }

    Result<std::shared_ptr<const HostList::Impl>> list(std::string_view text);

private:
    struct State {
        std::shared_ptr<HostList::Impl> impl;
        ItemFlags flags;
    };

    Result<void> top_item(State& st, std::string_view written);
    Result<void> file_items(State& st, std::string_view path, bool negated,
                            std::string_view written);
    Result<void> add(State& st, std::string_view pattern, bool negated, std::string text);
    Result<void> add_lookup(State& st, Item& item, std::uint32_t index, std::string_view pattern);
    Result<std::shared_ptr<const HostList::Impl>> named(std::string_view name);

    const NamedLists& named_;
    CompileOptions options_;
    std::map<std::string, std::shared_ptr<const HostList::Impl>, std::less<>> done_;
    std::set<std::string, std::less<>> in_progress_;
};

Result<std::shared_ptr<const HostList::Impl>> Compiler::list(std::string_view text)
{
    State st{std::make_shared<HostList::Impl>(), {}};
    for (const std::string& written : split_list(text)) {
        if (auto r = top_item(st, written); !r) return std::move(r).error();
    }
    sort_unique(st.impl->v6_lengths);
    HostList::Impl& impl = *st.impl;
    impl.decisions.reserve(impl.items.size());
    for (const Item& item : impl.items) {
        impl.decisions.push_back({static_cast<std::uint32_t>(impl.texts.size()),
                                  static_cast<std::uint32_t>(item.text.size()), item.negated});
        impl.texts += item.text;
    }
    return std::shared_ptr<const HostList::Impl>(st.impl);
}

Result<void> Compiler::top_item(State& st, std::string_view written)
{
    // The four flags are recognised at top level only, before negation.
    ItemFlags& f = st.flags;
    if (written == "+ignore_unknown") {
        f.ignore_unknown = true;
        f.include_unknown = false;
        return {};
    }
    if (written == "+include_unknown") {
        f.include_unknown = true;
        f.ignore_unknown = false;
        return {};
    }
    if (written == "+ignore_defer") {
        f.ignore_defer = true;
        f.include_defer = false;
        return {};
    }
    if (written == "+include_defer") {
        f.include_defer = true;
        f.ignore_defer = false;
        return {};
    }

    std::string_view s = written;
    const bool negated = !s.empty() && s.front() == '!';
    if (negated) s = util::trim(s.substr(1));
    if (!s.empty() && s.front() == '/') return file_items(st, s, negated, written);
    if (!s.empty() && s.front() == '+') {
        auto sub = named(s.substr(1));
        if (!sub) return std::move(sub).error();
        Item item{std::string(written), ItemKind::named, negated, st.flags, {}, 0, *sub};
        const auto index = static_cast<std::uint32_t>(st.impl->items.size());
        st.impl->items.push_back(std::move(item));
        st.impl->ordered.push_back(index);
        st.impl->last_negated = negated;
        return {};
    }
    return add(st, s, negated, std::string(written));
}

// "/file": each line is an item; "!/file" negates each of them, and a line
// "!x" in a negated file is positive (Exim spec, "File names in lists").
Result<void> Compiler::file_items(State& st, std::string_view path, bool negated,
                                  std::string_view written)
{
    auto lines = read_list_file(std::string(path));
    if (!lines) return lines.error().with_context("host list item " + quoted(written));
    st.impl->last_negated = negated;
    for (const std::string& line : *lines) {
        std::string_view s = line;
        bool neg = negated;
        if (s.front() == '!') {
            neg = !neg;
            s = util::trim(s.substr(1));
        }
        if (!s.empty() && s.front() == '/') {
            return make_error(std::string(path) +
                              ": file names are not allowed in an included file: " + quoted(line));
        }
        std::string text = std::string(negated ? "!" : "") + std::string(path) + ": " + line;
        if (auto r = add(st, s, neg, std::move(text)); !r) return r;
    }
    return {};
}

Result<void> Compiler::add(State& st, std::string_view s, bool negated, std::string text)
{
    HostList::Impl& impl = *st.impl;
    const auto index = static_cast<std::uint32_t>(impl.items.size());
    Item item{std::move(text), ItemKind::empty, negated, st.flags, {}, 0, nullptr};
    bool needs_name = false;
    auto error = [&](std::string what) {
        return make_error("host list item " + quoted(item.text) + ": " + std::move(what));
    };

    Network net;
    const NetworkParse np = parse_network(s, net);
    if (s.empty()) {
        item.kind = ItemKind::empty;
        impl.empty_index = std::min(impl.empty_index, index);
    } else if (s == "*") {
        item.kind = ItemKind::any;
        impl.any_index = std::min(impl.any_index, index);
    } else if (s == "@") {
        item.kind = ItemKind::at_primary;
        impl.ordered.push_back(index);
    } else if (s == "@[]") {
        item.kind = ItemKind::at_local;
        impl.ordered.push_back(index);
    } else if (np == NetworkParse::ok) {
        item.kind = ItemKind::network;
        if (!net.base.v6) {
            impl.v4.insert(net.base.v4(), net.prefix, index);
        } else {
            impl.v6[net.prefix].insert(Key128{net.base.hi(), net.base.lo()}, index);
            impl.v6_lengths.push_back(net.prefix);
        }
    } else if (np == NetworkParse::bad_mask) {
        return error("bad address mask");
    } else if (looks_like_broken_ipv4(s)) {
        return error("malformed IPv4 address or address mask");
    } else if (s.front() == '^') {
        auto re = PosixRegex::compile(std::string(s));
        if (!re) return error(re.error().message);
        item.kind = ItemKind::regex;
        item.regex = impl.regexes.size();
        impl.regexes.push_back(std::move(*re));
        impl.ordered.push_back(index);
        needs_name = true;
    } else if (s.find(';') != std::string_view::npos) {
        if (auto r = add_lookup(st, item, index, s); !r) return error(r.error().message);
        needs_name = item.kind == ItemKind::lsearch_name;
    } else if (s.front() == '*') {
        std::string suffix = util::lower(s.substr(1));
        // "*.example." is "*.example"; but "*." keeps its dot and so matches
        // no host name (names are compared without their trailing dot).
        if (suffix.size() > 1 && suffix.back() == '.') suffix.pop_back();
        item.kind = ItemKind::wildcard;
        if (suffix.front() == '.') {
            impl.dot_suffixes.insert(std::move(suffix), index);
        } else {
            auto g = std::find_if(impl.suffixes.begin(), impl.suffixes.end(),
                                  [&](const SuffixGroup& x) { return x.length == suffix.size(); });
            if (g == impl.suffixes.end()) {
                impl.suffixes.push_back(SuffixGroup{suffix.size(), {}});
                g = impl.suffixes.end() - 1;
            }
            g->suffixes.insert(std::move(suffix), index);
        }
        needs_name = true;
    } else if (is_plain_name(s)) {
        item.kind = ItemKind::plain_name;
        item.name = std::string(s);
        impl.exact_names.insert(normalise_name(s), index);
        if (options_.resolve_names) impl.ordered.push_back(index);
    } else {
        item.kind = ItemKind::literal_name;
        impl.exact_names.insert(normalise_name(s), index);
        needs_name = true;
    }
    if (needs_name && !item.flags.ignore_unknown) {
        impl.first_name_needing = std::min(impl.first_name_needing, index);
    }
    impl.items.push_back(std::move(item));
    impl.last_negated = negated;
    return {};
}

// "lsearch;FILE" (the host name is the key), "iplsearch;FILE" and
// "net[N]-lsearch;FILE", "net[N]-iplsearch;FILE" (the host address is the
// key). Files are read once, here. One that cannot be read makes the item
// defer whenever it is reached, as Exim's lookup would.
Result<void> Compiler::add_lookup(State& st, Item& item, std::uint32_t index, std::string_view s)
{
    HostList::Impl& impl = *st.impl;
    const auto semicolon = s.find(';');
    std::string_view type = util::trim(s.substr(0, semicolon));
    const std::string path(util::trim(s.substr(semicolon + 1)));
    int mlen = -1;
    bool by_address = false;
    if (type.starts_with("net")) {
        std::size_t i = 3;
        if (i < type.size() && std::isdigit(static_cast<unsigned char>(type[i]))) {
            mlen = 0;
            while (i < type.size() && std::isdigit(static_cast<unsigned char>(type[i]))) {
                mlen = mlen * 10 + (type[i] - '0');
                if (mlen > 128) return make_error("mask length over 128");
                ++i;
            }
        }
        if (i >= type.size() || type[i] != '-') {
            return make_error("unknown lookup type " + quoted(type));
        }
        type = type.substr(i + 1);
        by_address = true;
    }
    if (type != "lsearch" && type != "iplsearch") {
        return make_error("unsupported lookup type " + quoted(type) +
                          " (lsearch, iplsearch, net[N]-lsearch, net[N]-iplsearch)");
    }
    if (path.empty() || path.front() != '/') {
        return make_error("lookup file must be an absolute path");
    }
    // iplsearch without "net-": Exim would use the host *name* as the key,
    // which never matches an iplsearch file; we use the address, as meant.
    const bool ip_search = type == "iplsearch";
    by_address = by_address || ip_search;
    item.kind = ip_search ? ItemKind::ip_lookup
                          : (by_address ? ItemKind::net_lsearch : ItemKind::lsearch_name);

    auto keys = read_lsearch_keys(path);
    if (!keys) {
        item.kind = ItemKind::lookup_failed;
        item.name = "lookup of " + quoted(item.text) + " deferred: " + keys.error().message;
        impl.ordered.push_back(index);
        return {};
    }
    for (const std::string& key : *keys) {
        if (item.kind == ItemKind::lsearch_name) {
            impl.exact_names.insert(normalise_name(key), index);
        } else if (item.kind == ItemKind::ip_lookup) {
            Network net;
            if (parse_network(key, net) != NetworkParse::ok) continue;
            // A masked key K/m is covered by the entries no longer than m.
            if (mlen >= 0 && net.prefix > static_cast<unsigned>(mlen)) continue;
            if (!net.base.v6) {
                impl.v4.insert(net.base.v4(), net.prefix, index);
            } else {
                impl.v6[net.prefix].insert(Key128{net.base.hi(), net.base.lo()}, index);
                impl.v6_lengths.push_back(net.prefix);
            }
        } else {
            auto g = std::find_if(impl.net_lsearch.begin(), impl.net_lsearch.end(),
                                  [&](const NetLsearchGroup& x) { return x.mlen == mlen; });
            if (g == impl.net_lsearch.end()) {
                impl.net_lsearch.push_back(NetLsearchGroup{mlen, {}});
                g = impl.net_lsearch.end() - 1;
            }
            g->keys.insert(util::lower(key), index);
        }
    }
    return {};
}

Result<std::shared_ptr<const HostList::Impl>> Compiler::named(std::string_view name)
{
    if (auto it = done_.find(name); it != done_.end()) return it->second;
    const auto def = named_.find(name);
    if (def == named_.end()) return make_error("undefined named list '+" + std::string(name) + "'");
    if (in_progress_.count(name)) {
        return make_error("named list '+" + std::string(name) + "' refers to itself");
    }
    in_progress_.emplace(name);
    auto sub = list(def->second);
    in_progress_.erase(in_progress_.find(name));
    if (!sub) return sub.error().with_context("in named list '+" + std::string(name) + "'");
    done_.emplace(std::string(name), *sub);
    return *sub;
}

}  // namespace

Result<HostList> HostList::compile(std::string_view text, const NamedLists& named)
{
    return compile(text, named, CompileOptions{});
}

Result<HostList> HostList::compile(std::string_view text, const NamedLists& named,
                                   const CompileOptions& options)
{
    Compiler compiler(named, options);
    auto impl = compiler.list(text);
    if (!impl) return std::move(impl).error();
    return HostList(std::move(*impl));
}

}  // namespace ocspmx::hostlist
