// A net::Stream that plays a script: what the client must write, what the
// "server" answers, and when it times out or closes. No sockets, no clock.
#pragma once

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "net/stream.hpp"

namespace ocspmx::test {

struct Io {
    enum Kind { client, server, timeout, closed, write_timeout } kind;
    std::string text;
};

inline Io C(std::string line) { return {Io::client, line + "\r\n"}; }  // client sends
inline Io S(std::string line) { return {Io::server, line + "\r\n"}; }  // server answers
inline Io Raw(std::string bytes) { return {Io::server, std::move(bytes)}; }
inline Io Timeout() { return {Io::timeout, {}}; }
inline Io Closed() { return {Io::closed, {}}; }
inline Io WriteTimeout() { return {Io::write_timeout, {}}; }

class ScriptedStream final : public net::Stream {
public:
    explicit ScriptedStream(std::vector<Io> script, std::size_t max_read = 4096)
        : script_(script.begin(), script.end()), max_read_(max_read)
    {
    }

    Result<std::size_t> read_some(std::span<char> buf, net::Clock::time_point deadline) override
    {
        read_budgets.push_back(deadline - net::Clock::now());
        check_writes_done("read");
        if (script_.empty()) return mismatch("read past the end of the script");
        Io& next = script_.front();
        if (next.kind == Io::timeout) return pop_error("timeout");
        if (next.kind == Io::closed) {
            script_.pop_front();
            return std::size_t{0};
        }
        if (next.kind != Io::server)
            return mismatch("client read while the script expects a write");
        const std::size_t n = std::min({buf.size(), next.text.size(), max_read_});
        std::copy_n(next.text.data(), n, buf.data());
        next.text.erase(0, n);
        served_ += n;
        if (next.text.empty()) script_.pop_front();
        return n;
    }

    Result<void> write_all(std::span<const char> data, net::Clock::time_point deadline) override
    {
        write_budgets.push_back(deadline - net::Clock::now());
        if (!script_.empty() && script_.front().kind == Io::write_timeout) {
            script_.pop_front();
            return make_error("timeout");
        }
        written_.append(data.data(), data.size());
        pending_.append(data.data(), data.size());
        ++writes_;
        while (!script_.empty() && script_.front().kind == Io::client &&
               pending_.starts_with(script_.front().text)) {
            pending_.erase(0, script_.front().text.size());
            script_.pop_front();
        }
        return {};
    }

    // Time left before the deadline at each call, to check which timeout applies.
    std::vector<net::Clock::duration> read_budgets;
    std::vector<net::Clock::duration> write_budgets;

    // Everything the client wrote, in order.
    const std::string& written() const { return written_; }
    std::size_t writes() const { return writes_; }
    std::size_t served() const { return served_; }
    const std::vector<std::string>& errors() const { return errors_; }
    // True when every step was played and every write matched.
    bool finished()
    {
        check_writes_done("end");
        return script_.empty() && errors_.empty();
    }
    std::size_t remaining() const { return script_.size(); }

private:
    void check_writes_done(const char* when)
    {
        if (pending_.empty()) return;
        std::string expected = "nothing";
        if (!script_.empty() && script_.front().kind == Io::client) expected = script_.front().text;
        errors_.push_back(std::string(when) + ": unexpected write \"" + pending_ +
                          "\", expected \"" + expected + "\"");
        pending_.clear();
    }
    Result<std::size_t> pop_error(std::string message)
    {
        script_.pop_front();
        return make_error(std::move(message));
    }
    Result<std::size_t> mismatch(std::string message)
    {
        errors_.push_back(message);
        return make_error("script: " + message);
    }

    std::deque<Io> script_;
    std::size_t max_read_;
    std::string written_;
    std::string pending_;
    std::size_t writes_ = 0;
    std::size_t served_ = 0;
    std::vector<std::string> errors_;
};

}  // namespace ocspmx::test
