/* paperbib: the record model shared by every reader and writer. */
#ifndef PAPERBIB_RECORD_H
#define PAPERBIB_RECORD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Ownership: every char * in these structs is a NUL-terminated UTF-8 string
 * owned by the struct that holds it, or NULL when the value is absent.
 * Setters copy their arguments; *_clear and *_free release everything.
 * An absent value is always NULL, never "".
 *
 * A record copies the strings it is given into blocks of its own: filling
 * one costs an allocation or two rather than one per string, and none once
 * a record reused through pb_record_reset has grown to its input. So set a
 * record's strings only through the pb_record_* functions: never assign,
 * free() or realloc() a member of a record, nor pass one of its authors to
 * pb_name_clear.
 */

/* A person's name, split as bibliographies expect, or a literal name
 * (organisation, one-word name) that must never be split or inverted. */
typedef struct pb_name {
	char *given;    /* "Mihaela", "Martin Luther" */
	char *family;   /* "van der Schaar" (the particle included), "King" */
	char *particle; /* "van der", "Van de": the prefix of family, or NULL */
	char *suffix;   /* "Jr.", "III", or NULL */
	char *literal;  /* "OpenAI", "Plato"; when set, the other parts are NULL */
	char *dropping; /* CSL's dropping-particle: "van" of "Ludwig van
	                 * Beethoven" when family is "Beethoven"; not in family */
} pb_name;

void pb_name_init(pb_name *n);
void pb_name_clear(pb_name *n);
/* Deep copy of src into dst (dst is initialised first). PB_OK or PB_ENOMEM. */
int pb_name_copy(pb_name *dst, const pb_name *src);
/* Splits a display-order name ("Mihaela van der Schaar", "Martin Luther
 * King Jr.", "OpenAI") into parts. dst is initialised first.
 * PB_OK, PB_EDATA for an empty name, or PB_ENOMEM. */
int pb_name_parse(pb_name *dst, const char *display);
/* Parses an inverted name as BibTeX and RIS write it ("van der Schaar,
 * Mihaela", "King, Jr., Martin Luther"). PB_OK, PB_EDATA or PB_ENOMEM. */
int pb_name_parse_inverted(pb_name *dst, const char *inverted);
/* Family name without its particle ("Schaar" for "van der Schaar"). Points
 * into n->family; never NULL for a non-literal name with a family. */
const char *pb_name_family_core(const pb_name *n);

/* Where and when the work appeared. */
typedef struct pb_venue {
	char *name;       /* "International Conference on Learning Representations" */
	char *short_name; /* "ICLR" */
	char *year;       /* "2020" */
	char *date;       /* ISO 8601 start date: "2020-04-26" or "2020-04" */
	char *publisher;  /* "OpenReview.net" */
	char *location;   /* "Addis Ababa, Ethiopia" */
	char *track;      /* "Oral", "Poster", ... */
} pb_venue;

void pb_venue_init(pb_venue *v);
void pb_venue_clear(pb_venue *v);

/* A field that has no slot of its own ("Venue: ICML" inside a record). */
typedef struct pb_extra {
	char *key;
	char *value;
} pb_extra;

/* Kinds of work: every CSL 1.0.2 item type. pb_type_name() gives the CSL
 * name of each. The first seven are the ones paper lists and the first
 * readers knew; their values stay put. Paper lists produce
 * PB_TYPE_PAPER_CONFERENCE, and sometimes PB_TYPE_ARTICLE. */
typedef enum pb_type {
	PB_TYPE_PAPER_CONFERENCE = 0,
	PB_TYPE_ARTICLE,   /* article-journal */
	PB_TYPE_BOOK,
	PB_TYPE_CHAPTER,
	PB_TYPE_REPORT,
	PB_TYPE_THESIS,
	PB_TYPE_MISC,      /* document */
	PB_TYPE_ARTICLE_PLAIN, /* article: a preprint, a working paper */
	PB_TYPE_ARTICLE_MAGAZINE,
	PB_TYPE_ARTICLE_NEWSPAPER,
	PB_TYPE_BILL,
	PB_TYPE_BROADCAST,
	PB_TYPE_CLASSIC,
	PB_TYPE_COLLECTION,
	PB_TYPE_DATASET,
	PB_TYPE_ENTRY,
	PB_TYPE_ENTRY_DICTIONARY,
	PB_TYPE_ENTRY_ENCYCLOPEDIA,
	PB_TYPE_EVENT,
	PB_TYPE_FIGURE,
	PB_TYPE_GRAPHIC,
	PB_TYPE_HEARING,
	PB_TYPE_INTERVIEW,
	PB_TYPE_LEGAL_CASE,
	PB_TYPE_LEGISLATION,
	PB_TYPE_MANUSCRIPT,
	PB_TYPE_MAP,
	PB_TYPE_MOTION_PICTURE,
	PB_TYPE_MUSICAL_SCORE,
	PB_TYPE_PAMPHLET,
	PB_TYPE_PATENT,
	PB_TYPE_PERFORMANCE,
	PB_TYPE_PERIODICAL,
	PB_TYPE_PERSONAL_COMMUNICATION,
	PB_TYPE_POST,
	PB_TYPE_POST_WEBLOG,
	PB_TYPE_REGULATION,
	PB_TYPE_REVIEW,
	PB_TYPE_REVIEW_BOOK,
	PB_TYPE_SOFTWARE,
	PB_TYPE_SONG,
	PB_TYPE_SPEECH,
	PB_TYPE_STANDARD,
	PB_TYPE_TREATY,
	PB_TYPE_WEBPAGE,
	PB_TYPE_COUNT
} pb_type;

/* A CSL variable with no member of its own (see pb_record below), by its
 * CSL name. name points into the static table of include/paperbib/csl.h;
 * value is the text, for a date variable in the form of pb_date_format. */
typedef struct pb_var {
	const char *name;
	char *value;
	unsigned flags; /* PB_VAR_* */
} pb_var;

/* The value was a JSON number in CSL-JSON: written back as one. */
#define PB_VAR_NUMBER 1u

/* A name in a role other than author: editor, translator, ... (role is a
 * CSL name variable from include/paperbib/csl.h, static). */
typedef struct pb_person {
	const char *role;
	pb_name name;
} pb_person;

/* Where a record was read from. It decides how far its text is trusted:
 * only a BibTeX file holds the user's own LaTeX, passed through as it is.
 * LaTeX in the text of any other source passes only an allow-list (see
 * PB_LATEX_UNTRUSTED in src/latex.h): a paper list is text from a web
 * page, and anyone can write one. It also decides the duplicates policy:
 * entries of a bibliography (BibTeX, RIS, CSL-JSON) have keys or ids of
 * their own and are kept by default. */
typedef enum pb_origin {
	PB_ORIGIN_LIST = 0, /* a paper list, or a record built by a program */
	PB_ORIGIN_BIBTEX,
	PB_ORIGIN_RIS,
	PB_ORIGIN_CSLJSON
} pb_origin;

/*
 * A record is the CSL data model plus what paperbib adds (code and PDF
 * links, the citation key, the source file and line, the track):
 *   - title, authors, url, abstract, keywords, note and key hold CSL's
 *     title, author, URL, abstract, keyword, note and citation-key;
 *   - venue holds container-title (name), container-title-short
 *     (short_name), issued (date and year), publisher and publisher-place
 *     (location); for a paper-list record the writers derive the event
 *     from the venue as well;
 *   - vars holds every other CSL standard, number and date variable, and
 *     "issued" when the date is more than venue.date can say (a range, a
 *     season, circa, a literal): then it wins, and venue.date/venue.year
 *     hold its start for keys and sorting (pb_record_set_issued);
 *   - people holds the names of every role but author;
 *   - extra holds the fields of a source format that no variable holds,
 *     under their name in that format (origin says which format), so that
 *     the writer of that format writes them back; other writers put them
 *     into their note convention.
 * Text members may hold CSL rich text: <i>, <b>, <sc>, <sup>, <sub> and
 * <span class="nocase">; a literal '<' or '&' in text is written as it is.
 */
typedef struct pb_record {
	pb_type type;
	pb_origin origin; /* set by pb_reader_next from the input format */
	char *title;
	pb_name *authors;
	size_t n_authors;
	pb_venue venue;
	char *url;      /* forum or landing page */
	char *pdf_url;  /* the PDF itself */
	char *code_url; /* source code */
	char *id;       /* identifier, e.g. the OpenReview id */
	char *abstract;
	char **keywords;
	size_t n_keywords;
	char *note;
	pb_extra *extra;
	size_t n_extra;
	pb_var *vars;
	size_t n_vars;
	pb_person *people;
	size_t n_people;
	char *key;            /* citation key, set by the citation key module */
	char *file;           /* source file name, "-" for stdin */
	unsigned long line;   /* line of the record's first line, 1-based */
	size_t cap_authors, cap_keywords, cap_extra, cap_vars,
	    cap_people; /* private */
	struct pb_block *blocks; /* private: the strings' storage, newest first */
	size_t block_used;       /* private: bytes used in the newest block */
} pb_record;

/* String fields addressable by id, so that mapping tables can be data. */
typedef enum pb_field {
	PB_F_TITLE,
	PB_F_URL,
	PB_F_PDF_URL,
	PB_F_CODE_URL,
	PB_F_ID,
	PB_F_ABSTRACT,
	PB_F_NOTE,
	PB_F_KEY,
	PB_F_FILE,
	PB_F_VENUE_NAME,
	PB_F_VENUE_SHORT,
	PB_F_VENUE_YEAR,
	PB_F_VENUE_DATE,
	PB_F_VENUE_PUBLISHER,
	PB_F_VENUE_LOCATION,
	PB_F_VENUE_TRACK,
	PB_F_COUNT
} pb_field;

void pb_record_init(pb_record *r);
/* Frees every member and re-initialises r. */
void pb_record_clear(pb_record *r);
/* Empties r as pb_record_clear does, but keeps its storage (up to a
 * bound) for the next record read into it; pb_record_clear frees it. */
void pb_record_reset(pb_record *r);
/* Empties dst (pb_record_reset), then swaps it with src: dst holds what
 * src held and src is left empty, with dst's storage to reuse. */
void pb_record_move(pb_record *dst, pb_record *src);
/* Heap record: pb_record_new returns NULL when out of memory. */
pb_record *pb_record_new(void);
void pb_record_free(pb_record *r);

/* The slot of a string field (never NULL for a valid id). */
char **pb_record_slot(pb_record *r, pb_field f);
const char *pb_record_get(const pb_record *r, pb_field f);
/* Copies value (NULL or "" clears the field). PB_OK or PB_ENOMEM. */
int pb_record_set(pb_record *r, pb_field f, const char *value);
/* Same with an explicit length; value need not be NUL-terminated. */
int pb_record_setn(pb_record *r, pb_field f, const char *value, size_t len);

/* Appends a deep copy of name. PB_OK or PB_ENOMEM. */
int pb_record_add_author(pb_record *r, const pb_name *name);
/* Appends name and empties it (name is cleared): for a name built only to
 * be added. PB_OK, or PB_ENOMEM with name unchanged. */
int pb_record_take_author(pb_record *r, pb_name *name);
/* Parses display as pb_name_parse does and appends the name, built in
 * the record's storage. PB_OK, PB_EDATA for an empty name, or PB_ENOMEM. */
int pb_record_parse_author(pb_record *r, const char *display);
/* Removes the last author, if any. */
void pb_record_pop_author(pb_record *r);
/* Appends a copy of keyword (ignored when empty). PB_OK or PB_ENOMEM. */
int pb_record_add_keyword(pb_record *r, const char *keyword);
/* Appends a copy of key and value. PB_OK or PB_ENOMEM. */
int pb_record_add_extra(pb_record *r, const char *key, const char *value);
/* Value of the first extra field named key (ASCII case-insensitive). */
const char *pb_record_get_extra(const pb_record *r, const char *key);

/* Sets the CSL variable name (any of pb_csl_vars but those with a member
 * of their own) to a copy of value, replacing an earlier value; NULL or ""
 * removes it. PB_OK, PB_EUSAGE for a name that is not such a variable, or
 * PB_ENOMEM. */
int pb_record_set_var(pb_record *r, const char *name, const char *value);
int pb_record_set_varn(pb_record *r, const char *name, const char *value,
                       size_t len, unsigned flags);
/* The value of a CSL variable held in vars, or NULL. */
const char *pb_record_var(const pb_record *r, const char *name);
/* Sets issued from a date in the form of pb_date_format: venue.year and,
 * for a plain date, venue.date get its start; vars "issued" gets the date
 * when venue.date cannot say all of it. PB_OK, PB_EDATA for a date that
 * has no year and is not a literal (nothing set), or PB_ENOMEM. */
int pb_record_set_issued(pb_record *r, const char *date);
/* Appends a copy of name in role (a CSL name variable other than
 * "author", which goes to authors). PB_OK, PB_EUSAGE for an unknown role,
 * or PB_ENOMEM. */
int pb_record_add_person(pb_record *r, const char *role, const pb_name *name);
/* The number of people in role. */
size_t pb_record_count_people(const pb_record *r, const char *role);

/* Non-zero for an extra field that holds the markup of its source format
 * for that format's writer, not data: a BibTeX file's "@preamble", the
 * name members of CSL-JSON that pb_name has no slot for
 * ("csl-name-members:ROLE"). The writers of other formats leave them out
 * without a warning. */
int pb_extra_is_markup(const char *key);

/* Deep copy of src into dst (dst is initialised first). */
int pb_record_copy(pb_record *dst, const pb_record *src);

/* The name of a type as CSL spells it ("paper-conference"), and back. */
const char *pb_type_name(pb_type t);
int pb_type_from_name(const char *name, pb_type *out);

#ifdef __cplusplus
}
#endif
#endif
