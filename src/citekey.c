/* Citation keys: one pattern, lower-case ASCII, unique in input order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ident.h"
#include "paperbib/paperbib.h"
#include "strset.h"
#include "utf8.h"

/* Words that never make a title word, as reference managers skip them:
 * by length, the words of each length one after another in order. */
#define STOP_MAX 7
static const char *const stop_words[STOP_MAX + 1] = {
	[1] = "a",
	[2] = "an" "as" "at" "by" "de" "du" "el" "in" "la" "le" "of" "on" "or"
	      "to" "up",
	[3] = "and" "but" "der" "des" "die" "for" "les" "nor" "off" "per" "the"
	      "via" "von",
	[4] = "from" "into" "like" "near" "onto" "over" "past" "than" "upon"
	      "with",
	[5] = "about" "above" "after" "along" "among" "below" "since" "under"
	      "until",
	[6] = "across" "around" "before" "behind" "beside" "beyond" "during"
	      "inside" "toward" "versus" "within",
	[7] = "against" "beneath" "between" "through" "towards" "without",
};

typedef enum field {
	F_AUTH,
	F_AUTHORS,
	F_YEAR,
	F_TITLE,
	F_SHORTTITLE,
	F_VENUE,
	F_ID,
	F_LITERAL
} field;

static const struct {
	const char *name;
	field f;
} fields[] = {
	{"auth", F_AUTH},   {"authors", F_AUTHORS},       {"year", F_YEAR},
	{"title", F_TITLE}, {"shorttitle", F_SHORTTITLE}, {"venue", F_VENUE},
	{"id", F_ID},
};

typedef struct part {
	field f;
	char *text; /* for F_LITERAL */
} part;

struct pb_keygen {
	part *parts;
	size_t n;
	pb_strset used;
	pb_strcount clashes; /* the last suffix given to each clashing key */
	int unique;
	pb_buf key;
};

/* The character classes of the C locale, without the locale lookups:
 * keys are ASCII whatever the locale. */
static int is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

static int is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static int is_alnum(unsigned char c)
{
	return is_digit(c) || is_alpha(c);
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* Appends s folded to lower-case ASCII letters and digits; keep lists the
 * punctuation kept as it is. */
static int fold(pb_buf *out, const char *s, size_t n, const char *keep)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			/* a run of ASCII gives at most a byte for each byte: make
			 * room for the rest of s, then write without checks */
			if (n - i >= out->cap - out->len && pb_buf_reserve(out, n - i))
				return PB_ENOMEM;
			char *d = out->data + out->len;
			for (; i < n && p[i] < 0x80; i++) {
				char c = (char)p[i];
				if (is_alnum(p[i]))
					*d++ = to_lower(c);
				else if (c && keep && strchr(keep, c))
					*d++ = c;
			}
			*d = '\0';
			out->len = (size_t)(d - out->data);
			continue;
		}
		uint32_t cp;
		size_t k = pb_utf8_decode(p + i, n - i, &cp);
		i += k ? k : 1;
		const char *a = pb_ascii_fold(cp);
		for (; a && *a; a++)
			if (pb_buf_putc(out, to_lower(*a)))
				return PB_ENOMEM;
	}
	return PB_OK;
}

static int is_word_byte(unsigned char c)
{
	return is_alnum(c) || c >= 0x80;
}

/* Whether w[0..n), compared without case, is a stop word. */
static int is_stop_word(const char *w, size_t n)
{
	if (n < 1 || n > STOP_MAX)
		return 0;
	char low[STOP_MAX];
	for (size_t i = 0; i < n; i++)
		low[i] = to_lower(w[i]);
	/* each list is in order: stop at the first word past low */
	for (const char *s = stop_words[n]; *s && *s <= low[0]; s += n)
		if (*s == low[0] && memcmp(s, low, n) == 0)
			return 1;
	return 0;
}

/* Appends the first `count` significant title words, folded. Words are
 * runs of letters and digits: "Meta-Q-Learning" starts with "meta". Words
 * that fold to nothing (CJK) are skipped. */
static int title_words(pb_buf *out, const char *title, int count)
{
	const char *p = title;
	while (count > 0 && *p) {
		while (*p && !is_word_byte((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && is_word_byte((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - start);
		if (!n || is_stop_word(start, n))
			continue;
		size_t before = out->len;
		if (fold(out, start, n, NULL))
			return PB_ENOMEM;
		if (out->len > before)
			count--;
	}
	return PB_OK;
}

static int author_name(pb_buf *out, const pb_name *a)
{
	const char *s = a->literal ? a->literal : pb_name_family_core(a);
	if (!s)
		s = a->given;
	return s ? fold(out, s, strlen(s), NULL) : PB_OK;
}

/* The first run of four digits in the venue's year, else in its date
 * ("Spring 2001" gives 2001), else the year of the record's arXiv id
 * (a preprint's year, as arXiv's own BibTeX gives it), into y; 0 when
 * there is none. */
static int year_of(const pb_record *r, char y[5])
{
	const char *where[] = {r->venue.year, r->venue.date};
	for (size_t f = 0; f < 2; f++) {
		const char *s = where[f];
		for (size_t run = 0; s && *s; s++) {
			run = is_digit((unsigned char)*s) ? run + 1 : 0;
			if (run == 4 && !is_digit((unsigned char)s[1])) {
				memcpy(y, s - 3, 4);
				y[4] = '\0';
				return 1;
			}
		}
	}
	char id[PB_IDENT_MAX];
	int year = pb_record_arxiv_id(r, id, sizeof id) ? pb_arxiv_year(id) : 0;
	if (year < 1000 || year > 9999)
		return 0;
	snprintf(y, 5, "%d", year);
	return 1;
}

static int expand(pb_buf *out, const part *pt, const pb_record *r)
{
	switch (pt->f) {
	case F_LITERAL:
		return fold(out, pt->text, strlen(pt->text), "-_:");
	case F_AUTH:
		return r->n_authors ? author_name(out, &r->authors[0]) : PB_OK;
	case F_AUTHORS:
		for (size_t i = 0; i < r->n_authors && i < 3; i++)
			if (author_name(out, &r->authors[i]))
				return PB_ENOMEM;
		return r->n_authors > 3 ? pb_buf_puts(out, "etal") : PB_OK;
	case F_YEAR: {
		char y[5];
		return year_of(r, y) ? pb_buf_append(out, y, 4) : PB_OK;
	}
	case F_TITLE:
		return r->title ? title_words(out, r->title, 1) : PB_OK;
	case F_SHORTTITLE:
		return r->title ? title_words(out, r->title, 3) : PB_OK;
	case F_VENUE:
		return r->venue.short_name
		       ? fold(out, r->venue.short_name, strlen(r->venue.short_name), NULL)
		       : PB_OK;
	case F_ID:
		return r->id ? fold(out, r->id, strlen(r->id), NULL) : PB_OK;
	}
	return PB_OK;
}

static void free_parts(part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i].text);
	free(parts);
}

/* Splits a pattern into parts. PB_OK, PB_ECONFIG or PB_ENOMEM. */
static int compile(const char *pattern, part **out, size_t *count)
{
	size_t cap = strlen(pattern) + 1, n = 0;
	part *parts = calloc(cap, sizeof *parts);
	if (!parts)
		return PB_ENOMEM;
	const char *p = pattern;
	while (*p) {
		if (*p == '[') {
			const char *end = strchr(p, ']');
			if (!end)
				goto bad;
			size_t len = (size_t)(end - p - 1);
			size_t i;
			for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
				if (strlen(fields[i].name) == len &&
				    strncmp(fields[i].name, p + 1, len) == 0)
					break;
			if (i == sizeof fields / sizeof fields[0])
				goto bad;
			parts[n++].f = fields[i].f;
			p = end + 1;
		} else {
			const char *end = strchr(p, '[');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			if (strchr(p, ']') && strchr(p, ']') < p + len)
				goto bad;
			parts[n].f = F_LITERAL;
			if (!(parts[n].text = pb_strndup(p, len))) {
				free_parts(parts, n);
				return PB_ENOMEM;
			}
			n++;
			p += len;
		}
	}
	*out = parts;
	*count = n;
	return PB_OK;
bad:
	free_parts(parts, n);
	return PB_ECONFIG;
}

int pb_citekey_check_pattern(const char *pattern)
{
	part *parts;
	size_t n;
	int rc = compile(pattern, &parts, &n);
	if (rc == PB_OK)
		free_parts(parts, n);
	return rc;
}

pb_keygen *pb_keygen_new(const char *pattern, int *status)
{
	pb_keygen *g = calloc(1, sizeof *g);
	if (!g) {
		*status = PB_ENOMEM;
		return NULL;
	}
	g->unique = 1;
	*status = compile(pattern ? pattern : PB_CITEKEY_DEFAULT_PATTERN,
	                  &g->parts, &g->n);
	if (*status) {
		free(g);
		return NULL;
	}
	return g;
}

void pb_keygen_set_unique(pb_keygen *g, int unique)
{
	g->unique = unique;
}

void pb_keygen_free(pb_keygen *g)
{
	if (!g)
		return;
	free_parts(g->parts, g->n);
	pb_strset_free(&g->used);
	pb_strcount_free(&g->clashes);
	pb_buf_free(&g->key);
	free(g);
}

/* "a".."z", then "aa".."zz", ... for the n-th collision (n >= 1). */
static int put_suffix(pb_buf *b, unsigned long n)
{
	char s[16];
	int len = 0;
	while (n > 0 && len < (int)sizeof s) {
		n--;
		s[len++] = (char)('a' + n % 26);
		n /= 26;
	}
	while (len > 0)
		if (pb_buf_putc(b, s[--len]))
			return PB_ENOMEM;
	return PB_OK;
}

int pb_keygen_assign(pb_keygen *g, pb_record *r)
{
	pb_buf_reset(&g->key);
	if (r->key) {
		if (pb_buf_puts(&g->key, r->key))
			return PB_ENOMEM;
	} else {
		for (size_t i = 0; i < g->n; i++)
			if (expand(&g->key, &g->parts[i], r))
				return PB_ENOMEM;
		/* a key with no letter ("", "1999") gets a word in front */
		int letter = 0;
		for (size_t i = 0; i < g->key.len && !letter; i++)
			letter = is_alpha((unsigned char)g->key.data[i]);
		if (!letter) {
			char y[5];
			pb_buf_reset(&g->key);
			if (pb_buf_puts(&g->key, "anon") ||
			    (year_of(r, y) && pb_buf_append(&g->key, y, 4)))
				return PB_ENOMEM;
		}
	}
	/* the key holds no NUL: its length is its strlen */
	if (!g->unique)
		return pb_record_setn(r, PB_F_KEY, g->key.data, g->key.len);
	uint64_t h = pb_strset_hash(g->key.data, g->key.len);
	int added = pb_strset_addh(&g->used, h);
	if (added < 0)
		return PB_ENOMEM;
	/* A clash: try the suffixes after the last one this base key got, so
	 * that many records with one key cost linear time, not quadratic. */
	size_t base = g->key.len;
	unsigned long n = added ? 0 : pb_strcount_geth(&g->clashes, h);
	while (!added) {
		g->key.len = base;
		if (put_suffix(&g->key, ++n))
			return PB_ENOMEM;
		added = pb_strset_addn(&g->used, g->key.data, g->key.len);
		if (added < 0)
			return PB_ENOMEM;
		if (added && pb_strcount_seth(&g->clashes, h, n))
			return PB_ENOMEM;
	}
	return pb_record_setn(r, PB_F_KEY, g->key.data, g->key.len);
}
