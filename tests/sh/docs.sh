# The man pages render cleanly and name every option and INI key.
. tests/lib.sh
need man
for page in man/paperbib.1 man/paperbib.ini.5; do
	MANWIDTH=80 man --warnings -l "$page" >"$TMP/page" 2>"$TMP/warn" || fail "$page does not render"
	[ -s "$TMP/warn" ] && { cat "$TMP/warn"; fail "$page renders with warnings"; }
	[ -s "$TMP/page" ] || fail "$page is empty"
done
# every section and key that --list-options prints is in paperbib.ini(5)
MANWIDTH=200 man -l man/paperbib.ini.5 >"$TMP/ini5" 2>/dev/null
"$PAPERBIB" --list-options | sed -n 's/^\[\(.*\)\]$/\1/p; s/^;\{0,1\}\([a-z_]*\) =.*/\1/p' | while read -r word; do
	grep -q -- "$word" "$TMP/ini5" || fail "paperbib.ini(5) does not mention '$word'"
done || exit 1
# every long option of --help is in paperbib(1)
MANWIDTH=200 man -l man/paperbib.1 >"$TMP/man1" 2>/dev/null
"$PAPERBIB" --help | grep -o -- '--[a-z-]*' | sort -u | while read -r opt; do
	grep -q -- "$opt" "$TMP/man1" || fail "paperbib(1) does not mention $opt"
done || exit 1
echo "man pages ok"
