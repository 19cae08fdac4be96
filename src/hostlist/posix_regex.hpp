// `^regex` host-list items. Exim compiles them with PCRE2, caseless; we use
// POSIX extended regular expressions (regcomp with REG_ICASE), so
// PCRE-only syntax (\d, \w, lookarounds, lazy quantifiers) is rejected at
// compile time instead of being silently misread.
#pragma once

#include <regex.h>

#include <memory>
#include <string>
#include <string_view>

#include "ocspmx/result.hpp"

namespace ocspmx::hostlist {

class PosixRegex {
public:
    [[nodiscard]] static Result<PosixRegex> compile(const std::string& pattern);
    [[nodiscard]] bool search(std::string_view subject) const;

private:
    struct Free {
        void operator()(regex_t* re) const
        {
            regfree(re);
            delete re;
        }
    };
    PosixRegex(std::unique_ptr<regex_t, Free> re, std::string prefix)
        : re_(std::move(re)), prefix_(std::move(prefix))
    {
    }
    std::unique_ptr<regex_t, Free> re_;
    // Lower-case text every match must start with ("^mx" -> "mx"): a
    // subject without it is rejected before regexec.
    std::string prefix_;
};

}  // namespace ocspmx::hostlist
