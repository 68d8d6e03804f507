/* What the readers of bibliography formats share (internal): venue
 * titles and dates read back, keywords, note lines, citation keys. */
#ifndef PB_READUTIL_H
#define PB_READUTIL_H

#include "paperbib/record.h"

/* Reads an event title as the writers make it (pb_venue_event_title):
 * "Name (SHORT YEAR)", "Name (SHORT)", "SHORT YEAR" or "Name". Fills the
 * record's venue: its short name and year when they are empty, and its
 * name when it is empty. PB_OK or PB_ENOMEM. */
int pb_read_event(pb_record *r, const char *event);

/* Reads a date: "YYYY", "YYYY-MM", "YYYY-MM-DD" (a range "A/B" gives its
 * start), RIS "YYYY/MM/DD/other" with empty parts allowed. Sets the
 * record's venue date (as far as the month is known) and, when empty, its
 * year. Returns 1 when text held a date, 0 when not, PB_ENOMEM. */
int pb_read_date(pb_record *r, const char *text);

/* Sets the date from its parts (month and day 0 when unknown). Same
 * returns as pb_read_date. */
int pb_read_date_parts(pb_record *r, long year, long month, long day);

/* The month 1-12 of "apr", "April", "4", "04"; 0 when none. */
int pb_read_month(const char *text);

/* Adds the keywords of a list separated by commas or semicolons.
 * PB_OK or PB_ENOMEM. */
int pb_read_keywords(pb_record *r, const char *list);

/* Reads a note as the writers make it: "Code: URL" (the code link),
 * "PDF: URL" and "Citation Key: KEY" anywhere in it, one a line or run
 * together as pandoc writes them, go to their fields when those are
 * empty; a line "variable: value" that names a CSL variable or role kept
 * in vars, people or the venue, as Zotero's Extra field does ("original-date: 1905",
 * "translator: Family || Given"), sets it; the rest is added to the
 * record's note. PB_OK or PB_ENOMEM. */
int pb_read_note(pb_record *r, const char *note);

/* Sets a note line "label: value" (n bytes, not NUL-terminated) whose
 * label names a CSL variable or role kept in vars, people or the venue, as Zotero's
 * Extra field writes them ("original-date: 1905", "Event Place: Rome",
 * "translator: Family || Given"): 1 when set, 0 when the line is no such
 * thing, PB_ENOMEM. A name is "Family || Given" or a literal name; a date
 * not in the text form of pb_date_format is a literal. A line naming a
 * variable the record has already is read (1) when it says the same,
 * else no such thing (0): it stays in the note. Names add up. */
int pb_read_csl_line(pb_record *r, const char *line, size_t n);

/* Sets the date variable name ("issued" through pb_record_set_issued)
 * from text: in the text form of pb_date_format, or "literal:"/"raw:"
 * prefixed, as it is; any other text as a literal date. PB_OK, PB_EDATA
 * (issued: no date) or PB_ENOMEM. */
int pb_read_date_var(pb_record *r, const char *name, const char *text);

/* Adds text to the record's note as a line of its own, after what the
 * note holds. PB_OK or PB_ENOMEM. */
int pb_read_add_note_line(pb_record *r, const char *text);

/* A name as Zotero's Extra writes it: "Family || Given", either side
 * possibly empty ("Doe ||", "|| Madonna"); without the bars, a one-field
 * (literal) name. Fills nm (initialised, empty); PB_OK, PB_EDATA when
 * both sides are empty (no name), or PB_ENOMEM. */
int pb_read_bars_name(pb_name *nm, const char *s);

/* Moves the extra fields of a paper-list record that name a CSL
 * variable ("DOI", "Volume", "Pages", "ISBN", ...) into its vars; the
 * first value wins and a repeat stays an extra field. PB_OK or
 * PB_ENOMEM. */
int pb_read_list_vars(pb_record *r);

/* Non-zero when s[0, n) says that a list of names goes on: "et al.",
 * "et al", "et. al.", "others", "and others" (ASCII case-insensitive).
 * The readers add it as the name "others" after at least one author,
 * which the BibTeX writers write as BibTeX's "and others". */
int pb_read_is_et_al(const char *s, size_t n);

/* Non-zero when key can be a citation key in every format (ASCII
 * letters, digits and -_:./+). */
int pb_read_key_ok(const char *key);

#endif
