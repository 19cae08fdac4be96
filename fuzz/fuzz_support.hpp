// Shared by the libFuzzer targets: checks that abort with a message (a
// libFuzzer "crash" with the input saved), fixture paths, and the filter
// that keeps host-list inputs away from the file system.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#ifndef OCSPMX_FUZZ_SOURCE_ROOT
#define OCSPMX_FUZZ_SOURCE_ROOT "."
#endif

namespace ocspmx::fuzz {

[[noreturn]] inline void violated(const char* what, std::string_view detail)
{
    std::fprintf(stderr, "fuzz invariant violated: %s: %.*s\n", what,
                 static_cast<int>(detail.size() > 400 ? 400 : detail.size()), detail.data());
    std::abort();
}

// Like assert(), but also in release builds and with the offending text.
#define FUZZ_CHECK(cond, detail) \
    do {                                                     \
        if (!(cond)) ::ocspmx::fuzz::violated(#cond, (detail)); \
    } while (0)

// $OCSPMX_SOURCE_ROOT/tests/fixtures/relative, falling back to the tree the
// target was configured from.
inline std::string fixture(std::string_view relative)
{
    const char* env = std::getenv("OCSPMX_SOURCE_ROOT");
    std::string root = env != nullptr ? env : OCSPMX_FUZZ_SOURCE_ROOT;
    return root + "/tests/fixtures/" + std::string(relative);
}

// Log lines and transcript lines are single lines: a CR, LF or any other
// C0 control or DEL in them lets a server forge log entries or terminal
// escapes. A tab is harmless in a transcript (the reply parser keeps it).
inline bool has_control(std::string_view text, bool allow_tab)
{
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (allow_tab && c == '\t') continue;
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

// Host lists may name files ("/path", "lsearch;path"), which compile()
// reads. A fuzzer must not open /dev/stdin, a FIFO or /proc files, so every
// '/' must start "/dev/null" (the seed corpus uses it for file and lookup
// items) or be a CIDR mask ("/24"). A relative lookup path names an entry of
// the working directory, which scripts/fuzz.sh makes a scratch directory.
// Real list files are covered by tests/hostlist.
inline bool touches_files(std::string_view text)
{
    for (std::size_t i = text.find('/'); i != std::string_view::npos; i = text.find('/', i + 1)) {
        const std::string_view rest = text.substr(i);
        if (rest.starts_with("/dev/null")) {
            i += 8;
            continue;
        }
        if (rest.size() > 1 && rest[1] >= '0' && rest[1] <= '9') continue;
        return true;
    }
    return false;
}

}  // namespace ocspmx::fuzz
