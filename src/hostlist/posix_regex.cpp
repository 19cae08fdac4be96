#include "hostlist/posix_regex.hpp"

namespace ocspmx::hostlist {

Result<PosixRegex> PosixRegex::compile(const std::string& pattern)
{
    auto raw = std::make_unique<regex_t>();
    const int rc = regcomp(raw.get(), pattern.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char buf[256];
        regerror(rc, raw.get(), buf, sizeof buf);
        return make_error(std::string("bad regular expression: ") + buf);
    }
    return PosixRegex(std::unique_ptr<regex_t, Free>(raw.release()));
}

bool PosixRegex::search(const std::string& subject) const
{
    return regexec(re_.get(), subject.c_str(), 0, nullptr, 0) == 0;
}

}  // namespace ocspmx::hostlist
