#!/bin/sh
# Installs the Debian packages paperbib needs that are missing.
#   scripts/deps.sh build   to build (compiler, libxml2, iniparser, Check)
#   scripts/deps.sh test    to build and run every test, consumers included
# Uses apt-get, through sudo when not root. Installs nothing that is there.
set -eu

BUILD_PKGS="gcc make pkg-config libxml2-dev libiniparser-dev libjansson-dev check
libsubunit-dev libcmark-gfm-dev libcmark-gfm-extensions-dev"
TEST_PKGS="libxml2-utils python3 python3-jsonschema pandoc bibutils biber
texlive-latex-base texlive-latex-recommended texlive-latex-extra
texlive-bibtex-extra texlive-fonts-recommended lmodern valgrind clang
libclang-rt-14-dev cppcheck clang-tidy time poppler-utils"

case "${1:-build}" in
build) want=$BUILD_PKGS ;;
test) want="$BUILD_PKGS $TEST_PKGS" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $s in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0

echo "paperbib: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "paperbib: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
