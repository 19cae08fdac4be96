#include "cli/guard.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "cli/exit_codes.hpp"

namespace ocspmx::cli {

struct ProcessGuard::State {
    std::mutex mutex;
    bool finished = false;
    bool json = false;
    std::chrono::seconds budget{};
    std::thread watchdog;
};

namespace {

sigset_t guarded_signals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

// Waits for a guarded signal until the deadline; returns the signal number,
// or 0 when the budget ran out.
int wait_signal_or_deadline(std::chrono::steady_clock::time_point deadline)
{
    const sigset_t set = guarded_signals();
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return 0;
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(left);
        const auto nsecs = std::chrono::duration_cast<std::chrono::nanoseconds>(left - secs);
        const timespec timeout{static_cast<time_t>(secs.count()),
                               static_cast<long>(nsecs.count())};
        const int sig = sigtimedwait(&set, nullptr, &timeout);
        if (sig > 0) return sig;
        if (errno != EAGAIN && errno != EINTR) return 0;
    }
}

void watch(ProcessGuard::State* state, std::chrono::steady_clock::time_point deadline)
{
    const int sig = wait_signal_or_deadline(deadline);
    // The lock is held until _exit, so finish() cannot report success after
    // we decided to defer, and we never defer after it did.
    std::unique_lock lock(state->mutex);
    if (state->finished) return;
    if (sig != 0) {
        std::fprintf(stderr, "ocspmx: %s during delivery; message deferred\n",
                     sig == SIGTERM ? "SIGTERM" : "SIGINT");
    } else {
        std::fprintf(stderr, "ocspmx: time budget of %llds exhausted; message deferred\n",
                     static_cast<long long>(state->budget.count()));
    }
    if (state->json) {
        std::printf("{\"result\": \"deferred\", \"reason\": \"%s\", \"attempts\": [], "
                    "\"recipients\": []}\n",
                    sig == 0 ? "time budget exhausted" : "interrupted");
    }
    std::fflush(nullptr);
    _exit(exit_tempfail);
}

}  // namespace

ProcessGuard::ProcessGuard(std::chrono::seconds budget, bool json)
    : state_(std::make_unique<State>())
{
    state_->json = json;
    state_->budget = budget;
    const sigset_t set = guarded_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    const auto deadline = std::chrono::steady_clock::now() + budget;
    state_->watchdog = std::thread(watch, state_.get(), deadline);
}

void ProcessGuard::finish()
{
    std::lock_guard lock(state_->mutex);
    state_->finished = true;
}

ProcessGuard::~ProcessGuard()
{
    finish();
    // Wake the watchdog so it sees `finished` and returns; SIGTERM to our own
    // thread is blocked and consumed by its sigtimedwait, never delivered.
    pthread_kill(state_->watchdog.native_handle(), SIGTERM);
    state_->watchdog.join();
}

}  // namespace ocspmx::cli
