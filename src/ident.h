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

/* Kinds of identifier. */
typedef enum pb_ident_kind {
	PB_IDENT_DOI,
	PB_IDENT_ARXIV,
	PB_IDENT_OPENREVIEW,
	PB_IDENT_URL
} pb_ident_kind;

/* The DOI that s names ("10.1000/xyz", "doi:10.1000/xyz", a doi.org
 * link), lower-cased as DOIs compare without case, into out. 1 when
 * found, 0 when not (out is then ""). */
int pb_doi(const char *s, char *out, size_t size);

/* The identifier a link gives, as a key into out: "arxiv:2101.00042"
 * for every arXiv form of one paper, "openreview:ID" for OpenReview's
 * forum, pdf and other pages of one id, "doi:10.1/x" for doi.org links,
 * and "url:host/path?query" for any other http(s) link without its
 * scheme, "www.", default port, fragment or trailing slashes. A link to
 * no specific item (a site's root or a one-word path without a digit,
 * "https://www.jstor.org/", "http://example.com/home") gives none. The
 * kind, or -1 when none (out is then ""). */
int pb_url_ident(const char *url, char *out, size_t size);

/* At most this many identifiers of one record are kept. */
#define PB_IDENTS_MAX 8

/* A record's identifiers, each once, links first. */
typedef struct pb_idents {
	size_t n;
	struct {
		pb_ident_kind kind;
		int from_link; /* found in a link: url, pdf_url or a url field */
		char key[PB_IDENT_MAX];
	} id[PB_IDENTS_MAX];
} pb_idents;

/* The identifiers of r: its links (pb_url_ident), its id (an arXiv id,
 * else an OpenReview id), DOI fields and arXiv ids (pb_record_arxiv_id).
 * Returns their number. */
size_t pb_record_idents(const pb_record *r, pb_idents *out);

/* What to call an identifier of kind k found in a link or a field in a
 * message: "URL", "DOI", "arXiv id", "OpenReview id". */
const char *pb_ident_label(pb_ident_kind k, int from_link);

#endif
