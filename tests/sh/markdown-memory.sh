# Memory of the Markdown reader: a Markdown document is read whole (its
# structure decides where records end), and its peak memory must stay
# under ten times its size (README.md, issue 15). Measured as the growth
# of peak RSS between a document and one eight times as large, so that the
# program's fixed cost (libraries, buffers) does not count.
# PAPERBIB_INSTRUMENTED=asan|tsan|valgrind shrinks the input and drops the
# bound, which instrumentation distorts.
. tests/lib.sh
[ -x /usr/bin/time ] || skip "/usr/bin/time not installed (Debian package time)"
need awk

# gen N: a Markdown list of N entries of the bold-title + bullets shape
# with a one-paragraph abstract, under a heading every 50 entries.
gen() {
	awk -v n="$1" 'BEGIN {
		print "# Papers\n"
		abs = "We study the problem of learning representations"
		while (length(abs) < 600)
			abs = abs " with deep networks, and show that a simple method works well"
		for (i = 1; i <= n; i++) {
			if (i % 50 == 1)
				printf "## Part %d\n\n", i / 50 + 1
			printf "**A Study of Things, Part %d**\n\n", i
			printf "- Paper: https://arxiv.org/abs/2101.%05d\n", i % 100000
			printf "- Code: https://github.com/lab%d/things\n", i
			printf "- Abstract: %s\n\n", abs
		}
	}'
}

# rss FILE: converts FILE; prints peak RSS in KB.
rss() {
	/usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q -f markdown -t csl-json "$1" \
		>/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "paperbib failed on $1"; }
	cat "$TMP/rss"
}

big=8000
case ${PAPERBIB_INSTRUMENTED:-} in asan|tsan) big=800 ;; valgrind) big=160 ;; esac
small=$((big / 8))
gen $small >"$TMP/small.md"
gen $big >"$TMP/big.md"
n=$("$PAPERBIB" -q -f markdown -t bibtex "$TMP/big.md" | grep -c '^@')
[ "$n" -eq "$big" ] || fail "$big entries read as $n records"
s_small=$(wc -c <"$TMP/small.md")
s_big=$(wc -c <"$TMP/big.md")
r_small=$(rss "$TMP/small.md")
r_big=$(rss "$TMP/big.md")
echo "input: $((s_small / 1024)) KB -> $((s_big / 1024)) KB; peak RSS: $r_small KB -> $r_big KB"
echo "growth: $(((r_big - r_small) * 1024 * 10 / (s_big - s_small))) tenths of the input's growth"
if [ -z "${PAPERBIB_INSTRUMENTED:-}" ]; then
	[ $(((r_big - r_small) * 1024)) -le $(((s_big - s_small) * 10)) ] ||
		fail "peak memory grows by more than 10 times the input"
fi
