/* From readers to writers: configuration applied, keys assigned,
 * duplicates dropped, one record at a time. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

struct pb_pipeline {
	const pb_diag_sink *diag;
	pb_keygen *keys;
	pb_writer **writers;
	size_t n_writers;
	int begun;
	int drop_duplicates;
	int read_ahead; /* [input] read_ahead */
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
