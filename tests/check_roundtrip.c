/* Round trips between every pair of formats keep every field that both
 * formats can hold (issue 16): a property test over generated records.
 *
 * A fixed-seed generator builds records through the public API with a
 * random CSL type, a title of rich text and characters that each format
 * must escape, authors with every name part, every CSL variable of
 * pb_csl_vars with a value of its kind, dates in every form of
 * pb_date_format, people in every role, keywords, abstract, URL, note and
 * extra fields. For the ordered pair (A, B) the records are written as A
 * and read back (R1); for B != A, R1 is written as B, read back, written
 * as A and read back again. The result is compared with the generated
 * record on what BOTH formats can hold, as the capability table below
 * says; every pair must keep at least 98% of those fields (the issue's
 * bar), and every field lost is printed (with its count and first
 * example) when a pair is below it. PB_ROUNDTRIP_REPORT=1 in the
 * environment prints every pair's figures:
 *   cd tests && CK_RUN_SUITE=roundtrip PB_ROUNDTRIP_REPORT=1 \
 *       ../build/check_paperbib
 * and PB_ROUNDTRIP_DUMP=DIR keeps the files written (see dump()). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paperbib/csl.h"
#include "paperbib/paperbib.h"
#include "testutil.h"

Suite *roundtrip_suite(void);

/* ------------------------------------------------------------------ */
/* What each format can hold, from its specification, not from what the
 * code does today:
 *   - CSL-JSON: the CSL 1.0.2 schema (csl-data.json): every type,
 *     variable, role, name part and date form; "et al." is not a name in
 *     CSL (citeproc adds it), so a list ending in "others" is not held.
 *   - BibTeX: btxdoc's standard entry types and fields, with the fields
 *     Zotero's BibTeX translator maps both ways (doi, url, isbn, issn,
 *     abstract, keywords, language, shorttitle, annote); one "number"
 *     field is an article's issue, a report's number or a book's number
 *     in its series (see SERIES_TYPES);
 *     a date is a year and a month; names are First von Last, Jr, braced
 *     literals and "and others", with one "von" part (no dropping
 *     particle apart from the non-dropping one).
 *   - BibLaTeX: the biblatex manual's default data model (blx-dm.def):
 *     its entry types (non-standard ones included), fields, name lists
 *     (editora with editortype for compiler and organizer, bookauthor for
 *     the container's author) and EDTF dates (ranges, seasons 21-24,
 *     circa, BC) in date, urldate, eventdate and origdate.
 *   - RIS: the RIS specification's tags as Zotero's RIS translator maps
 *     them (fieldMap): TI, AU, ED/A2 editor, A3 series editor, A4
 *     translator, T2, J2, T3, PB, CY, DA/PY, Y2, AB, KW, N1, UR, DO, VL,
 *     IS, SP/EP, SN (ISBN or ISSN by its form), ET, NV, ST, LA, CN, DB,
 *     AN, DP, SE, M3, ID; dates are YYYY/MM/DD (no range, season, circa,
 *     BC or literal); names are "Family, Given, Suffix" (a particle stays
 *     in the family, not as a part of its own; a literal name cannot hold
 *     the comma that separates the parts).
 *   - Extra fields (no variable holds them) are kept by every format:
 *     natively in their own format, else as the "Key: value" lines of
 *     its note convention (Zotero's Extra).
 * ------------------------------------------------------------------ */

/* Date forms. */
enum {
	D_YEAR = 1u << 0,
	D_MONTH = 1u << 1,
	D_DAY = 1u << 2,
	D_RANGE = 1u << 3,
	D_SEASON = 1u << 4,
	D_CIRCA = 1u << 5,
	D_BC = 1u << 6,
	D_LITERAL = 1u << 7,
	D_PLAIN = D_YEAR | D_MONTH | D_DAY,
	D_EDTF = D_PLAIN | D_RANGE | D_SEASON | D_CIRCA | D_BC,
	D_ALL = D_EDTF | D_LITERAL
};

/* Name parts. */
enum {
	N_PARTICLE = 1u << 0, /* the non-dropping particle as a part */
	N_DROPPING = 1u << 1, /* a dropping particle apart from it */
	N_ETAL = 1u << 2,     /* "et al." as a last name "others" */
	N_COMMA = 1u << 3     /* a literal name holding a comma */
};

/* What BibTeX's one "number" field is (btxdoc: "the number of a journal,
 * magazine, technical report, or of a work in a series"; biblatex's
 * number likewise, its issue field being a designation such as
 * "Spring"): the issue of a periodical's article, the number of a report
 * (and of a patent in biblatex), the number in its series of a book, a
 * chapter or a paper in proceedings. */
#define PERIODICAL_TYPES "article-journal article-magazine article-newspaper"
#define SERIES_TYPES "book chapter paper-conference"

typedef struct cap_field {
	const char *name;   /* CSL name: variable, role, "type", "extra" */
	unsigned dates;     /* for a date variable: the D_* forms held */
	const char *only;   /* held only for these CSL types (space-separated) */
	const char *except; /* not held for these CSL types */
} cap_field;

typedef struct format_cap {
	const char *writer; /* pb_format name */
	const char *reader; /* pb_input_format name */
	int all;            /* every variable, role and date form */
	unsigned names;     /* N_* */
	const char *types;  /* CSL types held as themselves (all: NULL) */
	const cap_field *fields; /* ends with a NULL name */
} format_cap;

static const format_cap caps[] = {
    {"csl-json", "csl-json", 1, N_PARTICLE | N_DROPPING | N_COMMA, NULL,
     (const cap_field[]){{"extra", 0, NULL, NULL}, {NULL, 0, NULL, NULL}}},
    {"bibtex", "bibtex", 0, N_PARTICLE | N_ETAL | N_COMMA,
     "article-journal book chapter paper-conference report thesis "
     "manuscript pamphlet document",
     (const cap_field[]){
         {"title", 0, NULL, NULL},
         {"author", 0, NULL, NULL},
         {"editor", 0, NULL, NULL},
         {"container-title", 0, NULL, NULL},
         {"publisher", 0, NULL, NULL},
         {"publisher-place", 0, NULL, NULL},
         {"issued", D_YEAR | D_MONTH, NULL, NULL},
         {"volume", 0, NULL, NULL},
         {"issue", 0, PERIODICAL_TYPES, NULL},
         {"number", 0, "report", NULL},
         {"collection-number", 0, SERIES_TYPES, NULL},
         {"edition", 0, NULL, NULL},
         {"chapter-number", 0, NULL, NULL},
         {"page", 0, NULL, NULL},
         {"collection-title", 0, NULL, NULL},
         {"note", 0, NULL, NULL},
         {"annote", 0, NULL, NULL},
         {"genre", 0, NULL, NULL},
         {"DOI", 0, NULL, NULL},
         {"URL", 0, NULL, NULL},
         {"ISBN", 0, NULL, NULL},
         {"ISSN", 0, NULL, NULL},
         {"abstract", 0, NULL, NULL},
         {"keyword", 0, NULL, NULL},
         {"language", 0, NULL, NULL},
         {"title-short", 0, NULL, NULL},
         {"citation-key", 0, NULL, NULL},
         {"extra", 0, NULL, NULL},
         {NULL, 0, NULL, NULL}}},
    {"biblatex", "bibtex", 0, N_PARTICLE | N_ETAL | N_COMMA,
     "article-journal book chapter paper-conference report thesis "
     "manuscript pamphlet document dataset software webpage patent "
     "periodical entry-encyclopedia legislation legal_case "
     "personal_communication motion_picture song performance review "
     "standard graphic",
     (const cap_field[]){
         {"title", 0, NULL, NULL},
         {"author", 0, NULL, NULL},
         {"editor", 0, NULL, NULL},
         {"translator", 0, NULL, NULL},
         {"container-author", 0, NULL, NULL},
         {"compiler", 0, NULL, NULL},
         {"organizer", 0, NULL, NULL},
         {"container-title", 0, NULL, NULL},
         {"container-title-short", 0, NULL, NULL},
         {"publisher", 0, NULL, NULL},
         {"publisher-place", 0, NULL, NULL},
         {"issued", D_EDTF, NULL, NULL},
         {"accessed", D_EDTF, NULL, NULL},
         {"event-date", D_EDTF, NULL, NULL},
         {"original-date", D_EDTF, NULL, NULL},
         {"event-title", 0, NULL, NULL},
         {"event-place", 0, NULL, NULL},
         {"volume", 0, NULL, NULL},
         {"issue", 0, PERIODICAL_TYPES, NULL},
         {"number", 0, "report patent", NULL},
         {"collection-number", 0, SERIES_TYPES, NULL},
         {"edition", 0, NULL, NULL},
         {"chapter-number", 0, NULL, NULL},
         {"page", 0, NULL, NULL},
         {"number-of-pages", 0, NULL, NULL},
         {"number-of-volumes", 0, NULL, NULL},
         {"collection-title", 0, NULL, NULL},
         {"note", 0, NULL, NULL},
         {"annote", 0, NULL, NULL},
         {"genre", 0, NULL, NULL},
         {"DOI", 0, NULL, NULL},
         {"URL", 0, NULL, NULL},
         {"ISBN", 0, NULL, NULL},
         {"ISSN", 0, NULL, NULL},
         {"abstract", 0, NULL, NULL},
         {"keyword", 0, NULL, NULL},
         {"language", 0, NULL, NULL},
         {"title-short", 0, NULL, NULL},
         {"original-title", 0, NULL, NULL},
         {"original-publisher", 0, NULL, NULL},
         {"original-publisher-place", 0, NULL, NULL},
         {"status", 0, NULL, NULL},
         {"version", 0, NULL, NULL},
         {"citation-key", 0, NULL, NULL},
         {"extra", 0, NULL, NULL},
         {NULL, 0, NULL, NULL}}},
    {"ris", "ris", 0, 0,
     "article-journal book chapter paper-conference report thesis document "
     "bill post-weblog legal_case software entry-dictionary "
     "entry-encyclopedia personal_communication article-magazine "
     "manuscript map article-newspaper patent speech legislation "
     "motion_picture hearing graphic song webpage dataset figure pamphlet "
     "standard classic periodical",
     (const cap_field[]){
         {"title", 0, NULL, NULL},             /* TI */
         {"author", 0, NULL, NULL},            /* AU */
         {"editor", 0, NULL, NULL},            /* ED, A2 */
         {"collection-editor", 0, NULL, NULL}, /* A3 */
         {"translator", 0, NULL, NULL},        /* A4 */
         {"container-title", 0, NULL, NULL},   /* T2 */
         {"container-title-short", 0, NULL, NULL}, /* J2 */
         {"collection-title", 0, NULL, NULL},  /* T3 */
         {"publisher", 0, NULL, NULL},         /* PB */
         {"publisher-place", 0, NULL, NULL},   /* CY */
         {"issued", D_PLAIN, NULL, NULL},      /* DA, PY */
         {"accessed", D_PLAIN, NULL, NULL},    /* Y2 */
         {"abstract", 0, NULL, NULL},          /* AB */
         {"keyword", 0, NULL, NULL},           /* KW */
         {"note", 0, NULL, NULL},              /* N1 */
         {"URL", 0, NULL, NULL},               /* UR */
         {"DOI", 0, NULL, NULL},               /* DO */
         {"volume", 0, NULL, NULL},            /* VL */
         {"issue", 0, NULL, NULL},             /* IS */
         {"page", 0, NULL, NULL},              /* SP, EP */
         {"ISBN", 0, NULL, NULL},              /* SN */
         {"ISSN", 0, NULL, NULL},              /* SN */
         {"edition", 0, NULL, NULL},           /* ET */
         {"number-of-volumes", 0, NULL, NULL}, /* NV */
         {"title-short", 0, NULL, NULL},       /* ST */
         {"language", 0, NULL, NULL},          /* LA */
         {"call-number", 0, NULL, NULL},       /* CN */
         {"archive", 0, NULL, NULL},           /* DB */
         {"archive_location", 0, NULL, NULL},  /* AN */
         {"source", 0, NULL, NULL},            /* DP */
         {"section", 0, NULL, NULL},           /* SE */
         {"genre", 0, NULL, NULL},             /* M3 */
         {"citation-key", 0, NULL, NULL},      /* ID */
         {"extra", 0, NULL, NULL},             /* N1 */
         {NULL, 0, NULL, NULL}}},
};
#define N_CAPS ((int)(sizeof caps / sizeof caps[0]))

/* The bar for a pair, in per cent of the fields both hold. */
#define BAR 98.0
#define N_RECORDS 240
#define SEED 0x9E3779B97F4A7C15ull

/* ------------------------------------------------------------------ */
/* The generator: xorshift64*, seeded once per pair, so that every pair
 * sees the same records. */

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* True with probability pct per cent. */
static int chance(unsigned pct)
{
	return pick(100) < pct;
}

#define PICK(a) ((a)[pick((unsigned)(sizeof(a) / sizeof((a)[0])))])

/* Words: ASCII, Unicode, and the characters each format must escape
 * (BibTeX: & % $ # _ { } ~ ^ \; CSL rich text and XML: < > & "; RIS and
 * BibTeX lists: , ;). */
static const char *const words[] = {
    "learning", "Graph", "networks", "of", "the", "Deep", "Zürich",
    "naïve", "Ångström", "façade", "Ελληνικά", "数据", "Ω-limit", "über",
    "R&D", "50%", "$5", "#1", "snake_case", "{braced}", "a~b", "x^2",
    "C:\\dir", "a<b", "c>d", "\"quoted\"", "one,", "semi;colon", "it's",
    "co-operation", "—dash", "…", "Ÿ", "ß", "Æon",
};

/* Rich text of CSL, for titles. */
static const struct {
	const char *open, *close;
} rich[] = {
    {"<i>", "</i>"},     {"<b>", "</b>"},     {"<sc>", "</sc>"},
    {"<sup>", "</sup>"}, {"<sub>", "</sub>"}, {"<span class=\"nocase\">", "</span>"},
};

static void words_into(pb_buf *b, unsigned min, unsigned max, int markup)
{
	unsigned n = min + pick(max - min + 1);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			pb_buf_puts(b, " ");
		const char *w = PICK(words);
		if (markup && chance(15)) {
			unsigned k = pick((unsigned)TEST_COUNT(rich));
			pb_buf_printf(b, "%s%s%s", rich[k].open, w, rich[k].close);
		} else
			pb_buf_puts(b, w);
	}
}

static char *text(unsigned min, unsigned max, int markup)
{
	pb_buf b = PB_BUF_INIT;
	words_into(&b, min, max, markup);
	pb_buf_cstr(&b);
	return b.data;
}

/* A date in the text form of pb_date_format, of any form: plain, range,
 * season, circa, BC, literal. Not raw: a raw date is text for a reader to
 * parse, which no format is asked to keep as such. */
static void date_text(char *out, size_t size)
{
	int y = 1900 + (int)pick(125), m = 1 + (int)pick(12), d = 1 + (int)pick(28);
	switch (pick(9)) {
	case 0:
		snprintf(out, size, "%04d", y);
		break;
	case 1:
		snprintf(out, size, "%04d-%02d", y, m);
		break;
	case 2:
	case 3:
		snprintf(out, size, "%04d-%02d-%02d", y, m, d);
		break;
	case 4: /* ranges of years, months or days */
		if (chance(50))
			snprintf(out, size, "%04d/%04d", y, y + 1 + (int)pick(5));
		else
			snprintf(out, size, "%04d-%02d-%02d/%04d-%02d-%02d", y, m, d, y,
			         m, d < 28 ? d + 1 : d);
		break;
	case 5:
		snprintf(out, size, "%04d-%02d", y, 21 + (int)pick(4));
		break;
	case 6:
		if (chance(50))
			snprintf(out, size, "%04d~", 1500 + (int)pick(400));
		else
			snprintf(out, size, "%04d-%02d~", y, m);
		break;
	case 7:
		snprintf(out, size, "-%04d", 1 + (int)pick(800));
		break;
	default:
		snprintf(out, size, "literal:%s",
		         PICK(((const char *const[]){"Han dynasty",
		                                     "early 5th century",
		                                     "n.d.", "Spring, year unknown"})));
		break;
	}
}

/* A value of a variable of its kind, plausible for its name. */
static char *var_value(const pb_csl_var *v)
{
	char buf[160];
	const char *n = v->name;
	if (strcmp(n, "DOI") == 0)
		snprintf(buf, sizeof buf, "10.%u/rt.%u_%u-(%u)", 1000 + pick(9000),
		         pick(10000), pick(100), pick(10));
	else if (strcmp(n, "ISBN") == 0)
		snprintf(buf, sizeof buf, "%s",
		         PICK(((const char *const[]){"978-3-16-148410-0",
		                                     "978-0-306-40615-7",
		                                     "0-19-852663-6"})));
	else if (strcmp(n, "ISSN") == 0)
		snprintf(buf, sizeof buf, "%s",
		         PICK(((const char *const[]){"0317-8471", "1050-124X",
		                                     "2049-3630"})));
	else if (strcmp(n, "PMID") == 0)
		snprintf(buf, sizeof buf, "%u", 10000000 + pick(9000000));
	else if (strcmp(n, "PMCID") == 0)
		snprintf(buf, sizeof buf, "PMC%u", 1000000 + pick(9000000));
	else if (strcmp(n, "language") == 0)
		snprintf(buf, sizeof buf, "%s",
		         PICK(((const char *const[]){"en-US", "de-DE", "fr", "zh-CN"})));
	else if (strcmp(n, "page") == 0 || strcmp(n, "locator") == 0) {
		unsigned a = 1 + pick(900);
		if (chance(70))
			snprintf(buf, sizeof buf, "%u-%u", a, a + 1 + pick(30));
		else
			snprintf(buf, sizeof buf, "%u", a);
	} else if (v->kind == PB_CSL_NUMBER)
		snprintf(buf, sizeof buf, "%u", 1 + pick(300));
	else if (v->kind == PB_CSL_DATE)
		date_text(buf, sizeof buf);
	else if (strcmp(n, "annote") == 0 || strcmp(n, "year-suffix") == 0 ||
	         strcmp(n, "citation-label") == 0 || strcmp(n, "version") == 0)
		/* one word: annote shares BibTeX's annote with the note
		 * convention, whose lines look like "Key: value" */
		snprintf(buf, sizeof buf, "%s%u",
		         PICK(((const char *const[]){"v", "Smith", "rt"})), pick(99));
	else
		return text(1, 4, 0);
	return strdup(buf);
}

static const char *const givens[] = {"Mihaela", "Jean-Luc", "Zoë", "Ólafur",
                                     "J. R. R.", "Ludwig", "Sébastien", "Ana María"};
static const char *const families[] = {"Schaar", "Müller", "O'Neil",
                                       "García Márquez", "Brontë", "Smith",
                                       "Łukasiewicz", "Nguyễn"};
static const char *const particles[] = {"van der", "de", "von", "da", "Van de"};
static const char *const suffixes[] = {"Jr.", "III", "Sr."};
static const char *const literals[] = {
    "Organisation for Economic Co-operation and Development", "OpenAI",
    "World Health Organization", "Ministry of Science, Research & Arts"};

/* Adds one generated name, to authors (role NULL) or to role. */
static void add_name(pb_record *r, const char *role, int etal)
{
	pb_name n;
	pb_name_init(&n);
	char family[96];
	if (etal)
		n.literal = (char *)"others";
	else if (chance(12))
		n.literal = (char *)PICK(literals);
	else {
		n.given = (char *)PICK(givens);
		const char *core = PICK(families);
		if (chance(25)) {
			n.particle = (char *)PICK(particles);
			snprintf(family, sizeof family, "%s %s", n.particle, core);
			n.family = family;
		} else
			n.family = (char *)core;
		if (chance(8))
			n.dropping = (char *)"van";
		if (chance(12))
			n.suffix = (char *)PICK(suffixes);
	}
	int rc = role ? pb_record_add_person(r, role, &n)
	              : pb_record_add_author(r, &n);
	ck_assert_int_eq(rc, PB_OK);
}

static void add_names(pb_record *r, const char *role)
{
	unsigned k = 1 + pick(3);
	for (unsigned i = 0; i < k; i++)
		add_name(r, role, 0);
	if (chance(6))
		add_name(r, role, 1);
}

static void set(pb_record *r, pb_field f, char *v)
{
	ck_assert_int_eq(pb_record_set(r, f, v), PB_OK);
	free(v);
}

static void generate(pb_record *r, unsigned i)
{
	pb_record_init(r);
	r->origin = PB_ORIGIN_CSLJSON; /* the hub: CSL rich text, no LaTeX */
	r->type = (pb_type)pick(PB_TYPE_COUNT);
	set(r, PB_F_TITLE, text(2, 8, 1));
	char key[32];
	snprintf(key, sizeof key, "rt%03u", i);
	ck_assert_int_eq(pb_record_set(r, PB_F_KEY, key), PB_OK);
	add_names(r, NULL);
	if (chance(70))
		set(r, PB_F_VENUE_NAME, text(2, 6, 1));
	if (chance(40))
		set(r, PB_F_VENUE_SHORT, text(1, 2, 0));
	if (chance(60))
		set(r, PB_F_VENUE_PUBLISHER, text(1, 4, 0));
	if (chance(50))
		set(r, PB_F_VENUE_LOCATION, text(1, 3, 0));
	if (chance(50))
		set(r, PB_F_ABSTRACT, text(10, 30, 0));
	if (chance(50))
		set(r, PB_F_NOTE, text(3, 10, 0));
	if (chance(60)) {
		char url[128];
		snprintf(url, sizeof url,
		         "https://example.org/p_%u/~u%u/a%%20b?x=%u&y=2#s%u", pick(99),
		         pick(9), pick(9), pick(9));
		ck_assert_int_eq(pb_record_set(r, PB_F_URL, url), PB_OK);
	}
	for (unsigned k = pick(4); k > 0; k--) {
		/* CSL-JSON's keyword and BibTeX's keywords are comma-separated
		 * lists: a keyword holds no comma */
		char *kw = text(1, 3, 0);
		for (char *p = kw; *p; p++)
			if (*p == ',' || *p == ';')
				*p = '-';
		ck_assert_int_eq(pb_record_add_keyword(r, kw), PB_OK);
		free(kw);
	}
	if (chance(80)) {
		char d[96];
		date_text(d, sizeof d);
		ck_assert_int_eq(pb_record_set_issued(r, d), PB_OK);
	}
	for (size_t k = 0; k < pb_csl_n_vars; k++) {
		const pb_csl_var *v = &pb_csl_vars[k];
		if (strcmp(v->name, "issued") == 0)
			continue;
		if (v->home == PB_CSL_IN_VARS && chance(35)) {
			char *val = var_value(v);
			ck_assert_int_eq(pb_record_set_var(r, v->name, val), PB_OK);
			free(val);
		} else if (v->home == PB_CSL_IN_PEOPLE && chance(15))
			add_names(r, v->name);
	}
	for (unsigned k = pick(3); k > 0; k--) {
		char name[32];
		snprintf(name, sizeof name, "rtextra%u", pick(1000));
		char *val = text(1, 4, 0);
		ck_assert_int_eq(pb_record_add_extra(r, name, val), PB_OK);
		free(val);
	}
}

/* ------------------------------------------------------------------ */
/* Capabilities. */

static const format_cap *cap_find(const char *writer)
{
	for (int i = 0; i < N_CAPS; i++)
		if (strcmp(caps[i].writer, writer) == 0)
			return &caps[i];
	return NULL;
}

/* Whether word is one of the space-separated words of list. */
static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The row of name in c, or NULL; c->all holds everything. */
static const cap_field *cap_row(const format_cap *c, const char *name,
                                pb_type type)
{
	for (const cap_field *f = c->fields; f->name; f++) {
		if (strcmp(f->name, name) != 0)
			continue;
		const char *t = pb_type_name(type);
		if (f->only && !in_list(f->only, t))
			return NULL;
		if (f->except && in_list(f->except, t))
			return NULL;
		return f;
	}
	return NULL;
}

static int holds(const format_cap *c, const char *name, pb_type type)
{
	return c->all || cap_row(c, name, type) != NULL;
}

static unsigned date_forms(const format_cap *c, const char *name, pb_type type)
{
	if (c->all)
		return D_ALL;
	const cap_field *f = cap_row(c, name, type);
	return f ? f->dates : 0;
}

static int holds_type(const format_cap *c, pb_type t)
{
	return !c->types || in_list(c->types, pb_type_name(t));
}

/* The forms a date needs. */
static unsigned date_needs(const pb_date *d)
{
	if (d->text)
		return D_LITERAL;
	unsigned m = D_YEAR;
	if (d->month[0] || d->month[1])
		m |= D_MONTH;
	if (d->day[0] || d->day[1])
		m |= D_DAY;
	if (d->has_end)
		m |= D_RANGE;
	if (d->season)
		m |= D_SEASON;
	if (d->circa)
		m |= D_CIRCA;
	if (d->year[0] < 0 || d->year[1] < 0)
		m |= D_BC;
	return m;
}

/* ------------------------------------------------------------------ */
/* Comparison. */

/* The fields lost in a pair, by name, with the first example. */
typedef struct lost {
	char name[40];
	unsigned count;
	char example[400];
} lost;

typedef struct tally {
	unsigned compared, kept;
	lost lost[160];
	size_t n_lost;
} tally;

static void count(tally *t, const char *name, unsigned rec, int ok,
                  const char *want, const char *got)
{
	t->compared++;
	if (ok) {
		t->kept++;
		return;
	}
	size_t i = 0;
	while (i < t->n_lost && strcmp(t->lost[i].name, name) != 0)
		i++;
	if (i == t->n_lost) {
		ck_assert_uint_lt(t->n_lost, sizeof t->lost / sizeof t->lost[0]);
		t->n_lost++;
		snprintf(t->lost[i].name, sizeof t->lost[i].name, "%s", name);
		char *ex = t->lost[i].example;
		snprintf(ex, sizeof t->lost[i].example, "record %u: want [%s] got [%s]",
		         rec, want ? want : "(none)", got ? got : "(none)");
		for (; *ex; ex++) /* one line per lost field */
			if (*ex == '\n')
				*ex = '|';
	}
	t->lost[i].count++;
}

static int same(const char *want, const char *got)
{
	return got && strcmp(want, got) == 0;
}

/* The issued date of a record as the writers see it. */
static const char *issued(const pb_record *r)
{
	const char *v = pb_record_var(r, "issued");
	if (v)
		return v;
	return r->venue.date ? r->venue.date : r->venue.year;
}

/* Canonical text of a date cut to the precision forms allows. */
static void date_canon(const char *text, unsigned forms, char *out, size_t size)
{
	pb_date d;
	pb_date_parse(text, &d);
	if (!d.text && !(forms & D_DAY))
		d.day[0] = d.day[1] = 0;
	if (!d.text && !(forms & D_MONTH))
		d.month[0] = d.month[1] = 0;
	if (!pb_date_format(&d, out, size))
		snprintf(out, size, "%s", text);
}

static void name_text(pb_buf *b, const pb_name *n, unsigned parts)
{
	pb_buf_printf(b, "[%s|%s|%s|%s|%s|%s]", n->given ? n->given : "",
	              n->family ? n->family : "",
	              (parts & N_PARTICLE) && n->particle ? n->particle : "",
	              n->suffix ? n->suffix : "", n->literal ? n->literal : "",
	              (parts & N_DROPPING) && n->dropping ? n->dropping : "");
}

/* The names of role (NULL: authors) as text of the parts held; 0 when a
 * name needs a part that parts lacks. */
static int names_text(pb_buf *b, const pb_record *r, const char *role,
                      unsigned parts)
{
	int ok = 1;
	const pb_name *list = r->authors;
	size_t n = role ? r->n_people : r->n_authors;
	for (size_t i = 0; i < n; i++) {
		const pb_name *nm = role ? &r->people[i].name : &list[i];
		if (role && strcmp(r->people[i].role, role) != 0)
			continue;
		int etal = nm->literal && strcmp(nm->literal, "others") == 0;
		if ((etal && !(parts & N_ETAL)) ||
		    (nm->dropping && !(parts & N_DROPPING)) ||
		    (nm->literal && strchr(nm->literal, ',') && !(parts & N_COMMA)))
			ok = 0;
		name_text(b, nm, parts);
	}
	return ok;
}

static void compare_names(tally *t, unsigned rec, const pb_record *want,
                          const pb_record *got, const char *role,
                          unsigned parts)
{
	pb_buf a = PB_BUF_INIT, g = PB_BUF_INIT;
	if (names_text(&a, want, role, parts)) {
		names_text(&g, got, role, parts);
		const char *ws = pb_buf_cstr(&a), *gs = pb_buf_cstr(&g);
		count(t, role ? role : "author", rec, strcmp(ws, gs) == 0, ws, gs);
	}
	pb_buf_free(&a);
	pb_buf_free(&g);
}

static const char *member(const pb_record *r, const char *name)
{
	const pb_csl_var *v = pb_csl_var_find(name);
	if (v && v->home == PB_CSL_IN_MEMBER && v->member != PB_F_COUNT)
		return pb_record_get(r, v->member);
	return pb_record_var(r, name);
}

/* Compares want (generated) with got (after the round trip) on what both
 * a and b hold. */
static void compare(tally *t, unsigned rec, const pb_record *want,
                    const pb_record *got, const format_cap *a,
                    const format_cap *b)
{
	pb_type ty = want->type;
	char w[256], g[256];
	if (holds_type(a, ty) && holds_type(b, ty))
		count(t, "type", rec, want->type == got->type, pb_type_name(want->type),
		      pb_type_name(got->type));

	/* string variables: members and vars */
	for (size_t k = 0; k < pb_csl_n_vars; k++) {
		const pb_csl_var *v = &pb_csl_vars[k];
		if (v->kind == PB_CSL_NAME || v->home == PB_CSL_NOT_HELD ||
		    strcmp(v->name, "keyword") == 0)
			continue;
		if (!holds(a, v->name, ty) || !holds(b, v->name, ty))
			continue;
		if (v->kind == PB_CSL_DATE) {
			const char *wv = strcmp(v->name, "issued") == 0
			                     ? issued(want)
			                     : pb_record_var(want, v->name);
			if (!wv)
				continue;
			const char *gv = strcmp(v->name, "issued") == 0
			                     ? issued(got)
			                     : pb_record_var(got, v->name);
			unsigned forms = date_forms(a, v->name, ty) &
			                 date_forms(b, v->name, ty);
			pb_date d;
			pb_date_parse(wv, &d);
			unsigned need = date_needs(&d) & ~(unsigned)(D_MONTH | D_DAY);
			if ((need & forms) != need)
				continue; /* a form one of them cannot hold */
			date_canon(wv, forms, w, sizeof w);
			if (gv)
				date_canon(gv, forms, g, sizeof g);
			count(t, v->name, rec, gv && strcmp(w, g) == 0, w, gv ? g : NULL);
			continue;
		}
		const char *wv = member(want, v->name);
		if (!wv)
			continue;
		const char *gv = member(got, v->name);
		if (strcmp(v->name, "note") == 0)
			/* the note convention may add lines to the note */
			count(t, v->name, rec, gv && strstr(gv, wv), wv, gv);
		else
			count(t, v->name, rec, same(wv, gv), wv, gv);
	}

	/* keywords, as one ordered list */
	if (want->n_keywords && holds(a, "keyword", ty) && holds(b, "keyword", ty)) {
		pb_buf x = PB_BUF_INIT, y = PB_BUF_INIT;
		for (size_t i = 0; i < want->n_keywords; i++)
			pb_buf_printf(&x, "%s;", want->keywords[i]);
		for (size_t i = 0; i < got->n_keywords; i++)
			pb_buf_printf(&y, "%s;", got->keywords[i]);
		const char *xs = pb_buf_cstr(&x), *ys = pb_buf_cstr(&y);
		count(t, "keyword", rec, strcmp(xs, ys) == 0, xs, ys);
		pb_buf_free(&x);
		pb_buf_free(&y);
	}

	/* names of every role */
	unsigned parts = a->names & b->names;
	if (want->n_authors && holds(a, "author", ty) && holds(b, "author", ty))
		compare_names(t, rec, want, got, NULL, parts);
	for (size_t k = 0; k < pb_csl_n_vars; k++) {
		const pb_csl_var *v = &pb_csl_vars[k];
		if (v->home != PB_CSL_IN_PEOPLE || !pb_record_count_people(want, v->name))
			continue;
		if (holds(a, v->name, ty) && holds(b, v->name, ty))
			compare_names(t, rec, want, got, v->name, parts);
	}

	/* extra fields: kept with their name, or as a "Key: value" line of
	 * the note */
	if (holds(a, "extra", ty) && holds(b, "extra", ty))
		for (size_t i = 0; i < want->n_extra; i++) {
			const pb_extra *e = &want->extra[i];
			const char *gv = pb_record_get_extra(got, e->key);
			int ok = gv && strcmp(gv, e->value) == 0;
			if (!ok && got->note) {
				snprintf(w, sizeof w, "%s: %s", e->key, e->value);
				ok = strstr(got->note, w) != NULL;
			}
			snprintf(g, sizeof g, "%s", gv ? gv : "(none)");
			count(t, "extra", rec, ok, e->value, g);
		}
}

/* ------------------------------------------------------------------ */
/* The conversions. */

/* PB_ROUNDTRIP_DUMP=DIR keeps every intermediate file as
 * DIR/PAIR-STEP-FORMAT.txt, to see which writer or reader lost a field. */
static void dump(const char *text_out, size_t len, int pair, int step,
                 const char *format)
{
	const char *dir = getenv("PB_ROUNDTRIP_DUMP");
	if (!dir)
		return;
	char path[512];
	snprintf(path, sizeof path, "%s/%02d-%d-%s.txt", dir, pair, step, format);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(text_out, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void convert(test_records *out, const pb_record *recs, size_t n,
                    const format_cap *c, int pair, int step)
{
	const pb_format *w = pb_format_find(c->writer);
	const pb_input_format *r = pb_input_format_find(c->reader);
	ck_assert_msg(w && r, "no writer or reader for %s", c->writer);
	const pb_record **p = test_pointers(recs, n);
	int rc;
	size_t len;
	char *text_out = test_write(w, NULL, NULL, p, n, &rc, &len);
	ck_assert_msg(rc == PB_OK, "%s writer: %s", c->writer, pb_strerror(rc));
	dump(text_out, len, pair, step, c->writer);
	test_read(out, text_out, len, r, NULL);
	ck_assert_msg(out->n == n, "%s: %zu records written, %zu read back: %s",
	              c->writer, n, out->n, pb_buf_cstr(&out->diags));
	free(text_out);
	free(p);
}

/* The pair of index i: caps[i / N_CAPS] -> caps[i % N_CAPS] -> back. */
static double run_pair(int i, tally *t)
{
	const format_cap *a = &caps[i / N_CAPS], *b = &caps[i % N_CAPS];
	pb_record *gen = calloc(N_RECORDS, sizeof *gen);
	ck_assert_ptr_nonnull(gen);
	rng_state = SEED;
	for (unsigned k = 0; k < N_RECORDS; k++)
		generate(&gen[k], k);
	test_records r1, r2, r3;
	convert(&r1, gen, N_RECORDS, a, i, 1);
	const test_records *last = &r1;
	if (a != b) {
		convert(&r2, r1.recs, r1.n, b, i, 2);
		convert(&r3, r2.recs, r2.n, a, i, 3);
		last = &r3;
	}
	memset(t, 0, sizeof *t);
	for (unsigned k = 0; k < N_RECORDS; k++)
		compare(t, k, &gen[k], &last->recs[k], a, b);
	if (a != b) {
		test_records_free(&r2);
		test_records_free(&r3);
	}
	test_records_free(&r1);
	for (unsigned k = 0; k < N_RECORDS; k++)
		pb_record_clear(&gen[k]);
	free(gen);
	return t->compared ? 100.0 * t->kept / t->compared : 100.0;
}

static void report(int i, const tally *t, double pct)
{
	const format_cap *a = &caps[i / N_CAPS], *b = &caps[i % N_CAPS];
	fprintf(stderr, "roundtrip %s -> %s%s%s: %u of %u fields kept (%.2f%%)\n",
	        a->writer, b->writer, a != b ? " -> " : "", a != b ? a->writer : "",
	        t->kept, t->compared, pct);
	for (size_t k = 0; k < t->n_lost; k++)
		fprintf(stderr, "  lost %-26s %4u times; %s\n", t->lost[k].name,
		        t->lost[k].count, t->lost[k].example);
}

START_TEST(test_pair)
{
	static tally t;
	double pct = run_pair(_i, &t);
	if (pct < BAR || getenv("PB_ROUNDTRIP_REPORT"))
		report(_i, &t, pct);
	ck_assert_msg(pct >= BAR, "%s -> %s: %.2f%% of %u fields kept, bar %.0f%%",
	              caps[_i / N_CAPS].writer, caps[_i % N_CAPS].writer, pct,
	              t.compared, BAR);
}
END_TEST

/* The generator covers what it promises: every type, variable, role and
 * date form appears in the records of one run. */
START_TEST(test_generator_covers)
{
	rng_state = SEED;
	static unsigned seen_vars[256], seen_types[PB_TYPE_COUNT], forms;
	memset(seen_vars, 0, sizeof seen_vars);
	memset(seen_types, 0, sizeof seen_types);
	forms = 0;
	ck_assert_uint_le(pb_csl_n_vars, 256);
	for (unsigned k = 0; k < N_RECORDS; k++) {
		pb_record r;
		generate(&r, k);
		seen_types[r.type]++;
		for (size_t j = 0; j < pb_csl_n_vars; j++) {
			const pb_csl_var *v = &pb_csl_vars[j];
			const char *val = v->home == PB_CSL_IN_PEOPLE
			                      ? (pb_record_count_people(&r, v->name) ? "y" : NULL)
			                  : strcmp(v->name, "issued") == 0 ? issued(&r)
			                                                   : member(&r, v->name);
			if (val)
				seen_vars[j]++;
			if (val && v->kind == PB_CSL_DATE) {
				pb_date d;
				pb_date_parse(val, &d);
				forms |= date_needs(&d);
			}
		}
		pb_record_clear(&r);
	}
	for (int k = 0; k < PB_TYPE_COUNT; k++)
		ck_assert_msg(seen_types[k], "type %s never generated",
		              pb_type_name((pb_type)k));
	for (size_t j = 0; j < pb_csl_n_vars; j++) {
		const pb_csl_var *v = &pb_csl_vars[j];
		if (v->home == PB_CSL_NOT_HELD || strcmp(v->name, "keyword") == 0 ||
		    strcmp(v->name, "author") == 0)
			continue;
		ck_assert_msg(seen_vars[j], "variable %s never generated", v->name);
	}
	ck_assert_uint_eq(forms, D_ALL);
}
END_TEST

/* The capability table names only CSL variables and roles, and formats
 * that have a writer and a reader. */
START_TEST(test_caps_valid)
{
	for (int i = 0; i < N_CAPS; i++) {
		ck_assert_ptr_nonnull(pb_format_find(caps[i].writer));
		ck_assert_ptr_nonnull(pb_input_format_find(caps[i].reader));
		ck_assert_ptr_eq(cap_find(caps[i].writer), &caps[i]);
		for (const cap_field *f = caps[i].fields; f->name; f++)
			ck_assert_msg(strcmp(f->name, "extra") == 0 ||
			                  pb_csl_var_find(f->name) != NULL,
			              "%s: %s is no CSL variable", caps[i].writer, f->name);
		if (caps[i].types) {
			char buf[64];
			for (const char *p = caps[i].types; *p;) {
				size_t n = strcspn(p, " ");
				ck_assert_uint_lt(n, sizeof buf);
				memcpy(buf, p, n);
				buf[n] = '\0';
				pb_type t;
				ck_assert_msg(pb_type_from_name(buf, &t) == PB_OK,
				              "%s: %s is no CSL type", caps[i].writer, buf);
				p += n;
				p += strspn(p, " ");
			}
		}
	}
}
END_TEST

Suite *roundtrip_suite(void)
{
	Suite *s = suite_create("roundtrip");
	TCase *tc = tcase_create("pairs");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_caps_valid);
	tcase_add_test(tc, test_generator_covers);
	tcase_add_loop_test(tc, test_pair, 0, N_CAPS * N_CAPS);
	suite_add_tcase(s, tc);
	return s;
}
