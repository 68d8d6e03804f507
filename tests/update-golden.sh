#!/bin/sh
# Rewrites every golden file from its case; review the diff before committing.
set -eu
for want in tests/golden/*.*.*; do
	base=${want##*/}
	case=${base%%.*}
	rest=${base#*.}
	fmt=${rest%%.*}
	in=tests/golden/$case.txt
	[ -f "$in" ] || continue
	set -- -q -t "$fmt"
	[ -f "tests/golden/$case.ini" ] && set -- "$@" -c "tests/golden/$case.ini"
	"$PAPERBIB" "$@" "$in" >"$want"
	echo "wrote $want"
done
