/* Venue detection and the table of known venues (internal). */
#ifndef PB_VENUE_H
#define PB_VENUE_H

#include "paperbib/record.h"

typedef struct pb_known_venue {
	const char *short_name; /* "ICLR" */
	const char *name;       /* "International Conference on Learning Representations" */
	const char *publisher;  /* "OpenReview.net", or NULL when it varies */
} pb_known_venue;

/* The entry for a short name or alias ("NIPS" finds NeurIPS), ASCII
 * case-insensitive; NULL when unknown. */
const pb_known_venue *pb_venue_lookup(const char *short_name);

/* Looks for a known venue and a year in one line of text outside the
 * records ("ICLR2020", "ICLR 2020", "NeurIPS 2019", "2020年的ICLR会议",
 * "Eighth International Conference on Learning Representations").
 * Returns 1 and fills the empty fields of *out (name, short_name, year,
 * publisher) when the line names a venue, else 0 and leaves *out alone.
 * A line naming a venue without a year fills what it can and returns 1.
 * Returns PB_ENOMEM (negative) when out of memory. */
int pb_venue_detect(const char *line, pb_venue *out);

#endif

/* Titles every writer uses, so that all formats agree (implemented in
 * record.c). The proceedings title is the venue's name
 * ("International Conference on Learning Representations"); the event
 * title adds the short name and year when known
 * ("International Conference on Learning Representations (ICLR 2020)").
 * Either is "" when the venue has no name and no short name (then the
 * short name stands for the name). Appends to the buffers;
 * PB_OK or PB_ENOMEM. */
#include "buf.h"
int pb_venue_proceedings_title(const pb_venue *v, pb_buf *out);
int pb_venue_event_title(const pb_venue *v, pb_buf *out);
