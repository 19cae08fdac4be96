#include "tls/errors.hpp"

namespace ocspmx::tls {

std::string error_text(std::string_view context, int gnutls_error, gnutls_session_t session)
{
    std::string text(context);
    text += ": ";
    text += gnutls_strerror(gnutls_error);
    const bool alert = gnutls_error == GNUTLS_E_FATAL_ALERT_RECEIVED ||
                       gnutls_error == GNUTLS_E_WARNING_ALERT_RECEIVED;
    if (alert && session != nullptr) {
        const gnutls_alert_description_t which = gnutls_alert_get(session);
        const char* name = gnutls_alert_get_name(which);
        text += ": ";
        text += name != nullptr ? name : ("alert " + std::to_string(static_cast<int>(which)));
    }
    return text;
}

}  // namespace ocspmx::tls
