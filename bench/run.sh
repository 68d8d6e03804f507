#!/bin/sh
# paperbib benchmark (issue 8): throughput and peak memory per output
# format, against bibutils and pandoc on the same records in the same run.
#
#   sh bench/run.sh PAPERBIB BENCH_GEN
#
# Builds nothing: PAPERBIB is the paperbib binary, BENCH_GEN the generator
# built from bench/gen.c (`make bench` does both). Environment:
#   SIZES="48 5000 100000"  record counts
#   RUNS=5                  runs per measurement (the median is printed)
#   PEER_RUNS_BIG=1         runs of the peers when N > 5000 (bibutils
#                           needs minutes for 100,000 records)
#   PANDOC_MAX=5000         largest N given to pandoc (it is slow; 0: never)
#   BIBUTILS_MAX=100000     largest N given to bibutils (0: never)
#   CSL_READ_MB=100         size of the CSL-JSON document for the
#                           CSL-JSON reader's row (0: no row)
#   BENCH_DIR=DIR           keep the generated lists and outputs in DIR
# See bench/README.md for how to read the output.
set -eu

# bash >= 5 reads the clock without a fork ($EPOCHREALTIME); POSIX sh
# forks `date` twice per run, about a millisecond of noise on small N.
if [ -z "${BASH_VERSION:-}" ] && command -v bash > /dev/null 2>&1 &&
	[ -z "${PB_BENCH_NO_BASH:-}" ]; then
	exec bash "$0" "$@"
fi

if [ $# -ne 2 ]; then
	echo "usage: sh bench/run.sh PAPERBIB BENCH_GEN" >&2
	exit 2
fi
PB=$1
GEN=$2
for p in "$PB" "$GEN"; do
	if [ ! -x "$p" ]; then
		echo "bench: $p: not an executable" >&2
		exit 2
	fi
done
case $PB in /*) ;; *) PB=$(pwd)/$PB ;; esac
case $GEN in /*) ;; *) GEN=$(pwd)/$GEN ;; esac

SIZES=${SIZES:-48 5000 100000}
RUNS=${RUNS:-5}
PEER_RUNS_BIG=${PEER_RUNS_BIG:-1}
PANDOC_MAX=${PANDOC_MAX:-5000}
BIBUTILS_MAX=${BIBUTILS_MAX:-100000}
CSL_READ_MB=${CSL_READ_MB:-100}
TIME=/usr/bin/time

if [ -n "${BENCH_DIR:-}" ]; then
	mkdir -p "$BENCH_DIR"
	DIR=$BENCH_DIR
	KEEP=1
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/paperbib-bench.XXXXXX")
	KEEP=0
fi
cleanup() {
	[ "$KEEP" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$TIME" ]; then
	echo "bench: $TIME (GNU time) not found; peak RSS not measured" >&2
	TIME=
fi
# Wall time in ns, read right before and after each run: bash's
# $EPOCHREALTIME (us), else GNU `date +%s%N`. The median of RUNS hides
# clock steps.
if [ -n "${EPOCHREALTIME:-}" ]; then
	now() { NOW=$EPOCHREALTIME; NOW=${NOW%[.,]*}${NOW#*[.,]}000; }
	CLOCK='bash $EPOCHREALTIME'
else
	case $(date +%N) in
	*N*|'') echo "bench: date +%N unsupported; need GNU date" >&2; exit 2 ;;
	esac
	now() { NOW=$(date +%s%N); }
	CLOCK='date +%s%N (forks: ~1 ms overhead per run)'
fi

FORMATS=$("$PB" --list-formats |
	awk '/^Output formats/ {o = 1; next} /^[^ ]/ {o = 0} o && NF {print $1}')
if [ -z "$FORMATS" ]; then
	echo "bench: $PB --list-formats lists no output format" >&2
	exit 2
fi

# median FILE: the median of the numbers in FILE, one per line.
median() {
	sort -n "$1" | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timeit NAME CMD: runs the shell command CMD RUNS times (output to
# /dev/null unless CMD redirects it), then once more under GNU time for
# the peak RSS and the CPU time. Sets T_NS (median wall ns), RSS_KB and
# CPU_MS (user + system, of that last run). Exits when CMD fails.
timeit() {
	: > "$DIR/times"
	i=0
	while [ "$i" -lt "${R:-$RUNS}" ]; do
		now
		t0=$NOW
		if ! eval "$2" > /dev/null 2> "$DIR/err"; then
			echo "bench: $1 failed: $2" >&2
			head -5 "$DIR/err" >&2
			exit 1
		fi
		now
		t1=$NOW
		echo $((t1 - t0)) >> "$DIR/times"
		i=$((i + 1))
	done
	T_NS=$(median "$DIR/times")
	RSS_KB=-
	CPU_MS=-
	if [ -n "$TIME" ] &&
		"$TIME" -f '%M %U %S' -o "$DIR/rss" sh -c "exec $2" > /dev/null 2>&1; then
		set -- $(tail -1 "$DIR/rss")
		RSS_KB=$1
		CPU_MS=$(awk -v u="$2" -v s="$3" 'BEGIN {printf "%.0f", (u + s) * 1e3}')
	fi
}

# row LABEL N BYTES: prints one line of the table from T_NS and RSS_KB.
row() {
	awk -v l="$1" -v n="$2" -v b="$3" -v t="$T_NS" -v r="$RSS_KB" \
		-v c="$CPU_MS" 'BEGIN {
		s = t / 1e9
		printf "%-26s %8d %10.2f %12.0f %10.1f %9s %8s\n", l, n, s * 1e3,
			n / s, b / 1e6 / s, (r == "-" ? "-" : sprintf("%.1f", r / 1024)), c
	}'
}

# ratio LABEL PEER_NS PB_NS
ratio() {
	awk -v l="$1" -v p="$2" -v q="$3" 'BEGIN {
		printf "  %-44s %8.1fx\n", l, p / q }'
}

have() { command -v "$1" > /dev/null 2>&1; }

echo "paperbib benchmark: $("$PB" --version 2>/dev/null | head -1)"
echo "host: $(uname -m), $(nproc 2>/dev/null || echo '?') CPUs; median of $RUNS runs; wall time incl. start-up"
echo "formats: $(echo $FORMATS)"
echo "clock: $CLOCK"
timeit "true" "/bin/true"
echo "start-up floor (/bin/true): $(awk -v t="$T_NS" 'BEGIN {printf "%.2f", t / 1e6}') ms"

for n in $SIZES; do
	list=$DIR/list-$n.txt
	"$GEN" "$n" > "$list"
	bytes=$(wc -c < "$list" | tr -d ' ')
	echo
	echo "== N = $n records, $bytes bytes of input =="
	printf "%-26s %8s %10s %12s %10s %9s %8s\n" \
		"what" "records" "ms" "records/s" "MB/s in" "RSS MB" "CPU ms"
	for f in $FORMATS; do
		timeit "paperbib -t $f" "'$PB' -q -t $f '$list'"
		row "paperbib $f" "$n" "$bytes"
		eval "PB_NS_$(echo "$f" | tr -c 'a-z0-9\n' '_')=\$T_NS"
	done
	# The same on one thread: the reader does not run ahead.
	for f in $FORMATS; do
		timeit "paperbib -t $f (1 thread)" \
			"'$PB' -q --set input.read_ahead=no -t $f '$list'"
		row "paperbib $f 1 thread" "$n" "$bytes"
		[ "$f" != bibtex ] || pb_bib1=$T_NS
	done

	# The peers read paperbib's own output of the same records.
	"$PB" -q -t ris "$list" > "$DIR/list-$n.ris"
	"$PB" -q -t csl-json "$list" > "$DIR/list-$n.json"
	pb_bib=$PB_NS_bibtex
	R=$RUNS
	[ "$n" -le 5000 ] || R=$PEER_RUNS_BIG
	[ "$R" = "$RUNS" ] || echo "(peers: $R run(s) each at this N)"
	if [ "$n" -gt "$BIBUTILS_MAX" ]; then
		echo "bibutils: skipped (N > BIBUTILS_MAX=$BIBUTILS_MAX)"
	elif have ris2xml && have xml2bib; then
		timeit "bibutils" "ris2xml '$DIR/list-$n.ris' 2>/dev/null | xml2bib"
		row "bibutils ris2xml|xml2bib" "$n" "$bytes"
		bu_ns=$T_NS
		timeit "bibutils" "ris2xml '$DIR/list-$n.ris' 2>/dev/null"
		row "bibutils ris2xml" "$n" "$bytes"
		ratio "bibutils RIS->BibTeX / paperbib list->bibtex" "$bu_ns" "$pb_bib"
		ratio "  the same, paperbib on 1 thread" "$bu_ns" "$pb_bib1"
		ratio "bibutils RIS->MODS / paperbib list->ris" "$T_NS" "$PB_NS_ris"
	else
		echo "bibutils: SKIP (ris2xml and xml2bib not found; apt-get install bibutils)"
	fi
	if [ "$n" -gt "$PANDOC_MAX" ]; then
		echo "pandoc: skipped (N > PANDOC_MAX=$PANDOC_MAX; pandoc takes minutes and GBs there)"
	elif have pandoc; then
		timeit "pandoc" "pandoc -f csljson -t bibtex '$DIR/list-$n.json'"
		row "pandoc csljson->bibtex" "$n" "$bytes"
		ratio "pandoc CSL-JSON->BibTeX / paperbib list->bibtex" "$T_NS" "$pb_bib"
	else
		echo "pandoc: SKIP (not found; apt-get install pandoc)"
	fi
	R=
	[ "$KEEP" = 1 ] || rm -f "$list" "$DIR/list-$n.ris" "$DIR/list-$n.json"
done

# The CSL-JSON reader (issue 16): a document of CSL_READ_MB megabytes,
# paperbib's own CSL-JSON of a synthetic list (about 2,350 bytes an item),
# read with --check (the reader and the pipeline, no writer), then
# converted to RIS. The reader streams: its peak RSS does not grow with
# the document.
if [ "$CSL_READ_MB" -gt 0 ]; then
	n=$((CSL_READ_MB * 425))
	json=$DIR/csl-$CSL_READ_MB.json
	"$GEN" "$n" | "$PB" -q -t csl-json > "$json"
	bytes=$(wc -c < "$json" | tr -d ' ')
	echo
	echo "== CSL-JSON reader: $n items, $bytes bytes of CSL-JSON =="
	printf "%-26s %8s %10s %12s %10s %9s %8s\n" \
		"what" "records" "ms" "records/s" "MB/s in" "RSS MB" "CPU ms"
	R=1
	[ "$CSL_READ_MB" -gt 10 ] || R=$RUNS
	timeit "paperbib --check (CSL-JSON)" "'$PB' -q --check '$json'"
	row "paperbib csl-json --check" "$n" "$bytes"
	timeit "paperbib -t ris (CSL-JSON)" "'$PB' -q -t ris '$json'"
	row "paperbib csl-json -> ris" "$n" "$bytes"
	R=
	[ "$KEEP" = 1 ] || rm -f "$json"
fi
