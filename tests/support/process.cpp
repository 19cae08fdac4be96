#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "harness.hpp"

namespace ocspmx::test {
namespace detail {
namespace {

int status_of(int wstatus)
{
    if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
    return -1;
}

}  // namespace

pid_t spawn(const SpawnSpec& spec)
{
    // Everything the child needs is prepared before fork: after it only
    // async-signal-safe calls are allowed (the test process may have threads).
    std::vector<char*> argv;
    for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);

    pid_t pid = ::fork();
    if (pid < 0) {
        if (devnull >= 0) ::close(devnull);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        if (spec.own_process_group) ::setpgid(0, 0);
        ::dup2(spec.stdin_fd >= 0 ? spec.stdin_fd : devnull, 0);
        ::dup2(spec.stdout_fd >= 0 ? spec.stdout_fd : devnull, 1);
        ::dup2(spec.stderr_fd >= 0 ? spec.stderr_fd : devnull, 2);
        ::close_range(3, ~0U, 0);
        // Undo what a test runner may have set up for itself.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (devnull >= 0) ::close(devnull);
    return pid;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int wstatus = 0;
        pid_t r = ::waitpid(pid, &wstatus, WNOHANG);
        if (r == pid) return status_of(wstatus);
        if (r < 0 && errno != EINTR) return -1;  // not our child (already reaped)
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(5ms);
    }
}

int terminate(pid_t pid, std::chrono::milliseconds grace)
{
    ::kill(pid, SIGTERM);
    if (auto status = wait_exit(pid, grace)) return *status;
    ::kill(pid, SIGKILL);
    return wait_exit(pid, 10s).value_or(-1);
}

}  // namespace detail

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::optional<std::string>& stdin_data,
                          std::chrono::milliseconds timeout)
{
    // A child that exits without reading its stdin must not kill the test.
    ::signal(SIGPIPE, SIG_IGN);
    int out[2], err[2], in[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 ||
        (stdin_data && ::pipe2(in, O_CLOEXEC) != 0)) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    detail::SpawnSpec spec{argv, in[0], out[1], err[1], false};
    pid_t pid = detail::spawn(spec);
    ::close(out[1]);
    ::close(err[1]);
    if (in[0] >= 0) ::close(in[0]);
    if (in[1] >= 0) ::fcntl(in[1], F_SETFL, O_NONBLOCK);

    CommandResult result;
    std::size_t written = 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int open_fds = 2;
    while (open_fds > 0 || in[1] >= 0) {
        pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds, 3, static_cast<int>(std::min<long>(left.count(), 1000))) < 0 &&
            errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buf[65536];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                (i == 0 ? out[0] : err[0]) = -1;
                --open_fds;
            }
        }
        if (in[1] >= 0 && fds[2].revents != 0) {
            ssize_t n = ::write(in[1], stdin_data->data() + written, stdin_data->size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n < 0 && errno != EAGAIN && errno != EINTR) written = stdin_data->size();
            if (written == stdin_data->size()) {
                ::close(in[1]);
                in[1] = -1;
            }
        }
    }
    for (int fd : {out[0], err[0], in[1]}) {
        if (fd >= 0) ::close(fd);
    }
    result.exit_status = detail::wait_exit(pid, 10s).value_or(-1);
    return result;
}

}  // namespace ocspmx::test
