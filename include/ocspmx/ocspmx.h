/* libocspmx: the stable C ABI (CONTRACT.md §1).
 *
 * An MTA or mail program loads the library (linked, or dlopen()ed by path),
 * finds the module table through ONE exported symbol, ocspmx_get_module(),
 * and reaches every other call through that table:
 *
 *     void *so = dlopen("/usr/local/lib/x86_64-linux-gnu/libocspmx.so.0", RTLD_NOW | RTLD_LOCAL);
 *     ocspmx_get_module_fn get = (ocspmx_get_module_fn)dlsym(so, OCSPMX_GET_MODULE_SYMBOL);
 *     const ocspmx_module_v1 *m = get(OCSPMX_ABI_VERSION);
 *     ocspmx_transport *t;
 *     if (m->transport_open_text(config, strlen(config), "inline", &t) != OCSPMX_OK)
 *         fprintf(stderr, "%s\n", m->last_error());
 *
 * Rules of the ABI:
 *  - Plain C11 types only; handles are opaque. Every function reports
 *    failure as an ocspmx_status (never by aborting, never by an exception:
 *    the library catches everything at this boundary) and leaves one line of
 *    text in last_error().
 *  - Strings are NUL-terminated UTF-8 (addresses and host names are ASCII);
 *    strings returned by the library are owned by the object they came from
 *    and stay valid until that object is freed.
 *  - The table only grows: a later version 1 library may append members,
 *    never reorder or change them; check struct_size before using a member
 *    appended after the ones listed here. An incompatible change is a new
 *    ABI version (a new table type) and a new SONAME.
 *  - Structs the library fills for the caller (ocspmx_attempt_info,
 *    ocspmx_recipient_info) start with struct_size: the caller sets it to
 *    sizeof the struct it was compiled with (at least the version 1 size);
 *    the library fills the members it knows and sets struct_size to the
 *    number of bytes it filled, so members appended later stay untouched
 *    when an older library runs under a newer caller.
 *
 * Thread safety is stated per member below. In short: the table, the
 * get_module function and every *_string function may be used from any
 * thread at any time; a transport may be shared between threads (its calls
 * are serialized: one delivery at a time per transport; open one transport
 * per thread for parallel deliveries); a report is read-only after it is
 * returned and may be read from several threads at once; last_error() is
 * per thread.
 */
#ifndef OCSPMX_OCSPMX_H
#define OCSPMX_OCSPMX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define OCSPMX_EXPORT __attribute__((visibility("default")))
#else
#define OCSPMX_EXPORT
#endif

/* The ABI version this header describes (the module table type below). */
#define OCSPMX_ABI_VERSION 1u

/* The one well-known symbol, for dlsym(). */
#define OCSPMX_GET_MODULE_SYMBOL "ocspmx_get_module"

/* ---- status codes (return value of every fallible call) ---------------- */
typedef enum ocspmx_status {
    OCSPMX_OK = 0,
    OCSPMX_E_INVALID_ARGUMENT = 1, /* a null pointer, an empty recipient list, a bad struct_size */
    OCSPMX_E_CONFIG = 2,      /* configuration text or file rejected (line named in last_error) */
    OCSPMX_E_IO = 3,          /* a file could not be read, or the read callback failed */
    OCSPMX_E_NO_MEMORY = 4,   /* allocation failed */
    OCSPMX_E_RANGE = 5,       /* an index past the end of a list */
    OCSPMX_E_ABI_VERSION = 6, /* the library does not implement the requested ABI version */
    OCSPMX_E_INTERNAL = 7     /* a bug in libocspmx: please report the last_error text */
} ocspmx_status;

/* ---- what happened ------------------------------------------------------ */
/* For the message, an attempt or a recipient. deferred: temporary, the MTA
 * keeps the message and retries later (every TLS/OCSP policy failure is a
 * deferral); failed: permanent (a 5xx reply). */
typedef enum ocspmx_outcome {
    OCSPMX_DELIVERED = 0,
    OCSPMX_DEFERRED = 1,
    OCSPMX_FAILED = 2
} ocspmx_outcome;

/* OCSP policy applied to a host (CONTRACT §2). */
typedef enum ocspmx_ocsp_policy {
    OCSPMX_OCSP_POLICY_NONE = 0,    /* in neither hosts_require_ocsp nor hosts_request_ocsp */
    OCSPMX_OCSP_POLICY_REQUEST = 1, /* hosts_request_ocsp: a bad staple is recorded */
    OCSPMX_OCSP_POLICY_REQUIRE = 2  /* hosts_require_ocsp: anything but VERIFIED defers */
} ocspmx_ocsp_policy;

/* The staple's state, named as Exim's $tls_out_ocsp (CONTRACT §4). */
typedef enum ocspmx_ocsp_state {
    OCSPMX_OCSP_NOT_REQUESTED = 0, /* no status request was sent */
    OCSPMX_OCSP_NOT_RESPONDED = 1, /* asked; the server stapled nothing */
    OCSPMX_OCSP_FAILED = 2,        /* a staple was present and did not verify (see ocsp_reason) */
    OCSPMX_OCSP_VERIFIED = 3       /* a staple passed every rule of CONTRACT §4 */
} ocspmx_ocsp_state;

/* ---- opaque handles ----------------------------------------------------- */
/* An opened transport: options compiled, anchors loaded. */
typedef struct ocspmx_transport ocspmx_transport;
/* The result of one delivery. */
typedef struct ocspmx_report ocspmx_report;

/* ---- inputs -------------------------------------------------------------- */
typedef struct ocspmx_envelope {
    const char* mail_from;      /* "" or NULL: the null reverse-path <> */
    const char* const* rcpt_to; /* rcpt_count addresses, at least one */
    size_t rcpt_count;
} ocspmx_envelope;

typedef struct ocspmx_host {
    const char* name;    /* MX target or IP literal (no brackets); required */
    const char* address; /* numeric IPv4/IPv6 to connect to; NULL or "": resolve name */
    unsigned port;       /* 0: the transport's `port` option */
} ocspmx_host;

/* Where to deliver: either domain (MX lookup, then A/AAAA; RFC 5321 §5.1)
 * or an explicit host list tried in order. Exactly one must be given. */
typedef struct ocspmx_destination {
    const char* domain;       /* non-NULL: look up MX records; hosts must be NULL */
    const ocspmx_host* hosts; /* host_count hosts, in preference order */
    size_t host_count;
} ocspmx_destination;

/* Read callback for the message (RFC 5322 text; LF or CRLF line ends).
 * Store up to `capacity` bytes in `buffer` and their number in `*got`;
 * *got == 0 means end of message. Return 0, or nonzero for an error (the
 * delivery is then not attempted and returns OCSPMX_E_IO). The whole message
 * is read before the first connection, so a failing reader never leaves a
 * partial message at a server. Called on the delivering thread only. */
typedef int (*ocspmx_read_fn)(void* context, char* buffer, size_t capacity, size_t* got);

/* ---- outputs ------------------------------------------------------------- */
/* One connection (or one refusal to connect) to one address of one host. */
typedef struct ocspmx_attempt_info {
    size_t struct_size; /* set by the caller: sizeof(ocspmx_attempt_info) */
    const char* host;
    const char* address;
    unsigned port;
    ocspmx_outcome outcome;       /* DEFERRED: the next host was tried */
    const char* detail;           /* one line: why, when not delivered; "" otherwise */
    int tls_active;               /* nonzero: a TLS session was established */
    const char* tls_version;      /* "TLS1.3"; "" without TLS */
    const char* tls_cipher;       /* "TLS_AES_256_GCM_SHA384:256"; "" without TLS */
    int tls_cert_verified;        /* nonzero: chain (and name, when checked) verified */
    const char* tls_verify_error; /* why not, when not; "" otherwise */
    ocspmx_ocsp_policy ocsp_policy;
    ocspmx_ocsp_state ocsp_state;
    const char* ocsp_reason; /* for FAILED, and why a require host was refused; "" otherwise */
    int ocsp_must_staple;    /* nonzero: the leaf carries the RFC 7633 TLS feature */
    const char* log_line;    /* Exim-style log line for this attempt */
} ocspmx_attempt_info;

typedef struct ocspmx_recipient_info {
    size_t struct_size; /* set by the caller: sizeof(ocspmx_recipient_info) */
    const char* address;
    ocspmx_outcome outcome;
    const char* smtp; /* the server's reply, or the local reason */
} ocspmx_recipient_info;

/* ---- the module table, ABI version 1 ------------------------------------- */
typedef struct ocspmx_module_v1 {
    /* OCSPMX_ABI_VERSION of the library; sizeof the table as the library
     * built it (members past the caller's sizeof are newer additions). */
    unsigned abi_version;
    size_t struct_size;
    const char* library_version; /* "0.1.0" */

    /* Thread-safe. Parses configuration text (CONTRACT §2 format; `source`
     * names it in error messages, NULL: "config") and opens a transport:
     * host lists compiled, trust anchors, CRL and client certificate loaded.
     * On success *out owns a new transport; on failure *out is NULL. */
    ocspmx_status (*transport_open_text)(const char* text, size_t length, const char* source,
                                         ocspmx_transport** out);
    /* Thread-safe. The same from a configuration file. */
    ocspmx_status (*transport_open_file)(const char* path, ocspmx_transport** out);
    /* Not concurrently with a delivery on the same transport; NULL is a no-op.
     * Reports taken from the transport stay valid after it is closed. */
    void (*transport_close)(ocspmx_transport* transport);

    /* Delivers one message. Safe from any thread; calls on one transport are
     * serialized. Returns OCSPMX_OK whenever a delivery was attempted, also
     * when it deferred or failed: the outcome is in the report (*out, freed
     * with report_free). TLS, OCSP, network and SMTP failures are outcomes,
     * not status codes; status codes are for bad arguments and local errors. */
    ocspmx_status (*deliver_buffer)(ocspmx_transport* transport, const ocspmx_envelope* envelope,
                                    const ocspmx_destination* destination, const char* message,
                                    size_t length, ocspmx_report** out);
    ocspmx_status (*deliver_read)(ocspmx_transport* transport, const ocspmx_envelope* envelope,
                                  const ocspmx_destination* destination, ocspmx_read_fn read,
                                  void* read_context, ocspmx_report** out);

    /* Report accessors: thread-safe (a report is immutable). Pointers in the
     * filled structs live as long as the report. */
    ocspmx_outcome (*report_result)(const ocspmx_report* report); /* NULL: DEFERRED */
    size_t (*report_attempt_count)(const ocspmx_report* report);
    ocspmx_status (*report_attempt)(const ocspmx_report* report, size_t index,
                                    ocspmx_attempt_info* out);
    size_t (*report_recipient_count)(const ocspmx_report* report);
    ocspmx_status (*report_recipient)(const ocspmx_report* report, size_t index,
                                      ocspmx_recipient_info* out);
    /* CONTRACT §5 JSON object, one line; NULL for a NULL report. */
    const char* (*report_json)(const ocspmx_report* report);
    /* Frees a report; NULL is a no-op. Not concurrently with readers of it. */
    void (*report_free)(ocspmx_report* report);

    /* The calling thread's last error: one line naming the input at fault;
     * "" when the thread's last call succeeded. Valid until the thread's
     * next call into the library; last_error and the *_string functions
     * leave it as it is. Thread-safe (each thread has its own). */
    const char* (*last_error)(void);

    /* Names as in logs and JSON ("deferred", "not_responded", ...); static
     * strings, "?" for a value out of range. Thread-safe. */
    const char* (*status_string)(ocspmx_status status);
    const char* (*outcome_string)(ocspmx_outcome outcome);
    const char* (*ocsp_state_string)(ocspmx_ocsp_state state);
    const char* (*ocsp_policy_string)(ocspmx_ocsp_policy policy);
} ocspmx_module_v1;

/* The one exported symbol. Returns the table for abi_version, or NULL when
 * this library does not implement that version (the calling thread's
 * last_error then says which versions it implements). Thread-safe; the
 * table is static and lives as long as the library stays loaded. For
 * abi_version 1 the result is a const ocspmx_module_v1 *. */
OCSPMX_EXPORT const void* ocspmx_get_module(unsigned abi_version);

typedef const void* (*ocspmx_get_module_fn)(unsigned abi_version);

#ifdef __cplusplus
}
#endif

#endif /* OCSPMX_OCSPMX_H */
