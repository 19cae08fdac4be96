// `deliver_many PORT COUNT ANCHORS`: COUNT deliveries in one process to the
// stapling test server on 127.0.0.1:PORT, OCSP required. Run under valgrind
// by test_resources.cpp; exit 0 when every delivery verified and delivered.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "deliveries.hpp"

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: deliver_many PORT COUNT ANCHORS\n");
        return 64;
    }
    const auto port = static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10));
    const long count = std::strtol(argv[2], nullptr, 10);
    auto transport = ocspmx::test::open_require_ocsp(argv[3]);
    if (!transport) {
        std::fprintf(stderr, "deliver_many: %s\n", transport.error().message.c_str());
        return 78;
    }
    ocspmx::test::Deliverer deliverer(*transport, port);
    for (long i = 0; i < count; ++i) {
        std::string why;
        if (!deliverer.deliver_one(why)) {
            std::fprintf(stderr, "deliver_many: delivery %ld: %s\n", i + 1, why.c_str());
            return 1;
        }
    }
    std::printf("%ld delivered\n", count);
    return 0;
}
