// C ABI: reading a delivery report. Reports are immutable once returned, so
// every reader here is safe from several threads at once.
#include <cstring>
#include <string>

#include "capi/capi.hpp"
#include "capi/handles.hpp"

namespace ocspmx::capi {
namespace {

using transport::Outcome;

ocspmx_outcome to_c(Outcome outcome)
{
    switch (outcome) {
        case Outcome::delivered:
            return OCSPMX_DELIVERED;
        case Outcome::deferred:
            return OCSPMX_DEFERRED;
        case Outcome::failed:
            return OCSPMX_FAILED;
    }
    return OCSPMX_DEFERRED;
}

ocspmx_ocsp_policy to_c(transport::OcspPolicy policy)
{
    switch (policy) {
        case transport::OcspPolicy::none:
            return OCSPMX_OCSP_POLICY_NONE;
        case transport::OcspPolicy::request:
            return OCSPMX_OCSP_POLICY_REQUEST;
        case transport::OcspPolicy::require:
            return OCSPMX_OCSP_POLICY_REQUIRE;
    }
    return OCSPMX_OCSP_POLICY_NONE;
}

ocspmx_ocsp_state to_c(ocsp::State state)
{
    switch (state) {
        case ocsp::State::not_requested:
            return OCSPMX_OCSP_NOT_REQUESTED;
        case ocsp::State::not_responded:
            return OCSPMX_OCSP_NOT_RESPONDED;
        case ocsp::State::failed:
            return OCSPMX_OCSP_FAILED;
        case ocsp::State::verified:
            return OCSPMX_OCSP_VERIFIED;
    }
    return OCSPMX_OCSP_FAILED;
}

// Every struct of version 1 is complete in the caller's struct (struct_size
// at least our size); a newer caller with a larger struct gets the members
// this library knows, and struct_size tells it how many bytes were filled
// (ocspmx.h, "Rules of the ABI").
template <class Info>
ocspmx_status fill(const Info& full, Info* out, const char* what)
{
    if (out == nullptr) return set_error(OCSPMX_E_INVALID_ARGUMENT, what, ": out is NULL");
    if (out->struct_size < sizeof(Info)) {
        return set_error(OCSPMX_E_INVALID_ARGUMENT, what,
                         ": struct_size is smaller than this ABI's struct (not set?)");
    }
    std::memcpy(static_cast<void*>(out), &full, sizeof(Info));
    return OCSPMX_OK;
}

ocspmx_status check_index(const ocspmx_report* report, std::size_t index, std::size_t count,
                          const char* what)
{
    if (report == nullptr) return set_error(OCSPMX_E_INVALID_ARGUMENT, what, ": report is NULL");
    if (index >= count) {
        return set_error(OCSPMX_E_RANGE, what, ": index ",
                         std::to_string(index) + " >= count " + std::to_string(count));
    }
    return OCSPMX_OK;
}

}  // namespace

ocspmx_outcome report_result(const ocspmx_report* report) noexcept
{
    clear_error();
    return report != nullptr ? to_c(report->report.result) : OCSPMX_DEFERRED;
}

size_t report_attempt_count(const ocspmx_report* report) noexcept
{
    clear_error();
    return report != nullptr ? report->report.attempts.size() : 0;
}

size_t report_recipient_count(const ocspmx_report* report) noexcept
{
    clear_error();
    return report != nullptr ? report->report.recipients.size() : 0;
}

ocspmx_status report_attempt(const ocspmx_report* report, size_t index,
                             ocspmx_attempt_info* out) noexcept
{
    return guarded("report_attempt", [&] {
        const std::size_t count = report != nullptr ? report->report.attempts.size() : 0;
        if (auto s = check_index(report, index, count, "report_attempt"); s != OCSPMX_OK) return s;
        const auto& a = report->report.attempts[index];
        ocspmx_attempt_info info{};
        info.struct_size = sizeof info;
        info.host = a.host.c_str();
        info.address = a.address.c_str();
        info.port = a.port;
        info.outcome = to_c(a.outcome);
        info.detail = a.detail.c_str();
        info.tls_active = a.tls.active ? 1 : 0;
        info.tls_version = a.tls.version.c_str();
        info.tls_cipher = a.tls.cipher.c_str();
        info.tls_cert_verified = a.tls.cert_verified ? 1 : 0;
        info.tls_verify_error = a.tls.verify_error.c_str();
        info.ocsp_policy = to_c(a.ocsp.policy);
        info.ocsp_state = to_c(a.ocsp.status);
        info.ocsp_reason = a.ocsp.reason.c_str();
        info.ocsp_must_staple = a.ocsp.must_staple ? 1 : 0;
        info.log_line = report->log_lines[index].c_str();
        return fill(info, out, "report_attempt");
    });
}

ocspmx_status report_recipient(const ocspmx_report* report, size_t index,
                               ocspmx_recipient_info* out) noexcept
{
    return guarded("report_recipient", [&] {
        const std::size_t count = report != nullptr ? report->report.recipients.size() : 0;
        if (auto s = check_index(report, index, count, "report_recipient"); s != OCSPMX_OK)
            return s;
        const auto& r = report->report.recipients[index];
        ocspmx_recipient_info info{};
        info.struct_size = sizeof info;
        info.address = r.address.c_str();
        info.outcome = to_c(r.outcome);
        info.smtp = r.smtp.c_str();
        return fill(info, out, "report_recipient");
    });
}

const char* report_json(const ocspmx_report* report) noexcept
{
    clear_error();
    return report != nullptr ? report->json.c_str() : nullptr;
}

void report_free(ocspmx_report* report) noexcept
{
    clear_error();
    delete report;
}

}  // namespace ocspmx::capi
