// The delivery report as CONTRACT §5 JSON and as Exim-style log lines
// (Exim spec, "Log files": H=, X=, CV= fields).
#include <string>

#include "ocspmx/transport.hpp"
#include "transport/json.hpp"

namespace ocspmx::transport {

const char* to_string(Outcome outcome)
{
    switch (outcome) {
        case Outcome::delivered:
            return "delivered";
        case Outcome::deferred:
            return "deferred";
        case Outcome::failed:
            return "failed";
    }
    return "?";
}

const char* to_string(OcspPolicy policy)
{
    switch (policy) {
        case OcspPolicy::none:
            return "none";
        case OcspPolicy::request:
            return "request";
        case OcspPolicy::require:
            return "require";
    }
    return "?";
}

namespace {

void field(std::string& out, std::string_view name, std::string_view value, bool null_if_empty)
{
    json::append_string(out, name);
    out += ": ";
    if (null_if_empty && value.empty()) {
        out += "null";
    } else {
        json::append_string(out, value);
    }
}

void append_attempt(std::string& out, const Attempt& a)
{
    out += '{';
    field(out, "host", a.host, false);
    out += ", ";
    field(out, "address", a.address, true);
    out += ", \"port\": " + std::to_string(a.port) + ", \"tls\": {";
    field(out, "version", a.tls.version, true);
    out += ", ";
    field(out, "cipher", a.tls.cipher, true);
    out += ", \"cert_verified\": ";
    out += a.tls.cert_verified ? "true" : "false";
    out += ", ";
    field(out, "verify_error", a.tls.verify_error, true);
    out += "}, \"ocsp\": {";
    field(out, "policy", to_string(a.ocsp.policy), false);
    out += ", ";
    field(out, "status", ocsp::to_string(a.ocsp.status), false);
    out += ", ";
    field(out, "reason", a.ocsp.reason, true);
    out += ", \"must_staple\": ";
    out += a.ocsp.must_staple ? "true" : "false";
    out += "}, ";
    field(out, "outcome", to_string(a.outcome), false);
    out += ", ";
    field(out, "detail", a.detail, true);
    out += '}';
}

}  // namespace

std::string to_json(const DeliveryReport& report)
{
    std::string out = "{";
    field(out, "result", to_string(report.result), false);
    out += ", \"attempts\": [";
    for (std::size_t i = 0; i < report.attempts.size(); ++i) {
        if (i != 0) out += ", ";
        append_attempt(out, report.attempts[i]);
    }
    out += "], \"recipients\": [";
    for (std::size_t i = 0; i < report.recipients.size(); ++i) {
        const auto& r = report.recipients[i];
        if (i != 0) out += ", ";
        out += '{';
        field(out, "address", r.address, false);
        out += ", ";
        field(out, "outcome", to_string(r.outcome), false);
        out += ", ";
        field(out, "smtp", r.smtp, true);
        out += '}';
    }
    out += "]}";
    return out;
}

namespace {

// Log fields are single-line: control characters would forge log lines.
std::string printable(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7F) ? '?' : c;
    }
    return out;
}

std::string bracketed(std::string_view address) { return "[" + std::string(address) + "]"; }

}  // namespace

std::string log_line(const Attempt& a)
{
    std::string line = to_string(a.outcome);
    if (a.address == a.host) {
        line += " H=" + bracketed(a.address);  // an IP literal host, as Exim logs it
    } else {
        line += " H=" + printable(a.host);
        if (!a.address.empty()) line += " " + bracketed(a.address);
    }
    line += ":" + std::to_string(a.port);
    if (a.tls.active) {
        // Exim's own form, so one grep finds both MTAs' deliveries.
        line += " X=" + a.tls.version + ":" +
                (a.tls.exim_cipher.empty() ? a.tls.cipher : a.tls.exim_cipher);
        line += a.tls.cert_verified ? " CV=yes" : " CV=no";
    }
    line += " OCSP=";
    line += ocsp::to_string(a.ocsp.status);
    // The reason once: the detail usually quotes it already.
    if (!a.ocsp.reason.empty() && a.detail.find(a.ocsp.reason) == std::string::npos) {
        line += " (" + printable(a.ocsp.reason) + ")";
    }
    // "OCSP=failed: OCSP failed: revoked..." says it twice; keep the field.
    std::string_view detail = a.detail;
    const std::string said = "OCSP " + std::string(ocsp::to_string(a.ocsp.status)) + ": ";
    if (detail.starts_with(said)) detail.remove_prefix(said.size());
    if (!detail.empty()) line += ": " + printable(detail);
    return line;
}

}  // namespace ocspmx::transport
