/* A paper's identifiers, found in its record's fields and links
 * (internal): DOI, arXiv id, OpenReview id, and a paper URL normalised so
 * that two forms of one link compare equal. The pipeline decides
 * duplicates with them; the writers take a year from an arXiv id. */
#ifndef PB_IDENT_H
#define PB_IDENT_H

#include <stddef.h>

#include "paperbib/record.h"

/* Enough for any identifier these functions write, NUL included; a
 * longer one is not taken. */
#define PB_IDENT_MAX 256

/* The arXiv id that s names, without its version, into out (size bytes):
 * a URL on arxiv.org (abs/, pdf/, with or without a version and ".pdf"),
 * "arXiv:2101.00042v2", or a bare new-style id "2101.00042". Old-style ids
 * keep their archive: "hep-th/9901001". 1 when found, 0 when not (out is
 * then ""). */
int pb_arxiv_id(const char *s, char *out, size_t size);

/* The year an arXiv id was submitted: "2101.00042" gives 2021,
 * "hep-th/9901001" gives 1999; 0 when id is not an arXiv id. */
int pb_arxiv_year(const char *id);

/* The arXiv id of a record, from its links, its id and its extra fields,
 * as pb_arxiv_id writes it. 1 when found, 0 when not. */
int pb_record_arxiv_id(const pb_record *r, char *out, size_t size);

#endif
