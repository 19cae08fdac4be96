// Internal to the harness: starting and reaping child processes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ocspmx::test::detail {

struct SpawnSpec {
    std::vector<std::string> argv;
    int stdin_fd = -1;  // -1: /dev/null
    int stdout_fd = -1;
    int stderr_fd = -1;
    bool own_process_group = false;  // setpgid(0, 0): the group can be killed as one
};

// fork + execvp; throws std::runtime_error when fork fails. An exec failure
// shows as exit status 127.
pid_t spawn(const SpawnSpec& spec);

// Waits up to timeout for pid; the exit status as CommandResult reports it,
// or nullopt when it is still running.
std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds timeout);

// SIGTERM, wait up to grace, then SIGKILL and wait; returns the status.
int terminate(pid_t pid, std::chrono::milliseconds grace);

}  // namespace ocspmx::test::detail
