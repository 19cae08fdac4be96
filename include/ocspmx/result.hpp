// Result<T>: expected failures (I/O, protocol, bad input) as values.
// Exceptions are reserved for bugs and start-up configuration errors and
// never cross a C callback or the C ABI (STYLE.md, practice 4).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ocspmx {

// One line of human-readable text naming what was wrong ("file:3: unknown
// option 'foo'"). Callers add context by prefixing, never by wrapping.
struct Error {
    std::string message;

    [[nodiscard]] Error with_context(std::string_view prefix) const
    {
        return Error{std::string(prefix) + ": " + message};
    }
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}                // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}            // NOLINT: implicit by design

    [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

    [[nodiscard]] bool ok() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const Error& error() const& { return error_; }
    Error&& error() && { return std::move(error_); }

private:
    Error error_;
    bool ok_ = true;
};

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace ocspmx
