// A byte stream with deadlines: a TCP socket, or a TLS session over one.
// The SMTP client speaks through this so it can be tested without sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>

#include "ocspmx/result.hpp"

namespace ocspmx::net {

using Clock = std::chrono::steady_clock;

class Stream {
public:
    virtual ~Stream() = default;
    // Reads at least one byte and at most buf.size(); 0 means the peer
    // closed. Passing the deadline is an error whose message says "timeout".
    [[nodiscard]] virtual Result<std::size_t> read_some(std::span<char> buf,
                                                        Clock::time_point deadline) = 0;
    [[nodiscard]] virtual Result<void> write_all(std::span<const char> data,
                                                 Clock::time_point deadline) = 0;
};

}  // namespace ocspmx::net
