/* The paper-list reader: titles followed by labelled field lines, as
 * copied from blogs, newsletters and READMEs. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "latex.h"
#include "mathjax.h"
#include "md.h"
#include "paperbib/paperbib.h"
#include "readutil.h"
#include "venue.h"

typedef enum kind {
	K_NONE = -1,
	K_AUTHOR,
	K_LINK,
	K_CODE,
	K_ABSTRACT,
	K_KEYWORD,
	K_COUNT
} kind;

/* A string literal with its length, so that the tables below are not
 * measured with strlen on every byte of the input. */
typedef struct lit {
	const char *s;
	size_t len;
} lit;

#define LIT(x) {x, sizeof(x) - 1}
#define NLIT(a) (sizeof(a) / sizeof((a)[0]))

/* Labels and their aliases, compared ASCII case-insensitively. */
static const struct {
	lit label;
	kind k;
} labels[] = {
	{LIT("author"), K_AUTHOR},     {LIT("authors"), K_AUTHOR},
	{LIT("作者"), K_AUTHOR},       {LIT("link"), K_LINK},
	{LIT("links"), K_LINK},        {LIT("url"), K_LINK},
	{LIT("paper"), K_LINK},        {LIT("pdf"), K_LINK},
	{LIT("链接"), K_LINK},         {LIT("论文链接"), K_LINK},
	{LIT("code"), K_CODE},         {LIT("github"), K_CODE},
	{LIT("代码"), K_CODE},         {LIT("abstract"), K_ABSTRACT},
	{LIT("摘要"), K_ABSTRACT},     {LIT("keyword"), K_KEYWORD},
	{LIT("keywords"), K_KEYWORD},  {LIT("关键词"), K_KEYWORD},
	{LIT("关键字"), K_KEYWORD},
};

/* One Author: line per author ("Author: Family, Given | Affiliation"):
 * the affiliation follows this mark. */
#define AFFILIATION_MARK '|'

/* Values that mean "there is none". */
static const lit absent_values[] = {LIT("none"), LIT("n/a"), LIT("na"),
                                    LIT("-"),    LIT("无"),  LIT("暂无")};

/* Separators between authors and between keywords. */
static const lit author_seps[] = {LIT(","),  LIT(";"),     LIT("，"),
                                  LIT("；"), LIT("、"),    LIT(" and "),
                                  LIT(" & ")};
static const lit keyword_seps[] = {LIT(","), LIT(";"), LIT("，"), LIT("；"),
                                   LIT("、")};

/* The first bytes of the separators above, so that next_sep skips every
 * other byte with one look-up: "，" and "；" start with 0xEF, "、" with
 * 0xE3. */
static const unsigned char author_sep_first[256] = {
	[','] = 1, [';'] = 1, [' '] = 1, [0xEF] = 1, [0xE3] = 1,
};
static const unsigned char keyword_sep_first[256] = {
	[','] = 1, [';'] = 1, [0xEF] = 1, [0xE3] = 1,
};
/* The second bytes of the separators longer than one byte, in both
 * tables: a space is mostly followed by a letter that starts no " and ". */
static const unsigned char sep_second[256] = {
	['a'] = 1, ['&'] = 1, [0xBC] = 1, [0x80] = 1,
};

/* Name suffixes that a list separates from the name with a comma. */
static const lit name_suffixes[] = {LIT("Jr."), LIT("Jr"),  LIT("Sr."),
                                    LIT("Sr"),  LIT("II"),  LIT("III"),
                                    LIT("IV")};

/* Marks after author names: equal contribution, affiliations. */
static const lit author_marks[] = {
	LIT("*"), LIT("†"), LIT("‡"), LIT("§"), LIT("¶"), LIT("#"),
	LIT("¹"), LIT("²"), LIT("³"), LIT("⁴"), LIT("⁵"), LIT("⁶"),
	LIT("⁷"), LIT("⁸"), LIT("⁹"), LIT("⁰"),
};

#define FULLWIDTH_COLON "\xEF\xBC\x9A"
/* Lines of text kept after a blank line inside a record, waiting to learn
 * whether they continue the abstract; older ones count as outside text. */
#define MAX_PENDING 256

typedef struct pending {
	size_t off, len;
	unsigned long line;
	int after_blank; /* a blank line came between this and the line before */
} pending;

typedef struct state {
	pb_record rec;   /* the record being read */
	int in_record;
	unsigned have;   /* bit per kind: fields the record has */
	kind field;      /* the field that text lines may continue */
	pb_buf field_text; /* one line per Author: line when they follow
	                    * each other (one author a line, see author_lines) */
	unsigned long field_line;
	pb_buf arena;    /* text of the pending lines */
	pending *pend;
	size_t n_pend, cap_pend;
	int blank;       /* a blank line since the last text line */
	pb_record ready; /* a finished record, waiting for next() */
	int has_ready;
	int eof;
	int venue_reported;
	int mathjax;     /* [input] mathjax, read once in open() */
	pb_buf tmp;
	pb_buf name;     /* one author's name, as add_authors reads it */
	pb_buf abstract; /* the abstract with its MathJax collapsed */
	/* The first LaTeX of the record that the writers' allow-list
	 * refuses (see check_latex), and its line; 0: none. */
	unsigned long refused_line;
	char refused[32];
	pb_latex_escaper *latex; /* its scratch space, for check_latex */
	/* Author: lines that followed the first of the field's (one author a
	 * line), and those read so far, for the line of a warning */
	unsigned author_lines, author_lines_seen;
	/* the record open came from one numbered line (numbered_line): it
	 * ends at the next text line, and a list of them has no links */
	int one_line;
} state;

static int is_space_byte(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Bytes that may start (1) or end (2) a space trim() removes: ASCII
 * spaces, U+3000 (E3 80 80) and U+00A0 (C2 A0). */
static const unsigned char trim_edge[256] = {
	[' '] = 3, ['\t'] = 3, ['\v'] = 3, ['\f'] = 3,
	[0xE3] = 1, [0xC2] = 1, [0x80] = 2, [0xA0] = 2,
};

/* Trims ASCII spaces and U+3000 (ideographic space) and U+00A0. */
static void trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n;
	/* most text has no space at either end: two look-ups say so */
	if (!len || (!(trim_edge[(unsigned char)p[0]] & 1) &&
	             !(trim_edge[(unsigned char)p[len - 1]] & 2)))
		return;
	for (;;) {
		if (len && is_space_byte((unsigned char)*p)) {
			p++, len--;
		} else if (len >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) {
			p += 3, len -= 3;
		} else if (len >= 2 && memcmp(p, "\xC2\xA0", 2) == 0) {
			p += 2, len -= 2;
		} else {
			break;
		}
	}
	for (;;) {
		if (len && is_space_byte((unsigned char)p[len - 1]))
			len--;
		else if (len >= 3 && memcmp(p + len - 3, "\xE3\x80\x80", 3) == 0)
			len -= 3;
		else if (len >= 2 && memcmp(p + len - 2, "\xC2\xA0", 2) == 0)
			len -= 2;
		else
			break;
	}
	*s = p;
	*n = len;
}

static int is_absent(const char *s, size_t n)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < NLIT(absent_values); i++)
		if (absent_values[i].len == n &&
		    strncasecmp(absent_values[i].s, s, n) == 0)
			return 1;
	return 0;
}

/* Finds the colon that ends a label: ASCII or full-width. Returns its
 * offset and sets *clen, or returns -1. Labels are short. */
static long find_colon(const char *s, size_t n, size_t *clen)
{
	size_t max = n < 40 ? n : 40;
	const char *ascii = memchr(s, ':', max);
	size_t lim = ascii ? (size_t)(ascii - s) : max;
	/* a full-width colon (first byte 0xEF) before the first ASCII one
	 * comes first */
	for (const char *f = memchr(s, 0xEF, lim); f;
	     f = memchr(f + 1, 0xEF, lim - (size_t)(f + 1 - s)))
		if ((size_t)(f - s) + 3 <= n && memcmp(f, FULLWIDTH_COLON, 3) == 0) {
			*clen = 3;
			return (long)(f - s);
		}
	if (!ascii)
		return -1;
	*clen = 1;
	return (long)(ascii - s);
}

/* Strips Markdown emphasis and list marks around a label ("**Author**:",
 * "- Author:"). */
static void strip_decoration(const char **s, size_t *n)
{
	trim(s, n);
	while (*n && (**s == '*' || **s == '_' || **s == '-' || **s == '>')) {
		(*s)++, (*n)--;
	}
	while (*n && ((*s)[*n - 1] == '*' || (*s)[*n - 1] == '_'))
		(*n)--;
	trim(s, n);
}

/* The label s[0..n) is the table's label l, ASCII letters in any case
 * (the table's labels are lower-case). */
static int is_label(const char *s, size_t n, const lit *l)
{
	if (l->len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char)l->s[i])
			return 0;
	}
	return 1;
}

/* A known label at the start of line: returns its kind and the value. */
static kind parse_label(const char *line, size_t n, const char **value,
                        size_t *vlen)
{
	const char *s = line;
	size_t len = n;
	trim(&s, &len);
	size_t clen;
	long c = find_colon(s, len, &clen);
	if (c <= 0)
		return K_NONE;
	const char *lab = s;
	size_t llen = (size_t)c;
	strip_decoration(&lab, &llen);
	for (size_t i = 0; i < NLIT(labels); i++) {
		if (is_label(lab, llen, &labels[i].label)) {
			*value = s + c + clen;
			*vlen = len - (size_t)c - clen;
			strip_decoration(value, vlen);
			return labels[i].k;
		}
	}
	return K_NONE;
}

/* "Venue: ICML 2020": an unknown label that may be kept as an extra
 * field: one to three ASCII words, then a colon and a value. */
static int parse_extra(const char *line, size_t n, pb_buf *key, const char **value,
                       size_t *vlen)
{
	const char *s = line;
	size_t len = n;
	trim(&s, &len);
	const char *colon = memchr(s, ':', len < 32 ? len : 32);
	if (!colon || colon == s)
		return 0;
	int words = 1;
	for (const char *p = s; p < colon; p++) {
		if (*p == ' ')
			words++;
		else if (!isalpha((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	}
	if (!isalpha((unsigned char)*s) || words > 3 || colon[-1] == ' ')
		return 0;
	*value = colon + 1;
	*vlen = len - (size_t)(colon + 1 - s);
	trim(value, vlen);
	if (*vlen == 0 || (colon + 1 < s + len && colon[1] != ' '))
		return 0; /* "http://..." or "a:b" */
	pb_buf_reset(key);
	for (const char *p = s; p < colon; p++)
		pb_buf_putc(key, (char)tolower((unsigned char)*p));
	return pb_buf_cstr(key) != NULL;
}

/* Removes Markdown bold, heading marks and numbering from a title line. */
static void clean_title(const char **s, size_t *n)
{
	trim(s, n);
	while (*n && **s == '#')
		(*s)++, (*n)--;
	trim(s, n);
	/* "1. ", "12) ", "[3] " */
	size_t i = 0;
	if (*n && **s == '[') {
		i = 1;
		while (i < *n && isdigit((unsigned char)(*s)[i]))
			i++;
		if (i > 1 && i < *n && (*s)[i] == ']') {
			*s += i + 1;
			*n -= i + 1;
		}
	} else {
		while (i < *n && isdigit((unsigned char)(*s)[i]))
			i++;
		if (i > 0 && i + 1 < *n && ((*s)[i] == '.' || (*s)[i] == ')') &&
		    (*s)[i + 1] == ' ') {
			*s += i + 1;
			*n -= i + 1;
		}
	}
	trim(s, n);
	for (;;) {
		if (*n >= 2 && (memcmp(*s, "**", 2) == 0 || memcmp(*s, "__", 2) == 0)) {
			*s += 2, *n -= 2;
		} else if (*n >= 2 && (memcmp(*s + *n - 2, "**", 2) == 0 ||
		                       memcmp(*s + *n - 2, "__", 2) == 0)) {
			*n -= 2;
		} else {
			break;
		}
		trim(s, n);
	}
}

/* The length of the separator at s, or 0. Separators that share a first
 * byte differ in the second, so at most one matches. */
static size_t sep_at(const char *s, size_t n, const lit *seps, size_t nseps)
{
	if (s[0] == ',' || s[0] == ';')
		return 1; /* both tables have both */
	if (n < 2 || !sep_second[(unsigned char)s[1]])
		return 0;
	for (size_t i = 0; i < nseps; i++) {
		size_t k = seps[i].len;
		if (k <= n && s[0] == seps[i].s[0] && s[1] == seps[i].s[1] &&
		    memcmp(s, seps[i].s, k) == 0)
			return k;
	}
	return 0;
}

/* The offset of the first separator in s[i..n), with its length in *k;
 * n and 0 when there is none. first[c] is set for the first byte of
 * every separator: the other bytes are skipped with one look-up each. */
static size_t next_sep(const char *s, size_t i, size_t n, const lit *seps,
                       size_t nseps, const unsigned char *first, size_t *k)
{
	for (; i < n; i++) {
		if (first[(unsigned char)s[i]] &&
		    (*k = sep_at(s + i, n - i, seps, nseps)))
			return i;
	}
	*k = 0;
	return n;
}

static int ends_with(const char *s, size_t n, const lit *suffix, size_t *k)
{
	*k = suffix->len;
	return n >= *k && s[n - 1] == suffix->s[*k - 1] &&
	       memcmp(s + n - *k, suffix->s, *k) == 0;
}

/* Strips equal-contribution and affiliation marks after a name. */
static void strip_marks(const char **s, size_t *n)
{
	int again = 1;
	while (again && *n) {
		again = 0;
		trim(s, n);
		size_t k;
		/* ASCII letters end no mark: most names end in one */
		unsigned char last = *n ? (unsigned char)(*s)[*n - 1] : 0;
		if (!((last | 0x20) >= 'a' && (last | 0x20) <= 'z'))
			for (size_t i = 0; i < NLIT(author_marks); i++)
				if (ends_with(*s, *n, &author_marks[i], &k)) {
					*n -= k;
					again = 1;
				}
		/* affiliation digits right after a letter: "Jun Zhu1", "Li 2" */
		size_t d = *n;
		while (d && isdigit((unsigned char)(*s)[d - 1]))
			d--;
		if (d < *n && d > 0) {
			*n = d;
			again = 1;
		}
	}
	while (*n && **s == '*')
		(*s)++, (*n)--;
	trim(s, n);
}

/* An accepted-paper list pasted from a conference site: "117<TAB>Jane
 * Smith, Wei Zhang. A Study of Things" (a number, a tab, the authors, a
 * period, the title). The authors end at the first ". " that follows no
 * initial ("J. R. Smith"). Sets the authors and the title, or returns 0. */
static int numbered_line(const char *s, size_t n, const char **authors,
                         size_t *alen, const char **title, size_t *tlen)
{
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (!i || i > 6)
		return 0;
	if (i < n && (s[i] == '.' || s[i] == ')'))
		i++;
	if (i >= n || s[i] != '\t')
		return 0;
	while (i < n && (s[i] == '\t' || s[i] == ' '))
		i++;
	for (size_t j = i + 1; j + 1 < n; j++) {
		if (s[j] != '.' || s[j + 1] != ' ')
			continue;
		/* "J." after a space, a hyphen or the start is an initial */
		if (isupper((unsigned char)s[j - 1]) &&
		    (j - 1 == i || s[j - 2] == ' ' || s[j - 2] == '-' || s[j - 2] == '.'))
			continue;
		*authors = s + i;
		*alen = j - i;
		*title = s + j + 2;
		*tlen = n - j - 2;
		trim(title, tlen);
		if (*tlen >= 2 && (*title)[*tlen - 1] == '.' && (*title)[*tlen - 2] != '.')
			(*tlen)--;
		return *tlen > 0 && md_is_author_line(*authors, *alen);
	}
	return 0;
}

static void warn(pb_reader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(pb_reader *r, unsigned long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0, "%s", msg);
}

/* A list is text from the web: LaTeX in it passes into BibTeX only
 * through an allow-list (PB_LATEX_UNTRUSTED), and what it refuses is
 * written as text. The record's first such command and the line of its
 * field are kept for one warning when the record ends. Only text with a
 * backslash or ^^ is scanned (pb_latex_untrusted_refused's first test). */
static int check_latex(state *st, const char *text, unsigned long line)
{
	if (st->refused_line || !text)
		return PB_OK;
	int rc = pb_latex_escaper_refused(st->latex, text, st->refused,
	                                  sizeof st->refused);
	if (rc < 0)
		return rc;
	if (rc)
		st->refused_line = line;
	return PB_OK;
}

/* "Jr." after a comma belongs to the author before it. */
static int is_suffix(const char *s, size_t n)
{
	for (size_t i = 0; i < NLIT(name_suffixes); i++)
		if (name_suffixes[i].len == n && memcmp(name_suffixes[i].s, s, n) == 0)
			return 1;
	return 0;
}

static int add_authors(pb_reader *r, state *st, const char *s, size_t n,
                       unsigned long line)
{
	pb_buf *one = &st->name;
	int rc = PB_OK;
	size_t i = 0, first = st->rec.n_authors;
	while (i <= n && rc == PB_OK) {
		size_t start = i, k;
		i = next_sep(s, i, n, author_seps, NLIT(author_seps),
		             author_sep_first, &k);
		const char *a = s + start;
		size_t alen = i - start;
		i += k ? k : 1;
		strip_marks(&a, &alen);
		if (alen == 0)
			continue;
		if (pb_read_is_et_al(a, alen)) { /* "A, B, et al.": it goes on */
			if (st->rec.n_authors > first &&
			    pb_record_parse_author(&st->rec, "others") == PB_ENOMEM)
				rc = PB_ENOMEM;
			continue;
		}
		if (is_suffix(a, alen) && st->rec.n_authors > first) {
			/* re-read the previous author with the suffix: one.data still
			 * holds its text */
			pb_record_pop_author(&st->rec);
			if (pb_buf_puts(one, ", ")) {
				rc = PB_ENOMEM;
				break;
			}
		} else {
			pb_buf_reset(one);
		}
		if (pb_buf_append(one, a, alen)) {
			rc = PB_ENOMEM;
			break;
		}
		int prc = pb_record_parse_author(&st->rec, pb_buf_cstr(one));
		if (prc == PB_ENOMEM) {
			rc = PB_ENOMEM;
		} else if (prc != PB_OK) {
			warn(r, line, "cannot read author name '%s'", pb_buf_cstr(one));
		}
	}
	return rc;
}

/* The words of s[0, n) that start with a capital letter or a non-ASCII
 * one: "van der Berg" has one, "Dana Evans" two. */
static size_t capital_words(const char *s, size_t n)
{
	size_t words = 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || s[i - 1] == ' ') && s[i] != ' ' &&
		    ((s[i] >= 'A' && s[i] <= 'Z') || (unsigned char)s[i] >= 0x80))
			words++;
	return words;
}

/* Authors given one a line (consecutive Author: lines, or a line with an
 * affiliation after '|'): "Family, Given | Affiliation". The affiliation
 * is dropped; a line with one comma is one inverted name, unless both
 * sides have two capitalised words ("Dana Evans, Eve Fox"); any other
 * line is a list of names as add_authors reads it. */
static int add_author_lines(pb_reader *r, state *st, const char *s, size_t n,
                            unsigned long line)
{
	int rc = PB_OK;
	for (size_t i = 0; i <= n && rc == PB_OK;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		const char *a = s + i;
		size_t alen = e - i;
		unsigned long at = line + (unsigned long)st->author_lines_seen++;
		i = e + 1;
		const char *bar = memchr(a, AFFILIATION_MARK, alen);
		if (bar)
			alen = (size_t)(bar - a);
		trim(&a, &alen);
		const char *comma = memchr(a, ',', alen);
		if (!comma || memchr(comma + 1, ',', alen - (size_t)(comma + 1 - a)) ||
		    (capital_words(a, (size_t)(comma - a)) >= 2 &&
		     capital_words(comma + 1, alen - (size_t)(comma + 1 - a)) >= 2)) {
			rc = add_authors(r, st, a, alen, at);
			continue;
		}
		const char *given = comma + 1;
		size_t glen = alen - (size_t)(given - a);
		trim(&given, &glen);
		if (is_suffix(given, glen)) {
			rc = add_authors(r, st, a, alen, at);
			continue;
		}
		size_t flen = (size_t)(comma - a);
		strip_marks(&a, &flen);
		strip_marks(&given, &glen);
		pb_buf *one = &st->name;
		pb_buf_reset(one);
		if (pb_buf_append(one, a, flen) || pb_buf_puts(one, ", ") ||
		    pb_buf_append(one, given, glen) || !pb_buf_cstr(one))
			return PB_ENOMEM;
		pb_name nm;
		int prc = pb_name_parse_inverted(&nm, one->data);
		if (prc == PB_OK) {
			if (pb_record_take_author(&st->rec, &nm))
				rc = PB_ENOMEM;
			pb_name_clear(&nm);
		} else if (prc == PB_ENOMEM) {
			rc = PB_ENOMEM;
		} else {
			warn(r, at, "cannot read author name '%s'", one->data);
		}
	}
	return rc;
}

static int add_keywords(state *st, const char *s, size_t n)
{
	size_t i = 0;
	while (i <= n) {
		size_t start = i, k;
		i = next_sep(s, i, n, keyword_seps, NLIT(keyword_seps),
		             keyword_sep_first, &k);
		const char *w = s + start;
		size_t wlen = i - start;
		i += k ? k : 1;
		trim(&w, &wlen);
		if (wlen && !is_absent(w, wlen)) {
			pb_buf_reset(&st->tmp);
			if (pb_buf_append(&st->tmp, w, wlen) ||
			    pb_record_add_keyword(&st->rec, pb_buf_cstr(&st->tmp)))
				return PB_ENOMEM;
		}
	}
	return PB_OK;
}

/* The value of the query parameter name in url, or NULL. */
static const char *query_param(const char *url, const char *name, size_t *len)
{
	const char *q = strchr(url, '?');
	size_t k = strlen(name);
	while (q) {
		q++;
		if (strncmp(q, name, k) == 0 && q[k] == '=') {
			const char *v = q + k + 1;
			*len = strcspn(v, "&#");
			return *len ? v : NULL;
		}
		q = strchr(q, '&');
	}
	return NULL;
}

/* link: the PDF or the page. OpenReview links give the id, and the forum
 * page from it; arXiv PDF links give the abstract page. */
static int set_link(state *st, const char *url)
{
	static const char openreview[] = "://openreview.net/";
	static const char arxiv_pdf[] = "://arxiv.org/pdf/";
	size_t idlen;
	const char *id;
	pb_record *rec = &st->rec;
	if (strstr(url, openreview) && (id = query_param(url, "id", &idlen))) {
		if (pb_record_setn(rec, PB_F_ID, id, idlen))
			return PB_ENOMEM;
		pb_buf_reset(&st->tmp);
		if (pb_buf_puts(&st->tmp, "https://openreview.net/forum?id=") ||
		    pb_buf_puts(&st->tmp, rec->id) ||
		    pb_record_set(rec, PB_F_URL, pb_buf_cstr(&st->tmp)))
			return PB_ENOMEM;
		if (strstr(url, "/pdf?")) {
			return pb_record_set(rec, PB_F_PDF_URL, url);
		}
		pb_buf_reset(&st->tmp);
		if (pb_buf_puts(&st->tmp, "https://openreview.net/pdf?id=") ||
		    pb_buf_puts(&st->tmp, rec->id))
			return PB_ENOMEM;
		return pb_record_set(rec, PB_F_PDF_URL, pb_buf_cstr(&st->tmp));
	}
	const char *a = strstr(url, arxiv_pdf);
	if (a) {
		const char *num = a + strlen(arxiv_pdf);
		size_t n = strlen(num);
		if (n > 4 && strcmp(num + n - 4, ".pdf") == 0)
			n -= 4;
		pb_buf_reset(&st->tmp);
		if (pb_record_setn(rec, PB_F_ID, num, n) ||
		    pb_buf_printf(&st->tmp, "https://arxiv.org/abs/%s", rec->id) ||
		    pb_record_set(rec, PB_F_URL, pb_buf_cstr(&st->tmp)))
			return PB_ENOMEM;
		return pb_record_set(rec, PB_F_PDF_URL, url);
	}
	size_t n = strlen(url);
	if (n > 4 && strcasecmp(url + n - 4, ".pdf") == 0 &&
	    pb_record_set(rec, PB_F_PDF_URL, url))
		return PB_ENOMEM;
	return pb_record_set(rec, PB_F_URL, url);
}

/* Stores the text collected for the current field into the record. */
static int close_field(pb_reader *r, state *st)
{
	kind k = st->field;
	st->field = K_NONE;
	if (k == K_NONE)
		return PB_OK;
	const char *s = st->field_text.data ? st->field_text.data : "";
	size_t n = st->field_text.len;
	trim(&s, &n);
	int rc = PB_OK;
	if (is_absent(s, n))
		goto out;
	pb_buf_reset(&st->tmp);
	if ((k == K_LINK || k == K_CODE) && pb_buf_append(&st->tmp, s, n))
		return PB_ENOMEM;
	/* Names and keywords are escaped as their field's text gives them;
	 * URLs are not LaTeX (the writers encode them). */
	if ((k == K_AUTHOR || k == K_KEYWORD) &&
	    check_latex(st, pb_buf_cstr(&st->field_text), st->field_line))
		return PB_ENOMEM;
	switch (k) {
	case K_AUTHOR:
		st->author_lines_seen = 0;
		rc = st->author_lines || memchr(s, AFFILIATION_MARK, n)
		         ? add_author_lines(r, st, s, n, st->field_line)
		         : add_authors(r, st, s, n, st->field_line);
		break;
	case K_KEYWORD:
		rc = add_keywords(st, s, n);
		break;
	case K_LINK: {
		/* the first word: a list may put a label or text after the URL */
		char *url = pb_strndup(st->tmp.data, strcspn(st->tmp.data, " \t"));
		rc = url ? set_link(st, url) : PB_ENOMEM;
		free(url);
		break;
	}
	case K_CODE:
		st->tmp.data[strcspn(st->tmp.data, " \t")] = '\0';
		rc = pb_record_set(&st->rec, PB_F_CODE_URL, st->tmp.data);
		break;
	case K_ABSTRACT:
		/* the trimmed text ends where the field's text is cut: it
		 * is reset below */
		st->field_text.data[(size_t)(s - st->field_text.data) + n] = '\0';
		if (st->mathjax) {
			pb_buf *out = &st->abstract;
			unsigned count = 0;
			pb_buf_reset(out);
			/* collapsing only shortens the text */
			rc = pb_buf_reserve(out, n);
			if (rc == PB_OK)
				rc = pb_mathjax_collapse(s, out, &count);
			if (rc == PB_OK) {
				if (count)
					pb_diag_emitf(r->diag, PB_DIAG_NOTE, r->name, st->field_line,
					              0, "collapsed %u MathJax formula%s", count,
					              count == 1 ? "" : "s");
				rc = pb_record_setn(&st->rec, PB_F_ABSTRACT, out->data, out->len);
			}
		} else {
			rc = pb_record_setn(&st->rec, PB_F_ABSTRACT, s, n);
		}
		if (rc == PB_OK)
			rc = check_latex(st, st->rec.abstract, st->field_line);
		break;
	default:
		break;
	}
out:
	st->author_lines = 0;
	pb_buf_reset(&st->field_text);
	return rc;
}

/* Appends a continuation line to the current field. */
static int continue_field(state *st, const char *s, size_t n)
{
	trim(&s, &n);
	if (!n)
		return PB_OK;
	if (st->field_text.len && pb_buf_putc(&st->field_text, ' '))
		return PB_ENOMEM;
	return pb_buf_append(&st->field_text, s, n);
}

/* Text outside any record: the blog's header and footer. Only the venue
 * is looked for there. */
static int outside(pb_reader *r, const char *s, unsigned long line)
{
	if (r->detected.name && r->detected.year)
		return PB_OK;
	int had = r->detected.name || r->detected.short_name || r->detected.year;
	int found = pb_venue_detect(s, &r->detected);
	if (found < 0)
		return found;
	if (found && !had)
		r->detected_line = line;
	return PB_OK;
}

/* Ends the record being read: keeps it when it has a title. */
static int finish_record(pb_reader *r, state *st)
{
	int rc = close_field(r, st);
	if (rc || !st->in_record)
		return rc;
	st->in_record = 0;
	pb_record *rec = &st->rec;
	if (!rec->title) {
		warn(r, rec->line, "fields without a title line before them; skipped");
		pb_record_reset(rec);
		return PB_OK;
	}
	if (!(st->have & (1u << K_AUTHOR)))
		warn(r, rec->line, "'%s' has no Author line", rec->title);
	if (!(st->have & (1u << K_LINK)) && !st->one_line)
		warn(r, rec->line, "'%s' has no link", rec->title);
	if (st->refused_line)
		warn(r, st->refused_line,
		     "LaTeX %s%s is not allowed in a paper list; written as text",
		     st->refused[0] == '^' ? "notation " : "command ", st->refused);
	if (pb_record_set(rec, PB_F_FILE, r->name))
		return PB_ENOMEM;
	if (!st->venue_reported && (r->detected.short_name || r->detected.name)) {
		st->venue_reported = 1;
		pb_diag_emitf(r->diag, PB_DIAG_NOTE, r->name, r->detected_line, 0,
		              "venue detected: %s%s%s%s%s",
		              r->detected.short_name ? r->detected.short_name : "",
		              r->detected.year ? " " : "",
		              r->detected.year ? r->detected.year : "",
		              r->detected.name ? ", " : "",
		              r->detected.name ? r->detected.name : "");
	}
	if (pb_record_set(rec, PB_F_VENUE_NAME, r->detected.name) ||
	    pb_record_set(rec, PB_F_VENUE_SHORT, r->detected.short_name) ||
	    pb_record_set(rec, PB_F_VENUE_YEAR, r->detected.year) ||
	    pb_record_set(rec, PB_F_VENUE_PUBLISHER, r->detected.publisher))
		return PB_ENOMEM;
	/* rec takes ready's storage, emptied, for the next record */
	pb_record_move(&st->ready, rec);
	st->has_ready = 1;
	return PB_OK;
}

static int start_record(state *st, const char *title, size_t n,
                        unsigned long line)
{
	pb_record_reset(&st->rec);
	st->in_record = 1;
	st->have = 0;
	st->rec.line = line;
	st->refused_line = 0;
	st->one_line = 0;
	if (title) {
		clean_title(&title, &n);
		if (n && pb_record_setn(&st->rec, PB_F_TITLE, title, n))
			return PB_ENOMEM;
	}
	return check_latex(st, st->rec.title, line);
}

static const char *pend_text(state *st, size_t i)
{
	return st->arena.data + st->pend[i].off;
}

/* What the pending lines were, now that the next label (k) or the end of
 * the input (k == K_NONE) shows it. */
static int resolve(pb_reader *r, state *st, kind k, unsigned long label_line)
{
	int rc = PB_OK;
	/* A text line right before an Author or link label, after a blank
	 * line, is the next record's title even when the record being read
	 * lacks that field (a title with no Author line before another). So
	 * is one right before a Keyword label, unless an abstract is open
	 * (its next paragraph): lists with one Author: line per author put
	 * keywords next, and a record without authors must not give its
	 * keywords to the one before. */
	int titled = (k == K_AUTHOR || k == K_LINK ||
	              (k == K_KEYWORD && st->field != K_ABSTRACT)) &&
	             st->n_pend &&
	             !st->blank && st->pend[st->n_pend - 1].after_blank;
	int new_record = !st->in_record || k == K_NONE || titled ||
	                 (st->have & (1u << k));
	size_t title = st->n_pend; /* index of the next record's title */
	if (new_record && k != K_NONE && st->n_pend)
		title = st->n_pend - 1;
	/* Inside a record, the lines before the title continue the current
	 * field or are extra fields; before any record they are outside. */
	int continuing = st->in_record;
	for (size_t i = 0; i < title && rc == PB_OK; i++) {
		const char *s = pend_text(st, i);
		size_t n = st->pend[i].len;
		const char *v;
		size_t vlen;
		if (!continuing) {
			rc = outside(r, s, st->pend[i].line);
			continue;
		}
		int empty_field = st->field != K_NONE && st->field_text.len == 0;
		int joins = st->field == K_ABSTRACT &&
		            (!st->pend[i].after_blank || !new_record);
		if (empty_field) {
			rc = continue_field(st, s, n);
		} else if (st->field != K_ABSTRACT &&
		           parse_extra(s, n, &st->tmp, &v, &vlen)) {
			char *key = pb_strdup(pb_buf_cstr(&st->tmp));
			pb_buf_reset(&st->tmp);
			if (!key || pb_buf_append(&st->tmp, v, vlen) ||
			    pb_record_add_extra(&st->rec, key, pb_buf_cstr(&st->tmp)) ||
			    check_latex(st, pb_buf_cstr(&st->tmp), st->pend[i].line))
				rc = PB_ENOMEM;
			free(key);
		} else if (joins) {
			rc = continue_field(st, s, n);
		} else if (new_record) {
			/* a blank line ended the record: the rest is outside */
			continuing = 0;
			rc = outside(r, s, st->pend[i].line);
		} else {
			warn(r, st->pend[i].line, "line is not part of a field; ignored");
		}
	}
	if (rc == PB_OK && new_record) {
		rc = finish_record(r, st);
		if (rc == PB_OK && k != K_NONE) {
			if (title < st->n_pend)
				rc = start_record(st, pend_text(st, title), st->pend[title].len,
				                  st->pend[title].line);
			else
				rc = start_record(st, NULL, 0, label_line);
		}
	} else if (rc == PB_OK) {
		rc = close_field(r, st);
	}
	st->n_pend = 0;
	pb_buf_reset(&st->arena);
	return rc;
}

static int push_pending(pb_reader *r, state *st, const char *s, size_t n,
                        unsigned long line)
{
	/* Outside a record only the last text line can be a title. */
	if (!st->in_record && st->n_pend == 1) {
		int rc = outside(r, pend_text(st, 0), st->pend[0].line);
		if (rc)
			return rc;
		st->n_pend = 0;
		pb_buf_reset(&st->arena);
	}
	if (st->n_pend == MAX_PENDING) {
		int rc = outside(r, pend_text(st, 0), st->pend[0].line);
		if (rc)
			return rc;
		memmove(st->pend, st->pend + 1, (st->n_pend - 1) * sizeof *st->pend);
		st->n_pend--;
	}
	if (st->n_pend == st->cap_pend) {
		size_t cap = st->cap_pend ? st->cap_pend * 2 : 16;
		pending *p = realloc(st->pend, cap * sizeof *p);
		if (!p)
			return PB_ENOMEM;
		st->pend = p;
		st->cap_pend = cap;
	}
	pending *p = &st->pend[st->n_pend++];
	p->off = st->arena.len;
	p->len = n;
	p->line = line;
	p->after_blank = st->blank;
	st->blank = 0;
	if (pb_buf_append(&st->arena, s, n) || pb_buf_putc(&st->arena, '\0'))
		return PB_ENOMEM;
	return PB_OK;
}

static int on_line(pb_reader *r, state *st, const char *line, size_t n,
                   unsigned long no)
{
	const char *t = line;
	size_t tn = n;
	trim(&t, &tn);
	if (tn == 0) {
		st->blank = 1;
		return PB_OK;
	}
	const char *v;
	size_t vlen;
	kind k = parse_label(line, n, &v, &vlen);
	const char *authors, *title;
	size_t alen, tlen;
	if (k == K_NONE && numbered_line(t, tn, &authors, &alen, &title, &tlen)) {
		/* one record a line: the line ends the record before it (one
		 * record is finished per line: the new one stays open for the
		 * label lines that may follow it) */
		int rc = resolve(r, st, K_NONE, no);
		if (rc == PB_OK)
			rc = start_record(st, title, tlen, no);
		if (rc == PB_OK) {
			st->one_line = 1;
			st->have = 1u << K_AUTHOR;
			st->blank = 0;
			rc = add_authors(r, st, authors, alen, no);
		}
		if (rc == PB_OK && !st->refused_line) {
			pb_buf_reset(&st->tmp);
			if (pb_buf_append(&st->tmp, authors, alen) || !pb_buf_cstr(&st->tmp))
				return PB_ENOMEM;
			rc = check_latex(st, st->tmp.data, no);
		}
		return rc;
	}
	if (k == K_NONE && st->one_line && st->in_record && st->field == K_NONE) {
		/* text right after a numbered line (not after a label line
		 * below it, which it may continue): the page around the list */
		int rc = finish_record(r, st);
		if (rc)
			return rc;
		size_t d = strspn(t, "0123456789");
		if (d && d < tn && t[d] == '\t')
			warn(r, no, "numbered line is not 'authors. title'; ignored");
	}
	if (k == K_NONE)
		return push_pending(r, st, t, tn, no);
	/* Author: right after Author: (no text line, no blank line between)
	 * adds an author to the record: one Author: line per author. Anywhere
	 * else a repeated label starts a new record. */
	if (k == K_AUTHOR && st->in_record && st->field == K_AUTHOR &&
	    !st->n_pend && !st->blank) {
		st->author_lines++;
		return pb_buf_putc(&st->field_text, '\n') ||
		               pb_buf_append(&st->field_text, v, vlen)
		           ? PB_ENOMEM
		           : PB_OK;
	}
	int rc = resolve(r, st, k, no);
	if (rc)
		return rc;
	st->have |= 1u << k;
	st->field = k;
	st->field_line = no;
	st->blank = 0;
	pb_buf_reset(&st->field_text);
	return pb_buf_append(&st->field_text, v, vlen);
}

static int paperlist_next(pb_reader *r, pb_record *out)
{
	state *st = r->state;
	while (!st->has_ready && !st->eof) {
		const char *line;
		size_t n;
		int rc = pb_lines_next(r->lines, &line, &n);
		if (rc == PB_EOF) {
			st->eof = 1;
			rc = resolve(r, st, K_NONE, 0);
		} else if (rc == PB_OK) {
			rc = on_line(r, st, line, n, pb_lines_lineno(r->lines));
		}
		if (rc)
			return rc;
	}
	if (!st->has_ready)
		return PB_EOF;
	/* ready takes out's storage, emptied, for a record to come */
	pb_record_move(out, &st->ready);
	st->has_ready = 0;
	return PB_OK;
}

static int paperlist_open(pb_reader *r)
{
	state *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	pb_record_init(&st->rec);
	pb_record_init(&st->ready);
	st->field = K_NONE;
	st->mathjax = pb_config_get_bool(r->config, "input", "mathjax", 1);
	r->state = st;
	st->latex = pb_latex_escaper_new(NULL);
	return st->latex ? PB_OK : PB_ENOMEM;
}

static void paperlist_free(pb_reader *r)
{
	state *st = r->state;
	if (!st)
		return;
	pb_record_clear(&st->rec);
	pb_record_clear(&st->ready);
	pb_buf_free(&st->field_text);
	pb_buf_free(&st->arena);
	pb_buf_free(&st->tmp);
	pb_buf_free(&st->name);
	pb_buf_free(&st->abstract);
	pb_latex_escaper_free(st->latex);
	free(st->pend);
	free(st);
	r->state = NULL;
}

/* Any text can be a paper list; this reader is the fallback. */
static int paperlist_probe(const char *head, size_t len)
{
	const char *v;
	size_t vlen;
	const char *p = head, *end = head + len;
	int labelled = 0, numbered = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *a, *t, *s = p;
		size_t an, tn, sn = n;
		while (sn && s[sn - 1] == '\r')
			sn--;
		trim(&s, &sn);
		if (parse_label(p, n, &v, &vlen) != K_NONE)
			labelled = 1;
		else if (numbered_line(s, sn, &a, &an, &t, &tn))
			numbered++;
		p += n + 1;
	}
	/* numbered lines are this reader's, whatever Markdown is around */
	if (numbered >= 2)
		return 80;
	return labelled ? 50 : 1;
}

const pb_input_format pb_paperlist_format = {
	.name = "paperlist",
	.origin = PB_ORIGIN_LIST,
	.extensions = "txt|md|text",
	.description = "paper list: a title, then Author:, link:, Code:, "
	               "Abstract:, Keyword: lines",
	.probe = paperlist_probe,
	.open = paperlist_open,
	.next = paperlist_next,
	.free = paperlist_free,
};
