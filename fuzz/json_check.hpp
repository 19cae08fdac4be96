// A strict RFC 8259 validator for the fuzz targets: one JSON value, nothing
// after it, strings free of raw control characters and valid UTF-8 (RFC
// 3629 §4, no surrogates, no overlong forms), escapes as in §7.
#pragma once

#include <cstdint>
#include <string_view>

namespace ocspmx::fuzz {

class JsonCheck {
public:
    // True when `text` is exactly one valid JSON value (surrounding white
    // space allowed).
    [[nodiscard]] static bool valid(std::string_view text)
    {
        JsonCheck c(text);
        c.space();
        if (!c.value(0)) return false;
        c.space();
        return c.pos_ == text.size();
    }

private:
    static constexpr int max_depth = 64;

    explicit JsonCheck(std::string_view text) : s_(text) {}

    [[nodiscard]] bool at_end() const { return pos_ >= s_.size(); }
    [[nodiscard]] std::uint8_t peek() const { return static_cast<std::uint8_t>(s_[pos_]); }

    void space()
    {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            ++pos_;
        }
    }

    bool literal(std::string_view word)
    {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    bool value(int depth)
    {
        if (at_end() || depth > max_depth) return false;
        switch (peek()) {
        case '{': return object(depth + 1);
        case '[': return array(depth + 1);
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: return number();
        }
    }

    bool object(int depth)
    {
        ++pos_;
        space();
        if (!at_end() && peek() == '}') return ++pos_, true;
        for (;;) {
            space();
            if (at_end() || peek() != '"' || !string()) return false;
            space();
            if (at_end() || peek() != ':') return false;
            ++pos_;
            space();
            if (!value(depth)) return false;
            space();
            if (at_end()) return false;
            if (peek() == '}') return ++pos_, true;
            if (peek() != ',') return false;
            ++pos_;
        }
    }

    bool array(int depth)
    {
        ++pos_;
        space();
        if (!at_end() && peek() == ']') return ++pos_, true;
        for (;;) {
            space();
            if (!value(depth)) return false;
            space();
            if (at_end()) return false;
            if (peek() == ']') return ++pos_, true;
            if (peek() != ',') return false;
            ++pos_;
        }
    }

    bool digits()
    {
        const std::size_t start = pos_;
        while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
        return pos_ > start;
    }

    // §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    bool number()
    {
        if (!at_end() && peek() == '-') ++pos_;
        if (at_end()) return false;
        if (peek() == '0') {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        if (!at_end() && peek() == '.') {
            ++pos_;
            if (!digits()) return false;
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++pos_;
            if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
            if (!digits()) return false;
        }
        return true;
    }

    static bool hex(std::uint8_t c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    bool escape()
    {
        if (at_end()) return false;
        const std::uint8_t c = peek();
        ++pos_;
        if (c == 'u') {
            for (int k = 0; k < 4; ++k) {
                if (at_end() || !hex(peek())) return false;
                ++pos_;
            }
            return true;
        }
        return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
               c == 'r' || c == 't';
    }

    // One UTF-8 sequence starting with a byte >= 0x80 (RFC 3629 §4 table).
    bool utf8()
    {
        const std::uint8_t c = peek();
        std::size_t n = 0;
        std::uint8_t lo = 0x80;
        std::uint8_t hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (pos_ + n > s_.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            const auto b = static_cast<std::uint8_t>(s_[pos_ + k]);
            const std::uint8_t l = k == 1 ? lo : 0x80;
            const std::uint8_t h = k == 1 ? hi : 0xBF;
            if (b < l || b > h) return false;
        }
        pos_ += n;
        return true;
    }

    bool string()
    {
        ++pos_;  // opening quote
        for (;;) {
            if (at_end()) return false;
            const std::uint8_t c = peek();
            if (c == '"') return ++pos_, true;
            if (c < 0x20) return false;  // §7: control characters must be escaped
            if (c == '\\') {
                ++pos_;
                if (!escape()) return false;
            } else if (c >= 0x80) {
                if (!utf8()) return false;
            } else {
                ++pos_;
            }
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace ocspmx::fuzz
