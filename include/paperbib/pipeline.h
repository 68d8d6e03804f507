/* paperbib: the pipeline from readers to writers. */
#ifndef PAPERBIB_PIPELINE_H
#define PAPERBIB_PIPELINE_H

#include "paperbib/config.h"
#include "paperbib/diag.h"
#include "paperbib/reader.h"
#include "paperbib/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pb_stats {
	unsigned long records;    /* records written */
	unsigned long duplicates; /* records dropped as duplicates */
	unsigned long kept_duplicates; /* duplicates reported and kept */
} pb_stats;

typedef struct pb_pipeline pb_pipeline;

/* A pipeline applying config (venue, citation keys) to every record and
 * handing it to each writer in turn. NULL with *status set on failure
 * (PB_ECONFIG for a bad citation key pattern, PB_ENOMEM). */
pb_pipeline *pb_pipeline_new(const pb_config *config, const pb_diag_sink *diag,
                             int *status);
void pb_pipeline_free(pb_pipeline *p);
/* Adds a writer (borrowed; begun on the first record or at finish).
 * PB_OK or PB_ENOMEM. */
int pb_pipeline_add_writer(pb_pipeline *p, pb_writer *w);
/* Reads every record of r, normalises it and writes it to every writer.
 * A record that is the same paper as an earlier one (a shared DOI, arXiv
 * id, OpenReview id or paper URL; without any, the same title and
 * authors) is reported, and dropped or kept as [input] duplicates says:
 * by default dropped from a paper list, kept from a bibliography unless
 * it also repeats the earlier entry's key. A repeated title of a
 * different paper is reported and kept. PB_OK or the first reader or
 * writer error. */
int pb_pipeline_run(pb_pipeline *p, pb_reader *r);
/* Normalises and writes one record that did not come from a reader. */
int pb_pipeline_push(pb_pipeline *p, pb_record *rec);
/* Ends every writer. PB_OK or the first error. */
int pb_pipeline_finish(pb_pipeline *p);
void pb_pipeline_stats(const pb_pipeline *p, pb_stats *out);

/* Applies the configuration to one record: the venue fields set in the
 * INI file or with --set replace what was detected. PB_OK or PB_ENOMEM. */
int pb_record_apply_config(pb_record *r, const pb_config *config);

#ifdef __cplusplus
}
#endif
#endif
