# The bad-input table of issue 7: each row pins the exit code and the
# exact stderr. Exit codes: 1 bad input data, 2 usage or configuration,
# 3 input/output. PAPERBIB_INSTRUMENTED (asan, tsan, valgrind: set by
# make check-asan, check-tsan, check-valgrind) shrinks the 100 MB line and drops the
# memory bound, which instrumentation distorts.
. tests/lib.sh
D=tests/data

# expect_stderr TEXT: stderr of the last expect_exit is exactly TEXT
# (printf format: \n between lines).
expect_stderr() {
	# shellcheck disable=SC2059
	printf "$1\n" >"$TMP/want"
	cmp -s "$TMP/want" "$TMP/err" || {
		diff -u "$TMP/want" "$TMP/err"
		fail "stderr differs (row: $row)"
	}
}

# late_fail: a row that fails without stopping the rest of the table.
failed=0
late_fail() {
	echo "FAIL: $*"
	failed=1
}

row="missing file"
expect_exit 3 "$PAPERBIB" -q "$TMP/missing.txt"
expect_stderr "paperbib: $TMP/missing.txt: error: cannot read: No such file or directory"
[ -s "$TMP/out" ] && fail "$row: wrote output"

row="a directory given as file"
expect_exit 3 "$PAPERBIB" -q "$TMP"
expect_stderr "paperbib: $TMP: error: cannot read: Is a directory"

row="unreadable file"
cp "$EXAMPLE" "$TMP/secret.txt"
chmod 000 "$TMP/secret.txt"
if [ "$(id -u)" -eq 0 ]; then
	# root reads a mode-000 file, so there is nothing to test as root
	echo "note: row '$row' not run: root ignores file modes"
else
	expect_exit 3 "$PAPERBIB" -q "$TMP/secret.txt"
	expect_stderr "paperbib: $TMP/secret.txt: error: cannot read: Permission denied"
fi
chmod 600 "$TMP/secret.txt"

row="empty file"
: >"$TMP/empty.txt"
expect_exit 1 "$PAPERBIB" "$TMP/empty.txt"
expect_stderr "paperbib: $TMP/empty.txt: error: no records found\npaperbib: 0 records, 0 warnings, 1 error"
[ -s "$TMP/out" ] && fail "$row: wrote output"

row="binary file"
# 4 KB of every byte value, as an image or a PDF would have
awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", i % 256 }' </dev/null |
	LC_ALL=C tr -d '\n' >"$TMP/binary.dat"
expect_exit 1 "$PAPERBIB" -q "$TMP/binary.dat"
expect_stderr "paperbib: $TMP/binary.dat: error: no records found"
[ -s "$TMP/out" ] && fail "$row: wrote output"

row="NUL bytes"
expect_exit 0 "$PAPERBIB" -t csl-json "$D/bad-nul.txt"
expect_stderr "paperbib: $D/bad-nul.txt:1:19: warning: NUL byte replaced by U+FFFD\npaperbib: 1 record, 1 warning"
grep -q '"title": "A Title With a NUL\\ufffd Byte"\|"title": "A Title With a NUL� Byte"' "$TMP/out" ||
	fail "$row: title not kept with U+FFFD"

row="invalid UTF-8"
expect_exit 0 "$PAPERBIB" -t csl-json "$D/bad-utf8.txt"
expect_stderr "paperbib: $D/bad-utf8.txt:1:4: warning: invalid UTF-8 byte 0xFF replaced by U+FFFD\npaperbib: 1 record, 1 warning"
expect_exit 1 "$PAPERBIB" -q --strict -t csl-json "$D/bad-utf8.txt"
expect_stderr "paperbib: $D/bad-utf8.txt:1:4: error: invalid UTF-8 byte 0xFF replaced by U+FFFD"

row="a record with every field empty"
expect_exit 0 "$PAPERBIB" -t bibtex "$D/bad-empty-fields.txt"
expect_stderr "paperbib: 1 record, 0 warnings"
grep -q 'title      = {Empty Fields Everywhere},' "$TMP/out" || fail "$row: no title"
# the title, and the key natbib labels an entry with no author by
[ "$(grep -c ' = ' "$TMP/out")" -eq 2 ] || fail "$row: empty fields written"
grep -q '^  key        = {Empty},' "$TMP/out" || fail "$row: no key"

row="INI syntax error"
expect_exit 2 "$PAPERBIB" -c "$D/bad-syntax.ini" "$EXAMPLE"
expect_stderr "paperbib: $D/bad-syntax.ini:1: error: syntax error: '[venue'"
[ -s "$TMP/out" ] && fail "$row: wrote output"

row="unknown section"
expect_exit 2 "$PAPERBIB" -c "$D/bad-section.ini" "$EXAMPLE"
expect_stderr "paperbib: $D/bad-section.ini:4: error: unknown section [colours] (known: venue, input, citekey, bibtex, biblatex, csl-json, opml, ris)"

row="unknown key"
expect_exit 2 "$PAPERBIB" -c "$D/bad-key.ini" "$EXAMPLE"
expect_stderr "paperbib: $D/bad-key.ini:3: error: unknown key 'colour' in [venue] (known: name, short_name, year, date, publisher, location, track)"

row="bad value: year = soon"
expect_exit 2 "$PAPERBIB" -c "$D/bad-year.ini" "$EXAMPLE"
expect_stderr "paperbib: $D/bad-year.ini:2: error: [venue] year: 'soon' is not a year (four digits)"

row="unknown -t"
expect_exit 2 "$PAPERBIB" -t docx "$EXAMPLE"
expect_stderr "paperbib: unknown output format 'docx' (see --list-formats)\nTry 'paperbib --help' for more information."

row="unwritable -o"
echo "not a folder" >"$TMP/plain"
expect_exit 3 "$PAPERBIB" -q -o "$TMP/plain/refs.bib" "$EXAMPLE"
expect_stderr "paperbib: $TMP/plain/refs.bib: error: cannot write: Not a directory"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$TMP/ro"
	chmod 555 "$TMP/ro"
	expect_exit 3 "$PAPERBIB" -q -o "$TMP/ro/refs.bib" "$EXAMPLE"
	expect_stderr "paperbib: $TMP/ro/refs.bib: error: cannot write: Permission denied"
	[ -z "$(ls -A "$TMP/ro")" ] || fail "$row: left a file in the folder"
	chmod 755 "$TMP/ro"
else
	echo "note: read-only folder row not run: root ignores folder modes"
fi

row="-O to a missing folder"
expect_exit 3 "$PAPERBIB" -q -O "$TMP/nofolder" "$EXAMPLE"
expect_stderr "paperbib: $TMP/nofolder/iclr2020-talks.bib: error: cannot write: No such file or directory"
[ -e "$TMP/nofolder" ] && fail "$row: created the folder"

row="output to /dev/full"
expect_exit 3 sh -c "exec \"\$0\" -q -t csl-json \"\$1\" >/dev/full" "$PAPERBIB" "$EXAMPLE"
expect_stderr "paperbib: error writing standard output: No space left on device"

row="stdout closed"
expect_exit 3 sh -c "exec \"\$0\" -q \"\$1\" >&-" "$PAPERBIB" "$EXAMPLE"
expect_stderr "paperbib: error writing standard output: Bad file descriptor"

row="SIGPIPE from | head -1"
# quiet: killed by SIGPIPE (128 + 13) and nothing on stderr
{ "$PAPERBIB" "$EXAMPLE" 2>"$TMP/err"; echo $? >"$TMP/rc"; } | head -n 1 >"$TMP/out"
[ "$(cat "$TMP/rc")" -eq 141 ] || fail "$row: exit $(cat "$TMP/rc"), expected 141 (SIGPIPE)"
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "$row: stderr not empty"; }
[ "$(cat "$TMP/out")" = "@inproceedings{girdhar2020cater," ] || fail "$row: first line"
# with SIGPIPE ignored (as under some parents), EPIPE is a write error
{ trap '' PIPE; "$PAPERBIB" -q "$EXAMPLE" 2>"$TMP/err"; echo $? >"$TMP/rc"; } | head -n 1 >/dev/null
[ "$(cat "$TMP/rc")" -eq 3 ] || fail "$row (ignored): exit $(cat "$TMP/rc"), expected 3"
expect_stderr "paperbib: error writing standard output: Broken pipe"

row="an overlong line (100 MB)"
mb=100
case ${PAPERBIB_INSTRUMENTED:-} in asan|tsan) mb=20 ;; valgrind) mb=4 ;; esac
{
	printf 'A Paper With a Very Long Abstract\nAuthor: Ann Lee\n'
	printf 'link: https://openreview.net/pdf?id=LONG1\nAbstract: '
	head -c $((mb * 1000000)) /dev/zero | tr '\0' 'a'
	printf '\nKeyword: length\n'
} >"$TMP/long.txt"
if [ -z "${PAPERBIB_INSTRUMENTED:-}" ] && [ -x /usr/bin/time ]; then
	expect_exit 0 /usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q -t csl-json "$TMP/long.txt"
	rss=$(cat "$TMP/rss")
	echo "100 MB line: peak RSS $((rss / 1024)) MB"
	# bounded by the record: at most 8 copies of the line
	[ "$rss" -lt $((8 * mb * 1000)) ] || fail "$row: peak RSS ${rss} KB"
else
	expect_exit 0 "$PAPERBIB" -q -t csl-json "$TMP/long.txt"
fi
[ ! -s "$TMP/err" ] || fail "$row: stderr not empty"
[ "$(wc -c <"$TMP/out")" -gt $((mb * 1000000)) ] || fail "$row: abstract cut"
rm -f "$TMP/long.txt" "$TMP/out"

# The same line outside any record (a minified page): no record, and in
# about the time reading it takes, not minutes.
{ head -c $((mb * 1000000)) /dev/zero | tr '\0' 'x'; echo; } >"$TMP/long.txt"
limit=30
[ -n "${PAPERBIB_INSTRUMENTED:-}" ] && limit=300
timeout $limit "$PAPERBIB" -q "$TMP/long.txt" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 124 ]; then
	late_fail "$row, outside a record: not done after $limit s"
else
	[ $rc -eq 1 ] || fail "$row, outside a record: exit $rc, expected 1"
	expect_stderr "paperbib: $TMP/long.txt: error: no records found"
fi
rm -f "$TMP/long.txt"

row="-o naming a device"
# -o must write into a device (or a FIFO), never rename a temporary over it:
# as root that would replace /dev/full or /dev/null with a regular file.
# Tested on a private node, never on the real /dev/full.
if [ "$(id -u)" -eq 0 ] && mknod "$TMP/full" c 1 7 2>/dev/null; then
	"$PAPERBIB" -q -o "$TMP/full" -t ris "$EXAMPLE" 2>"$TMP/err"
	rc=$?
	if [ -c "$TMP/full" ]; then
		[ $rc -eq 3 ] || late_fail "$row: exit $rc, expected 3"
		expect_stderr "paperbib: $TMP/full: error: cannot write: No space left on device"
	else
		late_fail "$row: -o replaced a device node (/dev/full) with a regular file"
	fi
	mknod "$TMP/null" c 1 3
	"$PAPERBIB" -q -o "$TMP/null" -t ris "$EXAMPLE" 2>"$TMP/err"
	[ -c "$TMP/null" ] || late_fail "$row: -o replaced a device node (/dev/null) with a regular file"
else
	echo "note: row '$row' not run: mknod needs root"
fi
[ $failed -eq 0 ] || exit 1
echo "bad-input table: every row as expected"
