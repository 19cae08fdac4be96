#include "tls/anchors.hpp"

#include <algorithm>
#include <filesystem>

#include "ocsp/der.hpp"
#include "tls/errors.hpp"
#include "tls/handles.hpp"
#include "util/base64.hpp"
#include "util/file.hpp"

#ifndef OCSPMX_SYSTEM_TRUST_FILE
#define OCSPMX_SYSTEM_TRUST_FILE ""
#endif

namespace ocspmx::tls {

namespace {

namespace der = ocsp::der;
namespace fs = std::filesystem;

struct Parsed {
    std::vector<std::uint8_t> der;
    std::string subject;
};

// The certificates of a PEM text, as GnuTLS's importer frames them:
// "-----BEGIN CERTIFICATE" or "-----BEGIN X509 CERTIFICATE" blocks, other
// blocks (keys, CRLs, "TRUSTED CERTIFICATE") ignored. The error names the
// block (1-based) that is not a certificate.
Result<std::vector<Parsed>> parse_pem(const std::string& text)
{
    std::vector<Parsed> out;
    static constexpr std::string_view labels[] = {"CERTIFICATE", "X509 CERTIFICATE"};
    std::size_t pos = 0;
    for (;;) {
        const std::size_t begin = text.find("-----BEGIN ", pos);
        if (begin == std::string::npos) break;
        const std::size_t label_at = begin + 11;
        const std::size_t label_end = text.find("-----", label_at);
        if (label_end == std::string::npos) break;
        const std::string label = text.substr(label_at, label_end - label_at);
        const std::size_t end = text.find("-----END ", label_end);
        if (end == std::string::npos) break;
        std::size_t block_end = text.find('\n', end);
        block_end = block_end == std::string::npos ? text.size() : block_end + 1;
        pos = block_end;
        if (std::ranges::find(labels, std::string_view(label)) == std::end(labels)) continue;

        const std::size_t number = out.size() + 1;
        const std::size_t body = text.find('\n', label_end);
        if (body == std::string::npos || body > end)
            return make_error("certificate " + std::to_string(number) + ": bad base64");
        auto decoded = util::base64_decode(std::string_view(text).substr(body, end - body));
        if (!decoded) return make_error("certificate " + std::to_string(number) + ": bad base64");
        auto layout = der::certificate_layout(*decoded);
        if (!layout)
            return make_error("certificate " + std::to_string(number) +
                              ": not a DER X.509 certificate");
        std::string subject(layout->subject.begin(), layout->subject.end());
        out.push_back({std::move(*decoded), std::move(subject)});
    }
    return out;
}

AnchorStore::ListRef new_list()
{
    gnutls_x509_trust_list_t raw = nullptr;
    if (gnutls_x509_trust_list_init(&raw, 0) < 0) return nullptr;
    return AnchorStore::ListRef(raw, free_trust_list);
}

// A name of a chain certificate, as GnuTLS compares it.
std::string raw_name(gnutls_x509_crt_t crt, bool issuer)
{
    OwnedDatum dn;
    const int rc = issuer ? gnutls_x509_crt_get_raw_issuer_dn(crt, dn.out())
                          : gnutls_x509_crt_get_raw_dn(crt, dn.out());
    if (rc < 0) return {};
    return std::string(reinterpret_cast<const char*>(dn.get().data), dn.get().size);
}

}  // namespace

std::string AnchorStore::system_trust_file() { return OCSPMX_SYSTEM_TRUST_FILE; }

Result<std::unique_ptr<AnchorStore>> AnchorStore::open(const std::string& where,
                                                      const std::optional<std::string>& crl)
{
    std::unique_ptr<AnchorStore> store(new AnchorStore);
    store->where_ = where;
    const std::string context = "tls_verify_certificates " + where;

    auto index = [&](const std::string& path, bool skip_bad) -> Result<std::size_t> {
        auto text = util::read_file(path);
        if (!text) return make_error("cannot read " + path);
        auto parsed = parse_pem(*text);
        if (!parsed) {
            if (skip_bad) return std::size_t{0};  // as GnuTLS skips a bad file in a directory
            return parsed.error();
        }
        for (Parsed& p : *parsed) {
            const auto id = static_cast<std::uint32_t>(store->anchors_.size());
            store->by_subject_.emplace(std::move(p.subject), id);
            store->anchors_.push_back({std::move(p.der)});
        }
        return parsed->size();
    };

    std::error_code ec;
    if (where == "system") {
        store->source_ = "system";
        const std::string file = system_trust_file();
        if (!file.empty() && fs::is_regular_file(file, ec)) {
            if (auto n = index(file, false); !n) return n.error().with_context(context);
        }
    } else if (fs::is_directory(where, ec)) {
        store->source_ = where;
        store->directory_ = true;
        for (const auto& entry : fs::directory_iterator(where, ec)) {
            if (!entry.is_regular_file(ec)) continue;  // follows symlinks, as GnuTLS opens them
            (void)index(entry.path().string(), true);
        }
    } else if (fs::is_regular_file(where, ec)) {
        store->source_ = where;
        auto n = index(where, false);
        if (!n) return n.error().with_context(context);
        if (*n == 0) return make_error(context + ": no PEM certificate in the file");
    } else {
        return make_error(context + ": no such file or directory");
    }

    if (crl) {
        if (!fs::is_regular_file(*crl, ec)) return make_error("tls_crl " + *crl + ": no such file");
        auto text = util::read_file(*crl);
        if (!text) return make_error("tls_crl " + *crl + ": cannot read file");
        store->crl_pem_ = std::move(*text);
        store->crl_path_ = crl;
        // Checked now, so a bad file is a configuration error, not a
        // verification failure later.
        ListRef probe = new_list();
        if (!probe) return make_error("trust list: out of memory");
        if (auto added = store->add_crls(probe.get()); !added) return added.error();
    }
    return store;
}

Result<AnchorStore::Selection> AnchorStore::for_chain(
    std::span<const gnutls_x509_crt_t> chain) const
{
    if (anchors_.empty()) {
        auto list = all();
        if (!list) return list.error();
        return Selection{*list, true};
    }
    std::vector<std::uint32_t> picked;
    for (gnutls_x509_crt_t crt : chain) {
        for (bool issuer : {true, false}) {
            const auto [first, last] = by_subject_.equal_range(raw_name(crt, issuer));
            for (auto it = first; it != last; ++it) picked.push_back(it->second);
        }
    }
    std::ranges::sort(picked);
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    // In a directory, files our reader skipped might still be GnuTLS's
    // anchors: never call a selection there complete.
    const bool complete = !directory_ && picked.size() == anchors_.size();

    std::lock_guard lock(mutex_);
    if (auto it = lists_.find(picked); it != lists_.end()) return Selection{it->second, complete};
    auto list = build(picked);
    if (!list) return list.error();
    // Bounded: one list per set of issuing CAs seen. Callers hold their own
    // reference, so dropping the map never frees a list in use.
    if (lists_.size() >= 64) lists_.clear();
    lists_.emplace(std::move(picked), *list);
    return Selection{*list, complete};
}

Result<bool> AnchorStore::attempt_with(
    std::span<const gnutls_x509_crt_t> chain,
    const std::function<bool(gnutls_x509_trust_list_t)>& attempt) const
{
    auto selected = for_chain(chain);
    if (!selected) return selected.error();
    if (attempt(selected->list.get())) return true;
    if (selected->complete) return false;
    auto whole = all();
    if (!whole) return whole.error();
    return attempt(whole->get());
}

Result<AnchorStore::ListRef> AnchorStore::build(const std::vector<std::uint32_t>& picked) const
{
    ListRef list = new_list();
    if (!list) return make_error("trust list: out of memory");
    std::vector<gnutls_x509_crt_t> certs;
    for (std::uint32_t id : picked) {
        gnutls_x509_crt_t crt = nullptr;
        if (gnutls_x509_crt_init(&crt) < 0) continue;
        const gnutls_datum_t d{const_cast<unsigned char*>(anchors_[id].der.data()),
                               static_cast<unsigned>(anchors_[id].der.size())};
        // One GnuTLS cannot read is left out here; all() then reports it the
        // way GnuTLS's own loader does.
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crt_deinit(crt);
            continue;
        }
        certs.push_back(crt);
    }
    // The list owns the certificates from here (freed with it).
    if (!certs.empty()) {
        const int n = gnutls_x509_trust_list_add_cas(list.get(), certs.data(),
                                                     static_cast<unsigned>(certs.size()), 0);
        if (n < 0) {
            for (gnutls_x509_crt_t c : certs) gnutls_x509_crt_deinit(c);
            return tls_error("tls_verify_certificates " + where_, n);
        }
    }
    if (auto added = add_crls(list.get()); !added) return added.error();
    return list;
}

Result<void> AnchorStore::add_crls(gnutls_x509_trust_list_t list) const
{
    if (!crl_path_) return {};
    // Without GNUTLS_TL_VERIFY_CRL, as GnuTLS's own
    // gnutls_certificate_set_x509_crl_file (Exim's tls_crl) does: that flag
    // would drop every CRL not signed by an anchor itself, i.e. the usual
    // intermediate-issued ones. The file is local configuration and a CRL
    // can only make verification stricter.
    const gnutls_datum_t d{reinterpret_cast<unsigned char*>(const_cast<char*>(crl_pem_.data())),
                           static_cast<unsigned>(crl_pem_.size())};
    const int n = gnutls_x509_trust_list_add_trust_mem(list, nullptr, &d, GNUTLS_X509_FMT_PEM, 0, 0);
    if (n < 0) return tls_error("tls_crl " + *crl_path_, n);
    return {};
}

Result<AnchorStore::ListRef> AnchorStore::all() const
{
    std::lock_guard lock(mutex_);
    if (all_) return all_;
    auto list = load_all();
    if (!list) return list.error();
    all_ = *list;
    return all_;
}

Result<AnchorStore::ListRef> AnchorStore::load_all() const
{
    ListRef list = new_list();
    if (!list) return make_error("trust list: out of memory");
    const std::string context = "tls_verify_certificates " + where_;
    std::error_code ec;
    int n = 0;
    if (source_ == "system") {
        n = gnutls_x509_trust_list_add_system_trust(list.get(), 0, 0);
    } else if (fs::is_directory(source_, ec)) {
        n = gnutls_x509_trust_list_add_trust_dir(list.get(), source_.c_str(), nullptr,
                                                 GNUTLS_X509_FMT_PEM, 0, 0);
    } else {
        n = gnutls_x509_trust_list_add_trust_file(list.get(), source_.c_str(), nullptr,
                                                  GNUTLS_X509_FMT_PEM, 0, 0);
    }
    if (n < 0) return tls_error(context, n);
    if (auto added = add_crls(list.get()); !added) return added.error();
    return list;
}

}  // namespace ocspmx::tls
