/* An example host for libocspmx: loads the library by path with dlopen(),
 * finds the module table through the one exported symbol, opens a transport
 * from configuration text, delivers a message read from a file through the
 * read callback, and prints the per-recipient results and the TLS/OCSP
 * state of every attempt.
 *
 *   dlopen_host LIBRARY CONFIG-TEXT HOST[:PORT] FROM MESSAGE-FILE TO...
 *
 *   dlopen_host ./libocspmx.so.0 \
 *       "$(printf 'tls_verify_certificates = anchors.pem\nhosts_require_ocsp = *\n')" \
 *       127.0.0.1:2525 alice@example.org message.eml bob@example.net
 *
 * Exit status (sysexits.h), as a pipe delivery agent would report it:
 *   0 delivered, 75 EX_TEMPFAIL deferred, 69 EX_UNAVAILABLE failed,
 *   64 EX_USAGE, 66 EX_NOINPUT message file unreadable, 72 EX_OSFILE
 *   library not loadable or ABI not implemented, 78 EX_CONFIG configuration
 *   rejected, 70 EX_SOFTWARE anything else.
 *
 * Build: cc -std=c11 -Wall -Wextra -Werror -I include examples/dlopen_host.c -ldl
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocspmx/ocspmx.h"

enum {
    EXIT_DELIVERED = 0,
    EXIT_USAGE = 64,
    EXIT_NOINPUT = 66,
    EXIT_UNAVAILABLE = 69,
    EXIT_SOFTWARE = 70,
    EXIT_OSFILE = 72,
    EXIT_TEMPFAIL = 75,
    EXIT_CONFIG = 78
};

static int read_file(void* context, char* buffer, size_t capacity, size_t* got)
{
    FILE* in = context;
    *got = fread(buffer, 1, capacity, in);
    return ferror(in) ? -1 : 0;
}

/* "name:port", "[v6]:port" or "name"; the port 0 means the transport's. */
static int parse_host(char* text, ocspmx_host* host)
{
    char* port = NULL;
    if (text[0] == '[') {
        char* close = strchr(text, ']');
        if (close == NULL) return -1;
        *close = '\0';
        host->name = text + 1;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return -1;
    } else {
        char* colon = strrchr(text, ':');
        host->name = text;
        if (colon != NULL && strchr(text, ':') == colon) {
            *colon = '\0';
            port = colon + 1;
        }
    }
    host->address = NULL;
    host->port = 0;
    if (port != NULL) {
        char* end = NULL;
        unsigned long value = strtoul(port, &end, 10);
        if (*port == '\0' || *end != '\0' || value == 0 || value > 65535) return -1;
        host->port = (unsigned)value;
    }
    return host->name[0] != '\0' ? 0 : -1;
}

static void print_report(const ocspmx_module_v1* m, const ocspmx_report* report)
{
    size_t n = m->report_attempt_count(report);
    for (size_t i = 0; i < n; ++i) {
        ocspmx_attempt_info a;
        memset(&a, 0, sizeof a);
        a.struct_size = sizeof a;
        if (m->report_attempt(report, i, &a) != OCSPMX_OK) continue;
        printf("attempt %zu: host=%s address=%s port=%u outcome=%s\n", i + 1, a.host, a.address,
               a.port, m->outcome_string(a.outcome));
        printf("  tls=%s version=%s cipher=%s cert_verified=%s\n", a.tls_active ? "yes" : "no",
               a.tls_version, a.tls_cipher, a.tls_cert_verified ? "yes" : "no");
        printf("  ocsp policy=%s state=%s reason=%s\n", m->ocsp_policy_string(a.ocsp_policy),
               m->ocsp_state_string(a.ocsp_state), a.ocsp_reason);
        if (a.detail[0] != '\0') printf("  detail=%s\n", a.detail);
    }
    n = m->report_recipient_count(report);
    for (size_t i = 0; i < n; ++i) {
        ocspmx_recipient_info r;
        memset(&r, 0, sizeof r);
        r.struct_size = sizeof r;
        if (m->report_recipient(report, i, &r) != OCSPMX_OK) continue;
        printf("recipient %s: %s (%s)\n", r.address, m->outcome_string(r.outcome), r.smtp);
    }
    printf("result: %s\n", m->outcome_string(m->report_result(report)));
    printf("json: %s\n", m->report_json(report));
}

static int deliver(const ocspmx_module_v1* m, ocspmx_transport* transport, char** argv, int argc)
{
    ocspmx_host host;
    if (parse_host(argv[3], &host) != 0) {
        fprintf(stderr, "dlopen_host: bad HOST[:PORT] '%s'\n", argv[3]);
        return EXIT_USAGE;
    }
    FILE* in = fopen(argv[5], "rb");
    if (in == NULL) {
        fprintf(stderr, "dlopen_host: %s: %s\n", argv[5], strerror(errno));
        return EXIT_NOINPUT;
    }
    const ocspmx_envelope envelope = {argv[4], (const char* const*)(argv + 6), (size_t)(argc - 6)};
    const ocspmx_destination destination = {NULL, &host, 1};
    ocspmx_report* report = NULL;
    ocspmx_status status =
        m->deliver_read(transport, &envelope, &destination, read_file, in, &report);
    fclose(in);
    if (status != OCSPMX_OK) {
        fprintf(stderr, "dlopen_host: deliver: %s: %s\n", m->status_string(status),
                m->last_error());
        return status == OCSPMX_E_IO ? EXIT_NOINPUT : EXIT_SOFTWARE;
    }
    print_report(m, report);
    ocspmx_outcome result = m->report_result(report);
    m->report_free(report);
    switch (result) {
        case OCSPMX_DELIVERED:
            return EXIT_DELIVERED;
        case OCSPMX_DEFERRED:
            return EXIT_TEMPFAIL;
        case OCSPMX_FAILED:
            return EXIT_UNAVAILABLE;
    }
    return EXIT_SOFTWARE;
}

int main(int argc, char** argv)
{
    if (argc < 7) {
        fprintf(stderr,
                "usage: dlopen_host LIBRARY CONFIG-TEXT HOST[:PORT] FROM MESSAGE-FILE TO...\n");
        return EXIT_USAGE;
    }
    void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "dlopen_host: %s\n", dlerror());
        return EXIT_OSFILE;
    }
    /* POSIX guarantees a function pointer survives the round trip through
     * dlsym's void *; copying the bytes keeps -Wpedantic quiet too. */
    void* symbol = dlsym(library, OCSPMX_GET_MODULE_SYMBOL);
    ocspmx_get_module_fn get_module = NULL;
    if (symbol != NULL) memcpy(&get_module, &symbol, sizeof get_module);
    const ocspmx_module_v1* m = get_module != NULL ? get_module(OCSPMX_ABI_VERSION) : NULL;
    if (m == NULL) {
        fprintf(stderr, "dlopen_host: %s: no ABI version %u module\n", argv[1], OCSPMX_ABI_VERSION);
        dlclose(library);
        return EXIT_OSFILE;
    }
    printf("library %s, ABI %u\n", m->library_version, m->abi_version);

    ocspmx_transport* transport = NULL;
    ocspmx_status status =
        m->transport_open_text(argv[2], strlen(argv[2]), "CONFIG-TEXT", &transport);
    int exit_code;
    if (status != OCSPMX_OK) {
        fprintf(stderr, "dlopen_host: %s\n", m->last_error());
        exit_code = status == OCSPMX_E_CONFIG ? EXIT_CONFIG : EXIT_SOFTWARE;
    } else {
        exit_code = deliver(m, transport, argv, argc);
        m->transport_close(transport);
    }
    dlclose(library);
    return exit_code;
}
