#include "hostlist/posix_regex.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "util/text.hpp"

namespace ocspmx::hostlist {

namespace {

// The literal characters an anchored pattern must begin with: after '^', up
// to the first special character, minus a last one that a quantifier may
// make optional. Empty when the pattern is not anchored or has an
// alternation anywhere ("^a|b" matches "b").
std::string required_prefix(const std::string& pattern)
{
    if (pattern.empty() || pattern.front() != '^' || pattern.find('|') != std::string::npos)
        return {};
    std::string prefix;
    for (std::size_t i = 1; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '*' || c == '?' || c == '{') {
            if (!prefix.empty()) prefix.pop_back();
            break;
        }
        if (std::strchr(".[]()+\\^$", c) != nullptr) break;
        prefix += util::ascii_lower(c);
    }
    return prefix;
}

// glibc's regcomp builds an automaton whose size grows exponentially with
// stacked repetitions ("^a++++...": 86 '+' take over 2 GB) and linearly
// with bounded repeats, which it expands by copying ("(a{255}){255}").
// Host lists come from configuration, but `ocspmx match` takes them from
// the command line and a typo must not exhaust memory, so patterns are
// bounded before they reach regcomp. The limits sit far above what a host
// pattern needs.
constexpr std::size_t max_pattern_length = 1024;
constexpr std::size_t max_repetitions = 16;  // '*', '+', '?' and '{...}' together
constexpr unsigned long max_repeat_product = 1000;  // product of the '{m,n}' bounds

std::optional<std::string> too_complex(const std::string& pattern)
{
    if (pattern.size() > max_pattern_length) {
        return "longer than " + std::to_string(max_pattern_length) + " characters";
    }
    std::size_t repetitions = 0;
    unsigned long product = 1;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') {
            ++i;  // an escaped character is a literal
            continue;
        }
        if (c != '*' && c != '+' && c != '?' && c != '{') continue;
        if (++repetitions > max_repetitions) {
            return "more than " + std::to_string(max_repetitions) + " repetition operators";
        }
        if (c != '{') continue;
        // The largest bound of "{m}", "{m,}" or "{m,n}"; "{m,}" costs m.
        unsigned long bound = 0;
        unsigned long number = 0;
        for (++i; i < pattern.size() && pattern[i] != '}'; ++i) {
            if (pattern[i] >= '0' && pattern[i] <= '9') {
                number = std::min(number * 10 + static_cast<unsigned long>(pattern[i] - '0'),
                                  max_repeat_product + 1);
            } else {
                number = 0;
            }
            bound = std::max(bound, number);
        }
        product *= std::max(bound, 1UL);
        if (product > max_repeat_product) {
            return "repeat counts multiplying to more than " + std::to_string(max_repeat_product);
        }
    }
    return std::nullopt;
}

}  // namespace

Result<PosixRegex> PosixRegex::compile(const std::string& pattern)
{
    if (auto why = too_complex(pattern)) {
        return make_error("regular expression too complex: " + *why);
    }
    auto raw = std::make_unique<regex_t>();
    const int rc = regcomp(raw.get(), pattern.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char buf[256];
        regerror(rc, raw.get(), buf, sizeof buf);
        return make_error(std::string("bad regular expression: ") + buf);
    }
    return PosixRegex(std::unique_ptr<regex_t, Free>(raw.release()), required_prefix(pattern));
}

bool PosixRegex::search(std::string_view subject) const
{
    if (subject.size() < prefix_.size()) return false;
    for (std::size_t i = 0; i < prefix_.size(); ++i) {
        if (util::ascii_lower(subject[i]) != prefix_[i]) return false;
    }
    const std::string text(subject);
    return regexec(re_.get(), text.c_str(), 0, nullptr, 0) == 0;
}

}  // namespace ocspmx::hostlist
