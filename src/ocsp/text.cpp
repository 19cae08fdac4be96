#include "ocsp/text.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include "ocsp/handles.hpp"

namespace ocspmx::ocsp {

std::string iso8601(TimePoint t)
{
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    if (gmtime_r(&secs, &tm) == nullptr) return "?";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

std::optional<long long> number(std::string_view s)
{
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

std::optional<TimePoint> parse_time(std::string_view text)
{
    if (!text.empty() && text[0] == '@') text.remove_prefix(1);
    if (text.find_first_not_of("0123456789") == std::string_view::npos) {
        auto secs = number(text);
        if (!secs) return std::nullopt;
        return std::chrono::system_clock::from_time_t(static_cast<std::time_t>(*secs));
    }
    if (text.ends_with('Z')) text.remove_suffix(1);
    // YYYY-MM-DDTHH:MM:SS
    if (text.size() != 19 || text[4] != '-' || text[7] != '-' ||
        (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    auto field = [&](std::size_t pos, std::size_t len) { return number(text.substr(pos, len)); };
    auto y = field(0, 4), mo = field(5, 2), d = field(8, 2);
    auto h = field(11, 2), mi = field(14, 2), s = field(17, 2);
    if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
        *mi > 59 || *s > 60)
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = static_cast<int>(*y - 1900);
    tm.tm_mon = static_cast<int>(*mo - 1);
    tm.tm_mday = static_cast<int>(*d);
    tm.tm_hour = static_cast<int>(*h);
    tm.tm_min = static_cast<int>(*mi);
    tm.tm_sec = static_cast<int>(*s);
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string hex(std::span<const std::uint8_t> bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0F];
    }
    return out;
}

std::string subject(gnutls_x509_crt_t crt)
{
    detail::Datum dn;
    if (gnutls_x509_crt_get_dn3(crt, dn.out(), 0) < 0) return {};
    return {dn.span().begin(), dn.span().end()};
}

}  // namespace ocspmx::ocsp
