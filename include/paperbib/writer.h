/* paperbib: the writer interface. Each output format lives in one file
 * under formats/, fills one pb_format and is listed in the registry
 * (src/registry.c). */
#ifndef PAPERBIB_WRITER_H
#define PAPERBIB_WRITER_H

#include <stdio.h>
#include "paperbib/config.h"
#include "paperbib/diag.h"
#include "paperbib/record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pb_writer pb_writer;

/* A format's vtable. Hooks other than record may be NULL. Every hook
 * returns PB_OK or a negative pb_status (PB_EIO when writing failed). */
typedef struct pb_format {
	const char *name;        /* "bibtex": -t and the INI section */
	const char *extension;   /* "bib": the file name suffix for -O */
	const char *description; /* one line for --list-formats */
	const pb_option_spec *options; /* keys of the INI section, or NULL */
	int (*begin)(pb_writer *w);
	int (*record)(pb_writer *w, const pb_record *r);
	int (*end)(pb_writer *w);
	void (*free)(pb_writer *w); /* frees w->state */
} pb_format;

/* What a hook sees. The writer borrows out, config and diag. */
struct pb_writer {
	const pb_format *format;
	FILE *out;
	const pb_config *config;
	const pb_diag_sink *diag;
	void *state;         /* the format's own, freed by format->free */
	unsigned long count; /* records written so far */
};

/* All formats, in the order --list-formats shows them, NULL-terminated. */
const pb_format *const *pb_formats(void);
/* The format called name, or NULL. */
const pb_format *pb_format_find(const char *name);

/* A writer for fmt on out. NULL when out of memory. */
pb_writer *pb_writer_new(const pb_format *fmt, FILE *out,
                         const pb_config *config, const pb_diag_sink *diag);
/* Runs the begin hook. */
int pb_writer_begin(pb_writer *w);
/* Writes one record; PB_EIO as soon as the stream has an error. */
int pb_writer_write(pb_writer *w, const pb_record *r);
/* Runs the end hook and flushes out; PB_EIO when anything failed. */
int pb_writer_end(pb_writer *w);
/* Frees the writer and its state (never closes out). */
void pb_writer_free(pb_writer *w);

/* Status of a stdio stream after writing: PB_OK or PB_EIO. */
int pb_stream_status(FILE *out);

#ifdef __cplusplus
}
#endif
#endif
