// Reply syntax: RFC 5321 §4.2 ("Reply-code [ SP textstring ] CRLF", with "-"
// instead of SP on all lines but the last) and §4.2.1 (same code on every
// line); enhanced codes: RFC 3463 §2 via RFC 2034 §3.
#include "smtp/reply.hpp"

namespace ocspmx::smtp {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// RFC 5321 §4.2: first digit 2-5, second 0-5, third 0-9.
int parse_code(std::string_view line)
{
    if (line.size() < 3) return -1;
    if (line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' || !is_digit(line[2])) {
        return -1;
    }
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

// "class.subject.detail" (RFC 3463 §2): class 2/4/5, subject and detail 1-3 digits.
std::string parse_enhanced(std::string_view text, int code)
{
    std::size_t i = 0;
    auto digits = [&](std::size_t max) {
        const std::size_t start = i;
        while (i < text.size() && is_digit(text[i]) && i - start < max) ++i;
        return i > start;
    };
    if (text.empty() || text[0] - '0' != code / 100) return {};
    i = 1;
    if (i >= text.size() || text[i++] != '.' || !digits(3)) return {};
    if (i >= text.size() || text[i++] != '.' || !digits(3)) return {};
    if (i < text.size() && text[i] != ' ') return {};
    return std::string(text.substr(0, i));
}

std::string clean(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        if (c != '\t' && is_control(static_cast<unsigned char>(c))) c = '?';
    }
    return out;
}

Error bad_line(std::string_view why, std::string_view line)
{
    return make_error(std::string(why) + ": \"" + sanitize(line, 80) + "\"");
}

}  // namespace

std::string sanitize(std::string_view text, std::size_t max_len)
{
    const bool cut = text.size() > max_len;
    std::string out = clean(text.substr(0, max_len));
    if (cut) out += "...";
    return out;
}

std::string Reply::summary() const
{
    std::string out = std::to_string(code);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += i == 0 ? " " : " / ";
        out += lines[i];
        if (out.size() > 1000) break;
    }
    return sanitize(out, 1000);
}

ReplyParser::ReplyParser(ReplyLimits limits, bool enhanced_status_codes)
    : limits_(limits), enhanced_(enhanced_status_codes)
{
}

Result<bool> ReplyParser::add_line(std::string_view line)
{
    if (line.size() > limits_.max_line) {
        return make_error("reply line longer than " + std::to_string(limits_.max_line) + " bytes");
    }
    total_ += line.size();
    if (reply_.lines.size() >= limits_.max_lines || total_ > limits_.max_total) {
        return make_error("reply longer than " + std::to_string(limits_.max_lines) + " lines or " +
                          std::to_string(limits_.max_total) + " bytes");
    }
    const int code = parse_code(line);
    const bool sep_ok = code >= 0 && (line.size() == 3 || line[3] == ' ' || line[3] == '-');
    if (code < 0 || !sep_ok) return bad_line("bad reply syntax", line);
    if (!reply_.lines.empty() && code != reply_.code) return bad_line("mixed reply codes", line);
    const bool last = line.size() == 3 || line[3] == ' ';
    const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view{};
    if (reply_.lines.empty() && enhanced_) reply_.enhanced = parse_enhanced(text, code);
    reply_.code = code;
    reply_.lines.push_back(clean(text));
    return last;
}

Reply ReplyParser::take()
{
    Reply out = std::move(reply_);
    reply_ = Reply{};
    total_ = 0;
    return out;
}

Result<Reply> parse_reply(std::string_view text, ReplyLimits limits, bool enhanced_status_codes)
{
    ReplyParser parser(limits, enhanced_status_codes);
    while (!text.empty()) {
        const std::size_t lf = text.find('\n');
        if (lf == std::string_view::npos) return bad_line("reply line without line end", text);
        std::string_view line = text.substr(0, lf);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        text.remove_prefix(lf + 1);
        auto done = parser.add_line(line);
        if (!done) return std::move(done).error();
        if (*done) {
            if (!text.empty()) return bad_line("data after the last reply line", text);
            return parser.take();
        }
    }
    return make_error("reply ends before its last line");
}

}  // namespace ocspmx::smtp
