/* BibTeX and BibLaTeX reader.
 *
 * An entry is "@type{key, name = value, ...}" (or with parentheses); a
 * value is {braced}, "quoted", a number or a macro, joined with #.
 * @string defines macros, @comment is skipped, @preamble is kept for the
 * next entry (an extra field "@preamble" holding its LaTeX), and text
 * between entries is ignored, as BibTeX does. A field with no comma
 * after it is read with a warning, as Zotero reads it.
 *
 * Each entry's fields are collected raw; crossref and xdata parents give
 * theirs by biber's inheritance rules (inherit_rules); then the tables
 * below map them onto the CSL record: entry types to item types, fields
 * to CSL variables, members and name roles. LaTeX becomes CSL rich text
 * through src/latex_decode.c (<i>, <b>, <sc>, <sup>, <sub>, and nocase
 * spans for braces in titles), names go through pb_name_parse_inverted.
 * Where pandoc and biber disagree, biber is followed (month spans,
 * crossref between any two types, @software as software).
 *
 * Entries stream: one is given as soon as it is read, unless a parent it
 * names has not come yet (BibTeX wants parents after their children):
 * then it and those after it wait for the parent. Any entry can be a
 * parent (biber resolves crossref between any two types), so the last
 * MAX_HELD entries given are kept for children that come after them.
 *
 * Bad data is reported with the line and the entry's key, and the entry
 * is skipped up to the next line that starts with "@": an entry whose
 * braces never close ends there too, so one missing brace costs one
 * entry, not the rest of the file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "latex_decode.h"
#include "paperbib/paperbib.h"
#include "readutil.h"

/* Which CSL variable BibTeX's number becomes, by entry type (as pandoc
 * reads it): an article's issue, the number of a book in its series, or
 * a report's number. */
enum bib_num { NUM_NUMBER, NUM_ISSUE, NUM_SERIES };

/* Entry types and the CSL item types they are (biblatex manual 2.1;
 * pandoc's and biber's aliases). genre: the biblatex localisation key
 * the type implies (a "type" field wins). */
static const struct bib_type {
	const char *name;
	pb_type type;
	enum bib_num num;
	const char *genre;
} bib_types[] = {
	{"inproceedings", PB_TYPE_PAPER_CONFERENCE, NUM_SERIES, NULL},
	{"conference", PB_TYPE_PAPER_CONFERENCE, NUM_SERIES, NULL},
	{"article", PB_TYPE_ARTICLE, NUM_ISSUE, NULL},
	{"suppperiodical", PB_TYPE_ARTICLE, NUM_ISSUE, NULL},
	{"periodical", PB_TYPE_PERIODICAL, NUM_ISSUE, NULL},
	{"review", PB_TYPE_REVIEW, NUM_ISSUE, NULL},
	{"book", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"mvbook", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"booklet", PB_TYPE_PAMPHLET, NUM_NUMBER, NULL},
	{"proceedings", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"mvproceedings", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"collection", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"mvcollection", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"reference", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"mvreference", PB_TYPE_BOOK, NUM_SERIES, NULL},
	{"inbook", PB_TYPE_CHAPTER, NUM_SERIES, NULL},
	{"incollection", PB_TYPE_CHAPTER, NUM_SERIES, NULL},
	{"bookinbook", PB_TYPE_CHAPTER, NUM_SERIES, NULL},
	{"suppbook", PB_TYPE_CHAPTER, NUM_SERIES, NULL},
	{"suppcollection", PB_TYPE_CHAPTER, NUM_SERIES, NULL},
	{"inreference", PB_TYPE_ENTRY_ENCYCLOPEDIA, NUM_SERIES, NULL},
	{"techreport", PB_TYPE_REPORT, NUM_NUMBER, "techreport"},
	{"report", PB_TYPE_REPORT, NUM_NUMBER, NULL},
	{"phdthesis", PB_TYPE_THESIS, NUM_NUMBER, "phdthesis"},
	{"mastersthesis", PB_TYPE_THESIS, NUM_NUMBER, "mathesis"},
	{"thesis", PB_TYPE_THESIS, NUM_NUMBER, NULL},
	{"misc", PB_TYPE_MISC, NUM_NUMBER, NULL},
	{"online", PB_TYPE_WEBPAGE, NUM_NUMBER, NULL},
	{"electronic", PB_TYPE_WEBPAGE, NUM_NUMBER, NULL},
	{"www", PB_TYPE_WEBPAGE, NUM_NUMBER, NULL},
	{"unpublished", PB_TYPE_MANUSCRIPT, NUM_NUMBER, NULL},
	{"manual", PB_TYPE_BOOK, NUM_NUMBER, NULL},
	{"software", PB_TYPE_SOFTWARE, NUM_NUMBER, NULL},
	{"dataset", PB_TYPE_DATASET, NUM_NUMBER, NULL},
	{"patent", PB_TYPE_PATENT, NUM_NUMBER, NULL},
	{"standard", PB_TYPE_STANDARD, NUM_NUMBER, NULL},
	{"artwork", PB_TYPE_GRAPHIC, NUM_NUMBER, NULL},
	{"image", PB_TYPE_GRAPHIC, NUM_NUMBER, NULL},
	{"audio", PB_TYPE_SONG, NUM_NUMBER, NULL},
	{"music", PB_TYPE_SONG, NUM_NUMBER, NULL},
	{"movie", PB_TYPE_MOTION_PICTURE, NUM_NUMBER, NULL},
	{"video", PB_TYPE_MOTION_PICTURE, NUM_NUMBER, NULL},
	{"performance", PB_TYPE_PERFORMANCE, NUM_NUMBER, NULL},
	{"jurisdiction", PB_TYPE_LEGAL_CASE, NUM_NUMBER, NULL},
	{"legislation", PB_TYPE_LEGISLATION, NUM_NUMBER, NULL},
	{"legal", PB_TYPE_TREATY, NUM_NUMBER, NULL},
	{"letter", PB_TYPE_PERSONAL_COMMUNICATION, NUM_NUMBER, NULL},
	{"set", PB_TYPE_MISC, NUM_NUMBER, NULL},
	{"bibnote", PB_TYPE_MISC, NUM_NUMBER, NULL},
};

/* biblatex's localisation keys of the type field, as its English
 * strings (english.lbx) give them: the genre. Other values are kept. */
static const struct bib_genre {
	const char *key;
	const char *text;
} bib_genres[] = {
	{"phdthesis", "PhD thesis"},
	{"mathesis", "Master\xE2\x80\x99s thesis"},
	{"mastersthesis", "Master\xE2\x80\x99s thesis"},
	{"candthesis", "Candidate thesis"},
	{"techreport", "technical report"},
	{"resreport", "research report"},
	{"software", "computer software"},
	{"datacd", "CD-ROM"},
	{"audiocd", "audio CD"},
	{"patent", "patent"},
	{"patentus", "U.S. patent"},
	{"patentuk", "British patent"},
	{"patentde", "German patent"},
	{"patenteu", "European patent"},
	{"patentfr", "French patent"},
};

/* What a field becomes. */
enum bib_kind {
	B_TEXT,      /* a member of the record (field), decoded */
	B_VAR,       /* the CSL variable var, as rich text */
	B_NOCASE,    /* the CSL variable var, rich text with nocase spans */
	B_PLAIN,     /* the CSL variable var, no markup: identifiers */
	B_PAGES,     /* page: "1--10" gives "1-10", as pandoc gives it */
	B_NUMBER,    /* number: issue, collection-number or number by type */
	B_DATEVAR,   /* a date (EDTF) into the CSL date variable var */
	B_GENRE,     /* type: a localisation key or the genre itself */
	B_PUBLISHER, /* publisher and its kin, joined with "; " as pandoc */
	B_NAMES,     /* names separated by "and", in the role var */
	B_EDITORX,   /* editora/b/c: the role its editortype names */
	B_TITLE,     /* title parts: title, subtitle, titleaddon, ... */
	B_EVENT,     /* eventtitle: "Name (SHORT YEAR)" as the writers make
	              * it, else the variable event-title */
	B_SERIES,    /* series: the event when it reads "Name (SHORT YEAR)",
	              * as bibutils writes it, else collection-title */
	B_YEAR,      /* year */
	B_MONTH,     /* month: a macro, a name or a number */
	B_DAY,       /* day (bibutils) */
	B_DATE,      /* biblatex date, EDTF: issued */
	B_URL,       /* url: the page, a second one the PDF */
	B_HOWPUB,    /* howpublished: a URL, else the publisher */
	B_NOTE,      /* note, addendum: the code link and the rest */
	B_ANNOTE,    /* annote, annotation: "Label: value" lines, the rest */
	B_KEYWORDS,  /* keywords separated by , or ; */
	B_SKIP       /* reference managers' own bookkeeping */
};

/* The parts a title is joined from (pandoc: "Title: Subtitle. Addon"). */
enum bib_part {
	T_NONE,
	T_TITLE, T_SUB, T_ADDON,             /* the title member */
	T_BOOK, T_BOOKSUB, T_BOOKADDON,      /* container-title */
	T_JOURNAL, T_JOURNALSUB,             /* container-title */
	T_MAIN, T_MAINSUB, T_MAINADDON,      /* the multi-volume work */
	T_COUNT
};

/* Fields by name (lower case). Fields not listed are kept as extra
 * fields under their own name. */
static const struct bib_field {
	const char *name;
	enum bib_kind kind;
	pb_field field;   /* for B_TEXT */
	const char *var;  /* CSL variable or role */
	enum bib_part part; /* for B_TITLE */
	int keep;         /* also kept as an extra, for the writers */
} bib_fields[] = {
	{"title", B_TITLE, PB_F_COUNT, NULL, T_TITLE, 0},
	{"subtitle", B_TITLE, PB_F_COUNT, NULL, T_SUB, 1},
	{"titleaddon", B_TITLE, PB_F_COUNT, NULL, T_ADDON, 1},
	{"booktitle", B_TITLE, PB_F_COUNT, NULL, T_BOOK, 0},
	{"booksubtitle", B_TITLE, PB_F_COUNT, NULL, T_BOOKSUB, 1},
	{"booktitleaddon", B_TITLE, PB_F_COUNT, NULL, T_BOOKADDON, 1},
	{"journaltitle", B_TITLE, PB_F_COUNT, NULL, T_JOURNAL, 0},
	{"journal", B_TITLE, PB_F_COUNT, NULL, T_JOURNAL, 0},
	{"journalsubtitle", B_TITLE, PB_F_COUNT, NULL, T_JOURNALSUB, 1},
	{"maintitle", B_TITLE, PB_F_COUNT, NULL, T_MAIN, 1},
	{"mainsubtitle", B_TITLE, PB_F_COUNT, NULL, T_MAINSUB, 1},
	{"maintitleaddon", B_TITLE, PB_F_COUNT, NULL, T_MAINADDON, 1},
	{"shorttitle", B_NOCASE, PB_F_COUNT, "title-short", T_NONE, 0},
	{"shortjournal", B_TEXT, PB_F_VENUE_SHORT, NULL, T_NONE, 0},
	{"origtitle", B_NOCASE, PB_F_COUNT, "original-title", T_NONE, 0},
	{"issuetitle", B_NOCASE, PB_F_COUNT, "volume-title", T_NONE, 1},
	{"author", B_NAMES, PB_F_COUNT, "author", T_NONE, 0},
	{"editor", B_NAMES, PB_F_COUNT, "editor", T_NONE, 0},
	{"translator", B_NAMES, PB_F_COUNT, "translator", T_NONE, 0},
	{"bookauthor", B_NAMES, PB_F_COUNT, "container-author", T_NONE, 0},
	{"editora", B_EDITORX, PB_F_COUNT, "editoratype", T_NONE, 0},
	{"editorb", B_EDITORX, PB_F_COUNT, "editorbtype", T_NONE, 0},
	{"editorc", B_EDITORX, PB_F_COUNT, "editorctype", T_NONE, 0},
	{"eventtitle", B_EVENT, PB_F_COUNT, NULL, T_NONE, 0},
	{"series", B_SERIES, PB_F_COUNT, NULL, T_NONE, 0},
	{"year", B_YEAR, PB_F_COUNT, NULL, T_NONE, 0},
	{"month", B_MONTH, PB_F_COUNT, NULL, T_NONE, 0},
	{"day", B_DAY, PB_F_COUNT, NULL, T_NONE, 0},
	{"date", B_DATE, PB_F_COUNT, NULL, T_NONE, 0},
	{"origdate", B_DATEVAR, PB_F_COUNT, "original-date", T_NONE, 0},
	{"eventdate", B_DATEVAR, PB_F_COUNT, "event-date", T_NONE, 0},
	{"urldate", B_DATEVAR, PB_F_COUNT, "accessed", T_NONE, 0},
	{"publisher", B_PUBLISHER, PB_F_COUNT, NULL, T_NONE, 0},
	{"institution", B_PUBLISHER, PB_F_COUNT, NULL, T_NONE, 0},
	{"school", B_PUBLISHER, PB_F_COUNT, NULL, T_NONE, 0},
	{"organization", B_PUBLISHER, PB_F_COUNT, NULL, T_NONE, 0},
	{"howpublished", B_HOWPUB, PB_F_COUNT, NULL, T_NONE, 0},
	{"address", B_TEXT, PB_F_VENUE_LOCATION, NULL, T_NONE, 0},
	{"location", B_TEXT, PB_F_VENUE_LOCATION, NULL, T_NONE, 0},
	{"venue", B_VAR, PB_F_COUNT, "event-place", T_NONE, 0},
	{"origpublisher", B_VAR, PB_F_COUNT, "original-publisher", T_NONE, 0},
	{"origlocation", B_VAR, PB_F_COUNT, "original-publisher-place", T_NONE,
	 0},
	{"pubstate", B_VAR, PB_F_COUNT, "status", T_NONE, 0},
	{"volume", B_VAR, PB_F_COUNT, "volume", T_NONE, 0},
	{"volumes", B_VAR, PB_F_COUNT, "number-of-volumes", T_NONE, 0},
	{"number", B_NUMBER, PB_F_COUNT, NULL, T_NONE, 0},
	{"issue", B_VAR, PB_F_COUNT, "issue", T_NONE, 0},
	{"pages", B_PAGES, PB_F_COUNT, "page", T_NONE, 0},
	{"pagetotal", B_VAR, PB_F_COUNT, "number-of-pages", T_NONE, 0},
	{"chapter", B_VAR, PB_F_COUNT, "chapter-number", T_NONE, 0},
	{"edition", B_VAR, PB_F_COUNT, "edition", T_NONE, 0},
	{"version", B_VAR, PB_F_COUNT, "version", T_NONE, 0},
	{"type", B_GENRE, PB_F_COUNT, "genre", T_NONE, 0},
	{"language", B_VAR, PB_F_COUNT, "language", T_NONE, 0},
	{"doi", B_PLAIN, PB_F_COUNT, "DOI", T_NONE, 0},
	{"isbn", B_PLAIN, PB_F_COUNT, "ISBN", T_NONE, 0},
	{"issn", B_PLAIN, PB_F_COUNT, "ISSN", T_NONE, 0},
	{"url", B_URL, PB_F_COUNT, NULL, T_NONE, 0},
	{"abstract", B_TEXT, PB_F_ABSTRACT, NULL, T_NONE, 0},
	{"keywords", B_KEYWORDS, PB_F_COUNT, NULL, T_NONE, 0},
	{"note", B_NOTE, PB_F_COUNT, NULL, T_NONE, 0},
	{"addendum", B_NOTE, PB_F_COUNT, NULL, T_NONE, 0},
	{"annote", B_ANNOTE, PB_F_COUNT, NULL, T_NONE, 0},
	{"annotation", B_ANNOTE, PB_F_COUNT, NULL, T_NONE, 0},
	{"file", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"timestamp", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"owner", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"bibsource", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"biburl", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"groups", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"date-added", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"date-modified", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"@preamble", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"editoratype", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"editorbtype", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
	{"editorctype", B_SKIP, PB_F_COUNT, NULL, T_NONE, 0},
};

/* biblatex's editortype values and the CSL roles they are. Another
 * value keeps the names as the extra field they came in. */
static const struct bib_role {
	const char *type;
	const char *role;
} bib_roles[] = {
	{"editor", "editor"},       {"compiler", "compiler"},
	{"director", "director"},   {"organizer", "organizer"},
	{"collaborator", "contributor"},
	{"translator", "translator"},
};

/* The separators pandoc joins title parts with, by the part joined. */
static const char *const part_sep[T_COUNT] = {
	[T_SUB] = ": ", [T_ADDON] = ". ", [T_BOOKSUB] = ": ",
	[T_BOOKADDON] = ". ", [T_JOURNALSUB] = ": ", [T_MAINSUB] = ": ",
	[T_MAINADDON] = ". ",
};

/* crossref and xdata: what a child takes from its parent (biblatex
 * manual, appendix "Default Inheritance Setup", and biblatex.def's
 * \DeclareDataInheritance, which biber applies). A field of the parent
 * named by a rule for the pair of types goes to the rule's fields; any
 * other goes under its own name, unless in no_inherit. The child's own
 * fields win. Types are separated by spaces.
 *
 * One rule is ours: a @book parent of an @incollection gives it as it
 * gives an @inbook. BibTeX has no @collection, so BibTeX files (and
 * Zotero's) put their chapters of edited books in a @book; biber would
 * drop the book's title there, and the writers, finding a chapter with
 * no container, would write an @inbook, which the book's title then
 * reaches: a second pass would differ from the first. */
static const struct inherit_rule {
	const char *parents, *children;
	const char *field, *to; /* to: "" for not inherited */
} inherit_rules[] = {
#define MV_TO(P, C)                                                         \
	{P, C, "title", "maintitle"}, {P, C, "subtitle", "mainsubtitle"},      \
	    {P, C, "titleaddon", "maintitleaddon"}, {P, C, "shorttitle", ""},  \
	    {P, C, "sorttitle", ""}, {P, C, "indextitle", ""},                 \
	    {P, C, "indexsorttitle", ""}
#define BOOK_TO(P, C)                                                       \
	{P, C, "title", "booktitle"}, {P, C, "subtitle", "booksubtitle"},      \
	    {P, C, "titleaddon", "booktitleaddon"}, {P, C, "shorttitle", ""},  \
	    {P, C, "sorttitle", ""}, {P, C, "indextitle", ""},                 \
	    {P, C, "indexsorttitle", ""}
	MV_TO("mvbook", "book inbook bookinbook suppbook"),
	{"mvbook book", "inbook bookinbook suppbook", "author", "author bookauthor"},
	{"book", "incollection", "author", "author bookauthor"},
	MV_TO("mvcollection mvreference",
	      "collection reference incollection inreference suppcollection"),
	MV_TO("mvproceedings", "proceedings inproceedings"),
	BOOK_TO("book", "inbook bookinbook suppbook incollection"),
	BOOK_TO("collection reference", "incollection inreference suppcollection"),
	BOOK_TO("proceedings", "inproceedings conference"),
	{"periodical", "article suppperiodical", "title", "journaltitle"},
	{"periodical", "article suppperiodical", "subtitle", "journalsubtitle"},
	{"periodical", "article suppperiodical", "titleaddon",
	 "journaltitleaddon"},
	{"periodical", "article suppperiodical", "shorttitle", ""},
	{"periodical", "article suppperiodical", "sorttitle", ""},
	{"periodical", "article suppperiodical", "indextitle", ""},
	{"periodical", "article suppperiodical", "indexsorttitle", ""},
#undef MV_TO
#undef BOOK_TO
};

/* Fields never inherited (biblatex manual, appendix "Default Inheritance
 * Setup"); xdata too (the child names its own), and key: BibTeX's
 * sorting and label stand-in is the parent's own, like its sortkey, and
 * the writers add one to an entry with no author (the parent's would
 * reach the child only when the file is read again). */
static const char *const no_inherit[] = {
	"ids", "crossref", "xref", "entryset", "entrysubtype", "execute",
	"label", "options", "presort", "related", "relatedoptions",
	"relatedstring", "relatedtype", "shorthand", "shorthandintro",
	"sortkey", "xdata", "key",
};

/* The last MAX_HELD entries given are kept (raw) while a file is read,
 * for children that name them after them: any type can be a parent, so
 * every entry is kept, and the bound keeps a long file's memory flat. A
 * child whose parent is still to come waits, and the entries after it,
 * until that parent (or until MAX_HELD entries wait: then the child goes
 * without it). Kept entries are found by key through a hash table of
 * HELD_BUCKETS chains (a power of two), not by a walk over them all. */
#define MAX_HELD 4096
#define HELD_BUCKETS (2 * MAX_HELD)

/* The labels of the lines that the writers put in annote for members
 * with no field of their own in the entry (formats/bibtex.c), spelt as
 * they spell them: read back into the member when it is empty. Any other
 * "Label: value" line there is an extra field the writer had no field
 * for, read back as that extra field. */
static const struct annote_label {
	const char *label;
	pb_field field; /* PB_F_COUNT: the venue, as its event title */
	int url;        /* the value must be a URL */
} annote_labels[] = {
	{"Venue", PB_F_COUNT, 0},
	{"Location", PB_F_VENUE_LOCATION, 0},
	{"Publisher", PB_F_VENUE_PUBLISHER, 0},
	{"Track", PB_F_VENUE_TRACK, 0},
	{"ID", PB_F_ID, 0},
	{"PDF", PB_F_PDF_URL, 1},
};

/* An annote line's label: an ASCII letter, then at most 39 of these, in
 * at most four words (extra fields are named so by every reader). */
static const char annote_label_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _.-";
#define ANNOTE_LABEL_MAX 40
#define ANNOTE_LABEL_WORDS 4

/* BibTeX's predefined macros. */
static const struct bib_macro {
	const char *name;
	const char *value;
} builtin_macros[] = {
	{"jan", "January"},  {"feb", "February"}, {"mar", "March"},
	{"apr", "April"},    {"may", "May"},      {"jun", "June"},
	{"jul", "July"},     {"aug", "August"},   {"sep", "September"},
	{"oct", "October"},  {"nov", "November"}, {"dec", "December"},
};

/* Characters of identifiers: entry types, field and macro names. */
static const char ident_chars[] = "-_:.+/'!?*&$^";
/* The word between two names of a name list. */
#define NAME_SEP "and"

/* One field as read: the name (lower case) and the raw LaTeX value. */
typedef struct raw_field {
	char *name;
	char *value;
	unsigned long line;
} raw_field;

/* An entry as read, kept while a crossref or xdata needs it. */
typedef struct entry {
	char *type; /* lower case */
	char *key;
	unsigned long line;
	raw_field *fields;
	size_t n_fields, cap_fields;
} entry;

typedef struct macro {
	char *name; /* lower case */
	char *value;
} macro;

typedef struct bstate {
	/* the line being scanned */
	const char *line;
	size_t len, pos;
	int have;            /* line is valid */
	int done;            /* the end of the input, or an error */
	int err;             /* PB_EIO or PB_ENOMEM */
	unsigned long lineno;
	/* the entry being read */
	pb_buf key;
	unsigned long entry_line;
	raw_field *fields;
	size_t n_fields, cap_fields;
	pb_buf ident, value, tmp;
	macro *macros;
	size_t n_macros, cap_macros;
	char **preambles; /* @preamble texts for the next entry */
	size_t n_preambles;
	entry *queue; /* entries read, not yet given (a parent to come) */
	size_t n_queue, cap_queue;
	entry *held; /* the entries given: a ring of the last MAX_HELD */
	size_t n_held, cap_held, held_next;
	size_t n_dropped; /* entries that left the ring */
	/* held by key: 1 + the slot of the newest of a chain, 0 for none;
	 * held_chain[slot]: the next (older) slot of its chain, alike */
	unsigned held_bucket[HELD_BUCKETS];
	unsigned held_chain[MAX_HELD];
} bstate;

/* Why an entry could not be read (a message), or NULL. */
typedef const char *fail;

/* ---- the character source ---------------------------------------------- */

/* The next character, '\n' between lines, -1 at the end. */
static int peekc(pb_reader *r, bstate *st)
{
	if (st->done)
		return -1;
	if (!st->have) {
		size_t len;
		int rc = pb_lines_next(r->lines, &st->line, &len);
		if (rc != PB_OK) {
			st->done = 1;
			if (rc != PB_EOF)
				st->err = rc;
			return -1;
		}
		st->len = len;
		st->pos = 0;
		st->have = 1;
		st->lineno = pb_lines_lineno(r->lines);
	}
	return st->pos < st->len ? (unsigned char)st->line[st->pos] : '\n';
}

static void advance(bstate *st)
{
	if (st->pos < st->len)
		st->pos++;
	else
		st->have = 0;
}

static int nextc(pb_reader *r, bstate *st)
{
	int c = peekc(r, st);
	if (c >= 0)
		advance(st);
	return c;
}

static void skip_space(pb_reader *r, bstate *st)
{
	int c;
	while ((c = peekc(r, st)) >= 0 && isspace(c))
		advance(st);
}

/* Does the current line, at its start, open an entry ("@type{")? Used to
 * end an entry whose braces never close. */
static int at_entry_line(pb_reader *r, bstate *st)
{
	if (peekc(r, st) < 0 || st->pos != 0)
		return 0;
	size_t i = 0;
	while (i < st->len && isspace((unsigned char)st->line[i]))
		i++;
	if (i >= st->len || st->line[i] != '@')
		return 0;
	size_t j = ++i;
	while (j < st->len && isalpha((unsigned char)st->line[j]))
		j++;
	while (j < st->len && isspace((unsigned char)st->line[j]))
		j++;
	return j > i && j < st->len && (st->line[j] == '{' || st->line[j] == '(');
}

/* Skips to the next line that starts with "@" (after spaces). */
static void resync(pb_reader *r, bstate *st)
{
	if (at_entry_line(r, st))
		return;
	st->have = 0;
	while (peekc(r, st) >= 0) {
		const char *p = st->line;
		while (p < st->line + st->len && isspace((unsigned char)*p))
			p++;
		if (p < st->line + st->len && *p == '@') {
			st->pos = (size_t)(p - st->line);
			return;
		}
		st->have = 0;
	}
}

/* ---- tokens ----------------------------------------------------------- */

static int is_ident(int c)
{
	return c >= 0 && (isalnum(c) || c >= 0x80 || strchr(ident_chars, c));
}

/* An identifier into st->ident, lower-cased. Empty when there is none. */
static int read_ident(pb_reader *r, bstate *st)
{
	pb_buf_reset(&st->ident);
	int c;
	while (is_ident(c = peekc(r, st)) && c != '\0') {
		if (pb_buf_putc(&st->ident, (char)tolower(c)))
			return PB_ENOMEM;
		advance(st);
	}
	return pb_buf_cstr(&st->ident) ? PB_OK : PB_ENOMEM;
}

/* A {braced} or "quoted" value (the opener consumed) appended to out.
 * Returns NULL or why it failed. */
static fail read_delimited(pb_reader *r, bstate *st, int quote, pb_buf *out)
{
	int depth = 0;
	for (;;) {
		int c = nextc(r, st);
		if (c < 0)
			return "unterminated entry: the file ends inside a value";
		if (c == '\n' && at_entry_line(r, st))
			return "unterminated entry: a new entry starts inside a value";
		if (c == '\\') { /* \{ and \" do not count */
			int d = peekc(r, st);
			if (pb_buf_putc(out, '\\'))
				return "out of memory";
			if (d == '{' || d == '}' || d == '"') {
				advance(st);
				if (pb_buf_putc(out, (char)d))
					return "out of memory";
			}
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (depth == 0) {
				if (quote)
					return "a '}' without its '{' inside a quoted value";
				return NULL;
			}
			depth--;
		} else if (c == '"' && quote && depth == 0) {
			return NULL;
		}
		if (pb_buf_putc(out, (char)c))
			return "out of memory";
	}
}

static const char *find_macro(const bstate *st, const char *name)
{
	for (size_t i = st->n_macros; i > 0; i--)
		if (strcmp(st->macros[i - 1].name, name) == 0)
			return st->macros[i - 1].value;
	for (size_t i = 0; i < sizeof builtin_macros / sizeof builtin_macros[0];
	     i++)
		if (strcmp(builtin_macros[i].name, name) == 0)
			return builtin_macros[i].value;
	return NULL;
}

/* A value: parts joined by #, into st->value. */
static fail read_value(pb_reader *r, bstate *st)
{
	pb_buf_reset(&st->value);
	for (;;) {
		skip_space(r, st);
		int c = peekc(r, st);
		fail f = NULL;
		if (c == '{' || c == '"') {
			advance(st);
			f = read_delimited(r, st, c == '"', &st->value);
		} else if (c >= 0 && isdigit(c)) {
			while ((c = peekc(r, st)) >= 0 && isdigit(c)) {
				if (pb_buf_putc(&st->value, (char)c))
					return "out of memory";
				advance(st);
			}
		} else if (is_ident(c)) {
			unsigned long line = st->lineno;
			if (read_ident(r, st))
				return "out of memory";
			const char *v = find_macro(st, st->ident.data);
			if (v) {
				if (pb_buf_puts(&st->value, v))
					return "out of memory";
			} else {
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
				              "entry '%s': unknown macro '%s' (taken as "
				              "empty)",
				              pb_buf_cstr(&st->key), st->ident.data);
			}
		} else {
			return c < 0 ? "the file ends before a value"
			             : "a value must be {braced}, \"quoted\", a number "
			               "or a macro";
		}
		if (f)
			return f;
		skip_space(r, st);
		if (peekc(r, st) != '#')
			break;
		advance(st);
	}
	return pb_buf_cstr(&st->value) ? NULL : "out of memory";
}

/* Skips a balanced {...} or (...) (the opener consumed): @comment and
 * @preamble. */
static fail skip_group(pb_reader *r, bstate *st, int close)
{
	int depth = 0;
	for (;;) {
		int c = nextc(r, st);
		if (c < 0)
			return "the file ends inside it";
		if (c == '\n' && at_entry_line(r, st))
			return "a new entry starts inside it";
		if (c == '{')
			depth++;
		else if (c == '}' && depth > 0)
			depth--;
		else if (c == close && depth == 0)
			return NULL;
	}
}

/* ---- entries ---------------------------------------------------------- */

static void clear_fields(bstate *st)
{
	for (size_t i = 0; i < st->n_fields; i++) {
		free(st->fields[i].name);
		free(st->fields[i].value);
	}
	st->n_fields = 0;
}

static int add_field(bstate *st, const char *name, const char *value,
                     unsigned long line)
{
	if (st->n_fields == st->cap_fields) {
		size_t cap = st->cap_fields ? st->cap_fields * 2 : 16;
		raw_field *f = realloc(st->fields, cap * sizeof *f);
		if (!f)
			return PB_ENOMEM;
		st->fields = f;
		st->cap_fields = cap;
	}
	raw_field *f = &st->fields[st->n_fields];
	f->name = pb_strdup(name);
	f->value = pb_strdup(value);
	f->line = line;
	if (!f->name || !f->value) {
		free(f->name);
		free(f->value);
		return PB_ENOMEM;
	}
	st->n_fields++;
	return PB_OK;
}

static int add_macro(bstate *st, const char *name, const char *value)
{
	if (st->n_macros == st->cap_macros) {
		size_t cap = st->cap_macros ? st->cap_macros * 2 : 16;
		macro *m = realloc(st->macros, cap * sizeof *m);
		if (!m)
			return PB_ENOMEM;
		st->macros = m;
		st->cap_macros = cap;
	}
	macro *m = &st->macros[st->n_macros];
	m->name = pb_strdup(name);
	m->value = pb_strdup(value);
	if (!m->name || !m->value) {
		free(m->name);
		free(m->value);
		return PB_ENOMEM;
	}
	st->n_macros++;
	return PB_OK;
}

/* @string{name = value}: the opener consumed. */
static fail read_string(pb_reader *r, bstate *st, int close)
{
	skip_space(r, st);
	if (read_ident(r, st))
		return "out of memory";
	if (st->ident.len == 0)
		return "@string needs a name";
	char *name = pb_strdup(st->ident.data);
	if (!name)
		return "out of memory";
	pb_buf_reset(&st->key);
	if (pb_buf_printf(&st->key, "@string %s", name)) {
		free(name);
		return "out of memory";
	}
	skip_space(r, st);
	fail f = NULL;
	if (nextc(r, st) != '=')
		f = "'=' expected after the @string name";
	if (!f)
		f = read_value(r, st);
	if (!f) {
		skip_space(r, st);
		if (nextc(r, st) != close)
			f = "@string not closed after its value";
	}
	if (!f && add_macro(st, name, st->value.data))
		f = "out of memory";
	free(name);
	return f;
}

/* The fields of an entry, after its key, up to the closer. */
static fail read_fields(pb_reader *r, bstate *st, int close)
{
	for (;;) {
		skip_space(r, st);
		int c = peekc(r, st);
		if (c == close) {
			advance(st);
			return NULL;
		}
		if (c < 0)
			return "unterminated entry: the file ends inside it";
		unsigned long line = st->lineno;
		if (read_ident(r, st))
			return "out of memory";
		if (st->ident.len == 0)
			return "a field name expected";
		char *name = pb_strdup(st->ident.data);
		if (!name)
			return "out of memory";
		skip_space(r, st);
		fail f = NULL;
		if (nextc(r, st) != '=')
			f = "'=' expected after the field name";
		if (!f)
			f = read_value(r, st);
		if (!f && add_field(st, name, st->value.data, line))
			f = "out of memory";
		free(name);
		if (f)
			return f;
		skip_space(r, st);
		c = peekc(r, st);
		if (c == ',') {
			advance(st);
		} else if (is_ident(c) && c != close) {
			/* a field with no comma after it: read on, as Zotero does */
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name,
			              st->fields[st->n_fields - 1].line, 0,
			              "entry '%s': no ',' after the field '%s'; "
			              "read on",
			              pb_buf_cstr(&st->key),
			              st->fields[st->n_fields - 1].name);
		} else if (c != close) {
			return c < 0 ? "unterminated entry: the file ends inside it"
			             : "',' or the end of the entry expected after "
			               "a field";
		}
	}
}

/* The key, up to the first comma (or the closer of an empty entry). */
static fail read_key(pb_reader *r, bstate *st, int close)
{
	pb_buf_reset(&st->key);
	skip_space(r, st);
	int c;
	while ((c = peekc(r, st)) >= 0 && c != ',' && c != close && !isspace(c)) {
		if (c == '{' || c == '}' || c == '=')
			return "a citation key expected";
		if (pb_buf_putc(&st->key, (char)c))
			return "out of memory";
		advance(st);
	}
	skip_space(r, st);
	c = peekc(r, st);
	if (c == ',')
		advance(st);
	else if (c != close)
		return "',' expected after the citation key";
	return pb_buf_cstr(&st->key) ? NULL : "out of memory";
}

/* ---- from fields to the record ------------------------------------------ */

static const struct bib_field *field_spec(const char *name)
{
	for (size_t i = 0; i < sizeof bib_fields / sizeof bib_fields[0]; i++)
		if (strcmp(bib_fields[i].name, name) == 0)
			return &bib_fields[i];
	return NULL;
}

static int decode(bstate *st, const char *latex)
{
	pb_buf_reset(&st->tmp);
	return pb_latex_decode(&st->tmp, latex, strlen(latex));
}

/* Is s[i] the start of a word "and" between names (brace depth 0)? */
static int name_sep(const char *s, size_t i)
{
	return i > 0 && isspace((unsigned char)s[i - 1]) &&
	       strncasecmp(s + i, NAME_SEP, 3) == 0 &&
	       isspace((unsigned char)s[i + 3]);
}

/* Adds a name (borrowed: the record copies it) in role. */
static int add_role_name(pb_record *rec, const char *role, const pb_name *n)
{
	return strcmp(role, "author") == 0 ? pb_record_add_author(rec, n)
	                                   : pb_record_add_person(rec, role, n);
}

static int add_name(pb_reader *r, bstate *st, pb_record *rec,
                    const char *role, const char *s, size_t n,
                    unsigned long line)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return PB_OK;
	pb_name name;
	if (n == 6 && strncmp(s, "others", 6) == 0) {
		/* "and others": et al., the name "others" (pb_read_is_et_al) */
		pb_name_init(&name);
		name.literal = "others";
		return add_role_name(rec, role, &name);
	}
	/* {Organisation}: braced as a whole, a literal name */
	int literal = s[0] == '{' && s[n - 1] == '}';
	for (size_t i = 0, depth = 0; literal && i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0 && i + 1 < n)
			literal = 0;
	}
	pb_buf_reset(&st->tmp);
	if (pb_latex_decode(&st->tmp, literal ? s + 1 : s, literal ? n - 2 : n))
		return PB_ENOMEM;
	if (literal) {
		/* the literal is borrowed from st->tmp: the record copies it */
		pb_name_init(&name);
		name.literal = (char *)pb_buf_cstr(&st->tmp);
		return add_role_name(rec, role, &name);
	}
	int rc = pb_name_parse_inverted(&name, st->tmp.data);
	if (rc == PB_OK && strcmp(role, "author") == 0)
		rc = pb_record_take_author(rec, &name);
	else if (rc == PB_OK)
		rc = pb_record_add_person(rec, role, &name);
	else if (rc == PB_EDATA) {
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "entry '%s': cannot read the name '%s'; skipped",
		              pb_buf_cstr(&st->key), st->tmp.data);
		rc = PB_OK;
	}
	pb_name_clear(&name);
	return rc;
}

/* Splits a name list on "and" outside braces: names in role. */
static int add_names(pb_reader *r, bstate *st, pb_record *rec,
                     const char *role, const char *s, unsigned long line)
{
	size_t start = 0, depth = 0, i = 0;
	for (; s[i]; i++) {
		if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}' && depth > 0) {
			depth--;
		} else if (depth == 0 && name_sep(s, i)) {
			if (add_name(r, st, rec, role, s + start, i - start, line))
				return PB_ENOMEM;
			start = i + 3;
			i += 2;
		}
	}
	return add_name(r, st, rec, role, s + start, i - start, line);
}

static int looks_like_pdf(const char *url)
{
	size_t n = strlen(url);
	return (n > 4 && strcasecmp(url + n - 4, ".pdf") == 0) ||
	       strstr(url, "/pdf") != NULL;
}

/* "Name (SHORT YEAR)": ends with a year and a parenthesis. */
static int event_like(const char *s)
{
	size_t n = strlen(s);
	return n > 7 && s[n - 1] == ')' && strchr(s, '(') &&
	       isdigit((unsigned char)s[n - 2]) &&
	       isdigit((unsigned char)s[n - 5]) && s[n - 6] == ' ';
}

/* The length of the label of an annote line as the writers write it
 * ("Label: value" on a line of its own, braces balanced), or 0. */
static size_t annote_label_len(const char *s, size_t n)
{
	size_t k = 0;
	int words = 1;
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	while (k < n && k < ANNOTE_LABEL_MAX && s[k] != ':') {
		if (s[k] == '\\' && k + 1 < n && s[k + 1] == '_')
			k++; /* "archive\_location": the writers escape "_" */
		else if (!strchr(annote_label_chars, s[k]))
			return 0;
		words += s[k] == ' ';
		k++;
	}
	if (k == n || s[k] != ':' || s[k - 1] == ' ' ||
	    words > ANNOTE_LABEL_WORDS || k + 2 >= n || s[k + 1] != ' ' ||
	    isspace((unsigned char)s[k + 2]))
		return 0;
	int depth = 0;
	for (size_t i = k; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth < 0)
			return 0;
	}
	return depth == 0 ? k : 0;
}

/* One line of an annote, raw: the line at *p (up to a new line), trimmed,
 * in *s and *n; *p moves past it. */
static void next_line(const char **p, const char **s, size_t *n)
{
	*s = *p;
	*n = strcspn(*p, "\n");
	*p += *n + ((*p)[*n] == '\n');
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A "Label: value" line of an annote: the member it names when the
 * writers put that member there and it is still empty, else an extra
 * field of that label. */
static int annote_item(pb_record *rec, const char *label, const char *val)
{
	pb_venue *v = &rec->venue;
	for (size_t i = 0; i < sizeof annote_labels / sizeof annote_labels[0];
	     i++) {
		const struct annote_label *l = &annote_labels[i];
		if (strcmp(l->label, label) != 0)
			continue;
		if (l->field == PB_F_COUNT && !v->name && !v->short_name)
			return pb_read_event(rec, val);
		/* a container title beside its short form (shortjournal) */
		if (l->field == PB_F_COUNT && !v->name)
			return pb_record_set(rec, PB_F_VENUE_NAME, val);
		if (l->field != PB_F_COUNT && !pb_record_get(rec, l->field) &&
		    (!l->url || strstr(val, "://")))
			return pb_record_set(rec, l->field, val);
		break;
	}
	return pb_record_add_extra(rec, label, val);
}

/* Non-zero when an annote line's label names a member (annote_labels). */
static int annote_member(const char *label)
{
	for (size_t i = 0; i < sizeof annote_labels / sizeof annote_labels[0];
	     i++)
		if (strcmp(annote_labels[i].label, label) == 0)
			return 1;
	return 0;
}

/* annote and annotation: the annotation, and then the lines the writers
 * add for what had no field ("Track: Talk", "background: ..."). BibTeX
 * takes a new line inside a value as a space, and so does the decoder,
 * so the raw value is split at its lines: those at its end that are all
 * "Label: value" lines are read one by one, and whatever comes before
 * them is the annotation, kept as the extra field it came from. */
static int read_annote(bstate *st, pb_record *rec, const raw_field *f)
{
	const char *p = f->value, *s;
	size_t n, lines = 0, labelled = 0;
	while (*p) {
		next_line(&p, &s, &n);
		if (n == 0)
			continue;
		lines++;
		labelled = annote_label_len(s, n) ? labelled + 1 : 0;
	}
	pb_buf label = PB_BUF_INIT;
	int rc = PB_OK;
	size_t i = 0;
	const char *items = f->value;
	/* the annotation: the lines before the labelled ones */
	for (p = f->value; *p && i < lines - labelled; items = p) {
		next_line(&p, &s, &n);
		i += n > 0;
	}
	if (items > f->value) {
		/* CSL's annote (Zotero's and pandoc's annote and annotation);
		 * a second one stays the extra field it came in */
		pb_buf_reset(&st->tmp);
		rc = pb_latex_decode_rich(&st->tmp, f->value,
		                          (size_t)(items - f->value), PB_LATEX_RICH);
		if (rc == PB_OK && st->tmp.len)
			rc = pb_record_var(rec, "annote")
			         ? pb_record_add_extra(rec, f->name, st->tmp.data)
			         : pb_record_set_var(rec, "annote", st->tmp.data);
	}
	for (p = items; *p && rc == PB_OK;) {
		next_line(&p, &s, &n);
		size_t k = n ? annote_label_len(s, n) : 0;
		if (!k)
			continue;
		pb_buf_reset(&label);
		for (size_t j = 0; j < k && rc == PB_OK; j++)
			if (!(s[j] == '\\' && s[j + 1] == '_'))
				rc = pb_buf_putc(&label, s[j]);
		if (rc || !pb_buf_cstr(&label)) {
			rc = PB_ENOMEM;
			break;
		}
		/* a CSL variable or role the writers had no field for
		 * ("original-date: 1905", "translator: Family || Given") */
		if (!annote_member(label.data)) {
			pb_buf_reset(&st->tmp);
			if (pb_buf_printf(&st->tmp, "%s: ", label.data) ||
			    pb_latex_decode_rich(&st->tmp, s + k + 2, n - k - 2,
			                         PB_LATEX_RICH)) {
				rc = PB_ENOMEM;
				break;
			}
			rc = pb_read_csl_line(rec, st->tmp.data, st->tmp.len);
			if (rc) {
				rc = rc > 0 ? PB_OK : rc;
				continue;
			}
		}
		pb_buf_reset(&st->tmp);
		if (pb_latex_decode(&st->tmp, s + k + 2, n - k - 2)) {
			rc = PB_ENOMEM;
			break;
		}
		if (st->tmp.len)
			rc = annote_item(rec, label.data, st->tmp.data);
	}
	pb_buf_free(&label);
	return rc;
}

/* ---- building the record ------------------------------------------------ */

static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && strncmp(p, word, n) == 0)
			return 1;
		p += k;
		p += *p == ' ';
	}
	return 0;
}

static const struct bib_type *type_spec(const char *type)
{
	for (size_t t = 0; t < sizeof bib_types / sizeof bib_types[0]; t++)
		if (strcmp(bib_types[t].name, type) == 0)
			return &bib_types[t];
	return NULL;
}

static const raw_field *entry_field(const entry *e, const char *name)
{
	for (size_t i = 0; i < e->n_fields; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return &e->fields[i];
	return NULL;
}

/* Decodes latex into st->tmp with flags (PB_LATEX_*). */
static int decode_rich(bstate *st, const char *latex, unsigned flags)
{
	pb_buf_reset(&st->tmp);
	return pb_latex_decode_rich(&st->tmp, latex, strlen(latex), flags);
}

/* A biblatex date (EDTF level 1 as biblatex takes it) in the form of
 * pb_date_format: "?" (uncertain) dropped, "%" (uncertain and
 * approximate) as "~", an open end ("1984/", "1984/..") dropped. */
static void edtf(const char *in, char *out, size_t size)
{
	size_t j = 0;
	for (size_t i = 0; in[i] && j + 1 < size; i++) {
		char c = in[i];
		if (c == '?')
			continue;
		out[j++] = c == '%' ? '~' : c;
	}
	/* a text cut at size is cut between characters */
	if (j + 1 >= size && j && (out[j - 1] & 0x80)) {
		while (j && (out[j - 1] & 0xC0) == 0x80)
			j--;
		if (j)
			j--; /* the lead byte of the character cut */
	}
	out[j] = '\0';
	size_t n = strlen(out);
	if (n >= 3 && strcmp(out + n - 3, "/..") == 0)
		out[n - 3] = '\0';
	else if (n >= 1 && out[n - 1] == '/')
		out[n - 1] = '\0';
	else if (n >= 3 && strncmp(out, "../", 3) == 0)
		memmove(out, out + 3, n - 2);
}

/* A date field's raw value in the form of pb_date_format, into out:
 * decoded, with EDTF's "~" kept from LaTeX (a space there). */
static int date_text(bstate *st, const char *raw, char *out, size_t size)
{
	pb_buf_reset(&st->value);
	for (const char *p = raw; *p; p++)
		if (pb_buf_putc(&st->value, *p == '~' ? '%' : *p))
			return PB_ENOMEM;
	if (!pb_buf_cstr(&st->value) || decode(st, st->value.data))
		return PB_ENOMEM;
	edtf(st->tmp.data, out, size);
	return PB_OK;
}

/* A list field (publisher, institution, ...) decoded into st->tmp with
 * its items, separated by "and" outside braces, joined with "; ". */
static int and_list(bstate *st, const char *raw)
{
	pb_buf_reset(&st->value);
	size_t depth = 0;
	for (size_t i = 0; raw[i]; i++) {
		if (raw[i] == '{')
			depth++;
		else if (raw[i] == '}' && depth)
			depth--;
		if (depth == 0 && name_sep(raw, i)) {
			while (st->value.len && st->value.data[st->value.len - 1] == ' ')
				st->value.len--;
			if (pb_buf_puts(&st->value, "; "))
				return PB_ENOMEM;
			i += 3;
			continue;
		}
		if (pb_buf_putc(&st->value, raw[i]))
			return PB_ENOMEM;
	}
	if (!pb_buf_cstr(&st->value))
		return PB_ENOMEM;
	return decode_rich(st, st->value.data, PB_LATEX_RICH);
}

/* A year field's year: BibTeX styles sort by "{\noopsort{1973c}}1981",
 * whose year is what follows the groups (1981): NULL when none. */
static const char *year_digits(const char *raw)
{
	const char *p = raw;
	while (*p == '{' || isspace((unsigned char)*p)) {
		if (*p == '{') {
			size_t depth = 0;
			for (; *p; p++) {
				if (*p == '{')
					depth++;
				else if (*p == '}' && --depth == 0)
					break;
			}
			if (!*p)
				return NULL;
		}
		p++;
	}
	return *p ? p : NULL;
}

/* Appends text to a "; "-joined list in buf. */
static int join(pb_buf *buf, const char *sep, const char *text)
{
	if (buf->len && pb_buf_puts(buf, sep))
		return PB_ENOMEM;
	return pb_buf_puts(buf, text);
}

/* The LaTeX in raw, decoded, as a line of its own at the end of out;
 * raw is emptied. */
static int note_line(bstate *st, pb_buf *out, pb_buf *raw)
{
	if (!raw->len)
		return PB_OK;
	int rc = pb_buf_cstr(raw) ? decode_rich(st, raw->data, PB_LATEX_RICH)
	                          : PB_ENOMEM;
	if (rc == PB_OK && st->tmp.len &&
	    ((out->len && pb_buf_putc(out, '\n')) ||
	     pb_buf_append(out, st->tmp.data, st->tmp.len)))
		rc = PB_ENOMEM;
	pb_buf_reset(raw);
	return rc;
}

/* A note or addendum: BibTeX takes its line ends as spaces, and so do
 * its lines here, but a "Label: value" line as the writers and Zotero's
 * Extra write one, at the start of its line, stays a line for
 * pb_read_note to read, with the indented lines after it (pandoc wraps a
 * long value so). */
static int read_note_field(bstate *st, pb_record *rec, const raw_field *f)
{
	pb_buf raw = PB_BUF_INIT, out = PB_BUF_INIT;
	int rc = PB_OK, raw_label = 0;
	const char *p = f->value, *s;
	size_t n;
	while (*p && rc == PB_OK) {
		int indented = *p == ' ' || *p == '\t';
		next_line(&p, &s, &n);
		if (n == 0)
			continue;
		int label = !indented && annote_label_len(s, n) > 0;
		if (raw.len && (label || (!indented && raw_label)) &&
		    (rc = note_line(st, &out, &raw)) != PB_OK)
			break;
		if (!raw.len)
			raw_label = label;
		if ((raw.len && pb_buf_putc(&raw, ' ')) || pb_buf_append(&raw, s, n))
			rc = PB_ENOMEM;
	}
	if (rc == PB_OK)
		rc = note_line(st, &out, &raw);
	if (rc == PB_OK && out.len)
		rc = pb_buf_cstr(&out) ? pb_read_note(rec, out.data) : PB_ENOMEM;
	pb_buf_free(&raw);
	pb_buf_free(&out);
	return rc;
}

/* The entry's note, addendum and annote fields, read when every other
 * field has been: a "Label: value" line naming a variable the entry has
 * a field for stays a line, whatever the order of the fields. */
static int read_notes(bstate *st, const entry *e, pb_record *rec)
{
	int rc = PB_OK;
	for (size_t i = 0; i < e->n_fields && rc == PB_OK; i++) {
		const raw_field *f = &e->fields[i];
		const struct bib_field *spec = field_spec(f->name);
		if (spec && spec->kind == B_ANNOTE)
			rc = read_annote(st, rec, f);
		else if (spec && spec->kind == B_NOTE)
			rc = read_note_field(st, rec, f);
	}
	return rc;
}

/* Builds rec from an entry's fields (its own and those inherited). */
static int build(pb_reader *r, bstate *st, const entry *e, pb_record *rec)
{
	pb_venue *v = &rec->venue;
	int rc = PB_OK;
	const char *event = NULL, *year = NULL, *date = NULL;
	int month = 0;
	long day = 0;
	const struct bib_type *ty = type_spec(e->type);
	pb_buf parts[T_COUNT], publisher = PB_BUF_INIT;
	/* publisher's sources in pandoc's order: institution or school,
	 * organization, howpublished, publisher */
	static const char *const pub_order[] = {"institution school",
	                                        "organization", "howpublished",
	                                        "publisher"};
	pb_buf pubs[4] = {PB_BUF_INIT, PB_BUF_INIT, PB_BUF_INIT, PB_BUF_INIT};
	for (int i = 0; i < T_COUNT; i++)
		parts[i] = (pb_buf)PB_BUF_INIT;
	rec->type = ty ? ty->type : PB_TYPE_MISC;
	if (!ty)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, e->line, 0,
		              "entry '%s': unknown entry type '@%s', read as misc",
		              e->key, e->type);
	if ((e->key[0] && pb_read_key_ok(e->key) &&
	     pb_record_set(rec, PB_F_KEY, e->key)) ||
	    pb_record_set(rec, PB_F_FILE, r->name))
		return PB_ENOMEM;
	rec->line = e->line;
	int have_genre = 0;
	for (size_t i = 0; i < e->n_fields && rc == PB_OK; i++) {
		const raw_field *f = &e->fields[i];
		const struct bib_field *spec = field_spec(f->name);
		if (strcmp(f->name, "@preamble") == 0) {
			rc = pb_record_add_extra(rec, f->name, f->value);
			continue;
		}
		if (spec && spec->kind == B_SKIP)
			continue;
		if (spec && spec->kind == B_NAMES) {
			rc = add_names(r, st, rec, spec->var, f->value, f->line);
			continue;
		}
		if (spec && spec->kind == B_EDITORX) {
			const raw_field *t = entry_field(e, spec->var);
			const char *role = t ? NULL : "editor";
			for (size_t k = 0;
			     t && k < sizeof bib_roles / sizeof bib_roles[0]; k++)
				if (strcasecmp(bib_roles[k].type, t->value) == 0)
					role = bib_roles[k].role;
			if (role)
				rc = add_names(r, st, rec, role, f->value, f->line);
			else if ((rc = pb_record_add_extra(rec, f->name, f->value)) ==
			         PB_OK)
				rc = pb_record_add_extra(rec, t->name, t->value);
			continue;
		}
		if (spec && (spec->kind == B_ANNOTE || spec->kind == B_NOTE))
			continue; /* read_notes, last */
		unsigned flags = PB_LATEX_RICH;
		if (spec && (spec->kind == B_TITLE || spec->kind == B_NOCASE ||
		             spec->kind == B_EVENT || spec->kind == B_SERIES))
			flags |= PB_LATEX_NOCASE;
		if (spec && spec->kind == B_PAGES) {
			/* "1--10": a range, "1-10" as pandoc and CSL write it */
			pb_buf_reset(&st->value);
			for (const char *p = f->value; *p; p++)
				if ((p[0] != '-' || p[1] != '-') &&
				    pb_buf_putc(&st->value, *p))
					rc = PB_ENOMEM;
			if (rc || !pb_buf_cstr(&st->value) ||
			    (rc = decode_rich(st, st->value.data, 0)))
				break;
		} else if ((rc = (spec && spec->kind == B_URL)
		                     ? (pb_buf_reset(&st->tmp),
		                        pb_latex_decode_url(&st->tmp, f->value,
		                                            strlen(f->value)))
		                 : (spec && (spec->kind == B_PLAIN ||
		                             spec->kind == B_DATEVAR ||
		                             spec->kind == B_DATE ||
		                             spec->kind == B_GENRE))
		                     ? decode_rich(st, f->value, 0)
		                     : decode_rich(st, f->value, flags)))
			break;
		const char *val = st->tmp.data;
		if (!*val)
			continue;
		if (!spec) {
			rc = pb_record_add_extra(rec, f->name, val);
			continue;
		}
		if (spec->keep)
			rc = pb_record_add_extra(rec, f->name, val);
		if (rc)
			break;
		switch (spec->kind) {
		case B_TEXT:
			if (!pb_record_get(rec, spec->field))
				rc = pb_record_set(rec, spec->field, val);
			break;
		case B_VAR:
		case B_NOCASE:
		case B_PLAIN:
		case B_PAGES:
			if (!pb_record_var(rec, spec->var))
				rc = pb_record_set_var(rec, spec->var, val);
			else
				rc = pb_record_add_extra(rec, f->name, val);
			break;
		case B_NUMBER: {
			const char *var = !ty || ty->num == NUM_NUMBER ? "number"
			                  : ty->num == NUM_ISSUE      ? "issue"
			                                              : "collection-number";
			if (!pb_record_var(rec, var))
				rc = pb_record_set_var(rec, var, val);
			else /* biblatex's issue came first: keep the number */
				rc = pb_record_add_extra(rec, f->name, val);
			break;
		}
		case B_DATEVAR: {
			char d[128];
			if ((rc = date_text(st, f->value, d, sizeof d)) == PB_OK && *d)
				rc = pb_record_set_var(rec, spec->var, d);
			break;
		}
		case B_GENRE: {
			const char *g = val;
			for (size_t k = 0; k < sizeof bib_genres / sizeof bib_genres[0];
			     k++)
				if (strcasecmp(bib_genres[k].key, val) == 0)
					g = bib_genres[k].text;
			rc = pb_record_set_var(rec, "genre", g);
			have_genre = 1;
			break;
		}
		case B_PUBLISHER:
			/* a biblatex list: "A and B" is "A; B", as pandoc joins */
			if ((rc = and_list(st, f->value)))
				break;
			val = st->tmp.data;
			/* fall through */
		case B_HOWPUB:
			/* a URL is a link, never the publisher: the link
			 * unless the entry has a url field (its link, wherever
			 * it comes), else kept as this field, as url keeps a
			 * second URL */
			if (spec->kind == B_HOWPUB && strstr(val, "://")) {
				if (!rec->url && !entry_field(e, "url"))
					rc = pb_record_set(rec, PB_F_URL, val);
				else if (!rec->pdf_url && looks_like_pdf(val))
					rc = pb_record_set(rec, PB_F_PDF_URL, val);
				else
					rc = pb_record_add_extra(rec, f->name, val);
				break;
			}
			for (size_t k = 0; k < 4; k++)
				if (in_list(pub_order[k], f->name))
					rc = join(&pubs[k], "; ", val);
			break;
		case B_TITLE:
			if (parts[spec->part].len == 0)
				rc = pb_buf_puts(&parts[spec->part], val);
			break;
		case B_EVENT:
			if (event_like(val))
				event = event ? event : f->value;
			else if (!pb_record_var(rec, "event-title"))
				rc = pb_record_set_var(rec, "event-title", val);
			break;
		case B_SERIES:
			if (event_like(val))
				event = event ? event : f->value;
			else if (!pb_record_var(rec, "collection-title"))
				rc = pb_record_set_var(rec, "collection-title", val);
			break;
		case B_YEAR:
			year = year ? year : f->value;
			break;
		case B_MONTH:
			/* one month ("apr", "April", "4"): a span such as
			 * "April-May" is no month of a date, as biber finds */
			if (strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
			                "tuvwxyz0123456789.") == strlen(val))
				month = pb_read_month(val);
			else
				rc = pb_record_add_extra(rec, f->name, val);
			break;
		case B_DAY:
			day = strtol(val, NULL, 10);
			break;
		case B_DATE:
			date = date ? date : f->value;
			break;
		case B_URL:
			if (!rec->url)
				rc = pb_record_set(rec, PB_F_URL, val);
			else if (!rec->pdf_url && looks_like_pdf(val))
				rc = pb_record_set(rec, PB_F_PDF_URL, val);
			else
				rc = pb_record_add_extra(rec, "url", val);
			break;
		case B_KEYWORDS:
			rc = pb_read_keywords(rec, val);
			break;
		case B_NAMES:
		case B_EDITORX:
		case B_NOTE:
		case B_ANNOTE:
		case B_SKIP:
			break;
		}
	}
	if (rc == PB_OK && !have_genre && ty && ty->genre)
		for (size_t k = 0; k < sizeof bib_genres / sizeof bib_genres[0]; k++)
			if (strcmp(bib_genres[k].key, ty->genre) == 0)
				rc = pb_record_set_var(rec, "genre", bib_genres[k].text);
	/* titles from their parts: "Title: Subtitle. Addon" */
	for (int p = T_TITLE; rc == PB_OK && p < T_COUNT; p++)
		if (part_sep[p] && parts[p].len) {
			int head = p == T_ADDON || p == T_SUB       ? T_TITLE
			           : p == T_BOOKSUB || p == T_BOOKADDON ? T_BOOK
			           : p == T_JOURNALSUB                  ? T_JOURNAL
			                                                : T_MAIN;
			if (parts[head].len && pb_buf_puts(&parts[head], part_sep[p]))
				rc = PB_ENOMEM;
			if (rc == PB_OK && pb_buf_puts(&parts[head], parts[p].data))
				rc = PB_ENOMEM;
		}
	if (rc == PB_OK && !pb_buf_cstr(&parts[T_TITLE]))
		rc = PB_ENOMEM;
	if (rc == PB_OK && parts[T_MAIN].len) {
		/* a volume of a multi-volume work: the work's title, and the
		 * volume's as volume-title (pandoc); in a chapter, the
		 * book's */
		if (rec->type == PB_TYPE_CHAPTER ||
		    rec->type == PB_TYPE_PAPER_CONFERENCE ||
		    rec->type == PB_TYPE_ENTRY_ENCYCLOPEDIA) {
			if (parts[T_BOOK].len)
				rc = pb_record_set_var(rec, "volume-title",
				                       pb_buf_cstr(&parts[T_BOOK]));
			if (rc == PB_OK)
				rc = pb_record_set(rec, PB_F_VENUE_NAME,
				                   pb_buf_cstr(&parts[T_MAIN]));
		} else {
			if (parts[T_TITLE].len)
				rc = pb_record_set_var(rec, "volume-title",
				                       parts[T_TITLE].data);
			if (rc == PB_OK)
				rc = pb_record_set(rec, PB_F_TITLE,
				                   pb_buf_cstr(&parts[T_MAIN]));
		}
	}
	if (rc == PB_OK && !rec->title && parts[T_TITLE].len) {
		/* a periodical is the container of its issue (pandoc) */
		const char *issue = pb_record_var(rec, "volume-title");
		if (rec->type == PB_TYPE_PERIODICAL && !v->name)
			rc = pb_record_set(rec, PB_F_VENUE_NAME, parts[T_TITLE].data);
		if (rc == PB_OK)
			rc = pb_record_set(rec, PB_F_TITLE,
			                   rec->type == PB_TYPE_PERIODICAL && issue
			                       ? issue
			                       : parts[T_TITLE].data);
	}
	/* booktitle of a work that is no part of a book (xampl's @book):
	 * kept as it is, no container (biber's data model has none) */
	int contained = rec->type == PB_TYPE_CHAPTER ||
	                rec->type == PB_TYPE_PAPER_CONFERENCE ||
	                rec->type == PB_TYPE_ENTRY_ENCYCLOPEDIA ||
	                rec->type == PB_TYPE_MISC || rec->type == PB_TYPE_ARTICLE;
	if (rc == PB_OK && !contained && parts[T_BOOK].len && !parts[T_MAIN].len &&
	    pb_buf_cstr(&parts[T_BOOK])) {
		rc = pb_record_add_extra(rec, "booktitle", parts[T_BOOK].data);
		parts[T_BOOK].len = 0;
	}
	if (rc == PB_OK && !v->name) {
		const pb_buf *c = parts[T_JOURNAL].len ? &parts[T_JOURNAL]
		                                       : &parts[T_BOOK];
		if (c->len && pb_buf_cstr((pb_buf *)c))
			rc = pb_record_set(rec, PB_F_VENUE_NAME, c->data);
	}
	for (size_t k = 0; k < 4 && rc == PB_OK; k++)
		if (pubs[k].len && pb_buf_cstr(&pubs[k]))
			rc = join(&publisher, "; ", pubs[k].data);
	for (size_t k = 0; k < 4; k++)
		pb_buf_free(&pubs[k]);
	if (rc == PB_OK && publisher.len)
		rc = pb_buf_cstr(&publisher)
		         ? pb_record_set(rec, PB_F_VENUE_PUBLISHER, publisher.data)
		         : PB_ENOMEM;
	for (int i = 0; i < T_COUNT; i++)
		pb_buf_free(&parts[i]);
	pb_buf_free(&publisher);
	/* date wins over year, month and day */
	char d[128];
	if (rc == PB_OK && date && (rc = date_text(st, date, d, sizeof d)) == PB_OK) {
		int k = pb_record_set_issued(rec, d);
		if (k == PB_EDATA)
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, e->line, 0,
			              "entry '%s': date '%s' is not a date", e->key, d);
		else
			rc = k;
	}
	if (rc == PB_OK && year && !v->year && year[0] == '{' &&
	    year_digits(year) && strspn(year_digits(year), "0123456789") ==
	                             strlen(year_digits(year)))
		year = year_digits(year);
	if (rc == PB_OK && year && !v->year &&
	    (rc = decode(st, year)) == PB_OK) {
		char *end;
		long y = strtol(st->tmp.data, &end, 10);
		int k = *end == '\0' && end != st->tmp.data
		            ? pb_read_date_parts(rec, y, month, day)
		            : 0;
		if (k < 0)
			rc = k;
		else if (k == 0)
			rc = pb_record_set(rec, PB_F_VENUE_YEAR, st->tmp.data);
	}
	if (rc == PB_OK && event && (rc = decode(st, event)) == PB_OK)
		rc = pb_read_event(rec, st->tmp.data);
	/* and the event title itself, which the writers write back */
	if (rc == PB_OK && event && !pb_record_var(rec, "event-title") &&
	    (rc = decode_rich(st, event, PB_LATEX_RICH | PB_LATEX_NOCASE)) ==
	        PB_OK)
		rc = pb_record_set_var(rec, "event-title", st->tmp.data);
	if (rc == PB_OK)
		rc = read_notes(st, e, rec);
	if (rc == PB_OK && !rec->title)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, e->line, 0,
		              "entry '%s' has no title", e->key);
	return rc;
}

/* ---- crossref and xdata ------------------------------------------------- */

static void entry_clear(entry *e)
{
	for (size_t i = 0; i < e->n_fields; i++) {
		free(e->fields[i].name);
		free(e->fields[i].value);
	}
	free(e->fields);
	free(e->type);
	free(e->key);
	memset(e, 0, sizeof *e);
}

/* Appends a copy of a field to e. */
static int entry_add(entry *e, const char *name, const char *value,
                     unsigned long line)
{
	if (e->n_fields == e->cap_fields) {
		size_t cap = e->n_fields ? e->n_fields * 2 : 16;
		raw_field *fs = realloc(e->fields, cap * sizeof *fs);
		if (!fs)
			return PB_ENOMEM;
		e->fields = fs;
		e->cap_fields = cap;
	}
	raw_field *f = &e->fields[e->n_fields];
	f->name = pb_strdup(name);
	f->value = pb_strdup(value);
	f->line = line;
	if (!f->name || !f->value) {
		free(f->name);
		free(f->value);
		return PB_ENOMEM;
	}
	e->n_fields++;
	return PB_OK;
}

/* The bucket of key's chain in held_bucket (ASCII case-insensitive, as
 * BibTeX compares keys: FNV-1a of the lower-case key). */
static size_t key_bucket(const char *key, size_t n)
{
	unsigned long h = 2166136261UL;
	for (size_t i = 0; i < n; i++)
		h = ((h ^ (unsigned char)tolower((unsigned char)key[i])) *
		     16777619UL) & 0xffffffffUL;
	return h & (HELD_BUCKETS - 1);
}

/* The entry keyed key among those waiting and held, or NULL. */
static const entry *find_entry(const bstate *st, const char *key, size_t n)
{
	for (size_t i = 0; i < st->n_queue; i++)
		if (strlen(st->queue[i].key) == n &&
		    strncasecmp(st->queue[i].key, key, n) == 0)
			return &st->queue[i];
	/* a chain holds the newest first: a key defined twice means the
	 * later one */
	for (unsigned s = st->held_bucket[key_bucket(key, n)]; s;
	     s = st->held_chain[s - 1]) {
		const entry *h = &st->held[s - 1];
		if (strlen(h->key) == n && strncasecmp(h->key, key, n) == 0)
			return h;
	}
	return NULL;
}

/* Calls fn for each key e names in crossref and xdata (a comma list).
 * Returns the first non-zero result of fn. */
typedef int (*parent_fn)(bstate *st, const char *key, size_t n, void *ctx,
                         int xdata);
static int each_parent(bstate *st, const entry *e, parent_fn fn, void *ctx)
{
	for (size_t i = 0; i < e->n_fields; i++) {
		int xdata = strcmp(e->fields[i].name, "xdata") == 0;
		if (!xdata && strcmp(e->fields[i].name, "crossref") != 0)
			continue;
		for (const char *p = e->fields[i].value; *p;) {
			while (*p == ',' || isspace((unsigned char)*p))
				p++;
			size_t n = strcspn(p, ",");
			while (n && isspace((unsigned char)p[n - 1]))
				n--;
			int rc = n ? fn(st, p, n, ctx, xdata) : 0;
			if (rc)
				return rc;
			p += strcspn(p, ",");
		}
	}
	return 0;
}

#define MAX_CHAIN 8 /* crossref of a crossref of ...: at most so deep */

static int missing_parent(bstate *st, const char *key, size_t n, void *ctx,
                          int xdata);

/* Are e's parents, and theirs, all read? */
static int parents_known(bstate *st, const entry *e, int depth)
{
	if (depth > MAX_CHAIN)
		return 1;
	int d = depth;
	return each_parent(st, e, missing_parent, &d) == 0;
}

static int missing_parent(bstate *st, const char *key, size_t n, void *ctx,
                          int xdata)
{
	(void)xdata;
	const entry *p = find_entry(st, key, n);
	return !p || !parents_known(st, p, *(int *)ctx + 1);
}

typedef struct merge_ctx {
	pb_reader *r;
	const entry *child;
	entry *out;
	int depth;
	int rc;
} merge_ctx;

static int merge(bstate *st, merge_ctx *m, const entry *e);

static int has_field(const entry *e, const char *name)
{
	return entry_field(e, name) != NULL;
}

/* Inherits from the parent key into m->out: the parent's fields as
 * its own parents complete them, by inherit_rules. */
static int inherit_from(bstate *st, const char *key, size_t n, void *ctx,
                        int xdata)
{
	merge_ctx *m = ctx;
	const entry *p = find_entry(st, key, n);
	if (!p && st->n_dropped) /* it may be one no longer kept */
		pb_diag_emitf(m->r->diag, PB_DIAG_WARNING, m->r->name,
		              m->child->line, 0,
		              "entry '%s': %s '%.*s' not found among the last %d "
		              "entries before it and those after it (the %zu "
		              "before those are not kept)",
		              m->child->key, xdata ? "xdata" : "crossref", (int)n,
		              key, MAX_HELD, st->n_dropped);
	else if (!p)
		pb_diag_emitf(m->r->diag, PB_DIAG_WARNING, m->r->name,
		              m->child->line, 0,
		              "entry '%s': %s '%.*s' not found in the file",
		              m->child->key, xdata ? "xdata" : "crossref", (int)n,
		              key);
	if (!p)
		return 0;
	if (m->depth >= MAX_CHAIN)
		return 0;
	entry full = {0};
	merge_ctx sub = {m->r, p, &full, m->depth + 1, PB_OK};
	if ((m->rc = merge(st, &sub, p)) != PB_OK) {
		entry_clear(&full);
		return 1;
	}
	const char *ctype = m->child->type;
	for (size_t i = 0; i < full.n_fields && m->rc == PB_OK; i++) {
		const raw_field *f = &full.fields[i];
		int ruled = 0, skip = 0;
		for (size_t k = 0; k < sizeof no_inherit / sizeof no_inherit[0]; k++)
			skip |= strcmp(no_inherit[k], f->name) == 0;
		skip |= strcmp(f->name, "@preamble") == 0;
		for (size_t k = 0; !skip && !xdata &&
		                   k < sizeof inherit_rules / sizeof inherit_rules[0];
		     k++) {
			const struct inherit_rule *ru = &inherit_rules[k];
			if (strcmp(ru->field, f->name) != 0 ||
			    !in_list(ru->parents, p->type) ||
			    !in_list(ru->children, ctype))
				continue;
			ruled = 1;
			for (const char *t = ru->to; *t && m->rc == PB_OK;) {
				char name[32];
				size_t k2 = strcspn(t, " ");
				snprintf(name, sizeof name, "%.*s", (int)k2, t);
				if (!has_field(m->out, name))
					m->rc = entry_add(m->out, name, f->value, f->line);
				t += k2;
				t += *t == ' ';
			}
		}
		if (!skip && !ruled && !has_field(m->out, f->name))
			m->rc = entry_add(m->out, f->name, f->value, f->line);
	}
	entry_clear(&full);
	return m->rc != PB_OK;
}

/* The fields of e and those it inherits, into m->out (empty). */
static int merge(bstate *st, merge_ctx *m, const entry *e)
{
	m->out->type = pb_strdup(e->type);
	m->out->key = pb_strdup(e->key);
	m->out->line = e->line;
	if (!m->out->type || !m->out->key)
		return PB_ENOMEM;
	for (size_t i = 0; i < e->n_fields; i++)
		if (entry_add(m->out, e->fields[i].name, e->fields[i].value,
		              e->fields[i].line))
			return PB_ENOMEM;
	m->rc = PB_OK;
	each_parent(st, e, inherit_from, m);
	return m->rc;
}

/* ---- the reader --------------------------------------------------------- */

/* A copy of the entry being read (st->fields, then emptied). */
static int take_entry(bstate *st, const char *type, entry *e)
{
	memset(e, 0, sizeof *e);
	e->type = pb_strdup(type);
	e->key = pb_strdup(pb_buf_cstr(&st->key) ? st->key.data : "");
	e->line = st->entry_line;
	size_t n = st->n_preambles + st->n_fields;
	e->fields = malloc((n ? n : 1) * sizeof *e->fields);
	if (!e->type || !e->key || !e->fields) {
		entry_clear(e);
		return PB_ENOMEM;
	}
	for (size_t i = 0; i < st->n_preambles; i++) {
		raw_field *f = &e->fields[e->n_fields++];
		f->name = pb_strdup("@preamble");
		f->value = st->preambles[i];
		f->line = e->line;
		st->preambles[i] = NULL;
		if (!f->name) {
			entry_clear(e);
			return PB_ENOMEM;
		}
	}
	st->n_preambles = 0;
	if (st->n_fields)
		memcpy(e->fields + e->n_fields, st->fields,
		       st->n_fields * sizeof *st->fields);
	e->n_fields += st->n_fields;
	st->n_fields = 0;
	return PB_OK;
}

/* Keeps e (moved: e is left empty) among the entries that can be
 * parents, the oldest leaving when MAX_HELD are kept. */
static int hold(bstate *st, entry *e)
{
	size_t slot;
	if (st->n_held == MAX_HELD) { /* the oldest goes, out of its chain */
		slot = st->held_next;
		entry *old = &st->held[slot];
		unsigned *link =
		    &st->held_bucket[key_bucket(old->key, strlen(old->key))];
		while (*link != slot + 1)
			link = &st->held_chain[*link - 1];
		*link = st->held_chain[slot];
		entry_clear(old);
		st->held_next = (slot + 1) % MAX_HELD;
		st->n_dropped++;
	} else {
		if (st->n_held == st->cap_held) {
			size_t cap = st->cap_held ? st->cap_held * 2 : 8;
			entry *h = realloc(st->held, cap * sizeof *h);
			if (!h)
				return PB_ENOMEM;
			st->held = h;
			st->cap_held = cap;
		}
		slot = st->n_held++;
		st->held_next = st->n_held % MAX_HELD;
	}
	st->held[slot] = *e;
	memset(e, 0, sizeof *e);
	unsigned *head = &st->held_bucket[key_bucket(st->held[slot].key,
	                                             strlen(st->held[slot].key))];
	st->held_chain[slot] = *head;
	*head = (unsigned)slot + 1;
	return PB_OK;
}

static int enqueue(bstate *st, entry *e)
{
	if (st->n_queue == st->cap_queue) {
		size_t cap = st->cap_queue ? st->cap_queue * 2 : 8;
		entry *q = realloc(st->queue, cap * sizeof *q);
		if (!q)
			return PB_ENOMEM;
		st->queue = q;
		st->cap_queue = cap;
	}
	st->queue[st->n_queue++] = *e;
	memset(e, 0, sizeof *e);
	return PB_OK;
}

/* Builds the first entry of the queue into out and moves it to the
 * entries held. Entries of @xdata give no record: *got says whether out
 * holds one. */
static int give_head(pb_reader *r, bstate *st, pb_record *out, int *got)
{
	entry full = {0};
	merge_ctx m = {r, &st->queue[0], &full, 0, PB_OK};
	int rc = merge(st, &m, &st->queue[0]);
	*got = 0;
	if (rc == PB_OK && strcmp(full.type, "xdata") != 0) {
		rc = build(r, st, &full, out);
		*got = rc == PB_OK;
	}
	entry_clear(&full);
	if (hold(st, &st->queue[0]) != PB_OK) {
		entry_clear(&st->queue[0]);
		rc = rc ? rc : PB_ENOMEM;
	}
	memmove(st->queue, st->queue + 1, (st->n_queue - 1) * sizeof *st->queue);
	st->n_queue--;
	return rc;
}

/* @preamble{...}: its text (raw LaTeX), kept for the next entry. */
static fail read_preamble(pb_reader *r, bstate *st, int close)
{
	fail f = read_value(r, st);
	if (!f) {
		skip_space(r, st);
		if (nextc(r, st) != close)
			f = "@preamble not closed after its value";
	}
	if (f || !st->value.len)
		return f;
	char **p = realloc(st->preambles,
	                   (st->n_preambles + 1) * sizeof *st->preambles);
	if (!p)
		return "out of memory";
	st->preambles = p;
	if (!(p[st->n_preambles] = pb_strdup(st->value.data)))
		return "out of memory";
	st->n_preambles++;
	return NULL;
}

/* Reads one @-item after the '@'. Returns PB_OK with *got set when
 * st->fields holds an entry of type (type has room for 32 bytes), PB_OK
 * without for items that give no entry, or PB_ENOMEM. Problems are
 * reported and the item skipped. */
static int read_item(pb_reader *r, bstate *st, char *type, int *got)
{
	*got = 0;
	st->entry_line = st->lineno;
	pb_buf_reset(&st->key);
	clear_fields(st);
	skip_space(r, st);
	if (read_ident(r, st))
		return PB_ENOMEM;
	snprintf(type, 32, "%s", st->ident.data);
	skip_space(r, st);
	int open = peekc(r, st);
	if (type[0] == '\0' || (open != '{' && open != '(')) {
		/* "@" in text between entries: BibTeX skips it too */
		return PB_OK;
	}
	advance(st);
	int close = open == '{' ? '}' : ')';
	fail f;
	int skipped = strcmp(type, "comment") == 0;
	if (skipped) {
		f = skip_group(r, st, close);
		if (f)
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->entry_line, 0,
			              "@%s: %s (line %lu); skipped", type, f,
			              st->lineno);
	} else if (strcmp(type, "preamble") == 0) {
		f = read_preamble(r, st, close);
		if (f && strcmp(f, "out of memory") != 0)
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->entry_line, 0,
			              "@preamble: %s (line %lu); skipped", f,
			              st->lineno);
		skipped = 1;
	} else if (strcmp(type, "string") == 0) {
		f = read_string(r, st, close);
	} else {
		f = read_key(r, st, close);
		if (!f && peekc(r, st) != close)
			f = read_fields(r, st, close);
		else if (!f)
			advance(st);
		*got = !f;
	}
	if (f && strcmp(f, "out of memory") == 0)
		return PB_ENOMEM;
	if (f && !skipped)
		pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->entry_line, 0,
		              "entry '%s' (@%s): %s at line %lu; entry skipped",
		              pb_buf_cstr(&st->key), type, f, st->lineno);
	if (f)
		resync(r, st);
	return PB_OK;
}

/* Entries stream: each is given as soon as it is read, but for one
 * whose crossref or xdata parent is still to come (BibTeX wants the
 * parent after its children): it and the entries after it wait in the
 * queue, in order, until the parent is read or the file ends. */
static int bibtex_next(pb_reader *r, pb_record *out)
{
	bstate *st = r->state;
	for (;;) {
		int got;
		/* a parent that never comes holds at most MAX_HELD entries */
		while (st->n_queue &&
		       (st->done || st->n_queue > MAX_HELD ||
		        parents_known(st, &st->queue[0], 0))) {
			int rc = give_head(r, st, out, &got);
			if (rc)
				return rc;
			if (got)
				return PB_OK;
			pb_record_reset(out);
		}
		int c = peekc(r, st);
		if (c < 0) {
			if (st->n_queue)
				continue;
			if (st->n_preambles && !st->err)
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name,
				              st->lineno, 0,
				              "@preamble after the last entry: not kept");
			for (size_t i = 0; i < st->n_preambles; i++)
				free(st->preambles[i]);
			st->n_preambles = 0;
			return st->err ? st->err : PB_EOF;
		}
		/* between entries everything but '@' is ignored */
		const char *at = st->pos < st->len
		                     ? memchr(st->line + st->pos, '@',
		                              st->len - st->pos)
		                     : NULL;
		if (!at) {
			st->have = 0;
			continue;
		}
		st->pos = (size_t)(at - st->line) + 1;
		char type[32];
		int rc = read_item(r, st, type, &got);
		if (rc)
			return rc;
		if (!got)
			continue;
		entry e;
		if ((rc = take_entry(st, type, &e)))
			return rc;
		if ((rc = enqueue(st, &e))) {
			entry_clear(&e);
			return rc;
		}
	}
}

static int bibtex_open(pb_reader *r)
{
	bstate *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	r->state = st;
	return PB_OK;
}

static void bibtex_free(pb_reader *r)
{
	bstate *st = r->state;
	if (!st)
		return;
	clear_fields(st);
	free(st->fields);
	for (size_t i = 0; i < st->n_preambles; i++)
		free(st->preambles[i]);
	free(st->preambles);
	for (size_t i = 0; i < st->n_queue; i++)
		entry_clear(&st->queue[i]);
	free(st->queue);
	for (size_t i = 0; i < st->n_held; i++)
		entry_clear(&st->held[i]);
	free(st->held);
	for (size_t i = 0; i < st->n_macros; i++) {
		free(st->macros[i].name);
		free(st->macros[i].value);
	}
	free(st->macros);
	pb_buf_free(&st->key);
	pb_buf_free(&st->ident);
	pb_buf_free(&st->value);
	pb_buf_free(&st->tmp);
	free(st);
	r->state = NULL;
}

/* "@type{" at the start of a line: certain for a known type. */
static int bibtex_probe(const char *head, size_t len)
{
	int best = 0;
	const char *p = head, *end = head + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (p < e && isspace((unsigned char)*p))
			p++;
		if (p < e && *p == '@') {
			const char *q = ++p;
			while (q < e && isalpha((unsigned char)*q))
				q++;
			size_t n = (size_t)(q - p);
			while (q < e && isspace((unsigned char)*q))
				q++;
			if (n && q < e && (*q == '{' || *q == '(')) {
				best = 70;
				for (size_t i = 0; i < sizeof bib_types / sizeof bib_types[0];
				     i++)
					if (strlen(bib_types[i].name) == n &&
					    strncasecmp(bib_types[i].name, p, n) == 0)
						return 95;
				if ((n == 6 && strncasecmp(p, "string", 6) == 0) ||
				    (n == 7 && strncasecmp(p, "comment", 7) == 0) ||
				    (n == 8 && strncasecmp(p, "preamble", 8) == 0))
					return 95;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return best;
}

const pb_input_format pb_bibtex_input = {
	.name = "bibtex",
	.origin = PB_ORIGIN_BIBTEX,
	.extensions = "bib|bibtex|biblatex",
	.description = "BibTeX and BibLaTeX: @string, # concatenation, LaTeX "
	               "accents back to Unicode",
	.probe = bibtex_probe,
	.open = bibtex_open,
	.next = bibtex_next,
	.free = bibtex_free,
};
