// The configuration file parser (CONTRACT.md §2): any text either parses or
// yields one error line naming the input; a parsed config survives being
// re-set option by option.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "ocspmx/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ocspmx;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (fuzz::touches_files(text)) return -1;  // see fuzz_support.hpp

    auto parsed = config::parse(text, "fuzz.conf");
    if (!parsed) {
        const std::string& message = parsed.error().message;
        FUZZ_CHECK(message.starts_with("fuzz.conf"), message);
        FUZZ_CHECK(message.find('\n') == std::string::npos, message);
        return 0;
    }
    const Options& o = parsed->options;
    FUZZ_CHECK(o.port >= 1 && o.port <= 65535, std::to_string(o.port));
    FUZZ_CHECK(o.command_timeout.count() >= 0 && o.data_timeout.count() >= 0 &&
                   o.connect_timeout.count() >= 0,
               text);

    // The time parser on its own, on each line's value.
    for (std::string_view rest = text; !rest.empty();) {
        const auto nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        auto t = config::parse_time(line.substr(eq + 1));
        if (t) FUZZ_CHECK(t->count() >= 0, line);
    }
    return 0;
}
