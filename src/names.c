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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"

/* A word of a name, or of the tables below: the tables carry their
 * lengths so that comparing a word with them needs no strlen. */
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

/* Most names have a few words: their tokens live in the struct, and
 * only a longer name takes memory for them. */
#define INLINE_TOKS 16

typedef struct toks {
	tok *t;
	size_t n;
	tok local[INLINE_TOKS];
} toks;

/* Length of the space at s (ASCII white space, U+00A0, U+3000), or 0. */
static size_t space_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
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

/* Splits s[0..n) at runs of spaces; the tokens point into s. Free with
 * toks_free. PB_OK or PB_ENOMEM. */
static int tokenize(const char *s, size_t n, toks *out)
{
	out->n = 0;
	out->t = out->local;
	/* a token and its space take two bytes at least */
	if (n / 2 + 1 > INLINE_TOKS &&
	    !(out->t = malloc((n / 2 + 1) * sizeof *out->t)))
		return PB_ENOMEM;
	size_t i = 0;
	while (i < n) {
		size_t k = space_len(s + i);
		if (k) {
			i += k;
			continue;
		}
		size_t b = i;
		while (i < n && !space_len(s + i))
			i++;
		out->t[out->n++] = (tok){s + b, i - b};
	}
	return PB_OK;
}

static void toks_free(toks *ts)
{
	if (ts->t != ts->local)
		free(ts->t);
	ts->t = NULL;
}

static int tok_is(const tok *t, const tok *word)
{
	return word->n == t->n && memcmp(t->s, word->s, t->n) == 0;
}

static int tok_in(const tok *t, const tok *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is(t, &list[i]))
			return 1;
	return 0;
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_suffix(const tok *t)
{
	return tok_in(t, suffixes, N_ELEM(suffixes));
}

/* A particle word in lower case ("van"), or capitalised ("Van") when
 * capital is set. */
static int is_particle(const tok *t, int capital)
{
	for (size_t i = 0; i < N_ELEM(particles); i++) {
		const char *p = particles[i].s;
		if (particles[i].n != t->n)
			continue;
		if (memcmp(t->s, p, t->n) == 0)
			return 1;
		if (capital && t->s[0] == p[0] - 'a' + 'A' &&
		    memcmp(t->s + 1, p + 1, t->n - 1) == 0)
			return 1;
	}
	return 0;
}

static int is_org_word(const tok *t)
{
	for (size_t i = 0; i < N_ELEM(org_words); i++) {
		const char *w = org_words[i].word.s;
		/* ASCII case folding of the first letter: a cheap filter
		 * before strncasecmp, which it never contradicts */
		if (org_words[i].word.n != t->n ||
		    (w[0] | 0x20) != (t->s[0] | 0x20))
			continue;
		if (org_words[i].exact ? memcmp(t->s, w, t->n) == 0
		                       : strncasecmp(t->s, w, t->n) == 0)
			return 1;
	}
	return 0;
}

static int has_cjk(const tok *t)
{
	for (size_t i = 0; i < t->n;) {
		if ((unsigned char)t->s[i] < 0x80) {
			i++; /* every CJK range is far above ASCII */
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

/* Should the whole name stay literal? */
static int is_literal(const toks *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (has_cjk(&ts->t[i]) || is_org_word(&ts->t[i]) ||
		    memchr(ts->t[i].s, '&', ts->t[i].n))
			return 1;
	return 0;
}

/* Tokens t[from..to) joined by single spaces, into *dst (NULL when the
 * range is empty): measured first, so one allocation. */
static int join(char **dst, const toks *ts, size_t from, size_t to)
{
	*dst = NULL;
	size_t len = 0;
	for (size_t i = from; i < to; i++)
		len += ts->t[i].n + (i > from);
	if (len == 0)
		return PB_OK;
	char *d = malloc(len + 1);
	if (!d)
		return PB_ENOMEM;
	char *p = d;
	for (size_t i = from; i < to; i++) {
		if (i > from)
			*p++ = ' ';
		memcpy(p, ts->t[i].s, ts->t[i].n);
		p += ts->t[i].n;
	}
	*p = '\0';
	*dst = d;
	return PB_OK;
}

static int lowerish(const tok *t, int bibtex)
{
	return is_particle(t, 0) || (bibtex && is_lower(t->s[0]));
}

/* Number of particle tokens at the start of the family tokens
 * t[f..end), never all of them. With bibtex set, any word starting in
 * lower case is a particle, as in BibTeX's "von Last". Capitalised
 * particles count after a leading "Van"/"Von" ("Van Der Berg"), else only
 * before a lower-case one ("Van de Wiele", not "De" in "De Morgan"). */
static size_t particle_words(const toks *ts, size_t f, size_t end, int bibtex)
{
	size_t j = f;
	while (j + 1 < end &&
	       (is_particle(&ts->t[j], 1) || lowerish(&ts->t[j], bibtex)))
		j++;
	if (j > f &&
	    tok_in(&ts->t[f], leading_particles, N_ELEM(leading_particles)))
		return j - f;
	while (j > f && !lowerish(&ts->t[j - 1], bibtex))
		j--;
	return j - f;
}

/* Fills family and particle from the tokens t[f..end). */
static int set_family(pb_name *dst, const toks *ts, size_t f, size_t end,
                      int bibtex)
{
	size_t np = particle_words(ts, f, end, bibtex);
	if (join(&dst->family, ts, f, end))
		return PB_ENOMEM;
	if (np)
		return join(&dst->particle, ts, f, f + np);
	const tok *t = &ts->t[f];
	for (size_t i = 0; i < N_ELEM(elisions); i++) {
		size_t k = elisions[i].n;
		if (t->n > k && memcmp(t->s, elisions[i].s, k) == 0)
			return (dst->particle = pb_strndup(t->s, k))
			           ? PB_OK
			           : PB_ENOMEM;
	}
	return PB_OK;
}

/* Where the family name starts in display order: at the first particle
 * (lower-case anywhere, capitalised only after a given name and only as
 * described at the top), else at the last word. */
static size_t family_start(const toks *ts)
{
	for (size_t i = 0; i + 1 < ts->n; i++) {
		if (is_particle(&ts->t[i], 0))
			return i;
		if (i == 0 || !is_particle(&ts->t[i], 1))
			continue;
		if (tok_in(&ts->t[i], leading_particles,
		           N_ELEM(leading_particles)) ||
		    (i + 2 < ts->n && is_particle(&ts->t[i + 1], 0)))
			return i;
	}
	return ts->n - 1;
}

/* s[0..n) without surrounding spaces. */
static void trim(const char **s, size_t *n)
{
	size_t k;
	while (*n && (k = space_len(*s)) && k <= *n) {
		*s += k;
		*n -= k;
	}
	while (*n) {
		size_t e = *n;
		if (space_len(*s + e - 1) == 1)
			e -= 1;
		else if (e >= 2 && strncmp(*s + e - 2, "\xC2\xA0", 2) == 0)
			e -= 2;
		else if (e >= 3 && strncmp(*s + e - 3, "\xE3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
		*n = e;
	}
}

/* The literal for s[0..n), spaces normalised. */
static int set_literal(pb_name *dst, const char *s, size_t n)
{
	toks ts;
	if (tokenize(s, n, &ts))
		return PB_ENOMEM;
	int rc = join(&dst->literal, &ts, 0, ts.n);
	toks_free(&ts);
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

/* Display-order name s[0..n) without commas, suffix from after a comma
 * ("King, Jr.") or NULL; whole[0..whole_n) is the name as given, kept
 * when the name is literal. */
static int parse_display(pb_name *dst, const char *whole, size_t whole_n,
                         const char *s, size_t n, const char *suffix,
                         size_t suffix_n)
{
	toks ts;
	if (tokenize(s, n, &ts))
		return PB_ENOMEM;
	int rc = PB_OK;
	if (!suffix && ts.n >= 2 && is_suffix(&ts.t[ts.n - 1])) {
		suffix = ts.t[ts.n - 1].s;
		suffix_n = ts.t[ts.n - 1].n;
		ts.n--;
	}
	if (ts.n == 0)
		rc = PB_EDATA;
	else if ((ts.n == 1 && !suffix) || is_literal(&ts))
		rc = set_literal(dst, whole, whole_n);
	else {
		size_t f = family_start(&ts);
		if (join(&dst->given, &ts, 0, f) ||
		    set_family(dst, &ts, f, ts.n, 0) ||
		    (suffix && !(dst->suffix = pb_strndup(suffix, suffix_n))))
			rc = PB_ENOMEM;
	}
	toks_free(&ts);
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
		parts[k] = (tok){s + b, i - b};
		trim(&parts[k].s, &parts[k].n);
		k++;
		b = i + 1;
	}
	return k;
}

static int part_is_suffix(const tok *p)
{
	return p->n && is_suffix(p);
}

int pb_name_parse(pb_name *dst, const char *display)
{
	pb_name_init(dst);
	const char *s = display;
	size_t n = strlen(display);
	trim(&s, &n);
	if (!n)
		return PB_EDATA;
	if (braced(s, n))
		return set_literal(dst, s + 1, n - 2);
	int rc;
	if (!memchr(s, ',', n))
		rc = parse_display(dst, s, n, s, n, NULL, 0);
	/* "Martin Luther King, Jr." is still display order; any other
	 * comma makes it an inverted name */
	else {
		tok parts[3];
		size_t k = split_commas(s, n, parts, 3);
		if (k != 2 || !part_is_suffix(&parts[1]) || !parts[0].n)
			return pb_name_parse_inverted(dst, display);
		rc = parse_display(dst, s, n, parts[0].s, parts[0].n,
		                   parts[1].s, parts[1].n);
	}
	if (rc != PB_OK)
		pb_name_clear(dst);
	return rc;
}

/* Fills dst from the parts of an inverted name. */
static int parse_inverted(pb_name *dst, const tok *last, const tok *first,
                          const tok *jr)
{
	toks ts;
	if (!last->n)
		return PB_EDATA;
	if (tokenize(last->s, last->n, &ts))
		return PB_ENOMEM;
	int rc = PB_OK;
	toks given;
	given.t = NULL;
	given.n = 0;
	if (ts.n == 0)
		rc = PB_EDATA;
	else if (first && first->n && tokenize(first->s, first->n, &given))
		rc = PB_ENOMEM;
	else if (set_family(dst, &ts, 0, ts.n, 1))
		rc = PB_ENOMEM;
	else if (given.t && join(&dst->given, &given, 0, given.n))
		rc = PB_ENOMEM;
	else if (jr && jr->n && !(dst->suffix = pb_strndup(jr->s, jr->n)))
		rc = PB_ENOMEM;
	toks_free(&ts);
	if (given.t)
		toks_free(&given);
	return rc;
}

int pb_name_parse_inverted(pb_name *dst, const char *inverted)
{
	pb_name_init(dst);
	const char *s = inverted;
	size_t n = strlen(inverted);
	trim(&s, &n);
	if (!n)
		return PB_EDATA;
	if (braced(s, n))
		return set_literal(dst, s + 1, n - 2);
	tok p[3];
	size_t k = split_commas(s, n, p, 3);
	int rc;
	switch (k) {
	case 1: return pb_name_parse(dst, inverted);
	case 2: /* "Last, First" or "King, Jr." */
		if (part_is_suffix(&p[1]))
			rc = parse_inverted(dst, &p[0], NULL, &p[1]);
		else
			rc = parse_inverted(dst, &p[0], &p[1], NULL);
		break;
	case 3: /* BibTeX "von Last, Jr, First" or RIS "Last, First, Jr." */
		if (!part_is_suffix(&p[1]) && part_is_suffix(&p[2]))
			rc = parse_inverted(dst, &p[0], &p[1], &p[2]);
		else
			rc = parse_inverted(dst, &p[0], &p[2], &p[1]);
		break;
	default: rc = PB_EDATA;
	}
	if (rc != PB_OK)
		pb_name_clear(dst);
	return rc;
}
