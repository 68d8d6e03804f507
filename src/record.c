#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paperbib/csl.h"
#include "paperbib/paperbib.h"
#include "record_store.h"
#include "venue.h"

const char *pb_strerror(int status)
{
	switch (status) {
	case PB_OK: return "success";
	case PB_ENOMEM: return "out of memory";
	case PB_EIO: return "input/output error";
	case PB_EDATA: return "bad input data";
	case PB_EUSAGE: return "invalid usage";
	case PB_ECONFIG: return "bad configuration";
	case PB_EOF: return "end of input";
	default: return "unknown error";
	}
}

void pb_name_init(pb_name *n)
{
	memset(n, 0, sizeof *n);
}

void pb_name_clear(pb_name *n)
{
	free(n->given);
	free(n->family);
	free(n->particle);
	free(n->suffix);
	free(n->literal);
	free(n->dropping);
	pb_name_init(n);
}

static int dup_or_null(char **dst, const char *src)
{
	*dst = NULL;
	if (src && !(*dst = pb_strdup(src)))
		return PB_ENOMEM;
	return PB_OK;
}

int pb_name_copy(pb_name *dst, const pb_name *src)
{
	pb_name_init(dst);
	if (dup_or_null(&dst->given, src->given) ||
	    dup_or_null(&dst->family, src->family) ||
	    dup_or_null(&dst->particle, src->particle) ||
	    dup_or_null(&dst->suffix, src->suffix) ||
	    dup_or_null(&dst->literal, src->literal) ||
	    dup_or_null(&dst->dropping, src->dropping)) {
		pb_name_clear(dst);
		return PB_ENOMEM;
	}
	return PB_OK;
}

const char *pb_name_family_core(const pb_name *n)
{
	if (!n->family)
		return NULL;
	if (n->particle) {
		size_t k = strlen(n->particle);
		if (strncmp(n->family, n->particle, k) == 0) {
			const char *p = n->family + k;
			while (*p == ' ')
				p++;
			if (*p)
				return p;
		}
	}
	return n->family;
}

void pb_venue_init(pb_venue *v)
{
	memset(v, 0, sizeof *v);
}

void pb_venue_clear(pb_venue *v)
{
	free(v->name);
	free(v->short_name);
	free(v->year);
	free(v->date);
	free(v->publisher);
	free(v->location);
	free(v->track);
	pb_venue_init(v);
}

void pb_record_init(pb_record *r)
{
	memset(r, 0, sizeof *r);
	r->type = PB_TYPE_PAPER_CONFERENCE;
}

/*
 * A record's storage: the strings its setters copy are cut from blocks the
 * record owns, so that a paper's thirty-odd strings cost one allocation and
 * are freed at once. A reader reusing one record (pb_record_reset) keeps its
 * block and allocates nothing per record once the block fits its input.
 * Every string of a record is in its blocks: a string replaced stays there,
 * unused, until the record is reset or cleared.
 */
struct pb_block {
	struct pb_block *prev;
	size_t size; /* bytes in data */
	char data[];
};

/* A first block holds a typical paper (title, 5 authors, a 1.5 KB abstract,
 * links, keywords) with malloc's header in 4 KB. */
#define BLOCK_FIRST (4096 - 2 * sizeof(size_t) - sizeof(struct pb_block))
/* pb_record_reset keeps a block up to this size, and arrays up to this many
 * elements: one long record does not pin its memory in a reused record. */
#define BLOCK_KEEP ((size_t)64 * 1024)
#define ARRAY_KEEP 64

/* Starts a new block of size bytes. PB_OK or PB_ENOMEM. */
static int add_block(pb_record *r, size_t size)
{
	struct pb_block *b;
	if (size > SIZE_MAX - sizeof *b || !(b = malloc(sizeof *b + size)))
		return PB_ENOMEM;
	b->prev = r->blocks;
	b->size = size;
	r->blocks = b;
	r->block_used = 0;
	return PB_OK;
}

char *pb_record_alloc(pb_record *r, size_t n)
{
	struct pb_block *b = r->blocks;
	if (!b || b->size - r->block_used < n) {
		/* doubling up to BLOCK_KEEP; a longer string has its own */
		size_t size = b ? 2 * b->size : BLOCK_FIRST;
		if (size > BLOCK_KEEP)
			size = BLOCK_KEEP;
		if (add_block(r, size < n ? n : size))
			return NULL;
		b = r->blocks;
	}
	char *p = b->data + r->block_used;
	r->block_used += n;
	return p;
}

static char *store_strn(pb_record *r, const char *s, size_t n)
{
	char *d = pb_record_alloc(r, n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Copies s (or NULL) into *dst. PB_OK or PB_ENOMEM. */
static int store_str(pb_record *r, char **dst, const char *s)
{
	*dst = NULL;
	if (s && !(*dst = store_strn(r, s, strlen(s))))
		return PB_ENOMEM;
	return PB_OK;
}

/* Frees r's blocks, all of them or all but keep (the newest). */
static void free_blocks(struct pb_block *b, struct pb_block *keep)
{
	while (b) {
		struct pb_block *prev = b->prev;
		if (b != keep)
			free(b);
		b = prev;
	}
}

void pb_record_clear(pb_record *r)
{
	free(r->authors);
	free(r->keywords);
	free(r->extra);
	free(r->vars);
	free(r->people);
	free_blocks(r->blocks, NULL);
	pb_record_init(r);
}

/* *arr, kept when it is short, else freed. */
static void *keep_array(void *arr, size_t *cap)
{
	if (*cap <= ARRAY_KEEP)
		return arr;
	free(arr);
	*cap = 0;
	return NULL;
}

void pb_record_reset(pb_record *r)
{
	struct pb_block *keep = r->blocks;
	if (keep && keep->size > BLOCK_KEEP)
		keep = NULL;
	free_blocks(r->blocks, keep);
	if (keep)
		keep->prev = NULL;
	size_t ca = r->cap_authors, ck = r->cap_keywords, ce = r->cap_extra;
	size_t cv = r->cap_vars, cp = r->cap_people;
	pb_name *authors = keep_array(r->authors, &ca);
	char **keywords = keep_array(r->keywords, &ck);
	pb_extra *extra = keep_array(r->extra, &ce);
	pb_var *vars = keep_array(r->vars, &cv);
	pb_person *people = keep_array(r->people, &cp);
	pb_record_init(r);
	r->authors = authors;
	r->keywords = keywords;
	r->extra = extra;
	r->vars = vars;
	r->people = people;
	r->cap_authors = ca;
	r->cap_keywords = ck;
	r->cap_extra = ce;
	r->cap_vars = cv;
	r->cap_people = cp;
	r->blocks = keep;
}

void pb_record_move(pb_record *dst, pb_record *src)
{
	pb_record_reset(dst);
	pb_record t = *dst;
	*dst = *src;
	*src = t;
}

pb_record *pb_record_new(void)
{
	pb_record *r = malloc(sizeof *r);
	if (r)
		pb_record_init(r);
	return r;
}

void pb_record_free(pb_record *r)
{
	if (!r)
		return;
	pb_record_clear(r);
	free(r);
}

/* Where each field lives in a record, for pb_record_slot. */
static const size_t field_offset[PB_F_COUNT] = {
	[PB_F_TITLE] = offsetof(pb_record, title),
	[PB_F_URL] = offsetof(pb_record, url),
	[PB_F_PDF_URL] = offsetof(pb_record, pdf_url),
	[PB_F_CODE_URL] = offsetof(pb_record, code_url),
	[PB_F_ID] = offsetof(pb_record, id),
	[PB_F_ABSTRACT] = offsetof(pb_record, abstract),
	[PB_F_NOTE] = offsetof(pb_record, note),
	[PB_F_KEY] = offsetof(pb_record, key),
	[PB_F_FILE] = offsetof(pb_record, file),
	[PB_F_VENUE_NAME] = offsetof(pb_record, venue.name),
	[PB_F_VENUE_SHORT] = offsetof(pb_record, venue.short_name),
	[PB_F_VENUE_YEAR] = offsetof(pb_record, venue.year),
	[PB_F_VENUE_DATE] = offsetof(pb_record, venue.date),
	[PB_F_VENUE_PUBLISHER] = offsetof(pb_record, venue.publisher),
	[PB_F_VENUE_LOCATION] = offsetof(pb_record, venue.location),
	[PB_F_VENUE_TRACK] = offsetof(pb_record, venue.track),
};

char **pb_record_slot(pb_record *r, pb_field f)
{
	if ((unsigned)f >= PB_F_COUNT)
		abort(); /* a caller passed an id that is not a field */
	return (char **)((char *)r + field_offset[f]);
}

const char *pb_record_get(const pb_record *r, pb_field f)
{
	return *pb_record_slot((pb_record *)r, f);
}

int pb_record_setn(pb_record *r, pb_field f, const char *value, size_t len)
{
	char **slot = pb_record_slot(r, f);
	char *copy = NULL;
	if (value && len && !(copy = store_strn(r, value, len)))
		return PB_ENOMEM;
	*slot = copy;
	return PB_OK;
}

int pb_record_set(pb_record *r, pb_field f, const char *value)
{
	return pb_record_setn(r, f, value, value ? strlen(value) : 0);
}

/* Makes room for one more element of size sz in *arr. */
static int grow(void **arr, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return PB_OK;
	size_t c = *cap ? *cap * 2 : 4;
	void *p = realloc(*arr, c * sz);
	if (!p)
		return PB_ENOMEM;
	*arr = p;
	*cap = c;
	return PB_OK;
}

/* Copies name's parts into n, in r's storage. */
static int store_name(pb_record *r, pb_name *n, const pb_name *name)
{
	/* what was copied before a failure stays in the storage, unused */
	if (store_str(r, &n->given, name->given) ||
	    store_str(r, &n->family, name->family) ||
	    store_str(r, &n->particle, name->particle) ||
	    store_str(r, &n->suffix, name->suffix) ||
	    store_str(r, &n->literal, name->literal) ||
	    store_str(r, &n->dropping, name->dropping))
		return PB_ENOMEM;
	return PB_OK;
}

int pb_record_add_author(pb_record *r, const pb_name *name)
{
	if (grow((void **)&r->authors, r->n_authors, &r->cap_authors,
	         sizeof *r->authors))
		return PB_ENOMEM;
	if (store_name(r, &r->authors[r->n_authors], name))
		return PB_ENOMEM;
	r->n_authors++;
	return PB_OK;
}

int pb_record_add_person(pb_record *r, const char *role, const pb_name *name)
{
	const pb_csl_var *v = pb_csl_var_find(role);
	if (!v || v->home != PB_CSL_IN_PEOPLE)
		return PB_EUSAGE;
	if (grow((void **)&r->people, r->n_people, &r->cap_people,
	         sizeof *r->people))
		return PB_ENOMEM;
	pb_person *p = &r->people[r->n_people];
	p->role = v->name;
	if (store_name(r, &p->name, name))
		return PB_ENOMEM;
	r->n_people++;
	return PB_OK;
}

size_t pb_record_count_people(const pb_record *r, const char *role)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_people; i++)
		n += strcmp(r->people[i].role, role) == 0;
	return n;
}

int pb_record_set_varn(pb_record *r, const char *name, const char *value,
                       size_t len, unsigned flags)
{
	const pb_csl_var *v = pb_csl_var_find(name);
	if (!v || v->home != PB_CSL_IN_VARS)
		return PB_EUSAGE;
	size_t i = 0;
	while (i < r->n_vars && r->vars[i].name != v->name)
		i++;
	if (!value || !len) {
		if (i < r->n_vars) {
			memmove(&r->vars[i], &r->vars[i + 1],
			        (r->n_vars - i - 1) * sizeof *r->vars);
			r->n_vars--;
		}
		return PB_OK;
	}
	char *copy = store_strn(r, value, len);
	if (!copy)
		return PB_ENOMEM;
	if (i == r->n_vars) {
		if (grow((void **)&r->vars, r->n_vars, &r->cap_vars,
		         sizeof *r->vars))
			return PB_ENOMEM;
		r->n_vars++;
	}
	r->vars[i] = (pb_var){v->name, copy, flags};
	return PB_OK;
}

int pb_record_set_var(pb_record *r, const char *name, const char *value)
{
	return pb_record_set_varn(r, name, value, value ? strlen(value) : 0, 0);
}

const char *pb_record_var(const pb_record *r, const char *name)
{
	for (size_t i = 0; i < r->n_vars; i++)
		if (strcmp(r->vars[i].name, name) == 0)
			return r->vars[i].value;
	return NULL;
}

int pb_record_set_issued(pb_record *r, const char *date)
{
	pb_date d;
	pb_date_parse(date, &d);
	if (d.text ? !*d.text : !d.year[0]) /* no date, or "raw:" alone */
		return PB_EDATA;
	int rc = PB_OK;
	char buf[64];
	if (d.text) {
		/* a literal that starts with a year still gives the year */
		const char *p = d.text;
		int y = 0, n = 0;
		while (*p >= '0' && *p <= '9' && n < 5)
			y = y * 10 + (*p++ - '0'), n++;
		if (n == 4 && y > 0 && !(*p >= '0' && *p <= '9'))
			snprintf(buf, sizeof buf, "%d", y);
		else
			buf[0] = '\0';
		rc = pb_record_set(r, PB_F_VENUE_YEAR, *buf ? buf : NULL);
		if (!rc)
			rc = pb_record_set(r, PB_F_VENUE_DATE, NULL);
		return rc ? rc : pb_record_set_var(r, "issued", date);
	}
	snprintf(buf, sizeof buf, "%d", d.year[0]);
	if ((rc = pb_record_set(r, PB_F_VENUE_YEAR, buf)))
		return rc;
	int plain = !d.has_end && !d.season && !d.circa && d.year[0] > 999 &&
	            d.year[0] <= 9999; /* the four digits of a venue date */
	if (plain && d.month[0]) {
		pb_date start = d;
		pb_date_format(&start, buf, sizeof buf);
		rc = pb_record_set(r, PB_F_VENUE_DATE, buf);
	} else
		rc = pb_record_set(r, PB_F_VENUE_DATE, NULL);
	if (!rc)
		rc = pb_record_set_var(r, "issued", plain ? NULL : date);
	return rc;
}

int pb_record_take_author(pb_record *r, pb_name *name)
{
	if (pb_record_add_author(r, name))
		return PB_ENOMEM;
	pb_name_clear(name);
	return PB_OK;
}

int pb_record_parse_author(pb_record *r, const char *display)
{
	if (grow((void **)&r->authors, r->n_authors, &r->cap_authors,
	         sizeof *r->authors))
		return PB_ENOMEM;
	int rc = pb_name_parse_into(&r->authors[r->n_authors], r, display);
	if (rc == PB_OK)
		r->n_authors++;
	return rc;
}

void pb_record_pop_author(pb_record *r)
{
	if (r->n_authors)
		r->n_authors--;
}

int pb_record_add_keyword(pb_record *r, const char *keyword)
{
	if (!keyword || !*keyword)
		return PB_OK;
	if (grow((void **)&r->keywords, r->n_keywords, &r->cap_keywords,
	         sizeof *r->keywords))
		return PB_ENOMEM;
	if (store_str(r, &r->keywords[r->n_keywords], keyword))
		return PB_ENOMEM;
	r->n_keywords++;
	return PB_OK;
}

int pb_record_add_extra(pb_record *r, const char *key, const char *value)
{
	if (grow((void **)&r->extra, r->n_extra, &r->cap_extra,
	         sizeof *r->extra))
		return PB_ENOMEM;
	pb_extra *e = &r->extra[r->n_extra];
	if (store_str(r, &e->key, key) ||
	    store_str(r, &e->value, value ? value : ""))
		return PB_ENOMEM;
	r->n_extra++;
	return PB_OK;
}

const char *pb_record_get_extra(const pb_record *r, const char *key)
{
	for (size_t i = 0; i < r->n_extra; i++)
		if (strcasecmp(r->extra[i].key, key) == 0)
			return r->extra[i].value;
	return NULL;
}

int pb_extra_is_markup(const char *key)
{
	return key && (strcmp(key, "@preamble") == 0 ||
	               strncmp(key, "csl-name-members:", 17) == 0);
}

static size_t size_of(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* The storage src's strings take. */
static size_t strings_size(const pb_record *src)
{
	size_t n = 0;
	for (int f = 0; f < PB_F_COUNT; f++)
		n += size_of(pb_record_get(src, (pb_field)f));
	for (size_t i = 0; i < src->n_authors; i++) {
		const pb_name *a = &src->authors[i];
		n += size_of(a->given) + size_of(a->family) + size_of(a->particle) +
		     size_of(a->suffix) + size_of(a->literal) + size_of(a->dropping);
	}
	for (size_t i = 0; i < src->n_people; i++) {
		const pb_name *a = &src->people[i].name;
		n += size_of(a->given) + size_of(a->family) + size_of(a->particle) +
		     size_of(a->suffix) + size_of(a->literal) + size_of(a->dropping);
	}
	for (size_t i = 0; i < src->n_vars; i++)
		n += size_of(src->vars[i].value);
	for (size_t i = 0; i < src->n_keywords; i++)
		n += size_of(src->keywords[i]);
	for (size_t i = 0; i < src->n_extra; i++)
		n += size_of(src->extra[i].key) + size_of(src->extra[i].value);
	return n;
}

int pb_record_copy(pb_record *dst, const pb_record *src)
{
	pb_record_init(dst);
	dst->type = src->type;
	dst->origin = src->origin;
	dst->line = src->line;
	/* one block of the right size: a kept copy wastes nothing */
	size_t size = strings_size(src);
	if (size && add_block(dst, size))
		return PB_ENOMEM;
	for (int f = 0; f < PB_F_COUNT; f++)
		if (pb_record_set(dst, (pb_field)f, pb_record_get(src, (pb_field)f)))
			goto fail;
	for (size_t i = 0; i < src->n_authors; i++)
		if (pb_record_add_author(dst, &src->authors[i]))
			goto fail;
	for (size_t i = 0; i < src->n_keywords; i++)
		if (pb_record_add_keyword(dst, src->keywords[i]))
			goto fail;
	for (size_t i = 0; i < src->n_extra; i++)
		if (pb_record_add_extra(dst, src->extra[i].key, src->extra[i].value))
			goto fail;
	for (size_t i = 0; i < src->n_vars; i++)
		if (pb_record_set_varn(dst, src->vars[i].name, src->vars[i].value,
		                       strlen(src->vars[i].value), src->vars[i].flags))
			goto fail;
	for (size_t i = 0; i < src->n_people; i++)
		if (pb_record_add_person(dst, src->people[i].role,
		                         &src->people[i].name))
			goto fail;
	return PB_OK;
fail:
	pb_record_clear(dst);
	return PB_ENOMEM;
}

static const char *const type_names[] = {
	[PB_TYPE_PAPER_CONFERENCE] = "paper-conference",
	[PB_TYPE_ARTICLE] = "article-journal",
	[PB_TYPE_BOOK] = "book",
	[PB_TYPE_CHAPTER] = "chapter",
	[PB_TYPE_REPORT] = "report",
	[PB_TYPE_THESIS] = "thesis",
	[PB_TYPE_MISC] = "document",
	[PB_TYPE_ARTICLE_PLAIN] = "article",
	[PB_TYPE_ARTICLE_MAGAZINE] = "article-magazine",
	[PB_TYPE_ARTICLE_NEWSPAPER] = "article-newspaper",
	[PB_TYPE_BILL] = "bill",
	[PB_TYPE_BROADCAST] = "broadcast",
	[PB_TYPE_CLASSIC] = "classic",
	[PB_TYPE_COLLECTION] = "collection",
	[PB_TYPE_DATASET] = "dataset",
	[PB_TYPE_ENTRY] = "entry",
	[PB_TYPE_ENTRY_DICTIONARY] = "entry-dictionary",
	[PB_TYPE_ENTRY_ENCYCLOPEDIA] = "entry-encyclopedia",
	[PB_TYPE_EVENT] = "event",
	[PB_TYPE_FIGURE] = "figure",
	[PB_TYPE_GRAPHIC] = "graphic",
	[PB_TYPE_HEARING] = "hearing",
	[PB_TYPE_INTERVIEW] = "interview",
	[PB_TYPE_LEGAL_CASE] = "legal_case",
	[PB_TYPE_LEGISLATION] = "legislation",
	[PB_TYPE_MANUSCRIPT] = "manuscript",
	[PB_TYPE_MAP] = "map",
	[PB_TYPE_MOTION_PICTURE] = "motion_picture",
	[PB_TYPE_MUSICAL_SCORE] = "musical_score",
	[PB_TYPE_PAMPHLET] = "pamphlet",
	[PB_TYPE_PATENT] = "patent",
	[PB_TYPE_PERFORMANCE] = "performance",
	[PB_TYPE_PERIODICAL] = "periodical",
	[PB_TYPE_PERSONAL_COMMUNICATION] = "personal_communication",
	[PB_TYPE_POST] = "post",
	[PB_TYPE_POST_WEBLOG] = "post-weblog",
	[PB_TYPE_REGULATION] = "regulation",
	[PB_TYPE_REVIEW] = "review",
	[PB_TYPE_REVIEW_BOOK] = "review-book",
	[PB_TYPE_SOFTWARE] = "software",
	[PB_TYPE_SONG] = "song",
	[PB_TYPE_SPEECH] = "speech",
	[PB_TYPE_STANDARD] = "standard",
	[PB_TYPE_TREATY] = "treaty",
	[PB_TYPE_WEBPAGE] = "webpage",
};
_Static_assert(sizeof type_names / sizeof type_names[0] == PB_TYPE_COUNT,
               "a name for every type");

const char *pb_type_name(pb_type t)
{
	if ((size_t)t < sizeof type_names / sizeof type_names[0])
		return type_names[t];
	return "document";
}

int pb_type_from_name(const char *name, pb_type *out)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcmp(type_names[i], name) == 0) {
			*out = (pb_type)i;
			return PB_OK;
		}
	return PB_EDATA;
}

int pb_venue_proceedings_title(const pb_venue *v, pb_buf *out)
{
	if (v->name)
		return pb_buf_puts(out, v->name);
	if (v->short_name)
		return pb_buf_puts(out, v->short_name);
	return PB_OK;
}

int pb_venue_event_title(const pb_venue *v, pb_buf *out)
{
	if (!v->name) {
		if (!v->short_name)
			return PB_OK;
		if (!v->year)
			return pb_buf_puts(out, v->short_name);
		return pb_buf_printf(out, "%s %s", v->short_name, v->year);
	}
	if (!v->short_name)
		return pb_buf_puts(out, v->name);
	if (!v->year)
		return pb_buf_printf(out, "%s (%s)", v->name, v->short_name);
	return pb_buf_printf(out, "%s (%s %s)", v->name, v->short_name, v->year);
}
