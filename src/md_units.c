/* Markdown paper lists, stage 1: the cmark-gfm tree -> units.
 *
 * A unit is the block that repeats in the document, and a record never
 * reaches past it: a heading and the paragraphs and bullets under it, a
 * bold title paragraph and its bullets, a list item, a table row, or a
 * title line followed by an author line (award pages copied as text).
 * Blocks are flattened here (text, links, emphasis), so that the next
 * stage never sees the tree. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "md.h"
#include "venue.h"

/* Table headers and the role of their column (ASCII case-insensitive). */
static const struct {
	const char *header;
	md_col col;
} columns[] = {
	{"title", MD_COL_TITLE},          {"paper title", MD_COL_TITLE},
	{"paper name", MD_COL_TITLE},     {"name", MD_COL_TITLE},
	{"题目", MD_COL_TITLE},           {"标题", MD_COL_TITLE},
	{"论文题目", MD_COL_TITLE},       {"论文标题", MD_COL_TITLE},
	{"paper", MD_COL_TITLE_OR_LINK},  {"papers", MD_COL_TITLE_OR_LINK},
	{"论文", MD_COL_TITLE_OR_LINK},   {"author", MD_COL_AUTHORS},
	{"authors", MD_COL_AUTHORS},      {"作者", MD_COL_AUTHORS},
	{"venue", MD_COL_VENUE},          {"conference", MD_COL_VENUE},
	{"journal", MD_COL_VENUE},        {"journal or conference", MD_COL_VENUE},
	{"conference or journal", MD_COL_VENUE},
	{"publication", MD_COL_VENUE},    {"published in", MD_COL_VENUE},
	{"source", MD_COL_VENUE},         {"会议", MD_COL_VENUE},
	{"期刊", MD_COL_VENUE},           {"会议/期刊", MD_COL_VENUE},
	{"year", MD_COL_YEAR},            {"年份", MD_COL_YEAR},
	{"url", MD_COL_PAPER},            {"link", MD_COL_PAPER},
	{"links", MD_COL_PAPER},          {"pdf", MD_COL_PAPER},
	{"arxiv", MD_COL_PAPER},          {"paper link", MD_COL_PAPER},
	{"链接", MD_COL_PAPER},           {"论文链接", MD_COL_PAPER},
	{"论文地址", MD_COL_PAPER},       {"code", MD_COL_CODE},
	{"github", MD_COL_CODE},          {"repo", MD_COL_CODE},
	{"repository", MD_COL_CODE},      {"implementation", MD_COL_CODE},
	{"code link", MD_COL_CODE},       {"代码", MD_COL_CODE},
	{"源码", MD_COL_CODE},
};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_OPEN 8 /* inline HTML <a> and <b> open at once */
#define PART_BYTES (64 * 1024) /* the document is parsed in parts of this size */

typedef struct walker {
	md_doc *doc;
	long cur;         /* the open unit, or -1 */
	int seen_entry;   /* a unit with fields came: no venue after it */
	int oom;
	unsigned long line_base; /* lines before the part being parsed */
} walker;

const char *md_shape_name(md_shape s)
{
	static const char *const names[MD_SHAPE_COUNT] = {
		[MD_SHAPE_HEADING] = "heading + fields",
		[MD_SHAPE_BOLD] = "bold title + bullet fields",
		[MD_SHAPE_ITEM] = "list items (title, links, authors)",
		[MD_SHAPE_ROW] = "table rows",
		[MD_SHAPE_LINES] = "title line + author line",
		[MD_SHAPE_REF] = "formatted references",
	};
	return s < MD_SHAPE_COUNT ? names[s] : "?";
}

void md_block_clear(md_block *b)
{
	pb_buf_free(&b->text);
	for (size_t i = 0; i < b->n_links; i++)
		free(b->links[i].url);
	free(b->links);
	free(b->spans);
	memset(b, 0, sizeof *b);
}

void md_doc_clear(md_doc *doc)
{
	for (size_t i = 0; i < doc->n_units; i++) {
		md_unit *u = &doc->units[i];
		for (size_t j = 0; j < u->n_blocks; j++)
			md_block_clear(&u->blocks[j]);
		free(u->blocks);
	}
	free(doc->units);
	pb_venue_clear(&doc->venue);
	memset(doc, 0, sizeof *doc);
}

/* ---- flattening ------------------------------------------------------ */

static int add_link(md_block *b, size_t start, const char *url, size_t ulen,
                    int image)
{
	if (b->n_links == b->cap_links) {
		size_t cap = b->cap_links ? b->cap_links * 2 : 4;
		md_link *l = realloc(b->links, cap * sizeof *l);
		if (!l)
			return PB_ENOMEM;
		b->links = l;
		b->cap_links = cap;
	}
	char *u = pb_strndup(url ? url : "", url ? ulen : 0);
	if (!u)
		return PB_ENOMEM;
	b->links[b->n_links++] = (md_link){start, b->text.len, u, image};
	return PB_OK;
}

static int add_span(md_block *b, size_t start, int strong)
{
	if (b->n_spans == b->cap_spans) {
		size_t cap = b->cap_spans ? b->cap_spans * 2 : 4;
		md_span *s = realloc(b->spans, cap * sizeof *s);
		if (!s)
			return PB_ENOMEM;
		b->spans = s;
		b->cap_spans = cap;
	}
	b->spans[b->n_spans++] = (md_span){start, b->text.len, strong};
	return PB_OK;
}

/* Inline HTML inside Markdown: <a href="..."> and <b>/<strong> count as
 * links and bold; other tags are dropped. */
typedef struct html_open {
	size_t start;
	const char *href;
	size_t hlen;
	int bold;
} html_open;

typedef struct flat {
	html_open open[MAX_OPEN];
	int n_open;
} flat;

static int tag_is(const char *s, const char *name)
{
	size_t k = strlen(name);
	return strncasecmp(s, name, k) == 0 &&
	       (s[k] == '>' || s[k] == ' ' || s[k] == '/' || s[k] == '\t' ||
	        s[k] == '\n');
}

static int inline_html(md_block *b, flat *f, const char *s)
{
	if (!s || s[0] != '<')
		return PB_OK;
	if (tag_is(s + 1, "br"))
		return pb_buf_putc(&b->text, '\n');
	if ((tag_is(s + 1, "a") || tag_is(s + 1, "b") || tag_is(s + 1, "strong")) &&
	    f->n_open < MAX_OPEN) {
		html_open *o = &f->open[f->n_open++];
		o->start = b->text.len;
		o->bold = s[1] == 'b' || s[1] == 'B' || s[1] == 's' || s[1] == 'S';
		o->href = NULL;
		o->hlen = 0;
		const char *h = strstr(s, "href=");
		if (!o->bold && h) {
			h += 5;
			char q = *h == '"' || *h == '\'' ? *h++ : ' ';
			o->href = h;
			o->hlen = strcspn(h, q == ' ' ? " >" : (q == '"' ? "\"" : "'"));
		}
		return PB_OK;
	}
	/* <sup> and <sub> stay as written: "L<sup>2</sup>-GCN" */
	if (tag_is(s + 1 + (s[1] == '/'), "sup") || tag_is(s + 1 + (s[1] == '/'), "sub"))
		return pb_buf_puts(&b->text, s);
	int closing_a = s[1] == '/' && tag_is(s + 2, "a");
	int closing_b = s[1] == '/' && (tag_is(s + 2, "b") || tag_is(s + 2, "strong"));
	if ((closing_a || closing_b) && f->n_open) {
		html_open *o = &f->open[--f->n_open];
		if (o->bold)
			return add_span(b, o->start, 1);
		return o->href ? add_link(b, o->start, o->href, o->hlen, 0) : PB_OK;
	}
	return PB_OK;
}

static int flatten(cmark_node *parent, md_block *b, flat *f)
{
	int rc = PB_OK;
	for (cmark_node *c = cmark_node_first_child(parent); c && rc == PB_OK;
	     c = cmark_node_next(c)) {
		size_t start = b->text.len;
		const char *lit;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			lit = cmark_node_get_literal(c);
			rc = lit ? pb_buf_puts(&b->text, lit) : PB_OK;
			break;
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(c);
			rc = lit ? pb_buf_puts(&b->text, lit) : PB_OK;
			if (rc == PB_OK)
				rc = add_span(b, start, 2);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			rc = pb_buf_putc(&b->text, '\n');
			break;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
			rc = flatten(c, b, f);
			if (rc == PB_OK)
				rc = add_span(b, start, cmark_node_get_type(c) == CMARK_NODE_STRONG);
			break;
		case CMARK_NODE_LINK: {
			rc = flatten(c, b, f);
			const char *url = cmark_node_get_url(c);
			if (rc == PB_OK)
				rc = add_link(b, start, url, url ? strlen(url) : 0, 0);
			break;
		}
		case CMARK_NODE_IMAGE: {
			/* the alt text of a badge or figure is no text of the entry */
			const char *url = cmark_node_get_url(c);
			rc = add_link(b, start, url, url ? strlen(url) : 0, 1);
			break;
		}
		case CMARK_NODE_HTML_INLINE:
			rc = inline_html(b, f, cmark_node_get_literal(c));
			break;
		default:
			rc = flatten(c, b, f);
			break;
		}
	}
	return rc;
}

static int flatten_block(const walker *w, cmark_node *n, md_block *b)
{
	flat f = {.n_open = 0};
	memset(b, 0, sizeof *b);
	b->line = w->line_base + (unsigned long)cmark_node_get_start_line(n);
	int rc = flatten(n, b, &f);
	if (rc == PB_OK && !pb_buf_cstr(&b->text))
		rc = PB_ENOMEM;
	return rc;
}

/* ---- what a block looks like ----------------------------------------- */

static int is_sp(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static size_t first_char(const md_block *b)
{
	size_t i = 0;
	while (i < b->text.len && is_sp(b->text.data[i]))
		i++;
	return i;
}

/* A link that can be a field: http(s), not an image, not a badge. */
static int field_link(const md_link *l)
{
	if (l->image || strncasecmp(l->url, "http", 4) != 0)
		return 0;
	return !strstr(l->url, "shields.io") && !strstr(l->url, "/badge");
}

static int has_field_link(const md_block *b)
{
	for (size_t i = 0; i < b->n_links; i++)
		if (field_link(&b->links[i]) && b->links[i].end > b->links[i].start)
			return 1;
	return 0;
}

/* The block starts with bold that is no label ("**Title**", "**Title.**
 * NeurIPS 2018. [paper](...)", not "**Code**: ..."). */
static int starts_bold_title(const md_block *b)
{
	size_t i = first_char(b), v;
	for (size_t k = 0; k < b->n_spans; k++) {
		const md_span *s = &b->spans[k];
		if (s->strong != 1 || s->start > i || s->end <= i + 1)
			continue;
		/* "**Code**: url" and "**Code:** url" are labels, "**BiFormer:
		 * Vision Transformer ...**" a title */
		size_t lab = md_label_at(b->text.data + i, b->text.len - i, &v, 0);
		return !(lab && i + lab + 1 >= s->end);
	}
	return 0;
}

/* The whole block is italic or code (authors "*A, B*", a year "`2021`"). */
static int all_emphasis(const md_block *b)
{
	size_t i = first_char(b), n = b->text.len;
	while (n > i && (is_sp(b->text.data[n - 1]) || b->text.data[n - 1] == '.'))
		n--;
	if (n <= i)
		return 0;
	for (size_t k = 0; k < b->n_spans; k++)
		if (b->spans[k].strong != 1 && b->spans[k].start <= i && b->spans[k].end >= n)
			return 1;
	return 0;
}

static size_t count_words(const char *s, size_t n)
{
	size_t w = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_sp(s[i])) {
			in = 0;
		} else if (!in) {
			in = 1;
			w++;
		}
	}
	return w;
}

typedef enum item_kind { IT_CLUTTER, IT_FIELD, IT_TITLE } item_kind;

/* A list item's first paragraph: the start of an entry, a field of the
 * entry open, or clutter (a table of contents, navigation). */
static item_kind classify_item(const md_block *b)
{
	size_t i = first_char(b), v;
	const char *s = b->text.data;
	size_t n = b->text.len;
	if (starts_bold_title(b))
		return IT_TITLE;
	if (md_label_at(s + i, n - i, &v, 0))
		return IT_FIELD;
	if (all_emphasis(b))
		return IT_FIELD;
	if (strstr(s, "《"))
		return IT_TITLE;
	const md_link *first = NULL;
	for (size_t k = 0; k < b->n_links; k++)
		if (!b->links[k].image) {
			first = &b->links[k];
			break;
		}
	int linked = has_field_link(b);
	if (first && first->start <= i) {
		/* "[Title](url)": a title when the text is long enough to be one
		 * and the link leads out of the page */
		if (field_link(first) &&
		    count_words(s + first->start, first->end - first->start) >= 3 &&
		    !md_link_text_role(s + first->start, first->end - first->start))
			return IT_TITLE;
		return linked ? IT_FIELD : IT_CLUTTER;
	}
	size_t before = first ? first->start : n;
	if (linked && count_words(s + i, before - i) >= 2)
		return IT_TITLE;
	return IT_CLUTTER;
}

/* ---- building units -------------------------------------------------- */

static md_unit *cur_unit(walker *w)
{
	return w->cur >= 0 ? &w->doc->units[w->cur] : NULL;
}

static md_unit *new_unit(walker *w, md_shape shape, int level,
                         unsigned long line)
{
	md_doc *d = w->doc;
	if (!d->units || d->n_units == d->cap_units) {
		size_t cap = d->cap_units ? d->cap_units * 2 : 64;
		md_unit *u = realloc(d->units, cap * sizeof *u);
		if (!u) {
			w->oom = 1;
			return NULL;
		}
		d->units = u;
		d->cap_units = cap;
	}
	md_unit *u = &d->units[d->n_units];
	memset(u, 0, sizeof *u);
	u->shape = shape;
	u->level = level;
	u->line = u->end_line = line;
	w->cur = (long)d->n_units++;
	return u;
}

/* The block's arrays and text at their exact size: a document's blocks
 * are all kept until its records are read. */
static void shrink(md_block *b)
{
	if (b->n_links < b->cap_links) {
		md_link *l = b->n_links ? realloc(b->links, b->n_links * sizeof *l) : NULL;
		if (l || !b->n_links) {
			if (!b->n_links)
				free(b->links);
			b->links = l;
			b->cap_links = b->n_links;
		}
	}
	if (b->n_spans < b->cap_spans) {
		md_span *sp = b->n_spans ? realloc(b->spans, b->n_spans * sizeof *sp) : NULL;
		if (sp || !b->n_spans) {
			if (!b->n_spans)
				free(b->spans);
			b->spans = sp;
			b->cap_spans = b->n_spans;
		}
	}
	if (b->text.data && b->text.cap > b->text.len + 1) {
		char *t = realloc(b->text.data, b->text.len + 1);
		if (t) {
			b->text.data = t;
			b->text.cap = b->text.len + 1;
		}
	}
}

/* Moves b (flattened) into u; b is left empty. */
static int unit_take(walker *w, md_unit *u, md_block *b)
{
	shrink(b);
	if (u->n_blocks == u->cap_blocks) {
		size_t cap = u->cap_blocks ? u->cap_blocks * 2 : 4;
		md_block *nb = realloc(u->blocks, cap * sizeof *nb);
		if (!nb) {
			w->oom = 1;
			md_block_clear(b);
			return PB_ENOMEM;
		}
		u->blocks = nb;
		u->cap_blocks = cap;
	}
	u->blocks[u->n_blocks++] = *b;
	if (b->line > u->end_line)
		u->end_line = b->line;
	if (u->shape == MD_SHAPE_REF) {
		u->fieldish = 1; /* a reference is an entry, links or not */
	} else if (u->n_blocks == 1 && has_field_link(b)) {
		u->fieldish = 1; /* "[Title](url)", "**Title.** [paper](url)" */
	} else if (u->n_blocks > 1 && !b->quoted) {
		size_t i = first_char(b), v;
		if (has_field_link(b) || all_emphasis(b) ||
		    md_label_at(b->text.data + i, b->text.len - i, &v, 0))
			u->fieldish = 1;
	}
	if (u->fieldish || u->shape == MD_SHAPE_ROW || u->shape == MD_SHAPE_LINES)
		w->seen_entry = 1;
	memset(b, 0, sizeof *b);
	return PB_OK;
}

/* Text outside the units, before the first entry: the page's header may
 * name the venue ("# CVPR 2023 papers"). */
static void outside(walker *w, const md_block *b)
{
	md_doc *d = w->doc;
	if (w->seen_entry || (d->venue.name && d->venue.year) || !b->text.data)
		return;
	int had = d->venue.name || d->venue.short_name || d->venue.year;
	int found = pb_venue_detect(b->text.data, &d->venue);
	if (found < 0)
		w->oom = 1;
	else if (found && !had)
		d->venue_line = b->line;
}

/* A closed unit that gave only its title block is a section heading or a
 * bold line of the page: read it for the venue, then drop it. */
static void close_unit(walker *w)
{
	md_unit *u = cur_unit(w);
	w->cur = -1;
	if (!u)
		return;
	if (u->n_blocks && !u->untitled && !u->fieldish)
		outside(w, &u->blocks[0]);
	if (u->n_blocks > 1 || u->shape == MD_SHAPE_REF ||
	    (u->n_blocks == 1 && has_field_link(&u->blocks[0])))
		return;
	for (size_t j = 0; j < u->n_blocks; j++)
		md_block_clear(&u->blocks[j]);
	free(u->blocks);
	w->doc->n_units--;
}

/* A unit of a title line and an author line, copied from text. */
static int lines_unit(walker *w, unsigned long line, const char *title,
                      size_t tn, unsigned long aline, const char *authors,
                      size_t an)
{
	md_unit *u = new_unit(w, MD_SHAPE_LINES, 0, line);
	if (!u)
		return PB_ENOMEM;
	for (size_t j = 0; j < 2; j++) {
		md_block nb;
		memset(&nb, 0, sizeof nb);
		nb.line = j ? aline : line;
		if (pb_buf_append(&nb.text, j ? authors : title, j ? an : tn) ||
		    !pb_buf_cstr(&nb.text)) {
			w->oom = 1;
			md_block_clear(&nb);
			return PB_ENOMEM;
		}
		if (unit_take(w, u, &nb))
			return PB_ENOMEM;
	}
	w->cur = -1;
	return PB_OK;
}

/* s[from, to) of the block is one italic span ("*A, B*", "_A, B_"),
 * spaces and a final period aside. */
static int italic_line(const md_block *b, size_t from, size_t to)
{
	const char *s = b->text.data;
	while (from < to && is_sp(s[from]))
		from++;
	while (to > from && (is_sp(s[to - 1]) || s[to - 1] == '.'))
		to--;
	if (to <= from)
		return 0;
	for (size_t k = 0; k < b->n_spans; k++)
		if (b->spans[k].strong == 0 && b->spans[k].start <= from &&
		    b->spans[k].end >= to)
			return 1;
	return 0;
}

/* s[from, to) of the block holds no link and no emphasis. */
static int plain_line(const md_block *b, size_t from, size_t to)
{
	for (size_t k = 0; k < b->n_links; k++)
		if (b->links[k].start < to && b->links[k].end > from)
			return 0;
	for (size_t k = 0; k < b->n_spans; k++)
		if (b->spans[k].start < to && b->spans[k].end > from)
			return 0;
	return 1;
}

/* A paragraph of pairs of a title line and an author line: award and
 * program pages copied as text ("Title" / "A, B and C"), and accepted-paper
 * lists in Markdown ("Title" / "*A, B*"). italic_only: only pairs whose
 * author line is italic count (inside a unit, where plain lines are the
 * unit's text). Returns 1 when it made units. */
static int title_author_lines(walker *w, const md_block *b, int italic_only)
{
	const char *s = b->text.data;
	size_t n = b->text.len;
	size_t starts[64], lens[64], k = 0;
	for (size_t i = 0; i <= n && k < 64;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		starts[k] = i;
		lens[k++] = e - i;
		i = e + 1;
	}
	int made = 0;
	for (size_t i = 0; i + 1 < k; i++) {
		int italic = italic_line(b, starts[i + 1], starts[i + 1] + lens[i + 1]);
		if ((italic_only && !italic) ||
		    (italic && !plain_line(b, starts[i], starts[i] + lens[i])) ||
		    !md_is_title_line(s + starts[i], lens[i]) ||
		    !md_is_author_line(s + starts[i + 1], lens[i + 1]))
			continue;
		if (!made && italic_only)
			close_unit(w);
		if (lines_unit(w, b->line + i, s + starts[i], lens[i], b->line + i + 1,
		               s + starts[i + 1], lens[i + 1]))
			return made;
		made = 1;
		i++;
	}
	return made;
}

/* A paragraph of one plain title line, then a paragraph of one italic
 * author line ("A Study of Things" / blank / "*Jane Smith, Wei Zhang*"):
 * one unit of both. Returns the author paragraph's node when it made one,
 * else NULL. */
static cmark_node *title_then_italic(walker *w, cmark_node *n, const md_block *b)
{
	cmark_node *next = cmark_node_next(n);
	size_t i = first_char(b);
	if (!next || cmark_node_get_type(next) != CMARK_NODE_PARAGRAPH ||
	    memchr(b->text.data + i, '\n', b->text.len - i) ||
	    !plain_line(b, 0, b->text.len) ||
	    !md_is_title_line(b->text.data, b->text.len))
		return NULL;
	md_block a;
	if (flatten_block(w, next, &a)) {
		w->oom = 1;
		md_block_clear(&a);
		return NULL;
	}
	size_t j = first_char(&a);
	cmark_node *took = NULL;
	if (!memchr(a.text.data + j, '\n', a.text.len - j) &&
	    italic_line(&a, 0, a.text.len) &&
	    md_is_author_line(a.text.data, a.text.len)) {
		close_unit(w);
		if (lines_unit(w, b->line, b->text.data, b->text.len, a.line,
		               a.text.data, a.text.len) == PB_OK)
			took = next;
	}
	md_block_clear(&a);
	return took;
}

/* b[from, to) as a block of its own: its text, links and emphasis. */
static int block_slice(const md_block *b, size_t from, size_t to, md_block *out)
{
	memset(out, 0, sizeof *out);
	out->line = b->line;
	out->quoted = b->quoted;
	if (pb_buf_append(&out->text, b->text.data + from, to - from) ||
	    !pb_buf_cstr(&out->text))
		return PB_ENOMEM;
	for (size_t k = 0; k < b->n_spans; k++) {
		const md_span *sp = &b->spans[k];
		if (sp->start >= from && sp->end <= to) {
			out->text.len = sp->start - from; /* add_span ends at len */
			size_t len = out->text.len;
			out->text.len = sp->end - from;
			if (add_span(out, len, sp->strong))
				return PB_ENOMEM;
		}
	}
	for (size_t k = 0; k < b->n_links; k++) {
		const md_link *l = &b->links[k];
		if (l->start >= from && l->end <= to) {
			out->text.len = l->end - from;
			if (add_link(out, l->start - from, l->url, strlen(l->url), l->image))
				return PB_ENOMEM;
		}
	}
	out->text.len = to - from;
	return PB_OK;
}

/* A paragraph of formatted references: one a line (a bibliography pasted
 * as text), or one over the whole paragraph (hard-wrapped). Each is a
 * unit. Returns 1 when it made units. */
static int references(walker *w, md_block *b)
{
	const char *s = b->text.data;
	size_t n = b->text.len, lines = 0, refs = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		md_block one;
		if (block_slice(b, i, e, &one)) {
			w->oom = 1;
			md_block_clear(&one);
			return 0;
		}
		lines++;
		refs += md_is_reference(one.text.data, one.text.len, one.spans, one.n_spans) != 0;
		md_block_clear(&one);
		i = e + 1;
	}
	if (refs && refs == lines) {
		close_unit(w);
		unsigned long line = b->line;
		for (size_t i = 0; i < n && !w->oom; line++) {
			const char *nl = memchr(s + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - s) : n;
			md_block one;
			if (block_slice(b, i, e, &one)) {
				w->oom = 1;
				md_block_clear(&one);
				return 1;
			}
			one.line = line;
			md_unit *u = new_unit(w, MD_SHAPE_REF, 0, line);
			if (u)
				unit_take(w, u, &one);
			else
				md_block_clear(&one);
			w->cur = -1;
			i = e + 1;
		}
		return 1;
	}
	if (lines < 2 || !md_is_reference(s, n, b->spans, b->n_spans))
		return 0;
	close_unit(w);
	md_unit *u = new_unit(w, MD_SHAPE_REF, 0, b->line);
	if (!u)
		return 1;
	unit_take(w, u, b);
	/* the paragraphs after it (notes, links) are its own */
	return 1;
}

static void walk(walker *w, cmark_node *parent, int quoted);

/* A block that belongs to the open unit, or starts one without a title
 * when it holds fields (bullets under a section heading). */
static void attach(walker *w, md_block *b, int fields)
{
	md_unit *u = cur_unit(w);
	if (!u && fields)
		u = new_unit(w, MD_SHAPE_BOLD, 0, b->line);
	if (u) {
		if (u->n_blocks == 0)
			u->untitled = 1;
		unit_take(w, u, b);
	} else {
		outside(w, b);
		md_block_clear(b);
	}
}

static void walk_list(walker *w, cmark_node *list, int quoted)
{
	int titles = 0;
	if (quoted)
		return; /* lists in block quotes are notes and links, no entries */
	for (cmark_node *item = cmark_node_first_child(list); item && !w->oom;
	     item = cmark_node_next(item)) {
		cmark_node *c = cmark_node_first_child(item);
		if (!c)
			continue;
		if (cmark_node_get_type(c) != CMARK_NODE_PARAGRAPH) {
			walk(w, item, quoted);
			continue;
		}
		md_block b;
		if (flatten_block(w, c, &b)) {
			w->oom = 1;
			md_block_clear(&b);
			return;
		}
		item_kind k = classify_item(&b);
		int ref = md_is_reference(b.text.data, b.text.len, b.spans, b.n_spans);
		if ((k == IT_TITLE || ref) && !quoted) {
			close_unit(w);
			md_unit *u = new_unit(w, ref ? MD_SHAPE_REF : MD_SHAPE_ITEM, 0, b.line);
			if (!u) {
				md_block_clear(&b);
				return;
			}
			unit_take(w, u, &b);
			titles = 1;
		} else if (k == IT_FIELD) {
			size_t v;
			size_t i = first_char(&b);
			attach(w, &b, md_label_at(b.text.data + i, b.text.len - i, &v, 1) ||
			                  all_emphasis(&b));
		} else {
			md_block_clear(&b);
			if (k == IT_TITLE)
				continue;
		}
		/* the rest of the item: its paragraphs and nested lists */
		for (c = cmark_node_next(c); c && !w->oom; c = cmark_node_next(c)) {
			cmark_node_type t = cmark_node_get_type(c);
			if (t == CMARK_NODE_LIST) {
				walk_list(w, c, quoted);
			} else if (t == CMARK_NODE_PARAGRAPH && cur_unit(w)) {
				md_block nb;
				if (flatten_block(w, c, &nb) == PB_OK)
					unit_take(w, cur_unit(w), &nb);
				else
					w->oom = 1, md_block_clear(&nb);
			}
		}
	}
	if (titles)
		close_unit(w);
}

static int type_is(cmark_node *n, const char *name)
{
	const char *t = cmark_node_get_type_string(n);
	return t && strcmp(t, name) == 0;
}

static md_col column_role(const md_block *b)
{
	const char *s = b->text.data;
	size_t n = b->text.len;
	while (n && is_sp(*s))
		s++, n--;
	while (n && is_sp(s[n - 1]))
		n--;
	for (size_t i = 0; i < N_ELEM(columns); i++)
		if (strlen(columns[i].header) == n &&
		    strncasecmp(columns[i].header, s, n) == 0)
			return columns[i].col;
	return MD_COL_NONE;
}

/* A table: one unit per row, each cell tagged with its column's role.
 * A table without a title or paper column is no list of papers. */
static void walk_table(walker *w, cmark_node *table)
{
	md_col roles[64];
	size_t n_cols = 0;
	int has_title = 0, has_title_col = 0;
	for (cmark_node *row = cmark_node_first_child(table); row && !w->oom;
	     row = cmark_node_next(row)) {
		if (type_is(row, "table_header")) {
			n_cols = 0;
			for (cmark_node *c = cmark_node_first_child(row); c && n_cols < 64;
			     c = cmark_node_next(c)) {
				md_block b;
				if (flatten_block(w, c, &b)) {
					w->oom = 1;
				}
				roles[n_cols] = column_role(&b);
				has_title |= roles[n_cols] == MD_COL_TITLE ||
				             roles[n_cols] == MD_COL_TITLE_OR_LINK;
				has_title_col |= roles[n_cols] == MD_COL_TITLE;
				n_cols++;
				md_block_clear(&b);
			}
			/* "Paper" beside a "Title" column holds links */
			for (size_t i = 0; i < n_cols && has_title_col; i++)
				if (roles[i] == MD_COL_TITLE_OR_LINK)
					roles[i] = MD_COL_PAPER;
			continue;
		}
		if (!has_title)
			return;
		md_unit *u = new_unit(w, MD_SHAPE_ROW, 0,
		                      w->line_base +
		                          (unsigned long)cmark_node_get_start_line(row));
		if (!u)
			return;
		size_t i = 0;
		for (cmark_node *c = cmark_node_first_child(row); c && i < n_cols;
		     c = cmark_node_next(c), i++) {
			if (roles[i] == MD_COL_NONE)
				continue;
			md_block b;
			if (flatten_block(w, c, &b)) {
				w->oom = 1;
				md_block_clear(&b);
				return;
			}
			b.col = roles[i];
			b.line = u->line;
			unit_take(w, u, &b);
		}
		w->seen_entry = 1;
		w->cur = -1;
	}
}

static void walk(walker *w, cmark_node *parent, int quoted)
{
	for (cmark_node *n = cmark_node_first_child(parent); n && !w->oom;
	     n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		md_block b;
		switch (t) {
		case CMARK_NODE_HEADING:
			if (quoted)
				break;
			close_unit(w);
			if (flatten_block(w, n, &b)) {
				w->oom = 1;
				md_block_clear(&b);
				return;
			}
			{
				md_unit *u = new_unit(w, MD_SHAPE_HEADING,
				                      cmark_node_get_heading_level(n), b.line);
				if (u)
					unit_take(w, u, &b);
				else
					md_block_clear(&b);
			}
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			if (!quoted)
				close_unit(w);
			break;
		case CMARK_NODE_PARAGRAPH: {
			if (flatten_block(w, n, &b)) {
				w->oom = 1;
				md_block_clear(&b);
				return;
			}
			size_t i = first_char(&b), v;
			cmark_node *authors = NULL;
			if (i == b.text.len && !b.n_links) {
				md_block_clear(&b); /* an anchor: <a name="x"></a> */
			} else if (!quoted && (authors = title_then_italic(w, n, &b))) {
				md_block_clear(&b);
				n = authors;
			} else if (!quoted && title_author_lines(w, &b, 1)) {
				md_block_clear(&b);
			} else if (!quoted && references(w, &b)) {
				md_block_clear(&b);
			} else if (!quoted && starts_bold_title(&b)) {
				close_unit(w);
				md_unit *u = new_unit(w, MD_SHAPE_BOLD, 0, b.line);
				if (u)
					unit_take(w, u, &b);
				else
					md_block_clear(&b);
			} else if (cur_unit(w)) {
				b.quoted = quoted;
				unit_take(w, cur_unit(w), &b);
			} else if (quoted || title_author_lines(w, &b, 0)) {
				md_block_clear(&b);
			} else {
				attach(w, &b,
				       md_label_at(b.text.data + i, b.text.len - i, &v, 1) != 0);
			}
			break;
		}
		case CMARK_NODE_LIST:
			walk_list(w, n, quoted);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			walk(w, n, 1);
			break;
		default:
			if (type_is(n, "table") && !quoted) {
				close_unit(w);
				walk_table(w, n);
			}
			break;
		}
	}
}

/* "### [4] [Title](https://arxiv.org/...)": a heading that is mostly a
 * link out of the page titles a paper, whatever the document's sections
 * are. */
static int linked_heading(const md_block *b)
{
	size_t text = 0;
	for (size_t k = 0; k < b->text.len; k++)
		text += !is_sp(b->text.data[k]);
	for (size_t k = 0; k < b->n_links; k++) {
		const md_link *l = &b->links[k];
		if (field_link(l) && (l->end - l->start) * 2 >= text &&
		    !md_link_text_role(b->text.data + l->start, l->end - l->start))
			return 1;
	}
	return 0;
}

/* A heading level or bold titles: whichever titles more units with fields
 * is the document's entry; headings of a bold-titled list are sections, so
 * fields right under one are an entry without a title. */
static void settle_titles(md_doc *d)
{
	size_t count[8] = {0};
	for (size_t i = 0; i < d->n_units; i++) {
		const md_unit *u = &d->units[i];
		if (u->untitled || u->n_blocks < 2)
			continue;
		if (u->shape == MD_SHAPE_HEADING && u->level >= 1 && u->level <= 6)
			count[u->level]++;
		else if (u->shape == MD_SHAPE_BOLD)
			count[7]++;
	}
	size_t headings = 0;
	for (int l = 1; l <= 6; l++)
		if (count[l] > headings)
			headings = count[l];
	if (count[7] <= headings)
		return;
	for (size_t i = 0; i < d->n_units; i++) {
		md_unit *u = &d->units[i];
		if (u->shape == MD_SHAPE_HEADING && !u->untitled &&
		    !linked_heading(&u->blocks[0])) {
			u->untitled = 1;
			/* the heading is no field of the entry */
			md_block_clear(&u->blocks[0]);
		}
	}
}

/* A YAML front-matter block ("---" ... "---" at the top, as Jekyll pages
 * have) is blanked: cmark would read it as a rule and a heading. Line
 * numbers stay. */
static void blank_front_matter(char *text, size_t len)
{
	if (len < 4 || strncmp(text, "---", 3) != 0 ||
	    (text[3] != '\n' && text[3] != '\r'))
		return;
	size_t i = 4;
	while (i < len) {
		char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		if ((e - i == 3 && (!strncmp(text + i, "---", 3) ||
		                    !strncmp(text + i, "...", 3)))) {
			for (size_t k = 0; k < e; k++)
				if (text[k] != '\n')
					text[k] = ' ';
			return;
		}
		i = e + 1;
	}
}

/* Where the next part of the document may start: a line at column 0
 * that begins with '#' or "**" after a blank line, outside fenced code and
 * HTML comments. Such a line starts a block of the top level (a list, a
 * quote or a paragraph cannot continue there), so the parts parse as the
 * whole would, and the tree of one part is freed before the next: memory
 * stays a few times the document's size. */
static size_t next_part(const char *text, size_t len, size_t from)
{
	size_t i = from;
	int blank = 0, fence = 0, comment = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		const char *l = text + i;
		size_t n = e - i;
		if (i - from >= PART_BYTES && blank && !fence && !comment &&
		    (l[0] == '#' || (n >= 2 && l[0] == '*' && l[1] == '*')))
			return i;
		size_t k = 0;
		while (k < n && k < 4 && l[k] == ' ')
			k++;
		if (k < 4 && n - k >= 3 &&
		    (!strncmp(l + k, "```", 3) || !strncmp(l + k, "~~~", 3)))
			fence = !fence;
		for (size_t j = 0; j + 4 <= n; j++) {
			if (!strncmp(l + j, "<!--", 4))
				comment = 1;
		}
		for (size_t j = 0; j + 3 <= n; j++)
			if (!strncmp(l + j, "-->", 3))
				comment = 0;
		blank = n == 0 || strspn(l, " \t\r") == n;
		i = e + 1;
	}
	return len;
}

static int parse_part(walker *w, const char *text, size_t len)
{
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!p)
		return PB_ENOMEM;
	static const char *const extensions[] = {"table", "autolink"};
	for (size_t i = 0; i < N_ELEM(extensions); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(extensions[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, text, len);
	cmark_node *root = cmark_parser_finish(p);
	cmark_parser_free(p);
	if (!root)
		return PB_ENOMEM;
	walk(w, root, 0);
	cmark_node_free(root);
	return w->oom ? PB_ENOMEM : PB_OK;
}

int md_doc_parse(md_doc *doc, char *text, size_t len)
{
	memset(doc, 0, sizeof *doc);
	pb_venue_init(&doc->venue);
	blank_front_matter(text, len);
	cmark_gfm_core_extensions_ensure_registered();
	walker w = {.doc = doc, .cur = -1};
	int rc = PB_OK;
	for (size_t at = 0; at < len && rc == PB_OK;) {
		size_t end = next_part(text, len, at);
		rc = parse_part(&w, text + at, end - at);
		for (size_t i = at; i < end; i++)
			w.line_base += text[i] == '\n';
		at = end;
	}
	close_unit(&w);
	if (rc || w.oom)
		return PB_ENOMEM;
	settle_titles(doc);
	return PB_OK;
}
