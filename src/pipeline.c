/* From readers to writers: configuration applied, keys assigned,
 * duplicates dropped, one record at a time. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "ident.h"
#include "diag_hold.h"
#include "paperbib/paperbib.h"
#include "strset.h"
#include "utf8.h"

/* [venue] keys and the record fields they set. */
static const struct {
	const char *key;
	pb_field field;
} venue_keys[] = {
	{"name", PB_F_VENUE_NAME},
	{"short_name", PB_F_VENUE_SHORT},
	{"year", PB_F_VENUE_YEAR},
	{"date", PB_F_VENUE_DATE},
	{"publisher", PB_F_VENUE_PUBLISHER},
	{"location", PB_F_VENUE_LOCATION},
	{"track", PB_F_VENUE_TRACK},
};

#define N_VENUE_KEYS (sizeof venue_keys / sizeof venue_keys[0])

/* The [venue] values set in the configuration, NULL where not set. */
static void configured_venue(const pb_config *config,
                             const char *values[N_VENUE_KEYS])
{
	for (size_t i = 0; i < N_VENUE_KEYS; i++)
		values[i] = pb_config_is_set(config, "venue", venue_keys[i].key)
		            ? pb_config_get(config, "venue", venue_keys[i].key)
		            : NULL;
}

static int apply_venue(pb_record *r, const char *const values[N_VENUE_KEYS])
{
	for (size_t i = 0; i < N_VENUE_KEYS; i++)
		if (values[i] && pb_record_set(r, venue_keys[i].field, values[i]))
			return PB_ENOMEM;
	/* A date gives the year when no year is set. */
	if (!r->venue.year && r->venue.date && strlen(r->venue.date) >= 4 &&
	    pb_record_setn(r, PB_F_VENUE_YEAR, r->venue.date, 4))
		return PB_ENOMEM;
	return PB_OK;
}

/* [input] duplicates. */
typedef enum dup_policy {
	DUP_AUTO, /* drop from paper lists; keep and report from bibliographies */
	DUP_DROP, /* drop from every input */
	DUP_KEEP  /* keep every record, remember and report nothing */
} dup_policy;

/* 64-bit hashes (0: an empty slot), a 64-bit value for each, and a
 * 16-bit one, allocated when first set (NULL: all 0). */
typedef struct seen_map {
	uint64_t *hashes, *values;
	uint16_t *codes;
	size_t n, cap;
} seen_map;

/* An input: its name and the first of its lines in the numbering that
 * runs on through every input (locate()). */
typedef struct src_file {
	char *name;
	uint64_t base;
} src_file;

struct pb_pipeline {
	const pb_diag_sink *diag;
	pb_keygen *keys;
	pb_writer **writers;
	size_t n_writers;
	int begun;
	dup_policy duplicates; /* [input] duplicates */
	int read_ahead; /* [input] read_ahead */
	/* [venue] from the configuration, looked up once: the configuration
	 * does not change while the pipeline runs. */
	const char *venue[N_VENUE_KEYS];
	pb_strset seen_ids; /* identifiers, and title + authors without one */
	seen_map titles;    /* title -> where it was first seen (see locate()) */
	src_file *files;    /* the inputs, in order (see locate()) */
	size_t n_files;
	uint64_t max_line;      /* the last line seen in files[n_files - 1] */
	uint64_t *key_at;       /* bibliography keys: where, ... */
	size_t *key_off;        /* ... and the key's offset in key_text */
	size_t n_keys, cap_keys;
	pb_buf key_text;
	pb_buf tmp, fp, authors;
	pb_buf lost; /* the links a dropped record had that nothing kept has */
	pb_stats stats;
};

pb_pipeline *pb_pipeline_new(const pb_config *config, const pb_diag_sink *diag,
                             int *status)
{
	pb_pipeline *p = calloc(1, sizeof *p);
	if (!p) {
		*status = PB_ENOMEM;
		return NULL;
	}
	p->diag = diag;
	p->keys = pb_keygen_new(pb_config_get(config, "citekey", "pattern"), status);
	if (!p->keys) {
		free(p);
		return NULL;
	}
	pb_keygen_set_unique(p->keys, pb_config_get_bool(config, "citekey", "unique", 1));
	const char *dup = pb_config_get(config, "input", "duplicates");
	p->duplicates = !dup || strcmp(dup, "auto") == 0 ? DUP_AUTO
	                : strcmp(dup, "drop") == 0       ? DUP_DROP
	                                                 : DUP_KEEP;
	p->read_ahead = pb_config_get_bool(config, "input", "read_ahead", 1);
	configured_venue(config, p->venue);
	*status = PB_OK;
	return p;
}

void pb_pipeline_free(pb_pipeline *p)
{
	if (!p)
		return;
	pb_keygen_free(p->keys);
	free(p->writers);
	pb_strset_free(&p->seen_ids);
	free(p->titles.hashes);
	free(p->titles.values);
	free(p->titles.codes);
	for (size_t i = 0; i < p->n_files; i++)
		free(p->files[i].name);
	free(p->files);
	free(p->key_at);
	free(p->key_off);
	pb_buf_free(&p->key_text);
	pb_buf_free(&p->tmp);
	pb_buf_free(&p->fp);
	pb_buf_free(&p->authors);
	pb_buf_free(&p->lost);
	free(p);
}

int pb_pipeline_add_writer(pb_pipeline *p, pb_writer *w)
{
	pb_writer **ws = realloc(p->writers, (p->n_writers + 1) * sizeof *ws);
	if (!ws)
		return PB_ENOMEM;
	p->writers = ws;
	p->writers[p->n_writers++] = w;
	return PB_OK;
}

int pb_record_apply_config(pb_record *r, const pb_config *config)
{
	const char *values[N_VENUE_KEYS];
	configured_venue(config, values);
	return apply_venue(r, values);
}

/* The title as compared for duplicates: letters and digits, lower-case. */
static int title_fingerprint(pb_buf *b, const char *title)
{
	pb_buf_reset(b);
	/* the fingerprint is never longer than the title: one reserve */
	if (pb_buf_reserve(b, strlen(title)))
		return PB_ENOMEM;
	char *d = b->data;
	for (const unsigned char *s = (const unsigned char *)title; *s; s++)
		if (*s >= 0x80 || isalnum(*s))
			*d++ = (char)tolower(*s);
	*d = '\0';
	b->len = (size_t)(d - b->data);
	return PB_OK;
}

/* The authors as compared for duplicates: family names (or literal
 * names) in order, folded to ASCII letters and digits, lower-case, so that
 * "Bińkowski" and "Binkowski" agree. */
static int authors_fingerprint(pb_buf *b, const pb_record *r)
{
	pb_buf_reset(b);
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *a = &r->authors[i];
		const char *f = a->literal ? a->literal : a->family ? a->family : a->given;
		if (i && pb_buf_putc(b, ';'))
			return PB_ENOMEM;
		size_t n = f ? strlen(f) : 0;
		for (size_t k = 0; k < n;) {
			uint32_t cp;
			size_t len = pb_utf8_decode((const unsigned char *)f + k, n - k, &cp);
			k += len ? len : 1;
			char c[2] = {(char)cp, '\0'};
			const char *fold = cp < 0x80 ? c : pb_ascii_fold(cp);
			for (; fold && *fold; fold++)
				if (isalnum((unsigned char)*fold) &&
				    pb_buf_putc(b, (char)tolower((unsigned char)*fold)))
					return PB_ENOMEM;
		}
	}
	return pb_buf_putc(b, '\0') ? PB_ENOMEM : PB_OK;
}

#define MAP_EMPTY SIZE_MAX

static size_t map_find(const seen_map *m, uint64_t h)
{
	if (!m->cap)
		return MAP_EMPTY;
	for (size_t i = h & (m->cap - 1); m->hashes[i]; i = (i + 1) & (m->cap - 1))
		if (m->hashes[i] == h)
			return i;
	return MAP_EMPTY;
}

/* Sets the 16-bit value of slot i. PB_OK or PB_ENOMEM. */
static int map_set_code(seen_map *m, size_t i, uint16_t c)
{
	if (!m->codes && !(m->codes = calloc(m->cap, sizeof *m->codes)))
		return PB_ENOMEM;
	m->codes[i] = c;
	return PB_OK;
}

static uint16_t map_code(const seen_map *m, size_t i)
{
	return m->codes ? m->codes[i] : 0;
}

/* Adds h with values v and c (h is not in m yet). PB_OK or PB_ENOMEM. */
static int map_add(seen_map *m, uint64_t h, uint64_t v, uint16_t c)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		uint64_t *hs = calloc(cap, sizeof *hs), *vs = malloc(cap * sizeof *vs);
		uint16_t *cs = m->codes ? malloc(cap * sizeof *cs) : NULL;
		if (!hs || !vs || (m->codes && !cs)) {
			free(hs);
			free(vs);
			free(cs);
			return PB_ENOMEM;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->hashes[i])
				continue;
			size_t j = m->hashes[i] & (cap - 1);
			while (hs[j])
				j = (j + 1) & (cap - 1);
			hs[j] = m->hashes[i];
			vs[j] = m->values[i];
			if (cs)
				cs[j] = m->codes[i];
		}
		free(m->hashes);
		free(m->values);
		free(m->codes);
		m->hashes = hs;
		m->values = vs;
		m->codes = cs;
		m->cap = cap;
	}
	size_t i = h & (m->cap - 1);
	while (m->hashes[i])
		i = (i + 1) & (m->cap - 1);
	m->hashes[i] = h;
	m->values[i] = v;
	if (m->codes)
		m->codes[i] = 0;
	m->n++;
	return c ? map_set_code(m, i, c) : PB_OK;
}

/* A title's value in the map, one 64-bit word:
 * - where its first record is (the low 36 bits: see locate());
 * - whether that record has an identifier (bit 36);
 * - the strong schemes (DOI, arXiv id, OpenReview id) of the records seen
 *   with this title (bits 37-39): a paper-list record with the same title
 *   and an identifier of one of them that no record had is another paper;
 * - whether the record that the title stands for has authors (bit 40),
 *   and 12 bits of the hash of their family names (41-52): other authors
 *   make another paper;
 * - whether another record had this title (bit 53: one kept as another
 *   paper, or one dropped as a repeat of a record not known to be the
 *   first): until then, a record that matches a hash made with the title
 *   (a web page's, or the title and authors') matches the first;
 * - the top 10 bits of the hash of its first identifier or, without one,
 *   of its title and authors (54-63): enough to tell whether a later
 *   record that matched one of these is that same record, so that a
 *   message can name its line.
 * Beside it, 16 bits: whether the paper the title stands for has a code
 * link (the top bit) and 15 bits of its link_hash(): a record with the
 * title and that code link is that paper, and when one is dropped, its
 * code link is named unless the kept record has it. A code link costs
 * no hash of its own: 2 bytes a title once some record has one. */
#define AT_BITS 36
#define AT_MASK ((UINT64_C(1) << AT_BITS) - 1)
#define HAS_IDS (UINT64_C(1) << AT_BITS)
#define SCHEME_SHIFT 37
#define SCHEMES(v) ((unsigned)((v) >> SCHEME_SHIFT) & 7u)
#define HAS_AUTHORS (UINT64_C(1) << 40)
#define AUTHORS_SHIFT 41
#define AUTHORS_MASK (UINT64_C(0xfff) << AUTHORS_SHIFT)
#define OTHERS (UINT64_C(1) << 53)
#define CHECK_SHIFT 54
#define CHECK(h) ((h) >> CHECK_SHIFT)
#define HAS_CODE 0x8000u
#define CODE(h) ((uint16_t)(HAS_CODE | (unsigned)((h) >> 49)))

/* The strong schemes as bits of a title's value: one paper has at most
 * one id in each, so two ids of one scheme are two papers, while ids of
 * two schemes (an OpenReview id and an arXiv id) say nothing either way.
 * Web pages are no scheme: one paper is often linked from two sites. */
static const unsigned scheme_bits[] = {
	[PB_IDENT_DOI] = 1,
	[PB_IDENT_ARXIV] = 2,
	[PB_IDENT_OPENREVIEW] = 4,
	[PB_IDENT_URL] = 0,
};

/* Where rec is, as one number: lines run on from one input to the next
 * (an input starts where the file name changes or the lines go back: a
 * file given twice), so that the number says both the input and the
 * line. Only titles remember it: 8 bytes a title. */
static int locate(pb_pipeline *p, const pb_record *rec, uint64_t *at)
{
	const char *name = rec->file ? rec->file : "";
	if (!p->n_files || strcmp(p->files[p->n_files - 1].name, name) != 0 ||
	    (rec->line && rec->line <= p->max_line)) {
		src_file *fs = realloc(p->files, (p->n_files + 1) * sizeof *fs);
		if (!fs)
			return PB_ENOMEM;
		p->files = fs;
		char *copy = strdup(name);
		if (!copy)
			return PB_ENOMEM;
		uint64_t base = p->n_files ? fs[p->n_files - 1].base + p->max_line + 1 : 0;
		fs[p->n_files].name = copy;
		fs[p->n_files].base = base;
		p->n_files++;
		p->max_line = 0;
	}
	*at = (p->files[p->n_files - 1].base + rec->line) & AT_MASK;
	if (rec->line > p->max_line)
		p->max_line = rec->line;
	return PB_OK;
}

/* The input and line of a number from locate(): file NULL for a record
 * that came from no file. */
static void where(const pb_pipeline *p, uint64_t at, const char **file,
                  unsigned long *line)
{
	size_t lo = 0, hi = p->n_files;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->files[mid].base <= at)
			lo = mid;
		else
			hi = mid;
	}
	*file = p->n_files && *p->files[lo].name ? p->files[lo].name : NULL;
	*line = p->n_files ? (unsigned long)(at - p->files[lo].base) : 0;
}

/* Bibliography entries keep their keys in the messages about them, so
 * their keys are remembered, in input order. */
static int remember_key(pb_pipeline *p, uint64_t at, const char *key)
{
	if (p->n_keys == p->cap_keys) {
		size_t cap = p->cap_keys ? 2 * p->cap_keys : 64;
		uint64_t *a = realloc(p->key_at, cap * sizeof *a);
		if (!a)
			return PB_ENOMEM;
		p->key_at = a;
		size_t *o = realloc(p->key_off, cap * sizeof *o);
		if (!o)
			return PB_ENOMEM;
		p->key_off = o;
		p->cap_keys = cap;
	}
	p->key_at[p->n_keys] = at;
	p->key_off[p->n_keys++] = p->key_text.len;
	return pb_buf_append(&p->key_text, key, strlen(key) + 1) ? PB_ENOMEM : PB_OK;
}

/* The key of the bibliography entry at at, NULL when none. */
static const char *key_at(const pb_pipeline *p, uint64_t at)
{
	size_t lo = 0, hi = p->n_keys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->key_at[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->n_keys && p->key_at[lo] == at ? p->key_text.data + p->key_off[lo]
	                                             : NULL;
}

/* "entry 'key' at FILE:LINE", "the record at FILE:LINE" or "an earlier
 * record", into b. */
static int describe(pb_buf *b, const pb_pipeline *p, int known, uint64_t at)
{
	const char *file = NULL, *key = NULL;
	unsigned long line = 0;
	pb_buf_reset(b);
	if (known) {
		where(p, at, &file, &line);
		key = key_at(p, at);
	}
	if (!file)
		return pb_buf_puts(b, "an earlier record");
	if (key)
		return pb_buf_printf(b, "entry '%s' at %s:%lu", key, file, line);
	return pb_buf_printf(b, "the record at %s:%lu", file, line);
}

/* The hash by which an identifier says which paper a record is: a web
 * page's only together with the title (p->fp), as a journal's or a site's
 * own page is shared by many papers. */
static int ident_hash(pb_pipeline *p, pb_ident_kind kind, const char *key,
                      uint64_t *h)
{
	pb_buf_reset(&p->tmp);
	if (pb_buf_puts(&p->tmp, key) ||
	    (kind == PB_IDENT_URL &&
	     (pb_buf_putc(&p->tmp, '\x1f') || pb_buf_append(&p->tmp, p->fp.data, p->fp.len))))
		return PB_ENOMEM;
	*h = pb_strset_hash(p->tmp.data, p->tmp.len);
	return PB_OK;
}

/* A link that identifies nothing, as it is compared with the links of
 * records of the same title: without its scheme, "www.", fragment or
 * trailing slashes, its host in lower case. */
static int plain_link(pb_buf *b, const char *url)
{
	const char *s = url + strspn(url, " \t\r\n");
	if (strncasecmp(s, "https://", 8) == 0)
		s += 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		s += 7;
	if (strncasecmp(s, "www.", 4) == 0)
		s += 4;
	size_t host = strcspn(s, "/?# \t\r\n");
	size_t end = host + strcspn(s + host, "# \t\r\n");
	while (end > host && s[end - 1] == '/')
		end--;
	for (size_t i = 0; i < host; i++)
		if (pb_buf_putc(b, (char)tolower((unsigned char)s[i])))
			return PB_ENOMEM;
	return pb_buf_append(b, s + host, end - host) ? PB_ENOMEM : PB_OK;
}

/* The hash of a link of a paper-list record: its identifier's (*kind its
 * kind), or for a link that identifies nothing the link itself with the
 * title (*kind -1). */
static int link_hash(pb_pipeline *p, const char *url, int *kind, uint64_t *h)
{
	char key[PB_IDENT_MAX];
	*kind = pb_url_ident(url, key, sizeof key);
	if (*kind >= 0)
		return ident_hash(p, (pb_ident_kind)*kind, key, h);
	pb_buf_reset(&p->tmp);
	if (pb_buf_puts(&p->tmp, "link:") || plain_link(&p->tmp, url) ||
	    pb_buf_putc(&p->tmp, '\x1f') || pb_buf_append(&p->tmp, p->fp.data, p->fp.len))
		return PB_ENOMEM;
	*h = pb_strset_hash(p->tmp.data, p->tmp.len);
	return PB_OK;
}

/* A paper list's record's links: its page, PDF and code. */
enum { LINK_URL, LINK_PDF, LINK_CODE, N_LINKS };

typedef struct rec_links {
	const char *url[N_LINKS]; /* NULL: none, or the same as an earlier one */
	uint64_t h[N_LINKS];      /* link_hash */
	int kind[N_LINKS];
	int fresh[N_LINKS];       /* no record seen had it (-1: ask the title) */
} rec_links;

static int find_links(pb_pipeline *p, const pb_record *rec, rec_links *l)
{
	const char *urls[N_LINKS] = {rec->url, rec->pdf_url, rec->code_url};
	for (size_t i = 0; i < N_LINKS; i++) {
		l->url[i] = urls[i] && *urls[i] ? urls[i] : NULL;
		for (size_t k = 0; k < i && l->url[i]; k++)
			if (l->url[k] && strcmp(l->url[k], l->url[i]) == 0)
				l->url[i] = NULL;
		l->fresh[i] = 0;
		l->h[i] = 0;
		l->kind[i] = -1;
		if (l->url[i] && link_hash(p, l->url[i], &l->kind[i], &l->h[i]))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* Whether the code link is compared by the title's code word (a web page
 * or a link that identifies nothing) rather than by a hash of its own. */
static int code_by_title(const rec_links *l)
{
	return l->url[LINK_CODE] &&
	       (l->kind[LINK_CODE] < 0 || l->kind[LINK_CODE] == PB_IDENT_URL);
}

/* Which links are new, once the hashes h[0..nh) are remembered (fresh:
 * which of them were new). A page or PDF link that identifies nothing is
 * remembered here, so that a later record can tell whether it brings a
 * link that nothing kept has (rare: a site's root); the code link is
 * left to the title's code word (fresh -1). */
static int fresh_links(pb_pipeline *p, rec_links *l, const uint64_t *h, size_t nh,
                       unsigned fresh)
{
	for (size_t i = 0; i < N_LINKS; i++) {
		if (!l->url[i])
			continue;
		size_t k = 0;
		while (k < nh && h[k] != l->h[i])
			k++;
		if (k == nh && i == LINK_CODE && code_by_title(l)) {
			l->fresh[i] = -1;
			continue;
		}
		int added = k < nh ? (int)((fresh >> k) & 1)
		                   : pb_strset_addh(&p->seen_ids, l->h[i]);
		if (added < 0)
			return added;
		l->fresh[i] = added;
	}
	return PB_OK;
}

/* The new links, ", "-separated, into b: the record that names them is
 * dropped, and the record kept lacks them. */
static int lost_links(pb_buf *b, const rec_links *l)
{
	pb_buf_reset(b);
	for (size_t i = 0; i < N_LINKS; i++)
		if (l->url[i] && l->fresh[i] &&
		    (pb_buf_puts(b, b->len ? ", " : "") || pb_buf_puts(b, l->url[i])))
			return PB_ENOMEM;
	return PB_OK;
}

/* 1 when rec repeats an earlier record and is dropped (reported), 0 when
 * it is kept: new, or a duplicate kept as [input] duplicates says
 * (reported), or a different paper with the same title (reported).
 *
 * Records are the same paper when they share an identifier, or without
 * any, the title and authors. A paper list also names one paper twice
 * with other links (an OpenReview id under one heading, an arXiv id under
 * another, or a paper link only the second time): there a record with
 * the title of an earlier one, or the title and a code link, is that
 * paper, unless they conflict: ids of one scheme that differ, or authors
 * on both sides that differ. */
static int duplicate(pb_pipeline *p, const pb_record *rec)
{
	int list = rec->origin == PB_ORIGIN_LIST;
	pb_idents ids;
	size_t n = pb_record_idents(rec, &ids);
	if (title_fingerprint(&p->fp, rec->title ? rec->title : ""))
		return PB_ENOMEM;
	/* the authors a title remembers */
	uint64_t authors = 0;
	if (p->fp.len) {
		if (authors_fingerprint(&p->authors, rec))
			return PB_ENOMEM;
		if (*p->authors.data)
			authors = HAS_AUTHORS |
			          (pb_strset_hash(p->authors.data, strlen(p->authors.data)) &
			           (AUTHORS_MASK >> AUTHORS_SHIFT))
			              << AUTHORS_SHIFT;
	}
	/* the hashes that say which paper rec is: its identifiers, or
	 * without one its title and authors; in a list a code link to a
	 * paper too */
	uint64_t h[PB_IDENTS_MAX + 1];
	size_t nh = 0;
	unsigned schemes = 0;
	for (size_t i = 0; i < n; i++) {
		if (ident_hash(p, ids.id[i].kind, ids.id[i].key, &h[nh]))
			return PB_ENOMEM;
		nh++;
		schemes |= scheme_bits[ids.id[i].kind];
	}
	if (!n && p->fp.len) {
		pb_buf_reset(&p->tmp);
		if (pb_buf_puts(&p->tmp, "ta:") ||
		    pb_buf_append(&p->tmp, p->fp.data, p->fp.len) ||
		    pb_buf_putc(&p->tmp, '\x1f') || pb_buf_puts(&p->tmp, p->authors.data))
			return PB_ENOMEM;
		h[nh++] = pb_strset_hash(p->tmp.data, p->tmp.len);
	}
	rec_links links;
	size_t code = SIZE_MAX; /* the code link's place in h */
	if (list) {
		if (find_links(p, rec, &links))
			return PB_ENOMEM;
		/* a code link to a paper (an arXiv or OpenReview page) is
		 * that paper's identifier */
		size_t k = 0;
		while (k < nh && h[k] != links.h[LINK_CODE])
			k++;
		if (links.url[LINK_CODE] && !code_by_title(&links) && k == nh)
			h[code = nh++] = links.h[LINK_CODE];
	}
	/* an entry with neither: its key, which a second copy of its file
	 * repeats */
	if (!nh && !list && rec->key) {
		pb_buf_reset(&p->tmp);
		if (pb_buf_puts(&p->tmp, "key:") || pb_buf_puts(&p->tmp, rec->key))
			return PB_ENOMEM;
		h[nh++] = pb_strset_hash(p->tmp.data, p->tmp.len);
	}
	if (!nh)
		return 0; /* nothing to tell it by */
	size_t match = nh;
	unsigned fresh = 0; /* which of h were new */
	for (size_t i = 0; i < nh; i++) {
		int added = pb_strset_addh(&p->seen_ids, h[i]);
		if (added < 0)
			return added;
		fresh |= (unsigned)added << i;
		if (!added && match == nh)
			match = i;
	}
	if (list && fresh_links(p, &links, h, nh, fresh))
		return PB_ENOMEM;
	/* a bibliography entry is remembered with its key too, to tell a
	 * repeated entry (the same file given twice) from another entry for
	 * the same paper */
	int same_key = 0;
	for (size_t i = 0; i < nh && !list && rec->key; i++) {
		pb_buf_reset(&p->tmp);
		if (pb_buf_append(&p->tmp, (const char *)&h[i], sizeof h[i]) ||
		    pb_buf_puts(&p->tmp, rec->key))
			return PB_ENOMEM;
		int added = pb_strset_addn(&p->seen_ids, p->tmp.data, p->tmp.len);
		if (added < 0)
			return added;
		same_key |= !added;
	}
	uint64_t at;
	if (locate(p, rec, &at))
		return PB_ENOMEM;
	uint64_t th = p->fp.len ? pb_strset_hash(p->fp.data, p->fp.len) : 0;
	size_t ti = th ? map_find(&p->titles, th) : MAP_EMPTY;
	uint64_t tv = ti != MAP_EMPTY ? p->titles.values[ti] : 0;
	int known = 0; /* whether the title's first record is the one matched */
	for (size_t i = 0; i < nh && ti != MAP_EMPTY && !known; i++)
		known = CHECK(h[i]) == CHECK(tv);
	/* a match of a hash made with the title, which one record has */
	if (match < nh && ti != MAP_EMPTY && !(tv & OTHERS))
		known |= match == code ? 0
		         : match < n   ? ids.id[match].kind == PB_IDENT_URL
		                       : p->fp.len > 0;
	/* the code link of the paper the title stands for */
	int same_code = list && code_by_title(&links) && ti != MAP_EMPTY &&
	                map_code(&p->titles, ti) == CODE(links.h[LINK_CODE]);
	/* a list's repeated title, with no identity shared: the same paper
	 * with the same code link, or unless the two conflict */
	const char *other_id = NULL; /* rec's id of a scheme the title had */
	int other_authors = 0, by_title = 0, by_code = 0;
	if (match == nh && ti != MAP_EMPTY && same_code) {
		by_code = 1;
		known = 1;
	} else if (match == nh && ti != MAP_EMPTY) {
		unsigned both = schemes & SCHEMES(tv);
		for (size_t i = 0; i < n && !other_id; i++)
			if (scheme_bits[ids.id[i].kind] & both)
				other_id = ids.id[i].key;
		other_authors = authors && (tv & HAS_AUTHORS) &&
		                ((authors ^ tv) & AUTHORS_MASK);
		by_title = list && !other_id && !other_authors;
		known |= by_title;
	}
	/* what the title's records had, for the next record with it */
	if (ti != MAP_EMPTY) {
		p->titles.values[ti] |= (uint64_t)schemes << SCHEME_SHIFT;
		if (!(tv & HAS_AUTHORS) && (match < nh || by_title || by_code))
			p->titles.values[ti] |= authors;
	}
	const char *title = rec->title ? rec->title : "";
	if (match < nh || by_title || by_code) {
		const char *same = by_title ? "title, no identifier or authors in conflict"
		                   : by_code       ? "title and code link"
		                   : match == code ? "URL"
		                   : match < n ? pb_ident_label(ids.id[match].kind,
		                                                ids.id[match].from_link)
		                   : p->fp.len ? "title and authors"
		                               : "key";
		const char *ekey = known ? key_at(p, tv & AT_MASK) : NULL;
		/* a bibliography's entries are cited by their keys: one is
		 * dropped by default only when it repeats the key too */
		int drop = p->duplicates == DUP_DROP || list || same_key;
		/* the title's first record, when it is not the one repeated */
		if (known && same_key && (!ekey || strcmp(ekey, rec->key) != 0))
			known = 0;
		pb_buf_reset(&p->lost);
		if (list) {
			/* a code link the kept record has: the title's, when
			 * the kept record is the title's */
			if (links.fresh[LINK_CODE] < 0)
				links.fresh[LINK_CODE] = !(known && same_code);
			if (lost_links(&p->lost, &links))
				return PB_ENOMEM;
		}
		if (describe(&p->tmp, p, known, tv & AT_MASK))
			return PB_ENOMEM;
		if (drop && !same_key && rec->key && ekey && strcmp(rec->key, ekey) != 0)
			pb_diag_emitf(p->diag, PB_DIAG_WARNING, rec->file, rec->line, 0,
			              "duplicate of an earlier record (same %s): '%s'; "
			              "kept once, as %s: entry '%s' dropped%s%s",
			              same, title, p->tmp.data, rec->key,
			              p->lost.len ? "; not kept from this one: " : "",
			              pb_buf_cstr(&p->lost));
		else if (drop)
			pb_diag_emitf(p->diag, PB_DIAG_WARNING, rec->file, rec->line, 0,
			              "duplicate of an earlier record (same %s): '%s'; "
			              "kept once%s%s%s%s%s",
			              same, title, known ? " (" : "",
			              known ? p->tmp.data : "", known ? ")" : "",
			              p->lost.len ? "; not kept from this one: " : "",
			              pb_buf_cstr(&p->lost));
		else
			pb_diag_emitf(p->diag, PB_DIAG_WARNING, rec->file, rec->line, 0,
			              "%s%s%sduplicate of %s (same %s): '%s'; kept both",
			              rec->key ? "entry '" : "", rec->key ? rec->key : "",
			              rec->key ? "': " : "", p->tmp.data, same, title);
		if (ti != MAP_EMPTY && (!drop || !known))
			p->titles.values[ti] |= OTHERS;
		/* a code link merged into the title's paper */
		if (list && ti != MAP_EMPTY && drop && known && code_by_title(&links) &&
		    !(map_code(&p->titles, ti) & HAS_CODE) &&
		    map_set_code(&p->titles, ti, CODE(links.h[LINK_CODE])))
			return PB_ENOMEM;
		if (drop)
			return 1;
		p->stats.kept_duplicates++;
	} else if (ti != MAP_EMPTY) {
		p->titles.values[ti] |= OTHERS;
		/* the same title, but not the same paper: in a list, what
		 * conflicts; from a bibliography, any difference */
		const char *why = list ? (other_id ? "a different identifier" : "different authors")
		                  : n && (tv & HAS_IDS) ? "a different identifier"
		                  : !n && !(tv & HAS_IDS)
		                      ? "different authors"
		                      : "only one of them has an identifier";
		const char *id = list ? other_id : n && (tv & HAS_IDS) ? ids.id[0].key : NULL;
		if (describe(&p->tmp, p, 1, tv & AT_MASK))
			return PB_ENOMEM;
		pb_diag_emitf(p->diag, PB_DIAG_WARNING, rec->file, rec->line, 0,
		              "%s%s%ssame title as %s, but %s%s%s%s: '%s'; kept both",
		              rec->key ? "entry '" : "", rec->key ? rec->key : "",
		              rec->key ? "': " : "", p->tmp.data, why, id ? " (" : "",
		              id ? id : "", id ? ")" : "", title);
	}
	if (th && ti == MAP_EMPTY &&
	    map_add(&p->titles, th,
	            at | (n ? HAS_IDS : 0) | (uint64_t)schemes << SCHEME_SHIFT | authors |
	                CHECK(h[0]) << CHECK_SHIFT,
	            list && code_by_title(&links) ? CODE(links.h[LINK_CODE]) : 0))
		return PB_ENOMEM;
	if (!list && rec->key && remember_key(p, at, rec->key))
		return PB_ENOMEM;
	return 0;
}

static int begin(pb_pipeline *p)
{
	if (p->begun)
		return PB_OK;
	p->begun = 1;
	for (size_t i = 0; i < p->n_writers; i++) {
		int rc = pb_writer_begin(p->writers[i]);
		if (rc)
			return rc;
	}
	return PB_OK;
}

int pb_pipeline_push(pb_pipeline *p, pb_record *rec)
{
	int rc = apply_venue(rec, p->venue);
	if (rc)
		return rc;
	rc = p->duplicates != DUP_KEEP ? duplicate(p, rec) : 0;
	if (rc < 0)
		return rc;
	if (rc) {
		p->stats.duplicates++;
		return PB_OK;
	}
	if ((rc = pb_keygen_assign(p->keys, rec)) || (rc = begin(p)))
		return rc;
	for (size_t i = 0; i < p->n_writers; i++)
		if ((rc = pb_writer_write(p->writers[i], rec)))
			return rc;
	p->stats.records++;
	return PB_OK;
}

/* One thread: read a record, write it, read the next. */
static int run_in_turn(pb_pipeline *p, pb_reader *r)
{
	pb_record rec;
	pb_record_init(&rec);
	int rc;
	while ((rc = pb_reader_next(r, &rec)) == PB_OK)
		if ((rc = pb_pipeline_push(p, &rec)))
			break;
	pb_record_clear(&rec);
	return rc;
}

/* Read-ahead: the reader runs on a second thread and fills a ring of
 * record slots while this thread normalises and writes them, so that a
 * large list keeps both cores of a small machine busy: reading a paper
 * list costs more than writing any format (on the bench's 100,000
 * records, 1.5 to 1.8 times as fast as one thread).
 *
 * Nothing the user sees changes: records are written in input order by
 * this thread alone, and what the reader reports while reading a record
 * is held in that record's slot and emitted here just before the record
 * is pushed, which is where a single thread would have emitted it (the
 * pipeline's own warnings, duplicates for instance, come after). When
 * writing fails, the records read ahead are dropped with their reports,
 * as if they had never been read.
 *
 * Memory stays bounded: at most AHEAD records are in flight. The reader
 * thread empties a slot's record when it reads into it again
 * (pb_reader_next resets its output), keeping the record's storage for
 * the next one: after the first round of the ring, reading allocates
 * nothing for a typical record, and the slots are freed at the end.
 *
 * The threads wake each other only once every BATCH records: waking a
 * thread costs more than reading a short record. */
#define AHEAD 64
#define BATCH 16

/* A diagnostic held back: its strings are in the slot's text. */
typedef struct held {
	const pb_diag_sink *sink;
	pb_diag_level level;
	unsigned long line, col;
	size_t file; /* offset in text, or (size_t)-1 for no file */
	size_t message;
} held;

typedef struct slot {
	pb_record rec;
	int rc;     /* what pb_reader_next returned */
	int error;  /* errno after a read error */
	held *held; /* the reports made while reading rec */
	size_t n_held, cap_held;
	pb_buf text;
	int nomem; /* a report could not be held */
} slot;

typedef struct ahead {
	pb_reader *reader;
	slot slots[AHEAD];
	slot *filling; /* the slot the reader thread fills (its thread only) */
	/* guarded by mu: */
	pthread_mutex_t mu;
	pthread_cond_t changed;
	unsigned long filled; /* slots filled since the start */
	unsigned long taken;  /* slots written and handed back */
	int stop;             /* the writer gave up: read no more */
	int reader_waits, writer_waits;
} ahead;

static void hold(void *ctx, const pb_diag_sink *sink, const pb_diag *d)
{
	slot *s = ((ahead *)ctx)->filling;
	if (s->n_held == s->cap_held) {
		size_t cap = s->cap_held ? 2 * s->cap_held : 8;
		held *h = realloc(s->held, cap * sizeof *h);
		if (!h) {
			s->nomem = 1;
			return;
		}
		s->held = h;
		s->cap_held = cap;
	}
	held *h = &s->held[s->n_held];
	h->sink = sink;
	h->level = d->level;
	h->line = d->line;
	h->col = d->col;
	h->file = (size_t)-1;
	if (d->file) {
		h->file = s->text.len;
		if (pb_buf_append(&s->text, d->file, strlen(d->file) + 1)) {
			s->nomem = 1;
			return;
		}
	}
	h->message = s->text.len;
	if (pb_buf_append(&s->text, d->message, strlen(d->message) + 1)) {
		s->nomem = 1;
		return;
	}
	s->n_held++;
}

/* Emits what the reader reported while reading s, on this thread. */
static int release(slot *s)
{
	for (size_t i = 0; i < s->n_held; i++) {
		const held *h = &s->held[i];
		pb_diag d = {h->file == (size_t)-1 ? NULL : s->text.data + h->file,
		             h->line, h->col, h->level, s->text.data + h->message};
		h->sink->emit(h->sink->ctx, &d);
	}
	return s->nomem ? PB_ENOMEM : PB_OK;
}

static void *read_ahead(void *arg)
{
	ahead *a = arg;
	pb_diag_hold(hold, a);
	for (;;) {
		pthread_mutex_lock(&a->mu);
		/* a full ring: wait until BATCH slots are free again */
		while (!a->stop && a->filled - a->taken == AHEAD) {
			a->reader_waits = 1;
			pthread_cond_wait(&a->changed, &a->mu);
		}
		int stop = a->stop;
		pthread_mutex_unlock(&a->mu);
		if (stop)
			break;
		slot *s = a->filling = &a->slots[a->filled % AHEAD];
		s->n_held = 0;
		s->nomem = 0;
		pb_buf_reset(&s->text);
		s->rc = pb_reader_next(a->reader, &s->rec);
		s->error = s->rc ? errno : 0;
		pthread_mutex_lock(&a->mu);
		a->filled++;
		if (a->writer_waits &&
		    (s->rc || a->filled - a->taken >= BATCH)) {
			a->writer_waits = 0;
			pthread_cond_signal(&a->changed);
		}
		pthread_mutex_unlock(&a->mu);
		if (s->rc)
			break;
	}
	pb_diag_hold(NULL, NULL);
	return NULL;
}

/* Writes the records the reader thread reads; *started is 0 when the
 * thread could not be started (nothing was read then). */
static int run_ahead(pb_pipeline *p, pb_reader *r, int *started)
{
	ahead *a = calloc(1, sizeof *a);
	*started = 0;
	if (!a)
		return PB_ENOMEM;
	a->reader = r;
	for (size_t i = 0; i < AHEAD; i++)
		pb_record_init(&a->slots[i].rec);
	pthread_t thread;
	sigset_t all, old;
	int rc = PB_EOF;
	if (pthread_mutex_init(&a->mu, NULL) == 0) {
		if (pthread_cond_init(&a->changed, NULL) == 0) {
			/* signals go to the main thread, which knows what to
			 * clean up: the reader thread blocks them all */
			sigfillset(&all);
			pthread_sigmask(SIG_SETMASK, &all, &old);
			*started = pthread_create(&thread, NULL, read_ahead, a) == 0;
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			if (!*started)
				pthread_cond_destroy(&a->changed);
		}
		if (!*started)
			pthread_mutex_destroy(&a->mu);
	}
	if (!*started) {
		free(a);
		return PB_OK;
	}
	int error = 0, reader_ended = 0;
	for (;;) {
		pthread_mutex_lock(&a->mu);
		while (a->filled == a->taken) {
			a->writer_waits = 1;
			pthread_cond_wait(&a->changed, &a->mu);
		}
		pthread_mutex_unlock(&a->mu);
		slot *s = &a->slots[a->taken % AHEAD];
		rc = release(s);
		if (rc == PB_OK)
			rc = s->rc;
		if (rc == PB_OK)
			rc = pb_pipeline_push(p, &s->rec);
		else if (s->rc != PB_OK) {
			reader_ended = 1;
			error = s->error;
		}
		pthread_mutex_lock(&a->mu);
		a->taken++;
		a->stop = rc != PB_OK;
		if (a->reader_waits &&
		    (a->stop || AHEAD - (a->filled - a->taken) >= BATCH)) {
			a->reader_waits = 0;
			pthread_cond_signal(&a->changed);
		}
		pthread_mutex_unlock(&a->mu);
		if (rc)
			break;
	}
	pthread_join(thread, NULL);
	pthread_cond_destroy(&a->changed);
	pthread_mutex_destroy(&a->mu);
	for (size_t i = 0; i < AHEAD; i++) {
		pb_record_clear(&a->slots[i].rec);
		free(a->slots[i].held);
		pb_buf_free(&a->slots[i].text);
	}
	free(a);
	if (reader_ended)
		errno = error; /* the reader's, for the caller's message */
	return rc;
}

int pb_pipeline_run(pb_pipeline *p, pb_reader *r)
{
	int started = 0;
	int rc = p->read_ahead ? run_ahead(p, r, &started) : PB_OK;
	if (!started && rc == PB_OK)
		rc = run_in_turn(p, r);
	if (rc == PB_EOF)
		rc = pb_lines_error(r->lines);
	return rc;
}

int pb_pipeline_finish(pb_pipeline *p)
{
	int rc = begin(p);
	for (size_t i = 0; i < p->n_writers; i++) {
		int r = pb_writer_end(p->writers[i]);
		if (r && !rc)
			rc = r;
	}
	return rc;
}

void pb_pipeline_stats(const pb_pipeline *p, pb_stats *out)
{
	*out = p->stats;
}
