/* RIS writer: records as Zotero, EndNote, Mendeley, citation-js and
 * bibutils import them.
 *
 * A record is "TY  - CONF" first and "ER  - " last, one "XX  - value"
 * line per value in the order of the table below, absent values left out,
 * a blank line between records. UTF-8 without a BOM; LF line ends unless
 * [ris] newline = crlf. Every value is folded onto its one line (control
 * characters and line separators become spaces, runs of white space one
 * space), so no value can start a tag of its own: a title holding
 * "\nER  - " stays inside TI. Each record is built in one buffer and
 * written with one fwrite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "ident.h"
#include "paperbib/paperbib.h"
#include "strset.h"
#include "utf8.h"
#include "venue.h"

/* The TY of each kind of work, as Zotero's RIS export writes it (its
 * item type for the CSL type): CONF is conferencePaper (CPAPER would be
 * too, but bibutils reads CPAPER as a generic work), JOUR journalArticle,
 * CHAP bookSection, ... A type whose TY the RIS reader reads back as
 * another type (exact 0) is named in N1 as "type: review", which
 * Zotero's Extra and paperbib's reader take. */
static const struct ris_type {
	const char *ty;
	int exact;
} ris_types[PB_TYPE_COUNT] = {
    [PB_TYPE_PAPER_CONFERENCE] = {"CONF", 1},
    [PB_TYPE_ARTICLE] = {"JOUR", 1},
    [PB_TYPE_BOOK] = {"BOOK", 1},
    [PB_TYPE_CHAPTER] = {"CHAP", 1},
    [PB_TYPE_REPORT] = {"RPRT", 1},
    [PB_TYPE_THESIS] = {"THES", 1},
    [PB_TYPE_MISC] = {"GEN", 1},
    [PB_TYPE_ARTICLE_PLAIN] = {"GEN", 0},
    [PB_TYPE_ARTICLE_MAGAZINE] = {"MGZN", 1},
    [PB_TYPE_ARTICLE_NEWSPAPER] = {"NEWS", 1},
    [PB_TYPE_BILL] = {"BILL", 1},
    [PB_TYPE_BROADCAST] = {"MPCT", 0},
    [PB_TYPE_CLASSIC] = {"ANCIENT", 1},
    [PB_TYPE_COLLECTION] = {"BOOK", 0},
    [PB_TYPE_DATASET] = {"DATA", 1},
    [PB_TYPE_ENTRY] = {"GEN", 0},
    [PB_TYPE_ENTRY_DICTIONARY] = {"DICT", 1},
    [PB_TYPE_ENTRY_ENCYCLOPEDIA] = {"ENCYC", 1},
    [PB_TYPE_EVENT] = {"GEN", 0},
    [PB_TYPE_FIGURE] = {"FIGURE", 1},
    [PB_TYPE_GRAPHIC] = {"ART", 1},
    [PB_TYPE_HEARING] = {"HEAR", 1},
    [PB_TYPE_INTERVIEW] = {"PCOMM", 0},
    [PB_TYPE_LEGAL_CASE] = {"CASE", 1},
    [PB_TYPE_LEGISLATION] = {"STAT", 1},
    [PB_TYPE_MANUSCRIPT] = {"MANSCPT", 1},
    [PB_TYPE_MAP] = {"MAP", 1},
    [PB_TYPE_MOTION_PICTURE] = {"MPCT", 1},
    [PB_TYPE_MUSICAL_SCORE] = {"MUSIC", 0},
    [PB_TYPE_PAMPHLET] = {"PAMP", 0},
    [PB_TYPE_PATENT] = {"PAT", 1},
    [PB_TYPE_PERFORMANCE] = {"GEN", 0},
    [PB_TYPE_PERIODICAL] = {"JFULL", 0},
    [PB_TYPE_PERSONAL_COMMUNICATION] = {"PCOMM", 1},
    [PB_TYPE_POST] = {"ICOMM", 0},
    [PB_TYPE_POST_WEBLOG] = {"BLOG", 1},
    [PB_TYPE_REGULATION] = {"GEN", 0},
    [PB_TYPE_REVIEW] = {"JOUR", 0},
    [PB_TYPE_REVIEW_BOOK] = {"JOUR", 0},
    [PB_TYPE_SOFTWARE] = {"COMP", 1},
    [PB_TYPE_SONG] = {"SOUND", 1},
    [PB_TYPE_SPEECH] = {"SLIDE", 1},
    [PB_TYPE_STANDARD] = {"STAND", 1},
    [PB_TYPE_TREATY] = {"GEN", 0},
    [PB_TYPE_WEBPAGE] = {"ELEC", 1},
};

/* Where the value of a tag comes from. */
enum ris_source {
	SRC_FIELD,       /* a string field of the record */
	SRC_LABELLED,    /* a string field, after the tag's label */
	SRC_NAMES,       /* one line per name of role name ("author": the
	                  * authors): "Family, Given[, Suffix]" */
	SRC_EVENT,       /* the event-title variable, else
	                  * pb_venue_event_title() */
	SRC_PROCEEDINGS, /* pb_venue_proceedings_title() */
	SRC_YEAR,        /* the venue's year, else the year of its date,
	                  * else of its arXiv id */
	SRC_PUBLISHER,   /* the venue's publisher, else arXiv for a preprint */
	SRC_DOI,         /* the DOI; else arXiv's DOI of a record with an
	                  * arXiv id and no DOI extra field */
	SRC_DATE,        /* "YYYY/MM/DD/", "YYYY/MM//" or "YYYY///" */
	SRC_SHORT,       /* the venue's short name, when it has a name */
	SRC_KEYWORDS,    /* one line per keyword */
	SRC_NOTE,        /* one line per line of the record's note */
	SRC_VAR,         /* the CSL variable name */
	SRC_DATE_VAR,    /* the CSL date variable name, as DA writes dates */
	SRC_SN,          /* ISBN and ISSN, one line each, and the variable
	                  * name for the types where SN is a number */
	SRC_PAGES,       /* page: "12-34" as SP and EP */
	SRC_SKIP,        /* nothing: the tag means what paperbib does not
	                  * write there for these types */
	SRC_MAPPED,      /* extra fields with a tag of their own (below), and
	                  * a RIS file's own tags kept as extra fields */
	SRC_UNPLACED,    /* members with no tag: "Label: value" (below) */
	SRC_UNWRITTEN,   /* the type, variables and names no tag held:
	                  * "name: value", "role: Family || Given" */
	SRC_EXTRAS       /* other extra fields: "Key: value" */
};

/* Sets of kinds of work a tag is written for. */
#define TS(t) (UINT64_C(1) << PB_TYPE_##t)
#define T_CONF      TS(PAPER_CONFERENCE)
#define T_ALL       (~UINT64_C(0))
#define T_OTHER     (T_ALL & ~T_CONF)
#define S_JOURNAL                                                            \
	(TS(ARTICLE) | TS(ARTICLE_MAGAZINE) | TS(ARTICLE_NEWSPAPER) |            \
	 TS(ARTICLE_PLAIN) | TS(PERIODICAL) | TS(REVIEW) | TS(REVIEW_BOOK))
#define S_FILM (TS(MOTION_PICTURE) | TS(BROADCAST))
#define S_LAW (TS(BILL) | TS(LEGISLATION))

/* A record's tags after TY, in output order; ER ends it. For each tag,
 * the first row whose types hold the record's type decides (the N1 rows
 * all write); the meanings by type are those of Zotero's RIS.js, which
 * paperbib's reader reads back the same way.
 *
 * The venue, where Zotero and bibutils read RIS differently:
 *  - T2: Zotero reads T2 of a CONF as conferenceName (its own export
 *    writes it there); bibutils has no conference name and reads T2 of a
 *    CONF as the series title, where the event title "International
 *    Conference on Learning Representations (ICLR 2020)" is still a fair
 *    series (ACM writes "ICLR '20" there). No other tag gives Zotero the
 *    conference name without giving bibutils a wrong book title (JO).
 *  - C3: Zotero's proceedingsTitle, and what its own export writes;
 *    bibutils reads C3 as a note, which repeats the proceedings name.
 *  - BT: the only tag bibutils reads as the book title of a CONF
 *    (MODS host title, BibTeX booktitle). Zotero reads BT as a fallback
 *    publicationTitle, the base field of proceedingsTitle, so giving it
 *    the same value as C3 changes nothing there and never lands in
 *    Zotero's "no corresponding field" note.
 *  - CY: bibutils' place; Zotero's own export writes the place of a
 *    conference paper as C1 (which bibutils reads as a note), and its
 *    import reads CY as the place too (for ProCite and Springer files).
 *  - DA before PY in Zotero; bibutils reads both. ID is ignored by
 *    Zotero and is the MODS ID (citation key) in bibutils.
 *  - Other kinds of work: T2 is the secondary title (journal, book,
 *    institution; the series of a book, report, map or program), J2 its
 *    abbreviation.
 * Whatever has no tag goes into N1 as "Label: value" lines, Zotero's and
 * bibutils' note, which paperbib's RIS reader reads back. */
static const struct ris_tag {
	char tag[3];
	enum ris_source src;
	pb_field field;    /* for SRC_FIELD and SRC_LABELLED */
	const char *label; /* for SRC_LABELLED; the variable or role of
	                    * SRC_NAMES, SRC_VAR, SRC_DATE_VAR, SRC_SN */
	uint64_t types;
} ris_tags[] = {
    {"TI", SRC_FIELD, PB_F_TITLE, NULL, T_ALL},
    {"AU", SRC_NAMES, PB_F_COUNT, "composer", TS(SONG)},
    {"AU", SRC_NAMES, PB_F_COUNT, "director", S_FILM},
    {"AU", SRC_NAMES, PB_F_COUNT, "author", T_ALL},
    {"T2", SRC_EVENT, PB_F_COUNT, NULL, T_CONF},
    {"C3", SRC_PROCEEDINGS, PB_F_COUNT, NULL, T_CONF},
    {"BT", SRC_PROCEEDINGS, PB_F_COUNT, NULL, T_CONF},
    {"T2", SRC_VAR, PB_F_COUNT, "section", TS(HEARING)},
    {"T2", SRC_VAR, PB_F_COUNT, "event-title", TS(SPEECH)},
    {"T2", SRC_VAR, PB_F_COUNT, "collection-title",
     TS(SOFTWARE) | TS(MAP) | TS(REPORT) | TS(BOOK)},
    {"T2", SRC_PROCEEDINGS, PB_F_COUNT, NULL, T_OTHER},
    {"J2", SRC_SHORT, PB_F_COUNT, NULL, T_OTHER},
    {"PY", SRC_YEAR, PB_F_COUNT, NULL, T_ALL},
    {"DA", SRC_DATE, PB_F_COUNT, NULL, T_ALL},
    {"PB", SRC_VAR, PB_F_COUNT, "authority", TS(LEGAL_CASE)},
    {"PB", SRC_PUBLISHER, PB_F_VENUE_PUBLISHER, NULL, T_ALL},
    {"CY", SRC_FIELD, PB_F_VENUE_LOCATION, NULL, T_ALL},
    {"A2", SRC_NAMES, PB_F_COUNT, "author", TS(BILL)},
    {"A2", SRC_NAMES, PB_F_COUNT, "performer", TS(SONG)},
    {"A2", SRC_NAMES, PB_F_COUNT, "interviewer", TS(INTERVIEW)},
    {"A2", SRC_NAMES, PB_F_COUNT, "collection-editor", TS(BOOK) | TS(REPORT)},
    {"A2", SRC_NAMES, PB_F_COUNT, "recipient", TS(PERSONAL_COMMUNICATION)},
    {"A2", SRC_SKIP, PB_F_COUNT, NULL, TS(LEGAL_CASE)},
    {"A2", SRC_VAR, PB_F_COUNT, "authority", TS(PATENT)},
    {"A2", SRC_NAMES, PB_F_COUNT, "editor", T_ALL},
    {"A3", SRC_NAMES, PB_F_COUNT, "contributor", TS(THESIS) | TS(BILL)},
    {"A3", SRC_NAMES, PB_F_COUNT, "producer", S_FILM},
    {"A3", SRC_NAMES, PB_F_COUNT, "editor", TS(BOOK)},
    {"A3", SRC_NAMES, PB_F_COUNT, "collection-editor", T_ALL},
    {"A4", SRC_NAMES, PB_F_COUNT, "contributor",
     TS(LEGAL_CASE) | TS(PAPER_CONFERENCE) | TS(MOTION_PICTURE) | TS(DATASET)},
    {"A4", SRC_NAMES, PB_F_COUNT, "translator", T_ALL},
    {"ED", SRC_NAMES, PB_F_COUNT, "editor", T_ALL},
    {"C1", SRC_VAR, PB_F_COUNT, "scale", TS(MAP)},
    {"C1", SRC_DATE_VAR, PB_F_COUNT, "submitted", TS(PATENT)},
    {"C2", SRC_NAMES, PB_F_COUNT, "container-author", TS(CHAPTER)},
    {"C3", SRC_VAR, PB_F_COUNT, "dimensions", TS(GRAPHIC)},
    {"C4", SRC_VAR, PB_F_COUNT, "genre", TS(MOTION_PICTURE)},
    {"C5", SRC_VAR, PB_F_COUNT, "medium", TS(SONG) | S_FILM},
    {"C5", SRC_VAR, PB_F_COUNT, "references", TS(PATENT)},
    {"C6", SRC_VAR, PB_F_COUNT, "status", TS(PATENT)},
    {"T3", SRC_VAR, PB_F_COUNT, "authority", TS(HEARING) | TS(BILL)},
    {"T3", SRC_VAR, PB_F_COUNT, "collection-title", T_ALL},
    {"ST", SRC_VAR, PB_F_COUNT, "title-short", T_ALL},
    {"ET", SRC_VAR, PB_F_COUNT, "chapter-number", S_LAW | TS(HEARING)},
    {"ET", SRC_VAR, PB_F_COUNT, "version", TS(SOFTWARE) | TS(DATASET)},
    {"ET", SRC_VAR, PB_F_COUNT, "edition", T_ALL},
    {"VL", SRC_SKIP, PB_F_COUNT, NULL, TS(PATENT) | TS(WEBPAGE)},
    {"VL", SRC_VAR, PB_F_COUNT, "volume", T_ALL},
    {"IS", SRC_VAR, PB_F_COUNT, "number-of-volumes", TS(CHAPTER)},
    {"IS", SRC_VAR, PB_F_COUNT, "version", TS(DATASET)},
    {"IS", SRC_VAR, PB_F_COUNT, "issue", T_ALL},
    {"SP", SRC_VAR, PB_F_COUNT, "number-of-pages",
     TS(BOOK) | TS(THESIS) | TS(MANUSCRIPT)},
    {"SP", SRC_VAR, PB_F_COUNT, "dimensions", TS(MOTION_PICTURE)},
    {"SP", SRC_PAGES, PB_F_COUNT, "page", T_ALL},
    {"SE", SRC_SKIP, PB_F_COUNT, NULL, TS(LEGAL_CASE)},
    {"SE", SRC_VAR, PB_F_COUNT, "section", T_ALL},
    {"SN", SRC_SN, PB_F_COUNT, "number", TS(PATENT) | TS(REPORT)},
    {"SN", SRC_SN, PB_F_COUNT, NULL, T_ALL},
    {"NV", SRC_VAR, PB_F_COUNT, "number", TS(DATASET)},
    {"NV", SRC_VAR, PB_F_COUNT, "number-of-volumes", T_ALL},
    {"M1", SRC_VAR, PB_F_COUNT, "collection-number", TS(BOOK)},
    {"M1", SRC_VAR, PB_F_COUNT, "number",
     S_LAW | TS(HEARING) | TS(PATENT) | TS(BROADCAST)},
    {"M3", SRC_VAR, PB_F_COUNT, "genre",
     TS(MANUSCRIPT) | TS(MAP) | TS(REPORT) | TS(THESIS) | TS(POST_WEBLOG) |
         TS(WEBPAGE) | TS(POST) | TS(PERSONAL_COMMUNICATION) | TS(SPEECH)},
    {"M3", SRC_VAR, PB_F_COUNT, "medium", TS(INTERVIEW) | TS(GRAPHIC)},
    {"OP", SRC_VAR, PB_F_COUNT, "references",
     TS(HEARING) | S_LAW | TS(LEGAL_CASE)},
    {"SV", SRC_VAR, PB_F_COUNT, "collection-number", TS(CHAPTER)},
    {"SV", SRC_VAR, PB_F_COUNT, "number", TS(LEGAL_CASE)},
    {"LA", SRC_VAR, PB_F_COUNT, "language", T_ALL},
    {"CN", SRC_VAR, PB_F_COUNT, "call-number", T_ALL},
    {"AN", SRC_VAR, PB_F_COUNT, "archive_location", T_ALL},
    {"DB", SRC_VAR, PB_F_COUNT, "archive", T_ALL},
    {"DP", SRC_VAR, PB_F_COUNT, "source", T_ALL},
    {"CR", SRC_VAR, PB_F_COUNT, "license", T_ALL},
    {"RI", SRC_VAR, PB_F_COUNT, "reviewed-title", T_ALL},
    {"Y2", SRC_DATE_VAR, PB_F_COUNT, "accessed", T_ALL},
    {"--", SRC_MAPPED, PB_F_COUNT, NULL, T_ALL},
    {"DO", SRC_DOI, PB_F_COUNT, NULL, T_ALL},
    {"UR", SRC_FIELD, PB_F_URL, NULL, T_ALL},
    {"L1", SRC_FIELD, PB_F_PDF_URL, NULL, T_ALL},
    {"KW", SRC_KEYWORDS, PB_F_COUNT, NULL, T_ALL},
    {"AB", SRC_FIELD, PB_F_ABSTRACT, NULL, T_ALL},
    {"N1", SRC_LABELLED, PB_F_CODE_URL, "Code: ", T_ALL},
    /* N1 in the order of CSL-JSON's note: what it cannot read back
     * into a member comes back as the note, in the same order */
    {"N1", SRC_UNPLACED, PB_F_COUNT, NULL, T_ALL},
    {"N1", SRC_UNWRITTEN, PB_F_COUNT, NULL, T_ALL},
    {"N1", SRC_EXTRAS, PB_F_COUNT, NULL, T_ALL},
    {"N1", SRC_NOTE, PB_F_NOTE, NULL, T_ALL},
    {"ID", SRC_FIELD, PB_F_KEY, NULL, T_ALL},
};

#define N_TAGS (sizeof ris_tags / sizeof *ris_tags)

/* Extra fields (from a BibTeX, RIS or CSL-JSON input) that are standard
 * RIS tags, by name (ASCII case-insensitive): the tags the RIS reader
 * keeps as extra fields, and the BibTeX and CSL names of the same. */
static const struct ris_extra_tag {
	const char *key;
	char tag[3];
} ris_extra_tags[] = {
    {"DOI", "DO"},           {"volume", "VL"},     {"issue", "IS"},
    {"ISSN", "SN"},          {"ISBN", "SN"},       {"editor", "A2"},
    {"series", "T3"},        {"collection-title", "T3"},
    {"series editor", "A3"}, {"translator", "A4"}, {"related", "L3"},
    {"figure", "L4"},        {"pages", "SP"},      {"page", "SP"},
};

/* Members of a record that have no tag here, and the label of their N1
 * line. A member is written there only when no other tag holds its value
 * (see unplaced()), and each is named in one warning per run. */
static const struct ris_note_field {
	pb_field field;
	const char *label;
} ris_note_fields[] = {
    {PB_F_VENUE_DATE, "Date"},
    {PB_F_VENUE_TRACK, "Track"},
    {PB_F_ID, "ID"},
};

/* Line ends for [ris] newline. */
static const struct ris_newline {
	const char *name;
	const char *chars;
} ris_newlines[] = {
    {"lf", "\n"},
    {"crlf", "\r\n"},
};

/* "XX  - ": the start of every line but the tag. */
#define TAG_SEP "  - "
#define TAG_SEP_LEN 4
/* What an invalid UTF-8 byte becomes. */
#define REPLACEMENT "\xEF\xBF\xBD"

static const pb_option_spec ris_options[] = {
    {"newline", PB_OPT_CHOICE, "lf", "lf|crlf",
     "line ends: lf, or crlf for Windows programs that want them"},
    {NULL, PB_OPT_STRING, NULL, NULL, NULL},
};

/* Bound on pb_csl_n_vars, for the record's bookkeeping. */
#define MAX_CSL_VARS 160

typedef struct ris_state {
	const char *newline;
	size_t newline_len;
	pb_buf rec;      /* the record being built */
	pb_buf raw;      /* one value before folding (extras) */
	pb_memo event, proceedings; /* the venue titles of the last record */
	unsigned long n; /* records written */
	pb_strset warned_extras; /* extra field names (lower case) warned of */
	pb_writer *w;    /* for diagnostics */
	const pb_record *r; /* the record being written */
	/* the record's arXiv id, "" when it has none: an arXiv paper is
	 * written as Zotero's arXiv import gives it, with arXiv's DOI
	 * (10.48550/arXiv.ID), arXiv as the repository of a preprint (PB,
	 * Zotero's repository) and the year of its id when nothing else
	 * dates it */
	char arxiv[PB_IDENT_MAX];
	/* the rows of ris_tags that each type uses (ready[t] once known) */
	unsigned char rows[PB_TYPE_COUNT][N_TAGS];
	unsigned char ready[PB_TYPE_COUNT];
	/* the CSL variables and roles (by index in pb_csl_vars) and the
	 * venue's members that a tag of this record has held */
	unsigned char done[MAX_CSL_VARS];
	unsigned char wrote_name, wrote_short, wrote_publisher;
} ris_state;

/* Code points that would end or split a line in some reader: C0 and C1
 * controls, DEL, and U+2028/U+2029 (Zotero turns them into spaces). The
 * UTF-8 forms of the last three kinds, len bytes at p. */
static int is_break_utf8(const unsigned char *p, size_t len)
{
	return (len == 2 && p[0] == 0xC2 && p[1] < 0xA0) ||
	       (len == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	        (p[2] == 0xA8 || p[2] == 0xA9));
}

/* Cuts b back to its first len bytes. */
static void truncate_to(pb_buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

/* The bytes that end a run of text, 8 at a time, with next the word one
 * byte further on: controls, DEL, every byte of a UTF-8 sequence (most
 * of which then join the run after all), and a space before another
 * space or a control. A single space between words stays in the run. */
static uint64_t fold_attention(uint64_t w, uint64_t next)
{
	uint64_t w7 = w & PB_WORD_LOW7, n7 = next & PB_WORD_LOW7;
	uint64_t ok = pb_word_ge7(w7, 0x20) &
	              (pb_word_ge7(w7, 0x21) | pb_word_ge7(n7, 0x21)) &
	              ~(w7 + PB_WORD_ONES); /* DEL: 0x7F + 1 */
	return (w | ~ok) & PB_WORD_HIGH;
}

/* The first byte at or after i in s[0..n) that fold_attention flags, or
 * n. The last bytes are tested padded with letters. */
static size_t fold_scan(const char *s, size_t i, size_t n)
{
	for (; n - i >= 17; i += 16) {
		uint64_t m = fold_attention(pb_word_load(s + i),
		                            pb_word_load(s + i + 1));
		uint64_t m2 = fold_attention(pb_word_load(s + i + 8),
		                             pb_word_load(s + i + 9));
		if (m | m2)
			return i + (m ? pb_word_first(m) : 8 + pb_word_first(m2));
	}
	for (; n - i >= 9; i += 8) {
		uint64_t m = fold_attention(pb_word_load(s + i),
		                            pb_word_load(s + i + 1));
		if (m)
			return i + pb_word_first(m);
	}
	if (i < n) {
		char last[16];
		memset(last, 'a', sizeof last);
		memcpy(last, s + i, n - i);
		uint64_t m =
		    fold_attention(pb_word_load(last), pb_word_load(last + 1));
		if (m)
			return i + pb_word_first(m);
	}
	return n;
}

/* Appends s to out on one line: breaks and spaces become one space,
 * none at either end; invalid UTF-8 becomes U+FFFD. Runs of text, valid
 * UTF-8 and single spaces between words are copied at once into
 * reserved room: the string's length, and at each U+FFFD (three bytes
 * for one) room for the rest again. */
static int put_folded(pb_buf *out, const char *s)
{
	size_t n = strlen(s);
	if (pb_buf_reserve(out, n))
		return PB_ENOMEM;
	const unsigned char *u = (const unsigned char *)s;
	size_t start = out->len;
	char *o = out->data + start;
	size_t i = 0, run = 0, len = 0;
	int space = 0;
	for (;;) {
		/* Breaks and white space, up to the next text or the end. */
		for (; i < n; i += len) {
			len = 1;
			if (u[i] <= 0x20 || u[i] == 0x7F)
				space = 1;
			else if (u[i] < 0x80)
				break;
			else if ((len = pb_utf8_len(u + i, u + n)) != 0 &&
			         is_break_utf8(u + i, len))
				space = 1;
			else
				break;
		}
		if (i == n)
			break;
		if (space && o > out->data + start)
			*o++ = ' ';
		space = 0;
		if (u[i] >= 0x80 && len == 0) { /* not UTF-8 */
			out->len = (size_t)(o - out->data);
			if (pb_buf_reserve(out, 3 + (n - i)))
				return PB_ENOMEM;
			o = out->data + out->len;
			memcpy(o, REPLACEMENT, 3);
			o += 3;
			i++;
		}
		/* A run of text from here, which starts with text. */
		for (run = i;; i += len) {
			i = fold_scan(s, i, n);
			if (i == n || u[i] < 0x80 ||
			    (len = pb_utf8_len(u + i, u + n)) == 0 ||
			    is_break_utf8(u + i, len))
				break;
			/* valid UTF-8 text: the run goes on */
		}
		/* A space at its end folds with what follows. */
		size_t end = i;
		if (end > run && s[end - 1] == ' ') {
			end--;
			space = 1;
		}
		memcpy(o, s + run, end - run);
		o += end - run;
	}
	*o = '\0';
	out->len = (size_t)(o - out->data);
	return PB_OK;
}

/* Starts a line: "TAG  - " and the label, if any. */
static int put_prefix(pb_buf *b, const char *tag, const char *label)
{
	if (pb_buf_append(b, tag, 2) || pb_buf_append(b, TAG_SEP, TAG_SEP_LEN) ||
	    (label && pb_buf_puts(b, label)))
		return PB_ENOMEM;
	return PB_OK;
}

/* Ends the line started at mark whose value began at body, or takes it
 * back when the value folded to nothing. */
static int end_line(ris_state *st, size_t mark, size_t body)
{
	if (st->rec.len == body) {
		truncate_to(&st->rec, mark);
		return PB_OK;
	}
	return pb_buf_append(&st->rec, st->newline, st->newline_len);
}

/* Writes "TAG  - value" when the folded value is not empty. The value is
 * folded straight into the record. */
static int put_line(ris_state *st, const char *tag, const char *label,
                    const char *value)
{
	if (!value)
		return PB_OK;
	size_t mark = st->rec.len;
	if (put_prefix(&st->rec, tag, label))
		return PB_ENOMEM;
	size_t body = st->rec.len;
	if (put_folded(&st->rec, value) != PB_OK)
		return PB_ENOMEM;
	return end_line(st, mark, body);
}

/* Appends ", part" (or just "part" when nothing follows start yet) when
 * part folds to something. */
static int put_name_part(pb_buf *out, size_t start, const char *part)
{
	if (!part)
		return PB_OK;
	size_t before = out->len;
	if (before > start && pb_buf_append(out, ", ", 2) != PB_OK)
		return PB_ENOMEM;
	size_t mark = out->len;
	if (put_folded(out, part) != PB_OK)
		return PB_ENOMEM;
	if (out->len == mark) /* nothing but white space */
		truncate_to(out, before);
	return PB_OK;
}

/* Appends " dropping" to the given name just written (", dropping"
 * when there is none), when it folds to something. */
static int put_dropping(pb_buf *out, size_t start, size_t given,
                        const char *dropping)
{
	if (!dropping)
		return PB_OK;
	if (out->len == given)
		return put_name_part(out, start, dropping);
	size_t before = out->len;
	if (pb_buf_putc(out, ' ') || put_folded(out, dropping) != PB_OK)
		return PB_ENOMEM;
	if (out->len == before + 1)
		truncate_to(out, before);
	return PB_OK;
}

/* "Family, Given", "Family, Given, Suffix" (the RIS form, which Zotero
 * splits at the first comma), or the literal name as it is. CSL's
 * dropping particle follows the given name ("Beethoven, Ludwig van"), as
 * Zotero and EndNote keep it in the first name. The folded parts joined
 * by ", " fold to themselves, so they go straight into the line. */
static int put_name(ris_state *st, const char *tag, const pb_name *a)
{
	pb_buf *b = &st->rec;
	size_t mark = b->len;
	if (put_prefix(b, tag, NULL))
		return PB_ENOMEM;
	size_t body = b->len;
	if (a->literal) {
		if (put_name_part(b, body, a->literal) != PB_OK)
			return PB_ENOMEM;
	} else {
		size_t given;
		if (put_name_part(b, body, a->family) ||
		    (given = b->len, put_name_part(b, body, a->given)) ||
		    put_dropping(b, body, given, a->dropping) ||
		    put_name_part(b, body, a->suffix))
			return PB_ENOMEM;
	}
	return end_line(st, mark, body);
}

/* Index of a CSL variable or role in pb_csl_vars, or -1. */
static int var_index(const char *name)
{
	const pb_csl_var *v = pb_csl_var_find(name);
	return v && (size_t)(v - pb_csl_vars) < MAX_CSL_VARS
	           ? (int)(v - pb_csl_vars)
	           : -1;
}

/* Marks a variable or role as held by a tag; returns whether it was. */
static int mark_done(ris_state *st, const char *name)
{
	int i = var_index(name);
	if (i < 0)
		return 0;
	int was = st->done[i];
	st->done[i] = 1;
	return was;
}

static int is_done(const ris_state *st, const char *name)
{
	int i = var_index(name);
	return i >= 0 && st->done[i];
}

/* One line per name in role ("author": the authors). */
static int put_names(ris_state *st, const char *tag, const pb_record *r,
                     const char *role)
{
	if (mark_done(st, role))
		return PB_OK;
	if (strcmp(role, "author") == 0) {
		for (size_t i = 0; i < r->n_authors; i++)
			if (put_name(st, tag, &r->authors[i]) != PB_OK)
				return PB_ENOMEM;
		return PB_OK;
	}
	for (size_t i = 0; i < r->n_people; i++)
		if (strcmp(r->people[i].role, role) == 0 &&
		    put_name(st, tag, &r->people[i].name) != PB_OK)
			return PB_ENOMEM;
	return PB_OK;
}

/* Counts the ASCII digits at s. */
static size_t digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* The year of the record: the venue's year, else the year of its date. */
static int put_year(ris_state *st, const char *tag, const pb_venue *v)
{
	char year[16];
	if (v->year)
		return put_line(st, tag, NULL, v->year);
	if (v->date && digits(v->date) == 4) {
		memcpy(year, v->date, 4);
		year[4] = '\0';
		return put_line(st, tag, NULL, year);
	}
	int y = !v->date && st->arxiv[0] ? pb_arxiv_year(st->arxiv) : 0;
	if (y > 0) {
		snprintf(year, sizeof year, "%d", y);
		return put_line(st, tag, NULL, year);
	}
	return PB_OK;
}

/* Whether d is an ISO date DA can hold: "YYYY", "YYYY-MM", "YYYY-MM-DD". */
static int iso_date(const char *d)
{
	return d && digits(d) == 4 &&
	       (d[4] == '\0' ||
	        (d[4] == '-' && digits(d + 5) == 2 &&
	         (d[7] == '\0' ||
	          (d[7] == '-' && digits(d + 8) == 2 && d[10] == '\0'))));
}

/* DA as the RIS spec writes it, "YYYY/MM/DD/other": the venue's ISO date
 * ("2020-04-26" becomes "2020/04/26/", "2020-04" becomes "2020/04//"),
 * else the year alone ("2020///"). */
static int put_date(ris_state *st, const char *tag, const pb_venue *v)
{
	const char *d = v->date;
	char out[16];
	if (iso_date(d)) {
		size_t len = strlen(d);
		snprintf(out, sizeof out, "%.4s/%.2s/%.2s/", d,
		         len >= 7 ? d + 5 : "", len >= 10 ? d + 8 : "");
		return put_line(st, tag, NULL, out);
	}
	if (v->year && digits(v->year) == 4 && v->year[4] == '\0') {
		snprintf(out, sizeof out, "%s///", v->year);
		return put_line(st, tag, NULL, out);
	}
	return PB_OK;
}

/* A venue title through the memo m: built again only when the venue's
 * strings differ from the last record's. */
static int put_venue_title(ris_state *st, const char *tag, pb_memo *m,
                           const pb_venue *v,
                           int (*title)(const pb_venue *, pb_buf *))
{
	const char *key[] = {v->name, v->short_name, v->year};
	if (!pb_memo_hit(m, key, 3) &&
	    (pb_memo_set(m, key, 3) || title(v, &m->val) ||
	     !pb_buf_cstr(&m->val))) {
		pb_memo_invalidate(m);
		return PB_ENOMEM;
	}
	return put_line(st, tag, NULL, m->val.data);
}

/* The name of a field, as the warnings and N1 labels spell it. */
static const char *const field_names[PB_F_COUNT] = {
    [PB_F_VENUE_DATE] = "date",
    [PB_F_VENUE_TRACK] = "track",
    [PB_F_ID] = "id",
};

/* Names a field written to N1 for want of a tag: once per field name
 * (ASCII case-insensitive) and run. */
static int warn_unplaced(ris_state *st, const char *name, const char *label)
{
	char low[64];
	size_t n = strlen(name);
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32
		                                                  : name[i]);
	int rc = pb_strset_addn(&st->warned_extras, low, n);
	if (rc < 0)
		return PB_ENOMEM;
	if (rc == 1)
		pb_diag_emitf(st->w->diag, PB_DIAG_WARNING, st->r->file,
		              st->r->line, 0,
		              "ris: no RIS tag for '%s'; written to N1 as \"%s: "
		              "...\"", name, label);
	return PB_OK;
}

/* Whether a member of ris_note_fields is already in another tag. */
static int placed(const pb_record *r, pb_field f, const char *value)
{
	switch (f) {
	case PB_F_VENUE_DATE: /* DA */
		return iso_date(value);
	case PB_F_ID: /* an OpenReview or arXiv id is part of its links */
		return (r->url && strstr(r->url, value)) ||
		       (r->pdf_url && strstr(r->pdf_url, value)) ||
		       (r->code_url && strstr(r->code_url, value));
	default:
		return 0;
	}
}

/* The tag of an extra field that has one, or NULL. */
static const char *extra_tag(const char *key)
{
	for (size_t i = 0;
	     key && i < sizeof ris_extra_tags / sizeof *ris_extra_tags; i++)
		if (strcasecmp(ris_extra_tags[i].key, key) == 0)
			return ris_extra_tags[i].tag;
	return NULL;
}

/* Pages "12-34" as SP and EP (the RIS reader joins them back with
 * "-"); anything else (one page, "12–34", "12-34, 40") as SP alone, as
 * it is. */
static int put_pages(ris_state *st, const char *pages)
{
	const char *d = strchr(pages, '-');
	if (d && d > pages && d[1] && !strchr(d + 1, '-') &&
	    !strchr(pages, ',')) {
		pb_buf_reset(&st->raw);
		if (pb_buf_append(&st->raw, pages, (size_t)(d - pages)) ||
		    !pb_buf_cstr(&st->raw) ||
		    put_line(st, "SP", NULL, st->raw.data) ||
		    put_line(st, "EP", NULL, d + 1))
			return PB_ENOMEM;
		return PB_OK;
	}
	return put_line(st, "SP", NULL, pages);
}

/* A date variable as DA writes dates ("YYYY/MM/DD/"), when it is a
 * plain date; 0 when it is more (then N1 holds it). */
static int put_date_var(ris_state *st, const char *tag, const char *value,
                        int *written)
{
	pb_date d;
	char out[48];
	*written = 0;
	pb_date_parse(value, &d);
	if (d.text || !d.year[0] || d.year[0] > 9999 || d.year[0] < 1 ||
	    d.has_end || d.season || d.circa)
		return PB_OK;
	snprintf(out, sizeof out, "%04d/", d.year[0]);
	size_t n = strlen(out);
	if (d.month[0])
		snprintf(out + n, sizeof out - n, "%02d/", d.month[0]);
	else
		snprintf(out + n, sizeof out - n, "/");
	n = strlen(out);
	if (d.day[0])
		snprintf(out + n, sizeof out - n, "%02d/", d.day[0]);
	else
		snprintf(out + n, sizeof out - n, "/");
	*written = 1;
	return put_line(st, tag, NULL, out);
}

/* Whether an extra field is a tag of a RIS file, written back as it. */
static int own_tag(const pb_record *r, const pb_extra *e)
{
	const char *k = e->key;
	return r->origin == PB_ORIGIN_RIS && k && k[0] >= 'A' && k[0] <= 'Z' &&
	       ((k[1] >= 'A' && k[1] <= 'Z') || (k[1] >= '0' && k[1] <= '9')) &&
	       k[2] == '\0' && strcmp(k, "TY") != 0 && strcmp(k, "ER") != 0;
}

/* The tag an extra field is written as, or NULL. */
static const char *extra_tag_of(const pb_record *r, const pb_extra *e)
{
	return own_tag(r, e) ? e->key : extra_tag(e->key);
}

/* The row of ris_tags after which the extra fields of a tag are written
 * for type t: the last row of the tag, when it comes after the
 * SRC_MAPPED row, so that the tag's own value comes first and reads back
 * as the value (a RIS file's second DOI after its DOI); else the
 * SRC_MAPPED row. */
static size_t extras_row(const ris_state *st, pb_type t, const char *tag)
{
	size_t at = 0;
	while (ris_tags[at].src != SRC_MAPPED)
		at++;
	for (size_t i = at + 1; i < N_TAGS; i++)
		if (st->rows[t][i] && memcmp(ris_tags[i].tag, tag, 2) == 0)
			at = i;
	return at;
}

/* The extra fields written after row of ris_tags: a tag's value, the
 * pages of another format's extra field as SP and EP. */
static int put_extras(ris_state *st, const pb_record *r, pb_type t, size_t row)
{
	for (size_t i = 0; i < r->n_extra; i++) {
		const pb_extra *e = &r->extra[i];
		const char *tag = extra_tag_of(r, e);
		if (!tag || !e->value || extras_row(st, t, tag) != row)
			continue;
		if (strcmp(tag, "SP") == 0 && !own_tag(r, e)
		        ? put_pages(st, e->value)
		        : put_line(st, tag, NULL, e->value))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* "name: value" in N1 for what no tag held, named in one warning per
 * name. */
static int put_unwritten_line(ris_state *st, const char *tag,
                              const char *name, const char *value)
{
	pb_buf_reset(&st->raw);
	if (warn_unplaced(st, name, name) ||
	    pb_buf_printf(&st->raw, "%s: %s", name, value) ||
	    put_line(st, tag, NULL, pb_buf_cstr(&st->raw)))
		return PB_ENOMEM;
	return PB_OK;
}

/* A date variable's value in N1, as the RIS reader and Zotero's Extra
 * read it back: the text form ("1984/1986"); a literal as its text, or
 * in the record's "literal:TEXT" form when the text alone would read
 * back as a date ("2020/21" is a range); a raw date always as
 * "raw:TEXT", which stays raw ("05/2001" too). */
static const char *note_date(const char *value)
{
	pb_date d, bare;
	pb_date_parse(value, &d);
	if (!d.text || d.raw)
		return value;
	pb_date_parse(d.text, &bare);
	return bare.text ? d.text : value;
}

/* The type when TY cannot say it, then the venue's members, variables
 * and names that no tag of this type held, as Zotero's Extra writes
 * them: "type: review", "original-date: 1905", "translator: Family ||
 * Given". */
static int put_unwritten(ris_state *st, const char *tag, const pb_record *r,
                         pb_type type)
{
	if (!ris_types[type].exact &&
	    put_unwritten_line(st, tag, "type", pb_type_name(type)))
		return PB_ENOMEM;
	const char *issued = pb_record_var(r, "issued");
	if (issued && put_unwritten_line(st, tag, "issued", note_date(issued)))
		return PB_ENOMEM;
	const struct {
		const char *name, *value;
		int wrote;
	} members[] = {
	    {"container-title", r->venue.name, st->wrote_name},
	    {"container-title-short", r->venue.short_name, st->wrote_short},
	    {"publisher", r->venue.publisher, st->wrote_publisher},
	};
	for (size_t i = 0; i < sizeof members / sizeof *members; i++)
		if (members[i].value && !members[i].wrote &&
		    put_unwritten_line(st, tag, members[i].name, members[i].value))
			return PB_ENOMEM;
	for (size_t i = 0; i < r->n_vars; i++) {
		const pb_var *v = &r->vars[i];
		if (!v->value || strcmp(v->name, "issued") == 0 ||
		    is_done(st, v->name))
			continue;
		const char *value = v->value;
		const pb_csl_var *cv = pb_csl_var_find(v->name);
		if (cv && cv->kind == PB_CSL_DATE)
			value = note_date(value);
		if (put_unwritten_line(st, tag, v->name, value))
			return PB_ENOMEM;
	}
	size_t n_names = r->n_people + (is_done(st, "author") ? 0 : r->n_authors);
	for (size_t i = 0; i < n_names; i++) {
		/* the authors when AU held another role, then the people */
		int author = i < n_names - r->n_people;
		const pb_name *n = author ? &r->authors[i]
		                          : &r->people[i - (n_names - r->n_people)].name;
		const char *role =
		    author ? "author" : r->people[i - (n_names - r->n_people)].role;
		if (is_done(st, role))
			continue;
		pb_buf name = PB_BUF_INIT;
		int rc;
		/* "Family || Given": a part that is missing leaves its side
		 * empty ("|| Madonna", "Doe ||"), as Zotero splits it; the
		 * dropping particle follows the given name, as in AU */
		const char *given = n->given ? n->given : "";
		const char *drop = n->dropping ? n->dropping : "";
		if (n->literal)
			rc = pb_buf_puts(&name, n->literal);
		else
			rc = pb_buf_printf(
			    &name, "%s%s||%s%s%s%s%s%s",
			    n->family ? n->family : "", n->family ? " " : "",
			    *given || *drop || n->suffix ? " " : "", given,
			    *given && *drop ? " " : "", drop,
			    n->suffix ? ", " : "", n->suffix ? n->suffix : "");
		if (rc || !pb_buf_cstr(&name) ||
		    put_unwritten_line(st, tag, role, name.data)) {
			pb_buf_free(&name);
			return PB_ENOMEM;
		}
		pb_buf_free(&name);
	}
	return PB_OK;
}

/* One line per line of the note, so that its lines stay lines when it is
 * read back (the reader joins N1 lines with new lines). */
static int put_note(ris_state *st, const char *tag, const char *note)
{
	while (note && *note) {
		size_t n = strcspn(note, "\n");
		pb_buf_reset(&st->raw);
		if (pb_buf_append(&st->raw, note, n) || !pb_buf_cstr(&st->raw) ||
		    put_line(st, tag, NULL, st->raw.data))
			return PB_ENOMEM;
		note += n + (note[n] == '\n');
	}
	return PB_OK;
}

static int put_tag(ris_state *st, const struct ris_tag *t, const pb_record *r,
                   pb_type type)
{
	/* a record with no variables or other names (a paper list's) needs
	 * none of their rows */
	if ((!r->n_vars && (t->src == SRC_VAR || t->src == SRC_DATE_VAR ||
	                    t->src == SRC_SN || t->src == SRC_PAGES)) ||
	    (!r->n_people && t->src == SRC_NAMES &&
	     strcmp(t->label, "author") != 0))
		return PB_OK;
	switch (t->src) {
	case SRC_FIELD:
		return put_line(st, t->tag, NULL, pb_record_get(r, t->field));
	case SRC_LABELLED:
		return put_line(st, t->tag, t->label,
		                pb_record_get(r, t->field));
	case SRC_NAMES: return put_names(st, t->tag, r, t->label);
	case SRC_EVENT: {
		const char *event = pb_record_var(r, "event-title");
		if (event) {
			mark_done(st, "event-title");
			return put_line(st, t->tag, NULL, event);
		}
		st->wrote_short = 1; /* in the event title */
		return put_venue_title(st, t->tag, &st->event, &r->venue,
		                       pb_venue_event_title);
	}
	case SRC_PROCEEDINGS:
		st->wrote_name = 1;
		/* a bibliography's short container title alone is J2 */
		if (!r->venue.name && r->origin != PB_ORIGIN_LIST)
			return PB_OK;
		if (!r->venue.name)
			st->wrote_short = 1; /* it stands for the name */
		return put_venue_title(st, t->tag, &st->proceedings,
		                       &r->venue, pb_venue_proceedings_title);
	case SRC_YEAR: return put_year(st, t->tag, &r->venue);
	case SRC_PUBLISHER:
		st->wrote_publisher = 1;
		return put_line(st, t->tag, NULL,
		                r->venue.publisher ? r->venue.publisher
		                : !r->venue.name && st->arxiv[0] ? "arXiv"
		                                                 : NULL);
	case SRC_DOI:
		if (pb_record_var(r, "DOI")) {
			mark_done(st, "DOI");
			return put_line(st, t->tag, NULL, pb_record_var(r, "DOI"));
		}
		if (!st->arxiv[0] || pb_record_get_extra(r, "DOI"))
			return PB_OK;
		pb_buf_reset(&st->raw);
		return pb_buf_printf(&st->raw, "10.48550/arXiv.%s", st->arxiv)
		           ? PB_ENOMEM
		           : put_line(st, t->tag, NULL, pb_buf_cstr(&st->raw));
	case SRC_SHORT:
		if (!r->venue.name && r->origin == PB_ORIGIN_LIST)
			return PB_OK;
		st->wrote_short = 1;
		return put_line(st, t->tag, NULL, r->venue.short_name);
	case SRC_NOTE: return put_note(st, t->tag, pb_record_get(r, t->field));
	case SRC_VAR:
		if (is_done(st, t->label))
			return PB_OK;
		mark_done(st, t->label);
		return put_line(st, t->tag, NULL, pb_record_var(r, t->label));
	case SRC_DATE_VAR: {
		const char *v = pb_record_var(r, t->label);
		int written;
		if (!v || is_done(st, t->label))
			return PB_OK;
		int rc = put_date_var(st, t->tag, v, &written);
		if (written)
			mark_done(st, t->label);
		return rc;
	}
	case SRC_SN: {
		static const char *const ids[] = {"ISBN", "ISSN"};
		for (size_t i = 0; i < 2; i++) {
			if (is_done(st, ids[i]))
				continue;
			mark_done(st, ids[i]);
			if (put_line(st, t->tag, NULL, pb_record_var(r, ids[i])))
				return PB_ENOMEM;
		}
		if (t->label && !is_done(st, t->label)) {
			mark_done(st, t->label);
			return put_line(st, t->tag, NULL, pb_record_var(r, t->label));
		}
		return PB_OK;
	}
	case SRC_PAGES: {
		const char *pages = pb_record_var(r, t->label);
		if (!pages || mark_done(st, t->label))
			return PB_OK;
		return put_pages(st, pages);
	}
	case SRC_SKIP: return PB_OK;
	case SRC_MAPPED: return put_extras(st, r, type, (size_t)(t - ris_tags));
	case SRC_UNPLACED:
		for (size_t i = 0;
		     i < sizeof ris_note_fields / sizeof *ris_note_fields; i++) {
			const struct ris_note_field *f = &ris_note_fields[i];
			const char *v = pb_record_get(r, f->field);
			if (!v || placed(r, f->field, v))
				continue;
			pb_buf_reset(&st->raw);
			if (pb_buf_puts(&st->raw, f->label) ||
			    pb_buf_append(&st->raw, ": ", 2) ||
			    warn_unplaced(st, field_names[f->field], f->label) ||
			    put_line(st, t->tag, pb_buf_cstr(&st->raw), v))
				return PB_ENOMEM;
		}
		return PB_OK;
	case SRC_UNWRITTEN: return put_unwritten(st, t->tag, r, type);
	case SRC_DATE: return put_date(st, t->tag, &r->venue);
	case SRC_KEYWORDS:
		for (size_t i = 0; i < r->n_keywords; i++)
			if (put_line(st, t->tag, NULL, r->keywords[i]) != PB_OK)
				return PB_ENOMEM;
		return PB_OK;
	case SRC_EXTRAS:
		for (size_t i = 0; i < r->n_extra; i++) {
			const pb_extra *e = &r->extra[i];
			if (!e->value || own_tag(r, e) || extra_tag(e->key) ||
			    pb_extra_is_markup(e->key))
				continue;
			if (warn_unplaced(st, e->key ? e->key : "",
			                  e->key ? e->key : ""))
				return PB_ENOMEM;
			pb_buf_reset(&st->raw);
			if ((e->key && pb_buf_puts(&st->raw, e->key)) ||
			    pb_buf_append(&st->raw, ": ", 2) ||
			    pb_buf_puts(&st->raw, e->value) ||
			    put_line(st, t->tag, NULL, pb_buf_cstr(&st->raw)))
				return PB_ENOMEM;
		}
		return PB_OK;
	}
	return PB_OK;
}

/* The rows of ris_tags for type t: for each tag, the first whose types
 * hold t; every N1 row. */
static void type_rows(ris_state *st, pb_type t)
{
	for (size_t i = 0; i < N_TAGS; i++) {
		int use = (ris_tags[i].types >> t) & 1u;
		for (size_t k = 0; use && k < i; k++)
			if (memcmp(ris_tags[k].tag, ris_tags[i].tag, 2) == 0 &&
			    memcmp(ris_tags[i].tag, "N1", 2) != 0 &&
			    ((ris_tags[k].types >> t) & 1u))
				use = 0;
		st->rows[t][i] = (unsigned char)use;
	}
	st->ready[t] = 1;
}

static int ris_begin(pb_writer *w)
{
	if (w->state)
		return PB_OK;
	ris_state *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	const char *nl =
	    w->config ? pb_config_get(w->config, "ris", "newline") : NULL;
	st->newline = ris_newlines[0].chars;
	for (size_t i = 0; nl && i < sizeof ris_newlines / sizeof *ris_newlines;
	     i++)
		if (strcmp(nl, ris_newlines[i].name) == 0)
			st->newline = ris_newlines[i].chars;
	st->newline_len = strlen(st->newline);
	w->state = st;
	return PB_OK;
}

static int ris_record(pb_writer *w, const pb_record *r)
{
	int rc = ris_begin(w);
	if (rc != PB_OK)
		return rc;
	ris_state *st = w->state;
	st->w = w;
	st->r = r;
	pb_record_arxiv_id(r, st->arxiv, sizeof st->arxiv);
	pb_type type = (unsigned)r->type < PB_TYPE_COUNT && ris_types[r->type].ty
	                   ? r->type
	                   : PB_TYPE_MISC;
	if (!st->ready[type])
		type_rows(st, type);
	memset(st->done, 0, sizeof st->done);
	st->wrote_name = st->wrote_short = st->wrote_publisher = 0;
	pb_buf_reset(&st->rec);
	if ((st->n && pb_buf_append(&st->rec, st->newline, st->newline_len)) ||
	    put_prefix(&st->rec, "TY", ris_types[type].ty) ||
	    pb_buf_append(&st->rec, st->newline, st->newline_len))
		return PB_ENOMEM;
	for (size_t i = 0; i < N_TAGS; i++) {
		if (!st->rows[type][i])
			continue;
		if (put_tag(st, &ris_tags[i], r, type) != PB_OK)
			return PB_ENOMEM;
		if (r->n_extra && ris_tags[i].src != SRC_MAPPED &&
		    put_extras(st, r, type, i) != PB_OK)
			return PB_ENOMEM;
	}
	if (put_prefix(&st->rec, "ER", NULL) ||
	    pb_buf_append(&st->rec, st->newline, st->newline_len))
		return PB_ENOMEM;
	if (!r->title)
		pb_diag_emitf(w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "record has no title; its RIS entry has no TI");
	if (fwrite(st->rec.data, 1, st->rec.len, w->out) != st->rec.len)
		return PB_EIO;
	st->n++;
	return PB_OK;
}

static void ris_free(pb_writer *w)
{
	ris_state *st = w->state;
	if (!st)
		return;
	pb_buf_free(&st->rec);
	pb_buf_free(&st->raw);
	pb_strset_free(&st->warned_extras);
	pb_memo_free(&st->event);
	pb_memo_free(&st->proceedings);
	free(st);
	w->state = NULL;
}

const pb_format pb_ris_format = {
    .name = "ris",
    .extension = "ris",
    .description = "RIS, for Zotero, EndNote, Mendeley and bibutils",
    .options = ris_options,
    .begin = ris_begin,
    .record = ris_record,
    .end = NULL,
    .free = ris_free,
};
