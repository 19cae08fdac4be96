// A hostlist::Resolver that answers pinned names (curl's --resolve
// convention) before asking the real resolver, so host lists, A/AAAA lookups
// and connections all see the same addresses.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ocspmx/hostlist.hpp"

namespace ocspmx::transport {

class PinnedResolver final : public hostlist::Resolver {
public:
    using Pins = std::map<std::string, std::vector<std::string>, std::less<>>;
    PinnedResolver(std::shared_ptr<const hostlist::Resolver> base, Pins pins)
        : base_(std::move(base)), pins_(std::move(pins))
    {
    }
    [[nodiscard]] hostlist::AddressLookup lookup(std::string_view name) const override;
    [[nodiscard]] std::string primary_hostname() const override;
    [[nodiscard]] std::vector<std::string> local_addresses() const override;
    [[nodiscard]] bool pinned(std::string_view name) const;

private:
    std::shared_ptr<const hostlist::Resolver> base_;
    Pins pins_;
};

}  // namespace ocspmx::transport
