#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paperbib/paperbib.h"
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
	    dup_or_null(&dst->literal, src->literal)) {
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

void pb_record_clear(pb_record *r)
{
	for (size_t i = 0; i < r->n_authors; i++)
		pb_name_clear(&r->authors[i]);
	free(r->authors);
	for (size_t i = 0; i < r->n_keywords; i++)
		free(r->keywords[i]);
	free(r->keywords);
	for (size_t i = 0; i < r->n_extra; i++) {
		free(r->extra[i].key);
		free(r->extra[i].value);
	}
	free(r->extra);
	for (int f = 0; f < PB_F_COUNT; f++)
		free(*pb_record_slot(r, (pb_field)f));
	pb_record_init(r);
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

char **pb_record_slot(pb_record *r, pb_field f)
{
	switch (f) {
	case PB_F_TITLE: return &r->title;
	case PB_F_URL: return &r->url;
	case PB_F_PDF_URL: return &r->pdf_url;
	case PB_F_CODE_URL: return &r->code_url;
	case PB_F_ID: return &r->id;
	case PB_F_ABSTRACT: return &r->abstract;
	case PB_F_NOTE: return &r->note;
	case PB_F_KEY: return &r->key;
	case PB_F_FILE: return &r->file;
	case PB_F_VENUE_NAME: return &r->venue.name;
	case PB_F_VENUE_SHORT: return &r->venue.short_name;
	case PB_F_VENUE_YEAR: return &r->venue.year;
	case PB_F_VENUE_DATE: return &r->venue.date;
	case PB_F_VENUE_PUBLISHER: return &r->venue.publisher;
	case PB_F_VENUE_LOCATION: return &r->venue.location;
	case PB_F_VENUE_TRACK: return &r->venue.track;
	case PB_F_COUNT: break;
	}
	abort(); /* a caller passed an id that is not a field */
}

const char *pb_record_get(const pb_record *r, pb_field f)
{
	return *pb_record_slot((pb_record *)r, f);
}

int pb_record_setn(pb_record *r, pb_field f, const char *value, size_t len)
{
	char **slot = pb_record_slot(r, f);
	char *copy = NULL;
	if (value && len && !(copy = pb_strndup(value, len)))
		return PB_ENOMEM;
	free(*slot);
	*slot = copy;
	return PB_OK;
}

int pb_record_set(pb_record *r, pb_field f, const char *value)
{
	return pb_record_setn(r, f, value, value ? strlen(value) : 0);
}

void pb_record_take(pb_record *r, pb_field f, char *value)
{
	char **slot = pb_record_slot(r, f);
	free(*slot);
	if (value && !*value) {
		free(value);
		value = NULL;
	}
	*slot = value;
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

int pb_record_add_author(pb_record *r, const pb_name *name)
{
	if (grow((void **)&r->authors, r->n_authors, &r->cap_authors,
	         sizeof *r->authors))
		return PB_ENOMEM;
	if (pb_name_copy(&r->authors[r->n_authors], name))
		return PB_ENOMEM;
	r->n_authors++;
	return PB_OK;
}

int pb_record_take_author(pb_record *r, pb_name *name)
{
	if (grow((void **)&r->authors, r->n_authors, &r->cap_authors,
	         sizeof *r->authors))
		return PB_ENOMEM;
	r->authors[r->n_authors++] = *name;
	pb_name_init(name);
	return PB_OK;
}

int pb_record_add_keyword(pb_record *r, const char *keyword)
{
	if (!keyword || !*keyword)
		return PB_OK;
	if (grow((void **)&r->keywords, r->n_keywords, &r->cap_keywords,
	         sizeof *r->keywords))
		return PB_ENOMEM;
	if (!(r->keywords[r->n_keywords] = pb_strdup(keyword)))
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
	e->key = pb_strdup(key);
	e->value = pb_strdup(value ? value : "");
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return PB_ENOMEM;
	}
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

int pb_record_copy(pb_record *dst, const pb_record *src)
{
	pb_record_init(dst);
	dst->type = src->type;
	dst->line = src->line;
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
};

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
