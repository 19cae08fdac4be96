// The module table of the libocspmx under test, found the way a host finds
// it: through ocspmx_get_module (linked here; dlopen in the example test).
#pragma once

#include "ocspmx/ocspmx.h"

namespace ocspmx::capi_test {

// Looked up once: ocspmx_get_module, like every call, resets the thread's
// last error, which the tests read after the call under test.
inline const ocspmx_module_v1& module()
{
    static const auto* table =
        static_cast<const ocspmx_module_v1*>(ocspmx_get_module(OCSPMX_ABI_VERSION));
    return *table;
}

}  // namespace ocspmx::capi_test
