/* LaTeX back to Unicode, for the BibTeX readers.
 *
 * What maps to what is data: the writers' character table in latex.c
 * (pb_latex_table(), searched by its LaTeX side), and the tables below
 * for what that table does not hold (ASCII specials, text commands,
 * TeX ligatures, accents as combining marks). The code only tokenises:
 * groups, control sequences, accents and their arguments, math.
 *
 * Every table is read once, on first use, into one hash of spellings
 * (cs_keys, cs_lookup): a control sequence costs one probe, not a pass
 * over the tables, and plain text goes out in runs (plain_end). */
#include "latex_decode.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Plain text is skipped 16 bytes at a time with SSE2 (every x86-64),
 * else a byte at a time (see plain_end). */
#if defined(__SSE2__) && defined(__GNUC__)
#define SCAN_SSE2 1
#include <emmintrin.h>
#else
#define SCAN_SSE2 0
#endif

#include "latex.h"
#include "paperbib/paperbib.h"
#include "utf8.h"

/* Control sequences with a text of their own, looked up before the
 * character table. A text of " " is a space between words. */
static const struct {
	const char *latex;
	const char *text;
} specials[] = {
	{"\\&", "&"},
	{"\\%", "%"},
	{"\\#", "#"},
	{"\\_", "_"},
	{"\\$", "$"},
	{"\\{", "{"},
	{"\\}", "}"},
	{"\\ ", " "},
	{"\\\\", " "},
	{"\\-", ""}, /* a hyphenation point, not a character */
	{"\\/", ""},
	{"\\@", ""},
	{"\\textasciitilde", "~"},
	{"\\textasciicircum", "^"},
	{"\\textbackslash", "\\"},
	{"\\backslash", "\\"}, /* bibutils writes {\backslash} in text */
	{"\\textless", "<"},
	{"\\textgreater", ">"},
	{"\\textbar", "|"},
	{"\\textbraceleft", "{"},
	{"\\textbraceright", "}"},
	{"\\textunderscore", "_"},
	{"\\textdollar", "$"},
	{"\\textquotedbl", "\""},
	{"\\textquotesingle", "'"},
	{"\\textendash", "\xE2\x80\x93"},
	{"\\textemdash", "\xE2\x80\x94"},
	{"\\textquotedblleft", "\xE2\x80\x9C"},
	{"\\textquotedblright", "\xE2\x80\x9D"},
	{"\\textquoteleft", "\xE2\x80\x98"},
	{"\\textquoteright", "\xE2\x80\x99"},
	{"\\textellipsis", "\xE2\x80\xA6"},
	{"\\dots", "\xE2\x80\xA6"},
	{"\\lbrace", "{"},
	{"\\rbrace", "}"},
	{"\\LaTeX", "LaTeX"},
	{"\\TeX", "TeX"},
	{"\\BibTeX", "BibTeX"},
	{"\\hyphen", "-"}, /* biblatex's breakable hyphen */
};

/* TeX's ligatures in text, longest first. */
static const struct {
	const char *latex;
	const char *text;
} ligatures[] = {
	{"---", "\xE2\x80\x94"},
	{"--", "\xE2\x80\x93"},
	{"``", "\xE2\x80\x9C"},
	{"''", "\xE2\x80\x9D"},
	{"`", "\xE2\x80\x98"},
	{"!`", "\xC2\xA1"},
	{"?`", "\xC2\xBF"},
	{"~", "\xC2\xA0"},
};

/* Accents, by their command, and their combining marks for letters the
 * character table has no precomposed form of. Symbol accents are
 * written \'a, the others \v{c}. */
static const struct {
	const char *latex;
	uint32_t combining;
} accents[] = {
	{"\\`", 0x0300}, {"\\'", 0x0301}, {"\\^", 0x0302}, {"\\~", 0x0303},
	{"\\=", 0x0304}, {"\\u", 0x0306}, {"\\.", 0x0307}, {"\\\"", 0x0308},
	{"\\r", 0x030A}, {"\\H", 0x030B}, {"\\v", 0x030C}, {"\\d", 0x0323},
	{"\\c", 0x0327}, {"\\k", 0x0328}, {"\\b", 0x0331}, {"\\t", 0x0361},
};

/* Commands whose argument is a URL. */
enum { CMD_URL = 1, CMD_HREF };
static const struct {
	const char *latex;
	unsigned char cmd;
} url_commands[] = {
	{"\\url", CMD_URL},
	{"\\href", CMD_HREF},
};

/* Markup that becomes CSL rich text (pb_latex_decode_rich): commands
 * taking an argument (\emph{x}) and declarations opening a group
 * ({\em x}). An empty open and close keep only the text. */
static const struct {
	const char *latex;
	const char *open, *close;
	unsigned char decl; /* a declaration: {\it ...} */
} markup[] = {
	{"\\emph", "<i>", "</i>", 0},
	{"\\textit", "<i>", "</i>", 0},
	{"\\textsl", "<i>", "</i>", 0},
	{"\\mkbibemph", "<i>", "</i>", 0},
	{"\\mkbibitalic", "<i>", "</i>", 0},
	{"\\textbf", "<b>", "</b>", 0},
	{"\\mkbibbold", "<b>", "</b>", 0},
	{"\\textsc", "<sc>", "</sc>", 0},
	{"\\textsuperscript", "<sup>", "</sup>", 0},
	{"\\mkbibsuperscript", "<sup>", "</sup>", 0},
	{"\\textsubscript", "<sub>", "</sub>", 0},
	{"\\mkbibquote", "\xE2\x80\x9C", "\xE2\x80\x9D", 0},
	{"\\enquote", "\xE2\x80\x9C", "\xE2\x80\x9D", 0},
	{"\\textup", "", "", 0},
	{"\\textnormal", "", "", 0},
	{"\\textrm", "", "", 0},
	{"\\mbox", "", "", 0},
	{"\\em", "<i>", "</i>", 1},
	{"\\it", "<i>", "</i>", 1},
	{"\\itshape", "<i>", "</i>", 1},
	{"\\sl", "<i>", "</i>", 1},
	{"\\slshape", "<i>", "</i>", 1},
	{"\\bf", "<b>", "</b>", 1},
	{"\\bfseries", "<b>", "</b>", 1},
	{"\\sc", "<sc>", "</sc>", 1},
	{"\\scshape", "<sc>", "</sc>", 1},
};

/* Nocase spans, as CSL rich text spells them. */
#define NOCASE_OPEN "<span class=\"nocase\">"
#define NOCASE_CLOSE "</span>"

/* Dotless i and j, as accents take them: \'{\i}. */
static const struct {
	char letter;
	uint32_t cp;
} dotless[] = {
	{'i', 0x0131},
	{'j', 0x0237},
};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* What one spelling means to each table: a control sequence (\'a, \ss,
 * \textendash, \alpha) or an accent's canonical form (\v{c}). */
typedef struct cs_info {
	const char *key; /* key[0..len): the spelling */
	size_t len;
	const char *special;       /* its text in specials[], or NULL */
	const pb_latex_char *text; /* its text character (non-math entry) */
	const pb_latex_char *any;  /* its character, math or text */
	signed char accent;        /* its index in accents[], or -1 */
	unsigned char cmd;         /* CMD_URL, CMD_HREF or 0 */
} cs_info;

/* The spellings of every table, built once on first use, and a hash of
 * them (open addressing: a slot holds an index into cs_keys plus one, 0
 * when empty). The character table is in latex.c, so its length is no
 * constant here: should the spellings outgrow CS_KEYS, the index stays
 * off and cs_lookup scans the tables instead (same answers, slower). */
#define CS_KEYS 1024
#define CS_SLOTS (2 * CS_KEYS) /* at most half full: short probes */
static cs_info cs_keys[CS_KEYS];
static uint16_t cs_slots[CS_SLOTS];
static size_t cs_n_keys, cs_max_len;
static int cs_full; /* the spellings did not fit */
/* Bytes that end a run of plain text: braces, \, $, white space and the
 * first bytes of ligatures. */
static unsigned char stops_run[256];
#if SCAN_SSE2
static int sse2_ok; /* may_stop flags every byte of stops_run */
#endif
static pthread_once_t cs_once = PTHREAD_ONCE_INIT;
static atomic_int cs_ready;

static const cs_info no_info = {NULL, 0, NULL, NULL, NULL, -1, 0};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t cs_slot(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (size_t)((h * 2654435761u) >> 21) & (CS_SLOTS - 1);
}

/* Gives the entry in which a spelling of the tables is collected. */
typedef cs_info *(*entry_fn)(void *ctx, const char *key, size_t len);

/* Collects what every table says of each spelling, in the tables' order,
 * into the entries entry_for gives (NULL: not collected). The first
 * special wins; of the characters spelt alike (\mu: micro sign and Greek
 * mu) the later, the letter, does. */
static void collect(entry_fn entry_for, void *ctx)
{
	size_t n;
	const pb_latex_char *t = pb_latex_table(&n);
	cs_info *e;
	for (size_t i = 0; i < n; i++)
		if ((e = entry_for(ctx, t[i].latex, strlen(t[i].latex)))) {
			e->any = &t[i];
			if (!t[i].math)
				e->text = &t[i];
		}
	for (size_t i = 0; i < N_ELEM(specials); i++)
		if ((e = entry_for(ctx, specials[i].latex,
		                   strlen(specials[i].latex))) &&
		    !e->special)
			e->special = specials[i].text;
	for (size_t i = 0; i < N_ELEM(accents); i++)
		if ((e = entry_for(ctx, accents[i].latex,
		                   strlen(accents[i].latex))) &&
		    e->accent < 0)
			e->accent = (signed char)i;
	for (size_t i = 0; i < N_ELEM(url_commands); i++)
		if ((e = entry_for(ctx, url_commands[i].latex,
		                   strlen(url_commands[i].latex))) &&
		    !e->cmd)
			e->cmd = url_commands[i].cmd;
}

/* entry_for of the index: the spelling's entry, new if need be; NULL
 * once the index is full. */
static cs_info *index_entry(void *ctx, const char *key, size_t len)
{
	(void)ctx;
	size_t i = cs_slot(key, len);
	for (; cs_slots[i]; i = (i + 1) & (CS_SLOTS - 1)) {
		cs_info *e = &cs_keys[cs_slots[i] - 1];
		if (e->len == len && memcmp(e->key, key, len) == 0)
			return e;
	}
	if (cs_n_keys == CS_KEYS) {
		cs_full = 1;
		return NULL;
	}
	cs_info *e = &cs_keys[cs_n_keys++];
	cs_slots[i] = (uint16_t)cs_n_keys;
	*e = no_info;
	e->key = key;
	e->len = len;
	if (len > cs_max_len)
		cs_max_len = len;
	return e;
}

/* entry_for of a scan: the entry ctx, for its own spelling only. */
static cs_info *scan_entry(void *ctx, const char *key, size_t len)
{
	cs_info *e = ctx;
	return e->len == len && memcmp(e->key, key, len) == 0 ? e : NULL;
}

#if SCAN_SSE2
/* Bit k set: v's byte k may stop a run of plain text. A superset of
 * stops_run (cs_build checks it): NUL to ', - ? ^ ` backslash and
 * { | } ~ DEL. */
static inline unsigned may_stop(__m128i v)
{
	/* unsigned v <= '\'': min(v, 0x27) == v */
	__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x27)), v);
	/* signed, so non-ASCII bytes are below it */
	m = _mm_or_si128(m, _mm_cmpgt_epi8(v, _mm_set1_epi8(0x7A)));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('?')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('`')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('^')));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

static void cs_build(void)
{
	collect(index_entry, NULL);
	static const char run_stops[] = "{}\\$ \t\n\r\f\v";
	for (size_t i = 0; run_stops[i]; i++)
		stops_run[(unsigned char)run_stops[i]] = 1;
	for (size_t i = 0; i < N_ELEM(ligatures); i++)
		stops_run[(unsigned char)ligatures[i].latex[0]] = 1;
	stops_run['^'] = 1; /* ^{2} in rich text */
#if SCAN_SSE2
	sse2_ok = 1;
	for (unsigned b = 0; b < 256; b++)
		if (stops_run[b] && !(may_stop(_mm_set1_epi8((char)b)) & 1))
			sse2_ok = 0;
#endif
	atomic_store_explicit(&cs_ready, 1, memory_order_release);
}

/* Builds the index on first use (in any thread); afterwards one load. */
static void cs_init(void)
{
	if (!atomic_load_explicit(&cs_ready, memory_order_acquire))
		(void)pthread_once(&cs_once, cs_build);
}

/* What the tables say of the spelling s[0..len). *scan is where the
 * answer is put together when the index is off (the decoders' shared
 * one: every answer is used before the next lookup). */
static const cs_info *cs_lookup(const char *s, size_t len, cs_info *scan)
{
	if (cs_full) {
		*scan = no_info;
		scan->key = s;
		scan->len = len;
		collect(scan_entry, scan);
		return scan;
	}
	if (len > cs_max_len)
		return &no_info;
	for (size_t i = cs_slot(s, len); cs_slots[i];
	     i = (i + 1) & (CS_SLOTS - 1)) {
		const cs_info *e = &cs_keys[cs_slots[i] - 1];
		if (e->len == len && memcmp(e->key, s, len) == 0)
			return e;
	}
	return &no_info;
}

/* What the decoders of one value share (the value's and those of its
 * accents' arguments). end[]: where the { of each accent's argument
 * closes, made only when arguments nest so deep that finding their ends
 * one by one would read the value many times over (\'{\'{\'{...}}}). */
typedef struct shared {
	size_t n;       /* the whole value's length */
	size_t scanned; /* bytes group_end has read so far */
	size_t *end;    /* by offset of a {: its }, or n; NULL until made */
	int failed;     /* no memory for end[]: keep scanning */
	cs_info scan;   /* cs_lookup's answer when the index is off */
} shared;

typedef struct dec {
	pb_buf *out;
	const char *s;
	size_t n, i;
	size_t start; /* out->len before this value: no space at the start */
	int space;    /* a space is due before the next character */
	int rc;
	shared *sh;
	unsigned depth; /* groups open (run() calls on the stack) */
	unsigned flags; /* PB_LATEX_* */
	unsigned braces; /* case-protecting groups open (PB_LATEX_NOCASE) */
} dec;

static void emit(dec *d, const char *t, size_t k)
{
	if (d->rc != PB_OK || k == 0)
		return;
	if (d->space && d->out->len > d->start)
		d->rc = pb_buf_putc(d->out, ' ');
	d->space = 0;
	if (d->rc == PB_OK)
		d->rc = pb_buf_append(d->out, t, k);
}

static void emit_str(dec *d, const char *t)
{
	if (t[0] == ' ' && t[1] == '\0')
		d->space = 1;
	else
		emit(d, t, strlen(t));
}

/* As pb_buf_put_utf8, through emit (pending spaces first). */
static void emit_cp(dec *d, uint32_t cp)
{
	char u[4];
	emit(d, u, pb_utf8_encode(cp, u));
}

static void skip_spaces(dec *d)
{
	while (d->i < d->n && is_space(d->s[d->i]))
		d->i++;
}

/* Appends t without the pending space: a closing tag, after which the
 * space goes. */
static void emit_raw(dec *d, const char *t)
{
	if (d->rc == PB_OK && *t)
		d->rc = pb_buf_puts(d->out, t);
}

static void run(dec *d, int in_group);

/* The group whose { is consumed, between open and close (a tag pair of
 * rich text), or nothing when the group gives no text. A space at the
 * group's start is text ("The{ DNA}", "and{ }more"): it goes before the
 * open tag. Callers skip the spaces that are not ({\em x}, ^{ 2}). */
static void wrap_group(dec *d, const char *open, const char *close)
{
	size_t len0 = d->out->len;
	int space0 = d->space;
	if (d->i < d->n && is_space(d->s[d->i])) {
		skip_spaces(d);
		d->space = space0 = 1;
	}
	if (*open)
		emit(d, open, strlen(open));
	size_t len1 = d->out->len;
	run(d, 1);
	if (d->rc != PB_OK)
		return;
	if (d->out->len == len1 && *open) {
		d->out->len = len0;
		d->space = space0 || d->space;
		return;
	}
	if (strcmp(open, NOCASE_OPEN) == 0) {
		/* a span only round letters: {"}, {1984} are braces alone */
		int letters = 0;
		for (size_t j = len1; j < d->out->len && !letters; j++)
			letters = is_alpha(d->out->data[j]) ||
			          (unsigned char)d->out->data[j] >= 0x80;
		if (!letters) {
			size_t k = strlen(open);
			memmove(d->out->data + len1 - k, d->out->data + len1,
			        d->out->len - len1);
			d->out->len -= k;
			return;
		}
	}
	emit_raw(d, close);
}

/* The markup[] entry of the control sequence cs[0..k), or -1. */
static int markup_index(const char *cs, size_t k, int decl)
{
	for (size_t i = 0; i < N_ELEM(markup); i++)
		if (markup[i].decl == decl && strlen(markup[i].latex) == k &&
		    memcmp(markup[i].latex, cs, k) == 0)
			return (int)i;
	return -1;
}

/* Length of the control sequence at s[i] == '\\': 2 for a control
 * symbol, 1 + letters for a control word, 1 at the end. */
static size_t control_len(const char *s, size_t n, size_t i)
{
	if (i + 1 >= n)
		return 1;
	if (!is_alpha(s[i + 1]))
		return 2;
	size_t j = i + 1;
	while (j < n && is_alpha(s[j]))
		j++;
	return j - i;
}

/* Under PB_LATEX_RICH, the markup[] command at s[i] == '\\' that takes
 * an argument ("\emph {x}": rich text), or -1; *arg is the argument's {. */
static int markup_arg(const dec *d, size_t i, size_t *arg)
{
	if (!(d->flags & PB_LATEX_RICH))
		return -1;
	size_t k = control_len(d->s, d->n, i);
	int m = markup_index(d->s + i, k, 0);
	size_t j = i + k;
	while (m >= 0 && j < d->n && is_space(d->s[j]))
		j++;
	if (m < 0 || j >= d->n || d->s[j] != '{')
		return -1;
	*arg = j;
	return m;
}

/* The offset of the } closing the { at s[i], or n. */
static size_t group_end(const char *s, size_t n, size_t i)
{
	int depth = 0;
	for (size_t j = i; j < n; j++) {
		if (s[j] == '\\') {
			j++;
		} else if (s[j] == '{') {
			depth++;
		} else if (s[j] == '}' && --depth == 0) {
			return j;
		}
	}
	return n;
}

/* Fills sh->end for the value s[0..sh->n): every { that group_end
 * can start from gets the offset group_end would give. group_end skips
 * the byte after a backslash, so a scan from any offset follows the same
 * bytes as the scan from 0 once it meets them, and it meets every byte
 * that follows a byte other than a backslash, as the { of an accent's argument
 * does; the braces along the scan from 0 pair up as a stack (the stack
 * kept in end[] itself: each open { holds the one below it). */
static void make_ends(shared *sh, const char *s)
{
	const size_t none = (size_t)-1;
	size_t n = sh->n, top = none;
	for (size_t j = 0; j < n; j++) {
		if (s[j] == '\\') {
			j++;
		} else if (s[j] == '{') {
			sh->end[j] = top;
			top = j;
		} else if (s[j] == '}' && top != none) {
			size_t below = sh->end[top];
			sh->end[top] = j;
			top = below;
		}
	}
	while (top != none) {
		size_t below = sh->end[top];
		sh->end[top] = n;
		top = below;
	}
}

/* group_end(d->s, d->n, i) for the { of an accent's argument at i (never
 * after a backslash), read from the table once arguments have cost more
 * than a few passes over the value: what closes after d->n, a decoder's
 * end, closes at d->n for it. */
static size_t arg_end(dec *d, size_t i)
{
	shared *sh = d->sh;
	if (sh->end)
		return sh->end[i] < d->n ? sh->end[i] : d->n;
	size_t e = group_end(d->s, d->n, i);
	sh->scanned += e - i;
	if (!sh->failed && sh->scanned / 8 > sh->n + 512) {
		if (sh->n <= SIZE_MAX / sizeof *sh->end)
			sh->end = malloc(sh->n * sizeof *sh->end);
		if (sh->end)
			make_ends(sh, d->s);
		else
			sh->failed = 1;
	}
	return e;
}

/* Does the control sequence at s[i] become text or rich text (rather
 * than stay LaTeX)? */
static int decodable(const dec *d, size_t i)
{
	size_t k = control_len(d->s, d->n, i), arg;
	if (k < 2)
		return 0;
	const cs_info *e = cs_lookup(d->s + i, k, &d->sh->scan);
	return e->accent >= 0 || e->special || e->text || e->cmd ||
	       markup_arg(d, i, &arg) >= 0;
}

static void run(dec *d, int in_group);

/* The text character of accent a on a letter (0: none) as the table
 * spells it: \'a, \'{\i}, \v{c}, \v{\i}, \^{}. */
static const pb_latex_char *accented(const dec *d, int a, char letter,
                                     int is_dotless, int symbol)
{
	char canon[16];
	size_t k = strlen(accents[a].latex);
	if (k + 4 > sizeof canon) /* never: the commands are \' to \t */
		return NULL;
	memcpy(canon, accents[a].latex, k + 1);
	if (!letter) {
		canon[k++] = '{';
		canon[k++] = '}';
	} else if (is_dotless) {
		canon[k++] = '{';
		canon[k++] = '\\';
		canon[k++] = letter;
		canon[k++] = '}';
	} else if (symbol) {
		canon[k++] = letter;
	} else {
		canon[k++] = '{';
		canon[k++] = letter;
		canon[k++] = '}';
	}
	return cs_lookup(canon, k, &d->sh->scan)->text;
}

/* An accent (accents[a]) whose argument starts at d->i. */
static void accent(dec *d, int a, int symbol)
{
	const char *s = d->s;
	char letter = 0;
	int is_dotless = 0;
	size_t arg = d->n, arg_stop = d->n; /* a complex argument */
	skip_spaces(d);
	if (d->i < d->n && s[d->i] == '{') {
		size_t e = arg_end(d, d->i);
		size_t b = d->i + 1, k = e;
		while (b < k && is_space(s[b]))
			b++;
		while (k > b && is_space(s[k - 1]))
			k--;
		if (k - b == 1 && is_alpha(s[b])) {
			letter = s[b];
		} else if (k - b == 2 && s[b] == '\\' && (s[b + 1] == 'i' || s[b + 1] == 'j')) {
			letter = s[b + 1];
			is_dotless = 1;
		} else if (k > b) {
			arg = b;
			arg_stop = k;
		}
		d->i = e < d->n ? e + 1 : e;
	} else if (d->i + 1 < d->n && s[d->i] == '\\' &&
	           (s[d->i + 1] == 'i' || s[d->i + 1] == 'j') &&
	           (d->i + 2 >= d->n || !is_alpha(s[d->i + 2]))) {
		letter = s[d->i + 1];
		is_dotless = 1;
		d->i += 2;
	} else if (d->i < d->n && is_alpha(s[d->i])) {
		letter = s[d->i++];
	}
	if (arg < arg_stop) {
		/* \'{ab}: the decoded argument (as a value of its own, ending
		 * at arg_stop), the mark after it. d serves, so that nested
		 * arguments take little stack. */
		size_t n = d->n, resume = d->i;
		d->n = arg_stop;
		d->i = arg;
		run(d, 0);
		d->n = n;
		d->i = resume;
		d->space = 0;
		emit_cp(d, accents[a].combining);
		return;
	}
	const pb_latex_char *c = accented(d, a, letter, is_dotless, symbol);
	if (!c && letter && !is_dotless && (letter == 'i' || letter == 'j'))
		c = accented(d, a, letter, 1, symbol);
	if (c) {
		emit_cp(d, c->cp);
		return;
	}
	const char *name = accents[a].latex + 1;
	if (!letter) {
		emit(d, name, strlen(name));
		return;
	}
	if (is_dotless) {
		for (size_t k = 0; k < N_ELEM(dotless); k++)
			if (dotless[k].letter == letter)
				emit_cp(d, dotless[k].cp);
	} else {
		emit(d, &letter, 1);
	}
	emit_cp(d, accents[a].combining);
}

/* The argument {...} at d->i as a URL. */
static void url_arg(dec *d)
{
	skip_spaces(d);
	if (d->i >= d->n || d->s[d->i] != '{')
		return;
	size_t e = group_end(d->s, d->n, d->i);
	pb_buf tmp = PB_BUF_INIT;
	if (pb_latex_decode_url(&tmp, d->s + d->i + 1, e - d->i - 1) != PB_OK)
		d->rc = PB_ENOMEM;
	else
		emit(d, tmp.data, tmp.len);
	pb_buf_free(&tmp);
	d->i = e < d->n ? e + 1 : e;
}

/* Can the decoded t[0..k) lose the braces round it? Only when it is one
 * letter or digit, ASCII or written as a command ({\\AE}): anything
 * else may join what follows into another token of TeX ({'}' is not '',
 * {-}- not --, and \xE2\x80\x99 is written ' again). */
static int unbraceable(const char *t, size_t k)
{
	uint32_t cp;
	if (k == 1)
		return is_alpha(t[0]) || (t[0] >= '0' && t[0] <= '9');
	if (k == 0 || k > 4 ||
	    pb_utf8_decode((const unsigned char *)t, k, &cp) != k || cp < 0x80)
		return 0;
	const pb_latex_char *c = pb_latex_lookup(cp);
	return !c || c->latex[0] == '\\';
}

/* Brace arguments of a command kept as LaTeX: kept, contents decoded.
 * Outside title-like fields (no PB_LATEX_NOCASE: no case to protect) a
 * group of one letter after a space ("C:\\dir {\\AE}on") is that
 * letter, unbraced: "C:\\dir \xC3\x86on". */
static void kept_args(dec *d)
{
	int spaced = d->space;
	while (d->i < d->n && d->s[d->i] == '{' && d->rc == PB_OK) {
		emit(d, "{", 1);
		size_t open = d->out->len - 1;
		d->i++;
		run(d, 1);
		emit(d, "}", 1);
		size_t len = d->out->len - open; /* with both braces */
		if (d->rc == PB_OK && spaced && !(d->flags & PB_LATEX_NOCASE) &&
		    len > 2 && unbraceable(d->out->data + open + 1, len - 2)) {
			memmove(d->out->data + open, d->out->data + open + 1, len - 2);
			d->out->len -= 2;
			d->out->data[d->out->len] = '\0';
		}
		spaced = 0;
	}
}

/* The control sequence at d->s[d->i] == '\\'. */
static void command(dec *d)
{
	const char *s = d->s;
	size_t k = control_len(s, d->n, d->i);
	if (k == 1) {
		emit(d, "\\", 1);
		d->i++;
		return;
	}
	const char *cs = s + d->i;
	const cs_info *info = cs_lookup(cs, k, &d->sh->scan);
	if (info->accent >= 0) {
		d->i += k;
		accent(d, info->accent, !is_alpha(cs[1]));
		return;
	}
	if (info->special || info->text) {
		d->i += k;
		if (info->special)
			emit_str(d, info->special);
		else
			emit_cp(d, info->text->cp);
		if (is_alpha(cs[1])) /* TeX drops the spaces after a word */
			skip_spaces(d);
		return;
	}
	if (info->cmd == CMD_URL) {
		d->i += k;
		url_arg(d);
		return;
	}
	if (info->cmd == CMD_HREF) {
		d->i += k;
		skip_spaces(d);
		if (d->i < d->n && s[d->i] == '{') {
			size_t e = group_end(s, d->n, d->i);
			d->i = e < d->n ? e + 1 : e;
		}
		skip_spaces(d);
		if (d->i < d->n && s[d->i] == '{') {
			d->i++;
			run(d, 1);
		}
		return;
	}
	size_t arg;
	int m = markup_arg(d, d->i, &arg);
	if (m >= 0) {
		d->i = arg + 1;
		wrap_group(d, markup[m].open, markup[m].close);
		return;
	}
	/* Anything else stays LaTeX: \texttt{x}, \it, \cite{x}. */
	emit(d, cs, k);
	d->i += k;
	if (is_alpha(cs[1]) && d->i < d->n && is_space(s[d->i])) {
		skip_spaces(d);
		d->space = 1;
	}
	kept_args(d);
}

/* A lone symbol: "\alpha", "\times", "\times{}" with spaces around. */
static const pb_latex_char *lone_symbol(const dec *d, const char *s,
                                        size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n >= 2 && memcmp(s + n - 2, "{}", 2) == 0)
		n -= 2;
	if (n < 2 || s[0] != '\\')
		return NULL;
	/* a spelling with its argument: \mathrm{E} for a Greek capital */
	if (control_len(s, n, 0) != n && s[n - 1] != '}')
		return NULL;
	return cs_lookup(s, n, &d->sh->scan)->any;
}

/* Math characters that stand for themselves in rich text. */
static const char math_plain[] = "0123456789+-=()[]<>,.;:!?/|*";
#define MATH_MAX_DEPTH 16

static int math_tokens(const dec *d, size_t *i, size_t e, pb_buf *o,
                       int lvl, int one);

/* One token or {group} of math at s[*i] into o as rich text: 0, or -1
 * when it has no exact character (then the math stays LaTeX). */
static int math_token(const dec *d, size_t *i, size_t e, pb_buf *o, int lvl)
{
	const char *s = d->s;
	char c = s[*i];
	if (c == '{') {
		size_t g = group_end(s, e, *i);
		if (g >= e)
			return -1;
		size_t j = *i + 1;
		if (math_tokens(d, &j, g, o, lvl + 1, 0))
			return -1;
		*i = g + 1;
		return 0;
	}
	if (c == '\\') {
		size_t k = control_len(s, e, *i);
		const cs_info *info = cs_lookup(s + *i, k, &d->sh->scan);
		if (k < 2)
			return -1;
		if (info->any) {
			char u[4];
			if (pb_buf_append(o, u, pb_utf8_encode(info->any->cp, u)))
				return -1;
		} else if (info->special && !is_alpha(s[*i + 1]) &&
		           strcmp(info->special, " ") != 0) {
			if (pb_buf_puts(o, info->special))
				return -1;
		} else {
			return -1;
		}
		*i += k;
		return 0;
	}
	if (c == '^' || c == '_') {
		size_t j = *i + 1;
		while (j < e && is_space(s[j]))
			j++;
		if (j >= e)
			return -1;
		const char *tag = c == '^' ? "sup>" : "sub>";
		if (pb_buf_putc(o, '<') || pb_buf_puts(o, tag) ||
		    math_tokens(d, &j, e, o, lvl + 1, 1) || pb_buf_puts(o, "</") ||
		    pb_buf_puts(o, tag))
			return -1;
		*i = j;
		return 0;
	}
	if (c == '\'') {
		*i += 1;
		return pb_buf_puts(o, "\xE2\x80\xB2") ? -1 : 0; /* prime */
	}
	if (is_alpha(c) || (unsigned char)c >= 0x80 || (c && strchr(math_plain, c))) {
		*i += 1;
		return pb_buf_putc(o, c) ? -1 : 0;
	}
	return -1;
}

/* The tokens of s[*i..e) (only one when one is set), spaces skipped. */
static int math_tokens(const dec *d, size_t *i, size_t e, pb_buf *o,
                       int lvl, int one)
{
	if (lvl > MATH_MAX_DEPTH)
		return -1;
	while (*i < e) {
		if (is_space(d->s[*i])) {
			(*i)++;
			continue;
		}
		if (math_token(d, i, e, o, lvl))
			return -1;
		if (one)
			return 0;
	}
	return one ? -1 : 0;
}

/* Math at d->s[d->i] == '$': kept as LaTeX unless it is a lone symbol. */
static void math(dec *d)
{
	const char *s = d->s;
	size_t open = d->i + 1 < d->n && s[d->i + 1] == '$' ? 2 : 1;
	size_t b = d->i + open, e = b;
	while (e < d->n) {
		if (s[e] == '\\') {
			e += 2;
			continue;
		}
		if (s[e] == '$' && (open == 1 || (e + 1 < d->n && s[e + 1] == '$')))
			break;
		e++;
	}
	if (e >= d->n) { /* no closing $: a dollar sign */
		emit(d, "$", 1);
		d->i++;
		return;
	}
	d->i = e + open;
	const pb_latex_char *c = lone_symbol(d, s + b, e - b);
	if (c) {
		emit_cp(d, c->cp);
		return;
	}
	if (d->flags & PB_LATEX_RICH) {
		pb_buf o = PB_BUF_INIT;
		size_t j = b;
		int ok = math_tokens(d, &j, e, &o, 0, 0) == 0 && o.len > 0;
		if (ok)
			emit(d, o.data, o.len);
		pb_buf_free(&o);
		if (ok)
			return;
	}
	emit(d, s + b - open, open);
	int sp = 0;
	for (size_t j = b; j < e && d->rc == PB_OK; j++) {
		if (is_space(s[j])) {
			sp = 1;
			continue;
		}
		if (sp)
			d->rc = pb_buf_putc(d->out, ' ');
		sp = 0;
		if (d->rc == PB_OK)
			d->rc = pb_buf_putc(d->out, s[j]);
	}
	if (d->rc == PB_OK)
		d->rc = pb_buf_append(d->out, s + e, open);
}

/* The first byte of s[j..n) that may end plain text: a byte of
 * stops_run, with SSE2 a few more and not a space before a plain byte. */
static size_t next_stop(const char *s, size_t n, size_t j)
{
#if SCAN_SSE2
	if (sse2_ok)
		for (; j + 16 <= n; j += 16) {
			const __m128i v =
			    _mm_loadu_si128((const __m128i *)(const void *)(s + j));
			unsigned may = may_stop(v);
			unsigned sp = (unsigned)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
			/* a space only before a byte that may stop (or the last) */
			unsigned m = (may & ~sp) | (sp & ((may >> 1) | 0x8000u));
			if (m)
				return j + (size_t)__builtin_ctz(m);
		}
#endif
	while (j < n && !stops_run[(unsigned char)s[j]])
		j++;
	return j;
}

/* The end of the plain text at s[i..n): the first byte of stops_run,
 * but for a single space between plain bytes (it is the one space it
 * would be anyway), so that words and the spaces between them go out
 * with one append. */
static size_t plain_end(const char *s, size_t n, size_t i)
{
	if (i >= n || stops_run[(unsigned char)s[i]])
		return i;
	for (size_t j = i + 1;;) {
		j = next_stop(s, n, j);
		if (j >= n)
			return n;
		if (!stops_run[(unsigned char)s[j]])
			j++;
		else if (s[j] == ' ' && j + 1 < n &&
		         !stops_run[(unsigned char)s[j + 1]])
			j += 2;
		else
			return j;
	}
}

/* The ligature at s[0..n), or NULL; *len is its length. */
static const char *ligature(const char *s, size_t n, size_t *len)
{
	for (size_t k = 0; k < N_ELEM(ligatures); k++) {
		const char *l = ligatures[k].latex;
		size_t j = 0;
		while (j < n && l[j] && s[j] == l[j])
			j++;
		if (!l[j]) {
			*len = j;
			return ligatures[k].text;
		}
	}
	return NULL;
}

/* Groups nested deeper than any real value are copied as they are: the
 * recursion below would otherwise run out of stack (a field of 50,000
 * nested braces crashed the reader). */
#define MAX_DEPTH PB_LATEX_MAX_DEPTH

/* The rest of the group d->i is in, up to its }, copied undecoded. */
static void copy_group(dec *d)
{
	const char *s = d->s;
	size_t j = d->i;
	for (unsigned depth = 1; j < d->n; j++) {
		if (s[j] == '\\')
			j++;
		else if (s[j] == '{')
			depth++;
		else if (s[j] == '}' && --depth == 0)
			break;
	}
	if (j > d->n)
		j = d->n; /* a backslash at the end */
	emit(d, s + d->i, j - d->i);
	d->i = j < d->n ? j + 1 : d->n;
}

static void run_group(dec *d, int in_group);

/* Decodes until the end, or until the } closing the current group. */
static void run(dec *d, int in_group)
{
	if (in_group && d->depth >= MAX_DEPTH) {
		copy_group(d);
		return;
	}
	d->depth += !!in_group;
	run_group(d, in_group);
	d->depth -= !!in_group;
}

static void run_group(dec *d, int in_group)
{
	const char *s = d->s;
	while (d->i < d->n && d->rc == PB_OK) {
		size_t j = plain_end(s, d->n, d->i);
		if (j > d->i) { /* plain text, in one piece */
			emit(d, s + d->i, j - d->i);
			d->i = j;
			continue;
		}
		char c = s[d->i];
		if (c == '}') {
			d->i++;
			if (in_group)
				return;
			continue;
		}
		if (c == '{') {
			size_t k = d->i + 1 < d->n && s[d->i + 1] == '\\'
			               ? control_len(s, d->n, d->i + 1)
			               : 0;
			int m = k > 1 && (d->flags & PB_LATEX_RICH)
			            ? markup_index(s + d->i + 1, k, 1)
			            : -1;
			size_t arg;
			if (m >= 0) { /* {\em ...}: rich text */
				d->i += 1 + k;
				skip_spaces(d); /* they end the word \em */
				wrap_group(d, markup[m].open, markup[m].close);
			} else if ((d->flags & PB_LATEX_NOCASE) && d->braces == 0 &&
			           (k == 0 || markup_arg(d, d->i + 1, &arg) >= 0) &&
			           d->i + 1 < d->n && s[d->i + 1] != '}') {
				/* {DNA}, {\emph{Nature}}: case protected, a
				 * nocase span (round the rich text) */
				d->i++;
				d->braces++;
				wrap_group(d, NOCASE_OPEN, NOCASE_CLOSE);
				d->braces--;
			} else if (d->i + 1 < d->n && s[d->i + 1] == '\\' &&
			    !decodable(d, d->i + 1)) {
				/* {\it ...}: a group of LaTeX, kept */
				emit(d, "{", 1);
				d->i++;
				run(d, 1);
				emit(d, "}", 1);
			} else { /* case protection, {\'a}: only braces */
				d->i++;
				run(d, 1);
			}
			continue;
		}
		if (c == '\\') {
			command(d);
			continue;
		}
		if (c == '$') {
			math(d);
			continue;
		}
		if (c == '^' && (d->flags & PB_LATEX_RICH) && d->i + 1 < d->n &&
		    s[d->i + 1] == '{') { /* ^{2} in text */
			d->i += 2;
			skip_spaces(d); /* an exponent, not words */
			wrap_group(d, "<sup>", "</sup>");
			continue;
		}
		if (is_space(c)) {
			d->space = 1;
			skip_spaces(d);
			continue;
		}
		size_t used = 0;
		const char *text = ligature(s + d->i, d->n - d->i, &used);
		if (text) {
			emit_str(d, text);
		} else {
			emit(d, &c, 1);
			used = 1;
		}
		d->i += used;
	}
}

int pb_latex_decode(pb_buf *out, const char *s, size_t n)
{
	return pb_latex_decode_rich(out, s, n, 0);
}

int pb_latex_decode_rich(pb_buf *out, const char *s, size_t n,
                         unsigned flags)
{
	shared sh = {n, 0, NULL, 0, {NULL, 0, NULL, NULL, NULL, -1, 0}};
	dec d = {out, s, n, 0, out->len, 0, PB_OK, &sh, 0, flags, 0};
	cs_init();
	run(&d, 0);
	free(sh.end);
	if (d.rc == PB_OK && !pb_buf_cstr(out))
		d.rc = PB_ENOMEM;
	return d.rc;
}

/* The value of a hex digit, or -1. */
static int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

int pb_latex_decode_url(pb_buf *out, const char *s, size_t n)
{
	static const char escaped[] = "%#&_~$";
	static const char unreserved[] = "-._~";
	size_t start = out->len;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && strchr(escaped, s[i + 1])) {
			c = s[++i];
		} else if (is_space(c) || c == '{' || c == '}') {
			continue;
		}
		if (pb_buf_putc(out, c) != PB_OK)
			return PB_ENOMEM;
	}
	/* %XX of an unreserved character, decoded in place. */
	size_t j = start;
	for (size_t i = start; i < out->len; i++) {
		char c = out->data[i];
		int hi = c == '%' && i + 2 < out->len ? hex_value(out->data[i + 1])
		                                      : -1;
		int lo = hi >= 0 ? hex_value(out->data[i + 2]) : -1;
		int v = hi * 16 + lo;
		if (lo >= 0 && ((v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') ||
		                (v >= '0' && v <= '9') ||
		                (v != 0 && strchr(unreserved, v)))) {
			c = (char)v;
			i += 2;
		}
		out->data[j++] = c;
	}
	out->len = j;
	return pb_buf_cstr(out) ? PB_OK : PB_ENOMEM;
}
