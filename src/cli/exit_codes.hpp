// Exit statuses of the `ocspmx` program: sysexits.h values, which Postfix
// pipe(8) and Exim's pipe transport map to bounce/defer (CONTRACT.md §5).
#pragma once

namespace ocspmx::cli {

enum ExitCode : int {
    exit_ok = 0,
    exit_no_match = 1,      // `ocspmx match`: the list did not match
    exit_usage = 64,        // EX_USAGE: bad command line
    exit_dataerr = 65,      // EX_DATAERR: bad input data (message, DER, PEM)
    exit_unavailable = 69,  // EX_UNAVAILABLE: permanent SMTP rejection
    exit_software = 70,     // EX_SOFTWARE: internal error (a bug)
    exit_tempfail = 75,     // EX_TEMPFAIL: deferral, the MTA keeps the message
    exit_config = 78,       // EX_CONFIG: bad configuration
};

}  // namespace ocspmx::cli
