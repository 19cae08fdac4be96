#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan, and runs
# each for SECONDS (default 60), one after the other.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 fuzz_ocsp_verify
#
# Targets: fuzz_hostlist fuzz_config fuzz_smtp_reply fuzz_ocsp_verify fuzz_report
# (default: all). New corpus entries go to build-fuzz/corpus/TARGET (the
# checked-in seeds in fuzz/corpus/TARGET are only read); a crash, leak or
# timeout leaves its input in build-fuzz/artifacts/ and makes the script exit
# 1. Prints one line per target with its number of executions.
# Environment: OCSPMX_FUZZ_BUILDDIR (default build-fuzz), FUZZ_ARGS (extra
# libFuzzer flags, e.g. "-jobs=2" or "-max_len=2048").
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
[[ $# -gt 0 ]] && shift
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] &&
  targets=(fuzz_hostlist fuzz_config fuzz_smtp_reply fuzz_ocsp_verify fuzz_report)
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -eq 0 ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 64
fi
builddir=${OCSPMX_FUZZ_BUILDDIR:-build-fuzz}

if [[ ! -f $builddir/build.ninja ]]; then
  mkdir -p "$builddir"
  CXX=${FUZZ_CXX:-clang++} meson setup "$builddir" -Dfuzz=true -Dsanitize=true -Dtests=false \
    -Dcpp_args=-fsanitize=fuzzer-no-link >"$builddir/setup.log" 2>&1 ||
    { cat "$builddir/setup.log"; echo "fuzz: meson setup failed"; exit 1; }
fi
ninja -C "$builddir" "${targets[@]/#/fuzz/}" ||
  { echo "fuzz: build failed"; exit 1; }

# halt on the first finding, with a stack; leaks count as findings.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:print_stacktrace=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
export OCSPMX_SOURCE_ROOT=$root

status=0
for t in "${targets[@]}"; do
  exe=$root/$builddir/fuzz/$t
  corpus=$root/$builddir/corpus/$t
  scratch=$root/$builddir/scratch/$t   # working directory: see fuzz/fuzz_support.hpp
  artifacts=$root/$builddir/artifacts
  log=$root/$builddir/$t.log
  mkdir -p "$corpus" "$scratch" "$artifacts"
  # shellcheck disable=SC2086
  (cd "$scratch" && "$exe" "$corpus" "$root/fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" ${FUZZ_ARGS:-} >"$log" 2>&1)
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  if [[ $rc -eq 0 ]]; then
    echo "$t: ${runs:-?} executions in ${secs:-$seconds} s, no finding"
  else
    status=1
    echo "$t: FINDING after ${runs:-?} executions (exit $rc); log $log"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|fuzz invariant|.*runtime error|artifact_prefix|Test unit written)" "$log" | head -8
  fi
done
exit $status
