/* The Markdown paper-list reader, in stages (internal):
 *   md_units.c   the cmark-gfm tree -> units, the block that repeats (a
 *                heading and its fields, a bold title and its bullets, a
 *                list item, a table row, a title line and an author line)
 *   md_fields.c  a unit's fields: labels, links by text and host, authors,
 *                venue and year -> one pb_record
 *   md_reader.c  the input format: reads the document whole, then streams
 *                one record per unit
 * A record ends where its unit ends: no stage looks past a unit's blocks. */
#ifndef PB_MD_H
#define PB_MD_H

#include <stddef.h>

#include "buf.h"
#include "paperbib/paperbib.h"

/* A link inside a block's flattened text: its text is text[start, end). */
typedef struct md_link {
	size_t start, end;
	char *url;
	int image; /* an image (badge, figure): never a field */
} md_link;

/* Emphasis inside a block's flattened text. */
typedef struct md_span {
	size_t start, end;
	int strong; /* 1 bold, 0 italic, 2 code */
} md_span;

/* The roles of a table column, from its header cell. */
typedef enum md_col {
	MD_COL_NONE = 0,
	MD_COL_TITLE,
	MD_COL_AUTHORS,
	MD_COL_VENUE,
	MD_COL_YEAR,
	MD_COL_PAPER, /* a link column: its URLs are the paper's */
	MD_COL_CODE,
	MD_COL_TITLE_OR_LINK /* "Paper": the title, or links to the paper */
} md_col;

/* One block (paragraph, heading, table cell) flattened: the text as it
 * reads, with line breaks as '\n', and where its links and emphasis are. */
typedef struct md_block {
	pb_buf text;
	md_link *links;
	size_t n_links, cap_links;
	md_span *spans;
	size_t n_spans, cap_spans;
	unsigned long line;
	md_col col; /* table cells only */
	int quoted; /* inside a block quote */
} md_block;

typedef enum md_shape {
	MD_SHAPE_HEADING, /* a heading, then field paragraphs */
	MD_SHAPE_BOLD,    /* a bold title paragraph, then bullet fields */
	MD_SHAPE_ITEM,    /* a list item: title, links, authors inside */
	MD_SHAPE_ROW,     /* a table row, read by its header */
	MD_SHAPE_LINES,   /* a title line, then an author line (plain pages) */
	MD_SHAPE_REF,     /* a formatted reference: authors, title, venue */
	MD_SHAPE_COUNT
} md_shape;

/* A unit: blocks[0] is the title block unless untitled is set (fields
 * found where no title is: under a section heading, before any title). */
typedef struct md_unit {
	md_shape shape;
	int level; /* heading level */
	int untitled;
	int fieldish; /* a block after the title has a label, a link or italics */
	unsigned long line, end_line;
	md_block *blocks;
	size_t n_blocks, cap_blocks;
} md_unit;

typedef struct md_doc {
	md_unit *units;
	size_t n_units, cap_units;
	pb_venue venue;            /* named in the text around the units */
	unsigned long venue_line;
} md_doc;

/* md_units.c: parses text[0, len) (the whole document, NUL-terminated)
 * with cmark-gfm and its table and autolink extensions into doc's units.
 * A YAML front-matter block is blanked in text first. PB_OK or PB_ENOMEM. */
int md_doc_parse(md_doc *doc, char *text, size_t len);
void md_doc_clear(md_doc *doc);
/* A one-line name of a shape, for -v ("bold title + bullet fields"). */
const char *md_shape_name(md_shape s);

/* md_fields.c: fills rec from unit u. *titled says whether the unit gave a
 * title, *fields whether it gave any field (authors, a link, a label):
 * a record needs both. Warnings name file and line through diag.
 * PB_OK or PB_ENOMEM. */
int md_unit_record(const md_unit *u, pb_record *rec, const char *file,
                   const pb_diag_sink *diag, int *titled, int *fields);
/* The block's text starts with a label ("Paper:", "**Code**：", "论文：");
 * returns the label's length before the colon and sets *value to where the
 * value starts, or returns 0. Only labels the reader knows count when
 * known_only is set; else any short label ("Demo:"). */
size_t md_label_at(const char *s, size_t n, size_t *value, int known_only);
/* s[0, n) reads as a line of authors' names ("A, B and C", "Tal Linzen"). */
int md_is_author_line(const char *s, size_t n);
/* s[0, n) may be a paper's title line in a plain page (not a sentence,
 * not a section line such as "Program Committee"). */
int md_is_title_line(const char *s, size_t n);
/* s[0, n) (a block's text and its emphasis, spans may be NULL) reads as
 * a formatted reference: "Smith, J., & Zhang, W. (2019). Title. Journal,
 * 12(3), 45-67.", "A. Smith, B. Zhang, "Title," in Proc. X, 2019." */
int md_is_reference(const char *s, size_t n, const md_span *spans,
                    size_t n_spans);
/* The role of a link from its text alone ("[code]", "[arXiv]"), for
 * md_units.c: nonzero when the text names a kind of link. */
int md_link_text_role(const char *s, size_t n);

void md_block_clear(md_block *b);

/* md_reader.c: the input format (registered in src/registry.c). */
extern const pb_input_format pb_markdown_format;

#endif
