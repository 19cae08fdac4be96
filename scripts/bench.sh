#!/usr/bin/env bash
# Builds the project and runs every benchmark, one concept after the other:
# bench/<concept>/run.sh where a concept has one (it starts the servers it
# needs), else every program under BUILDDIR/bench/<concept>/. Ratios are
# measured side by side within one run; absolute times depend on the load.
# Exit status: non-zero if any benchmark failed.
#
#   scripts/bench.sh            (OCSPMX_BUILDDIR=build by default)
set -uo pipefail
cd "$(dirname "$0")/.."
builddir=${OCSPMX_BUILDDIR:-build}
export OCSPMX_BUILDDIR=$builddir
scripts/setup.sh "$builddir" || exit 1
ninja -C "$builddir" || { echo "bench: build failed"; exit 1; }
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for dir in bench/*/; do
  concept=$(basename "$dir")
  if [ -x "$dir/run.sh" ]; then
    echo "== bench/$concept/run.sh"
    "$dir/run.sh" || { echo "bench: bench/$concept/run.sh failed"; status=1; }
    continue
  fi
  for exe in "$builddir/bench/$concept"/*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    echo "== ${exe#"$builddir"/}"
    "$exe" || { echo "bench: ${exe#"$builddir"/} failed"; status=1; }
  done
done
exit $status
