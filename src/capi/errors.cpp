// Per-thread last error text of the C ABI.
#include <algorithm>
#include <cstring>

#include "capi/handles.hpp"

namespace ocspmx::capi {
namespace {

// A fixed buffer: setting an error never allocates, so even the
// out-of-memory path leaves readable text.
constexpr std::size_t kErrorCapacity = 1024;
thread_local char t_error[kErrorCapacity] = "";

}  // namespace

void clear_error() noexcept { t_error[0] = '\0'; }

ocspmx_status set_error(ocspmx_status status, std::string_view text, std::string_view more,
                        std::string_view more2) noexcept
{
    std::size_t n = 0;
    for (const std::string_view part : {text, more, more2}) {
        const std::size_t take = std::min(part.size(), kErrorCapacity - 1 - n);
        if (take != 0) std::memcpy(t_error + n, part.data(), take);
        n += take;
    }
    t_error[n] = '\0';
    // One line, as the header promises.
    for (std::size_t i = 0; i < n; ++i) {
        if (t_error[i] == '\n' || t_error[i] == '\r') t_error[i] = ' ';
    }
    return status;
}

const char* last_error() noexcept { return t_error; }

}  // namespace ocspmx::capi
