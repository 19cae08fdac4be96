#include "smtp/address.hpp"

#include <string>

#include "smtp/reply.hpp"

namespace ocspmx::smtp {

namespace {

// RFC 5321 §4.5.3.1.3: a path, angle brackets included, is at most 256 octets.
constexpr std::size_t max_address = 256 - 2;

Error bad(std::string_view address, std::string_view why)
{
    return make_error("invalid address <" + sanitize(address, 100) + ">: " + std::string(why));
}

// Control characters would end the command line early (CRLF injection) or
// corrupt logs; '<' '>' would end the path; a space outside a quoted local
// part (§4.1.2 Quoted-string) would start an ESMTP parameter.
std::string_view first_problem(std::string_view address)
{
    bool quoted = false;
    bool escaped = false;
    for (const char ch : address) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) return "control character";
        // Refused even quoted: servers that do not parse quoted strings
        // would end the path there.
        if (c == '<' || c == '>') return "angle bracket";
        if (escaped) {
            escaped = false;
            continue;
        }
        if (quoted && c == '\\')
            escaped = true;
        else if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == ' ')
            return "space outside a quoted local part";
    }
    return quoted ? "unterminated quoted string" : std::string_view{};
}

}  // namespace

Result<void> validate_address(std::string_view address, bool reverse_path)
{
    if (address.empty()) {
        if (reverse_path) return {};  // MAIL FROM:<> (§4.5.5)
        return bad(address, "empty recipient");
    }
    if (address.size() > max_address) return bad(address, "longer than 254 octets");
    if (const auto why = first_problem(address); !why.empty()) return bad(address, why);
    return {};
}

bool needs_utf8(std::string_view address)
{
    for (const char c : address) {
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    }
    return false;
}

}  // namespace ocspmx::smtp
