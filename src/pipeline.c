/* From readers to writers: configuration applied, keys assigned,
 * duplicates dropped, one record at a time. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

struct pb_pipeline {
	const pb_diag_sink *diag;
	pb_keygen *keys;
	pb_writer **writers;
	size_t n_writers;
	int begun;
	int drop_duplicates;
	/* [venue] from the configuration, looked up once: the configuration
	 * does not change while the pipeline runs. */
	const char *venue[N_VENUE_KEYS];
	pb_strset seen_urls;
	pb_strset seen_titles;
	pb_buf tmp;
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
	p->drop_duplicates = !dup || strcmp(dup, "keep") != 0;
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
	pb_strset_free(&p->seen_urls);
	pb_strset_free(&p->seen_titles);
	pb_buf_free(&p->tmp);
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

/* 1 when rec repeats an earlier record (reported), 0 when new. */
static int duplicate(pb_pipeline *p, const pb_record *rec)
{
	int url_new = 1, title_new = 1;
	if (rec->url && (url_new = pb_strset_add(&p->seen_urls, rec->url)) < 0)
		return url_new;
	if (rec->title) {
		if (title_fingerprint(&p->tmp, rec->title))
			return PB_ENOMEM;
		if (p->tmp.len && (title_new = pb_strset_add(&p->seen_titles, p->tmp.data)) < 0)
			return title_new;
	}
	if (url_new && title_new)
		return 0;
	pb_diag_emitf(p->diag, PB_DIAG_WARNING, rec->file, rec->line, 0,
	              "duplicate of an earlier record (same %s): '%s'; kept once",
	              !url_new ? "URL" : "title", rec->title ? rec->title : "");
	return 1;
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
	rc = p->drop_duplicates ? duplicate(p, rec) : 0;
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

int pb_pipeline_run(pb_pipeline *p, pb_reader *r)
{
	pb_record rec;
	pb_record_init(&rec);
	int rc;
	while ((rc = pb_reader_next(r, &rec)) == PB_OK)
		if ((rc = pb_pipeline_push(p, &rec)))
			break;
	pb_record_clear(&rec);
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
