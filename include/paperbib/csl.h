/* paperbib: the CSL 1.0.2 data model's variables, name roles and dates,
 * which the record (record.h) follows. */
#ifndef PAPERBIB_CSL_H
#define PAPERBIB_CSL_H

#include <stddef.h>

#include "paperbib/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The kinds of CSL variable. */
typedef enum pb_csl_kind {
	PB_CSL_STANDARD, /* text */
	PB_CSL_NUMBER,   /* text that is often a number: volume, page, ... */
	PB_CSL_DATE,     /* a date, in the form of pb_date_format */
	PB_CSL_NAME      /* a list of names (a role) */
} pb_csl_kind;

/* Where a record holds a variable. */
typedef enum pb_csl_home {
	PB_CSL_IN_VARS,    /* pb_record.vars */
	PB_CSL_IN_MEMBER,  /* a member of its own (title, venue.name, ...) */
	PB_CSL_IN_PEOPLE,  /* pb_record.people */
	PB_CSL_NOT_HELD    /* "id", "type": the item's identity, not data */
} pb_csl_home;

typedef struct pb_csl_var {
	const char *name; /* as CSL-JSON spells it: "container-title", "DOI" */
	pb_csl_kind kind;
	pb_csl_home home;
	pb_field member; /* for PB_CSL_IN_MEMBER with a string member, else
	                  * PB_F_COUNT (author, keyword, issued: see record.h) */
} pb_csl_var;

/* Every CSL 1.0.2 variable (the schema's csl-data.json), in the order
 * CSL-JSON writers use, and their number. */
extern const pb_csl_var pb_csl_vars[];
extern const size_t pb_csl_n_vars;

/* The variable named name (exact spelling), or NULL. */
const pb_csl_var *pb_csl_var_find(const char *name);
/* The same, by the first len bytes of name. */
const pb_csl_var *pb_csl_var_findn(const char *name, size_t len);

/* A date as CSL holds it. A record keeps a date as text (see
 * pb_date_format); pb_date_parse reads that text back.
 *   - parts: a start and, for a range, an end, each of a year (negative
 *     for BC, never 0), a month (1-12) and a day, 0 when absent;
 *   - season 1-4 (spring, summer, autumn, winter) with a year and no month;
 *   - circa: the date is approximate;
 *   - literal: a date as text that is not parsed ("Han dynasty"); raw: a
 *     date as text for the reader to parse (CSL-JSON's "raw"). */
typedef struct pb_date {
	int year[2], month[2], day[2];
	int has_end;
	int season;
	int circa;
	const char *text; /* for a literal or raw date: points into the text */
	int raw;          /* text is CSL's raw, not literal */
} pb_date;

/* Reads the text form of a date. PB_OK (every text is a date: what is not
 * a date in the form below is a literal). */
int pb_date_parse(const char *text, pb_date *out);
/* Writes the text form: EDTF's subset "YYYY-MM-DD", "YYYY-MM", "YYYY",
 * with "/" between the ends of a range, a season as month 21-24, and "~"
 * at the end for circa; a negative year for BC ("-44"). A literal is
 * written as "literal:TEXT" and a raw date as "raw:TEXT". Returns the
 * length written, or 0 when out is too small (size 64 always fits a date
 * that is not literal or raw). */
size_t pb_date_format(const pb_date *d, char *out, size_t size);
/* A date in words for a note: the literal or raw text, else the text
 * form without its markers: "1984/1986", "2000-21~". Points into text or
 * into buf (size 64). */
const char *pb_date_display(const char *text, char *buf, size_t size);

/* The season's English name ("Spring") for 1-4, else NULL; and back
 * (ASCII case-insensitive, "Fall" too), 0 when not a season. */
const char *pb_season_name(int season);
int pb_season_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
