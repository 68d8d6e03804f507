/* Helpers shared by the Check suites (tests only). */
#ifndef PB_TESTUTIL_H
#define PB_TESTUTIL_H

#include <stddef.h>

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

#endif
