#include "net/poll.hpp"

#include <poll.h>

#include <cerrno>
#include <cstring>

namespace ocspmx::net {

namespace {

int remaining_ms(Clock::time_point deadline)
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return 0;
    constexpr long long cap = 1000LL * 60 * 60 * 24;  // poll() takes an int
    return static_cast<int>(left.count() < cap ? left.count() : cap);
}

}  // namespace

Result<void> wait_fd(int fd, short events, Clock::time_point deadline)
{
    for (;;) {
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, remaining_ms(deadline));
        if (rc > 0) return {};
        if (rc == 0) {
            if (Clock::now() >= deadline) return make_error("timeout");
            continue;  // woke a little early: ceil() rounding is per call
        }
        if (errno != EINTR) return make_error(std::string("poll: ") + std::strerror(errno));
    }
}

}  // namespace ocspmx::net
