// Waiting on a non-blocking descriptor with a deadline. Also for the TLS
// layer: after GNUTLS_E_AGAIN, wait for gnutls_record_get_direction()'s
// direction (0 read, 1 write) with wait_fd(fd, direction ? POLLOUT : POLLIN, ...).
#pragma once

#include "net/stream.hpp"
#include "ocspmx/result.hpp"

namespace ocspmx::net {

// Waits until `fd` is ready for `events` (POLLIN / POLLOUT) or the deadline
// passes (Error "timeout"). Retries on EINTR with the remaining time.
// POLLERR / POLLHUP count as ready: the next read or write reports them.
[[nodiscard]] Result<void> wait_fd(int fd, short events, Clock::time_point deadline);

}  // namespace ocspmx::net
