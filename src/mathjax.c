/* MathJax clean-up: text copied from a page that MathJax rendered carries
 * every formula three times, separated by spaces:
 *
 *   spoken    O ( 1 T )                  one token per symbol, spaces between
 *   source    \mathcal{O}(\frac{1}{T})   the LaTeX the author wrote
 *   rendered  O(T1)                      the glyphs, no spaces (a fraction
 *                                        reorders; a glyph may be missing)
 *
 * A triplet is recognised when the three forms hold the same multiset of
 * characters once LaTeX commands are mapped to the characters they print.
 * That test is strict, so prose never matches by chance; the only weak
 * case, a lone letter ("where T T T is"), gets extra guards (see
 * plain_letter_ok). Text between $...$ is left alone. */
#include "mathjax.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "paperbib/paperbib.h"
#include "utf8.h"

/* Commands with their lengths, so that the table below is not measured
 * with strlen on every candidate. */
#define LEN(x)         (sizeof(x) - 1)
#define CMD(name, txt) {name, LEN(name), txt, LEN(txt)}

/* LaTeX commands a formula may use, and what MathJax prints for them
 * ("" when the command only shapes its argument or the spacing). A source
 * with a command not listed here is never matched. */
static const struct latex_cmd {
	const char *name;
	size_t name_len;
	const char *text;
	size_t text_len;
} latex_cmds[] = {
    /* structure and fonts: print their arguments only */
    CMD("frac", ""),
    CMD("dfrac", ""),
    CMD("tfrac", ""),
    CMD("sqrt", ""),
    CMD("mathcal", ""),
    CMD("mathbf", ""),
    CMD("mathrm", ""),
    CMD("mathbb", ""),
    CMD("mathit", ""),
    CMD("mathsf", ""),
    CMD("mathtt", ""),
    CMD("mathscr", ""),
    CMD("boldsymbol", ""),
    CMD("bm", ""),
    CMD("text", ""),
    CMD("textrm", ""),
    CMD("operatorname", ""),
    CMD("left", ""),
    CMD("right", ""),
    CMD("big", ""),
    CMD("Big", ""),
    CMD("bigl", ""),
    CMD("bigr", ""),
    CMD("displaystyle", ""),
    CMD("quad", ""),
    CMD("qquad", ""),
    /* operator names */
    CMD("log", "log"),
    CMD("ln", "ln"),
    CMD("exp", "exp"),
    CMD("sin", "sin"),
    CMD("cos", "cos"),
    CMD("tan", "tan"),
    CMD("max", "max"),
    CMD("min", "min"),
    CMD("sup", "sup"),
    CMD("inf", "inf"),
    CMD("lim", "lim"),
    CMD("det", "det"),
    CMD("arg", "arg"),
    CMD("dim", "dim"),
    CMD("Pr", "Pr"),
    /* Greek */
    CMD("alpha", "α"),
    CMD("beta", "β"),
    CMD("gamma", "γ"),
    CMD("delta", "δ"),
    CMD("epsilon", "ϵ"),
    CMD("varepsilon", "ε"),
    CMD("zeta", "ζ"),
    CMD("eta", "η"),
    CMD("theta", "θ"),
    CMD("vartheta", "ϑ"),
    CMD("iota", "ι"),
    CMD("kappa", "κ"),
    CMD("lambda", "λ"),
    CMD("mu", "μ"),
    CMD("nu", "ν"),
    CMD("xi", "ξ"),
    CMD("pi", "π"),
    CMD("rho", "ρ"),
    CMD("sigma", "σ"),
    CMD("tau", "τ"),
    CMD("upsilon", "υ"),
    CMD("phi", "ϕ"),
    CMD("varphi", "φ"),
    CMD("chi", "χ"),
    CMD("psi", "ψ"),
    CMD("omega", "ω"),
    CMD("Gamma", "Γ"),
    CMD("Delta", "Δ"),
    CMD("Theta", "Θ"),
    CMD("Lambda", "Λ"),
    CMD("Xi", "Ξ"),
    CMD("Pi", "Π"),
    CMD("Sigma", "Σ"),
    CMD("Upsilon", "Υ"),
    CMD("Phi", "Φ"),
    CMD("Psi", "Ψ"),
    CMD("Omega", "Ω"),
    /* symbols */
    CMD("ell", "ℓ"),
    CMD("times", "×"),
    CMD("cdot", "⋅"),
    CMD("pm", "±"),
    CMD("leq", "≤"),
    CMD("le", "≤"),
    CMD("geq", "≥"),
    CMD("ge", "≥"),
    CMD("neq", "≠"),
    CMD("ne", "≠"),
    CMD("approx", "≈"),
    CMD("sim", "∼"),
    CMD("infty", "∞"),
    CMD("in", "∈"),
    CMD("to", "→"),
    CMD("rightarrow", "→"),
    CMD("sum", "∑"),
    CMD("prod", "∏"),
    CMD("int", "∫"),
    CMD("partial", "∂"),
    CMD("nabla", "∇"),
    CMD("ldots", "…"),
    CMD("cdots", "⋯"),
    CMD("mid", "∣"),
};

/* Escaped characters: "\%" prints "%"; "\," and friends are spacing. */
static const struct latex_esc {
	char c;
	const char *text;
} latex_escs[] = {
    {'%', "%"}, {'{', "{"}, {'}', "}"}, {'_', "_"}, {'#', "#"}, {'&', "&"},
    {'$', "$"}, {',', ""},  {';', ""},  {'!', ""},  {':', ""},  {' ', ""},
};

/* Multi-letter tokens of the spoken form: MathJax speaks operator names
 * as one token ("log"); every other token is one symbol or a number.
 * Prose has many two- and three-letter words ("of", "the"), so a word is
 * looked up with one multiplication: the bytes packed into an integer
 * pick one of 16 slots, and the slot holds the only name that can match.
 * Two names in one slot would initialise it twice, which -Wextra
 * (-Woverride-init) turns into an error, so the table stays exact. */
#define MAX_WORD 3 /* the longest spoken word */
#define PACK(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)
#define SLOT(x)       ((uint32_t)((x) * 0xA581029CU) >> 28)
#define WORD(a, b, c) [SLOT(PACK(a, b, c))] = PACK(a, b, c)
static const uint32_t spoken_words[16] = {
    WORD('l', 'n', 0),   WORD('P', 'r', 0),   WORD('l', 'o', 'g'),
    WORD('e', 'x', 'p'), WORD('s', 'i', 'n'), WORD('c', 'o', 's'),
    WORD('t', 'a', 'n'), WORD('m', 'a', 'x'), WORD('m', 'i', 'n'),
    WORD('s', 'u', 'p'), WORD('i', 'n', 'f'), WORD('l', 'i', 'm'),
    WORD('d', 'e', 't'), WORD('a', 'r', 'g'), WORD('d', 'i', 'm'),
};

/* Byte classes for the scans that run over every byte of the text: most
 * bytes belong to none, and one table look-up says so. The text is a C
 * string, so its NUL stops the scans without a length check per byte. */
enum {
	B_SPACE = 1,  /* separates tokens, chunks and forms */
	B_OPEN = 2,   /* a formula may start right after it */
	B_DOLLAR = 4, /* opens or closes math the author delimited */
	B_MARK = 8,   /* a LaTeX mark: the source of a formula has one */
	B_END = 16,   /* the NUL after the text */
	B_OP2 = 32,   /* starts a two-letter operator name */
	B_OP3 = 64,   /* starts a three-letter operator name */
	B_LONG = 128, /* an ASCII byte that may start a spoken token longer
	               * than one byte */
};
static const unsigned char byte_class[256] = {
    [' '] = B_SPACE, ['\t'] = B_SPACE, ['\n'] = B_SPACE, ['\r'] = B_SPACE,
    ['('] = B_OPEN,  ['['] = B_OPEN,   ['$'] = B_DOLLAR,  ['\\'] = B_MARK,
    ['^'] = B_MARK,  ['_'] = B_MARK,   ['{'] = B_MARK,    ['}'] = B_MARK,
    ['\0'] = B_END,
    /* operator names and numbers (bytes >= 0x80 are tested apart) */
    ['l'] = B_OP2 | B_OP3 | B_LONG, ['P'] = B_OP2 | B_LONG,
    ['e'] = B_OP3 | B_LONG, ['s'] = B_OP3 | B_LONG, ['c'] = B_OP3 | B_LONG,
    ['t'] = B_OP3 | B_LONG, ['m'] = B_OP3 | B_LONG, ['i'] = B_OP3 | B_LONG,
    ['d'] = B_OP3 | B_LONG, ['a'] = B_OP3 | B_LONG,
    ['0'] = B_LONG, ['1'] = B_LONG, ['2'] = B_LONG, ['3'] = B_LONG,
    ['4'] = B_LONG, ['5'] = B_LONG, ['6'] = B_LONG, ['7'] = B_LONG,
    ['8'] = B_LONG, ['9'] = B_LONG,
};

/* Ends the run of bytes that the word scan skips: the next word may
 * start after it, or it is math or the end. */
#define B_STOP (B_SPACE | B_OPEN | B_DOLLAR | B_END)

/* Letters that are English words on their own ("a", "I") never form a
 * triplet of lone letters. */
static const char plain_letter_words[] = "aAI";

#define LATEX_MARKS "\\^_{}" /* the bytes with B_MARK */
#define MAX_TOKENS  16  /* spoken tokens in one formula */
#define MAX_CHARS   64  /* characters in one formula */
#define MAX_SOURCE  128 /* bytes of LaTeX source */
#define CLOSERS     ")]|" /* may follow the space a missing glyph leaves */

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct cpset {
	uint32_t cp[MAX_CHARS];
	size_t n;
} cpset;

typedef struct triplet {
	size_t src, src_end; /* the LaTeX source */
	size_t end;          /* just past the rendered form */
} triplet;

static int is_space(unsigned char c)
{
	return byte_class[c] & B_SPACE;
}

static int is_ascii_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ascii_alnum(unsigned char c)
{
	return is_ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* Decodes one code point; an invalid byte counts as U+FFFD of length 1. */
static size_t next_cp(const char *t, size_t n, size_t i, uint32_t *cp)
{
	if ((unsigned char)t[i] < 0x80) {
		*cp = (unsigned char)t[i];
		return 1;
	}
	size_t k = pb_utf8_decode((const unsigned char *)t + i, n - i, cp);
	return k ? k : 1;
}

static int set_add(cpset *s, uint32_t cp)
{
	if (s->n == MAX_CHARS)
		return -1;
	s->cp[s->n++] = cp;
	return 0;
}

static int set_add_utf8(cpset *s, const char *t, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += next_cp(t, n, i, &cp);
		if (set_add(s, cp))
			return -1;
	}
	return 0;
}

/* Sorts cp[0..n), n <= MAX_CHARS: an insertion sort, as set_equal only
 * compares the two sorted lists (qsort cost more than the rest). */
static void sort_cps(uint32_t *cp, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t v = cp[i];
		size_t j = i;
		for (; j > 0 && cp[j - 1] > v; j--)
			cp[j] = cp[j - 1];
		cp[j] = v;
	}
}

static int set_equal(const cpset *a, const cpset *b)
{
	if (a->n != b->n)
		return 0;
	uint32_t x[MAX_CHARS], y[MAX_CHARS];
	memcpy(x, a->cp, a->n * sizeof x[0]);
	memcpy(y, b->cp, b->n * sizeof y[0]);
	sort_cps(x, a->n);
	sort_cps(y, b->n);
	return memcmp(x, y, a->n * sizeof x[0]) == 0;
}

/* Removes one cp from s; 0 when it was there. */
static int set_take(cpset *s, uint32_t cp)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->cp[i] == cp) {
			s->cp[i] = s->cp[--s->n];
			return 0;
		}
	return -1;
}

static int set_has(const cpset *s, uint32_t cp)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->cp[i] == cp)
			return 1;
	return 0;
}

/* The operator name s[0..len), len 2 or 3: 1 when MathJax speaks it
 * as one token. */
static inline int is_spoken_word(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	if (!(byte_class[c] & (len == 2 ? B_OP2 : B_OP3)))
		return 0;
	uint32_t x = PACK(c, (unsigned char)s[1],
	                  len == 3 ? (unsigned char)s[2] : 0);
	return spoken_words[SLOT(x)] == x;
}

/* Can the word at t[i] be the first token of a spoken form? j is the
 * first byte at or after i with B_STOP. A spoken token ends at a space or
 * the end, so a word that runs into a bracket or '$' is one only when it
 * is that bracket alone; otherwise only a number, a word of at most four
 * bytes (one code point) or an operator name can be. This turns down
 * nearly all prose before spoken_token reads it again. */
static int may_speak(const char *t, size_t i, size_t j)
{
	unsigned char c = (unsigned char)t[i];
	unsigned after = byte_class[(unsigned char)t[j]];
	if (!(after & (B_SPACE | B_END)))
		return j == i;
	if (c < 0x80 && !(byte_class[c] & B_LONG))
		return j == i + 1;
	size_t len = j - i;
	if (len == 1 || (c >= '0' && c <= '9'))
		return 1;
	if (c >= 0x80)
		return len <= 4;
	return (len == 2 || len == 3) && is_spoken_word(t + i, len);
}

/* Length of the spoken-form token at t[i] (up to the next space), or 0
 * when it is not one: one symbol, a number, or an operator name. The NUL
 * after the text ends the token there. */
static size_t spoken_token(const char *t, size_t n, size_t i)
{
	const unsigned end = B_SPACE | B_END;
	unsigned char c = (unsigned char)t[i];
	if ((byte_class[c] & end) || c == '\\' || c == '$')
		return 0;
	uint32_t cp;
	size_t k = next_cp(t, n, i, &cp);
	if (byte_class[(unsigned char)t[i + k]] & end)
		return k;
	if (c >= '0' && c <= '9') {
		size_t e = i;
		while ((t[e] >= '0' && t[e] <= '9') || t[e] == '.')
			e++;
		if ((byte_class[(unsigned char)t[e]] & end) && t[e - 1] != '.')
			return e - i;
		return 0; /* no operator name starts with a digit */
	}
	/* an operator name: t[i + 1] is not the end, the next few may be */
	size_t e = i + 1;
	while (e - i <= MAX_WORD && !(byte_class[(unsigned char)t[e]] & end))
		e++;
	if (e - i > MAX_WORD)
		return 0;
	return is_spoken_word(t + i, e - i) ? e - i : 0;
}

/* The command or escape after the backslash at s[i]: what it prints, and
 * in *k the offset just past it. NULL for a command we do not know. */
static const char *latex_command(const char *s, size_t n, size_t i, size_t *k,
                                 size_t *text_len)
{
	size_t e = i + 1;
	while (e < n && is_ascii_alpha((unsigned char)s[e]))
		e++;
	*k = e + (e == i + 1);
	if (e == i + 1) {
		for (size_t j = 0; e < n && j < N_ELEM(latex_escs); j++)
			if (latex_escs[j].c == s[e]) {
				*text_len = strlen(latex_escs[j].text);
				return latex_escs[j].text;
			}
		return NULL;
	}
	for (size_t j = 0; j < N_ELEM(latex_cmds); j++)
		if (latex_cmds[j].name_len == e - i - 1 &&
		    memcmp(latex_cmds[j].name, s + i + 1, e - i - 1) == 0) {
			*text_len = latex_cmds[j].text_len;
			return latex_cmds[j].text;
		}
	return NULL;
}

/* The characters the LaTeX source s[0..n) prints. -1 when it uses a
 * command we do not know or prints more than max characters (the caller
 * gives up then, so there is no point reading on). */
static int latex_chars(const char *s, size_t n, size_t max, cpset *out)
{
	out->n = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			size_t k, len;
			const char *text = latex_command(s, n, i, &k, &len);
			if (!text || set_add_utf8(out, text, len))
				return -1;
			i = k;
		} else if (byte_class[c] & (B_SPACE | B_MARK)) {
			i++; /* braces, ^ and _ print nothing themselves */
		} else if (c == '$') {
			return -1;
		} else {
			uint32_t cp;
			i += next_cp(s, n, i, &cp);
			if (set_add(out, cp))
				return -1;
		}
		if (out->n > max)
			return -1;
	}
	return 0;
}

/* Matches the rendered form at t[i]: the characters of want in any order,
 * with no spaces except one that a missing root or bar glyph leaves
 * before a closing bracket ("O(logT/T )"). One non-ASCII glyph may be missing
 * altogether
 * ("4-norm" for the rendered "ℓ4"). Sets *end past the form. */
static int match_rendered(const char *t, size_t n, size_t i, const cpset *want,
                          size_t *end)
{
	cpset left = *want;
	size_t start = i, last = i;
	int skipped = 0;
	while (left.n && i < n) {
		uint32_t cp;
		size_t k = next_cp(t, n, i, &cp);
		if (is_space((unsigned char)t[i])) {
			if (skipped || t[i] != ' ' || i + 1 >= n ||
			    !strchr(CLOSERS, t[i + 1]) ||
			    !set_has(&left, (uint32_t)t[i + 1]))
				break;
			skipped = 1;
			i++;
			continue;
		}
		if (set_take(&left, cp))
			break;
		i += k;
		last = i;
	}
	if (left.n == 1 && want->n >= 2 && left.cp[0] >= 0x80)
		left.n = 0; /* the missing glyph */
	if (left.n || last == start)
		return 0;
	*end = last;
	return 1;
}

/* The spoken form reaches back to a sentence start: the previous
 * non-space character ends a sentence, or there is none. */
static int at_sentence_start(const char *t, size_t p)
{
	while (p > 0 && is_space((unsigned char)t[p - 1]))
		p--;
	return p == 0 || t[p - 1] == '.' || t[p - 1] == '!' || t[p - 1] == '?';
}

/* "where T T T is": a lone letter is a variable only when it is not an
 * English word, does not start a sentence, and is not part of a longer
 * run of the same letter ("x x x x"). */
static int plain_letter_ok(const char *t, size_t n, size_t p, size_t end)
{
	unsigned char c = (unsigned char)t[p];
	if (!is_ascii_alpha(c) || strchr(plain_letter_words, c))
		return 0;
	if (at_sentence_start(t, p))
		return 0;
	if (end < n && is_ascii_alnum((unsigned char)t[end]))
		return 0;
	if (p >= 2 && (unsigned char)t[p - 2] == c &&
	    (p < 3 || !is_ascii_alnum((unsigned char)t[p - 3])))
		return 0;
	if (end + 1 < n && is_space((unsigned char)t[end]) &&
	    (unsigned char)t[end + 1] == c &&
	    (end + 2 >= n || !is_ascii_alnum((unsigned char)t[end + 2])))
		return 0;
	return 1;
}

/* The source t[q..r) with no LaTeX marks is the spoken tokens written
 * together ("n = 100 n=100 n=100"); it must also contain a letter. */
static int plain_source_ok(const char *t, size_t p, size_t q, size_t r)
{
	int letter = 0;
	size_t j = q;
	for (size_t i = p; i < q; i++) {
		if (is_space((unsigned char)t[i]))
			continue;
		if (j == r || t[j] != t[i])
			return 0;
		letter |= is_ascii_alpha((unsigned char)t[j]);
		j++;
	}
	return j == r && letter;
}

/* Tries the source forms starting at t[q], after the spoken form
 * t[p..q) of k tokens with characters spoken. A source is one or more
 * space-separated chunks; a LaTeX command never spans a space, so the
 * characters of each chunk are added up as the candidate grows. */
static int try_source(const char *t, size_t n, size_t p, size_t q, int k,
                      const cpset *spoken, size_t mark, triplet *m)
{
	cpset src;
	src.n = 0;
	int marked = 0;
	size_t r = q;
	if (mark >= q + MAX_SOURCE) {
		/* no LaTeX near: only a one-chunk plain source can match */
		size_t e = q;
		while (e < n && !is_space((unsigned char)t[e]))
			e++;
		if (k == 1 ? e - q != 1 : !plain_source_ok(t, p, q, e))
			return 0;
	}
	while (r < n && r - q < MAX_SOURCE) {
		size_t c = r;
		for (unsigned char b;
		     r < n && !((b = byte_class[(unsigned char)t[r]]) & B_SPACE);
		     r++)
			marked |= b & B_MARK;
		cpset part;
		if (latex_chars(t + c, r - c, spoken->n - src.n, &part) || r == n)
			return 0;
		memcpy(src.cp + src.n, part.cp, part.n * sizeof part.cp[0]);
		src.n += part.n;
		size_t s = r;
		while (s < n && is_space((unsigned char)t[s]))
			s++;
		size_t end;
		if (src.n < spoken->n)
			goto next;
		/* without LaTeX the three forms spell the same text: one
		 * letter ("T T T"), or the spoken tokens written together */
		if (!marked &&
		    (c != q ||
		     (k == 1 ? r - q != 1 : !plain_source_ok(t, p, q, r))))
			goto next;
		if (!set_equal(&src, spoken) ||
		    !match_rendered(t, n, s, spoken, &end))
			goto next;
		if (!marked &&
		    (end - s != r - q || memcmp(t + s, t + q, r - q) != 0 ||
		     (k == 1 && !plain_letter_ok(t, n, p, end))))
			goto next;
		m->src = q;
		m->src_end = r;
		m->end = end;
		return 1;
	next:
		/* only a source with LaTeX marks has more than one chunk */
		if (mark >= s + MAX_SOURCE)
			return 0;
		r = s;
	}
	return 0;
}

/* The first LaTeX mark at or after t[p] (n, the NUL, when there is
 * none). *mark holds the previous answer (0 at first): the candidates p
 * only move forward, so all the scans together read the text at most once. */
static size_t first_mark(const char *t, size_t p, size_t *mark)
{
	if (*mark < p || !(byte_class[(unsigned char)t[*mark]] & (B_MARK | B_END)))
		*mark = p + strcspn(t + p, LATEX_MARKS);
	return *mark;
}

/* Looks for a triplet whose spoken form starts at t[p]; *mark caches
 * first_mark, which only a candidate that gets past its first token
 * needs. */
static int find_triplet(const char *t, size_t n, size_t p, size_t *mark,
                        triplet *m)
{
	cpset spoken;
	spoken.n = 0;
	size_t i = p, near = n;
	for (int k = 1; k <= MAX_TOKENS; k++) {
		size_t len = spoken_token(t, n, i);
		if (!len || set_add_utf8(&spoken, t + i, len))
			return 0;
		i += len;
		size_t q = i;
		while (q < n && is_space((unsigned char)t[q]))
			q++;
		if (q == i || q == n)
			return 0;
		if (k == 1)
			near = first_mark(t, p, mark);
		if (try_source(t, n, p, q, k, &spoken, near, m))
			return 1;
		i = q;
	}
	return 0;
}

/* Which positions can start a triplet: the word-by-word scan.
 *
 * pb_mathjax_collapse below tries find_triplet only at a position p that
 * follows a space or an opening bracket (or is 0), and find_triplet(p)
 * starts with spoken_token(p): with no first token it returns 0, and so
 * it does when that token ends at the NUL (nothing can follow it). So a
 * triplet can start only where
 *   - t[p] is not a space, '\\', '$' or the NUL, and
 *   - the word from p to the next space is one spoken token: one code
 *     point ("T", "η", "("), a number ("40.8", not ending in '.') or an
 *     operator name ("log"), and that next space is a real one.
 * Every triplet, with LaTeX marks or without ("T T T", "n = 100 n=100
 * n=100"), starts with such a token; in prose they are rare (a lone "a",
 * a year, "("), so skip_prose() below jumps from one to the next, and to
 * every '$' (math the author delimited is skipped from there as before),
 * without looking at the words in between. The loop then runs its usual
 * step at the position it returns, so the positions tried, and therefore
 * the output, are the ones the plain word-by-word scan would give: it
 * only leaves out positions where that scan's find_triplet returns 0.
 * (find_source, further down, narrows the stretches it reads.)
 *
 * may_start() is exactly "spoken_token(p) > 0 and the token ends at a
 * space", written so that the common rejections read one or two bytes. */
/* How may_start treats the first byte of a word: most ASCII bytes start
 * a token only when the next byte is a space, so they need no entry. */
enum { S_ALONE = 0, S_NEVER, S_LONG };
static const unsigned char start_class[128] = {
    ['\0'] = S_NEVER, [' '] = S_NEVER, ['\t'] = S_NEVER, ['\n'] = S_NEVER,
    ['\r'] = S_NEVER, ['\\'] = S_NEVER, ['$'] = S_NEVER,
    ['0'] = S_LONG, ['1'] = S_LONG, ['2'] = S_LONG, ['3'] = S_LONG,
    ['4'] = S_LONG, ['5'] = S_LONG, ['6'] = S_LONG, ['7'] = S_LONG,
    ['8'] = S_LONG, ['9'] = S_LONG, /* numbers */
    ['l'] = S_LONG, ['P'] = S_LONG, ['e'] = S_LONG, ['s'] = S_LONG,
    ['c'] = S_LONG, ['t'] = S_LONG, ['m'] = S_LONG, ['i'] = S_LONG,
    ['d'] = S_LONG, ['a'] = S_LONG, /* operator names: B_OP2 | B_OP3 */
};

/* may_start for a number. */
static int may_start_number(const char *t, size_t p)
{
	size_t e = p;
	while ((t[e] >= '0' && t[e] <= '9') || t[e] == '.')
		e++;
	return is_space((unsigned char)t[e]) && t[e - 1] != '.';
}

/* may_start for a byte >= 0x80: one code point, then a space. */
static int may_start_utf8(const char *t, size_t n, size_t p)
{
	uint32_t cp;
	return is_space((unsigned char)t[p + next_cp(t, n, p, &cp)]);
}

/* may_start after its first test (in skip_prose's loop, where a call
 * for every word would cost more than the test). */
static int may_start_rest(const char *t, size_t n, size_t p)
{
	unsigned char c = (unsigned char)t[p];
	if (c >= 0x80)
		return may_start_utf8(t, n, p);
	unsigned sc = start_class[c];
	if (sc == S_NEVER)
		return 0;
	unsigned char d = (unsigned char)t[p + 1];
	if (is_space(d))
		return 1; /* one character */
	if (sc == S_ALONE || !d)
		return 0;
	if (c <= '9')
		return may_start_number(t, p);
	/* an operator name of two or three letters */
	unsigned char e = (unsigned char)t[p + 2];
	if (is_space(e))
		return is_spoken_word(t + p, 2);
	return e && is_space((unsigned char)t[p + 3]) && is_spoken_word(t + p, 3);
}

/* Most words start with a byte of class S_ALONE and are longer than one
 * byte, or start with a letter and are longer than an operator name:
 * those answers need a few look-ups, so they come first. */
#define WORD_BYTE(t, p) (!(byte_class[(unsigned char)(t)[p]] & (B_SPACE | B_END)))
#define PROSE_WORD(t, p)                                                       \
	((unsigned char)(t)[p] < 0x80 && WORD_BYTE(t, (p) + 1) &&              \
	 (start_class[(unsigned char)(t)[p]] == S_ALONE ||                     \
	  ((unsigned char)(t)[p] > '9' && WORD_BYTE(t, (p) + 2) &&             \
	   WORD_BYTE(t, (p) + 3))))

/* PROSE_WORD reads past t[p] only while the bytes are word bytes, so it
 * stays inside the string as long as p < n: at p == n nothing starts. */
static int may_start(const char *t, size_t n, size_t p)
{
	return p < n && !PROSE_WORD(t, p) && may_start_rest(t, n, p);
}

/* The first position in [i, end) where the loop below may find a
 * triplet (see may_start) or where a '$' is, else end (end <= n). A
 * position can only be tried when the byte before it is a space or
 * bracket; those bytes are below 0x29 like '$', except '[', so eight
 * bytes at a time one test finds them all (with a few other punctuation
 * bytes, which the class table then turns down), and memchr finds the
 * rare '['. */
static size_t skip_prose(const char *t, size_t n, size_t i, size_t end,
                         size_t *square)
{
	if ((i == 0 || (byte_class[(unsigned char)t[i - 1]] & (B_SPACE | B_OPEN))) &&
	    may_start(t, n, i))
		return i;
	if (*square < i) {
		const char *sq = memchr(t + i, '[', n - i);
		*square = sq ? (size_t)(sq - t) : n;
	}
	size_t b = i;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
	const uint64_t high = 0x8080808080808080ULL;
	const uint64_t above = 0x5757575757575757ULL; /* 0x7F - 0x28 */
	for (;;) {
		size_t lim = *square < end ? *square : end;
		while (lim - b >= 8) {
			uint64_t w;
			memcpy(&w, t + b, 8);
			/* the high bit of each byte <= 0x28: no carries cross
			 * bytes, so the mask is exact */
			uint64_t m = ~(((w & low7) + above) | w) & high;
			for (; m; m &= m - 1) {
				size_t g = b + ((size_t)__builtin_ctzll(m) >> 3);
				unsigned cls = byte_class[(unsigned char)t[g]];
				if (!(cls & (B_SPACE | B_OPEN | B_DOLLAR)))
					continue; /* other punctuation below 0x29 */
				if (cls & B_DOLLAR)
					return g;
				if (may_start(t, n, g + 1))
					return g + 1;
			}
			b += 8;
		}
		if (lim == end)
			break;
		/* the bytes before the '[' one by one, then the '[' itself */
		for (; b <= lim; b++) {
			unsigned cls = byte_class[(unsigned char)t[b]];
			if (cls & B_DOLLAR)
				return b;
			if ((cls & (B_SPACE | B_OPEN)) && may_start(t, n, b + 1))
				return b + 1;
		}
		const char *sq = memchr(t + b, '[', n - b);
		*square = sq ? (size_t)(sq - t) : n;
	}
#endif
	for (; b < end; b++) {
		unsigned cls = byte_class[(unsigned char)t[b]];
		if (cls & B_DOLLAR)
			return b;
		if ((cls & (B_SPACE | B_OPEN)) && may_start(t, n, b + 1))
			return b + 1;
	}
	return end;
}

/* Where a source may start: the jump over prose.
 *
 * Even word by word, prose costs: may_start looks at every word, and
 * find_triplet reads on from every lone "a", "&" or year. What follows a
 * spoken form tells far more. find_triplet(p) succeeds only with k <=
 * MAX_TOKENS spoken tokens from p and a source from q, the first
 * non-space after them, and then:
 *
 *  (a) The word just before q is the last token: spoken_token at its
 *      start runs to its end, or, when it holds the first token (p just
 *      after a bracket), spoken_token at a byte after a '(' or '[' in it
 *      does. The words from p's on are tokens too, so p lies in the run
 *      of such words just before q, which spoken_run reads back: at
 *      most MAX_TOKENS words, on through words that are one token each,
 *      and stopping after one that holds a token only after a bracket.
 *      The spoken form prints at most as many characters as the run has
 *      bytes (and never more than MAX_CHARS).
 *  (b) A source without LaTeX marks (try_source's `marked` is 0) is the
 *      one word W at q, of no more bytes than the run (one letter, or
 *      the spoken tokens written together), and the rendered form, the
 *      next word, starts with W again: plain_may.
 *  (c) A source with marks: try_source read the chunk holding the first
 *      mark at or after q, so that word starts before q + MAX_SOURCE,
 *      and every byte before the mark printed a character, no more than
 *      the spoken form has. A character is one to four bytes, at most
 *      one of them no UTF-8 continuation byte (an invalid byte is one on
 *      its own), so the bytes give a lower bound on their number:
 *      marked_may.
 *
 * Call a q that passes (a) and (b) or (c) a possible source. A triplet
 * at p >= i has one, some q > p, and p is no earlier than the start of
 * the run found for it, even when spoken_run reads back no further than
 * i (p >= i). And the start of that run only moves forward with q: a
 * run that reaches back to an earlier possible source goes on through
 * the same words and stops where that one's run stops, or sooner, having
 * fewer words left. So for the first possible source q > i, no triplet
 * starts in [i, start of its run); find_source finds that q. The loop
 * below jumps to the start of the run (or to the next '$', if that comes
 * first), runs skip_prose and its usual step up to q only, and looks for
 * the next possible source once past q. (Until then the q found stays
 * the first one: the run, read back no further than an earlier i, may
 * start earlier than it would now, which only widens the stretch read.)
 * The loop thus tries, in order, every position of the word-by-word scan
 * but ones where find_triplet returns 0, and stops at every '$', so the
 * same '$' open and close math: the output and the count are the same.
 *
 * find_source looks at few bytes of prose. A token starts after a space
 * or bracket and ends at a space; 64 bytes at a time it marks the bytes
 * below 0x3A (as a signed byte: spaces, '(', digits, most punctuation,
 * bytes >= 0x80), so that a number or a symbol of several bytes has such
 * a byte right after its first, and an operator name (letters) two or
 * three bytes on. Only positions after such a byte (or a '[') with one
 * of them one, two or three bytes on are read, and of the latter only
 * operator names; the first from i on whose token has a possible source
 * after it ends the search. Visiting all tokens in order, it knows
 * whether the word before a token held one, so for most tokens of prose
 * (source_at) a few bytes after q settle (b) and (c) for a run of the
 * token alone. */

/* spoken_token(t, n, x), with the answers for most prose read off a few
 * bytes: an ASCII byte followed by a space is a token unless it is '\\'
 * or '$' (or a space itself), one that is no digit and starts no
 * operator name is a token only alone, and an operator name has two or
 * three letters (spoken_token's loop, unrolled: t[x + 2] and t[x + 3]
 * are read only when the byte before is no NUL). */
static inline size_t token_len(const char *t, size_t n, size_t x)
{
	const unsigned end = B_SPACE | B_END;
	unsigned char c = (unsigned char)t[x];
	if (c >= 0x80 || (c >= '0' && c <= '9'))
		return spoken_token(t, n, x);
	unsigned cls = byte_class[c];
	if (byte_class[(unsigned char)t[x + 1]] & end)
		return !(cls & end) && c != '\\' && c != '$';
	if (!(cls & (B_OP2 | B_OP3)))
		return 0;
	if (byte_class[(unsigned char)t[x + 2]] & end)
		return is_spoken_word(t + x, 2) ? 2 : 0;
	if (byte_class[(unsigned char)t[x + 3]] & end)
		return is_spoken_word(t + x, 3) ? 3 : 0;
	return 0;
}

/* The first token start in the word that ends at e (t[e] is a space),
 * read back no further than a; e when there is none. It is the word
 * itself when that starts after a space, else a byte after a bracket. A
 * token is one code point (at most four bytes), an operator name or a
 * number (digits and dots), so once the bytes from y to e are more than
 * four and not all digits or dots, none starts at y or before. */
static size_t token_word(const char *t, size_t n, size_t a, size_t e)
{
	/* the common answers for prose: a word that does not end in a digit
	 * holds no number, so a token in it starts at one of its last four
	 * bytes, after a space or bracket; with no bracket there, it is the
	 * word itself, after the last space */
	unsigned char last = (unsigned char)t[e - 1];
	if ((last < '0' || last > '9') && e - a >= 5) {
		unsigned k1 = byte_class[(unsigned char)t[e - 2]];
		unsigned k2 = byte_class[(unsigned char)t[e - 3]];
		unsigned k3 = byte_class[(unsigned char)t[e - 4]];
		unsigned k4 = byte_class[(unsigned char)t[e - 5]];
		unsigned all = k1 | k2 | k3 | k4;
		if (!(all & (B_SPACE | B_OPEN)))
			return e;
		if (!(all & B_OPEN)) {
			size_t y = k1 & B_SPACE   ? e - 1
			           : k2 & B_SPACE ? e - 2
			           : k3 & B_SPACE ? e - 3
			                          : e - 4;
			return token_len(t, n, y) ? y : e;
		}
	}
	size_t w = e;
	int digits = 1;
	for (size_t y = e; y > a;) {
		unsigned char c = (unsigned char)t[--y];
		digits &= (c >= '0' && c <= '9') || c == '.';
		if (!digits && e - y > 4)
			break;
		unsigned before =
		    y ? byte_class[(unsigned char)t[y - 1]] : B_SPACE;
		if ((before & (B_SPACE | B_OPEN)) && token_len(t, n, y))
			w = y;
		if (before & B_SPACE)
			break;
	}
	return w;
}

/* (a): the run of words before a source that may be its spoken form,
 * read back from the first token t[x..e) and no further than a: the
 * start of its first word when start is set, else its bytes. The run
 * goes on only through words that are one token each (starting after a
 * space), MAX_TOKENS at most. */
static size_t spoken_run(const char *t, size_t n, size_t a, size_t x,
                         size_t e, int start)
{
	/* after a bracket, another bracket before it may start a token */
	if (x > 0 && !is_space((unsigned char)t[x - 1]))
		x = token_word(t, n, a, e);
	size_t total = e - x;
	for (int k = 1;
	     k < MAX_TOKENS && (x == 0 || is_space((unsigned char)t[x - 1]));
	     k++) {
		for (e = x; e > a && is_space((unsigned char)t[e - 1]);)
			e--;
		size_t w = e > a ? token_word(t, n, a, e) : e;
		if (w == e)
			break;
		total += e - w;
		x = w;
	}
	return start ? x : total;
}

/* (b): the word at q has at most max bytes and the next word starts with
 * it. */
static int plain_may(const char *t, size_t q, size_t max)
{
	size_t r = q;
	while (r - q <= max &&
	       !(byte_class[(unsigned char)t[r]] & (B_SPACE | B_END)))
		r++;
	if (r - q > max || !is_space((unsigned char)t[r]))
		return 0;
	size_t s = r;
	while (is_space((unsigned char)t[s]))
		s++;
	return strncmp(t + s, t + q, r - q) == 0;
}

/* (c): the first LaTeX mark at or after q is in a word that starts
 * before q + MAX_SOURCE, and the bytes before it print at most max
 * characters. */
static int marked_may(const char *t, size_t q, size_t max)
{
	size_t bytes = 0, chars = 0;
	for (size_t x = q;; x++) {
		unsigned char c = (unsigned char)t[x];
		unsigned cls = byte_class[c];
		if (cls & B_MARK)
			return 1;
		if (cls & B_END)
			return 0;
		if (cls & B_SPACE) {
			/* the next word would start too far */
			if (x + 1 - q >= MAX_SOURCE)
				return 0;
			continue;
		}
		bytes++;
		chars += (c & 0xC0) != 0x80;
		if (chars > max || bytes > 4 * max)
			return 0;
	}
}


/* Does a token start at x: may one start there (after a space or
 * bracket), and does spoken_token find one? */
static inline int token_at(const char *t, size_t n, size_t x)
{
	return (x == 0 ||
	        (byte_class[(unsigned char)t[x - 1]] & (B_SPACE | B_OPEN))) &&
	       token_len(t, n, x);
}

/* The source start after the token at x (>= a), when it is a possible
 * source (a to c), with the start of its run in *run; else 0. */
static size_t source_after(const char *t, size_t n, size_t a, size_t x,
                           size_t len, size_t q, size_t *run)
{
	size_t bytes = spoken_run(t, n, a, x, x + len, 0);
	if (bytes > MAX_CHARS)
		bytes = MAX_CHARS;
	if (!plain_may(t, q, bytes) && !marked_may(t, q, bytes))
		return 0;
	*run = spoken_run(t, n, a, x, x + len, 1);
	return q;
}

/* source_after for the token t[x..x + len) (x >= a), with the commonest
 * case first: the token is a whole word and the word before it holds no
 * token, so the run is the token alone. find_source visits every token
 * from a on in order, and prev_end is the end of the last one before x:
 * a token in the word before x would end where that word ends. Then
 * when the len + 1 bytes from q are neither spaces, marks, the NUL nor
 * UTF-8 continuation bytes, the word at q is longer than the run (no b)
 * and they print len + 1 characters before any mark (no c). */
static inline size_t source_at(const char *t, size_t n, size_t a, size_t x,
                               size_t len, size_t prev_end, size_t *run)
{
	size_t q = x + len;
	if (!is_space((unsigned char)t[q]))
		return 0;
	while (is_space((unsigned char)t[q]))
		q++;
	if (q == n)
		return 0;
	if (x == 0 || is_space((unsigned char)t[x - 1])) {
		size_t e = x;
		while (e > a && is_space((unsigned char)t[e - 1]))
			e--;
		if (e <= a || prev_end != e) {
			size_t k = 0;
			while (k <= len &&
			       !(byte_class[(unsigned char)t[q + k]] &
			         (B_SPACE | B_MARK | B_END)) &&
			       ((unsigned char)t[q + k] & 0xC0) != 0x80)
				k++;
			size_t max = len < MAX_CHARS ? len : MAX_CHARS;
			if (k > len ||
			    (!plain_may(t, q, max) && !marked_may(t, q, max)))
				return 0;
			*run = x;
			return q;
		}
	}
	return source_after(t, n, a, x, len, q, run);
}

/* The bytes find_source treats as separators: every space, the NUL, '('
 * and also digits, most ASCII punctuation, control bytes and bytes >=
 * 0x80 (below 0x3A as a signed byte), so that a number or a symbol of
 * several bytes has one at its second byte. A token may also follow a
 * '[', which find_source adds apart (it is rare). */
static inline unsigned sep_byte(unsigned char c)
{
	return c < 0x3A || c >= 0x80;
}

/* The first possible source after a token in the 64 bytes t[b..], 0
 * if none, visiting the tokens in order. sep: bit k for t[b + k] (see
 * sep_byte); ahead: the same for the three bytes after them; after: the
 * positions to look at, just after a separator or a '['. A token starts
 * at one of those and ends at a space: one byte on (a symbol of one
 * byte; of several, whose second byte is >= 0x80; a number, whose
 * second byte is a digit or '.': separators all), or two or three bytes
 * on (an operator name: letters only). *last_end: the end of the last
 * token visited. */
static inline size_t block_sources(const char *t, size_t n, size_t a,
                                   size_t b, uint64_t sep, uint64_t ahead,
                                   uint64_t after, size_t *last_end,
                                   size_t *run)
{
	const char *p = t + b;
	uint64_t n1 = sep >> 1 | ahead << 63, n2 = sep >> 2 | ahead << 62;
	uint64_t n3 = sep >> 3 | ahead << 61;
	for (uint64_t m = after & (n1 | n2 | n3); m; m &= m - 1) {
		size_t j = (size_t)__builtin_ctzll(m), x = b + j, len;
		if (n1 >> j & 1) {
			if (x && !(byte_class[(unsigned char)t[x - 1]] &
			           (B_SPACE | B_OPEN)))
				continue;
			len = token_len(t, n, x);
		} else {
			/* an operator name: two letters, or three */
			len = n2 >> j & 1 ? 2 : 3;
			if (!(byte_class[(unsigned char)p[j]] &
			      (len == 2 ? B_OP2 : B_OP3)) ||
			    !is_spoken_word(p + j, len) || !token_at(t, n, x))
				continue;
		}
		if (!len)
			continue;
		size_t prev_end = *last_end, q;
		*last_end = x + len;
		if ((q = source_at(t, n, a, x, len, prev_end, run)))
			return q;
	}
	return 0;
}

#if defined(__SSE2__)
/* The 16 bytes at p that are no separators (sep_byte), bit k for p[k]. */
static inline uint64_t word_mask16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i word = _mm_cmpgt_epi8(v, _mm_set1_epi8(0x39));
	return (unsigned)_mm_movemask_epi8(word);
}

/* sep_byte for the 64 bytes at p, bit k for p[k]. */
static inline uint64_t sep_mask64(const char *p)
{
	return ~(word_mask16(p) | word_mask16(p + 16) << 16 |
	         word_mask16(p + 32) << 32 | word_mask16(p + 48) << 48);
}
#endif

/* sep_byte for len (<= 64) bytes at t[i..], the NUL and whatever would
 * follow it counting as separators (and not read). */
static uint64_t sep_mask_tail(const char *t, size_t n, size_t i, size_t len)
{
	uint64_t m = 0;
	for (size_t k = 0; k < len; k++)
		if (i + k >= n || sep_byte((unsigned char)t[i + k]))
			m |= (uint64_t)1 << k;
	return m;
}

/* The first '[' after t[i], or n. */
static size_t next_square(const char *t, size_t n, size_t i)
{
	const char *p = memchr(t + i + 1, '[', n - i - 1);
	return p ? (size_t)(p - t) : n;
}

/* The first possible source after a (> a), with the start of its run in
 * *run; SIZE_MAX and n when there is none. *square caches the first '['
 * at or after a (SIZE_MAX at first). */
static size_t find_source(const char *t, size_t n, size_t a, size_t *run,
                          size_t *square)
{
	unsigned char before = a ? (unsigned char)t[a - 1] : ' ';
	uint64_t in = sep_byte(before) || before == '[';
	*run = n;
	if (*square < a || *square > n) {
		const char *p = memchr(t + a, '[', n - a);
		*square = p ? (size_t)(p - t) : n;
	}
	size_t sq = *square; /* the next '[' in the scan */
	size_t last_end = 0;  /* the end of the last token found */
	for (size_t b = a; b < n; b += 64) {
		/* the bytes t[c..c + 64), those before b not live */
		size_t c = b;
		uint64_t sep, ahead, live = ~(uint64_t)0;
#if defined(__SSE2__)
		if (n - b > 64) {
			sep = sep_mask64(t + b);
			ahead = n - b >= 80 ? ~word_mask16(t + b + 64) & 7
			                    : sep_mask_tail(t, n, b + 64, 3);
		} else if (n >= 64) {
			/* the last 64 bytes: the NUL is a separator */
			c = n - 64;
			sep = sep_mask64(t + c);
			ahead = 7;
			live <<= b - c;
			before = c ? (unsigned char)t[c - 1] : ' ';
			in = sep_byte(before) || before == '[';
		} else
#endif
		{
			/* the NUL, and what would follow it, are separators */
			sep = sep_mask_tail(t, n, b, 64);
			ahead = sep_mask_tail(t, n, b + 64, 3);
			if (n - b < 64)
				live = ((uint64_t)1 << (n - b)) - 1;
		}
		uint64_t after = sep << 1 | in;
		for (; sq < n && sq < c + 63; sq = next_square(t, n, sq))
			after |= (uint64_t)1 << (sq + 1 - c);
		in = sep >> 63 | (sq == c + 63);
		size_t q = block_sources(t, n, a, c, sep, ahead, after & live,
		                         &last_end, run);
		if (q)
			return q;
		b = c;
	}
	return SIZE_MAX;
}

int pb_mathjax_collapse(const char *text, pb_buf *out, unsigned *collapsed)
{
	size_t n = strlen(text);
	unsigned count = 0;
	size_t i = 0, copied = 0, mark = 0, square = 0;
	/* the next '$', and the next possible source with its run (see
	 * find_source; source <= i: look for the next one) */
	const char *d = memchr(text, '$', n);
	size_t dollar = d ? (size_t)(d - text) : n, source = 0, run = 0;
	size_t source_square = SIZE_MAX; /* find_source's '[' */
	while (i < n) {
		if (text[i] == '$') {
			/* math the author delimited stays as it is */
			const char *close = memchr(text + i + 1, '$', n - i - 1);
			i = close ? (size_t)(close - text) + 1 : i + 1;
			continue;
		}
		if (dollar < i) {
			d = memchr(text + i, '$', n - i);
			dollar = d ? (size_t)(d - text) : n;
		}
		/* no triplet starts before the run of the next possible
		 * source, so the scan goes on from there (or the next '$')
		 * up to that source; past it, find the next one */
		if (source <= i)
			source = find_source(text, n, i, &run, &source_square);
		size_t from = run > i ? run : i;
		size_t next = skip_prose(text, n, from < dollar ? from : dollar,
		                         source < n ? source : n, &square);
		if (next != i) {
			i = next;
			continue;
		}
		/* The word at i runs to j, the next byte where a word may
		 * start or math opens; one table look-up a byte skips it. A
		 * formula starts at a word start or just inside a bracket
		 * (the byte before i is a space or bracket, or i is 0). */
		size_t j = i;
		while (!(byte_class[(unsigned char)text[j]] & B_STOP))
			j++;
		triplet m = {0};
		if ((i == 0 ||
		     (byte_class[(unsigned char)text[i - 1]] & (B_SPACE | B_OPEN))) &&
		    may_speak(text, i, j) && find_triplet(text, n, i, &mark, &m)) {
			/* "O( L 2 L^2 L2)": the space MathJax left after a
			 * bracket goes with the triplet, giving "O($L^2$)" */
			size_t keep = i;
			while (keep > copied && text[keep - 1] == ' ')
				keep--;
			if (keep == i || keep == copied ||
			    (text[keep - 1] != '(' && text[keep - 1] != '['))
				keep = i;
			if (pb_buf_append(out, text + copied, keep - copied) ||
			    pb_buf_putc(out, '$') ||
			    pb_buf_append(out, text + m.src,
			                  m.src_end - m.src) ||
			    pb_buf_putc(out, '$'))
				return PB_ENOMEM;
			count++;
			i = copied = m.end;
			continue;
		}
		/* the position after a space or bracket, else the '$' or
		 * the end */
		i = j + !!(byte_class[(unsigned char)text[j]] & (B_SPACE | B_OPEN));
	}
	if (pb_buf_append(out, text + copied, n - copied))
		return PB_ENOMEM;
	if (collapsed)
		*collapsed = count;
	return PB_OK;
}
