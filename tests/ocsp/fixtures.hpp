// Loading tests/fixtures/ files for the OCSP tests. Paths are relative to
// $OCSPMX_SOURCE_ROOT (set by tests/meson.build).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "ocsp/handles.hpp"
#include "ocsp/text.hpp"
#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp::test {

inline std::string source_root()
{
    const char* root = std::getenv("OCSPMX_SOURCE_ROOT");
    return root != nullptr ? root : ".";
}

inline std::string fixture(const std::string& relative)
{
    return source_root() + "/tests/fixtures/" + relative;
}

inline std::vector<std::uint8_t> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// pki/NAME.pem as a certificate handle.
inline detail::CrtPtr pki_cert(const std::string& name)
{
    const auto pem = read_bytes(fixture("pki/" + name + ".pem"));
    gnutls_x509_crt_t raw = nullptr;
    if (gnutls_x509_crt_init(&raw) < 0) throw std::runtime_error("gnutls_x509_crt_init");
    detail::CrtPtr crt(raw);
    const gnutls_datum_t d = detail::borrowed_datum(pem);
    if (gnutls_x509_crt_import(crt.get(), &d, GNUTLS_X509_FMT_PEM) < 0)
        throw std::runtime_error("cannot import pki/" + name + ".pem");
    return crt;
}

// The instant every fixture is evaluated at (tests/fixtures/README.md).
inline TimePoint reference_time() { return *parse_time("2026-06-01T12:00:00Z"); }

}  // namespace ocspmx::ocsp::test
