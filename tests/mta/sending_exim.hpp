// A sending Exim 4.96 daemon whose router hands mail for the test domain to
// ocspmx through examples/exim/ocspmx-router-transport.conf, included
// verbatim. Only the macros the fragment documents are set.
//
// Like tests/support's EximServer (whose receiving daemon it talks to), it
// runs with -C, so Exim drops root for good: the daemon, its deliveries and
// hence ocspmx run as Debian-exim. Everything ocspmx needs (the binary, its
// config, the trust anchors) is copied into this daemon's own directory,
// which Debian-exim can reach whatever the permissions of the build tree.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace ocspmx::mta_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct SendingOptions {
    fs::path ocspmx_program;  // the built `ocspmx`
    fs::path fragment;        // examples/exim/ocspmx-router-transport.conf
    std::string domain;       // routed to ocspmx; pinned to 127.0.0.1
    std::uint16_t next_hop_port = 25;
    std::string ocspmx_config;  // transport options, appended to anchors and port
    std::string macros;         // more "NAME = value" lines for the main section
};

class SendingExim {
public:
    explicit SendingExim(SendingOptions options);
    ~SendingExim();  // stop()
    SendingExim(const SendingExim&) = delete;
    SendingExim& operator=(const SendingExim&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] const fs::path& dir() const { return dir_.path(); }
    [[nodiscard]] fs::path config_path() const { return dir_ / "exim.conf"; }
    [[nodiscard]] std::string mainlog() const;
    [[nodiscard]] std::string paniclog() const;

    // `exim -C conf -bp`: the queue listing; empty when the queue is empty.
    [[nodiscard]] std::string queue() const;
    // `exim -C conf -qff`: one forced queue run, in the foreground.
    test::CommandResult force_queue_run() const;
    // Polls the mainlog until it contains text; false on timeout.
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout = 30s) const;
    // Polls until `-bp` lists nothing; false on timeout.
    bool wait_for_empty_queue(std::chrono::milliseconds timeout = 30s) const;

    // Kills the daemon's process group and reaps it.
    void stop();

private:
    void write_files();
    void start();

    SendingOptions options_;
    test::TempDir dir_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace ocspmx::mta_test
