#include "transport/resolver.hpp"

#include <algorithm>
#include <cctype>

namespace ocspmx::transport {

namespace {

// DNS names compare case-insensitively (RFC 4343).
std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (out.size() > 1 && out.back() == '.') out.pop_back();
    return out;
}

}  // namespace

bool PinnedResolver::pinned(std::string_view name) const
{
    return pins_.find(lower(name)) != pins_.end();
}

hostlist::AddressLookup PinnedResolver::lookup(std::string_view name) const
{
    if (auto it = pins_.find(lower(name)); it != pins_.end()) {
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
