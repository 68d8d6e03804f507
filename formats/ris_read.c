/* RIS reader: what paperbib's RIS writer writes, and what Zotero,
 * EndNote, Mendeley, bibutils, Web of Science, Scopus, Ovid, PubMed and
 * Google Scholar write.
 *
 * A record is "TY  - TYPE", tag lines "XX  - value", then "ER  - ". A line
 * that is not a tag line continues the value before it (some tools wrap
 * long abstracts); under KW it is a keyword of its own. The tags of a
 * record are collected, then mapped by the tables below, by TY where the
 * meaning of a tag depends on it, as Zotero's RIS import (RIS.js) maps
 * them, in CSL's terms. A record missing its ER ends at the next TY or at
 * the end of the input, with a warning. Line ends and a BOM are the line
 * source's business. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paperbib/csl.h"
#include "paperbib/paperbib.h"
#include "readutil.h"
#include "venue.h"

/* Sets of kinds of work, for the tags whose meaning depends on TY. */
#define TS(t) (UINT64_C(1) << PB_TYPE_##t)
#define S_JOURNAL                                                            \
	(TS(ARTICLE) | TS(ARTICLE_MAGAZINE) | TS(ARTICLE_NEWSPAPER) |            \
	 TS(ARTICLE_PLAIN) | TS(PERIODICAL) | TS(REVIEW) | TS(REVIEW_BOOK))
#define S_ENTRY (TS(ENTRY) | TS(ENTRY_DICTIONARY) | TS(ENTRY_ENCYCLOPEDIA))
#define S_FILM (TS(MOTION_PICTURE) | TS(BROADCAST))
#define S_LAW (TS(BILL) | TS(LEGISLATION))

/* TY values and the kind of work, as Zotero's RIS import maps them (its
 * item type in CSL's terms), with CSL's finer type where Zotero has none
 * (DATA, AGGR: dataset; ANCIENT: classic; FIGURE: figure; STAND:
 * standard). GEN is document, which paperbib writes as GEN. EDBOOK's
 * authors are its editors (Zotero's EndNote fix). Anything else is a
 * document. */
static const struct ris_type {
	const char *ty;
	pb_type type;
	const char *au_role; /* the role of AU and A1, when not author */
} ris_types[] = {
	{"JOUR", PB_TYPE_ARTICLE, NULL},
	{"CONF", PB_TYPE_PAPER_CONFERENCE, NULL},
	{"CPAPER", PB_TYPE_PAPER_CONFERENCE, NULL},
	{"BOOK", PB_TYPE_BOOK, NULL},
	{"CHAP", PB_TYPE_CHAPTER, NULL},
	{"THES", PB_TYPE_THESIS, NULL},
	{"RPRT", PB_TYPE_REPORT, NULL},
	{"GEN", PB_TYPE_MISC, NULL},
	{"ABST", PB_TYPE_ARTICLE, NULL},
	{"EJOUR", PB_TYPE_ARTICLE, NULL},
	{"JFULL", PB_TYPE_ARTICLE, NULL},
	{"INPR", PB_TYPE_MANUSCRIPT, NULL},
	{"MGZN", PB_TYPE_ARTICLE_MAGAZINE, NULL},
	{"CTLG", PB_TYPE_ARTICLE_MAGAZINE, NULL},
	{"NEWS", PB_TYPE_ARTICLE_NEWSPAPER, NULL},
	{"EBOOK", PB_TYPE_BOOK, NULL},
	{"EDBOOK", PB_TYPE_BOOK, "editor"},
	{"CLSWK", PB_TYPE_BOOK, NULL},
	{"SER", PB_TYPE_BOOK, NULL},
	{"ECHAP", PB_TYPE_CHAPTER, NULL},
	{"GOVDOC", PB_TYPE_REPORT, NULL},
	{"STAND", PB_TYPE_STANDARD, NULL},
	{"ELEC", PB_TYPE_WEBPAGE, NULL},
	{"WEB", PB_TYPE_WEBPAGE, NULL},
	{"BLOG", PB_TYPE_POST_WEBLOG, NULL},
	{"DATA", PB_TYPE_DATASET, NULL},
	{"DBASE", PB_TYPE_DATASET, NULL},
	{"AGGR", PB_TYPE_DATASET, NULL},
	{"COMP", PB_TYPE_SOFTWARE, NULL},
	{"PAT", PB_TYPE_PATENT, NULL},
	{"CASE", PB_TYPE_LEGAL_CASE, NULL},
	{"LEGAL", PB_TYPE_LEGAL_CASE, NULL},
	{"STAT", PB_TYPE_LEGISLATION, NULL},
	{"BILL", PB_TYPE_BILL, NULL},
	{"UNBILL", PB_TYPE_MANUSCRIPT, NULL},
	{"HEAR", PB_TYPE_HEARING, NULL},
	{"MAP", PB_TYPE_MAP, NULL},
	{"ART", PB_TYPE_GRAPHIC, NULL},
	{"CHART", PB_TYPE_GRAPHIC, NULL},
	{"FIGURE", PB_TYPE_FIGURE, NULL},
	{"MPCT", PB_TYPE_MOTION_PICTURE, NULL},
	{"VIDEO", PB_TYPE_MOTION_PICTURE, NULL},
	{"ADVS", PB_TYPE_MOTION_PICTURE, NULL},
	{"MULTI", PB_TYPE_MOTION_PICTURE, NULL},
	{"SOUND", PB_TYPE_SONG, NULL},
	{"MUSIC", PB_TYPE_SONG, NULL},
	{"SLIDE", PB_TYPE_SPEECH, NULL},
	{"PCOMM", PB_TYPE_PERSONAL_COMMUNICATION, NULL},
	{"ICOMM", PB_TYPE_PERSONAL_COMMUNICATION, NULL},
	{"DICT", PB_TYPE_ENTRY_DICTIONARY, NULL},
	{"ENCYC", PB_TYPE_ENTRY_ENCYCLOPEDIA, NULL},
	{"MANSCPT", PB_TYPE_MANUSCRIPT, NULL},
	{"UNPD", PB_TYPE_MANUSCRIPT, NULL},
	{"PAMP", PB_TYPE_MANUSCRIPT, NULL},
	{"ANCIENT", PB_TYPE_CLASSIC, NULL},
	{"EQUA", PB_TYPE_MISC, NULL},
	{"GRNT", PB_TYPE_MISC, NULL},
};

/* What a tag's value becomes. */
enum ris_kind {
	R_MEMBER,    /* a member of the record (field); the first value */
	R_VAR,       /* the CSL variable name; the first value */
	R_NAMES,     /* names in role name ("author": the authors), one a
	              * line or a ';'-separated list */
	R_CONTAINER, /* container-title */
	R_SHORT,     /* container-title-short; container-title when none */
	R_EVENT,     /* the event of a conference paper (Zotero's
	              * conferenceName), read as the writers make it */
	R_DATE,      /* DA, Y1: issued, "YYYY/MM/DD/other", "MAY", ... */
	R_YEAR,      /* PY: issued as well, where DA says less */
	R_DATE_VAR,  /* a date variable (name) other than issued */
	R_SN,        /* ISBN or ISSN by its form, else the variable name */
	R_DOI,       /* DOI, without a resolver's prefix */
	R_DOI_MAYBE, /* M3 of most types: a DOI when it is one (EndNote) */
	R_URL,       /* UR: the page; a second one the PDF */
	R_KEYWORD,   /* one keyword */
	R_NOTE,      /* N1: "Key: value" lines, "Code: URL" and the rest */
	R_PAGE,      /* SP: the first page or the range */
	R_PAGE_END,  /* EP */
	R_EXTRA,     /* kept as an extra field under the tag */
	R_TYPE,      /* TY */
	R_END        /* ER */
};

/* Tags by TY: the first row of a tag whose types hold the record's type
 * (0: every type) decides. Rows with a priority are backups, used only
 * when no other tag gave the value, higher priority first (BT, then T2 of
 * an unknown type, then a journal's abbreviation as its title). Tags not
 * listed are kept as extra fields under the tag. */
static const struct ris_tag {
	char tag[3];
	uint64_t types;
	enum ris_kind kind;
	const char *name; /* R_VAR, R_NAMES, R_DATE_VAR, R_SN */
	pb_field field;   /* R_MEMBER */
	int priority;
} ris_tags[] = {
	{"TY", 0, R_TYPE, NULL, PB_F_COUNT, 0},
	{"ER", 0, R_END, NULL, PB_F_COUNT, 0},
	{"TI", 0, R_MEMBER, NULL, PB_F_TITLE, 0},
	{"T1", 0, R_MEMBER, NULL, PB_F_TITLE, 0},
	{"CT", 0, R_MEMBER, NULL, PB_F_TITLE, 0},
	{"ST", 0, R_VAR, "title-short", PB_F_COUNT, 0},
	{"AU", TS(SONG), R_NAMES, "composer", PB_F_COUNT, 0},
	{"AU", S_FILM, R_NAMES, "director", PB_F_COUNT, 0},
	{"AU", 0, R_NAMES, "author", PB_F_COUNT, 0},
	{"A1", TS(SONG), R_NAMES, "composer", PB_F_COUNT, 0},
	{"A1", S_FILM, R_NAMES, "director", PB_F_COUNT, 0},
	{"A1", 0, R_NAMES, "author", PB_F_COUNT, 0},
	{"A2", TS(BILL), R_NAMES, "author", PB_F_COUNT, 0},
	{"A2", TS(SONG), R_NAMES, "performer", PB_F_COUNT, 0},
	{"A2", TS(INTERVIEW), R_NAMES, "interviewer", PB_F_COUNT, 0},
	{"A2", TS(BOOK) | TS(REPORT), R_NAMES, "collection-editor", PB_F_COUNT, 0},
	{"A2", TS(PERSONAL_COMMUNICATION), R_NAMES, "recipient", PB_F_COUNT, 0},
	{"A2", TS(LEGAL_CASE), R_CONTAINER, NULL, PB_F_COUNT, 0},
	{"A2", TS(PATENT), R_VAR, "authority", PB_F_COUNT, 0},
	{"A2", 0, R_NAMES, "editor", PB_F_COUNT, 0},
	{"A3", TS(THESIS) | TS(BILL), R_NAMES, "contributor", PB_F_COUNT, 0},
	{"A3", S_FILM, R_NAMES, "producer", PB_F_COUNT, 0},
	{"A3", TS(BOOK), R_NAMES, "editor", PB_F_COUNT, 0},
	{"A3", 0, R_NAMES, "collection-editor", PB_F_COUNT, 0},
	{"A4", TS(LEGAL_CASE) | TS(PAPER_CONFERENCE) | TS(MOTION_PICTURE) |
	           TS(DATASET),
	 R_NAMES, "contributor", PB_F_COUNT, 0},
	{"A4", 0, R_NAMES, "translator", PB_F_COUNT, 0},
	{"ED", 0, R_NAMES, "editor", PB_F_COUNT, 0},
	{"C1", TS(PAPER_CONFERENCE), R_MEMBER, NULL, PB_F_VENUE_LOCATION, 0},
	{"C1", TS(MAP), R_VAR, "scale", PB_F_COUNT, 0},
	{"C1", TS(PATENT), R_DATE_VAR, "submitted", PB_F_COUNT, 0},
	{"C2", TS(CHAPTER), R_NAMES, "container-author", PB_F_COUNT, 0},
	{"C3", TS(PAPER_CONFERENCE), R_CONTAINER, NULL, PB_F_COUNT, 0},
	{"C3", TS(GRAPHIC), R_VAR, "dimensions", PB_F_COUNT, 0},
	{"C4", TS(MOTION_PICTURE), R_VAR, "genre", PB_F_COUNT, 0},
	{"C5", TS(SONG) | S_FILM, R_VAR, "medium", PB_F_COUNT, 0},
	{"C5", TS(PATENT), R_VAR, "references", PB_F_COUNT, 0},
	{"C6", TS(PATENT), R_VAR, "status", PB_F_COUNT, 0},
	{"T2", TS(PAPER_CONFERENCE), R_EVENT, NULL, PB_F_COUNT, 0},
	{"T2", TS(HEARING), R_VAR, "section", PB_F_COUNT, 0},
	{"T2", TS(SPEECH), R_VAR, "event-title", PB_F_COUNT, 0},
	{"T2", TS(SOFTWARE) | TS(MAP) | TS(REPORT) | TS(BOOK), R_VAR,
	 "collection-title", PB_F_COUNT, 0},
	{"T2", S_JOURNAL | S_LAW | S_ENTRY | TS(CHAPTER) | TS(POST_WEBLOG) |
	           TS(WEBPAGE) | TS(BROADCAST),
	 R_CONTAINER, NULL, PB_F_COUNT, 0},
	{"T2", 0, R_CONTAINER, NULL, PB_F_COUNT, 2},
	{"T3", TS(HEARING) | TS(BILL), R_VAR, "authority", PB_F_COUNT, 0},
	{"T3", 0, R_VAR, "collection-title", PB_F_COUNT, 0},
	{"JF", 0, R_CONTAINER, NULL, PB_F_COUNT, 0},
	{"JO", TS(PAPER_CONFERENCE), R_EVENT, NULL, PB_F_COUNT, 0},
	{"JO", 0, R_SHORT, NULL, PB_F_COUNT, 1},
	{"JA", 0, R_SHORT, NULL, PB_F_COUNT, 1},
	{"J2", 0, R_SHORT, NULL, PB_F_COUNT, 1},
	/* Web of Science's 29-character and ISO abbreviations */
	{"J9", 0, R_SHORT, NULL, PB_F_COUNT, 1},
	{"JI", 0, R_SHORT, NULL, PB_F_COUNT, 1},
	{"BT", TS(BOOK) | TS(MANUSCRIPT), R_MEMBER, NULL, PB_F_TITLE, 3},
	{"BT", TS(CHAPTER), R_CONTAINER, NULL, PB_F_COUNT, 0},
	{"BT", 0, R_CONTAINER, NULL, PB_F_COUNT, 3},
	{"DA", 0, R_DATE, NULL, PB_F_COUNT, 0},
	{"Y1", 0, R_DATE, NULL, PB_F_COUNT, 0},
	{"PY", 0, R_YEAR, NULL, PB_F_COUNT, 0},
	{"Y2", 0, R_DATE_VAR, "accessed", PB_F_COUNT, 0},
	{"ET", S_LAW | TS(HEARING), R_VAR, "chapter-number", PB_F_COUNT, 0},
	{"ET", TS(SOFTWARE) | TS(DATASET), R_VAR, "version", PB_F_COUNT, 0},
	{"ET", 0, R_VAR, "edition", PB_F_COUNT, 0},
	{"IS", TS(CHAPTER), R_VAR, "number-of-volumes", PB_F_COUNT, 0},
	{"IS", TS(DATASET), R_VAR, "version", PB_F_COUNT, 0},
	{"IS", 0, R_VAR, "issue", PB_F_COUNT, 0},
	{"VL", TS(PATENT) | TS(WEBPAGE), R_EXTRA, NULL, PB_F_COUNT, 0},
	{"VL", 0, R_VAR, "volume", PB_F_COUNT, 0},
	{"NV", TS(DATASET), R_VAR, "number", PB_F_COUNT, 0},
	{"NV", 0, R_VAR, "number-of-volumes", PB_F_COUNT, 0},
	{"M1", TS(BOOK), R_VAR, "collection-number", PB_F_COUNT, 0},
	{"M1", S_LAW | TS(HEARING) | TS(PATENT) | TS(BROADCAST), R_VAR, "number",
	 PB_F_COUNT, 0},
	{"M1", TS(ARTICLE), R_VAR, "issue", PB_F_COUNT, 0},
	{"M1", TS(CHAPTER), R_VAR, "number-of-volumes", PB_F_COUNT, 0},
	{"M3", TS(MANUSCRIPT) | TS(MAP) | TS(REPORT) | TS(THESIS) |
	           TS(POST_WEBLOG) | TS(WEBPAGE) | TS(POST) |
	           TS(PERSONAL_COMMUNICATION) | TS(SPEECH),
	 R_VAR, "genre", PB_F_COUNT, 0},
	{"M3", TS(INTERVIEW) | TS(GRAPHIC), R_VAR, "medium", PB_F_COUNT, 0},
	{"M3", 0, R_DOI_MAYBE, NULL, PB_F_COUNT, 0},
	{"OP", TS(HEARING) | S_LAW | TS(LEGAL_CASE), R_VAR, "references",
	 PB_F_COUNT, 0},
	{"PB", TS(LEGAL_CASE), R_VAR, "authority", PB_F_COUNT, 0},
	{"PB", 0, R_MEMBER, NULL, PB_F_VENUE_PUBLISHER, 0},
	{"CY", 0, R_MEMBER, NULL, PB_F_VENUE_LOCATION, 0},
	{"SE", TS(LEGAL_CASE), R_EXTRA, NULL, PB_F_COUNT, 0},
	{"SE", 0, R_VAR, "section", PB_F_COUNT, 0},
	{"SN", S_JOURNAL, R_SN, "ISSN", PB_F_COUNT, 0},
	{"SN", TS(PATENT) | TS(REPORT), R_SN, "number", PB_F_COUNT, 0},
	{"SN", 0, R_SN, "ISBN", PB_F_COUNT, 0},
	{"SP", TS(BOOK) | TS(THESIS) | TS(MANUSCRIPT), R_VAR, "number-of-pages",
	 PB_F_COUNT, 0},
	{"SP", TS(MOTION_PICTURE), R_VAR, "dimensions", PB_F_COUNT, 0},
	{"SP", 0, R_PAGE, NULL, PB_F_COUNT, 0},
	{"EP", TS(BOOK) | TS(THESIS) | TS(MANUSCRIPT) | TS(MOTION_PICTURE),
	 R_EXTRA, NULL, PB_F_COUNT, 0},
	{"EP", 0, R_PAGE_END, NULL, PB_F_COUNT, 0},
	{"SV", TS(CHAPTER), R_VAR, "collection-number", PB_F_COUNT, 0},
	{"SV", TS(LEGAL_CASE), R_VAR, "number", PB_F_COUNT, 0},
	{"CN", 0, R_VAR, "call-number", PB_F_COUNT, 0},
	{"AN", 0, R_VAR, "archive_location", PB_F_COUNT, 0},
	{"AV", 0, R_VAR, "archive_location", PB_F_COUNT, 0},
	{"DB", 0, R_VAR, "archive", PB_F_COUNT, 0},
	{"DP", 0, R_VAR, "source", PB_F_COUNT, 0},
	{"DO", 0, R_DOI, NULL, PB_F_COUNT, 0},
	{"LA", 0, R_VAR, "language", PB_F_COUNT, 0},
	{"CR", 0, R_VAR, "license", PB_F_COUNT, 0},
	{"RI", 0, R_VAR, "reviewed-title", PB_F_COUNT, 0},
	{"UR", 0, R_URL, NULL, PB_F_COUNT, 0},
	{"L2", 0, R_URL, NULL, PB_F_COUNT, 0},
	{"LK", 0, R_URL, NULL, PB_F_COUNT, 0},
	{"L1", 0, R_MEMBER, NULL, PB_F_PDF_URL, 0},
	{"KW", 0, R_KEYWORD, NULL, PB_F_COUNT, 0},
	{"AB", 0, R_MEMBER, NULL, PB_F_ABSTRACT, 0},
	{"N2", 0, R_MEMBER, NULL, PB_F_ABSTRACT, 0},
	{"N1", 0, R_NOTE, NULL, PB_F_COUNT, 0},
	{"RN", 0, R_NOTE, NULL, PB_F_COUNT, 0},
	{"ID", 0, R_MEMBER, NULL, PB_F_KEY, 0},
};

typedef struct ris_line {
	char tag[3];
	size_t off, len; /* the value in arena */
	unsigned long line;
	const struct ris_tag *spec; /* its row for the record's type */
} ris_line;

typedef struct rstate {
	int in_record;
	unsigned long start; /* line of TY */
	ris_line *tags;
	size_t n, cap;
	pb_buf arena; /* values of the record's tags */
	pb_buf pages;
	pb_buf tmp;
	int ep_first; /* pages holds EP, read before SP */
	int eof;
	int warned_outside;
} rstate;

/* The row for tag in a record of type t, or NULL. */
static const struct ris_tag *tag_spec(const char *tag, pb_type t)
{
	for (size_t i = 0; i < sizeof ris_tags / sizeof ris_tags[0]; i++)
		if (memcmp(ris_tags[i].tag, tag, 2) == 0 &&
		    (!ris_tags[i].types || (ris_tags[i].types >> t & 1u)))
			return &ris_tags[i];
	return NULL;
}

/* "XX  - value": a capital and a capital or digit, spaces, a hyphen,
 * then a space or the end. Sets the value (trimmed). */
static int tag_line(const char *s, size_t n, const char **value, size_t *vlen)
{
	if (n < 3 || !isupper((unsigned char)s[0]) ||
	    !(isupper((unsigned char)s[1]) || isdigit((unsigned char)s[1])))
		return 0;
	size_t i = 2;
	while (i < n && s[i] == ' ')
		i++;
	if (i == 2 || i > 4 || i >= n || s[i] != '-')
		return 0;
	i++;
	if (i < n && s[i] != ' ')
		return 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (n > i && isspace((unsigned char)s[n - 1]))
		n--;
	*value = s + i;
	*vlen = n - i;
	return 1;
}

static const char *value_of(const rstate *st, const ris_line *t)
{
	return st->arena.data + t->off;
}

static int looks_like_pdf(const char *url)
{
	size_t n = strlen(url);
	return (n > 4 && strcmp(url + n - 4, ".pdf") == 0) ||
	       strstr(url, "/pdf") != NULL;
}

/* A date as RIS tools write it. */
typedef struct rdate {
	int y, m, d, season;
} rdate;

/* Whether s[0, n) is the ending of an English ordinal: "st", "nd",
 * "rd", "th" (ASCII case-insensitive). */
static int ordinal(const char *s, size_t n)
{
	static const char *const ends[] = {"st", "nd", "rd", "th"};
	for (size_t i = 0; n == 2 && i < sizeof ends / sizeof *ends; i++)
		if (strncasecmp(s, ends[i], 2) == 0)
			return 1;
	return 0;
}

/* Reads "YYYY/MM/DD/other" (parts may be empty or one digit), ISO
 * "YYYY-MM-DD", or words: "2022 May 15", "May 15, 2022", "15th May
 * 2000", "MAY", "Spring 2000". Returns the number of parts found (0: none). */
static int parse_rdate(const char *s, rdate *out)
{
	memset(out, 0, sizeof *out);
	while (isspace((unsigned char)*s))
		s++;
	size_t nd = 0;
	while (isdigit((unsigned char)s[nd]))
		nd++;
	if (nd == 4 && (s[4] == '/' || s[4] == '-' || s[4] == '\0')) {
		char sep = s[4];
		const char *p = s + 4;
		out->y = (int)strtol(s, NULL, 10);
		int *parts[2] = {&out->m, &out->d};
		for (int k = 0; k < 2 && *p == sep && sep; k++) {
			p++;
			int v = 0, n = 0;
			while (isdigit((unsigned char)*p) && n < 3)
				v = v * 10 + (*p++ - '0'), n++;
			*parts[k] = v;
			if (!n)
				break;
		}
		if (out->m >= 21 && out->m <= 24 && !out->d) {
			out->season = out->m - 20;
			out->m = 0;
		}
		if (out->m < 1 || out->m > 12)
			out->m = out->d = 0;
		if (out->d < 1 || out->d > 31)
			out->d = 0;
		if (out->y)
			return 1 + (out->m > 0) + (out->d > 0) + (out->season > 0);
		memset(out, 0, sizeof *out);
	}
	/* words and numbers in any order */
	int day = 0;
	for (const char *p = s; *p;) {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (isalnum((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - w);
		size_t nw = 0; /* its digits */
		while (nw < n && isdigit((unsigned char)w[nw]))
			nw++;
		if (nw) {
			/* only four digits alone are a year: "15th" is four
			 * characters but a day, as are "1st", "2nd", "3rd" */
			int v = nw <= 4 ? (int)strtol(w, NULL, 10) : 0;
			if (nw == n && n == 4 && !out->y)
				out->y = v;
			else if (nw <= 2 &&
			         (nw == n || ordinal(w + nw, n - nw)) &&
			         v >= 1 && v <= 31 && !day)
				day = v;
		} else if (n >= 3 && n < 16) {
			char word[16];
			memcpy(word, w, n);
			word[n] = '\0';
			int season = pb_season_from_name(word);
			int month = season ? 0 : pb_read_month(word);
			if (season && !out->season)
				out->season = season;
			else if (month && !out->m)
				out->m = month;
		}
	}
	if (out->m)
		out->d = day; /* a day only with its month */
	return (out->y > 0) + (out->m > 0) + (out->d > 0) + (out->season > 0);
}

/* Issued from DA (or Y1) and PY, as Zotero takes them: DA is the date,
 * PY the year; a DA without a year ("MAY") takes PY's; between two dates
 * of one year, the fuller wins. A date that is no date at all is kept as
 * a literal. */
static int set_issued(pb_record *out, const char *da, const char *py)
{
	rdate d, p;
	int nd = da ? parse_rdate(da, &d) : 0;
	int np = py ? parse_rdate(py, &p) : 0;
	rdate r;
	if (nd && d.y && !(np && p.y == d.y && np > nd))
		r = d;
	else if (np && p.y) {
		r = p;
		if (nd && !d.y && !p.m && !p.season) {
			r.m = d.m;
			r.d = d.d;
			r.season = d.season;
		}
	} else {
		const char *text = da ? da : py;
		if (!text)
			return PB_OK;
		pb_buf lit = PB_BUF_INIT;
		int rc = pb_buf_printf(&lit, "literal:%s", text)
		             ? PB_ENOMEM
		             : pb_record_set_issued(out, lit.data);
		pb_buf_free(&lit);
		return rc == PB_EDATA ? PB_OK : rc;
	}
	char buf[32];
	if (r.season)
		snprintf(buf, sizeof buf, "%04d-%02d", r.y, r.season + 20);
	else if (r.m && r.d)
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", r.y, r.m, r.d);
	else if (r.m)
		snprintf(buf, sizeof buf, "%04d-%02d", r.y, r.m);
	else
		snprintf(buf, sizeof buf, "%04d", r.y);
	int rc = pb_record_set_issued(out, buf);
	return rc == PB_EDATA ? PB_OK : rc;
}

/* A date variable as a literal date. */
static int set_literal_var(pb_record *out, const char *name, const char *text)
{
	pb_buf lit = PB_BUF_INIT;
	int rc = pb_buf_printf(&lit, "literal:%s", text)
	             ? PB_ENOMEM
	             : pb_record_set_var(out, name, lit.data);
	pb_buf_free(&lit);
	return rc;
}

/* A date variable other than issued in the text form of pb_date_format;
 * what is no date is kept as a literal. */
static int set_date_var(pb_record *out, const char *name, const char *text)
{
	rdate d;
	char buf[32];
	if (pb_record_var(out, name))
		return PB_OK;
	if (parse_rdate(text, &d) && d.y) {
		if (d.season)
			snprintf(buf, sizeof buf, "%04d-%02d", d.y, d.season + 20);
		else if (d.m && d.d)
			snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.y, d.m, d.d);
		else if (d.m)
			snprintf(buf, sizeof buf, "%04d-%02d", d.y, d.m);
		else
			snprintf(buf, sizeof buf, "%04d", d.y);
	} else {
		return set_literal_var(out, name, text);
	}
	return pb_record_set_var(out, name, buf);
}

/* Digits (and X) of s up to the first character that is none of digits,
 * X, '-' or a space; the count in *n. */
static size_t id_digits(const char *s, int *x_last)
{
	size_t n = 0;
	*x_last = 0;
	while (*s == ' ')
		s++;
	for (; *s && (isdigit((unsigned char)*s) || *s == '-' || *s == ' ' ||
	              *s == 'X' || *s == 'x');
	     s++) {
		if (*s == 'X' || *s == 'x') {
			n++;
			*x_last = 1;
		} else if (isdigit((unsigned char)*s)) {
			if (*x_last)
				return 0;
			n++;
		}
	}
	return n;
}

/* "dddd-dddX" anywhere, or eight digits alone (Scopus' "00189219"). */
static int looks_like_issn(const char *s)
{
	for (const char *p = s; *p; p++) {
		int ok = 1;
		for (int i = 0; i < 9 && ok; i++)
			ok = i == 4 ? p[i] == '-'
			            : isdigit((unsigned char)p[i]) ||
			                  (i == 8 && (p[i] == 'X' || p[i] == 'x'));
		if (ok && !isdigit((unsigned char)p[9]) && p[9] != '-' &&
		    (p == s || (!isdigit((unsigned char)p[-1]) && p[-1] != '-')))
			return 1;
	}
	int x;
	return id_digits(s, &x) == 8;
}

/* Ten or thirteen digits (the last may be X), with hyphens or spaces. */
static int looks_like_isbn(const char *s)
{
	int x;
	size_t n = id_digits(s, &x);
	return n == 10 || (n == 13 && !x);
}

/* SN: one or more ISBNs and ISSNs, separated by ';', each known by a
 * label ("03029743 (ISSN)", as Scopus writes them) or by its form, else
 * taken as the type's variable def. A second value of one variable is
 * added after a space (Zotero's ISBN field holds a list). */
static int read_sn(rstate *st, pb_record *out, const char *def,
                   const char *val)
{
	for (const char *p = val; *p;) {
		size_t n = strcspn(p, ";");
		const char *part = p;
		p += n + (p[n] == ';');
		while (n && isspace((unsigned char)*part))
			part++, n--;
		while (n && isspace((unsigned char)part[n - 1]))
			n--;
		if (!n)
			continue;
		pb_buf_reset(&st->tmp);
		if (pb_buf_append(&st->tmp, part, n) || !pb_buf_cstr(&st->tmp))
			return PB_ENOMEM;
		char *one = st->tmp.data;
		const char *var = NULL;
		char *label = strchr(one, '(');
		if (label && (strncasecmp(label, "(ISSN", 5) == 0 ||
		              strncasecmp(label, "(ISBN", 5) == 0)) {
			var = toupper((unsigned char)label[3]) == 'S' ? "ISSN" : "ISBN";
			while (label > one && isspace((unsigned char)label[-1]))
				label--;
			*label = '\0';
		}
		if (!var)
			var = looks_like_isbn(one)   ? "ISBN"
			      : looks_like_issn(one) ? "ISSN"
			                             : def;
		if (!*one)
			continue;
		const char *old = pb_record_var(out, var);
		int rc;
		if (old) {
			pb_buf both = PB_BUF_INIT;
			rc = pb_buf_printf(&both, "%s %s", old, one)
			         ? PB_ENOMEM
			         : pb_record_set_var(out, var, both.data);
			pb_buf_free(&both);
		} else {
			rc = pb_record_set_var(out, var, one);
		}
		if (rc)
			return rc;
	}
	return PB_OK;
}

/* KW: one keyword a line, commas kept; ';' separates keywords, as
 * Zotero reads them (EndNote's "Keyword4; Keyword5"). */
static int read_keywords(rstate *st, pb_record *out, const char *val)
{
	for (const char *p = val; *p;) {
		size_t n = strcspn(p, ";");
		const char *w = p;
		p += n + (p[n] == ';');
		while (n && isspace((unsigned char)*w))
			w++, n--;
		while (n && isspace((unsigned char)w[n - 1]))
			n--;
		pb_buf_reset(&st->tmp);
		if (n && (pb_buf_append(&st->tmp, w, n) || !pb_buf_cstr(&st->tmp) ||
		          pb_record_add_keyword(out, st->tmp.data)))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* The DOI in a value, without "doi:" or a resolver's address; NULL when
 * the value holds none. */
static const char *doi_of(const char *v)
{
	const char *p = strstr(v, "10.");
	if (!p || !strchr(p, '/'))
		return NULL;
	return p;
}

/* Whether s[0, n) is a word of lower-case ASCII letters (and
 * apostrophes): "van", "de", "d'". */
static int lower_word(const char *s, size_t n)
{
	if (!n || !islower((unsigned char)*s))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && s[i] != '\'')
			return 0;
	return 1;
}

/* CSL's dropping particle, which RIS tools write after the given name
 * ("Beethoven, Ludwig van", as Zotero keeps it in firstName and
 * paperbib's writer puts it): the lower-case words that end the given
 * name, when a word stays before them. The name parser leaves them in
 * the given name. */
static int split_dropping(pb_name *n)
{
	char *g = n->given;
	if (!g || n->literal || n->dropping)
		return PB_OK;
	size_t len = strlen(g), cut = len;
	for (;;) {
		size_t end = cut, w;
		while (end && g[end - 1] == ' ')
			end--;
		for (w = end; w && g[w - 1] != ' '; w--)
			;
		if (!w || !lower_word(g + w, end - w))
			break;
		cut = w;
	}
	if (cut == len)
		return PB_OK;
	if (!(n->dropping = strdup(g + cut)))
		return PB_ENOMEM;
	while (cut && g[cut - 1] == ' ')
		cut--;
	g[cut] = '\0';
	return PB_OK;
}

/* "Family || Given" as Zotero's Extra writes a name (either side may be
 * empty, see pb_read_bars_name), or "Family, Given" as RIS writes one. */
static int parse_extra_name(pb_name *n, const char *v)
{
	pb_name_init(n);
	if (!strstr(v, "||"))
		return pb_name_parse_inverted(n, v);
	int rc = pb_read_bars_name(n, v);
	return rc ? rc : split_dropping(n);
}

/* Adds a name in role ("author": an author). */
static int add_name(pb_record *out, const char *role, pb_name *n)
{
	if (strcmp(role, "author") == 0)
		return pb_record_take_author(out, n);
	int rc = pb_record_add_person(out, role, n);
	pb_name_clear(n);
	return rc;
}

/* The names of one line: "Family, Given", or a list of them separated
 * by ';' as R and Web of Science tools write them. */
static int read_names(pb_reader *r, rstate *st, pb_record *out,
                      const char *role, const char *val, unsigned long line)
{
	int rc = PB_OK;
	for (const char *p = val; *p && rc == PB_OK;) {
		size_t n = strcspn(p, ";");
		const char *one = p;
		p += n + (p[n] == ';');
		/* both ends: "Plato ; Aristotle" is "Plato" and "Aristotle",
		 * and a literal name keeps what it is given */
		while (n && isspace((unsigned char)*one))
			one++, n--;
		while (n && isspace((unsigned char)one[n - 1]))
			n--;
		if (!n)
			continue;
		pb_buf_reset(&st->tmp);
		if (pb_buf_append(&st->tmp, one, n) || !pb_buf_cstr(&st->tmp))
			return PB_ENOMEM;
		one = st->tmp.data;
		pb_name name;
		int prc;
		if (!strchr(one, ',')) {
			/* no "Family, Given": one name as it is, as Zotero
			 * takes it (an organisation, "Plato") */
			pb_name_init(&name);
			prc = (name.literal = strdup(one)) ? PB_OK : PB_ENOMEM;
		} else {
			prc = pb_name_parse_inverted(&name, one);
			if (prc == PB_OK)
				prc = split_dropping(&name);
		}
		if (prc == PB_OK)
			rc = add_name(out, role, &name);
		else if (prc == PB_EDATA)
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
			              "cannot read the name '%s'; skipped", one);
		else
			rc = prc;
		pb_name_clear(&name);
	}
	return rc;
}

/* What read_note_var made of a line, when no error. */
enum note_var {
	NOTE_TEXT, /* no "variable: value" line: the note reads it */
	NOTE_READ, /* read into the record */
	NOTE_KEEP  /* names a variable that already has a value: kept in the
	            * note as it is, so that neither value is lost */
};

/* A line of N1 as paperbib's writers make what RIS has no tag for, in
 * the style of Zotero's Extra: "original-date: 1905", "translator:
 * Family || Given". Returns an enum note_var or an error. "issued" is
 * kept in *issued for after the dates. The first value of a variable
 * wins, whether a tag or a note line gave it; names add up. */
static int read_note_var(pb_record *out, const char *line, const char **issued)
{
	size_t n = 0;
	while (isalpha((unsigned char)line[n]) || line[n] == '-' ||
	       line[n] == '_')
		n++;
	if (!n || line[n] != ':' || line[n + 1] != ' ')
		return NOTE_TEXT;
	const char *v = line + n + 2;
	pb_type t;
	if (n == 4 && memcmp(line, "type", 4) == 0 &&
	    pb_type_from_name(v, &t) == 0)
		return NOTE_READ; /* read with TY */
	const pb_csl_var *cv = pb_csl_var_findn(line, n);
	if (!cv || !*v)
		return NOTE_TEXT;
	if (cv->kind == PB_CSL_NAME) {
		pb_name name;
		int rc = parse_extra_name(&name, v);
		if (rc == PB_OK)
			rc = add_name(out, cv->name, &name);
		pb_name_clear(&name);
		/* no name at all ("translator: ||") is text */
		return rc == PB_EDATA ? NOTE_KEEP : rc < 0 ? rc : NOTE_READ;
	}
	if (cv->home == PB_CSL_IN_MEMBER) {
		if (cv->member == PB_F_COUNT || cv->member == PB_F_NOTE)
			return NOTE_TEXT;
		if (pb_record_get(out, cv->member))
			return NOTE_KEEP;
		int rc = pb_record_set(out, cv->member, v);
		return rc ? rc : NOTE_READ;
	}
	if (cv->home != PB_CSL_IN_VARS)
		return NOTE_TEXT;
	if (strcmp(cv->name, "issued") == 0) {
		/* DA and PY give way to it, a second one does not */
		if (*issued)
			return NOTE_KEEP;
		*issued = v;
		return NOTE_READ;
	}
	if (pb_record_var(out, cv->name))
		return NOTE_KEEP;
	int rc = cv->kind == PB_CSL_DATE ? pb_read_date_var(out, cv->name, v)
	                                 : pb_record_set_var(out, cv->name, v);
	return rc ? rc : NOTE_READ;
}

/* A tag's value for a member or variable that an earlier tag gave:
 * the same value again is nothing new; another is kept as an extra field
 * under the tag, which the RIS writer writes back as that tag and the
 * other writers as "TAG: value", named in a warning, for the record has
 * room for one value there. */
static int keep_repeat(pb_reader *r, pb_record *out, const ris_line *t,
                       const char *had, const char *val)
{
	if (strcmp(had, val) == 0)
		return PB_OK;
	pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, t->line, 0,
	              "'%s' again: the record holds one value ('%s'); '%s' is "
	              "kept as an extra field %s",
	              t->tag, had, val, t->tag);
	return pb_record_add_extra(out, t->tag, val);
}

/* Whether a row fills a value that is still empty (for backups). */
static int target_empty(const pb_record *out, const struct ris_tag *spec)
{
	switch (spec->kind) {
	case R_MEMBER: return !pb_record_get(out, spec->field);
	case R_SHORT:
	case R_CONTAINER: return !out->venue.name;
	default: return 1;
	}
}

/* Applies one tag's value; backup rows (priority > 0) only in the pass
 * of their priority, when the value is still empty. */
static int apply(pb_reader *r, rstate *st, pb_record *out,
                 const struct ris_type *ty, const struct ris_tag *spec,
                 const ris_line *t, const char *val, int pass,
                 const char **event, const char **issued)
{
	if (pass) {
		if (spec->priority != pass || !target_empty(out, spec))
			return PB_OK;
		if (spec->kind == R_SHORT || spec->kind == R_CONTAINER)
			return pb_record_set(out, PB_F_VENUE_NAME, val);
		return pb_record_set(out, spec->field, val);
	}
	if (spec->priority && spec->kind != R_SHORT)
		return PB_OK;
	switch (spec->kind) {
	case R_MEMBER: {
		if (spec->field == PB_F_KEY && !pb_read_key_ok(val))
			return PB_OK;
		const char *had = pb_record_get(out, spec->field);
		return had ? keep_repeat(r, out, t, had, val)
		           : pb_record_set(out, spec->field, val);
	}
	case R_VAR: {
		const char *had = pb_record_var(out, spec->name);
		return had ? keep_repeat(r, out, t, had, val)
		           : pb_record_set_var(out, spec->name, val);
	}
	case R_NAMES:
		return read_names(r, st, out,
		                  ty && ty->au_role &&
		                          strcmp(spec->name, "author") == 0
		                      ? ty->au_role
		                      : spec->name,
		                  val, t->line);
	case R_CONTAINER:
		return out->venue.name ? PB_OK
		                       : pb_record_set(out, PB_F_VENUE_NAME, val);
	case R_SHORT:
		return out->venue.short_name
		           ? PB_OK
		           : pb_record_set(out, PB_F_VENUE_SHORT, val);
	case R_EVENT:
		if (!*event)
			*event = val;
		return PB_OK;
	case R_DATE_VAR: return set_date_var(out, spec->name, val);
	case R_SN: return read_sn(st, out, spec->name, val);
	case R_DOI:
	case R_DOI_MAYBE: {
		const char *doi = doi_of(val);
		if (!doi && spec->kind == R_DOI_MAYBE)
			return pb_record_add_extra(out, t->tag, val);
		const char *had = pb_record_var(out, "DOI");
		if (had && strcmp(had, doi ? doi : val) == 0)
			return PB_OK; /* EndNote's M3 repeats DO */
		return had ? keep_repeat(r, out, t, had, val)
		           : pb_record_set_var(out, "DOI", doi ? doi : val);
	}
	case R_URL:
		if (!out->url)
			return pb_record_set(out, PB_F_URL, val);
		if (!out->pdf_url && looks_like_pdf(val))
			return pb_record_set(out, PB_F_PDF_URL, val);
		if (strcmp(out->url, val) != 0)
			return pb_record_add_extra(out, t->tag, val);
		return PB_OK;
	case R_KEYWORD: return read_keywords(st, out, val);
	case R_NOTE: {
		/* EndNote repeats the title in a note (Zotero drops it) */
		if (out->title && strcmp(out->title, val) == 0)
			return PB_OK;
		int k = read_note_var(out, val, issued);
		/* a line kept goes to the note as it is: pb_read_note would
		 * read it as the variable it names once more */
		return k < 0            ? k
		       : k == NOTE_READ ? PB_OK
		       : k == NOTE_KEEP ? pb_read_add_note_line(out, val)
		                        : pb_read_note(out, val);
	}
	case R_PAGE:
		if (st->ep_first) {
			st->ep_first = 0;
			pb_buf_reset(&st->tmp);
			if (pb_buf_printf(&st->tmp, "%s-%s", val, st->pages.data))
				return PB_ENOMEM;
			pb_buf_reset(&st->pages);
			return pb_buf_puts(&st->pages, st->tmp.data);
		}
		return st->pages.len ? PB_OK : pb_buf_puts(&st->pages, val);
	case R_PAGE_END:
		if (!st->pages.len) {
			st->ep_first = 1;
			return pb_buf_puts(&st->pages, val);
		}
		if (st->ep_first || strchr(st->pages.data, '-'))
			return PB_OK;
		return pb_buf_putc(&st->pages, '-') || pb_buf_puts(&st->pages, val)
		           ? PB_ENOMEM
		           : PB_OK;
	case R_EXTRA: return pb_record_add_extra(out, t->tag, val);
	case R_DATE:
	case R_YEAR:
	case R_TYPE:
	case R_END: return PB_OK;
	}
	return PB_OK;
}

/* The event of a conference paper: paperbib's own event title ("Name
 * (SHORT YEAR)", as pb_venue_event_title makes it) gives the venue's
 * name, short name and year; any other is the event-title variable, the
 * venue left as the other tags gave it. */
static int read_event(rstate *st, pb_record *out, const char *event)
{
	pb_venue *v = &out->venue;
	pb_buf was = PB_BUF_INIT;
	int rc = PB_OK;
	/* the three members pb_read_event may fill, to put back */
	const char *keep[3] = {v->name, v->short_name, v->year};
	size_t at[3];
	for (int i = 0; i < 3 && rc == PB_OK; i++) {
		at[i] = was.len;
		if (pb_buf_puts(&was, keep[i] ? keep[i] : "") ||
		    pb_buf_putc(&was, '\0'))
			rc = PB_ENOMEM;
	}
	if (rc == PB_OK)
		rc = pb_read_event(out, event);
	pb_buf_reset(&st->tmp);
	if (rc == PB_OK && pb_venue_event_title(v, &st->tmp))
		rc = PB_ENOMEM;
	if (rc == PB_OK && strcmp(pb_buf_cstr(&st->tmp), event) != 0) {
		static const pb_field f[3] = {PB_F_VENUE_NAME, PB_F_VENUE_SHORT,
		                              PB_F_VENUE_YEAR};
		for (int i = 0; i < 3 && rc == PB_OK; i++)
			rc = pb_record_set(out, f[i],
			                   keep[i] ? was.data + at[i] : NULL);
		if (rc == PB_OK && !pb_record_var(out, "event-title"))
			rc = pb_record_set_var(out, "event-title", event);
	}
	pb_buf_free(&was);
	return rc;
}

/* Builds out from the tags collected. */
static int build(pb_reader *r, rstate *st, pb_record *out)
{
	int rc = PB_OK;
	const char *event = NULL, *da = NULL, *py = NULL, *issued = NULL;
	const struct ris_type *ty = NULL;
	pb_buf_reset(&st->pages);
	st->ep_first = 0;
	out->line = st->start;
	if (pb_record_set(out, PB_F_FILE, r->name))
		return PB_ENOMEM;
	/* the type first: the tags depend on it; a "type: X" note line that
	 * paperbib wrote for a type RIS has no TY of its own wins */
	out->type = PB_TYPE_MISC;
	for (size_t i = 0; i < st->n; i++) {
		const char *v = value_of(st, &st->tags[i]);
		if (memcmp(st->tags[i].tag, "TY", 2) == 0 && !ty) {
			for (size_t k = 0; k < sizeof ris_types / sizeof ris_types[0];
			     k++)
				if (strcasecmp(ris_types[k].ty, v) == 0) {
					ty = &ris_types[k];
					out->type = ty->type;
				}
		}
	}
	for (size_t i = 0; i < st->n; i++) {
		const char *v = value_of(st, &st->tags[i]);
		pb_type t;
		if (memcmp(st->tags[i].tag, "N1", 2) == 0 &&
		    strncmp(v, "type: ", 6) == 0 && pb_type_from_name(v + 6, &t) == 0)
			out->type = t;
	}
	for (size_t i = 0; i < st->n; i++)
		st->tags[i].spec = tag_spec(st->tags[i].tag, out->type);
	/* Pass 0 reads the tags, then the note lines: the value of a tag
	 * wins over a "variable: value" note line wherever the line stands,
	 * and the line stays in the note. The backups follow, highest
	 * priority first. */
	for (int pass = 0; pass <= 3 && rc == PB_OK; pass = pass ? pass - 1 : 3) {
		int sweeps = pass ? 1 : 2; /* pass 0: the notes after */
		for (int notes = 0; notes < sweeps && rc == PB_OK; notes++) {
			for (size_t i = 0; i < st->n && rc == PB_OK; i++) {
				const ris_line *t = &st->tags[i];
				const char *val = value_of(st, t);
				const struct ris_tag *spec = t->spec;
				if (!*val)
					continue;
				if (!spec) {
					if (!pass && !notes)
						rc = pb_record_add_extra(
						    out, t->tag, val);
					continue;
				}
				if ((spec->kind == R_NOTE) != notes)
					continue;
				if (!pass && spec->kind == R_DATE && !da)
					da = val;
				if (!pass && spec->kind == R_YEAR && !py)
					py = val;
				rc = apply(r, st, out, ty, spec, t, val, pass,
				           &event, &issued);
			}
		}
		if (pass == 1)
			break;
	}
	if (rc == PB_OK)
		rc = set_issued(out, da, py);
	if (rc == PB_OK && issued) {
		int k = pb_record_set_issued(out, issued);
		rc = k == PB_EDATA ? PB_OK : k;
	}
	if (rc == PB_OK && st->pages.len && !pb_record_var(out, "page"))
		rc = pb_record_set_var(out, "page", pb_buf_cstr(&st->pages));
	if (rc == PB_OK && event)
		rc = read_event(st, out, event);
	if (rc == PB_OK && !out->title)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->start, 0,
		              "record has no title (no TI or T1)");
	return rc;
}

static int add_tag(rstate *st, const char *tag, const char *v, size_t n,
                   unsigned long line)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 32;
		ris_line *t = realloc(st->tags, cap * sizeof *t);
		if (!t)
			return PB_ENOMEM;
		st->tags = t;
		st->cap = cap;
	}
	ris_line *t = &st->tags[st->n++];
	memcpy(t->tag, tag, 2);
	t->tag[2] = '\0';
	t->off = st->arena.len;
	t->len = n;
	t->line = line;
	if (pb_buf_append(&st->arena, v, n) || pb_buf_putc(&st->arena, '\0'))
		return PB_ENOMEM;
	return PB_OK;
}

/* A wrapped line: appended to the last value with a space. The last
 * value is the last string in the arena. */
static int continue_tag(rstate *st, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || !st->n)
		return PB_OK;
	ris_line *t = &st->tags[st->n - 1];
	if (memcmp(t->tag, "KW", 2) == 0) /* one keyword a line */
		return add_tag(st, "KW", s, n, t->line);
	st->arena.len--; /* the NUL */
	if ((t->len && pb_buf_putc(&st->arena, ' ')) ||
	    pb_buf_append(&st->arena, s, n) || pb_buf_putc(&st->arena, '\0'))
		return PB_ENOMEM;
	t->len = st->arena.len - 1 - t->off;
	return PB_OK;
}

static void start_record(rstate *st, unsigned long line)
{
	st->in_record = 1;
	st->start = line;
	st->n = 0;
	pb_buf_reset(&st->arena);
}

static int ris_next(pb_reader *r, pb_record *out)
{
	rstate *st = r->state;
	while (!st->eof) {
		const char *line, *v;
		size_t n, vlen;
		int rc = pb_lines_next(r->lines, &line, &n);
		if (rc == PB_EOF) {
			st->eof = 1;
			if (!st->in_record)
				break;
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->start, 0,
			              "record has no ER line before the end of the "
			              "file; read as if it had");
			st->in_record = 0;
			return build(r, st, out);
		}
		if (rc)
			return rc;
		unsigned long no = pb_lines_lineno(r->lines);
		if (!tag_line(line, n, &v, &vlen)) {
			if (st->in_record && (rc = continue_tag(st, line, n)))
				return rc;
			continue;
		}
		if (memcmp(line, "TY", 2) == 0) {
			if (st->in_record) {
				/* The record before has no ER: it ends here. Its
				 * tags are built first, then this TY starts anew. */
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->start,
				              0, "record has no ER line before the next "
				                 "TY at line %lu; read as if it had", no);
				rc = build(r, st, out);
				start_record(st, no);
				if (rc == PB_OK)
					rc = add_tag(st, "TY", v, vlen, no);
				return rc;
			}
			start_record(st, no);
			if ((rc = add_tag(st, "TY", v, vlen, no)))
				return rc;
			continue;
		}
		if (!st->in_record) {
			if (!st->warned_outside) {
				st->warned_outside = 1;
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, no, 0,
				              "'%.2s' tag outside a record (no TY line "
				              "before it); ignored", line);
			}
			continue;
		}
		if (memcmp(line, "ER", 2) == 0) {
			st->in_record = 0;
			return build(r, st, out);
		}
		if ((rc = add_tag(st, line, v, vlen, no)))
			return rc;
	}
	return PB_EOF;
}

static int ris_open(pb_reader *r)
{
	rstate *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	r->state = st;
	return PB_OK;
}

static void ris_free(pb_reader *r)
{
	rstate *st = r->state;
	if (!st)
		return;
	free(st->tags);
	pb_buf_free(&st->arena);
	pb_buf_free(&st->pages);
	pb_buf_free(&st->tmp);
	free(st);
	r->state = NULL;
}

/* "TY  - " at the start of a line is RIS; other tag lines alone are
 * likely RIS. */
static int ris_probe(const char *head, size_t len)
{
	int tags = 0;
	const char *p = head, *end = head + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *v;
		size_t vlen;
		if (n && p[n - 1] == '\r')
			n--;
		if (tag_line(p, n, &v, &vlen)) {
			if (memcmp(p, "TY", 2) == 0)
				return 95;
			tags++;
		}
		p += n + 1;
		if (nl && p < end && *p == '\n')
			p++;
	}
	return tags >= 3 ? 60 : 0;
}

const pb_input_format pb_ris_input = {
	.name = "ris",
	.origin = PB_ORIGIN_RIS,
	.extensions = "ris",
	.description = "RIS (Zotero, EndNote, Mendeley, bibutils): TY ... ER "
	               "records",
	.probe = ris_probe,
	.open = ris_open,
	.next = ris_next,
	.free = ris_free,
};
