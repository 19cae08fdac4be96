// The one exported symbol of libocspmx: ocspmx_get_module() hands out the
// static, immutable module table (include/ocspmx/ocspmx.h).
#include <charconv>
#include <string_view>

#include "capi/capi.hpp"
#include "capi/handles.hpp"

namespace ocspmx::capi {
namespace {

const char* last_error_entry() noexcept { return last_error(); }

constexpr ocspmx_module_v1 kModuleV1{
    .abi_version = OCSPMX_ABI_VERSION,
    .struct_size = sizeof(ocspmx_module_v1),
    .library_version = OCSPMX_VERSION,
    .transport_open_text = &transport_open_text,
    .transport_open_file = &transport_open_file,
    .transport_close = &transport_close,
    .deliver_buffer = &deliver_buffer,
    .deliver_read = &deliver_read,
    .report_result = &report_result,
    .report_attempt_count = &report_attempt_count,
    .report_attempt = &report_attempt,
    .report_recipient_count = &report_recipient_count,
    .report_recipient = &report_recipient,
    .report_json = &report_json,
    .report_free = &report_free,
    .last_error = &last_error_entry,
    .status_string = &status_string,
    .outcome_string = &outcome_string,
    .ocsp_state_string = &ocsp_state_string,
    .ocsp_policy_string = &ocsp_policy_string,
};

}  // namespace
}  // namespace ocspmx::capi

extern "C" OCSPMX_EXPORT const void* ocspmx_get_module(unsigned abi_version)
{
    using namespace ocspmx::capi;
    clear_error();
    if (abi_version == 1) return &kModuleV1;
    // No allocation here: nothing can throw across the C boundary.
    char number[16];
    const auto printed = std::to_chars(number, number + sizeof number, abi_version);
    (void)set_error(OCSPMX_E_ABI_VERSION, "ocspmx_get_module: ABI version ",
                    std::string_view(number, static_cast<std::size_t>(printed.ptr - number)),
                    " requested; this library implements version 1");
    return nullptr;
}
