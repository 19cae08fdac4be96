// Base64 (RFC 4648 §4) as PEM carries it (RFC 7468): line breaks and other
// white space between characters are ignored, '=' padding ends the data.
// Used to index trust stores (src/tls/anchors.cpp), where GnuTLS's decoder
// (Nettle's) cost ~60 instructions per byte: most of a system bundle's load.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ocspmx::util {

// nullopt on a character outside the alphabet, data after padding, or a
// length that is not a whole number of 4-character groups.
[[nodiscard]] inline std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text)
{
    static constexpr std::array<std::int8_t, 256> table = [] {
        std::array<std::int8_t, 256> t{};
        t.fill(-1);
        constexpr std::string_view alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (std::size_t i = 0; i < alphabet.size(); ++i)
            t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
        for (unsigned char c : {' ', '\t', '\r', '\n'}) t[c] = -2;
        t['='] = -3;
        return t;
    }();
    std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
    std::size_t n = 0;
    std::uint32_t group = 0;
    int filled = 0;   // characters in the current group
    int padding = 0;  // '=' seen
    auto step = [&](unsigned char c) {
        const int v = table[c];
        if (v == -2) return true;
        if (v == -3) {
            if (filled + padding < 2) return false;  // "=" may only end a group
            ++padding;
            return filled + padding <= 4;
        }
        if (v < 0 || padding > 0) return false;
        group = (group << 6) | static_cast<std::uint32_t>(v);
        if (++filled == 4) {
            out[n++] = static_cast<std::uint8_t>(group >> 16);
            out[n++] = static_cast<std::uint8_t>(group >> 8);
            out[n++] = static_cast<std::uint8_t>(group);
            group = 0;
            filled = 0;
        }
        return true;
    };
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        // Fast path: four alphabet characters at a group boundary (a PEM
        // line is 16 such groups). Alphabet values are 0..63, the others
        // negative, so the OR is negative unless all four are letters.
        if (filled == 0 && padding == 0 && end - p >= 4) {
            const int a = table[p[0]], b = table[p[1]], c = table[p[2]], d = table[p[3]];
            if ((a | b | c | d) >= 0) {
                const auto g = static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6 | d);
                out[n++] = static_cast<std::uint8_t>(g >> 16);
                out[n++] = static_cast<std::uint8_t>(g >> 8);
                out[n++] = static_cast<std::uint8_t>(g);
                p += 4;
                continue;
            }
        }
        if (!step(*p++)) return std::nullopt;
    }
    if (padding > 0) {
        if (filled + padding != 4) return std::nullopt;
        if (filled == 2) {
            out[n++] = static_cast<std::uint8_t>(group >> 4);
        } else {  // filled == 3
            out[n++] = static_cast<std::uint8_t>(group >> 10);
            out[n++] = static_cast<std::uint8_t>(group >> 2);
        }
    } else if (filled != 0) {
        return std::nullopt;
    }
    out.resize(n);
    return out;
}

}  // namespace ocspmx::util
