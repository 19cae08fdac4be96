#!/usr/bin/env bash
# Regenerates README.md's MTA section (between the `<!-- mta-config-begin`
# and `<!-- mta-config-end -->` lines) from examples/README-mta.md, where
# each line `@@FILE path@@` becomes a fenced block holding that file. The
# configuration the tests run and the one users read are then one source.
#
#   scripts/sync-readme-mta.sh           rewrite README.md in place
#   scripts/sync-readme-mta.sh --check   exit 1 (and show a diff) if README.md is out of date
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
readme=$root/README.md
template=$root/examples/README-mta.md

section() {
  local line path
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ ^@@FILE\ (.+)@@$ ]]; then
      path=${BASH_REMATCH[1]}
      [[ -f $root/$path ]] || { echo "sync-readme-mta: $template: no file $path" >&2; exit 1; }
      printf '```\n'
      cat "$root/$path"
      printf '```\n'
    else
      printf '%s\n' "$line"
    fi
  done < "$template"
}

generated=$(mktemp)
trap 'rm -f "$generated" "$generated.section"' EXIT
section > "$generated.section"
# Keep everything outside the markers byte for byte; replace what is inside.
awk -v section="$generated.section" '
  /^<!-- mta-config-begin/ { print; while ((getline l < section) > 0) print l; skip = 1; found++; next }
  /^<!-- mta-config-end -->/ { skip = 0; ended++ }
  !skip { print }
  END { if (found != 1 || ended != 1) exit 3 }
' "$readme" > "$generated" || { echo "sync-readme-mta: $readme: need exactly one begin and one end marker" >&2; exit 1; }

if [[ ${1-} == --check ]]; then
  if ! diff -u "$readme" "$generated"; then
    echo "sync-readme-mta: README.md differs from examples/; run scripts/sync-readme-mta.sh" >&2
    exit 1
  fi
  exit 0
fi
if ! cmp -s "$readme" "$generated"; then
  cat "$generated" > "$readme.tmp.$$" && mv "$readme.tmp.$$" "$readme"
  echo "sync-readme-mta: README.md updated"
fi
