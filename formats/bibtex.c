/* BibTeX and BibLaTeX writers: two dialects of one entry format.
 *
 * An entry is "@type{key," then one "  field      = {value},"
 * line per present value, in the fixed order of the dialect's table
 * below, then "}"; a blank line between entries. Every value goes through
 * src/latex.c, so braces balance and LaTeX specials are escaped; titles
 * get case protection. BibTeX writes ASCII by default (encoding = latex),
 * BibLaTeX UTF-8 with math symbols as LaTeX (encoding = utf8).
 *
 * The entry type is the record's kind of work when the record has what
 * that type needs (btxdoc's required fields for BibTeX, biblatex's data
 * model constraints for BibLaTeX), else @misc: an entry the styles take
 * without a warning. A record with only a title and a link is @misc in
 * BibTeX (plainnat prints its url) and @online in BibLaTeX; its year
 * comes from its arXiv id when it has no date, and a BibTeX entry with no
 * author gets a key field, from which natbib makes its label.
 *
 * Nothing is dropped: a value that the entry type has no field for, and
 * an extra field with no field of its own, go to annote as "Label: value"
 * lines, and each such label is named in one warning per run. annote is
 * BibTeX's field for an annotation that the standard styles do not print
 * (btxdoc; biber reads it as biblatex's annotation, Zotero as a child
 * note): note is printed by every style, and a track, an id or a summary
 * in Chinese there would end up in the user's bibliography. note keeps
 * the record's own note and the code link, which are meant to be read.
 *
 * Zotero's BibTeX import reads booktitle as the proceedings title and
 * eventtitle as the conference name, so both dialects write both;
 * BibTeX styles ignore eventtitle. Zotero drops fields it does not know,
 * which is why the code link goes to note (a child note there) unless
 * [biblatex] code = addendum asks otherwise. Each entry is built in one
 * buffer and written with one fwrite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ident.h"
#include "latex.h"
#include "paperbib/paperbib.h"
#include "strset.h"
#include "venue.h"

/* Proper nouns and names that titles in machine learning keep
 * capitalised; words with inner capitals (PyTorch, ImageNet, BERT) are
 * braced without being listed. */
#define DEFAULT_PROTECT                                                    \
	"Bayes, Bayesian, Gaussian, Markov, Markovian, Monte Carlo, "          \
	"Transformer, Wasserstein, Lipschitz, Hessian, Jacobian, Nash, "       \
	"Atari, Boltzmann, Dirichlet, Euclidean, Riemannian, Hamiltonian, "    \
	"Lagrangian, Laplacian, Langevin, Newton, Nesterov, Hilbert, Banach, " \
	"Fourier, Poisson, Bernoulli, Kullback, Leibler, Shannon, Gumbel, "    \
	"Stein, Kalman, Hebbian, Hopfield, Turing, Bellman, Gibbs, "           \
	"Metropolis, Hastings, Wiener, Brownian, Cauchy, Fisher, Kronecker, "  \
	"Sobolev, Stackelberg, Pareto, Nystr\xc3\xb6m, Wikipedia, English, "   \
	"Chinese, German, French, Japanese, StarCraft, Minecraft, Python, "    \
	"Hindi, Arabic"

static const pb_option_spec bibtex_options[] = {
	{"encoding", PB_OPT_CHOICE, "latex", "latex|utf8",
	 "latex: ASCII, other characters as LaTeX; utf8: UTF-8 text"},
	{"protect", PB_OPT_LIST, DEFAULT_PROTECT, NULL,
	 "words and phrases braced in titles so styles keep their capitals"},
	{"code", PB_OPT_CHOICE, "note", "note|none",
	 "where the code link goes: note = {Code: \\url{...}}, or nowhere"},
	{"abstract", PB_OPT_BOOL, "yes", NULL, "write the abstract"},
	{NULL, 0, NULL, NULL, NULL},
};

static const pb_option_spec biblatex_options[] = {
	{"encoding", PB_OPT_CHOICE, "utf8", "utf8|latex",
	 "utf8: UTF-8 text, math symbols as LaTeX; latex: ASCII only"},
	{"protect", PB_OPT_LIST, DEFAULT_PROTECT, NULL,
	 "words and phrases braced in titles so styles keep their capitals"},
	{"code", PB_OPT_CHOICE, "note", "note|addendum|none",
	 "where the code link goes: note, addendum (Zotero drops it), or "
	 "nowhere"},
	{"abstract", PB_OPT_BOOL, "yes", NULL, "write the abstract"},
	{NULL, 0, NULL, NULL, NULL},
};

/* Entry kinds: the entry types the writers choose from. */
enum kind {
	K_INPROCEEDINGS,
	K_ARTICLE,
	K_BOOK,
	K_INCOLLECTION,
	K_REPORT,
	K_THESIS,
	K_MISC,
	K_ONLINE,
	K_COUNT
};

#define KB(k) (1u << (k))
#define K_ALL (KB(K_COUNT) - 1u)
#define K_INPROC KB(K_INPROCEEDINGS)
#define K_ART KB(K_ARTICLE)
#define K_BK KB(K_BOOK)
#define K_INCOLL KB(K_INCOLLECTION)
#define K_REP KB(K_REPORT)
#define K_THES KB(K_THESIS)
#define K_MSC KB(K_MISC)
#define K_ONL KB(K_ONLINE)

/* The kind of each pb_type. */
static const enum kind kind_of_type[] = {
	[PB_TYPE_PAPER_CONFERENCE] = K_INPROCEEDINGS,
	[PB_TYPE_ARTICLE] = K_ARTICLE,
	[PB_TYPE_BOOK] = K_BOOK,
	[PB_TYPE_CHAPTER] = K_INCOLLECTION,
	[PB_TYPE_REPORT] = K_REPORT,
	[PB_TYPE_THESIS] = K_THESIS,
	[PB_TYPE_MISC] = K_MISC,
};

/* What an entry type needs; a record without it is written as @misc. */
enum need {
	N_AUTHOR = 1u << 0,    /* an author (for a book: or an editor) */
	N_TITLE = 1u << 1,     /* a title */
	N_CONTAINER = 1u << 2, /* the venue's name or short name */
	N_YEAR = 1u << 3,      /* a year: the venue's, its date's, arXiv's */
	N_PUBLISHER = 1u << 4, /* publisher (institution, school) */
	N_EDITOR = 1u << 5     /* an editor (an extra field) */
};

/* An entry type of a dialect: its name, what it needs (btxdoc's required
 * fields for BibTeX, the mandatory fields of biblatex's data model,
 * blx-dm.def, for BibLaTeX; biblatex's date is mandatory everywhere, and
 * @misc cannot do without it either, so it decides nothing there), and
 * the value of biblatex's type field, which report and thesis need. */
typedef struct entry_type {
	const char *type;
	unsigned need;
	const char *subtype;
} entry_type;

static const entry_type bibtex_types[K_COUNT] = {
	[K_INPROCEEDINGS] = {"inproceedings",
	                     N_AUTHOR | N_TITLE | N_CONTAINER | N_YEAR, NULL},
	[K_ARTICLE] = {"article", N_AUTHOR | N_TITLE | N_CONTAINER | N_YEAR,
	               NULL},
	[K_BOOK] = {"book", N_AUTHOR | N_TITLE | N_PUBLISHER | N_YEAR, NULL},
	[K_INCOLLECTION] = {"incollection",
	                    N_AUTHOR | N_TITLE | N_CONTAINER | N_PUBLISHER |
	                        N_YEAR,
	                    NULL},
	[K_REPORT] = {"techreport", N_AUTHOR | N_TITLE | N_PUBLISHER | N_YEAR,
	              NULL},
	[K_THESIS] = {"phdthesis", N_AUTHOR | N_TITLE | N_PUBLISHER | N_YEAR,
	              NULL},
	[K_MISC] = {"misc", 0, NULL},
	[K_ONLINE] = {"misc", 0, NULL}, /* BibTeX has no @online */
};

static const entry_type biblatex_types[K_COUNT] = {
	[K_INPROCEEDINGS] = {"inproceedings", N_AUTHOR | N_TITLE | N_CONTAINER,
	                     NULL},
	[K_ARTICLE] = {"article", N_AUTHOR | N_TITLE | N_CONTAINER, NULL},
	[K_BOOK] = {"book", N_AUTHOR | N_TITLE, NULL},
	[K_INCOLLECTION] = {"incollection",
	                    N_AUTHOR | N_EDITOR | N_TITLE | N_CONTAINER, NULL},
	[K_REPORT] = {"report", N_AUTHOR | N_TITLE | N_PUBLISHER, "techreport"},
	[K_THESIS] = {"thesis", N_AUTHOR | N_TITLE | N_PUBLISHER, "phdthesis"},
	[K_MISC] = {"misc", 0, NULL},
	[K_ONLINE] = {"online", N_TITLE, NULL},
};

/* Where a field's value comes from. */
enum source {
	S_AUTHORS,   /* "Family, Given and ..." */
	S_KEY,       /* with no author: the title's first words (BibTeX's key) */
	S_TITLE,     /* the title, case-protected */
	S_CONTAINER, /* pb_venue_proceedings_title(), case-protected */
	S_SHORT,     /* the venue's short name beside its name (shortjournal) */
	S_EVENT,     /* pb_venue_event_title(), case-protected */
	S_YEAR,      /* the venue's year, its date's, else the arXiv id's */
	S_MONTH,     /* the month of the venue's date, as a macro: apr */
	S_DAYDATE,   /* the venue's date when it has a day (BibTeX) */
	S_DATE,      /* the venue's date, else its year (BibLaTeX) */
	S_LOCATION,  /* the venue's location */
	S_PUBLISHER, /* the venue's publisher */
	S_SUBTYPE,   /* biblatex's type of a report or thesis */
	S_EXTRAS,    /* extra fields that have a field (extra_fields below) */
	S_VARS,      /* CSL variables that have a field (var_fields below) */
	S_PEOPLE,    /* names of roles but author (role_fields below) */
	S_EPRINT,    /* the arXiv id */
	S_EPRINTTYPE, /* "arXiv" beside it */
	S_TEXT,      /* a string field as text */
	S_URL,       /* the forum page, else the PDF */
	S_NOTE,      /* the note, and the code link when code = note */
	S_ADDENDUM,  /* the code link when code = addendum */
	S_ANNOTE,    /* the annotation, and what has no field of its own */
	S_KEYWORDS   /* "a, b, c" */
};

/* A field of a dialect: its name, where its value comes from, and the
 * entry kinds that have it. A value whose source has no field in an
 * entry's kind goes to annote (see annote_value). */
typedef struct field_map {
	const char *name;
	enum source src;
	pb_field field; /* for S_TEXT */
	unsigned kinds;
	const char *label;
	unsigned mode; /* 0: every record; M_LIST or M_FULL: only those */
} field_map;

/* Records a field is for: a paper list's (no variables, no other names,
 * origin LIST: written as they always were, see tests/golden), or a
 * full record's (from BibTeX, RIS, CSL-JSON, or with CSL variables). */
enum { M_LIST = 1u, M_FULL = 2u };

/* Field order of each dialect. The venue's location is the place of the
 * conference: address in BibTeX (btxdoc), venue in BibLaTeX (location
 * would be the publisher's, and is where the other kinds have it). A
 * @misc names its venue in howpublished, with the short name and year
 * (the event title). Fields that BibTeX styles do not print (eventtitle,
 * date, shortjournal, eprint) are there for Zotero, biber and readers. */
static const field_map bibtex_fields[] = {
	{"author", S_AUTHORS, 0, K_ALL, NULL, 0},
	{"key", S_KEY, 0, K_ALL, NULL, 0},
	{"", S_PEOPLE, 0, K_ALL, NULL, M_FULL},
	{"title", S_TITLE, 0, K_ALL, NULL, 0},
	{"booktitle", S_CONTAINER, 0, K_INPROC | K_INCOLL, "Venue", 0},
	{"journal", S_CONTAINER, 0, K_ART, "Venue", 0},
	{"shortjournal", S_SHORT, 0, K_ART, NULL, 0},
	{"howpublished", S_EVENT, 0, K_MSC | K_ONL, NULL, M_LIST},
	{"eventtitle", S_EVENT, 0, K_INPROC, NULL, M_LIST},
	{"year", S_YEAR, 0, K_ALL, NULL, 0},
	{"month", S_MONTH, 0, K_ALL, NULL, 0},
	{"date", S_DAYDATE, 0, K_ALL, NULL, 0},
	{"address", S_LOCATION, 0, K_ALL, "Location", 0},
	{"publisher", S_PUBLISHER, 0, K_ALL & ~(K_REP | K_THES), "Publisher",
	 M_LIST},
	{"publisher", S_PUBLISHER, 0, K_ALL & ~(K_REP | K_THES | K_MSC | K_ONL),
	 "Publisher", M_FULL},
	{"howpublished", S_PUBLISHER, 0, K_MSC | K_ONL, "Publisher", M_FULL},
	{"institution", S_PUBLISHER, 0, K_REP, "Publisher", 0},
	{"school", S_PUBLISHER, 0, K_THES, "Publisher", 0},
	{"", S_VARS, 0, K_ALL, NULL, M_FULL},
	{"", S_EXTRAS, 0, K_ALL, NULL, 0},
	{"eprint", S_EPRINT, 0, K_ALL, NULL, 0},
	{"archivePrefix", S_EPRINTTYPE, 0, K_ALL, NULL, 0},
	{"url", S_URL, 0, K_ALL, NULL, 0},
	{"note", S_NOTE, 0, K_ALL, NULL, 0},
	{"annote", S_ANNOTE, 0, K_ALL, NULL, 0},
	{"abstract", S_TEXT, PB_F_ABSTRACT, K_ALL, NULL, 0},
	{"keywords", S_KEYWORDS, 0, K_ALL, NULL, 0},
	{NULL, 0, 0, 0, NULL, 0},
};

static const field_map biblatex_fields[] = {
	{"author", S_AUTHORS, 0, K_ALL, NULL, 0},
	{"", S_PEOPLE, 0, K_ALL, NULL, M_FULL},
	{"title", S_TITLE, 0, K_ALL, NULL, 0},
	{"booktitle", S_CONTAINER, 0, K_INPROC | K_INCOLL, "Venue", 0},
	{"journaltitle", S_CONTAINER, 0, K_ART, "Venue", 0},
	{"shortjournal", S_SHORT, 0, K_ART, NULL, M_LIST},
	{"shortjournal", S_SHORT, 0, K_ALL, NULL, M_FULL},
	{"howpublished", S_EVENT, 0, K_MSC, NULL, M_LIST},
	{"eventtitle", S_EVENT, 0, K_INPROC, NULL, M_LIST},
	{"venue", S_LOCATION, 0, K_INPROC, "Location", M_LIST},
	{"location", S_LOCATION, 0, K_BK | K_INCOLL | K_REP | K_THES | K_MSC,
	 "Location", M_LIST},
	{"location", S_LOCATION, 0, K_ALL, "Location", M_FULL},
	{"date", S_DATE, 0, K_ALL, NULL, 0},
	{"publisher", S_PUBLISHER, 0, K_INPROC | K_BK | K_INCOLL, "Publisher",
	 0},
	{"institution", S_PUBLISHER, 0, K_REP | K_THES, "Publisher", 0},
	{"organization", S_PUBLISHER, 0, K_MSC | K_ONL, "Publisher", M_LIST},
	{"howpublished", S_PUBLISHER, 0, K_MSC, "Publisher", M_FULL},
	{"organization", S_PUBLISHER, 0, K_ONL, "Publisher", M_FULL},
	{"type", S_SUBTYPE, 0, K_REP | K_THES, NULL, 0},
	{"", S_VARS, 0, K_ALL, NULL, M_FULL},
	{"", S_EXTRAS, 0, K_ALL, NULL, 0},
	{"eprint", S_EPRINT, 0, K_ALL, NULL, 0},
	{"eprinttype", S_EPRINTTYPE, 0, K_ALL, NULL, 0},
	{"url", S_URL, 0, K_ALL, NULL, 0},
	{"note", S_NOTE, 0, K_ALL, NULL, 0},
	{"addendum", S_ADDENDUM, 0, K_ALL, NULL, 0},
	{"annote", S_ANNOTE, 0, K_ALL, NULL, 0},
	{"abstract", S_TEXT, PB_F_ABSTRACT, K_ALL, NULL, 0},
	{"keywords", S_KEYWORDS, 0, K_ALL, NULL, 0},
	{NULL, 0, 0, 0, NULL, 0},
};

/* Extra fields (pb_record.extra: fields a reader found no slot for)
 * written as fields of their own: the extra's name (ASCII case-
 * insensitive, as the BibTeX, RIS and CSL-JSON readers name them), then
 * the field and the kinds that have it in each dialect (btxdoc's fields,
 * and the fields plainnat, biber and Zotero read; biblatex's data model).
 * Any other extra, or one whose field the entry lacks or already has,
 * goes to annote as "Name: value". */
enum {
	X_NAMES = 1u << 0,    /* a name list: repeated extras join with "and" */
	X_VERBATIM = 1u << 1, /* an identifier: written as it is when plain */
	X_ANNOTE = 1u << 2    /* the annotation: the first lines of annote */
};

typedef struct extra_field {
	const char *key;
	const char *bibtex;
	unsigned bibtex_kinds;
	const char *biblatex;
	unsigned biblatex_kinds;
	unsigned flags;
} extra_field;

#define K_PARTS (K_INPROC | K_ART | K_BK | K_INCOLL)
static const extra_field extra_fields[] = {
	{"doi", "doi", K_ALL, "doi", K_ALL, X_VERBATIM},
	{"eprint", "eprint", K_ALL, "eprint", K_ALL, X_VERBATIM},
	{"archiveprefix", "archivePrefix", K_ALL, "eprinttype", K_ALL, 0},
	{"eprinttype", "archivePrefix", K_ALL, "eprinttype", K_ALL, 0},
	{"primaryclass", "primaryClass", K_ALL, "eprintclass", K_ALL, 0},
	{"eprintclass", "primaryClass", K_ALL, "eprintclass", K_ALL, 0},
	{"editor", "editor", K_INPROC | K_BK | K_INCOLL, "editor",
	 K_PARTS | K_MSC | K_ONL, X_NAMES},
	{"translator", NULL, 0, "translator", K_ART | K_BK | K_INCOLL, X_NAMES},
	{"volume", "volume", K_PARTS, "volume", K_PARTS, 0},
	{"number", "number", K_PARTS | K_REP, "number", K_PARTS | K_REP, 0},
	{"issue", "number", K_ART, "issue", K_ART, 0},
	{"pages", "pages", K_PARTS, "pages", K_PARTS | K_REP | K_THES, 0},
	{"page", "pages", K_PARTS, "pages", K_PARTS | K_REP | K_THES, 0},
	{"series", "series", K_INPROC | K_BK | K_INCOLL, "series", K_PARTS, 0},
	{"edition", "edition", K_BK | K_INCOLL, "edition", K_BK | K_INCOLL, 0},
	{"chapter", "chapter", K_INCOLL, "chapter",
	 K_BK | K_INCOLL | K_INPROC | K_REP | K_THES, 0},
	{"isbn", "isbn", K_ALL, "isbn", K_BK | K_INCOLL | K_INPROC, 0},
	{"issn", "issn", K_ALL, "issn", K_ART, 0},
	{"institution", "institution", K_REP, "institution", K_REP | K_THES, 0},
	{"school", "school", K_THES, "institution", K_THES, 0},
	{"organization", "organization", K_INPROC | K_MSC, "organization",
	 K_INPROC | K_MSC | K_ONL, 0},
	{"howpublished", "howpublished", K_MSC, "howpublished", K_MSC, 0},
	{"type", "type", K_REP | K_THES | K_INCOLL, "type",
	 K_REP | K_THES | K_MSC, 0},
	{"language", "language", K_ALL, "language", K_ALL, 0},
	{"shorttitle", "shorttitle", K_ALL, "shorttitle", K_ALL, 0},
	{"subtitle", NULL, 0, "subtitle", K_ALL, 0},
	{"version", NULL, 0, "version", K_ART | K_REP | K_MSC | K_ONL, 0},
	{"pubstate", NULL, 0, "pubstate", K_ALL, 0},
	/* annote in BibLaTeX too: biber reads it as annotation, and Zotero's
	 * BibTeX import reads annote (a child note), not annotation */
	{"annote", "annote", K_ALL, "annote", K_ALL, X_ANNOTE},
	{"annotation", "annote", K_ALL, "annote", K_ALL, X_ANNOTE},
};
#undef K_PARTS

/* The entry type of every CSL item type in each dialect, and the kind
 * (which fields the entry has). alt: a chapter with its own container
 * author or with no container title is a part of a book, @inbook. A
 * thesis's BibTeX type follows its genre (genre_fields). BibTeX has
 * only btxdoc's types; biblatex's are its manual's, non-standard ones
 * included (legislation, jurisdiction, movie, ...): biber reads them and
 * they read back as their CSL type, though its data model check warns
 * that blx-dm.def gives them no fields. */
typedef struct type_field {
	enum kind kind;
	const char *bibtex, *biblatex;
	const char *bibtex_alt, *biblatex_alt;
} type_field;

static const type_field type_fields[PB_TYPE_COUNT] = {
	[PB_TYPE_PAPER_CONFERENCE] = {K_INPROCEEDINGS, "inproceedings",
	                              "inproceedings", NULL, NULL},
	[PB_TYPE_ARTICLE] = {K_ARTICLE, "article", "article", NULL, NULL},
	[PB_TYPE_BOOK] = {K_BOOK, "book", "book", NULL, NULL},
	[PB_TYPE_CHAPTER] = {K_INCOLLECTION, "incollection", "incollection",
	                     "inbook", "inbook"},
	[PB_TYPE_REPORT] = {K_REPORT, "techreport", "report", NULL, NULL},
	[PB_TYPE_THESIS] = {K_THESIS, "phdthesis", "thesis", NULL, NULL},
	[PB_TYPE_MISC] = {K_MISC, "misc", "misc", NULL, NULL},
	[PB_TYPE_ARTICLE_PLAIN] = {K_MISC, "misc", "online", NULL, NULL},
	[PB_TYPE_ARTICLE_MAGAZINE] = {K_ARTICLE, "article", "article", NULL,
	                              NULL},
	[PB_TYPE_ARTICLE_NEWSPAPER] = {K_ARTICLE, "article", "article", NULL,
	                               NULL},
	[PB_TYPE_BILL] = {K_MISC, "misc", "legislation", NULL, NULL},
	[PB_TYPE_BROADCAST] = {K_MISC, "misc", "video", NULL, NULL},
	[PB_TYPE_CLASSIC] = {K_BOOK, "book", "book", NULL, NULL},
	[PB_TYPE_COLLECTION] = {K_BOOK, "book", "collection", NULL, NULL},
	[PB_TYPE_DATASET] = {K_MISC, "misc", "dataset", NULL, NULL},
	[PB_TYPE_ENTRY] = {K_INCOLLECTION, "incollection", "inreference", NULL,
	                   NULL},
	[PB_TYPE_ENTRY_DICTIONARY] = {K_INCOLLECTION, "incollection",
	                              "inreference", NULL, NULL},
	[PB_TYPE_ENTRY_ENCYCLOPEDIA] = {K_INCOLLECTION, "incollection",
	                                "inreference", NULL, NULL},
	[PB_TYPE_EVENT] = {K_MISC, "misc", "misc", NULL, NULL},
	[PB_TYPE_FIGURE] = {K_MISC, "misc", "image", NULL, NULL},
	[PB_TYPE_GRAPHIC] = {K_MISC, "misc", "artwork", NULL, NULL},
	[PB_TYPE_HEARING] = {K_MISC, "misc", "misc", NULL, NULL},
	[PB_TYPE_INTERVIEW] = {K_MISC, "misc", "misc", NULL, NULL},
	[PB_TYPE_LEGAL_CASE] = {K_MISC, "misc", "jurisdiction", NULL, NULL},
	[PB_TYPE_LEGISLATION] = {K_MISC, "misc", "legislation", NULL, NULL},
	[PB_TYPE_MANUSCRIPT] = {K_MISC, "unpublished", "unpublished", NULL,
	                        NULL},
	[PB_TYPE_MAP] = {K_MISC, "misc", "misc", NULL, NULL},
	[PB_TYPE_MOTION_PICTURE] = {K_MISC, "misc", "movie", NULL, NULL},
	[PB_TYPE_MUSICAL_SCORE] = {K_MISC, "misc", "music", NULL, NULL},
	[PB_TYPE_PAMPHLET] = {K_MISC, "booklet", "booklet", NULL, NULL},
	[PB_TYPE_PATENT] = {K_MISC, "misc", "patent", NULL, NULL},
	[PB_TYPE_PERFORMANCE] = {K_MISC, "misc", "performance", NULL, NULL},
	[PB_TYPE_PERIODICAL] = {K_MISC, "misc", "periodical", NULL, NULL},
	[PB_TYPE_PERSONAL_COMMUNICATION] = {K_MISC, "misc", "letter", NULL,
	                                    NULL},
	[PB_TYPE_POST] = {K_ONLINE, "misc", "online", NULL, NULL},
	[PB_TYPE_POST_WEBLOG] = {K_ONLINE, "misc", "online", NULL, NULL},
	[PB_TYPE_REGULATION] = {K_MISC, "misc", "legislation", NULL, NULL},
	[PB_TYPE_REVIEW] = {K_ARTICLE, "article", "review", NULL, NULL},
	[PB_TYPE_REVIEW_BOOK] = {K_ARTICLE, "article", "review", NULL, NULL},
	[PB_TYPE_SOFTWARE] = {K_MISC, "misc", "software", NULL, NULL},
	[PB_TYPE_SONG] = {K_MISC, "misc", "audio", NULL, NULL},
	[PB_TYPE_SPEECH] = {K_MISC, "misc", "misc", NULL, NULL},
	[PB_TYPE_STANDARD] = {K_MISC, "misc", "standard", NULL, NULL},
	[PB_TYPE_TREATY] = {K_MISC, "misc", "legal", NULL, NULL},
	[PB_TYPE_WEBPAGE] = {K_ONLINE, "misc", "online", NULL, NULL},
};

/* A genre (CSL's, as the BibTeX reader makes it from biblatex's type
 * field) and biblatex's localisation key for it (english.lbx), which
 * biblatex writes in type; bibtex: the BibTeX entry type that says it
 * already (then no type field), for a thesis the type to write. */
static const struct genre_field {
	const char *genre, *key, *bibtex;
} genre_fields[] = {
	{"PhD thesis", "phdthesis", "phdthesis"},
	{"Master\xE2\x80\x99s thesis", "mathesis", "mastersthesis"},
	{"Master's thesis", "mathesis", "mastersthesis"},
	{"Masters thesis", "mathesis", "mastersthesis"},
	{"Candidate thesis", "candthesis", NULL},
	{"technical report", "techreport", "techreport"},
	{"research report", "resreport", NULL},
	{"computer software", "software", NULL},
	{"CD-ROM", "datacd", NULL},
	{"audio CD", "audiocd", NULL},
	{"patent", "patent", NULL},
	{"U.S. patent", "patentus", NULL},
	{"British patent", "patentuk", NULL},
	{"German patent", "patentde", NULL},
	{"European patent", "patenteu", NULL},
	{"French patent", "patentfr", NULL},
};

/* CSL variables (pb_record.vars) and their fields in each dialect (NULL:
 * none, the value goes to annote as "variable: value"), in the order
 * they are written. biblatex's fields follow its data model, as biber
 * reads them (issue as number, as biber and pandoc write an issue
 * number); BibTeX's are btxdoc's and those plainnat, natbib and Zotero
 * read (doi, isbn, issn, urldate, shorttitle, language, eventtitle).
 * alt: biblatex's field when the first is taken (an issue beside a
 * number). covered: BibTeX fields of a BibTeX-origin record that hold
 * the value already (volume-title from maintitle or issuetitle). A
 * variable not listed goes to annote in both dialects. */
enum {
	V_PAGES = 1u << 0,    /* "1-10" as "1--10" */
	V_VERBATIM = 1u << 1, /* an identifier: as it is when plain */
	V_DATE = 1u << 2,     /* a date: EDTF, as biber reads it */
	V_GENRE = 1u << 3,    /* biblatex's key for the genre (genre_fields) */
	V_SKIP = 1u << 4,     /* written elsewhere (issued: year, date) */
	V_TYPED = 1u << 5,    /* biblatex: only where the data model has type
	                       * (report, thesis, misc, online) */
	V_ISSUE = 1u << 6,    /* number: only an article's (its issue) */
	V_SERIES = 1u << 7,   /* number: only a book's, a chapter's or a
	                       * paper's (its number in the series) */
	V_NUMBER = 1u << 8    /* number: only of other entries (a report's) */
};

typedef struct var_field {
	const char *var;
	const char *bibtex, *biblatex, *alt;
	unsigned flags;
	const char *covered;
} var_field;

static const var_field var_fields[] = {
	{"issued", NULL, NULL, NULL, V_SKIP, NULL},
	{"title-short", "shorttitle", "shorttitle", NULL, 0, NULL},
	{"original-title", NULL, "origtitle", NULL, 0, NULL},
	{"volume-title", NULL, NULL, NULL, 0, "maintitle issuetitle"},
	{"edition", "edition", "edition", NULL, 0, NULL},
	{"volume", "volume", "volume", NULL, 0, NULL},
	{"number-of-volumes", NULL, "volumes", NULL, 0, NULL},
	{"collection-title", "series", "series", NULL, 0, NULL},
	{"collection-number", "number", "number", NULL, V_SERIES, NULL},
	{"issue", "number", "number", "issue", V_ISSUE, NULL},
	{"number", "number", "number", NULL, V_NUMBER, NULL},
	{"chapter-number", "chapter", "chapter", NULL, 0, NULL},
	{"page", "pages", "pages", NULL, V_PAGES, NULL},
	{"number-of-pages", NULL, "pagetotal", NULL, 0, NULL},
	{"genre", "type", "type", NULL, V_GENRE | V_TYPED, NULL},
	{"event-title", "eventtitle", "eventtitle", NULL, 0, NULL},
	{"event-place", NULL, "venue", NULL, 0, NULL},
	{"event-date", NULL, "eventdate", NULL, V_DATE, NULL},
	{"original-date", NULL, "origdate", NULL, V_DATE, NULL},
	{"original-publisher", NULL, "origpublisher", NULL, 0, NULL},
	{"original-publisher-place", NULL, "origlocation", NULL, 0, NULL},
	{"accessed", "urldate", "urldate", NULL, V_DATE, NULL},
	{"language", "language", "language", NULL, 0, NULL},
	{"version", NULL, "version", NULL, 0, NULL},
	{"status", NULL, "pubstate", NULL, 0, NULL},
	{"DOI", "doi", "doi", NULL, V_VERBATIM, NULL},
	{"ISBN", "isbn", "isbn", NULL, V_VERBATIM, NULL},
	{"ISSN", "issn", "issn", NULL, V_VERBATIM, NULL},
};

/* Name roles but author (pb_record.people) and their fields: NULL goes
 * to annote as "role: Family || Given" lines (Zotero's Extra); BibTeX
 * has editor only. editortype: a biblatex role with no field of its own
 * goes to editora, editorb, editorc with editoratype (its type as
 * biblatex names it). */
static const struct role_field {
	const char *role;
	const char *bibtex, *biblatex, *editortype;
	unsigned biblatex_kinds; /* the kinds whose entry has the field */
} role_fields[] = {
	{"editor", "editor", "editor", NULL, K_ALL},
	{"translator", NULL, "translator", NULL, K_ALL},
	{"container-author", NULL, "bookauthor", NULL, K_ALL},
	{"compiler", NULL, NULL, "compiler", K_ALL},
	{"director", NULL, NULL, "director", K_ALL},
	{"organizer", NULL, NULL, "organizer", K_ALL},
	{"contributor", NULL, NULL, "collaborator", K_ALL},
};

/* biblatex's editors with a type, in the order they are filled. */
static const char *const editor_slots[][2] = {
	{"editora", "editoratype"},
	{"editorb", "editorbtype"},
	{"editorc", "editorctype"},
};

/* Extra fields of a BibTeX-origin record that BibTeX's title fields hold
 * already: the reader joins them into the title ("Title: Subtitle") or
 * the container's; BibLaTeX writes them apart. */
static const char *const joined_parts[] = {
	"subtitle", "titleaddon", "booksubtitle", "booktitleaddon",
	"journalsubtitle",
};

/* Rich text (CSL's markup) and its LaTeX; a nocase span is braced. */
static const struct rich_tag {
	const char *open;
	const char *latex;
} rich_tags[] = {
	{"<i>", "\\textit{"},
	{"<b>", "\\textbf{"},
	{"<sc>", "\\textsc{"},
	{"<sup>", "\\textsuperscript{"},
	{"<sub>", "\\textsubscript{"},
	{"<span class=\"nocase\">", "{"},
};
static const char *const rich_closers[] = {"</i>", "</b>", "</sc>",
                                           "</sup>", "</sub>", "</span>"};

/* BibTeX's month macros, January first. */
static const char *const months[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

/* Words a key of a BibTeX entry with no author does not start with. */
static const char *const key_skip_words[] = {
	"a", "an", "the", "on", "of", "in", "towards", "toward",
};

/* Field names are padded to this width, so the '=' signs line up. */
#define NAME_WIDTH 10

/* Characters that would end or break a citation key. */
static const char bad_key_chars[] = ",{}()=\"#%'\\";

/* Characters of an identifier written as it is (X_VERBATIM): those that
 * are plain text to LaTeX and to biber's verbatim fields. BibLaTeX's
 * doi and eprint are verbatim, so "_" is plain there too. */
static const char verbatim_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	"./:;()<>+-";

typedef struct dialect {
	const char *section; /* the INI section: the format's name */
	const char *name;    /* for messages */
	const field_map *fields;
	const entry_type *types;
	int biblatex;
} dialect;

static const dialect bibtex_dialect = {"bibtex", "BibTeX", bibtex_fields,
                                       bibtex_types, 0};
static const dialect biblatex_dialect = {"biblatex", "BibLaTeX",
                                         biblatex_fields, biblatex_types, 1};

/* A venue title escaped, for the venue strings in m's key: the records
 * of a list mostly share their venue, so its title is built and its case
 * protection (the dearest escaping) runs once. */
typedef struct memo {
	pb_memo m;              /* key: the venue's strings; val: escaped */
	pb_latex_report report; /* what escaping reported */
} memo;

/* Options read once, in begin. */
typedef struct bib_state {
	const dialect *d;
	unsigned flags;        /* PB_LATEX_ASCII or 0 */
	pb_latex_escaper *esc; /* holds the protect list, parsed once */
	const char *code;      /* "note", "addendum" or "none" */
	int abstract;
	pb_buf entry, value, tmp, url, item, strip, seg;
	unsigned char *lost; /* per variable, then per person: to annote */
	size_t lost_cap;
	memo container, event; /* for S_CONTAINER and S_EVENT */
	pb_strset reported;    /* annote labels already named in a warning */
} bib_state;

static const dialect *dialect_of(const pb_writer *w);

static int bib_begin(pb_writer *w)
{
	if (w->state)
		return PB_OK;
	bib_state *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	st->d = dialect_of(w);
	const char *sec = st->d->section;
	const char *enc = pb_config_get(w->config, sec, "encoding");
	st->flags = enc && strcmp(enc, "latex") == 0 ? PB_LATEX_ASCII : 0;
	st->esc = pb_latex_escaper_new(pb_config_get(w->config, sec, "protect"));
	if (!st->esc) {
		free(st);
		return PB_ENOMEM;
	}
	st->code = pb_config_get(w->config, sec, "code");
	if (!st->code)
		st->code = "note";
	st->abstract = pb_config_get_bool(w->config, sec, "abstract", 1);
	w->state = st;
	return PB_OK;
}

static void bib_free(pb_writer *w)
{
	bib_state *st = w->state;
	if (!st)
		return;
	pb_buf_free(&st->entry);
	pb_buf_free(&st->value);
	pb_buf_free(&st->tmp);
	pb_buf_free(&st->url);
	pb_buf_free(&st->item);
	pb_buf_free(&st->strip);
	pb_buf_free(&st->seg);
	free(st->lost);
	pb_memo_free(&st->container.m);
	pb_memo_free(&st->event.m);
	pb_strset_free(&st->reported);
	pb_latex_escaper_free(st->esc);
	free(st);
	w->state = NULL;
}

/* Fields written before the extras, so that no extra repeats one. */
#define MAX_NAMES 32

/* One entry being built. */
typedef struct ctx {
	bib_state *st;
	const pb_writer *w;
	const pb_record *r;
	pb_latex_report report; /* unmapped characters over the whole entry */
	enum kind kind;
	const char *year;          /* the year written, "" when none */
	char year_buf[16];         /* a year of a date or an arXiv id */
	char arxiv[PB_IDENT_MAX];  /* the record's arXiv id, "" when none */
	int has_author;            /* an author was written */
	const char *names[MAX_NAMES]; /* fields written */
	size_t n_names, n_before_extras;
	char unmapped[96]; /* fields holding characters with no LaTeX form */
	int full;                /* a full record (M_FULL), not a paper list's */
	const char *type_name;   /* the entry type written */
	unsigned char *var_lost; /* per r->vars: goes to annote */
	unsigned char *person_lost; /* per r->people: goes to annote */
} ctx;

/* Only a BibTeX file's LaTeX is the user's own (see pb_origin). */
static unsigned trust(const pb_record *r)
{
	return r->origin == PB_ORIGIN_BIBTEX ? PB_LATEX_PASS : PB_LATEX_UNTRUSTED;
}

static int text(ctx *c, pb_buf *out, const char *s, unsigned extra)
{
	return pb_latex_escape(c->st->esc, out, s,
	                       c->st->flags | trust(c->r) | extra, &c->report);
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* One run of text between rich-text tags: escaped, with one space kept
 * at either end where the run had white space inside the text (the
 * escaper trims a value's ends). */
static int rich_run(ctx *c, pb_buf *out, const char *a, const char *b,
                    int at_start, int at_end, unsigned flags)
{
	if (a == b)
		return PB_OK;
	pb_buf *seg = &c->st->seg;
	pb_buf_reset(seg);
	if (pb_buf_append(seg, a, (size_t)(b - a)) || !pb_buf_cstr(seg))
		return PB_ENOMEM;
	const char *p = seg->data;
	while (*p && is_blank(*p))
		p++;
	if (!*p)
		return at_start || at_end ? PB_OK : pb_buf_putc(out, ' ');
	if (!at_start && is_blank(seg->data[0]) && pb_buf_putc(out, ' '))
		return PB_ENOMEM;
	if (text(c, out, seg->data, flags))
		return PB_ENOMEM;
	if (!at_end && is_blank(seg->data[seg->len - 1]) &&
	    pb_buf_putc(out, ' '))
		return PB_ENOMEM;
	return PB_OK;
}

/* Tags nest as deep as the BibTeX reader's rich text can (a BibTeX file
 * written again keeps them); deeper ones (CSL-JSON has no limit) are
 * dropped, their text kept, rather than written as text ("<i>"). */
#define RICH_DEPTH PB_LATEX_MAX_DEPTH

/* Text with CSL rich text (<i>, <b>, <sc>, <sup>, <sub>, nocase spans:
 * rich_tags) as LaTeX: \textit{...}, {...}. A tag that is not one of
 * them, or a closing tag that closes nothing open, is text; tags left
 * open are closed at the end, tags nested deeper than RICH_DEPTH
 * dropped. A paper list's text has no markup: it is
 * escaped as it always was. Inside a nocase span, nothing more is
 * braced for case. */
static int rich(ctx *c, pb_buf *out, const char *s, unsigned flags)
{
	/* a full record's titles keep the braces their source gave them
	 * (nocase spans), and no others: they come back as they were */
	if (c->full)
		flags &= ~(unsigned)PB_LATEX_TITLE;
	if (c->r->origin == PB_ORIGIN_LIST || !strchr(s, '<'))
		return text(c, out, s, flags);
	size_t n_tags = sizeof rich_tags / sizeof rich_tags[0];
	unsigned char stack[RICH_DEPTH];
	size_t depth = 0, nocase = 0;
	size_t over = 0; /* tags open beyond RICH_DEPTH, dropped */
	const char *start = s, *p = s;
	while (*p) {
		size_t len = 0, t;
		int open = 0;
		if (*p == '<') {
			for (t = 0; t < n_tags && !len; t++)
				if (strncmp(p, rich_tags[t].open,
				            strlen(rich_tags[t].open)) == 0) {
					len = strlen(rich_tags[t].open);
					open = 1;
					break;
				}
			/* past the stack, which closer is whose is unknown:
			 * any closes the innermost dropped tag */
			for (size_t u = 0; !len && over > 0 && u < n_tags; u++)
				if (strncmp(p, rich_closers[u],
				            strlen(rich_closers[u])) == 0)
					len = strlen(rich_closers[u]);
			if (!len && depth > 0) {
				t = stack[depth - 1];
				if (strncmp(p, rich_closers[t], strlen(rich_closers[t])) ==
				    0)
					len = strlen(rich_closers[t]);
			}
		}
		if (!len) {
			p++;
			continue;
		}
		unsigned f = nocase ? flags & ~(unsigned)PB_LATEX_TITLE : flags;
		if (rich_run(c, out, start, p, start == s, 0, f))
			return PB_ENOMEM;
		if (open && depth == RICH_DEPTH) {
			over++;
		} else if (open) {
			stack[depth++] = (unsigned char)t;
			nocase += t + 1 == n_tags;
			if (pb_buf_puts(out, rich_tags[t].latex))
				return PB_ENOMEM;
		} else if (over > 0) {
			over--;
		} else {
			nocase -= (size_t)stack[--depth] + 1 == n_tags;
			if (pb_buf_putc(out, '}'))
				return PB_ENOMEM;
		}
		p += len;
		start = p;
	}
	unsigned f = nocase ? flags & ~(unsigned)PB_LATEX_TITLE : flags;
	if (rich_run(c, out, start, p, start == s, 1, f))
		return PB_ENOMEM;
	while (depth > 0) {
		depth--;
		if (pb_buf_putc(out, '}'))
			return PB_ENOMEM;
	}
	return PB_OK;
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static int same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static int is_hex(int ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

/* A URL in a form equivalent to it under RFC 3986 that bibtex, biber,
 * LaTeX's \url and Zotero's BibTeX import all read back as it is, into
 * out. Percent-encoded:
 *  - what RFC 3986 does not allow in a URI (spaces and controls, "<>\^`{|}
 *    and non-ASCII bytes, so UTF-8 as an IRI maps to a URI), a % that
 *    starts no %XX, and a second #: none of it can then reach LaTeX as a
 *    command, a group or a comment;
 *  - ~ (%7E: unreserved, so equivalent), which Zotero reads as a no-break
 *    space and then a space, and $, a math shift to TeX;
 *  - one character of each sequence that Zotero's BibTeX.js turns into
 *    another character in every field (its reversemappingTable, applied
 *    by unescapeBibTeX): "--" and "---" (dashes), "TEL" (a telephone
 *    sign), "''", "!!", "?!" and "!?". Where the character is reserved
 *    (! and ') it is one that no http URL uses as a delimiter.
 * tests/zotero_bibtex.py applies the translator's steps to the output. */
static int url_form(pb_buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char unsafe[] = "\"<>\\^`{|}~$";
	const unsigned char *p = (const unsigned char *)url;
	int fragment = 0;
	unsigned char prev = 0; /* the last byte written as it is */
	for (; *p; p++) {
		unsigned char ch = *p;
		int enc = ch <= 0x20 || ch >= 0x7F || strchr(unsafe, ch);
		if (ch == '%')
			enc = !(is_hex(p[1]) && is_hex(p[2]));
		else if (ch == '#')
			enc = fragment++ > 0;
		else if (ch == '-')
			enc = prev == '-';
		else if (ch == 'T')
			enc = p[1] == 'E' && p[2] == 'L';
		else if (ch == '\'')
			enc = prev == '\'';
		else if (ch == '!')
			enc = prev == '!' || prev == '?' || p[1] == '?';
		if (enc) {
			char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
			if (pb_buf_append(out, e, 3))
				return PB_ENOMEM;
			prev = 0;
		} else {
			if (pb_buf_putc(out, (char)ch))
				return PB_ENOMEM;
			prev = ch;
		}
	}
	return PB_OK;
}

/* A URL for a url field (in_text == 0) or for \url{} in a text field. */
static int url_value(ctx *c, pb_buf *out, const char *url, int in_text)
{
	pb_buf *u = &c->st->url;
	pb_buf_reset(u);
	if (url_form(u, url) || !pb_buf_cstr(u))
		return PB_ENOMEM;
	return pb_latex_url(out, u->data, in_text);
}

/* text(title(v), PB_LATEX_TITLE) through the memo m: the same output
 * and report as building and escaping the title again, which happens
 * only when the venue's strings differ from the last record's. */
static int memo_title(ctx *c, memo *m, pb_buf *out, const pb_venue *v,
                      int (*title)(const pb_venue *, pb_buf *))
{
	unsigned flags = c->st->flags | trust(c->r) | PB_LATEX_TITLE;
	const char *key[] = {v->name, v->short_name, v->year,
	                     flags & PB_LATEX_UNTRUSTED ? "untrusted" : ""};
	if (!pb_memo_hit(&m->m, key, 4)) {
		pb_buf *t = &c->st->tmp;
		pb_latex_report rep = {0, 0};
		pb_buf_reset(t);
		if (pb_memo_set(&m->m, key, 4) || title(v, t) || !pb_buf_cstr(t) ||
		    pb_latex_escape(c->st->esc, &m->m.val, t->data, flags, &rep)) {
			pb_memo_invalidate(&m->m);
			return PB_ENOMEM;
		}
		m->report = rep;
	}
	if (m->report.unmapped > 0) {
		if (c->report.unmapped == 0)
			c->report.first = m->report.first;
		c->report.unmapped += m->report.unmapped;
	}
	return pb_buf_append(out, m->m.val.data, m->m.val.len);
}

/* A name part is braced when BibTeX would split it: a comma, or the word
 * "and". */
static int needs_braces(const char *s)
{
	if (strchr(s, ','))
		return 1;
	for (const char *p = strstr(s, "and"); p; p = strstr(p + 1, "and"))
		if ((p == s || p[-1] == ' ') && (p[3] == ' ' || p[3] == '\0'))
			return 1;
	return 0;
}

static int name_part(ctx *c, pb_buf *out, const char *s)
{
	int brace = needs_braces(s);
	if ((brace && pb_buf_putc(out, '{')) || text(c, out, s, 0) ||
	    (brace && pb_buf_putc(out, '}')))
		return PB_ENOMEM;
	return PB_OK;
}

/* The author's name as authors() writes it: a literal, or a lone given
 * name (which cannot be split); NULL for a name with a family. */
static const char *literal_of(const pb_name *n)
{
	return n->literal ? n->literal : n->family ? NULL : n->given;
}

static int has_author(const pb_record *r)
{
	for (size_t i = 0; i < r->n_authors; i++)
		if (literal_of(&r->authors[i]) || r->authors[i].family)
			return 1;
	return 0;
}

/* One name as BibTeX reads it: "von Last, Jr., First", the dropping
 * particle as the von part before the family ("van Beethoven, Ludwig");
 * an organisation braced; the last "others" as BibTeX's own "and
 * others" (the list goes on). */
static int put_name(ctx *c, pb_buf *out, const pb_name *n, int last)
{
	const char *lit = literal_of(n);
	if (lit && last && strcmp(lit, "others") == 0)
		return pb_buf_puts(out, "others");
	if (lit) /* An organisation: braced, never split or inverted. */
		return pb_buf_putc(out, '{') || text(c, out, lit, 0) ||
		       pb_buf_putc(out, '}');
	return (n->dropping && (name_part(c, out, n->dropping) ||
	                        pb_buf_putc(out, ' '))) ||
	       name_part(c, out, n->family) ||
	       (n->suffix &&
	        (pb_buf_puts(out, ", ") || name_part(c, out, n->suffix))) ||
	       (n->given &&
	        (pb_buf_puts(out, ", ") || name_part(c, out, n->given)));
}

static int authors(ctx *c, pb_buf *out)
{
	const pb_record *r = c->r;
	int first = 1;
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *n = &r->authors[i];
		if (!literal_of(n) && !n->family)
			continue;
		if (!first && pb_buf_puts(out, " and "))
			return PB_ENOMEM;
		first = 0;
		if (put_name(c, out, n, i + 1 == r->n_authors))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* The year of the venue, of its date, else of the record's arXiv id. */
static void find_year(ctx *c)
{
	const pb_venue *v = &c->r->venue;
	c->year = c->year_buf;
	c->year_buf[0] = '\0';
	if (v->year) {
		c->year = v->year; /* whole: a long one is no date to cut */
	} else if (v->date && strspn(v->date, "0123456789") >= 4) {
		memcpy(c->year_buf, v->date, 4);
		c->year_buf[4] = '\0';
	} else if (c->arxiv[0]) {
		int y = pb_arxiv_year(c->arxiv);
		if (y > 0)
			snprintf(c->year_buf, sizeof c->year_buf, "%d", y);
	}
}

/* The month macro of "YYYY-MM[-DD]", or NULL. */
static const char *month_of(const pb_venue *v)
{
	const char *d = v->date;
	if (!d || strlen(d) < 7 || d[4] != '-')
		return NULL;
	int m = (d[5] - '0') * 10 + (d[6] - '0');
	return m >= 1 && m <= 12 ? months[m - 1] : NULL;
}

static int has_container(const pb_record *r)
{
	return r->venue.name || r->venue.short_name;
}

/* What a record has of what entry types need (enum need). */
static unsigned record_has(const ctx *c, enum kind k)
{
	const pb_record *r = c->r;
	unsigned has = 0;
	if (has_author(r) ||
	    (k == K_BOOK && (pb_record_get_extra(r, "editor") ||
	                     pb_record_count_people(r, "editor"))))
		has |= N_AUTHOR;
	if (r->title)
		has |= N_TITLE;
	if (has_container(r))
		has |= N_CONTAINER;
	if (c->year[0])
		has |= N_YEAR;
	if (r->venue.publisher ||
	    (k == K_REPORT && pb_record_get_extra(r, "institution")) ||
	    (k == K_THESIS && (pb_record_get_extra(r, "school") ||
	                       (c->st->d->biblatex &&
	                        pb_record_get_extra(r, "institution")))))
		has |= N_PUBLISHER;
	/* a part of a book with its own author (@inbook) needs none */
	if (pb_record_get_extra(r, "editor") ||
	    pb_record_count_people(r, "editor") ||
	    pb_record_count_people(r, "container-author"))
		has |= N_EDITOR;
	return has;
}

/* The record's kind of work when it has what the entry type needs, else
 * misc; in BibLaTeX, a misc with a link and no venue is @online. */
static enum kind choose_kind(const ctx *c)
{
	const pb_record *r = c->r;
	unsigned t = (unsigned)r->type <= PB_TYPE_MISC ? (unsigned)r->type
	                                                : PB_TYPE_MISC;
	enum kind k = kind_of_type[t];
	if (c->full && (unsigned)r->type < PB_TYPE_COUNT)
		k = type_fields[r->type].kind;
	const entry_type *types = c->st->d->types;
	/* a full record keeps its type: bibtex and biber warn about a
	 * missing field, and the type comes back */
	if ((types[k].need & ~record_has(c, k)) && !c->full)
		k = K_MISC;
	if (k == K_MISC && !c->full && c->st->d->biblatex && !has_container(r) &&
	    (r->url || r->pdf_url || c->arxiv[0] ||
	     pb_record_get_extra(r, "doi")))
		k = K_ONLINE;
	return k;
}

static const struct genre_field *genre_of(const char *genre)
{
	for (size_t i = 0; genre && i < sizeof genre_fields / sizeof genre_fields[0];
	     i++)
		if (strcmp(genre_fields[i].genre, genre) == 0 ||
		    strcmp(genre_fields[i].key, genre) == 0)
			return &genre_fields[i];
	return NULL;
}

/* The entry type's name: a full record's from type_fields when its kind
 * stands (a chapter of a book with its own author, or with no book
 * title, is @inbook; a thesis's BibTeX type follows its genre), else
 * the kind's. */
static const char *type_name(const ctx *c)
{
	const pb_record *r = c->r;
	const entry_type *types = c->st->d->types;
	int blx = c->st->d->biblatex;
	if (!c->full || (unsigned)r->type >= PB_TYPE_COUNT ||
	    type_fields[r->type].kind != c->kind)
		return types[c->kind].type;
	const type_field *t = &type_fields[r->type];
	const char *alt = blx ? t->biblatex_alt : t->bibtex_alt;
	if (alt && (!has_container(r) ||
	            pb_record_count_people(r, "container-author") ||
	            (r->origin == PB_ORIGIN_BIBTEX &&
	             pb_record_get_extra(r, "container-author"))))
		return alt;
	/* biblatex's book needs an author; a book edited is a collection */
	if (blx && c->kind == K_BOOK && r->type == PB_TYPE_BOOK &&
	    !has_author(r) && pb_record_count_people(r, "editor"))
		return "collection";
	const struct genre_field *g = genre_of(pb_record_var(r, "genre"));
	if (!blx && c->kind == K_THESIS && g && g->bibtex)
		return g->bibtex;
	return blx ? t->biblatex : t->bibtex;
}

static int mode_ok(const ctx *c, const field_map *f)
{
	return !f->mode || f->mode == (c->full ? M_FULL : M_LIST);
}

/* Does the entry have a field for values from src? */
static int admitted(const ctx *c, enum source src)
{
	for (const field_map *f = c->st->d->fields; f->name; f++)
		if (f->src == src && (f->kinds & KB(c->kind)) && mode_ok(c, f))
			return 1;
	return 0;
}

/* Has the entry a field of this name already? */
static int taken(const ctx *c, const char *name)
{
	for (size_t i = 0; i < c->n_names; i++)
		if (same_name(c->names[i], name))
			return 1;
	return 0;
}

static int written(const ctx *c, const char *name)
{
	for (size_t i = 0; i < c->n_before_extras; i++)
		if (strcmp(c->names[i], name) == 0)
			return 1;
	return 0;
}

static const extra_field *extra_spec(const char *key)
{
	for (size_t i = 0; i < sizeof extra_fields / sizeof extra_fields[0]; i++)
		if (same_name(extra_fields[i].key, key))
			return &extra_fields[i];
	return NULL;
}

static const char *extra_name(const ctx *c, const extra_field *x,
                              unsigned *kinds)
{
	int blx = c->st->d->biblatex;
	*kinds = blx ? x->biblatex_kinds : x->bibtex_kinds;
	return blx ? x->biblatex : x->bibtex;
}

/* What extra_field_of returns for an extra that an earlier extra of its
 * name list writes, and for the annotation, which annote writes. */
static const char joined[] = "";
static const char annotation[] = "annote";

/* The field the record's extra i is written as, or NULL when it goes to
 * annote as a "Name: value" line: an extra with a field in the entry's
 * kind that no field before it has taken. A name list takes every extra
 * of its name (the later ones give joined). */
static int is_joined_part(const char *key)
{
	for (size_t i = 0; i < sizeof joined_parts / sizeof joined_parts[0]; i++)
		if (same_name(joined_parts[i], key))
			return 1;
	return 0;
}

/* A field name as BibTeX reads one (bibtex's and biber's field names). */
static int field_name_ok(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
	                   "WXYZ0123456789_-:.+")] == '\0';
}

/* Whether the entry's table writes a field named name from the record
 * itself (not from its extras, variables or people). */
static int member_field(const ctx *c, const char *name)
{
	for (const field_map *f = c->st->d->fields; f->name; f++)
		if (f->src != S_EXTRAS && f->src != S_VARS && f->src != S_PEOPLE &&
		    (f->kinds & KB(c->kind)) && same_name(f->name, name))
			return 1;
	return 0;
}

/* The field extra i goes to, before checks against the fields written:
 * its field in extra_fields for the entry's kind; for a BibTeX file's
 * own extra without one, its own name (biber and bibtex ignore fields
 * they do not know, and the next read gives it back). */
static const char *extra_target(const ctx *c, size_t i)
{
	const pb_extra *e = &c->r->extra[i];
	const extra_field *x = extra_spec(e->key);
	unsigned kinds = 0;
	const char *name = x ? extra_name(c, x, &kinds) : NULL;
	if (name && (kinds & KB(c->kind)))
		return name;
	if (c->r->origin != PB_ORIGIN_BIBTEX || !field_name_ok(e->key))
		return NULL;
	/* an annote line a writer made for a CSL variable or role read back
	 * ("number-of-pages: 528"): the dialect's field, else annote again */
	int blx = c->st->d->biblatex;
	const char *f = e->key;
	int found = 0;
	for (size_t k = 0; k < sizeof var_fields / sizeof var_fields[0]; k++)
		if (strcmp(var_fields[k].var, e->key) == 0) {
			f = blx ? var_fields[k].biblatex : var_fields[k].bibtex;
			found = 1;
		}
	for (size_t k = 0; k < sizeof role_fields / sizeof role_fields[0]; k++)
		if (strcmp(role_fields[k].role, e->key) == 0) {
			f = blx ? role_fields[k].biblatex : role_fields[k].bibtex;
			found = 1;
		}
	if (found)
		f = !f ? NULL : strchr(e->key, '-') ? f : e->key;
	else if (pb_csl_var_find(e->key) && strchr(e->key, '-'))
		f = NULL;
	/* a field the entry writes from the record (a second "url" of a
	 * file that repeats it) goes to annote: never a field twice */
	return f && member_field(c, f) ? NULL : f;
}

static const char *extra_field_of(const ctx *c, size_t i)
{
	const pb_extra *e = &c->r->extra[i];
	const extra_field *x = extra_spec(e->key);
	if (x && (x->flags & X_ANNOTE))
		return annotation;
	if (c->r->origin == PB_ORIGIN_BIBTEX &&
	    (strcmp(e->key, "@preamble") == 0 ||
	     (!c->st->d->biblatex && is_joined_part(e->key)) ||
	     (same_name(e->key, "key") && admitted(c, S_KEY))))
		return joined; /* before the entry, in the title, in key */
	const char *name = extra_target(c, i);
	if (!name || written(c, name))
		return NULL;
	for (size_t j = 0; j < i; j++) {
		const char *other = extra_target(c, j);
		if (other && same_name(other, name))
			return x && (x->flags & X_NAMES) &&
			               extra_spec(c->r->extra[j].key) == x
			           ? joined
			           : NULL;
	}
	return name;
}

/* The first words of the title, for the key field of an entry with no
 * author (natbib's label, BibTeX's sort key): the part before a colon
 * when short ("CATER" of "CATER: A diagnostic dataset"), else the first
 * word that is not an article or a preposition. */
/* s without its rich-text tags (rich_tags, rich_closers), into out. */
static int untagged(pb_buf *out, const char *s)
{
	pb_buf_reset(out);
	while (*s) {
		size_t n = 0;
		for (size_t t = 0; !n && t < sizeof rich_tags / sizeof rich_tags[0];
		     t++) {
			size_t o = strlen(rich_tags[t].open);
			size_t e = strlen(rich_closers[t]);
			if (strncmp(s, rich_tags[t].open, o) == 0)
				n = o;
			else if (strncmp(s, rich_closers[t], e) == 0)
				n = e;
		}
		if (n)
			s += n;
		else if (pb_buf_putc(out, *s++))
			return PB_ENOMEM;
	}
	return pb_buf_cstr(out) ? PB_OK : PB_ENOMEM;
}

static int key_words(ctx *c, pb_buf *out)
{
	const char *t = c->r->title;
	if (!t)
		return text(c, out, c->r->key, 0);
	/* a full record's title is rich text: the key sorts by its words */
	if (c->full) {
		if (untagged(&c->st->strip, t))
			return PB_ENOMEM;
		t = c->st->strip.data;
	}
	const char *colon = strchr(t, ':');
	if (colon) {
		int words = 1;
		for (const char *p = t; p < colon; p++)
			words += *p == ' ';
		if (words <= 4 && colon > t) {
			pb_buf *s = &c->st->item;
			pb_buf_reset(s);
			if (pb_buf_append(s, t, (size_t)(colon - t)) || !pb_buf_cstr(s))
				return PB_ENOMEM;
			return text(c, out, s->data, 0);
		}
	}
	const char *w = t;
	for (;;) {
		while (*w == ' ')
			w++;
		size_t n = strcspn(w, " ");
		int skip = 0;
		for (size_t i = 0;
		     i < sizeof key_skip_words / sizeof key_skip_words[0]; i++)
			if (strlen(key_skip_words[i]) == n) {
				size_t j = 0;
				while (j < n && ascii_lower((unsigned char)w[j]) ==
				                    key_skip_words[i][j])
					j++;
				skip |= j == n;
			}
		if (!skip || w[n] == '\0') {
			pb_buf *s = &c->st->item;
			pb_buf_reset(s);
			if (pb_buf_append(s, w, n) || !pb_buf_cstr(s))
				return PB_ENOMEM;
			return text(c, out, s->data, 0);
		}
		w += n;
	}
}

/* Is pdf only another form of url: the same link, url + ".pdf", the PDF
 * of the same OpenReview or arXiv paper? Then it is not lost. */
static int pdf_derivable(const char *url, const char *pdf)
{
	if (!url || strcmp(url, pdf) == 0)
		return 1;
	size_t n = strlen(url);
	if (strncmp(url, pdf, n) == 0 && strcmp(pdf + n, ".pdf") == 0)
		return 1;
	char a[PB_IDENT_MAX], b[PB_IDENT_MAX];
	if (pb_arxiv_id(url, a, sizeof a) && pb_arxiv_id(pdf, b, sizeof b))
		return strcmp(a, b) == 0;
	const char *ou = strstr(url, "openreview.net/");
	const char *op = strstr(pdf, "openreview.net/");
	const char *iu = ou ? strstr(ou, "id=") : NULL;
	const char *ip = op ? strstr(op, "id=") : NULL;
	if (iu && ip) {
		size_t lu = strcspn(iu, "&#"), lp = strcspn(ip, "&#");
		return lu == lp && strncmp(iu, ip, lu) == 0;
	}
	return 0;
}

/* Is the record's id written already: in a link, or as its arXiv id? */
static int id_derivable(const ctx *c)
{
	const pb_record *r = c->r;
	return (r->url && strstr(r->url, r->id)) ||
	       (r->pdf_url && strstr(r->pdf_url, r->id)) ||
	       (c->arxiv[0] && strcmp(c->arxiv, r->id) == 0);
}

static int looks_like_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* Names label in one warning per run, the first time a value goes to
 * annote under it. */
static int report_lost(ctx *c, const char *label)
{
	char low[64];
	size_t i = 0;
	for (; i < sizeof low - 1 && label[i]; i++)
		low[i] = (char)ascii_lower((unsigned char)label[i]);
	low[i] = '\0';
	int rc = pb_strset_add(&c->st->reported, low);
	if (rc < 0)
		return rc;
	if (rc == 1)
		pb_diag_emitf(c->w->diag, PB_DIAG_WARNING, c->r->file, c->r->line,
		              0,
		              "%s: no %s field for \"%s\" in @%s; written to annote "
		              "(kept, not printed by the styles) as \"%s: ...\" "
		              "(named once; first in %s)",
		              c->st->d->section, c->st->d->name, label,
		              c->st->d->types[c->kind].type, label, c->r->key);
	return PB_OK;
}

/* Starts one item of note or annote on a line of its own: Zotero's note
 * shows the lines, the readers split the field at them ("Code: URL",
 * "Track: Talk"), and BibTeX styles print them as one paragraph. */
static int note_sep(pb_buf *out)
{
	return out->len ? pb_buf_putc(out, '\n') : PB_OK;
}

/* One "Label: value" item, the value as text or as \url{}. */
static int note_item(ctx *c, pb_buf *out, const char *label,
                     const char *value, int lost)
{
	/* a label is an extra field's name from any input: text too */
	if ((lost && report_lost(c, label)) || note_sep(out) ||
	    text(c, out, label, 0) || pb_buf_puts(out, ": "))
		return PB_ENOMEM;
	if (!looks_like_url(value))
		return text(c, out, value, 0);
	return pb_buf_puts(out, "\\url{") || url_value(c, out, value, 1) ||
	       pb_buf_putc(out, '}');
}

/* The note: the record's note, then the code link (when code = note). */
static int note_value(ctx *c, pb_buf *out)
{
	const pb_record *r = c->r;
	if (r->note && rich(c, out, r->note, 0))
		return PB_ENOMEM;
	if (r->code_url && strcmp(c->st->code, "note") == 0 &&
	    note_item(c, out, "Code", r->code_url, 0))
		return PB_ENOMEM;
	return PB_OK;
}

static int annote_lost(ctx *c, pb_buf *out);

/* The annote: the record's annotation (its annote or annotation extras),
 * then the values that have no field of their own here, text first,
 * links last, with a PDF that is not another form of the url. */
static int annote_value(ctx *c, pb_buf *out)
{
	const pb_record *r = c->r;
	const pb_venue *v = &r->venue;
	bib_state *st = c->st;
	const char *csl_annote = c->full ? pb_record_var(r, "annote") : NULL;
	if (csl_annote && rich(c, out, csl_annote, 0))
		return PB_ENOMEM;
	for (size_t i = 0; i < r->n_extra; i++)
		if (extra_field_of(c, i) == annotation &&
		    (note_sep(out) || text(c, out, r->extra[i].value, 0)))
			return PB_ENOMEM;
	if (c->full && annote_lost(c, out))
		return PB_ENOMEM;
	if (has_container(r) && !admitted(c, S_CONTAINER) &&
	    !admitted(c, S_EVENT)) {
		if (c->full && v->name) { /* the container as it is */
			if (note_item(c, out, "Venue", v->name, 1))
				return PB_ENOMEM;
		} else if (report_lost(c, "Venue") || note_sep(out) ||
		           pb_buf_puts(out, "Venue: ") ||
		           memo_title(c, &st->event, out, v, pb_venue_event_title))
			return PB_ENOMEM;
	}
	if (v->location && !admitted(c, S_LOCATION) &&
	    note_item(c, out, "Location", v->location, 1))
		return PB_ENOMEM;
	if (v->publisher && !admitted(c, S_PUBLISHER) &&
	    note_item(c, out, "Publisher", v->publisher, 1))
		return PB_ENOMEM;
	if (v->track && note_item(c, out, "Track", v->track, 1))
		return PB_ENOMEM;
	if (r->id && !id_derivable(c) &&
	    note_item(c, out, "ID", r->id, 1))
		return PB_ENOMEM;
	for (int links = 0; links < 2; links++) {
		for (size_t i = 0; i < r->n_extra; i++) {
			const pb_extra *e = &r->extra[i];
			if (looks_like_url(e->value) != links || extra_field_of(c, i) ||
			    (r->origin != PB_ORIGIN_BIBTEX && pb_extra_is_markup(e->key)))
				continue;
			if (note_item(c, out, e->key, e->value, 1))
				return PB_ENOMEM;
		}
		if (!links && r->pdf_url && !pdf_derivable(r->url, r->pdf_url) &&
		    note_item(c, out, "PDF", r->pdf_url, 1))
			return PB_ENOMEM;
	}
	return PB_OK;
}

static int code_link(ctx *c, pb_buf *out)
{
	return pb_buf_puts(out, "Code: \\url{") ||
	       url_value(c, out, c->r->code_url, 1) || pb_buf_putc(out, '}');
}

/* An identifier as it is when every character is plain, else as text. */
static int verbatim(ctx *c, pb_buf *out, const char *s)
{
	size_t n = strspn(s, verbatim_chars);
	while (s[n] == '_' && c->st->d->biblatex)
		n += 1 + strspn(s + n + 1, verbatim_chars);
	if (s[n] != '\0')
		return text(c, out, s, 0);
	return pb_buf_puts(out, s);
}

static const char *title_part(ctx *c, const char *s, const char *sub,
                              const char *addon);

/* The value of extra i, with the values of the later extras of its name
 * when it is a name list. */
static int extra_value(ctx *c, pb_buf *out, size_t i)
{
	const pb_record *r = c->r;
	const extra_field *x = extra_spec(r->extra[i].key);
	if (!x && same_name(r->extra[i].key, "booktitle")) {
		const char *t = title_part(c, r->extra[i].value, "booksubtitle",
		                           "booktitleaddon");
		return t ? rich(c, out, t, 0) : PB_ENOMEM;
	}
	if (!x)
		return rich(c, out, r->extra[i].value, 0);
	if (x->flags & X_VERBATIM)
		return verbatim(c, out, r->extra[i].value);
	for (size_t j = i; j < r->n_extra; j++) {
		if (j > i && (!(x->flags & X_NAMES) ||
		              !same_name(r->extra[j].key, x->key)))
			continue;
		const char *v = r->extra[j].value;
		const char *bar = (x->flags & X_NAMES) ? strstr(v, " || ") : NULL;
		if (bar) {
			/* an annote line's "Family || Given" read back */
			pb_buf *t = &c->st->strip;
			pb_buf_reset(t);
			if (pb_buf_append(t, v, (size_t)(bar - v)) ||
			    pb_buf_puts(t, ", ") || pb_buf_puts(t, bar + 4) ||
			    !pb_buf_cstr(t))
				return PB_ENOMEM;
			v = t->data;
		}
		if ((j > i && pb_buf_puts(out, " and ")) || rich(c, out, v, 0))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* A full record's publisher: a list "A; B" (as the readers join
 * biblatex's "A and B") back as "A and B", an item with the word "and"
 * braced ("{Leonard Smithers and Company}"), so that biber and the
 * BibTeX reader read the same items. */
static int publisher_value(ctx *c, pb_buf *out, const char *s)
{
	pb_buf *t = &c->st->strip;
	for (int first = 1; *s; first = 0) {
		const char *end = strstr(s, "; ");
		size_t n = end ? (size_t)(end - s) : strlen(s);
		pb_buf_reset(t);
		if (pb_buf_append(t, s, n) || !pb_buf_cstr(t))
			return PB_ENOMEM;
		int brace = needs_braces(t->data) && !strchr(t->data, ',');
		if ((!first && pb_buf_puts(out, " and ")) ||
		    (brace && pb_buf_putc(out, '{')) || rich(c, out, t->data, 0) ||
		    (brace && pb_buf_putc(out, '}')))
			return PB_ENOMEM;
		s += n;
		if (end)
			s += 2;
	}
	return PB_OK;
}

static int has_extra_eprint(const pb_record *r)
{
	return pb_record_get_extra(r, "eprint") != NULL;
}

/* A date in the form of pb_date_format as biber's EDTF reads it: years
 * of four digits ("-0044" for 44 BC, as the BibTeX reader reads it
 * back), a season as month 21-24, a range with "/", circa with "~" at
 * the end; NULL for a literal or raw date, which no date field holds. */
static const char *edtf_of(const char *text, char *buf, size_t size)
{
	pb_date d;
	if (!text || pb_date_parse(text, &d) != PB_OK || d.text ||
	    d.year[0] == 0)
		return NULL;
	size_t n = 0;
	for (int k = 0; k <= (d.has_end ? 1 : 0) && n < size; k++) {
		int y = d.year[k];
		if (k == 1) {
			buf[n++] = '/';
			if (y == 0)
				continue; /* open end: "1984/" */
		}
		n += (size_t)snprintf(buf + n, size - n, y < 0 ? "-%04d" : "%04d",
		                      y < 0 ? -y : y);
		if (k == 0 && d.season && !d.month[0])
			n += (size_t)snprintf(buf + n, size - n, "-%02d", 20 + d.season);
		else if (d.month[k] && n < size) {
			n += (size_t)snprintf(buf + n, size - n, "-%02d", d.month[k]);
			if (d.day[k] && n < size)
				n += (size_t)snprintf(buf + n, size - n, "-%02d", d.day[k]);
		}
	}
	if (d.circa && n + 1 < size)
		buf[n++] = '~';
	if (n >= size)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* A year biber reads as a date: digits, BC with a minus. */
static int plain_year(const char *s)
{
	s += *s == '-';
	return *s && s[strspn(s, "0123456789")] == '\0';
}

static int ends_with(const char *s, size_t n, const char *sep,
                     const char *tail)
{
	size_t a = strlen(sep), b = strlen(tail);
	return n >= a + b && memcmp(s + n - b, tail, b) == 0 &&
	       memcmp(s + n - b - a, sep, a) == 0;
}

/* A title as BibLaTeX writes it beside its subtitle and titleaddon
 * fields (a BibTeX-origin record's extras): without the ": Subtitle" and
 * ". Addon" the reader joined to it. BibTeX writes the title whole. */
static const char *title_part(ctx *c, const char *s, const char *sub,
                              const char *addon)
{
	const pb_record *r = c->r;
	if (!s || !c->st->d->biblatex || r->origin != PB_ORIGIN_BIBTEX)
		return s;
	const char *a = addon ? pb_record_get_extra(r, addon) : NULL;
	const char *b = sub ? pb_record_get_extra(r, sub) : NULL;
	size_t n = strlen(s);
	if (a && ends_with(s, n, ". ", a))
		n -= strlen(a) + 2;
	if (b && ends_with(s, n, ": ", b))
		n -= strlen(b) + 2;
	pb_buf *t = &c->st->strip;
	pb_buf_reset(t);
	if (pb_buf_append(t, s, n) || !pb_buf_cstr(t))
		return NULL;
	return t->data;
}

/* The date written in a full record's date field: issued when it is
 * more than a plain date (a range, a season, circa, BC), else NULL. */
static const char *issued_edtf(const ctx *c, char *buf, size_t size)
{
	return edtf_of(pb_record_var(c->r, "issued"), buf, size);
}

static size_t var_index(const pb_record *r, const char *name)
{
	for (size_t i = 0; i < r->n_vars; i++)
		if (strcmp(r->vars[i].name, name) == 0)
			return i;
	return r->n_vars;
}

/* A var_field's value into out; *skip when the entry type says it
 * already (a PhD thesis's genre in BibTeX). */
static int var_value(ctx *c, const var_field *vf, const char *v,
                     pb_buf *out, int *skip)
{
	char d[64];
	*skip = 0;
	if (vf->flags & V_DATE) {
		const char *e = edtf_of(v, d, sizeof d);
		return e ? pb_buf_puts(out, e) : PB_OK;
	}
	if (vf->flags & V_VERBATIM)
		return verbatim(c, out, v);
	if (vf->flags & V_GENRE) {
		const struct genre_field *g = genre_of(v);
		if (c->st->d->biblatex)
			return g ? pb_buf_puts(out, g->key) : rich(c, out, v, 0);
		*skip = g && g->bibtex && strcmp(g->bibtex, c->type_name) == 0;
		return *skip ? PB_OK : rich(c, out, v, 0);
	}
	if (vf->flags & V_PAGES) {
		/* "1-10": a range, "1--10" in BibTeX */
		pb_buf *t = &c->st->item;
		pb_buf_reset(t);
		for (const char *p = v; *p; p++) {
			int single = *p == '-' && p[1] != '-' && (p == v || p[-1] != '-');
			if (pb_buf_putc(t, *p) || (single && pb_buf_putc(t, '-')))
				return PB_ENOMEM;
		}
		if (!pb_buf_cstr(t))
			return PB_ENOMEM;
		return text(c, out, t->data, 0);
	}
	return rich(c, out, v, 0);
}

static int put_field(ctx *c, const char *name, int bare,
                     unsigned long unmapped_before);

static int covered(const ctx *c, const char *list)
{
	if (!list || c->r->origin != PB_ORIGIN_BIBTEX)
		return 0;
	char word[32];
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n < sizeof word) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (pb_record_get_extra(c->r, word))
				return 1;
		}
		p += n;
		p += *p == ' ';
	}
	return 0;
}

/* The CSL variables that have a field in the dialect (var_fields), in
 * its order; every other one stays marked for annote. */
static int vars_fields(ctx *c)
{
	const pb_record *r = c->r;
	int blx = c->st->d->biblatex;
	for (size_t i = 0; i < r->n_vars; i++)
		c->var_lost[i] = strcmp(r->vars[i].name, "issued") != 0 &&
		                 strcmp(r->vars[i].name, "annote") != 0;
	for (size_t k = 0; k < sizeof var_fields / sizeof var_fields[0]; k++) {
		const var_field *vf = &var_fields[k];
		size_t i = var_index(r, vf->var);
		if (i == r->n_vars || (vf->flags & V_SKIP))
			continue;
		if (covered(c, vf->covered)) {
			c->var_lost[i] = 0;
			continue;
		}
		const char *name = blx ? vf->biblatex : vf->bibtex;
		unsigned kb = KB(c->kind);
		unsigned series = KB(K_BOOK) | KB(K_INCOLLECTION) |
		                  KB(K_INPROCEEDINGS);
		if (!name || (blx && (vf->flags & V_TYPED) &&
		              !(kb & (K_REP | K_THES | K_MSC | K_ONL))))
			continue;
		/* BibTeX's one number field is read back by the entry type */
		if (((vf->flags & V_ISSUE) && !(kb & KB(K_ARTICLE))) ||
		    ((vf->flags & V_SERIES) && !(kb & series)) ||
		    ((vf->flags & V_NUMBER) && (kb & (series | KB(K_ARTICLE)))))
			continue;
		int busy = taken(c, name) || (r->origin == PB_ORIGIN_BIBTEX &&
		                              pb_record_get_extra(r, name));
		if (busy && blx && vf->alt && !taken(c, vf->alt))
			name = vf->alt;
		else if (busy)
			continue;
		int skip;
		unsigned long before = c->report.unmapped;
		pb_buf_reset(&c->st->value);
		if (var_value(c, vf, r->vars[i].value, &c->st->value, &skip) ||
		    put_field(c, name, 0, before))
			return PB_ENOMEM;
		if (skip || c->st->value.len)
			c->var_lost[i] = 0;
	}
	return PB_OK;
}

/* The names of one role joined with "and"; each is marked written. */
static int role_names(ctx *c, pb_buf *out, const char *role)
{
	const pb_record *r = c->r;
	size_t last = r->n_people;
	for (size_t i = 0; i < r->n_people; i++)
		if (strcmp(r->people[i].role, role) == 0)
			last = i;
	int first = 1;
	for (size_t i = 0; i < r->n_people; i++) {
		const pb_name *n = &r->people[i].name;
		if (strcmp(r->people[i].role, role) != 0 ||
		    (!literal_of(n) && !n->family))
			continue;
		if ((!first && pb_buf_puts(out, " and ")) ||
		    put_name(c, out, n, i == last))
			return PB_ENOMEM;
		first = 0;
		c->person_lost[i] = 0;
	}
	return PB_OK;
}

/* The names of every role but author that the dialect has a field for
 * (role_fields; biblatex's editora-c with their types); every other
 * name stays marked for annote. */
static int people_fields(ctx *c)
{
	const pb_record *r = c->r;
	int blx = c->st->d->biblatex;
	size_t slot = 0;
	for (size_t i = 0; i < r->n_people; i++)
		c->person_lost[i] = 1;
	for (size_t k = 0; k < sizeof role_fields / sizeof role_fields[0]; k++) {
		const struct role_field *rf = &role_fields[k];
		const char *name = blx ? rf->biblatex : rf->bibtex;
		const char *type = NULL;
		if (!pb_record_count_people(r, rf->role) ||
		    (blx && !(rf->biblatex_kinds & KB(c->kind))))
			continue;
		if (!name && blx && rf->editortype) {
			while (slot < 3 && pb_record_get_extra(r, editor_slots[slot][0]))
				slot++;
			if (slot == 3)
				continue;
			name = editor_slots[slot][0];
			type = rf->editortype;
		}
		if (!name || taken(c, name))
			continue;
		unsigned long before = c->report.unmapped;
		pb_buf_reset(&c->st->value);
		if (role_names(c, &c->st->value, rf->role) ||
		    put_field(c, name, 0, before))
			return PB_ENOMEM;
		if (type) {
			pb_buf_reset(&c->st->value);
			if (pb_buf_puts(&c->st->value, type) ||
			    put_field(c, editor_slots[slot][1], 0, before))
				return PB_ENOMEM;
			slot++;
		}
	}
	return PB_OK;
}

/* What a full record has that no field holds: "variable: value" and
 * "role: Family || Given" lines, as Zotero's Extra field writes them. */
static int annote_lost(ctx *c, pb_buf *out)
{
	const pb_record *r = c->r;
	char d[64];
	pb_buf *t = &c->st->seg;
	const char *issued = pb_record_var(r, "issued");
	if (issued && !edtf_of(issued, d, sizeof d) &&
	    note_item(c, out, "issued", pb_date_display(issued, d, sizeof d), 1))
		return PB_ENOMEM;
	if (r->venue.short_name && !admitted(c, S_SHORT) &&
	    note_item(c, out, "container-title-short", r->venue.short_name, 1))
		return PB_ENOMEM;
	if (!issued && c->st->d->biblatex && !r->venue.date && c->year[0] &&
	    !plain_year(c->year) && note_item(c, out, "issued", c->year, 1))
		return PB_ENOMEM;
	for (size_t i = 0; i < r->n_vars; i++) {
		const pb_var *v = &r->vars[i];
		if (!c->var_lost[i])
			continue;
		const pb_csl_var *cv = pb_csl_var_find(v->name);
		const char *s = cv && cv->kind == PB_CSL_DATE
		                    ? pb_date_display(v->value, d, sizeof d)
		                    : v->value;
		if (note_item(c, out, v->name, s, 1))
			return PB_ENOMEM;
	}
	for (size_t i = 0; i < r->n_people; i++) {
		const pb_name *n = &r->people[i].name;
		if (!c->person_lost[i])
			continue;
		pb_buf_reset(t);
		/* "Family || Given", a side left empty when missing ("Doe ||",
		 * "|| Madonna"): without the bars it would read back as a
		 * one-field name */
		const char *lit = literal_of(n);
		if ((lit && pb_buf_puts(t, lit)) ||
		    (!lit && ((n->dropping && (pb_buf_puts(t, n->dropping) ||
		                               pb_buf_putc(t, ' '))) ||
		              (n->family && pb_buf_puts(t, n->family)) ||
		              (n->suffix && (pb_buf_puts(t, ", ") ||
		                             pb_buf_puts(t, n->suffix))) ||
		              pb_buf_puts(t, t->len ? " ||" : "||") ||
		              (n->given && (pb_buf_putc(t, ' ') ||
		                            pb_buf_puts(t, n->given))))) ||
		    !pb_buf_cstr(t))
			return PB_ENOMEM;
		if (t->len && note_item(c, out, r->people[i].role, t->data, 1))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* The value of one field into out (left empty when absent); *bare is set
 * when the value is a macro written without braces. */
static int value(ctx *c, const field_map *f, pb_buf *out, int *bare)
{
	const pb_record *r = c->r;
	const pb_venue *v = &r->venue;
	bib_state *st = c->st;
	const char *s;
	char date[64];
	*bare = 0;
	switch (f->src) {
	case S_AUTHORS:
		return authors(c, out);
	case S_KEY:
		/* a BibTeX file's own key field is its extra, written here */
		if ((s = pb_record_get_extra(r, "key")) != NULL)
			return rich(c, out, s, 0);
		return c->has_author ? PB_OK : key_words(c, out);
	case S_TITLE:
		if (c->full) {
			s = title_part(c, r->title, "subtitle", "titleaddon");
			return s ? rich(c, out, s, PB_LATEX_TITLE) : PB_OK;
		}
		return r->title ? text(c, out, r->title, PB_LATEX_TITLE) : PB_OK;
	case S_CONTAINER:
		if (c->full) {
			s = c->kind == K_ARTICLE
			        ? title_part(c, v->name, "journalsubtitle", NULL)
			        : title_part(c, v->name, "booksubtitle",
			                     "booktitleaddon");
			return s ? rich(c, out, s, PB_LATEX_TITLE) : PB_OK;
		}
		return memo_title(c, &st->container, out, v,
		                  pb_venue_proceedings_title);
	case S_SHORT:
		if (c->full)
			return v->short_name ? rich(c, out, v->short_name, 0) : PB_OK;
		return v->name && v->short_name ? text(c, out, v->short_name, 0)
		                                : PB_OK;
	case S_EVENT:
		return memo_title(c, &st->event, out, v, pb_venue_event_title);
	case S_YEAR:
		return c->year[0] ? text(c, out, c->year, 0) : PB_OK;
	case S_MONTH:
		*bare = 1;
		s = month_of(v);
		return s ? pb_buf_puts(out, s) : PB_OK;
	case S_DAYDATE:
		if (c->full && (s = issued_edtf(c, date, sizeof date)) != NULL)
			return pb_buf_puts(out, s);
		return v->date && strlen(v->date) > 7 ? text(c, out, v->date, 0)
		                                      : PB_OK;
	case S_DATE:
		if (c->full && pb_record_var(r, "issued")) {
			s = issued_edtf(c, date, sizeof date);
			return s ? pb_buf_puts(out, s) : PB_OK; /* literal: annote */
		}
		s = v->date ? v->date : c->year[0] ? c->year : NULL;
		if (s && c->full && !v->date && !plain_year(s))
			return PB_OK; /* {\noopsort{..}}1981: no date, annote */
		return s ? text(c, out, s, 0) : PB_OK;
	case S_LOCATION:
		return v->location ? rich(c, out, v->location, 0) : PB_OK;
	case S_PUBLISHER:
		if (v->publisher && c->full)
			return publisher_value(c, out, v->publisher);
		return v->publisher ? text(c, out, v->publisher, 0) : PB_OK;
	case S_SUBTYPE:
		s = st->d->types[c->kind].subtype;
		return s && !pb_record_get_extra(r, "type") &&
		               !pb_record_var(r, "genre")
		           ? pb_buf_puts(out, s)
		           : PB_OK;
	case S_EXTRAS:
	case S_VARS:
	case S_PEOPLE:
		return PB_OK; /* written one field a line: extras(), ... */
	case S_EPRINT:
		return c->arxiv[0] && !has_extra_eprint(r)
		               ? verbatim(c, out, c->arxiv)
		               : PB_OK;
	case S_EPRINTTYPE:
		if (!c->arxiv[0] || has_extra_eprint(r) ||
		    pb_record_get_extra(r, "archiveprefix") ||
		    pb_record_get_extra(r, "eprinttype"))
			return PB_OK;
		return pb_buf_puts(out, st->d->biblatex ? "arxiv" : "arXiv");
	case S_TEXT:
		if (f->field == PB_F_ABSTRACT && !st->abstract)
			return PB_OK;
		s = pb_record_get(r, f->field);
		return s ? rich(c, out, s, 0) : PB_OK;
	case S_URL:
		s = r->url ? r->url : r->pdf_url;
		return s ? url_value(c, out, s, 0) : PB_OK;
	case S_NOTE:
		return note_value(c, out);
	case S_ANNOTE:
		return annote_value(c, out);
	case S_ADDENDUM:
		if (!r->code_url || strcmp(st->code, "addendum") != 0)
			return PB_OK;
		return code_link(c, out);
	case S_KEYWORDS:
		for (size_t i = 0; i < r->n_keywords; i++) {
			size_t before = out->len;
			if (before > 0 && pb_buf_puts(out, ", "))
				return PB_ENOMEM;
			size_t mark = out->len;
			if (text(c, out, r->keywords[i], 0))
				return PB_ENOMEM;
			if (out->len == mark) /* nothing but spaces */
				out->len = before;
		}
		if (out->data)
			out->data[out->len] = '\0';
		return PB_OK;
	}
	return PB_OK;
}

/* "  name       = {value},\n" (no braces when bare), with appends: the
 * value can be a whole abstract, which printf would format twice. */
static int field_line(pb_buf *e, const char *name, const pb_buf *value,
                      int bare)
{
	static const char pad[NAME_WIDTH + 1] = "          ";
	size_t len = strlen(name);
	if (pb_buf_reserve(e, 2 + NAME_WIDTH + len + 4 + value->len + 3))
		return PB_ENOMEM;
	return pb_buf_append(e, "  ", 2) || pb_buf_append(e, name, len) ||
	       (len < NAME_WIDTH && pb_buf_append(e, pad, NAME_WIDTH - len)) ||
	       pb_buf_append(e, bare ? " = " : " = {", bare ? 3 : 4) ||
	       pb_buf_append(e, value->data, value->len) ||
	       pb_buf_append(e, bare ? ",\n" : "},\n", bare ? 2 : 3);
}

/* Under encoding = latex, every byte above ASCII left in a value belongs
 * to a character with no LaTeX form. Each run of them is braced, so that
 * BibTeX's case changes, purify$ and name abbreviations (abbrvnat's
 * "{f.}") take it whole and never split a UTF-8 sequence: pdflatex then
 * reports the characters it cannot typeset one by one, and the rest of
 * the bibliography still typesets. */
static int brace_runs(bib_state *st)
{
	pb_buf *in = &st->value, *out = &st->tmp;
	pb_buf_reset(out);
	for (size_t i = 0; i < in->len;) {
		size_t j = i;
		while (j < in->len && !((unsigned char)in->data[j] & 0x80))
			j++;
		if (pb_buf_append(out, in->data + i, j - i))
			return PB_ENOMEM;
		if (j == in->len)
			break;
		i = j;
		while (j < in->len && ((unsigned char)in->data[j] & 0x80))
			j++;
		/* after a backslash (a BibTeX file's own "\é" passed through),
		 * a brace would be an escaped brace: leave the run as it is */
		size_t bs = 0;
		while (bs < i && in->data[i - 1 - bs] == '\\')
			bs++;
		int brace = bs % 2 == 0;
		if ((brace && pb_buf_putc(out, '{')) ||
		    pb_buf_append(out, in->data + i, j - i) ||
		    (brace && pb_buf_putc(out, '}')))
			return PB_ENOMEM;
		i = j;
	}
	if (!pb_buf_cstr(out))
		return PB_ENOMEM;
	pb_buf t = *in;
	*in = *out;
	*out = t;
	return PB_OK;
}

static int word_in(const char *list, const char *word, size_t n);

/* Fields that hold names. */
static const char name_fields[] =
	"author editor translator bookauthor editora editorb editorc";

/* Adds a field's name to the list of those with unmapped characters. */
static void note_unmapped(ctx *c, const char *name)
{
	size_t len = strlen(c->unmapped);
	if (len + strlen(name) + 3 >= sizeof c->unmapped)
		return;
	snprintf(c->unmapped + len, sizeof c->unmapped - len, "%s%s",
	         len ? ", " : "", name);
}

/* Is word one of the space-separated words of list? */
static int word_in(const char *list, const char *word, size_t n)
{
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ,");
		if (k == n && strncmp(p, word, n) == 0)
			return 1;
		p += k;
		p += strspn(p, " ,");
	}
	return 0;
}

/* Writes the value in st->value as field name, when there is one. */
static int put_field(ctx *c, const char *name, int bare,
                     unsigned long unmapped_before)
{
	bib_state *st = c->st;
	if (st->value.len == 0)
		return PB_OK;
	if (c->report.unmapped > unmapped_before) {
		if (strcmp(name, "annote") != 0)
			note_unmapped(c, name);
		/* a full record's text fields keep their characters as they
		 * are (braces would read back as case protection); names are
		 * braced, so that abbreviations never split a character */
		if ((st->flags & PB_LATEX_ASCII) &&
		    (!c->full || word_in(name_fields, name, strlen(name))) &&
		    brace_runs(st))
			return PB_ENOMEM;
	}
	if (c->n_names < MAX_NAMES)
		c->names[c->n_names++] = name;
	return field_line(&st->entry, name, &st->value, bare);
}

static int extras(ctx *c)
{
	c->n_before_extras = c->n_names;
	for (size_t i = 0; i < c->r->n_extra; i++) {
		const char *name = extra_field_of(c, i);
		if (!name || name == joined || name == annotation)
			continue;
		unsigned long before = c->report.unmapped;
		pb_buf_reset(&c->st->value);
		/* a BibTeX file's own field, named in lower case as the
		 * reader reads it back ("Track" of an annote line: track) */
		char low[64];
		size_t n = strlen(name), before_names = c->n_names;
		int own = name == c->r->extra[i].key && n < sizeof low;
		for (size_t k = 0; own && k <= n; k++)
			low[k] = (char)ascii_lower((unsigned char)name[k]);
		if (extra_value(c, &c->st->value, i) ||
		    put_field(c, own ? low : name, 0, before))
			return PB_ENOMEM;
		if (c->n_names > before_names)
			c->names[c->n_names - 1] = name; /* low is gone after this */
	}
	return PB_OK;
}

static int key_ok(const char *key)
{
	if (!key || !*key)
		return 0;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr(bad_key_chars, *p))
			return 0;
	return 1;
}

static void warn_unmapped(const ctx *c)
{
	char ch[5] = {0};
	pb_buf tmp = PB_BUF_INIT;
	if (pb_buf_put_utf8(&tmp, c->report.first) == PB_OK)
		memcpy(ch, tmp.data, tmp.len < 4 ? tmp.len : 4);
	pb_buf_free(&tmp);
	pb_diag_emitf(c->w->diag, PB_DIAG_WARNING, c->r->file, c->r->line, 0,
	              "%s: %s: %lu character%s with no LaTeX form (first "
	              "U+%04lX '%s'), which pdflatex cannot typeset without "
	              "extra packages; written as UTF-8 in braces. Use %s with "
	              "XeLaTeX or LuaLaTeX",
	              c->r->key, c->unmapped[0] ? c->unmapped : "a field",
	              c->report.unmapped, c->report.unmapped == 1 ? "" : "s",
	              (unsigned long)c->report.first, ch,
	              c->st->d->biblatex ? "[biblatex] encoding = utf8"
	                                 : "-t biblatex (or [bibtex] encoding = "
	                                   "utf8)");
}

static int bib_record(pb_writer *w, const pb_record *r)
{
	int rc = bib_begin(w);
	if (rc)
		return rc;
	bib_state *st = w->state;
	if (!key_ok(r->key)) {
		pb_diag_emitf(w->diag, PB_DIAG_ERROR, r->file, r->line, 0,
		              "%s: citation key \"%s\" cannot be written in %s "
		              "(empty, or holds a space or one of %s)",
		              st->d->section, r->key ? r->key : "",
		              st->d->section, bad_key_chars);
		return PB_EDATA;
	}
	ctx c;
	memset(&c, 0, sizeof c);
	c.st = st;
	c.w = w;
	c.r = r;
	pb_record_arxiv_id(r, c.arxiv, sizeof c.arxiv);
	find_year(&c);
	c.full = r->origin != PB_ORIGIN_LIST || r->n_vars || r->n_people;
	c.kind = choose_kind(&c);
	c.type_name = type_name(&c);
	c.has_author = has_author(r);
	/* one flag per variable, then per person; never NULL */
	size_t n_lost = r->n_vars + r->n_people;
	if (!st->lost || n_lost > st->lost_cap) {
		size_t cap = n_lost ? n_lost : 1;
		unsigned char *l = realloc(st->lost, cap);
		if (!l)
			return PB_ENOMEM;
		st->lost = l;
		st->lost_cap = cap;
	}
	memset(st->lost, 0, n_lost);
	c.var_lost = st->lost;
	c.person_lost = st->lost + r->n_vars;
	pb_buf *e = &st->entry;
	pb_buf_reset(e);
	if (w->count > 0 && pb_buf_putc(e, '\n'))
		return PB_ENOMEM;
	/* a BibTeX file's @preamble, before the entry it came before */
	for (size_t i = 0; r->origin == PB_ORIGIN_BIBTEX && i < r->n_extra; i++)
		if (strcmp(r->extra[i].key, "@preamble") == 0 &&
		    (pb_buf_puts(e, "@preamble{{") ||
		     pb_buf_puts(e, r->extra[i].value) || pb_buf_puts(e, "}}\n\n")))
			return PB_ENOMEM;
	if (pb_buf_putc(e, '@') || pb_buf_puts(e, c.type_name) ||
	    pb_buf_putc(e, '{') || pb_buf_puts(e, r->key) ||
	    pb_buf_puts(e, ",\n"))
		return PB_ENOMEM;
	for (const field_map *f = st->d->fields; f->name; f++) {
		if (!(f->kinds & KB(c.kind)) || !mode_ok(&c, f))
			continue;
		if (f->src == S_EXTRAS || f->src == S_VARS || f->src == S_PEOPLE) {
			if ((f->src == S_EXTRAS ? extras(&c)
			     : f->src == S_VARS ? vars_fields(&c)
			                        : people_fields(&c)))
				return PB_ENOMEM;
			continue;
		}
		int bare;
		pb_latex_report saved = c.report;
		pb_buf_reset(&st->value);
		if (value(&c, f, &st->value, &bare) ||
		    put_field(&c, f->name, bare, saved.unmapped))
			return PB_ENOMEM;
		/* No standard style prints annote: its characters are braced
		 * like the others, but cost pdflatex nothing, so they are not
		 * reported (each of its labels is named once already). */
		if (f->src == S_ANNOTE)
			c.report = saved;
	}
	if (pb_buf_puts(e, "}\n"))
		return PB_ENOMEM;
	if (c.report.unmapped > 0)
		warn_unmapped(&c);
	if (fwrite(e->data, 1, e->len, w->out) != e->len)
		return PB_EIO;
	return PB_OK;
}

const pb_format pb_bibtex_format = {
	.name = "bibtex",
	.extension = "bib",
	.description = "BibTeX for bibtex and pdflatex (ASCII with LaTeX "
	               "accents), Zotero, JabRef",
	.options = bibtex_options,
	.begin = bib_begin,
	.record = bib_record,
	.end = NULL,
	.free = bib_free,
};

const pb_format pb_biblatex_format = {
	.name = "biblatex",
	.extension = "bib",
	.description = "BibLaTeX for biber (UTF-8, date, eventtitle), Zotero",
	.options = biblatex_options,
	.begin = bib_begin,
	.record = bib_record,
	.end = NULL,
	.free = bib_free,
};

static const dialect *dialect_of(const pb_writer *w)
{
	return w->format == &pb_biblatex_format ? &biblatex_dialect
	                                        : &bibtex_dialect;
}
