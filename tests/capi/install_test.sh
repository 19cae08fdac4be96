#!/usr/bin/env bash
# `meson install` into a scratch DESTDIR, then: the files a user gets (the
# library with its SONAME links, headers, pkg-config file, program, man
# page); the library exports the C ABI's one symbol and nothing else; a C11
# program builds against the installed tree with pkg-config and runs.
#
#   install_test.sh BUILD_ROOT SOURCE_ROOT [SANITIZE=true|false]
set -euo pipefail
build=$1
source=$2
san=()
[[ ${3-false} == true ]] && san=(-fsanitize=address,undefined -fno-omit-frame-pointer)
dest=$(mktemp -d "${TMPDIR:-/tmp}/ocspmx-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null

prefix=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
print(opts["prefix"], opts["libdir"], opts["includedir"], opts["bindir"], opts["mandir"])')
read -r pfx libdir includedir bindir mandir <<<"$prefix"
rel() { case $1 in /*) echo "$dest$1" ;; *) echo "$dest$pfx/$1" ;; esac; }
lib=$(rel "$libdir")
inc=$(rel "$includedir")

for f in "$lib/libocspmx.so.0.1.0" "$lib/libocspmx.so.0" "$lib/libocspmx.so" \
         "$lib/pkgconfig/ocspmx.pc" "$inc/ocspmx/ocspmx.h" "$inc/ocspmx/transport.hpp" \
         "$(rel "$bindir")/ocspmx" "$(rel "$mandir")/man1/ocspmx.1"; do
  [[ -e $f ]] || fail "not installed: ${f#"$dest"}"
done
[[ $(readlink "$lib/libocspmx.so.0") == libocspmx.so.0.1.0 ]] || fail "libocspmx.so.0 link"
soname=$(readelf -d "$lib/libocspmx.so.0.1.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ $soname == libocspmx.so.0 ]] || fail "SONAME is '$soname'"

exports=$(nm -D --defined-only "$lib/libocspmx.so.0.1.0" | awk '$2 != "A" { print $3 }')
[[ $exports == "ocspmx_get_module@@OCSPMX_1" ]] || fail "exports other than ocspmx_get_module: $exports"

man -l "$(rel "$mandir")/man1/ocspmx.1" >/dev/null 2>&1 || fail "man page does not render"

export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -Wpedantic "${san[@]}" $(pkg-config --cflags ocspmx) \
   "$source/tests/capi/linked_host.c" $(pkg-config --libs ocspmx) -o "$dest/linked_host"
LD_LIBRARY_PATH="$lib" "$dest/linked_host"
echo "install_test: ok ($soname, exports: $exports)"
