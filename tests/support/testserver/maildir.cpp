#include "maildir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "fd.hpp"

namespace ocspmx::testserver {

bool Maildir::store(std::string_view message)
{
    if (dir_.empty()) return true;
    char name[64];
    std::snprintf(name, sizeof name, "%08u.%ld.eml", ++seq_, static_cast<long>(::getpid()));
    const std::string final_path = dir_ + "/" + name;
    const std::string tmp_path = dir_ + "/." + name + ".tmp";
    {
        Fd fd(::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!fd.valid() || !write_all(fd.get(), message.data(), message.size())) {
            ::unlink(tmp_path.c_str());
            return false;
        }
    }
    return ::rename(tmp_path.c_str(), final_path.c_str()) == 0;
}

}  // namespace ocspmx::testserver
