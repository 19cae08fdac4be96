#include "tls/context.hpp"

#include "tls/errors.hpp"
#include "util/file.hpp"

namespace ocspmx::tls {

namespace {

Result<std::string> read_file(const std::string& path)
{
    auto text = util::read_file(path);
    if (!text) return make_error(path + ": cannot read file");
    return std::move(*text);
}

}  // namespace

Result<std::vector<CrtPtr>> load_pem_certificates(const std::string& path)
{
    auto text = read_file(path);
    if (!text) return text.error();
    gnutls_datum_t datum{reinterpret_cast<unsigned char*>(text->data()),
                         static_cast<unsigned>(text->size())};
    gnutls_x509_crt_t* list = nullptr;
    unsigned count = 0;
    const int rc = gnutls_x509_crt_list_import2(&list, &count, &datum, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0) return tls_error(path, rc);
    std::vector<CrtPtr> out;
    out.reserve(count);
    for (unsigned i = 0; i < count; ++i) out.emplace_back(list[i]);
    gnutls_free(list);
    return out;
}

Result<Context> Context::open(const ContextOptions& options)
{
    Context ctx;
    gnutls_certificate_credentials_t creds = nullptr;
    if (int rc = gnutls_certificate_allocate_credentials(&creds); rc < 0) {
        return tls_error("TLS credentials", rc);
    }
    ctx.credentials_.reset(creds);

    auto anchors = AnchorStore::open(options.verify_certificates, options.crl);
    if (!anchors) return anchors.error();
    ctx.anchors_ = std::move(*anchors);

    if (options.certificate) {
        const std::string& key = options.private_key ? *options.private_key : *options.certificate;
        const int rc = gnutls_certificate_set_x509_key_file(creds, options.certificate->c_str(),
                                                            key.c_str(), GNUTLS_X509_FMT_PEM);
        if (rc < 0) return tls_error("tls_certificate " + *options.certificate, rc);
    } else if (options.private_key) {
        return make_error("tls_privatekey is set but tls_certificate is not");
    }

    gnutls_priority_t prio = nullptr;
    const char* err_pos = nullptr;
    const char* text = options.priority ? options.priority->c_str() : nullptr;
    if (int rc = gnutls_priority_init(&prio, text, &err_pos); rc < 0) {
        std::string where = err_pos != nullptr ? std::string(" at '") + err_pos + "'" : "";
        return make_error("tls_require_ciphers" + where + ": " + gnutls_strerror(rc));
    }
    ctx.priority_.reset(prio);

    if (options.trusted_responders) {
        auto certs = load_pem_certificates(*options.trusted_responders);
        if (!certs) return certs.error().with_context("ocsp_trusted_responders");
        ctx.responders_ = std::move(*certs);
        for (const auto& c : ctx.responders_) ctx.responder_view_.push_back(c.get());
    }
    return ctx;
}

}  // namespace ocspmx::tls
