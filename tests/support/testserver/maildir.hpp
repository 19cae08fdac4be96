// --maildir: one file per accepted message, holding exactly the message
// bytes after un-dot-stuffing (RFC 5321 4.5.2), CRLF kept. Files appear
// atomically (written under a dot name, then renamed) and sort in arrival
// order: DIR/00000001.<pid>.eml, ...
#pragma once

#include <atomic>
#include <string>
#include <string_view>

namespace ocspmx::testserver {

class Maildir {
public:
    explicit Maildir(std::string dir) : dir_(std::move(dir)) {}

    // Returns false when the message could not be stored (no --maildir is
    // not an error: the message is accepted and dropped).
    [[nodiscard]] bool store(std::string_view message);

private:
    std::string dir_;
    std::atomic<unsigned> seq_{0};
};

}  // namespace ocspmx::testserver
