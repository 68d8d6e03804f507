# Golden files: tests/golden/<case>.txt (with <case>.ini when present)
# converted with -t FORMAT must equal tests/golden/<case>.<FORMAT>.<ext>
# byte for byte. `make update-golden` rewrites them after a review.
. tests/lib.sh
n=0
for want in tests/golden/*.*.*; do
	base=${want##*/}
	case=${base%%.*}
	rest=${base#*.}
	fmt=${rest%%.*}
	in=tests/golden/$case.txt
	[ -f "$in" ] || continue
	set -- -q -t "$fmt"
	[ -f "tests/golden/$case.ini" ] && set -- "$@" -c "tests/golden/$case.ini"
	"$PAPERBIB" "$@" "$in" >"$TMP/got" 2>"$TMP/err" || { cat "$TMP/err"; fail "$want: paperbib failed"; }
	cmp -s "$TMP/got" "$want" || { diff -u "$want" "$TMP/got" | head -40; fail "$want differs"; }
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no golden files found"
echo "$n golden files match"
