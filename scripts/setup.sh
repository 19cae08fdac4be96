#!/usr/bin/env bash
# Installs every Debian package that ocspmx's build, tests, fixtures and
# benchmarks need, then configures the build directory. Idempotent: a second
# run installs nothing and reconfigures only when needed.
#
#   scripts/setup.sh [BUILDDIR] [meson options...]
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${1:-build}
shift || true

packages=(
  g++ meson ninja-build pkg-config
  libgnutls28-dev gnutls-bin   # the TLS library, gnutls-serv/gnutls-cli/ocsptool
  libunistring-dev             # its last static archive: the program links GnuTLS in (src/cli/meson.build)
  libcatch2-dev                # Catch2 v3, from bookworm-backports
  openssl faketime             # tests/fixtures/make-fixtures.sh
  exim4-daemon-heavy swaks     # real peers for the integration tests and benchmarks
  libnet-ssleay-perl libio-socket-ssl-perl  # swaks --tls (only Recommends of swaks)
  clang libclang-rt-14-dev     # libFuzzer targets (fuzz/)
  valgrind python3 procps iproute2
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Catch2 v3 must come from backports; Debian main's catch2 is v2.
if ! pkg-config --exists catch2-with-main 2>/dev/null; then missing+=(libcatch2-dev); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ ! -e /etc/apt/sources.list.d/bookworm-backports.sources ] &&
     ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    as_root tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  # exim4 must not start as a system service: the tests run their own daemons.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
  fi
  as_root apt-get update -qq
  main_packages=()
  for p in "${packages[@]}"; do [ "$p" = libcatch2-dev ] || main_packages+=("$p"); done
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${main_packages[@]}" >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports libcatch2-dev >/dev/null
fi

if [ -f "$builddir/build.ninja" ]; then
  [ $# -gt 0 ] && meson configure "$builddir" "$@" >/dev/null
else
  meson setup "$builddir" "$@" >/dev/null
fi
echo "setup: ready ($builddir)"
