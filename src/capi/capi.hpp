// The C ABI's entry points, one per member of ocspmx_module_v1; module.cpp
// puts them in the table. Each is noexcept: errors are status codes plus
// the thread's last error text.
#pragma once

#include <cstddef>

#include "ocspmx/ocspmx.h"

namespace ocspmx::capi {

// transport.cpp
ocspmx_status transport_open_text(const char* text, size_t length, const char* source,
                                  ocspmx_transport** out) noexcept;
ocspmx_status transport_open_file(const char* path, ocspmx_transport** out) noexcept;
void transport_close(ocspmx_transport* transport) noexcept;
ocspmx_status deliver_buffer(ocspmx_transport* transport, const ocspmx_envelope* envelope,
                             const ocspmx_destination* destination, const char* message,
                             size_t length, ocspmx_report** out) noexcept;
ocspmx_status deliver_read(ocspmx_transport* transport, const ocspmx_envelope* envelope,
                           const ocspmx_destination* destination, ocspmx_read_fn read,
                           void* read_context, ocspmx_report** out) noexcept;

// report.cpp
ocspmx_outcome report_result(const ocspmx_report* report) noexcept;
size_t report_attempt_count(const ocspmx_report* report) noexcept;
ocspmx_status report_attempt(const ocspmx_report* report, size_t index,
                             ocspmx_attempt_info* out) noexcept;
size_t report_recipient_count(const ocspmx_report* report) noexcept;
ocspmx_status report_recipient(const ocspmx_report* report, size_t index,
                               ocspmx_recipient_info* out) noexcept;
const char* report_json(const ocspmx_report* report) noexcept;
void report_free(ocspmx_report* report) noexcept;

// names.cpp
const char* status_string(ocspmx_status status) noexcept;
const char* outcome_string(ocspmx_outcome outcome) noexcept;
const char* ocsp_state_string(ocspmx_ocsp_state state) noexcept;
const char* ocsp_policy_string(ocspmx_ocsp_policy policy) noexcept;

}  // namespace ocspmx::capi
