#!/usr/bin/env bash
# Builds the project and runs every benchmark program under BUILDDIR/bench/
# (one per concept: bench/<concept>/<name>), one after the other, printing
# each one's figures. Exit status: non-zero if any benchmark failed.
#
#   scripts/bench.sh            (OCSPMX_BUILDDIR=build by default)
set -uo pipefail
cd "$(dirname "$0")/.."
builddir=${OCSPMX_BUILDDIR:-build}
scripts/setup.sh "$builddir" || exit 1
ninja -C "$builddir" || { echo "bench: build failed"; exit 1; }
status=0
for exe in "$builddir"/bench/*/*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  echo "== ${exe#"$builddir"/}"
  "$exe" || { echo "bench: ${exe#"$builddir"/} failed"; status=1; }
done
exit $status
