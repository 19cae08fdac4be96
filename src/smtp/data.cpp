#include "smtp/data.hpp"

#include <algorithm>

namespace ocspmx::smtp {

namespace {

bool is_line_break(char c) { return c == '\r' || c == '\n'; }

}  // namespace

void DataEncoder::end_line(std::string& out)
{
    out += "\r\n";
    at_line_start_ = true;
    pending_cr_ = false;
    ++lines_;
}

void DataEncoder::encode(std::span<const char> in, std::string& out)
{
    auto it = in.begin();
    while (it != in.end()) {
        const char c = *it;
        if (c == '\n') {  // CRLF, or a bare LF: both end the line
            end_line(out);
            ++it;
            continue;
        }
        if (pending_cr_) end_line(out);  // bare CR (§2.3.8): a line end as CRLF
        if (c == '\r') {
            pending_cr_ = true;
            ++it;
            continue;
        }
        if (at_line_start_ && c == '.') out += '.';  // §4.5.2 transparency
        at_line_start_ = false;
        const auto run_end = std::find_if(it, in.end(), is_line_break);
        out.append(it, run_end);
        it = run_end;
    }
}

void DataEncoder::finish(std::string& out)
{
    if (pending_cr_ || !at_line_start_) end_line(out);
    out += ".\r\n";
}

MessageInfo scan_message(std::span<const char> message)
{
    MessageInfo info;
    bool pending_cr = false;
    bool at_line_start = true;
    for (const char c : message) {
        if (static_cast<unsigned char>(c) >= 0x80) info.eight_bit = true;
        if (c == '\n') {
            info.size += 2;
            pending_cr = false;
            at_line_start = true;
            continue;
        }
        if (pending_cr) info.size += 2;  // a bare CR goes out as CRLF
        pending_cr = c == '\r';
        at_line_start = pending_cr;
        if (!pending_cr) ++info.size;
    }
    if (pending_cr || !at_line_start) info.size += 2;
    return info;
}

}  // namespace ocspmx::smtp
