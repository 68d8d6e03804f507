# Resource limits: 1 GB of input streams through paperbib (generated into a
# pipe, never stored). Records are not kept: what grows with the input is
# only the 64-bit hashes that find duplicates and keep citation keys unique
# (three a record, and where each title was first seen, in tables at most
# 3/4 full, doubled as they grow: at most 96 bytes a record, as README.md
# documents), whatever the size of
# the records. A single huge
# record costs memory in proportion to that record only.
# Peak RSS is measured with /usr/bin/time (Debian package `time`).
# PAPERBIB_INSTRUMENTED=asan|tsan|valgrind (make check-asan, check-tsan,
# check-valgrind)
# shrinks the input and drops the bounds, which instrumentation distorts.
. tests/lib.sh
[ -x /usr/bin/time ] || skip "/usr/bin/time not installed (Debian package time)"
need awk

# gen N: N unique paper-list records of about 1 KB (unique titles, links
# and citation keys: the family name carries N in letters).
gen() {
	awk -v n="$1" 'function letters(i, s) {
		s = ""
		do { s = sprintf("%c", 97 + i % 26) s; i = int(i / 26) } while (i > 0)
		return s
	}
	BEGIN {
		abs = "We study the problem of learning representations"
		while (length(abs) < 800)
			abs = abs " with deep networks, and show that a simple method works well"
		for (i = 1; i <= n; i++) {
			printf "Study %d of Things\n", i
			printf "Author: Ann Lee%s, Bo Chen, Carla van der Berg\n", letters(i)
			printf "link: https://openreview.net/pdf?id=id%d\n", i
			printf "Code: None\nAbstract: %s\nKeyword: learning, things\n\n", abs
		}
	}'
}

# rss N FORMAT: converts N generated records; prints peak RSS in KB.
rss() {
	gen "$1" | /usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q -t "$2" >"$TMP/count" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "$1 records, -t $2: paperbib failed"; }
	cat "$TMP/rss"
}

big=1000000
case ${PAPERBIB_INSTRUMENTED:-} in asan|tsan) big=50000 ;; valgrind) big=5000 ;; esac

# 1. Streaming: 1 GB (a million records) against 64 MB (1/16 of it).
small=$((big / 16))
start=$(date +%s)
r_small=$(rss $small bibtex)
r_big=$(rss $big bibtex)
secs=$(($(date +%s) - start))
mb=$(gen 1 | wc -c)
echo "input: $big records of $mb bytes, about $((big * mb / 1000000)) MB, in ${secs} s"
echo "peak RSS: $((r_small / 1024)) MB at $small records, $((r_big / 1024)) MB at $big records"
echo "growth: $(((r_big - r_small) * 1024 / (big - small))) bytes per record"
failed=0
if [ -z "${PAPERBIB_INSTRUMENTED:-}" ]; then
	# at most 96 bytes a record, never the records themselves (1 KB each)
	[ $(((r_big - r_small) * 1024)) -le $(((big - small) * 96)) ] || {
		echo "FAIL: memory grows by more than 96 bytes a record: $((r_small / 1024)) MB -> $((r_big / 1024)) MB"
		failed=1
	}
fi

# 1b. With nothing remembered across records ([input] duplicates = keep,
# [citekey] unique = no) memory does not grow with the input at all.
flat="--set input.duplicates=keep --set citekey.unique=no"
f_small=$(gen $small | /usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q $flat -t csl-json >/dev/null 2>"$TMP/err" && cat "$TMP/rss") ||
	{ cat "$TMP/err"; fail "flat run failed"; }
f_big=$(gen $big | /usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q $flat -t csl-json >/dev/null 2>"$TMP/err" && cat "$TMP/rss") ||
	{ cat "$TMP/err"; fail "flat run failed"; }
echo "without duplicate detection and unique keys: $((f_small / 1024)) MB at $small records, $((f_big / 1024)) MB at $big"
if [ -z "${PAPERBIB_INSTRUMENTED:-}" ] && [ $((f_big - f_small)) -gt 2048 ]; then
	echo "FAIL: memory grows with the input although nothing is remembered"
	failed=1
fi

# 2. One record of 32 MB (an abstract on one line), every writer at once:
# memory in proportion to the record.
n=32
[ -n "${PAPERBIB_INSTRUMENTED:-}" ] && n=4
{
	gen 10
	printf 'One Huge Record\nAuthor: Ann Lee\nlink: https://openreview.net/pdf?id=huge\nAbstract: '
	head -c $((n * 1000000)) /dev/zero | tr '\0' 'a'
	printf '\n\n'
	gen 10
} >"$TMP/huge.txt"
mkdir "$TMP/out"
/usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q -O "$TMP/out" "$TMP/huge.txt" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "the $n MB record: paperbib failed"; }
r=$(cat "$TMP/rss")
echo "one $n MB record, all formats (-O): peak RSS $((r / 1024)) MB ($((r * 10 / 1024 / n)) tenths of the record)"
if [ -z "${PAPERBIB_INSTRUMENTED:-}" ] && [ "$r" -gt $((16 * n * 1024 + 16384)) ]; then
	echo "FAIL: the $n MB record took more than 16 times its size (five writers)"
	failed=1
fi
[ $failed -eq 0 ] || exit 1
