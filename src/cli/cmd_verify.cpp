// `ocspmx verify`: one OCSP response judged by CONTRACT.md §4, offline.
//
//   ocspmx verify --response DER --cert PEM --issuer PEM [--anchors PEM]
//                 [--at TIME] [--json] [--config FILE] [--ocsp-... VALUE]
//
// Rules 2-6 are ocsp::verify's; with --anchors this command also applies
// rule 1 (cert and issuer chain to the anchors, at --at). The transport
// options ocsp_clock_skew, ocsp_max_age and ocsp_trusted_responders apply
// as flags or from --config (CONTRACT §2: every option is also a flag).
//
// Exit: 0 verified; 75 (EX_TEMPFAIL) any failed verdict, as every OCSP
// policy failure is a deferral (§5); 65 (EX_DATAERR) an unreadable
// response, certificate or anchors file; 64 bad command line; 78 bad
// option value.
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "ocsp/handles.hpp"
#include "ocsp/text.hpp"
#include "ocspmx/ocsp.hpp"
#include "util/file.hpp"

namespace ocspmx::cli {

namespace {

using ocsp::detail::CrtPtr;

constexpr std::array<FlagSpec, 7> verify_flags{{
    {"response"},
    {"cert"},
    {"issuer"},
    {"anchors"},
    {"at"},
    {"json", false},
    {"config"},
}};

struct TrustListDeleter {
    void operator()(gnutls_x509_trust_list_t p) const noexcept
    {
        gnutls_x509_trust_list_deinit(p, 1);
    }
};
using TrustListPtr = std::unique_ptr<gnutls_x509_trust_list_st, TrustListDeleter>;

Result<std::vector<std::uint8_t>> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot read");
    auto text = util::read_all(in);
    if (!text) return make_error(path + ": read error");
    return std::vector<std::uint8_t>(text->begin(), text->end());
}

// Every certificate in a PEM (or single DER) file, in file order.
Result<std::vector<CrtPtr>> read_certs(const std::string& path)
{
    auto bytes = read_file(path);
    if (!bytes) return std::move(bytes).error();
    const gnutls_datum_t d = ocsp::detail::borrowed_datum(*bytes);
    gnutls_x509_crt_t* list = nullptr;
    unsigned n = 0;
    int rc = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0) rc = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_DER, 0);
    if (rc < 0 || n == 0)
        return make_error(path + ": no certificate (" + gnutls_strerror(rc < 0 ? rc : 0) + ")");
    std::vector<CrtPtr> out;
    for (unsigned i = 0; i < n; ++i) out.emplace_back(list[i]);
    gnutls_free(list);
    return out;
}

// Rule 1 for the command: cert (+ extra certs in its file) and issuer
// chain to an anchor; validity periods checked at `at`, not the wall clock.
std::optional<std::string> chain_problem(const std::vector<CrtPtr>& certs, gnutls_x509_crt_t issuer,
                                         std::vector<CrtPtr> anchors, ocsp::TimePoint at)
{
    gnutls_x509_trust_list_t raw = nullptr;
    if (gnutls_x509_trust_list_init(&raw, 0) < 0) return "cannot create a trust list";
    TrustListPtr list(raw);
    // The trust list takes ownership of the anchors (deinit(list, 1)).
    std::vector<gnutls_x509_crt_t> cas;
    for (CrtPtr& a : anchors) cas.push_back(a.release());
    if (gnutls_x509_trust_list_add_cas(list.get(), cas.data(), cas.size(), 0) < 0)
        return "cannot load the anchors";

    std::vector<gnutls_x509_crt_t> chain;
    for (const CrtPtr& c : certs) chain.push_back(c.get());
    if (!gnutls_x509_crt_equals(chain.back(), issuer)) chain.push_back(issuer);
    unsigned status = 0;
    const unsigned flags =
        GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;
    if (gnutls_x509_trust_list_verify_crt2(list.get(), chain.data(), chain.size(), nullptr, 0,
                                           flags, &status, nullptr) < 0)
        return "chain verification error";
    if (status != 0) {
        gnutls_datum_t text{nullptr, 0};
        std::string why = "does not chain to the anchors";
        if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0) {
            why = reinterpret_cast<const char*>(text.data);
            gnutls_free(text.data);
            while (!why.empty() && why.back() == ' ') why.pop_back();
        }
        return why;
    }
    for (gnutls_x509_crt_t c : chain) {
        const auto from =
            std::chrono::system_clock::from_time_t(gnutls_x509_crt_get_activation_time(c));
        const auto to =
            std::chrono::system_clock::from_time_t(gnutls_x509_crt_get_expiration_time(c));
        if (at < from || at > to)
            return "'" + ocsp::subject(c) + "' is valid " + ocsp::iso8601(from) + " to " +
                   ocsp::iso8601(to);
    }
    return std::nullopt;
}

std::string json_string(std::string_view s)
{
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string json_time(const std::optional<ocsp::TimePoint>& t)
{
    return t ? json_string(ocsp::iso8601(*t)) : "null";
}

void print_json(const ocsp::Verdict& v, ocsp::TimePoint at)
{
    std::string out = "{\"status\": " + json_string(ocsp::to_string(v.state));
    out += ", \"reason\": " + (v.verified() ? "null" : json_string(ocsp::to_string(v.reason)));
    out += ", \"detail\": " + json_string(v.detail);
    out += ", \"at\": " + json_string(ocsp::iso8601(at));
    out += ", \"cert_status\": " +
           (v.cert_status ? json_string(ocsp::to_string(*v.cert_status)) : "null");
    out += ", \"revocation_time\": " + json_time(v.revocation_time);
    out += ", \"revocation_reason\": " +
           (v.revocation_reason ? json_string(ocsp::to_string(*v.revocation_reason)) : "null");
    out += ", \"this_update\": " + json_time(v.this_update);
    out += ", \"next_update\": " + json_time(v.next_update);
    out += ", \"produced_at\": " + json_time(v.produced_at);
    out += ", \"responder\": " + (v.responder.empty() ? "null" : json_string(v.responder));
    out +=
        ", \"single_response\": " + (v.matched_index ? std::to_string(*v.matched_index) : "null");
    out += "}\n";
    std::fputs(out.c_str(), stdout);
}

void print_text(const ocsp::Verdict& v, ocsp::TimePoint at)
{
    auto line = [](const char* key, const std::string& value) {
        std::printf("%-18s %s\n", key, value.c_str());
    };
    line("ocsp:", ocsp::to_string(v.state));
    if (!v.verified())
        line("reason:", std::string(ocsp::to_string(v.reason)) +
                            (v.detail.empty() ? "" : " (" + v.detail + ")"));
    line("at:", ocsp::iso8601(at));
    if (v.cert_status) line("cert status:", ocsp::to_string(*v.cert_status));
    if (v.revocation_time) line("revocation time:", ocsp::iso8601(*v.revocation_time));
    if (v.revocation_reason) line("revocation reason:", ocsp::to_string(*v.revocation_reason));
    if (v.this_update) line("this update:", ocsp::iso8601(*v.this_update));
    if (v.this_update)
        line("next update:", v.next_update ? ocsp::iso8601(*v.next_update) : "(none)");
    if (v.produced_at) line("produced at:", ocsp::iso8601(*v.produced_at));
    if (!v.responder.empty()) line("responder:", v.responder);
    if (v.matched_index) line("single response:", std::to_string(*v.matched_index));
}

int data_error(const Error& e)
{
    std::fprintf(stderr, "ocspmx verify: %s\n", e.message.c_str());
    return exit_dataerr;
}

}  // namespace

int cmd_verify(std::span<char* const> args)
{
    auto parsed = parse_args(args, verify_flags, true);
    if (!parsed) {
        std::fprintf(stderr, "ocspmx verify: %s\n", parsed.error().message.c_str());
        return exit_usage;
    }
    for (const char* required : {"response", "cert", "issuer"}) {
        if (!parsed->has(required)) {
            std::fprintf(stderr, "ocspmx verify: --%s is required\n", required);
            return exit_usage;
        }
    }
    if (!parsed->positional.empty()) {
        std::fprintf(stderr, "ocspmx verify: unexpected argument '%s'\n",
                     parsed->positional[0].c_str());
        return exit_usage;
    }
    auto config = load_config(*parsed);
    if (!config) {
        std::fprintf(stderr, "ocspmx verify: %s\n", config.error().message.c_str());
        return exit_config;
    }
    const Options& options = config->options;

    ocsp::TimePoint at =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (auto text = parsed->get("at")) {
        auto t = ocsp::parse_time(*text);
        if (!t) {
            std::fprintf(
                stderr,
                "ocspmx verify: --at '%s': not ISO 8601 (2026-06-01T12:00:00Z) or unix seconds\n",
                text->c_str());
            return exit_usage;
        }
        at = *t;
    }

    auto response = read_file(*parsed->get("response"));
    if (!response) return data_error(response.error());
    auto certs = read_certs(*parsed->get("cert"));
    if (!certs) return data_error(certs.error());
    auto issuers = read_certs(*parsed->get("issuer"));
    if (!issuers) return data_error(issuers.error());
    std::vector<CrtPtr> trusted;
    if (options.ocsp_trusted_responders) {
        auto loaded = read_certs(*options.ocsp_trusted_responders);
        if (!loaded) return data_error(loaded.error());
        trusted = std::move(*loaded);
    }
    std::vector<gnutls_x509_crt_t> trusted_list;
    for (const CrtPtr& t : trusted) trusted_list.push_back(t.get());

    ocsp::Verdict verdict;
    std::optional<std::string> chain_error;
    if (auto anchors_path = parsed->get("anchors")) {
        auto anchors = read_certs(*anchors_path);
        if (!anchors) return data_error(anchors.error());
        chain_error = chain_problem(*certs, issuers->front().get(), std::move(*anchors), at);
    }
    if (chain_error) {
        verdict.state = ocsp::State::failed;
        verdict.reason = ocsp::Reason::chain_not_verified;
        verdict.detail = *chain_error;
    } else {
        ocsp::Input in;
        in.response = *response;
        in.cert = certs->front().get();
        in.issuer = issuers->front().get();
        in.trusted_responders = trusted_list;
        in.now = at;
        in.clock_skew = options.ocsp_clock_skew;
        in.max_age = options.ocsp_max_age;
        verdict = ocsp::verify(in);
    }

    if (parsed->has("json"))
        print_json(verdict, at);
    else
        print_text(verdict, at);
    return verdict.verified() ? exit_ok : exit_tempfail;
}

}  // namespace ocspmx::cli
