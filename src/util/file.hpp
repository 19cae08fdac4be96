// Whole-stream reads in 64 KiB blocks. istreambuf_iterator costs about 17
// instructions a byte (callgrind); ocspmx reads the message and the trust
// store once per run, so the difference shows per message.
#pragma once

#include <fstream>
#include <istream>
#include <optional>
#include <string>

namespace ocspmx::util {

// Everything left in `in`; nullopt on a read error.
[[nodiscard]] inline std::optional<std::string> read_all(std::istream& in)
{
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return std::nullopt;
    return text;
}

// The file's bytes; nullopt when it cannot be opened or read.
[[nodiscard]] inline std::optional<std::string> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return read_all(in);
}

}  // namespace ocspmx::util
