/* paperbib: citation keys, the one module every writer's keys come from. */
#ifndef PAPERBIB_CITEKEY_H
#define PAPERBIB_CITEKEY_H

#include "paperbib/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default pattern: family of the first author, year, first
 * significant title word: "kitaev2020reformer". */
#define PB_CITEKEY_DEFAULT_PATTERN "[auth][year][title]"

/* Pattern fields, written in brackets, anything else copied literally
 * (folded to lower-case ASCII letters and digits; '-', '_' and ':' kept):
 *   [auth]       family name of the first author (without particle)
 *   [authors]    family names of up to three authors, then "etal"
 *   [year]       the venue's year
 *   [title]      the first significant word of the title
 *   [shorttitle] the first three significant words of the title
 *   [venue]      the venue's short name
 *   [id]         the record's identifier
 * A field with no value is left out; a key with no letter in it ("" or
 * "1999") becomes "anon" followed by the year. */

typedef struct pb_keygen pb_keygen;

/* A generator that remembers the keys it gave, so that collisions get
 * "a", "b", ... in the order records arrive (the first keeps the bare
 * key). NULL with PB_ECONFIG in *status for a bad pattern (an unknown or
 * unclosed field), PB_ENOMEM when out of memory. */
pb_keygen *pb_keygen_new(const char *pattern, int *status);
void pb_keygen_free(pb_keygen *g);

/* unique = 0 gives every record the key its pattern makes, clashes
 * included, and remembers nothing (for streams too large to keep eight
 * bytes a record); the default is 1. */
void pb_keygen_set_unique(pb_keygen *g, int unique);

/* Sets r->key to a unique key built from the pattern. A key the record
 * already has (read from a BibTeX file) is kept, made unique the same way.
 * PB_OK or PB_ENOMEM. */
int pb_keygen_assign(pb_keygen *g, pb_record *r);

/* Checks a pattern without building a generator: PB_OK or PB_ECONFIG. */
int pb_citekey_check_pattern(const char *pattern);

#ifdef __cplusplus
}
#endif
#endif
