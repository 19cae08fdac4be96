// C ABI: opening and closing a transport, delivering one message.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capi/capi.hpp"
#include "capi/handles.hpp"
#include "ocspmx/config.hpp"

namespace ocspmx::capi {
namespace {

using transport::Envelope;
using transport::Host;

ocspmx_status open_config(Result<Config> config, ocspmx_transport** out)
{
    if (!config) return set_error(OCSPMX_E_CONFIG, config.error().message);
    auto opened = transport::Transport::open(*config);
    if (!opened) return set_error(OCSPMX_E_CONFIG, opened.error().message);
    *out = new ocspmx_transport(std::move(*opened));
    return OCSPMX_OK;
}

ocspmx_status to_envelope(const ocspmx_envelope* in, Envelope& out)
{
    if (in == nullptr) return set_error(OCSPMX_E_INVALID_ARGUMENT, "envelope: NULL");
    if (in->rcpt_count == 0 || in->rcpt_to == nullptr) {
        return set_error(OCSPMX_E_INVALID_ARGUMENT, "envelope: no recipients");
    }
    out.mail_from = in->mail_from != nullptr ? in->mail_from : "";
    for (std::size_t i = 0; i < in->rcpt_count; ++i) {
        const char* rcpt = in->rcpt_to[i];
        if (rcpt == nullptr || *rcpt == '\0') {
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "envelope: recipient ", std::to_string(i),
                             " is NULL or empty");
        }
        out.rcpt_to.emplace_back(rcpt);
    }
    return OCSPMX_OK;
}

// Either a domain or a host list; never both, never neither.
ocspmx_status to_hosts(const ocspmx_destination* in, std::optional<std::string>& domain,
                       std::vector<Host>& hosts)
{
    if (in == nullptr) return set_error(OCSPMX_E_INVALID_ARGUMENT, "destination: NULL");
    const bool has_hosts = in->host_count != 0;
    if ((in->domain != nullptr) == has_hosts) {
        return set_error(OCSPMX_E_INVALID_ARGUMENT,
                         "destination: give either a domain or a host list");
    }
    if (in->domain != nullptr) {
        if (*in->domain == '\0')
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "destination: empty domain");
        domain = in->domain;
        return OCSPMX_OK;
    }
    if (in->hosts == nullptr)
        return set_error(OCSPMX_E_INVALID_ARGUMENT, "destination: hosts is NULL");
    for (std::size_t i = 0; i < in->host_count; ++i) {
        const ocspmx_host& h = in->hosts[i];
        if (h.name == nullptr || *h.name == '\0') {
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "destination: host ", std::to_string(i),
                             " has no name");
        }
        if (h.port > 65535) {
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "destination: host ", h.name, ": bad port");
        }
        Host host{h.name, h.address != nullptr ? h.address : "", std::nullopt};
        if (h.port != 0) host.port = h.port;
        hosts.push_back(std::move(host));
    }
    return OCSPMX_OK;
}

ocspmx_status deliver(ocspmx_transport* handle, const ocspmx_envelope* envelope,
                      const ocspmx_destination* destination, std::span<const char> message,
                      ocspmx_report** out)
{
    Envelope env;
    if (auto s = to_envelope(envelope, env); s != OCSPMX_OK) return s;
    std::optional<std::string> domain;
    std::vector<Host> hosts;
    if (auto s = to_hosts(destination, domain, hosts); s != OCSPMX_OK) return s;
    auto report = std::make_unique<ocspmx_report>();
    {
        const std::lock_guard lock(handle->mutex);
        report->report = domain ? handle->transport.deliver_to_domain(env, message, *domain)
                                : handle->transport.deliver(env, message, hosts);
    }
    report->json = transport::to_json(report->report);
    for (const auto& attempt : report->report.attempts) {
        report->log_lines.push_back(transport::log_line(attempt));
    }
    *out = report.release();
    return OCSPMX_OK;
}

ocspmx_status check_deliver_args(ocspmx_transport* handle, ocspmx_report** out)
{
    if (out == nullptr) return set_error(OCSPMX_E_INVALID_ARGUMENT, "deliver: out is NULL");
    *out = nullptr;
    if (handle == nullptr)
        return set_error(OCSPMX_E_INVALID_ARGUMENT, "deliver: transport is NULL");
    return OCSPMX_OK;
}

}  // namespace

ocspmx_status transport_open_text(const char* text, size_t length, const char* source,
                                  ocspmx_transport** out) noexcept
{
    return guarded("transport_open_text", [&] {
        if (out == nullptr)
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "transport_open_text: out is NULL");
        *out = nullptr;
        if (text == nullptr && length != 0) {
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "transport_open_text: text is NULL");
        }
        const std::string_view config_text(text != nullptr ? text : "", length);
        return open_config(config::parse(config_text, source != nullptr ? source : "config"), out);
    });
}

ocspmx_status transport_open_file(const char* path, ocspmx_transport** out) noexcept
{
    return guarded("transport_open_file", [&] {
        if (out == nullptr)
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "transport_open_file: out is NULL");
        *out = nullptr;
        if (path == nullptr || *path == '\0') {
            return set_error(OCSPMX_E_INVALID_ARGUMENT,
                             "transport_open_file: path is NULL or empty");
        }
        return open_config(config::load_file(path), out);
    });
}

void transport_close(ocspmx_transport* handle) noexcept
{
    // ~Transport releases GnuTLS credentials; nothing in it throws, but the
    // boundary stays closed to exceptions all the same.
    (void)guarded("transport_close", [&] {
        delete handle;
        return OCSPMX_OK;
    });
}

ocspmx_status deliver_buffer(ocspmx_transport* handle, const ocspmx_envelope* envelope,
                             const ocspmx_destination* destination, const char* message,
                             size_t length, ocspmx_report** out) noexcept
{
    return guarded("deliver_buffer", [&] {
        if (auto s = check_deliver_args(handle, out); s != OCSPMX_OK) return s;
        if (message == nullptr && length != 0) {
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "deliver_buffer: message is NULL");
        }
        return deliver(handle, envelope, destination,
                       std::span<const char>(message != nullptr ? message : "", length), out);
    });
}

ocspmx_status deliver_read(ocspmx_transport* handle, const ocspmx_envelope* envelope,
                           const ocspmx_destination* destination, ocspmx_read_fn read,
                           void* read_context, ocspmx_report** out) noexcept
{
    return guarded("deliver_read", [&] {
        if (auto s = check_deliver_args(handle, out); s != OCSPMX_OK) return s;
        if (read == nullptr)
            return set_error(OCSPMX_E_INVALID_ARGUMENT, "deliver_read: read is NULL");
        // The whole message first: a reader failing half-way must not leave
        // a truncated message at a server.
        std::string message;
        std::vector<char> chunk(64 * 1024);
        for (;;) {
            std::size_t got = 0;
            if (read(read_context, chunk.data(), chunk.size(), &got) != 0) {
                return set_error(OCSPMX_E_IO, "deliver_read: the read callback reported an error");
            }
            if (got > chunk.size()) {
                return set_error(OCSPMX_E_IO,
                                 "deliver_read: the read callback returned more than asked");
            }
            if (got == 0) break;
            message.append(chunk.data(), got);
        }
        return deliver(handle, envelope, destination, message, out);
    });
}

}  // namespace ocspmx::capi
