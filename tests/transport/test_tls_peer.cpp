// The TLS layer's certificate checks on the fixture PKI (no network): the
// trust context, chain verification (CONTRACT §4 rule 1) including the
// server purpose (RFC 5280 §4.2.1.12), the name check, issuer lookup for
// OCSP, must-staple detection.
#include <catch2/catch_test_macros.hpp>
#include <string>

#include "harness.hpp"
#include "tls/context.hpp"
#include "tls/peer.hpp"
#include "tls_support.hpp"

using namespace ocspmx::tls;

namespace {

using ocspmx::test::fixture;
using ocspmx::test::TempDir;

using ocspmx::tls::test::chain_of;
using ocspmx::tls::test::context_with;

}  // namespace

TEST_CASE("tls: chain verification against the configured anchors", "[tls]")
{
    const PeerChain chain = chain_of({"pki/leaf-chain.pem"});
    CHECK(verify_chain(context_with(fixture("pki/anchors.pem")), chain).verified);
    CHECK(verify_chain(context_with(fixture("pki")), chain).verified);  // a directory
    const ChainCheck foreign = verify_chain(context_with(fixture("pki/foreign-ca.pem")), chain);
    CHECK_FALSE(foreign.verified);
    CHECK_FALSE(foreign.reason.empty());
    // The leaf alone: the intermediate is missing.
    CHECK_FALSE(verify_chain(context_with(fixture("pki/anchors.pem")), chain_of({"pki/leaf.pem"}))
                    .verified);
}

namespace {

// Issues DIR/NAME.pem with openssl (key KEY, signed by CA/CA_KEY) carrying
// the extensions EXT; returns its path.
std::string issue(const TempDir& dir, const std::string& name, const std::string& key,
                  const std::string& ca, const std::string& ca_key, const std::string& ext)
{
    using ocspmx::test::run_command;
    using ocspmx::test::write_file;
    const std::string base = (dir / name).string();
    write_file(base + ".cnf", ext);
    const auto csr = run_command(
        {"openssl", "req", "-new", "-key", key, "-subj", "/CN=" + name, "-out", base + ".csr"});
    REQUIRE(csr.exit_status == 0);
    const auto crt = run_command({"openssl", "x509", "-req", "-in", base + ".csr", "-CA", ca,
                                  "-CAkey", ca_key, "-set_serial", "0x7001", "-days", "365",
                                  "-sha256", "-extfile", base + ".cnf", "-out", base + ".pem"});
    INFO(crt.err);
    REQUIRE(crt.exit_status == 0);
    return base + ".pem";
}

}  // namespace

TEST_CASE("tls: the server purpose (EKU) is checked in the leaf and the chain", "[tls]")
{
    TempDir dir("ocspmx-eku");
    const std::string leaf_ext =
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\n"
        "subjectAltName = DNS:localhost, IP:127.0.0.1\n";
    const std::string ca_ext =
        "basicConstraints = critical, CA:TRUE, pathlen:0\n"
        "keyUsage = critical, keyCertSign, cRLSign\n";
    const std::string leaf_key = fixture("pki/leaf.key");
    const std::string int_pem = fixture("pki/intermediate-ca.pem");
    const std::string int_key = fixture("pki/intermediate-ca.key");
    const std::string root_pem = fixture("pki/root-ca.pem");
    const std::string root_key = fixture("pki/root-ca.key");

    const std::string client_only = issue(dir, "client-only", leaf_key, int_pem, int_key,
                                          leaf_ext + "extendedKeyUsage = clientAuth\n");
    const std::string no_eku = issue(dir, "no-eku", leaf_key, int_pem, int_key, leaf_ext);
    const std::string any_eku = issue(dir, "any-eku", leaf_key, int_pem, int_key,
                                      leaf_ext + "extendedKeyUsage = anyExtendedKeyUsage\n");
    // Intermediates (same key as the fixture one, another name) with an EKU:
    // GnuTLS requires the purpose of every CA certificate that lists one.
    const std::string ca_client = issue(dir, "ca-client-only", int_key, root_pem, root_key,
                                        ca_ext + "extendedKeyUsage = clientAuth\n");
    const std::string ca_server = issue(dir, "ca-server", int_key, root_pem, root_key,
                                        ca_ext + "extendedKeyUsage = serverAuth\n");
    const std::string under_ca_client =
        issue(dir, "under-ca-client-only", leaf_key, ca_client, int_key,
              leaf_ext + "extendedKeyUsage = serverAuth\n");
    const std::string under_ca_server = issue(dir, "under-ca-server", leaf_key, ca_server, int_key,
                                              leaf_ext + "extendedKeyUsage = serverAuth\n");

    struct Row {
        const char* name;
        std::string leaf;
        std::string intermediate;
        bool verified;
    };
    const Row rows[] = {
        {"fixture leaf: serverAuth + clientAuth", fixture("pki/leaf.pem"), int_pem, true},
        {"leaf EKU clientAuth only", client_only, int_pem, false},
        {"leaf without EKU: any purpose (RFC 5280 §4.2.1.12)", no_eku, int_pem, true},
        {"leaf EKU anyExtendedKeyUsage", any_eku, int_pem, true},
        {"intermediate EKU clientAuth only", under_ca_client, ca_client, false},
        {"intermediate EKU serverAuth", under_ca_server, ca_server, true},
    };
    const Context ctx = context_with(fixture("pki/anchors.pem"));
    for (const Row& row : rows) {
        INFO(row.name);
        const ChainCheck check =
            verify_chain(ctx, chain_of({row.leaf.c_str(), row.intermediate.c_str()}));
        INFO(check.reason);
        CHECK(check.verified == row.verified);
        if (!row.verified) CHECK(check.reason.find("purpose") != std::string::npos);
    }
}

TEST_CASE("tls: the name check (tls_verify_cert_hostnames)", "[tls]")
{
    const PeerChain chain = chain_of({"pki/leaf.pem"});
    struct Row {
        const char* name;
        bool matches;
    };
    const Row rows[] = {
        {"localhost", true},
        {"mx.ocspmx.test", true},
        {"MX.OCSPMX.TEST", true},
        {"mx.ocspmx.test.", true},
        {"127.0.0.1", true},
        {"::1", true},
        {"[::1]", true},
        {"other.ocspmx.test", false},
        {"ocspmx.test", false},
        {"127.0.0.2", false},
        {"", false},
    };
    for (const Row& row : rows) {
        INFO(row.name);
        CHECK(name_matches(chain.leaf(), row.name) == row.matches);
    }
}

TEST_CASE("tls: issuers for OCSP come from the chain (signature checked) or the anchors", "[tls]")
{
    const Context ctx = context_with(fixture("pki/anchors.pem"));
    const PeerChain chain = chain_of({"pki/leaf-chain.pem"});
    CrtPtr holder;
    CHECK(find_issuer(ctx, chain, 0, holder) == chain.certs[1].get());
    CrtPtr root_holder;
    gnutls_x509_crt_t root = find_issuer(ctx, chain, 1, root_holder);
    REQUIRE(root != nullptr);
    CHECK(root == root_holder.get());  // a copy from the trust list
    // A chain whose "issuer" did not sign the leaf: none found.
    const PeerChain wrong = chain_of({"pki/leaf.pem", "pki/ec-intermediate-ca.pem"});
    CrtPtr none;
    CHECK(find_issuer(context_with(fixture("pki/foreign-ca.pem")), wrong, 0, none) == nullptr);
}

TEST_CASE("tls: must-staple is absent from the fixture leaves", "[tls]")
{
    CHECK_FALSE(must_staple(chain_of({"pki/leaf.pem"}).leaf()));
    CHECK_FALSE(must_staple(nullptr));
}

TEST_CASE("tls: context errors name the option and the file", "[tls]")
{
    struct Row {
        ContextOptions options;
        const char* names;
    };
    ContextOptions missing_anchors;
    missing_anchors.verify_certificates = "/nonexistent/anchors.pem";
    ContextOptions bad_priority;
    bad_priority.verify_certificates = fixture("pki/anchors.pem");
    bad_priority.priority = "NORMAL:+NOT-A-THING";
    ContextOptions missing_crl;
    missing_crl.verify_certificates = fixture("pki/anchors.pem");
    missing_crl.crl = "/nonexistent/crl.pem";
    ContextOptions key_only;
    key_only.verify_certificates = fixture("pki/anchors.pem");
    key_only.private_key = fixture("pki/leaf.key");
    ContextOptions missing_responders;
    missing_responders.verify_certificates = fixture("pki/anchors.pem");
    missing_responders.trusted_responders = "/nonexistent/responders.pem";
    const Row rows[] = {
        {missing_anchors, "tls_verify_certificates /nonexistent/anchors.pem"},
        {bad_priority, "tls_require_ciphers"},
        {missing_crl, "tls_crl /nonexistent/crl.pem"},
        {key_only, "tls_privatekey"},
        {missing_responders, "ocsp_trusted_responders"},
    };
    for (const Row& row : rows) {
        const auto ctx = Context::open(row.options);
        REQUIRE_FALSE(ctx.ok());
        INFO(ctx.error().message);
        CHECK(ctx.error().message.find(row.names) != std::string::npos);
    }
    ContextOptions client_cert;
    client_cert.verify_certificates = fixture("pki/anchors.pem");
    client_cert.certificate = fixture("pki/leaf.pem");
    client_cert.private_key = fixture("pki/leaf.key");
    client_cert.trusted_responders = fixture("pki/responder.pem");
    const auto ok = Context::open(client_cert);
    REQUIRE(ok.ok());
    CHECK(ok->trusted_responders().size() == 1);
}
