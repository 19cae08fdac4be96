// Host-list parse + match (CONTRACT.md §3). Input: the list on the first
// line, then "NAME IP" queries, one per line (at most 16). The list is
// compiled with and without name resolution and matched against a fixed
// fake resolver, so no DNS and no clock are involved.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "ocspmx/hostlist.hpp"

namespace {

using namespace ocspmx;
using hostlist::LookupStatus;

class FakeResolver final : public hostlist::Resolver {
public:
    hostlist::AddressLookup lookup(std::string_view name) const override
    {
        if (name == "mx1.example.com") return {LookupStatus::ok, {"192.0.2.1", "2001:db8::1"}, {}};
        if (name == "mx2.example.com") return {LookupStatus::ok, {"192.0.2.2"}, {}};
        if (name == "again.example.com") return {LookupStatus::try_again, {}, "SERVFAIL"};
        if (name == "mail.local.test") return {LookupStatus::ok, {"127.0.0.1", "::1"}, {}};
        return {LookupStatus::not_found, {}, "NXDOMAIN"};
    }
    std::string primary_hostname() const override { return "mail.local.test"; }
    std::vector<std::string> local_addresses() const override
    {
        return {"127.0.0.1", "::1", "192.0.2.25"};
    }
};

const hostlist::NamedLists& named_lists()
{
    static const hostlist::NamedLists lists{
        {"relays", "192.0.2.0/24 : *.example.com"},
        {"v6", "<; 2001:db8::/32 ; ::1"},
        {"loop", "+loop"},  // a self-reference must be an error, not a stack overflow
        {"neg", "!mx1.example.com : *"},
    };
    return lists;
}

void match_all(const hostlist::HostList& list, std::string_view queries, const FakeResolver& r)
{
    for (int n = 0; n < 16 && !queries.empty(); ++n) {
        const auto nl = queries.find('\n');
        std::string_view line = queries.substr(0, nl);
        queries = nl == std::string_view::npos ? std::string_view{} : queries.substr(nl + 1);
        const auto sp = line.find(' ');
        const std::string_view name = line.substr(0, sp);
        const std::string_view ip = sp == std::string_view::npos ? std::string_view{}
                                                                 : line.substr(sp + 1);
        const auto first = list.match(name, ip, r);
        const auto again = list.match(name, ip, r);
        // A compiled list is immutable: the same question gets the same answer.
        FUZZ_CHECK(first.outcome == again.outcome && first.item == again.item, line);
        if (first.outcome == hostlist::Outcome::defer) FUZZ_CHECK(!first.reason.empty(), line);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto nl = input.find('\n');
    const std::string_view text = input.substr(0, nl);
    const std::string_view queries =
        nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    // Not added to the corpus; see fuzz_support.hpp.
    if (ocspmx::fuzz::touches_files(text)) return -1;

    static const FakeResolver resolver;
    for (const bool resolve : {true, false}) {
        hostlist::CompileOptions options;
        options.resolve_names = resolve;
        auto list = hostlist::HostList::compile(text, named_lists(), options);
        if (!list) {
            const std::string& message = list.error().message;
            FUZZ_CHECK(!message.empty(), text);
            FUZZ_CHECK(message.find('\n') == std::string::npos, message);  // one line
            continue;
        }
        match_all(*list, queries.empty() ? "mx1.example.com 192.0.2.1" : queries, resolver);
    }
    return 0;
}
