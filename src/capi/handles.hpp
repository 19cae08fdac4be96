// What the C ABI's opaque handles are (include/ocspmx/ocspmx.h), and the
// boundary helper that keeps every exception on this side of it.
#pragma once

#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/ocspmx.h"
#include "ocspmx/transport.hpp"

struct ocspmx_transport {
    explicit ocspmx_transport(ocspmx::transport::Transport opened) : transport(std::move(opened)) {}
    // Transport is not safe to call from two threads at once (transport.hpp);
    // the header promises that calls on one handle are serialized.
    std::mutex mutex;
    ocspmx::transport::Transport transport;
};

struct ocspmx_report {
    ocspmx::transport::DeliveryReport report;
    std::string json;                    // rendered once, returned by report_json
    std::vector<std::string> log_lines;  // one per attempt, for ocspmx_attempt_info
};

namespace ocspmx::capi {

// The calling thread's last error text (ocspmx_module_v1::last_error).
void clear_error() noexcept;
// Joins the parts into the thread's buffer without allocating, so the
// out-of-memory path can report too.
ocspmx_status set_error(ocspmx_status status, std::string_view text, std::string_view more = {},
                        std::string_view more2 = {}) noexcept;
const char* last_error() noexcept;

// Runs body() and turns any escaping exception into a status code and an
// error text: no exception crosses the C ABI (STYLE.md practice 4).
template <class Body>
ocspmx_status guarded(const char* what, Body&& body) noexcept
{
    try {
        clear_error();
        return body();
    } catch (const std::bad_alloc&) {
        return set_error(OCSPMX_E_NO_MEMORY, what, ": out of memory");
    } catch (const std::exception& e) {
        return set_error(OCSPMX_E_INTERNAL, what, ": internal error: ", e.what());
    } catch (...) {
        return set_error(OCSPMX_E_INTERNAL, what, ": internal error: unknown exception");
    }
}

}  // namespace ocspmx::capi
