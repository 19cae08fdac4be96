#include "hostlist/posix_regex.hpp"

#include <cstring>

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

}  // namespace

Result<PosixRegex> PosixRegex::compile(const std::string& pattern)
{
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
