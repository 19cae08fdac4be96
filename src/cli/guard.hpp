// The process guard of `ocspmx send` and `ocspmx probe` when run as an MTA's
// pipe delivery agent: a total time budget, and SIGTERM/SIGINT handling.
//
// Postfix pipe(8) kills the agent after command_time_limit (default 1000s)
// and Exim's pipe transport after its `timeout` (default 1h); a killed agent
// is reported by the MTA as a crash, not a deferral. So the agent ends by
// itself first, with EX_TEMPFAIL (75), which both MTAs treat as "keep the
// message and retry". The same holds when the MTA or an admin sends SIGTERM
// or SIGINT during a delivery: exit 75, never a partial success.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace ocspmx::cli {

// Below Postfix's default command_time_limit of 1000s.
inline constexpr std::chrono::seconds default_time_budget{900};

class ProcessGuard {
public:
    // Blocks SIGTERM and SIGINT in this thread (so in every thread started
    // after it) and starts the watchdog thread; call before any other thread
    // exists. When the budget runs out or a signal arrives before finish(),
    // the watchdog prints one line on stderr (and, with json, a deferred
    // report on stdout) and ends the process with exit status 75.
    ProcessGuard(std::chrono::seconds budget, bool json);
    ~ProcessGuard();
    ProcessGuard(const ProcessGuard&) = delete;
    ProcessGuard& operator=(const ProcessGuard&) = delete;

    // The outcome is known: from now on the guard never ends the process,
    // so the real result is reported. If the watchdog is already ending the
    // process, this call does not return.
    void finish();

    struct State;

private:
    std::unique_ptr<State> state_;
};

}  // namespace ocspmx::cli
