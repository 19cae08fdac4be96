// C ABI: names of the enum values, as printed in logs and the JSON report.
#include "capi/capi.hpp"

namespace ocspmx::capi {

const char* status_string(ocspmx_status status) noexcept
{
    switch (status) {
        case OCSPMX_OK:
            return "ok";
        case OCSPMX_E_INVALID_ARGUMENT:
            return "invalid_argument";
        case OCSPMX_E_CONFIG:
            return "config";
        case OCSPMX_E_IO:
            return "io";
        case OCSPMX_E_NO_MEMORY:
            return "no_memory";
        case OCSPMX_E_RANGE:
            return "range";
        case OCSPMX_E_ABI_VERSION:
            return "abi_version";
        case OCSPMX_E_INTERNAL:
            return "internal";
    }
    return "?";
}

const char* outcome_string(ocspmx_outcome outcome) noexcept
{
    switch (outcome) {
        case OCSPMX_DELIVERED:
            return "delivered";
        case OCSPMX_DEFERRED:
            return "deferred";
        case OCSPMX_FAILED:
            return "failed";
    }
    return "?";
}

const char* ocsp_state_string(ocspmx_ocsp_state state) noexcept
{
    switch (state) {
        case OCSPMX_OCSP_NOT_REQUESTED:
            return "not_requested";
        case OCSPMX_OCSP_NOT_RESPONDED:
            return "not_responded";
        case OCSPMX_OCSP_FAILED:
            return "failed";
        case OCSPMX_OCSP_VERIFIED:
            return "verified";
    }
    return "?";
}

const char* ocsp_policy_string(ocspmx_ocsp_policy policy) noexcept
{
    switch (policy) {
        case OCSPMX_OCSP_POLICY_NONE:
            return "none";
        case OCSPMX_OCSP_POLICY_REQUEST:
            return "request";
        case OCSPMX_OCSP_POLICY_REQUIRE:
            return "require";
    }
    return "?";
}

}  // namespace ocspmx::capi
