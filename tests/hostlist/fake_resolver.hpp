// A resolver with fixed answers, so host-list tests need no network.
#pragma once

#include <map>
#include <string>

#include "ocspmx/hostlist.hpp"

namespace ocspmx::test {

class FakeResolver final : public hostlist::Resolver {
public:
    FakeResolver()
    {
        using hostlist::LookupStatus;
        answers_["mx1.example.com"] = {LookupStatus::ok, {"192.0.2.1", "2001:db8::1"}, {}};
        answers_["mx2.example.com"] = {LookupStatus::ok, {"192.0.2.2"}, {}};
        answers_["mail.local.test"] = {LookupStatus::ok, {"192.0.2.25"}, {}};
        answers_["again.example.com"] = {LookupStatus::try_again, {}, "SERVFAIL"};
    }

    hostlist::AddressLookup lookup(std::string_view name) const override
    {
        ++lookups;
        const auto it = answers_.find(std::string(name));
        if (it == answers_.end()) return {hostlist::LookupStatus::not_found, {}, "NXDOMAIN"};
        return it->second;
    }
    std::string primary_hostname() const override { return "mail.local.test"; }
    std::vector<std::string> local_addresses() const override
    {
        return {"127.0.0.1", "::1", "192.0.2.25"};
    }

    mutable int lookups = 0;

private:
    std::map<std::string, hostlist::AddressLookup> answers_;
};

}  // namespace ocspmx::test
