# Helpers for shell tests: sourced with ". tests/lib.sh" from the repo root.
set -u
: "${PAPERBIB:?PAPERBIB must name the paperbib binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
EXAMPLE=examples/iclr2020-talks.txt
EXAMPLE_INI=examples/iclr2020.ini

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed (scripts/deps.sh test installs it)"; }

# expect_exit CODE CMD...: runs CMD, output in $TMP/out and $TMP/err.
expect_exit() {
	want=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	[ "$got" -eq "$want" ] || { cat "$TMP/err"; fail "$*: exit $got, expected $want"; }
}

# expect_err TEXT: stderr of the last expect_exit contains TEXT.
expect_err() {
	grep -qF -- "$1" "$TMP/err" || { cat "$TMP/err"; fail "stderr lacks: $1"; }
}
