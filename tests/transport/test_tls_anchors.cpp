// The anchor store (src/tls/anchors.hpp): loading only the anchors a chain
// names must give the verdict GnuTLS gives with the whole store loaded its
// own way. The oracle is gnutls_x509_trust_list_verify_crt2 over a list
// filled by gnutls_x509_trust_list_add_trust_file / _dir / _system_trust.
#include <gnutls/x509.h>

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "harness.hpp"
#include "tls/anchors.hpp"
#include "tls/context.hpp"
#include "tls/peer.hpp"
#include "tls_support.hpp"
#include "util/base64.hpp"

using namespace ocspmx::tls;

namespace {

using ocspmx::test::fixture;
using ocspmx::test::read_file;
using ocspmx::test::TempDir;
using ocspmx::test::write_file;

using ocspmx::tls::test::chain_of;
using ocspmx::tls::test::context_with;

// What GnuTLS says with the whole store loaded by GnuTLS.
bool gnutls_verifies(const std::string& anchors, const PeerChain& chain)
{
    gnutls_x509_trust_list_t raw = nullptr;
    REQUIRE(gnutls_x509_trust_list_init(&raw, 0) >= 0);
    TrustListPtr list(raw);
    int n = 0;
    if (anchors == "system")
        n = gnutls_x509_trust_list_add_system_trust(raw, 0, 0);
    else if (std::filesystem::is_directory(anchors))
        n = gnutls_x509_trust_list_add_trust_dir(raw, anchors.c_str(), nullptr, GNUTLS_X509_FMT_PEM,
                                                 0, 0);
    else
        n = gnutls_x509_trust_list_add_trust_file(raw, anchors.c_str(), nullptr,
                                                  GNUTLS_X509_FMT_PEM, 0, 0);
    REQUIRE(n > 0);
    std::vector<gnutls_x509_crt_t> certs = chain.handles();
    static char server_auth[] = GNUTLS_KP_TLS_WWW_SERVER;
    gnutls_typed_vdata_st purpose{GNUTLS_DT_KEY_PURPOSE_OID,
                                  reinterpret_cast<unsigned char*>(server_auth), 0};
    unsigned status = 0;
    REQUIRE(gnutls_x509_trust_list_verify_crt2(raw, certs.data(),
                                               static_cast<unsigned>(certs.size()), &purpose, 1, 0,
                                               &status, nullptr) >= 0);
    return status == 0;
}

}  // namespace

TEST_CASE("anchors: the system store is the file this build indexes", "[tls][anchors]")
{
    const std::string file = AnchorStore::system_trust_file();
    if (file.empty() || !std::filesystem::is_regular_file(file)) {
        SKIP("no system trust file on this machine: 'system' is left to GnuTLS");
    }
    // Same count as GnuTLS's own loader: the assumption that GnuTLS's
    // system trust is exactly this file holds here.
    gnutls_x509_trust_list_t raw = nullptr;
    REQUIRE(gnutls_x509_trust_list_init(&raw, 0) >= 0);
    TrustListPtr list(raw);
    const int gnutls_count = gnutls_x509_trust_list_add_system_trust(raw, 0, 0);
    auto store = AnchorStore::open("system", std::nullopt);
    REQUIRE(store.ok());
    CHECK((*store)->indexed() == static_cast<std::size_t>(gnutls_count));
    CHECK(gnutls_count > 50);
}

TEST_CASE("anchors: every chain against every store gets GnuTLS's verdict", "[tls][anchors]")
{
    TempDir dir;
    // A system-sized bundle with the test root in the middle, and a
    // directory with one anchor per file plus files that are not anchors.
    const std::string system_file = AnchorStore::system_trust_file();
    std::string system_pem;
    if (!system_file.empty() && std::filesystem::is_regular_file(system_file))
        system_pem = read_file(system_file);
    const std::size_t cut = system_pem.find("-----BEGIN CERTIFICATE", system_pem.size() / 2);
    const std::string half = system_pem.substr(0, cut == std::string::npos ? 0 : cut);
    const std::string rest = system_pem.substr(half.size());
    write_file(dir / "bundle.pem", half + read_file(fixture("pki/root-ca.pem")) + rest);
    std::filesystem::create_directory(dir / "d");
    write_file(dir / "d" / "root.pem", read_file(fixture("pki/root-ca.pem")));
    write_file(dir / "d" / "foreign.pem", read_file(fixture("pki/foreign-ca.pem")));
    write_file(dir / "d" / "notes.txt", "not a certificate\n");
    write_file(dir / "d" / "key.pem", read_file(fixture("pki/leaf.key")));
    write_file(dir / "intermediate-only.pem", read_file(fixture("pki/intermediate-ca.pem")));

    const std::vector<std::string> stores = {
        fixture("pki/anchors.pem"),        fixture("pki/root-ca.pem"),
        fixture("pki/foreign-ca.pem"),     fixture("pki"),
        (dir / "bundle.pem").string(),     (dir / "d").string(),
        (dir / "intermediate-only.pem").string(), "system"};
    const std::vector<std::vector<std::string>> chains = {
        {"pki/leaf-chain.pem"},
        {"pki/ec-leaf-chain.pem"},
        {"pki/leaf.pem"},                        // intermediate missing
        {"pki/leaf.pem", "pki/ec-intermediate-ca.pem"},  // wrong intermediate
        {"pki/leaf-chain.pem", "pki/root-ca.pem"},       // root sent too
        {"pki/intermediate-ca.pem", "pki/leaf.pem"},     // out of order
        {"pki/foreign-responder.pem"},
    };
    int verified = 0;
    for (const auto& store : stores) {
        const Context ctx = context_with(store);
        for (const auto& files : chains) {
            PeerChain chain;
            for (const auto& f : files) {
                PeerChain part = chain_of({f});
                for (auto& c : part.certs) chain.certs.push_back(std::move(c));
            }
            INFO(store << " / " << files.front() << " (" << files.size() << " files)");
            const bool expected = gnutls_verifies(store, chain);
            CHECK(verify_chain(ctx, chain).verified == expected);
            verified += expected;
        }
    }
    CHECK(verified > 10);  // the table exercises both outcomes
}

TEST_CASE("anchors: a chain gets a list of just the anchors it names, built once", "[tls][anchors]")
{
    TempDir dir;
    std::string pem;
    for (const char* f : {"pki/foreign-ca.pem", "pki/root-ca.pem", "pki/ec-intermediate-ca.pem"})
        pem += read_file(fixture(f));
    write_file(dir / "three.pem", pem);
    auto store = AnchorStore::open((dir / "three.pem").string(), std::nullopt);
    REQUIRE(store.ok());
    CHECK((*store)->indexed() == 3);

    const PeerChain chain = chain_of({"pki/leaf-chain.pem"});
    auto first = (*store)->for_chain(chain.handles());
    REQUIRE(first.ok());
    CHECK_FALSE(first->complete);  // the foreign CA and the EC intermediate are left out
    auto again = (*store)->for_chain(chain.handles());
    REQUIRE(again.ok());
    CHECK(again->list == first->list);
    // The root is in the partial list: the intermediate's issuer is found.
    gnutls_x509_crt_t issuer = nullptr;
    REQUIRE(gnutls_x509_trust_list_get_issuer(first->list.get(), chain.certs[1].get(), &issuer,
                                              GNUTLS_TL_GET_COPY) >= 0);
    CrtPtr held(issuer);
    CHECK(gnutls_x509_crt_equals(issuer, load_pem_certificates(fixture("pki/root-ca.pem"))
                                             ->front()
                                             .get()));
    // A chain naming no anchor gets an empty list (not complete: all()
    // decides), another chain another list.
    auto none = (*store)->for_chain(chain_of({"pki/leaf.pem"}).handles());
    REQUIRE(none.ok());
    CHECK_FALSE(none->complete);
    CHECK(none->list != first->list);
}

TEST_CASE("anchors: bad anchor files are configuration errors naming the file", "[tls][anchors]")
{
    TempDir dir;
    const std::string good = read_file(fixture("pki/root-ca.pem"));
    write_file(dir / "empty.pem", "# no certificates here\n");
    write_file(dir / "base64.pem",
               good + "-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n");
    // Valid base64 of something that is not a certificate.
    write_file(dir / "notcert.pem",
               "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n" + good);
    struct Row {
        const char* file;
        const char* says;
    };
    const Row rows[] = {
        {"empty.pem", "no PEM certificate in the file"},
        {"base64.pem", "certificate 2: bad base64"},
        {"notcert.pem", "certificate 1: not a DER X.509 certificate"},
        {"missing.pem", "no such file or directory"},
    };
    for (const Row& row : rows) {
        ContextOptions options;
        options.verify_certificates = (dir / row.file).string();
        const auto ctx = Context::open(options);
        REQUIRE_FALSE(ctx.ok());
        INFO(ctx.error().message);
        CHECK(ctx.error().message.find("tls_verify_certificates " + (dir / row.file).string()) !=
              std::string::npos);
        CHECK(ctx.error().message.find(row.says) != std::string::npos);
    }
    // In a directory a bad file is skipped, as GnuTLS's loader skips it.
    std::filesystem::create_directory(dir / "d");
    write_file(dir / "d" / "bad.pem", read_file(dir / "base64.pem").substr(good.size()));
    write_file(dir / "d" / "root.pem", good);
    CHECK(verify_chain(context_with((dir / "d").string()), chain_of({"pki/leaf-chain.pem"}))
              .verified);
}

TEST_CASE("util::base64_decode: PEM bodies as GnuTLS decodes them, and malformed input",
          "[anchors][base64]")
{
    using ocspmx::util::base64_decode;
    auto text = [](std::string_view s) {
        auto out = base64_decode(s);
        REQUIRE(out.has_value());
        return std::string(out->begin(), out->end());
    };
    CHECK(text("") == "");
    CHECK(text("TWFu") == "Man");
    CHECK(text("TWE=") == "Ma");
    CHECK(text("TQ==") == "M");
    CHECK(text("TW\r\nFu IA\t==\n") == "Man ");
    for (const char* bad : {"TWF", "T===", "TQ=", "TQ==TWFu", "TW=u", "TWF!", "=TWF", "TQ===",
                            "TWFuT"}) {
        INFO(bad);
        CHECK_FALSE(base64_decode(bad).has_value());
    }

    // Every certificate of the system bundle and of the fixture PKI, against
    // GnuTLS's PEM decoder.
    std::string pem = read_file(fixture("pki/anchors.pem")) + read_file(fixture("pki/leaf-chain.pem"));
    const std::string system_file = AnchorStore::system_trust_file();
    if (!system_file.empty() && std::filesystem::is_regular_file(system_file))
        pem += read_file(system_file);
    std::size_t pos = 0;
    int compared = 0;
    while ((pos = pem.find("-----BEGIN CERTIFICATE-----", pos)) != std::string::npos) {
        const std::size_t body = pem.find('\n', pos) + 1;
        const std::size_t end = pem.find("-----END CERTIFICATE-----", body);
        REQUIRE(end != std::string::npos);
        const std::size_t stop = pem.find('\n', end);
        const gnutls_datum_t block{reinterpret_cast<unsigned char*>(pem.data() + pos),
                                   static_cast<unsigned>(stop - pos)};
        OwnedDatum expected;
        REQUIRE(gnutls_pem_base64_decode2("CERTIFICATE", &block, expected.out()) >= 0);
        auto ours = base64_decode(std::string_view(pem).substr(body, end - body));
        REQUIRE(ours.has_value());
        CHECK(std::equal(ours->begin(), ours->end(), expected.get().data,
                         expected.get().data + expected.get().size));
        CHECK(ours->size() == expected.get().size);
        ++compared;
        pos = stop;
    }
    CHECK(compared >= 3);
}
