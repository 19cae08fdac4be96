// Repeated deliveries through the C++ transport API (include/ocspmx/
// transport.hpp) to a stapling ocspmx-testserver, with OCSP required and
// verified; and the process figures the resource tests watch.
#pragma once

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "ocspmx/transport.hpp"

namespace ocspmx::test {

// hosts_require_ocsp = * with certificate verification against the test
// PKI: a delivery counts only when the staple verified.
inline Result<transport::Transport> open_require_ocsp(const std::string& anchors)
{
    auto config = config::parse("hosts_require_ocsp = *\n"
                                "tls_verify_hosts = *\n"
                                "tls_verify_certificates = " + anchors + "\n"
                                "helo_data = client.test\n"
                                "connect_timeout = 10s\n"
                                "command_timeout = 10s\n"
                                "data_timeout = 10s\n",
                                "resource-test");
    if (!config) return std::move(config).error();
    transport::Environment env;
    env.pins["mx.ocspmx.test"] = {"127.0.0.1"};
    return transport::Transport::open(*config, std::move(env));
}

class Deliverer {
public:
    Deliverer(transport::Transport& t, unsigned port) : t_(t)
    {
        hosts_.push_back(transport::Host{"mx.ocspmx.test", "127.0.0.1", port});
    }

    // One delivery; true when delivered with a verified staple. `why` says
    // what went wrong otherwise.
    bool deliver_one(std::string& why)
    {
        const auto report = t_.deliver(envelope_, message_, hosts_);
        const bool ok = report.result == transport::Outcome::delivered &&
                        report.attempts.size() == 1 &&
                        report.attempts[0].ocsp.status == ocsp::State::verified;
        if (!ok) why = transport::to_json(report);
        return ok;
    }

private:
    transport::Transport& t_;
    std::vector<transport::Host> hosts_;
    transport::Envelope envelope_{"sender@client.test", {"rcpt@mx.ocspmx.test"}};
    std::string message_ = "From: sender@client.test\r\nTo: rcpt@mx.ocspmx.test\r\n"
                           "Subject: resource test\r\n\r\nhello\r\n";
};

// Open file descriptors of this process (/proc/self/fd, minus the one the
// listing itself uses).
inline int open_fds()
{
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    int n = 0;
    while (const dirent* e = readdir(dir)) {
        if (e->d_name[0] != '.') ++n;
    }
    closedir(dir);
    return n - 1;
}

// Resident set size in KiB (/proc/self/statm, second field, in pages).
inline long rss_kib()
{
    std::ifstream statm("/proc/self/statm");
    long size = 0;
    long resident = 0;
    statm >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace ocspmx::test
