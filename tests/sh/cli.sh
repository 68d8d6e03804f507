# The CLI's exit codes and messages (issue 2), and -o/-O replacing files
# whole or not at all.
. tests/lib.sh

expect_exit 3 "$PAPERBIB" missing.txt
expect_err "paperbib: missing.txt: error: cannot read: No such file or directory"

: >"$TMP/empty.txt"
expect_exit 1 "$PAPERBIB" -t csl-json "$TMP/empty.txt"
expect_err "paperbib: $TMP/empty.txt: error: no records found"

expect_exit 3 sh -c "\"$PAPERBIB\" -t csl-json $EXAMPLE > /dev/full"
expect_err "paperbib: error writing standard output: No space left on device"

expect_exit 2 "$PAPERBIB" --set venue.year=soon "$EXAMPLE"
expect_err "paperbib: error: --set venue.year: [venue] year: 'soon' is not a year (four digits)"
[ -s "$TMP/out" ] && fail "bad --set wrote output"

expect_exit 2 "$PAPERBIB" --set nodot "$EXAMPLE"
expect_err "paperbib: error: --set 'nodot': expected SECTION.KEY=VALUE"

expect_exit 2 "$PAPERBIB" -t docx "$EXAMPLE"
expect_err "paperbib: unknown output format 'docx' (see --list-formats)"

# A failing -o leaves the old file as it was and no temporary behind.
echo "old contents" >"$TMP/refs.json"
chmod 640 "$TMP/refs.json"
expect_exit 1 "$PAPERBIB" -o "$TMP/refs.json" "$EXAMPLE" "$TMP/empty.txt"
[ "$(cat "$TMP/refs.json")" = "old contents" ] || fail "-o replaced the file after an error"
ls -a "$TMP" | grep -q '^\.paperbib-' && fail "a temporary was left behind"

expect_exit 3 "$PAPERBIB" -o "$TMP/refs.json" "$EXAMPLE" missing.txt
[ "$(cat "$TMP/refs.json")" = "old contents" ] || fail "-o replaced the file after a missing input"

# A successful -o replaces it, keeps its mode, and takes the format from
# the extension.
expect_exit 0 "$PAPERBIB" -q -c "$EXAMPLE_INI" -o "$TMP/refs.json" "$EXAMPLE"
[ "$(stat -c %a "$TMP/refs.json")" = 640 ] || fail "-o changed the file's mode"
head -c 1 "$TMP/refs.json" | grep -q '\[' || fail "-o refs.json did not write CSL-JSON"
"$PAPERBIB" -q -c "$EXAMPLE_INI" -t csl-json "$EXAMPLE" | cmp -s - "$TMP/refs.json" ||
	fail "-o output differs from stdout output"

# An unwritable folder: nothing written, a clear message.
expect_exit 3 "$PAPERBIB" -o /nonexistent/dir/refs.json "$EXAMPLE"
expect_err "paperbib: /nonexistent/dir/refs.json: error: cannot write: No such file or directory"

# -O: one file per format, named after the input.
mkdir "$TMP/outdir"
expect_exit 0 "$PAPERBIB" -q -c "$EXAMPLE_INI" -O "$TMP/outdir" "$EXAMPLE"
for f in $("$PAPERBIB" --list-formats | awk '/^Output/ {on=1; next} /^Input/ {on=0} on {print $1}'); do
	n=$(ls "$TMP/outdir" | wc -l)
	"$PAPERBIB" -q -c "$EXAMPLE_INI" -t "$f" "$EXAMPLE" >"$TMP/one"
	found=0
	for g in "$TMP"/outdir/*; do cmp -s "$g" "$TMP/one" && found=1; done
	[ "$found" = 1 ] || fail "-O has no file equal to -t $f ($n files: $(ls "$TMP/outdir"))"
done
ls -a "$TMP/outdir" | grep -q '^\.paperbib-' && fail "-O left a temporary"

expect_exit 3 "$PAPERBIB" -O "$TMP/missing-dir" "$EXAMPLE"
expect_err "cannot write: No such file or directory"

# A pipe: stdin in, stdout out.
n=$(cat "$EXAMPLE" | "$PAPERBIB" -q -t csl-json | grep -c '"citation-key"')
[ "$n" = 48 ] || fail "pipe gave $n records"

# Reading ahead on a second thread (the default) or in turn on one gives
# the same output and the same messages in the same order, also with
# duplicates (the example twice) and notes (-v).
for f in bibtex ris; do
	expect_exit 0 "$PAPERBIB" -v -t "$f" "$EXAMPLE" "$EXAMPLE"
	mv "$TMP/out" "$TMP/ahead.out"; mv "$TMP/err" "$TMP/ahead.err"
	expect_exit 0 "$PAPERBIB" -v --set input.read_ahead=no -t "$f" "$EXAMPLE" "$EXAMPLE"
	cmp -s "$TMP/out" "$TMP/ahead.out" || fail "read_ahead changed the $f output"
	cmp -s "$TMP/err" "$TMP/ahead.err" || fail "read_ahead changed the messages"
	grep -q "duplicate of an earlier record" "$TMP/err" || fail "no duplicates reported"
done
echo "cli ok"
