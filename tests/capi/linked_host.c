/* The C ABI from a C11 program linked against libocspmx (no dlopen): the
 * header compiles as strict C, the one symbol resolves at link time, and
 * the table's calls behave. Exit 0 when every check holds. */
#include <stdio.h>
#include <string.h>

#include "ocspmx/ocspmx.h"

static int failures;

static void check(int ok, const char* what)
{
    if (!ok) {
        fprintf(stderr, "FAILED: %s\n", what);
        ++failures;
    }
}

int main(void)
{
    const ocspmx_module_v1* m = ocspmx_get_module(OCSPMX_ABI_VERSION);
    check(m != NULL, "ocspmx_get_module(OCSPMX_ABI_VERSION)");
    if (m == NULL) return 1;
    check(m->abi_version == OCSPMX_ABI_VERSION, "abi_version");
    check(m->struct_size >= sizeof(ocspmx_module_v1), "struct_size");

    check(ocspmx_get_module(OCSPMX_ABI_VERSION + 1) == NULL, "a newer ABI version is refused");
    check(strstr(m->last_error(), "implements version 1") != NULL, "last_error names the version");

    static const char config[] = "port = 25\nno_such_option = 1\n";
    ocspmx_transport* t = NULL;
    check(m->transport_open_text(config, sizeof config - 1, "c-test", &t) == OCSPMX_E_CONFIG,
          "bad config is OCSPMX_E_CONFIG");
    check(t == NULL, "no transport on error");
    check(strncmp(m->last_error(), "c-test:2:", 9) == 0, "last_error names the line");

    check(m->transport_open_text("port = 2525\n", 12, NULL, &t) == OCSPMX_OK, "good config opens");
    check(m->last_error()[0] == '\0', "last_error is empty after success");
    ocspmx_report* report = NULL;
    const char* rcpt[] = {"b@example.net"};
    const ocspmx_envelope envelope = {"a@example.org", rcpt, 1};
    const ocspmx_destination neither = {NULL, NULL, 0};
    check(m->deliver_buffer(t, &envelope, &neither, "x", 1, &report) == OCSPMX_E_INVALID_ARGUMENT,
          "a destination without domain or hosts is refused");
    check(report == NULL, "no report on error");
    m->transport_close(t);

    if (failures == 0) printf("linked_host: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
