/* Splitting personal names into given, family, particle and suffix.
 *
 * The family name always includes its particle ("van der Schaar"), and
 * particle repeats that prefix so that writers can split it off with
 * pb_name_family_core (CSL's non-dropping-particle). A particle is:
 *   - lower-case words from the particles table ("van der", "de la"), or
 *     in an inverted name any lower-case words before the last, as BibTeX
 *     reads "von Last, First";
 *   - capitalised particles when the family name clearly starts with them:
 *     "Van"/"Von" ("Vincent Van Gogh"), or one followed by a lower-case
 *     particle ("Tom Van de Wiele": family "Van de Wiele", particle
 *     "Van de", which is also what BibTeX takes as the von part of
 *     "Van de Wiele, Tom"). A lone capitalised "De", "Le" or "Di" before
 *     the last word is a given name: "Le Song" and "Di He" are Chinese
 *     names, so display-order "Augustus De Morgan" gets family "Morgan";
 *   - an elided "d'" or "l'" glued to the family name ("d'Alembert").
 * "O'Brien" and "D'Angelo" have no particle.
 *
 * A name stays literal (never split or inverted) when it is one word
 * ("Plato"), contains CJK characters ("张三"), contains an organisation
 * word ("OpenAI", "Google Research", "Allen Institute") or "&", or is
 * wrapped in braces as BibTeX protects it ("{Barack and Michelle}").
 * Runs of spaces (also no-break and ideographic spaces) count as one. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "record_store.h"
#include "utf8.h"

/* A part of a name between commas, or a word of the tables below: the
 * tables carry their lengths so that comparing a word with them needs
 * no strlen. */
typedef struct tok {
	const char *s;
	size_t n;
} tok;

#define T(x) {x, sizeof(x) - 1}

/* Lower-case particles ("van", "de", ...); their capitalised forms are
 * particles only under the rules above. */
static const tok particles[] = {
    T("de"),  T("la"),  T("le"),  T("van"),   T("von"), T("den"), T("der"),
    T("da"),  T("di"),  T("du"),  T("del"),   T("della"), T("dei"),
    T("degli"), T("des"), T("dos"), T("das"), T("do"),  T("ten"), T("ter"),
    T("zu"),  T("zum"), T("zur"), T("vom"),   T("af"),  T("av"),
};

/* Capitalised particles that start a family name on their own. */
static const tok leading_particles[] = {T("Van"), T("Von")};

/* Elided particles glued to the family name. */
static const tok elisions[] = {T("d'"), T("d\xE2\x80\x99"), T("l'"),
                               T("l\xE2\x80\x99")};

static const tok suffixes[] = {
    T("Jr."), T("Jr"), T("Sr."), T("Sr"), T("II"), T("III"), T("IV"),
};

/* Words that make a name an organisation. Matched ASCII case-insensitively
 * unless exact is set (a person may be called "Ai"). */
static const struct org_word {
	tok word;
	int exact;
} org_words[] = {
    {T("AI"), 1},
    {T("Lab"), 0},
    {T("Labs"), 0},
    {T("Laboratory"), 0},
    {T("Laboratories"), 0},
    {T("Inc"), 0},
    {T("Inc."), 0},
    {T("Ltd"), 0},
    {T("Ltd."), 0},
    {T("LLC"), 0},
    {T("Corp"), 0},
    {T("Corp."), 0},
    {T("Corporation"), 0},
    {T("Company"), 0},
    {T("Team"), 0},
    {T("Consortium"), 0},
    {T("Group"), 0},
    {T("Institute"), 0},
    {T("University"), 0},
    {T("College"), 0},
    {T("School"), 0},
    {T("Research"), 0},
    {T("DeepMind"), 0},
    {T("OpenAI"), 0},
    {T("Google"), 0},
    {T("Microsoft"), 0},
    {T("Facebook"), 0},
    {T("Center"), 0},
    {T("Centre"), 0},
    {T("Foundation"), 0},
    {T("Collaboration"), 0},
    {T("Committee"), 0},
    {T("Association"), 0},
    {T("Society"), 0},
    {T("Project"), 0},
    {T("Initiative"), 0},
    {T("Council"), 0},
    {T("Organization"), 0},
    {T("Organisation"), 0},
    {T("Department"), 0},
    {T("Agency"), 0},
    {T("Alliance"), 0},
    {T("Workshop"), 0},
};

/* Code point ranges of CJK scripts (Han, kana, Hangul). */
static const struct cp_range {
	uint32_t lo, hi;
} cjk_ranges[] = {
    {0x1100, 0x11FF},   /* Hangul Jamo */
    {0x2E80, 0x2FDF},   /* CJK radicals, Kangxi radicals */
    {0x3040, 0x30FF},   /* Hiragana, Katakana */
    {0x3130, 0x318F},   /* Hangul compatibility Jamo */
    {0x3400, 0x4DBF},   /* CJK extension A */
    {0x4E00, 0x9FFF},   /* CJK unified ideographs */
    {0xAC00, 0xD7AF},   /* Hangul syllables */
    {0xF900, 0xFAFF},   /* CJK compatibility ideographs */
    {0x20000, 0x3134F}, /* CJK extensions B to G */
};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* What a word of a name is. Each word is looked up in the tables once,
 * when the name is split into words; the rules below only test bits. */
enum {
	W_PARTICLE = 1 << 0,     /* a lower-case particle ("van") */
	W_ANY_PARTICLE = 1 << 1, /* a particle, lower-case or capitalised */
	W_LEADING = 1 << 2,      /* one of leading_particles */
	W_SUFFIX = 1 << 3,
	W_ORG = 1 << 4,
	W_AMP = 1 << 5,   /* contains "&" */
	W_WIDE = 1 << 6,  /* has a byte from 0xE1 up: may hold CJK */
	W_HIGH = 1 << 7,  /* has a byte from 0x80 up */
	W_COMMA = 1 << 8, /* contains "," */
};

/* The words of the tables in a hash table, so that looking a word up
 * costs a probe or two instead of a pass over every table. The hash
 * takes the length and the first and last bytes with ASCII letters
 * folded to lower case, so every spelling a table word matches (any case
 * of an organisation word) lands in its chain; a capitalised particle
 * ("Van") is entered under its own spelling as well. Open addressing:
 * a slot holds an entry's index plus one, 0 when empty. Built once from
 * the tables, on first use; table words are shorter than 256 bytes. */
enum { K_PARTICLE, K_LEADING, K_SUFFIX, K_ORG, K_ORG_EXACT };

#define N_ENTRIES                                                              \
	(N_ELEM(particles) + N_ELEM(leading_particles) + N_ELEM(suffixes) +    \
	 N_ELEM(org_words))
#define N_SLOTS 1024

/* a particle can take two slots; most slots stay empty */
_Static_assert(N_ENTRIES + N_ELEM(particles) <= N_SLOTS / 4,
               "names.c: enlarge N_SLOTS");
_Static_assert(N_ENTRIES < 256, "names.c: slots index entries by a byte");

/* What a table word says of a word spelt as it is (exact), spelt so but
 * capitalised (caps: a particle), or in another ASCII case (folded: an
 * organisation word). */
static struct entry {
	const char *s;
	unsigned exact, caps, folded;
} entries[N_ENTRIES];
/* a slot keeps the length and folded first byte of its word, so that
 * most probes end without looking at the entry */
static struct slot {
	unsigned char entry, n, first;
} slots[N_SLOTS];
static pthread_once_t dict_once = PTHREAD_ONCE_INIT;
static atomic_int dict_ready; /* set once the table is built */
/* By length modulo 16, a bit for the low five bits of the first byte of
 * each table word (ASCII case is the sixth): most words of a name are
 * ruled out by it alone. */
static uint32_t len_first[16];
/* W_HIGH when all table words are ASCII: a word with a high byte then
 * needs no lookup. */
static unsigned dict_skip = W_HIGH;
/* Is a byte the first of an elision? */
static unsigned char elision_first[256];

static inline size_t slot_of(unsigned first, unsigned last, size_t n)
{
	uint32_t x = first | last << 8 | (uint32_t)(n & 0xFF) << 16;
	return (size_t)((x * 2654435761u) >> 22) & (N_SLOTS - 1);
}

/* Enters entry e for the words of length n whose first and last bytes
 * are first and last. */
static void dict_put(unsigned char e, unsigned char first, unsigned char last,
                     size_t n)
{
	len_first[n % 16] |= (uint32_t)1 << (first % 32);
	size_t i = slot_of(first | 0x20u, last | 0x20u, n);
	while (slots[i].entry)
		i = (i + 1) & (N_SLOTS - 1);
	slots[i] = (struct slot){e, (unsigned char)n, first | 0x20};
}

static void dict_add(const tok *word, unsigned char kind)
{
	static unsigned char n_entries;
	static const unsigned exact[] = {
	    [K_PARTICLE] = W_PARTICLE | W_ANY_PARTICLE,
	    [K_LEADING] = W_LEADING,
	    [K_SUFFIX] = W_SUFFIX,
	    [K_ORG] = W_ORG,
	    [K_ORG_EXACT] = W_ORG,
	};
	entries[n_entries] = (struct entry){
	    word->s, exact[kind], kind == K_PARTICLE ? W_ANY_PARTICLE : 0,
	    kind == K_ORG ? W_ORG : 0};
	unsigned char e = ++n_entries;
	unsigned char first = (unsigned char)word->s[0];
	unsigned char last = (unsigned char)word->s[word->n - 1];
	dict_put(e, first, last, word->n);
	for (size_t i = 0; i < word->n; i++)
		if ((unsigned char)word->s[i] >= 0x80)
			dict_skip = 0;
	if (kind != K_PARTICLE)
		return;
	/* the capitalised spelling, as entry_match takes it */
	int cap = word->s[0] - 'a' + 'A';
	if (cap < 0 || cap >= 0x80)
		dict_skip = 0;
	if (((unsigned char)cap | 0x20) != (first | 0x20))
		dict_put(e, (unsigned char)cap,
		         word->n > 1 ? last : (unsigned char)cap, word->n);
}

static void dict_build(void)
{
	for (size_t i = 0; i < N_ELEM(particles); i++)
		dict_add(&particles[i], K_PARTICLE);
	for (size_t i = 0; i < N_ELEM(leading_particles); i++)
		dict_add(&leading_particles[i], K_LEADING);
	for (size_t i = 0; i < N_ELEM(suffixes); i++)
		dict_add(&suffixes[i], K_SUFFIX);
	for (size_t i = 0; i < N_ELEM(org_words); i++)
		dict_add(&org_words[i].word,
		         org_words[i].exact ? K_ORG_EXACT : K_ORG);
	for (size_t i = 0; i < N_ELEM(elisions); i++)
		elision_first[(unsigned char)elisions[i].s[0]] = 1;
	atomic_store_explicit(&dict_ready, 1, memory_order_release);
}

/* Builds the table on first use; afterwards one load. */
static inline void dict_init(void)
{
	if (!atomic_load_explicit(&dict_ready, memory_order_acquire))
		(void)pthread_once(&dict_once, dict_build);
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII case-insensitive, as strncasecmp in the C locale. */
static int same_folded(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) !=
		    ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Are the words a[from..n) and b[from..n) the same? Table words are
 * short: a loop beats a call to memcmp. */
static int same_from(const char *a, const char *b, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* What e says of the word s[0..n), which has the entry's length. */
static unsigned entry_match(const struct entry *e, const char *s, size_t n)
{
	const char *w = e->s;
	if (same_from(s, w, 1, n)) {
		if (s[0] == w[0])
			return e->exact;
		if (e->caps && s[0] == w[0] - 'a' + 'A')
			return e->caps;
	}
	return e->folded && same_folded(s, w, n) ? e->folded : 0;
}

/* The table bits of the word s[0..n), n > 0. */
static inline unsigned dict_lookup(const char *s, size_t n)
{
	if (!(len_first[n % 16] >> ((unsigned char)s[0] % 32) & 1))
		return 0;
	unsigned first = (unsigned char)s[0] | 0x20u;
	unsigned bits = 0;
	for (size_t i = slot_of(first, (unsigned char)s[n - 1] | 0x20u, n);
	     slots[i].entry; i = (i + 1) & (N_SLOTS - 1))
		if (slots[i].n == n && slots[i].first == first)
			bits |= entry_match(&entries[slots[i].entry - 1], s, n);
	return bits;
}

/* A word of the name being parsed, pointing into it. */
typedef struct word {
	const char *s;
	size_t n;
	unsigned bits; /* W_* */
} word;

/* Most names have a few words: they live in the struct, and only a
 * longer name takes memory for them. */
#define INLINE_WORDS 16

typedef struct words {
	word *t;
	size_t n;
	int spaced;   /* one ' ' between each two words: joins copy spans */
	unsigned all; /* the bits of every word, or-ed */
	unsigned but_last; /* the same without the last word */
	word local[INLINE_WORDS];
} words;

/* Length of the space at s (ASCII white space, U+00A0, U+3000), or 0. */
static inline size_t space_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c - 0x21u < 0x5Fu) /* ASCII but for controls and spaces */
		return 0;
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v')
		return 1;
	if (c < 0x80)
		return 0;
	/* byte by byte, so a NUL ends the comparison as strncmp would */
	if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (c == 0xE3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

/* How many bytes from p on are plain, counting up to the first that is
 * not and at most 8. Plain bytes are ASCII from 0x2D ("-") up, so
 * neither a space nor "&" nor "," nor a byte of a multibyte character:
 * most bytes of a name. The bytes up to lim are readable and so are the
 * eight before lim; p < lim - 1, as a name ends before its NUL. */
static inline size_t plain_run(const unsigned char *p, const unsigned char *lim)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* eight bytes at a time, from p or, near lim, the eight before lim
	 * shifted so that p comes first and zeros follow the NUL */
	uint64_t x;
	size_t left = (size_t)(lim - p);
	if (left >= 8)
		memcpy(&x, p, sizeof x);
	else {
		memcpy(&x, lim - 8, sizeof x);
		x >>= 8 * (8 - left);
	}
	/* the top bit of every byte below 0x2D or from 0x80 up; a borrow
	 * can mark more, but only above the first */
	uint64_t m = ((x - UINT64_C(0x2D2D2D2D2D2D2D2D)) | x) &
	             UINT64_C(0x8080808080808080);
	return m ? (size_t)__builtin_ctzll(m) / 8 : 8;
#else
	size_t i = 0;
	while (i < 8 && p + i < lim && p[i] - 0x2Du < 0x53u)
		i++;
	return i;
#endif
}

static inline int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Splits s[0..n) at runs of spaces into words with their table bits; the
 * words point into s. lim is one past the NUL of the string s is part of
 * (see readable_end): the scan reads eight bytes at a time. Free with
 * words_free. PB_OK or PB_ENOMEM. */
static int tokenize(const char *s, size_t n, const char *lim, words *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *readable = (const unsigned char *)lim;
	out->n = 0;
	out->t = out->local;
	word *t = out->t;
	size_t nw = 0, cap = INLINE_WORDS, k;
	unsigned all = 0, but_last = 0;
	/* cleared by any space but a lone ' ' between two words */
	int spaced = 1;
	/* no table word has a byte of skip (W_HIGH or none) */
	unsigned skip = dict_skip;
	while (p < end && (k = space_len((const char *)p)))
		p += k;
	while (p < end) {
		const unsigned char *b = p;
		unsigned bits = 0;
		k = 0;
		/* the spaces of space_len, tested inline: this loop sees
		 * every byte of every name */
		for (;;) {
			size_t r = plain_run(p, readable);
			p += r;
			if (p >= end)
				break;
			if (r == 8)
				continue;
			unsigned c = *p;
			size_t step = 1;
			if (c == ' ') {
				k = 1;
				break;
			}
			if (c < 0x80) {
				if (c == '&')
					bits |= W_AMP;
				else if (c == ',')
					bits |= W_COMMA;
				else if (c - '\t' < 5u) {
					k = 1;
					spaced = 0;
					break;
				}
			} else if (c < 0xE0) {
				if (c == 0xC2 && p[1] == 0xA0) {
					k = 2;
					spaced = 0;
					break;
				}
				/* a two-byte character at once: its second
				 * byte starts no space */
				if (c >= 0xC2 && p + 1 < end &&
				    (p[1] & 0xC0) == 0x80)
					step = 2;
				bits |= W_HIGH;
			} else if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
				k = 3;
				spaced = 0;
				break;
			} else
				bits |= c >= 0xE1 ? W_HIGH | W_WIDE : W_HIGH;
			if ((p += step) >= end)
				break;
		}
		if (p > end)
			p = end;
		if (nw == cap) {
			/* a word and its space take two bytes at least */
			cap = n / 2 + 1;
			word *heap = malloc(cap * sizeof *heap);
			if (!heap)
				return PB_ENOMEM;
			memcpy(heap, t, sizeof out->local);
			t = out->t = heap;
		}
		size_t len = (size_t)(p - b);
		if (!(bits & skip))
			bits |= dict_lookup((const char *)b, len);
		t[nw++] = (word){(const char *)b, len, bits};
		but_last = all;
		all |= bits;
		if (!k)
			break;
		p += k;
		while (p < end && (k = space_len((const char *)p))) {
			p += k;
			spaced = 0;
		}
	}
	out->n = nw;
	out->spaced = spaced;
	out->all = all;
	out->but_last = but_last;
	return PB_OK;
}

static void words_free(words *ts)
{
	if (ts->t != ts->local)
		free(ts->t);
	ts->t = NULL;
}

/* Does t hold a CJK character? A CJK code point is U+1100 or above, so
 * its first byte is 0xE1 or above, and such a byte never continues
 * another character: only those bytes need decoding. */
static int has_cjk(const word *t)
{
	for (size_t i = 0; i < t->n;) {
		if ((unsigned char)t->s[i] < 0xE1) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = pb_utf8_decode((const unsigned char *)t->s + i,
		                          t->n - i, &cp);
		i += k ? k : 1;
		for (size_t r = 0; r < N_ELEM(cjk_ranges); r++)
			if (cp >= cjk_ranges[r].lo && cp <= cjk_ranges[r].hi)
				return 1;
	}
	return 0;
}

/* Should the whole name, words t[0..n) with bits all or-ed, stay
 * literal? */
static int is_literal(const words *ts, size_t n, unsigned all)
{
	if (all & (W_ORG | W_AMP))
		return 1;
	if (all & W_WIDE)
		for (size_t i = 0; i < n; i++)
			if ((ts->t[i].bits & W_WIDE) && has_cjk(&ts->t[i]))
				return 1;
	return 0;
}

/* A string of n bytes and its NUL, to fill: from malloc, or from the
 * storage of the record the name is parsed for (in). */
static inline char *new_string(pb_record *in, size_t n)
{
	return in ? pb_record_alloc(in, n + 1) : malloc(n + 1);
}

static char *copy_string(pb_record *in, const char *s, size_t n)
{
	char *d = new_string(in, n);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Empties dst after a failed parse. */
static void discard(pb_name *dst, pb_record *in)
{
	if (in)
		pb_name_init(dst); /* the parts stay in the storage, unused */
	else
		pb_name_clear(dst);
}

/* Words t[from..to) joined by single spaces, for join. */
static char *join_words(pb_record *in, const words *ts, size_t from, size_t to)
{
	const word *t = ts->t;
	size_t len = to - from - 1;
	for (size_t i = from; i < to; i++)
		len += t[i].n;
	char *d = new_string(in, len);
	if (!d)
		return NULL;
	char *p = d;
	for (size_t i = from; i < to; i++) {
		if (i > from)
			*p++ = ' ';
		memcpy(p, t[i].s, t[i].n);
		p += t[i].n;
	}
	*p = '\0';
	return d;
}

/* Words t[from..to) joined by single spaces, into *dst, which is NULL
 * and stays so when the range is empty: one allocation, and when the
 * name is spaced so already, one copy of its bytes. */
static inline int join(pb_record *in, char **dst, const words *ts,
                       size_t from, size_t to)
{
	if (from >= to)
		return PB_OK;
	const word *t = ts->t;
	if (!ts->spaced && to - from > 1)
		return (*dst = join_words(in, ts, from, to)) ? PB_OK : PB_ENOMEM;
	/* copy_string, inline: this is most of the copies */
	size_t n = (size_t)(t[to - 1].s + t[to - 1].n - t[from].s);
	char *d = new_string(in, n);
	if (!d)
		return PB_ENOMEM;
	memcpy(d, t[from].s, n);
	d[n] = '\0';
	*dst = d;
	return PB_OK;
}

/* A particle, or with bibtex set any word starting in lower case. */
static int lowerish(const word *t, int bibtex)
{
	return (t->bits & W_PARTICLE) || (bibtex && is_lower(t->s[0]));
}

/* Number of particle words at the start of the family words t[f..end),
 * never all of them. With bibtex set, any word starting in lower case is
 * a particle, as in BibTeX's "von Last". Capitalised particles count
 * after a leading "Van"/"Von" ("Van Der Berg"), else only before a
 * lower-case one ("Van de Wiele", not "De" in "De Morgan"). */
static size_t particle_words(const words *ts, size_t f, size_t end, int bibtex)
{
	const word *t = ts->t;
	size_t j = f;
	while (j + 1 < end &&
	       ((t[j].bits & W_ANY_PARTICLE) || lowerish(&t[j], bibtex)))
		j++;
	if (j > f && (t[f].bits & W_LEADING))
		return j - f;
	while (j > f && !lowerish(&t[j - 1], bibtex))
		j--;
	return j - f;
}

/* Fills family and particle from the words t[f..end), the first np of
 * them particle words. */
static inline int set_family(pb_name *dst, pb_record *in, const words *ts,
                             size_t f, size_t end, size_t np)
{
	if (join(in, &dst->family, ts, f, end))
		return PB_ENOMEM;
	if (np)
		return join(in, &dst->particle, ts, f, f + np);
	const word *t = &ts->t[f];
	unsigned char c = (unsigned char)t->s[0];
	if (!elision_first[c])
		return PB_OK;
	for (size_t i = 0; i < N_ELEM(elisions); i++) {
		size_t k = elisions[i].n;
		if (t->n > k && memcmp(t->s, elisions[i].s, k) == 0)
			return (dst->particle = copy_string(in, t->s, k))
			           ? PB_OK
			           : PB_ENOMEM;
	}
	return PB_OK;
}

/* Where the family name starts in display order: at the first particle
 * (lower-case anywhere, capitalised only after a given name and only as
 * described at the top), else at the last word. */
static size_t family_start(const words *ts, size_t n)
{
	const word *t = ts->t;
	for (size_t i = 0; i + 1 < n; i++) {
		if (t[i].bits & W_PARTICLE)
			return i;
		if (i == 0 || !(t[i].bits & W_ANY_PARTICLE))
			continue;
		if ((t[i].bits & W_LEADING) ||
		    (i + 2 < n && (t[i + 1].bits & W_PARTICLE)))
			return i;
	}
	return n - 1;
}

/* Can c neither start nor end a space? Spaces start with white space,
 * 0xC2 or 0xE3 and end with white space, 0xA0 or 0x80. */
static inline int is_plain_end(unsigned c)
{
	return c - 0x21u < 0x5Fu;
}

/* s[0..n) without surrounding spaces, for trimmed. */
static tok trim_spaces(const char *s, size_t n)
{
	size_t k;
	while (n && (k = space_len(s)) && k <= n) {
		s += k;
		n -= k;
	}
	const unsigned char *u = (const unsigned char *)s;
	while (n) {
		if (is_plain_end(u[n - 1]))
			break;
		if (space_len(s + n - 1) == 1)
			n -= 1;
		else if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0xA0)
			n -= 2;
		else if (n >= 3 && u[n - 3] == 0xE3 && u[n - 2] == 0x80 &&
		         u[n - 1] == 0x80)
			n -= 3;
		else
			break;
	}
	return (tok){s, n};
}

/* s[0..n) without surrounding spaces. */
static inline tok trimmed(const char *s, size_t n)
{
	if (n && is_plain_end((unsigned char)s[0]) &&
	    is_plain_end((unsigned char)s[n - 1]))
		return (tok){s, n};
	return trim_spaces(s, n);
}

/* The literal for s[0..n), spaces normalised; lim as for tokenize. */
static int set_literal(pb_name *dst, pb_record *in, const char *s, size_t n,
                       const char *lim)
{
	words ts;
	if (tokenize(s, n, lim, &ts))
		return PB_ENOMEM;
	int rc = join(in, &dst->literal, &ts, 0, ts.n);
	words_free(&ts);
	return rc;
}

/* "{Barack and Michelle}": a name BibTeX protects with one brace group. */
static int braced(const char *s, size_t n)
{
	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return 0;
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		depth += s[i] == '{';
		depth -= s[i] == '}';
		if (depth == 0 && i + 1 < n)
			return 0;
	}
	return depth == 0;
}

/* What parse_display returns for a name with a comma, untouched. */
#define HAS_COMMA 1

/* Display-order name s[0..n), suffix from after a comma ("King, Jr.") or
 * NULL; whole[0..whole_n) is the name as given, kept when the name is
 * literal; lim as for tokenize. PB_OK, PB_EDATA, PB_ENOMEM, or HAS_COMMA
 * when s has a comma. */
static int parse_display(pb_name *dst, pb_record *in, const char *whole,
                         size_t whole_n,
                         const char *s, size_t n, const char *suffix,
                         size_t suffix_n, const char *lim)
{
	words ts;
	if (tokenize(s, n, lim, &ts))
		return PB_ENOMEM;
	if (ts.all & W_COMMA) {
		words_free(&ts);
		return HAS_COMMA;
	}
	int rc = PB_OK;
	size_t nw = ts.n;
	unsigned all = ts.all;
	if (!suffix && (all & W_SUFFIX) && nw >= 2 &&
	    (ts.t[nw - 1].bits & W_SUFFIX)) {
		suffix = ts.t[nw - 1].s;
		suffix_n = ts.t[nw - 1].n;
		nw--;
		all = ts.but_last;
	}
	if (nw == 0)
		rc = PB_EDATA;
	else if ((nw == 1 && !suffix) || is_literal(&ts, nw, all))
		rc = set_literal(dst, in, whole, whole_n, lim);
	else {
		/* without particles the family name is the last word */
		int plain = !(all & W_ANY_PARTICLE);
		size_t f = plain ? nw - 1 : family_start(&ts, nw);
		size_t np = plain ? 0 : particle_words(&ts, f, nw, 0);
		if (join(in, &dst->given, &ts, 0, f) ||
		    set_family(dst, in, &ts, f, nw, np) ||
		    (suffix && !(dst->suffix = copy_string(in, suffix, suffix_n))))
			rc = PB_ENOMEM;
	}
	words_free(&ts);
	return rc;
}

/* Splits s[0..n) at ASCII commas into at most max trimmed parts; returns
 * the number of parts, or max + 1 when there are more. */
static size_t split_commas(const char *s, size_t n, tok *parts, size_t max)
{
	size_t k = 0, b = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != ',')
			continue;
		if (k == max)
			return max + 1;
		parts[k] = trimmed(s + b, i - b);
		k++;
		b = i + 1;
	}
	return k;
}

static int part_is_suffix(const tok *p)
{
	return p->n && (dict_lookup(p->s, p->n) & W_SUFFIX);
}

/* Makes the string *s of length len safe to scan eight bytes at a time
 * (plain_run): a string shorter than that is copied to the end of pad,
 * eight bytes. Returns one past the NUL of *s. */
static inline const char *readable_end(const char **s, size_t len, char *pad)
{
	if (len + 1 < 8) {
		memset(pad, 0, 8);
		memcpy(pad + 8 - (len + 1), *s, len + 1);
		*s = pad + 8 - (len + 1);
	}
	return *s + len + 1;
}

static int parse_inverted_name(pb_name *dst, pb_record *in,
                               const char *inverted);

int pb_name_parse_into(pb_name *dst, pb_record *in, const char *display)
{
	pb_name_init(dst);
	dict_init();
	size_t len = strlen(display);
	char pad[8];
	const char *lim = readable_end(&display, len, pad);
	tok name = trimmed(display, len);
	if (!name.n)
		return PB_EDATA;
	if (name.s[0] == '{' && braced(name.s, name.n))
		return set_literal(dst, in, name.s + 1, name.n - 2, lim);
	tok part = name, suffix = {NULL, 0};
	int rc;
	/* runs twice at most: the part before a comma has none */
	while ((rc = parse_display(dst, in, name.s, name.n, part.s, part.n,
	                           suffix.s, suffix.n, lim)) == HAS_COMMA) {
		/* "Martin Luther King, Jr." is still display order; any
		 * other comma makes it an inverted name */
		tok parts[3];
		size_t k = split_commas(name.s, name.n, parts, 3);
		if (k != 2 || !part_is_suffix(&parts[1]) || !parts[0].n)
			return parse_inverted_name(dst, in, display);
		part = parts[0];
		suffix = parts[1];
	}
	if (rc != PB_OK)
		discard(dst, in);
	return rc;
}

int pb_name_parse(pb_name *dst, const char *display)
{
	return pb_name_parse_into(dst, NULL, display);
}

/* Fills dst from the parts of an inverted name; lim as for tokenize. */
static int parse_inverted(pb_name *dst, pb_record *in, const tok *last,
                          const tok *first, const tok *jr, const char *lim)
{
	words ts;
	if (!last->n)
		return PB_EDATA;
	if (tokenize(last->s, last->n, lim, &ts))
		return PB_ENOMEM;
	int rc = PB_OK;
	words given;
	given.t = NULL;
	given.n = 0;
	if (ts.n == 0)
		rc = PB_EDATA;
	else if (first && first->n &&
	         tokenize(first->s, first->n, lim, &given))
		rc = PB_ENOMEM;
	else if (set_family(dst, in, &ts, 0, ts.n,
	                    particle_words(&ts, 0, ts.n, 1)))
		rc = PB_ENOMEM;
	else if (given.t && join(in, &dst->given, &given, 0, given.n))
		rc = PB_ENOMEM;
	else if (jr && jr->n && !(dst->suffix = copy_string(in, jr->s, jr->n)))
		rc = PB_ENOMEM;
	words_free(&ts);
	if (given.t)
		words_free(&given);
	return rc;
}

static int parse_inverted_name(pb_name *dst, pb_record *in,
                               const char *inverted)
{
	pb_name_init(dst);
	dict_init();
	size_t len = strlen(inverted);
	char pad[8];
	const char *lim = readable_end(&inverted, len, pad);
	tok name = trimmed(inverted, len);
	if (!name.n)
		return PB_EDATA;
	if (name.s[0] == '{' && braced(name.s, name.n))
		return set_literal(dst, in, name.s + 1, name.n - 2, lim);
	tok p[3];
	size_t k = split_commas(name.s, name.n, p, 3);
	int rc;
	switch (k) {
	case 1: return pb_name_parse_into(dst, in, inverted);
	case 2: /* "Last, First" or "King, Jr." */
		if (part_is_suffix(&p[1]))
			rc = parse_inverted(dst, in, &p[0], NULL, &p[1], lim);
		else
			rc = parse_inverted(dst, in, &p[0], &p[1], NULL, lim);
		break;
	case 3: /* BibTeX "von Last, Jr, First" or RIS "Last, First, Jr." */
		if (!part_is_suffix(&p[1]) && part_is_suffix(&p[2]))
			rc = parse_inverted(dst, in, &p[0], &p[1], &p[2], lim);
		else
			rc = parse_inverted(dst, in, &p[0], &p[2], &p[1], lim);
		break;
	default: rc = PB_EDATA;
	}
	if (rc != PB_OK)
		discard(dst, in);
	return rc;
}

int pb_name_parse_inverted(pb_name *dst, const char *inverted)
{
	return parse_inverted_name(dst, NULL, inverted);
}
