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
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"
#include "utf8.h"

/* LaTeX commands a formula may use, and what MathJax prints for them
 * ("" when the command only shapes its argument or the spacing). A source
 * with a command not listed here is never matched. */
static const struct latex_cmd {
	const char *name;
	const char *text;
} latex_cmds[] = {
    /* structure and fonts: print their arguments only */
    {"frac", ""},
    {"dfrac", ""},
    {"tfrac", ""},
    {"sqrt", ""},
    {"mathcal", ""},
    {"mathbf", ""},
    {"mathrm", ""},
    {"mathbb", ""},
    {"mathit", ""},
    {"mathsf", ""},
    {"mathtt", ""},
    {"mathscr", ""},
    {"boldsymbol", ""},
    {"bm", ""},
    {"text", ""},
    {"textrm", ""},
    {"operatorname", ""},
    {"left", ""},
    {"right", ""},
    {"big", ""},
    {"Big", ""},
    {"bigl", ""},
    {"bigr", ""},
    {"displaystyle", ""},
    {"quad", ""},
    {"qquad", ""},
    /* operator names */
    {"log", "log"},
    {"ln", "ln"},
    {"exp", "exp"},
    {"sin", "sin"},
    {"cos", "cos"},
    {"tan", "tan"},
    {"max", "max"},
    {"min", "min"},
    {"sup", "sup"},
    {"inf", "inf"},
    {"lim", "lim"},
    {"det", "det"},
    {"arg", "arg"},
    {"dim", "dim"},
    {"Pr", "Pr"},
    /* Greek */
    {"alpha", "α"},
    {"beta", "β"},
    {"gamma", "γ"},
    {"delta", "δ"},
    {"epsilon", "ϵ"},
    {"varepsilon", "ε"},
    {"zeta", "ζ"},
    {"eta", "η"},
    {"theta", "θ"},
    {"vartheta", "ϑ"},
    {"iota", "ι"},
    {"kappa", "κ"},
    {"lambda", "λ"},
    {"mu", "μ"},
    {"nu", "ν"},
    {"xi", "ξ"},
    {"pi", "π"},
    {"rho", "ρ"},
    {"sigma", "σ"},
    {"tau", "τ"},
    {"upsilon", "υ"},
    {"phi", "ϕ"},
    {"varphi", "φ"},
    {"chi", "χ"},
    {"psi", "ψ"},
    {"omega", "ω"},
    {"Gamma", "Γ"},
    {"Delta", "Δ"},
    {"Theta", "Θ"},
    {"Lambda", "Λ"},
    {"Xi", "Ξ"},
    {"Pi", "Π"},
    {"Sigma", "Σ"},
    {"Upsilon", "Υ"},
    {"Phi", "Φ"},
    {"Psi", "Ψ"},
    {"Omega", "Ω"},
    /* symbols */
    {"ell", "ℓ"},
    {"times", "×"},
    {"cdot", "⋅"},
    {"pm", "±"},
    {"leq", "≤"},
    {"le", "≤"},
    {"geq", "≥"},
    {"ge", "≥"},
    {"neq", "≠"},
    {"ne", "≠"},
    {"approx", "≈"},
    {"sim", "∼"},
    {"infty", "∞"},
    {"in", "∈"},
    {"to", "→"},
    {"rightarrow", "→"},
    {"sum", "∑"},
    {"prod", "∏"},
    {"int", "∫"},
    {"partial", "∂"},
    {"nabla", "∇"},
    {"ldots", "…"},
    {"cdots", "⋯"},
    {"mid", "∣"},
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
 * as one token ("log"); every other token is one symbol or a number. */
static const char *const spoken_words[] = {
    "log", "ln",  "exp", "sin", "cos", "tan", "max", "min",
    "sup", "inf", "lim", "det", "arg", "dim", "Pr",
};

/* Letters that are English words on their own ("a", "I") never form a
 * triplet of lone letters. */
static const char plain_letter_words[] = "aAI";

#define MAX_TOKENS  16  /* spoken tokens in one formula */
#define MAX_CHARS   64  /* characters in one formula */
#define MAX_SOURCE  128 /* bytes of LaTeX source */
#define LATEX_MARKS "\\^_{}"
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
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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

static int cmp_cp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int set_equal(const cpset *a, const cpset *b)
{
	cpset x = *a, y = *b;
	if (x.n != y.n)
		return 0;
	qsort(x.cp, x.n, sizeof x.cp[0], cmp_cp);
	qsort(y.cp, y.n, sizeof y.cp[0], cmp_cp);
	return memcmp(x.cp, y.cp, x.n * sizeof x.cp[0]) == 0;
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

/* Length of the spoken-form token at t[i] (up to the next space), or 0
 * when it is not one: one symbol, a number, or an operator name. */
static size_t spoken_token(const char *t, size_t n, size_t i)
{
	size_t e = i;
	while (e < n && !is_space((unsigned char)t[e]))
		e++;
	size_t len = e - i;
	if (!len || t[i] == '\\' || t[i] == '$')
		return 0;
	uint32_t cp;
	if (next_cp(t, n, i, &cp) == len)
		return len;
	if (t[i] >= '0' && t[i] <= '9') {
		size_t k = i;
		while (k < e && ((t[k] >= '0' && t[k] <= '9') || t[k] == '.'))
			k++;
		if (k == e && t[e - 1] != '.')
			return len;
	}
	for (size_t w = 0; w < N_ELEM(spoken_words); w++)
		if (strlen(spoken_words[w]) == len &&
		    memcmp(spoken_words[w], t + i, len) == 0)
			return len;
	return 0;
}

/* The characters the LaTeX source s[0..n) prints. -1 when it uses a
 * command we do not know or holds too many characters. */
static int latex_chars(const char *s, size_t n, cpset *out)
{
	out->n = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			size_t k = i + 1;
			while (k < n && is_ascii_alpha((unsigned char)s[k]))
				k++;
			const char *text = NULL;
			if (k == i + 1) {
				for (size_t e = 0;
				     k < n && e < N_ELEM(latex_escs); e++)
					if (latex_escs[e].c == s[k])
						text = latex_escs[e].text;
				k++;
			} else {
				for (size_t e = 0; e < N_ELEM(latex_cmds); e++)
					if (strlen(latex_cmds[e].name) ==
					        k - i - 1 &&
					    memcmp(latex_cmds[e].name,
					           s + i + 1, k - i - 1) == 0)
						text = latex_cmds[e].text;
			}
			if (!text || set_add_utf8(out, text, strlen(text)))
				return -1;
			i = k;
		} else if (is_space(c) || c == '{' || c == '}' || c == '^' ||
		           c == '_') {
			i++;
		} else if (c == '$') {
			return -1;
		} else {
			uint32_t cp;
			i += next_cp(s, n, i, &cp);
			if (set_add(out, cp))
				return -1;
		}
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
	cpset src = {.n = 0};
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
		while (r < n && !is_space((unsigned char)t[r]))
			r++;
		cpset part;
		if (latex_chars(t + c, r - c, &part) ||
		    src.n + part.n > spoken->n || r == n)
			return 0;
		memcpy(src.cp + src.n, part.cp, part.n * sizeof part.cp[0]);
		src.n += part.n;
		for (size_t i = c; i < r; i++)
			marked |= strchr(LATEX_MARKS, t[i]) != NULL;
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

/* Looks for a triplet whose spoken form starts at t[p]; t[mark] is the
 * first LaTeX mark at or after p (mark == n when there is none). */
static int find_triplet(const char *t, size_t n, size_t p, size_t mark,
                        triplet *m)
{
	cpset spoken = {.n = 0};
	size_t i = p;
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
		if (try_source(t, n, p, q, k, &spoken, mark, m))
			return 1;
		i = q;
	}
	return 0;
}

/* A formula starts at a word start, or just inside a bracket. */
static int may_start(const char *t, size_t i)
{
	if (i == 0)
		return 1;
	unsigned char c = (unsigned char)t[i - 1];
	return is_space(c) || c == '(' || c == '[';
}

int pb_mathjax_collapse(const char *text, pb_buf *out, unsigned *collapsed)
{
	size_t n = strlen(text);
	unsigned count = 0;
	size_t i = 0, copied = 0, mark = 0;
	while (i < n) {
		if (mark < i)
			mark = i;
		while (mark < n && !strchr(LATEX_MARKS, text[mark]))
			mark++;
		if (text[i] == '$') {
			/* math the author delimited stays as it is */
			const char *close = strchr(text + i + 1, '$');
			i = close ? (size_t)(close - text) + 1 : i + 1;
			continue;
		}
		triplet m;
		if (may_start(text, i) && find_triplet(text, n, i, mark, &m)) {
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
		i++;
	}
	if (pb_buf_append(out, text + copied, n - copied))
		return PB_ENOMEM;
	if (collapsed)
		*collapsed = count;
	return PB_OK;
}
