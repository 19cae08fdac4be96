// The naive host-list matcher the benchmark compares against: every item
// parsed once, then tried one after the other until the first match (what
// Exim's match_check_list does, minus lookups). Handles what the benchmark
// list contains: networks, exact names, "*suffix" wildcards, regexes, "!".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hostlist/address.hpp"
#include "hostlist/posix_regex.hpp"
#include "ocspmx/hostlist.hpp"

namespace bench {

namespace hl = ocspmx::hostlist;

class NaiveMatcher {
public:
    explicit NaiveMatcher(const std::vector<std::string>& items)
    {
        for (const std::string& text : items) {
            Entry e;
            e.text = text;
            std::string_view s = text;
            e.negated = s.front() == '!';
            if (e.negated) s.remove_prefix(1);
            if (s.front() == '^') {
                e.kind = Kind::regex;
                e.regex = regexes_.size();
                regexes_.push_back(hl::PosixRegex::compile(std::string(s)).value());
            } else if (s.front() == '*') {
                e.kind = Kind::suffix;
                e.pattern = std::string(s.substr(1));
            } else if (hl::parse_network(s, e.net) == hl::NetworkParse::ok) {
                e.kind = Kind::network;
            } else {
                e.kind = Kind::name;
                e.pattern = std::string(s);
            }
            entries_.push_back(std::move(e));
        }
    }

    hl::MatchResult match(std::string_view name, std::string_view ip) const
    {
        const auto addr = hl::parse_address(ip);
        for (const Entry& e : entries_) {
            bool hit = false;
            switch (e.kind) {
                case Kind::network:
                    hit = addr && addr->v6 == e.net.base.v6 &&
                          hl::masked(*addr, e.net.prefix) == e.net.base;
                    break;
                case Kind::name:
                    hit = name == e.pattern;
                    break;
                case Kind::suffix:
                    hit = name.size() >= e.pattern.size() &&
                          name.substr(name.size() - e.pattern.size()) == e.pattern;
                    break;
                case Kind::regex:
                    hit = regexes_[e.regex].search(std::string(name));
                    break;
            }
            if (hit) return {e.negated ? hl::Outcome::no_match : hl::Outcome::match, e.text, {}};
        }
        if (!entries_.empty() && entries_.back().negated) return {hl::Outcome::match, {}, {}};
        return {hl::Outcome::no_match, {}, {}};
    }

private:
    enum class Kind { network, name, suffix, regex };
    struct Entry {
        std::string text;
        bool negated = false;
        Kind kind = Kind::name;
        std::string pattern;
        hl::Network net;
        std::size_t regex = 0;
    };
    std::vector<Entry> entries_;
    std::vector<hl::PosixRegex> regexes_;
};

}  // namespace bench
