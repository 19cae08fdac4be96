// Who signed a BasicOCSPResponse, and may they speak for the certificate?
// RFC 6960 §4.2.1 (ResponderID), §4.2.2.2 (authorized responders),
// CONTRACT.md §4 rule 4.
#pragma once

#include <gnutls/ocsp.h>

#include <span>
#include <string>

#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp::detail {

struct SignerResult {
    Reason reason = Reason::none;        // none: signature verifies and the signer is authorized
    std::string detail;                  // why not, one line
    std::string responder;               // signer's DN, else the ResponderID as found
    std::optional<TimePoint> not_after;  // signer certificate's notAfter
};

// `tbs` is the DER tbsResponseData the signature covers.
[[nodiscard]] SignerResult check_signer(gnutls_ocsp_resp_t resp, std::span<const std::uint8_t> tbs,
                                        const Input& in);

}  // namespace ocspmx::ocsp::detail
