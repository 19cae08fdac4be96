#include "record.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ocspmx::testserver {

bool write_all(int fd, const void* data, std::size_t size)
{
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

Recorder::Recorder(const std::string& path)
{
    if (path.empty()) return;
    fd_ = Fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!fd_.valid()) {
        throw std::runtime_error("--record " + path + ": " + std::strerror(errno));
    }
}

void Recorder::event(unsigned conn, std::string_view what)
{
    if (!fd_.valid()) return;
    append("[conn " + std::to_string(conn) + " " + std::string(what) + "]\n");
}

void Recorder::bytes(unsigned conn, bool tls, std::string_view data)
{
    if (!fd_.valid() || data.empty()) return;
    std::string entry = "[conn " + std::to_string(conn) + (tls ? " tls " : " clear ") +
                        std::to_string(data.size()) + "]\n";
    entry.append(data);
    entry.push_back('\n');
    append(entry);
}

void Recorder::client_cert(unsigned conn, std::string_view subject)
{
    if (!fd_.valid()) return;
    std::string entry = "[conn " + std::to_string(conn) + " client-cert " +
                        std::to_string(subject.size()) + "]\n";
    entry.append(subject);
    entry.push_back('\n');
    append(entry);
}

void Recorder::append(const std::string& entry)
{
    std::lock_guard lock(mutex_);
    (void)write_all(fd_.get(), entry.data(), entry.size());
}

}  // namespace ocspmx::testserver
