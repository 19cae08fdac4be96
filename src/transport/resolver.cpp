#include "transport/resolver.hpp"

#include "util/text.hpp"

namespace ocspmx::transport {

bool PinnedResolver::pinned(std::string_view name) const
{
    return pins_.find(util::normalise_dns_name(name)) != pins_.end();
}

hostlist::AddressLookup PinnedResolver::lookup(std::string_view name) const
{
    if (auto it = pins_.find(util::normalise_dns_name(name)); it != pins_.end()) {
        return {hostlist::LookupStatus::ok, it->second, "pinned by --resolve"};
    }
    return base_->lookup(name);
}

std::string PinnedResolver::primary_hostname() const { return base_->primary_hostname(); }

std::vector<std::string> PinnedResolver::local_addresses() const
{
    return base_->local_addresses();
}

}  // namespace ocspmx::transport
