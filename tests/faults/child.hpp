// A child process for the fault and resource tests: fork + execv with
// stdout/stderr captured, killed with SIGKILL at a deadline, reaped with
// wait4() so the test also gets the child's peak RSS (getrusage(2):
// ru_maxrss, in KiB) and its wall time. Signals can be sent to it while it
// runs (SIGTERM/SIGINT tests). Ended only by its pid.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace ocspmx::test {

// True in the ASan build (g++ defines __SANITIZE_ADDRESS__, clang has
// __has_feature): its quarantine keeps freed memory, so RSS bounds do not
// apply, and valgrind cannot run its binaries.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif
#else
inline constexpr bool sanitized = false;
#endif

struct ChildResult {
    int exit_status = -1;     // exit code; 128 + signal when killed by one
    bool timed_out = false;   // killed at the deadline
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
    long max_rss_kib = 0;     // peak resident set size of the child
};

class Child {
public:
    explicit Child(const std::vector<std::string>& argv)
    {
        int out[2];
        int err[2];
        if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
        if (pipe2(err, O_CLOEXEC) != 0) {
            close_pair(out);
            throw std::runtime_error("pipe2");
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        start_ = std::chrono::steady_clock::now();
        pid_ = fork();
        if (pid_ < 0) {
            close_pair(out);
            close_pair(err);
            throw std::runtime_error("fork");
        }
        if (pid_ == 0) {
            const int devnull = open("/dev/null", O_RDONLY);
            dup2(devnull, 0);
            dup2(out[1], 1);
            dup2(err[1], 2);
            execv(args[0], args.data());
            _exit(127);
        }
        close(out[1]);
        close(err[1]);
        out_fd_ = out[0];
        err_fd_ = err[0];
    }
    ~Child()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            (void)wait_for(std::chrono::seconds(5));
        }
        if (out_fd_ >= 0) close(out_fd_);
        if (err_fd_ >= 0) close(err_fd_);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    void signal(int sig) const
    {
        if (pid_ > 0) ::kill(pid_, sig);
    }
    // Collects output until the child closed both pipes, then reaps it;
    // SIGKILL at `timeout` from the start.
    ChildResult wait_for(std::chrono::milliseconds timeout)
    {
        const auto deadline = start_ + timeout;
        while (out_fd_ >= 0 || err_fd_ >= 0) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                ::kill(pid_, SIGKILL);
                result_.timed_out = true;
                break;
            }
            pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
            if (poll(fds, 2, static_cast<int>(left.count())) < 0) continue;
            drain(fds[0], out_fd_, result_.out);
            drain(fds[1], err_fd_, result_.err);
        }
        int status = 0;
        rusage usage{};
        while (wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
        }
        result_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start_);
        result_.max_rss_kib = usage.ru_maxrss;
        result_.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = -1;
        return result_;
    }

private:
    static void close_pair(int p[2])
    {
        close(p[0]);
        close(p[1]);
    }
    static void drain(const pollfd& p, int& fd, std::string& into)
    {
        if (fd < 0 || (p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) return;
        char buf[8192];
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            into.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            close(fd);
            fd = -1;
        }
    }

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::chrono::steady_clock::time_point start_;
    ChildResult result_;
};

}  // namespace ocspmx::test
