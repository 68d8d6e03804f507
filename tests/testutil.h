/* Helpers shared by the Check suites (tests only). */
#ifndef PB_TESTUTIL_H
#define PB_TESTUTIL_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "paperbib/paperbib.h"

/* The reference list, relative to tests/ where the runner starts. */
#define TEST_EXAMPLE "../examples/iclr2020-talks.txt"

/* Reads a whole file into a malloc'd, NUL-terminated buffer (aborts the
 * test on failure). */
char *test_slurp(const char *path, size_t *len);

/* Records read from a string by a reader (NULL: the paper list), with the
 * given config (may be NULL). Diagnostics are counted into *warnings (may
 * be NULL) and their text appended to diags (may be NULL). */
typedef struct test_records {
	pb_record *recs;
	size_t n;
	unsigned long warnings, errors;
	pb_buf diags;
} test_records;

void test_read(test_records *out, const char *text, size_t len,
               const pb_input_format *fmt, const pb_config *cfg);
void test_records_free(test_records *t);

/* A canonical dump of one record's fields, for comparisons. venue = 0
 * leaves the venue out. */
void test_dump(pb_buf *out, const pb_record *r, int venue);

/* Runs fmt's writer (begin, every record, end) over recs[0..n) onto f;
 * returns the status of the first step that failed, else PB_OK. */
int test_write_to(FILE *f, const pb_format *fmt, const pb_config *cfg,
                  const pb_diag_sink *diag, const pb_record *const *recs,
                  size_t n);
/* The same into memory: the output (malloc'd, never NULL), its length in
 * *len (may be NULL) and the status in *status. */
char *test_write(const pb_format *fmt, const pb_config *cfg,
                 const pb_diag_sink *diag, const pb_record *const *recs,
                 size_t n, int *status, size_t *len);
/* Pointers to recs[0..n), for the two above (malloc'd; free it). */
const pb_record **test_pointers(const pb_record *recs, size_t n);

/* How many times needle occurs in hay (overlapping). */
size_t test_occurrences(const char *hay, const char *needle);

/* The number of elements of an array, as Check's loop tests want it. */
#define TEST_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A reader's probe on the head of a file scores within [min, max]. */
typedef struct test_probe_case {
	const char *head;
	int min, max;
} test_probe_case;
void test_probe(const pb_input_format *fmt, const test_probe_case *c);

/* A whole input read by fmt gives this many records, warnings and errors,
 * and a diagnostic containing message. */
typedef struct test_diag_case {
	const char *text;
	size_t records;
	unsigned long warnings, errors;
	const char *message;
} test_diag_case;
void test_diagnosed(const pb_input_format *fmt, const test_diag_case *c);

#endif
