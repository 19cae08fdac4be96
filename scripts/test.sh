#!/usr/bin/env bash
# The full test suite, from a fresh Debian 12 machine: installs what is
# needed, builds, runs every test (unit and loopback integration tests, which
# start and stop their own servers), and ends with `N passed, N failed`.
#
#   scripts/test.sh [meson test arguments...]     e.g. --suite unit
set -uo pipefail
cd "$(dirname "$0")/.."
builddir=${OCSPMX_BUILDDIR:-build}
scripts/setup.sh "$builddir" || { echo "0 passed, 1 failed"; exit 1; }
if ! ninja -C "$builddir"; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
python3 scripts/summarize-tests.py "$builddir/meson-logs/testlog.json"
