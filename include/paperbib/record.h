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

/* Kinds of work. Paper lists only produce PB_TYPE_PAPER_CONFERENCE. */
typedef enum pb_type {
	PB_TYPE_PAPER_CONFERENCE = 0,
	PB_TYPE_ARTICLE,
	PB_TYPE_BOOK,
	PB_TYPE_CHAPTER,
	PB_TYPE_REPORT,
	PB_TYPE_THESIS,
	PB_TYPE_MISC
} pb_type;

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
	char *key;            /* citation key, set by the citation key module */
	char *file;           /* source file name, "-" for stdin */
	unsigned long line;   /* line of the record's first line, 1-based */
	size_t cap_authors, cap_keywords, cap_extra; /* private */
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

/* Deep copy of src into dst (dst is initialised first). */
int pb_record_copy(pb_record *dst, const pb_record *src);

/* The name of a type as CSL spells it ("paper-conference"), and back. */
const char *pb_type_name(pb_type t);
int pb_type_from_name(const char *name, pb_type *out);

#ifdef __cplusplus
}
#endif
#endif
