// Error text in Exim's style (src/src/tls-gnu.c): a context prefix, then
// gnutls_strerror(), then the alert name when the error was an alert.
#pragma once

#include <gnutls/gnutls.h>

#include <string>
#include <string_view>

#include "ocspmx/result.hpp"

namespace ocspmx::tls {

// RFC 6066 §8: bad_certificate_status_response(113). GnuTLS 3.7 has no
// enumerator for it; the value fits gnutls_alert_description_t's range.
inline constexpr auto alert_bad_certificate_status_response =
    static_cast<gnutls_alert_description_t>(113);

[[nodiscard]] std::string error_text(std::string_view context, int gnutls_error,
                                     gnutls_session_t session = nullptr);

[[nodiscard]] inline Error tls_error(std::string_view context, int gnutls_error,
                                     gnutls_session_t session = nullptr)
{
    return Error{error_text(context, gnutls_error, session)};
}

}  // namespace ocspmx::tls
