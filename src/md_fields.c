/* Markdown paper lists, stage 2: a unit's fields -> one pb_record.
 *
 * A link is the paper's, its code's, its PDF's or its DOI: the label says
 * so ("Code:", "论文："), else the link text ("[code]", "[arXiv]"), else
 * the host (arxiv.org and openreview.net the paper, github.com the code,
 * doi.org the DOI, ".pdf" the PDF, any other page the paper's page).
 * Anchors, badges and relative links are never fields. Venue and year are
 * read from the unit only. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "md.h"
#include "readutil.h"
#include "venue.h"

typedef enum role {
	R_NONE = 0,
	R_AUTHORS,
	R_PAPER, /* the paper, whatever the host */
	R_LINK,  /* a link: the host decides */
	R_PDF,
	R_CODE,
	R_HOME,
	R_DOI,
	R_ABSTRACT,
	R_KEYWORDS,
	R_VENUE,
	R_YEAR,
	R_TITLE,
	R_OTHER, /* video, slides, demo: kept by name */
} role;

/* Labels before a colon (ASCII case-insensitive; ':' or '：'). */
static const struct {
	const char *label;
	role r;
} labels[] = {
	{"author", R_AUTHORS},      {"authors", R_AUTHORS},
	{"作者", R_AUTHORS},        {"paper", R_PAPER},
	{"papers", R_PAPER},        {"论文", R_PAPER},
	{"论文地址", R_PAPER},      {"论文链接", R_PAPER},
	{"arxiv", R_PAPER},         {"paper link", R_PAPER},
	{"pdf", R_PDF},             {"url", R_LINK},
	{"link", R_LINK},           {"links", R_LINK},
	{"链接", R_LINK},           {"地址", R_LINK},
	{"code", R_CODE},           {"github", R_CODE},
	{"gitlab", R_CODE},         {"代码", R_CODE},
	{"github地址", R_CODE},     {"代码地址", R_CODE},
	{"源码", R_CODE},           {"repo", R_CODE},
	{"implementation", R_CODE}, {"homepage", R_HOME},
	{"project", R_HOME},        {"project page", R_HOME},
	{"website", R_HOME},        {"主页", R_HOME},
	{"项目主页", R_HOME},       {"abstract", R_ABSTRACT},
	{"摘要", R_ABSTRACT},       {"keyword", R_KEYWORDS},
	{"keywords", R_KEYWORDS},   {"关键词", R_KEYWORDS},
	{"关键字", R_KEYWORDS},     {"conference", R_VENUE},
	{"venue", R_VENUE},         {"journal", R_VENUE},
	{"intro", R_VENUE},         {"publication", R_VENUE},
	{"published in", R_VENUE},  {"会议", R_VENUE},
	{"期刊", R_VENUE},          {"year", R_YEAR},
	{"年份", R_YEAR},           {"doi", R_DOI},
	{"title", R_TITLE},         {"标题", R_TITLE},
	{"题目", R_TITLE},
};

/* Link texts that say what a link is ("[code]", "[[arXiv]]"). */
static const struct {
	const char *text;
	role r;
} link_texts[] = {
	{"paper", R_PAPER},   {"arxiv", R_PAPER},   {"论文", R_PAPER},
	{"论文地址", R_PAPER}, {"book", R_PAPER},    {"abs", R_PAPER},
	{"openreview", R_PAPER}, {"pdf", R_PDF},    {"code", R_CODE},
	{"github", R_CODE},   {"代码", R_CODE},     {"github地址", R_CODE},
	{"project", R_HOME},  {"project page", R_HOME}, {"homepage", R_HOME},
	{"website", R_HOME},  {"主页", R_HOME},     {"doi", R_DOI},
	{"video", R_OTHER},   {"slides", R_OTHER},  {"demo", R_OTHER},
	{"poster", R_OTHER},  {"blog", R_OTHER},    {"talk", R_OTHER},
};

/* Hosts of code. */
static const char *const code_hosts[] = {"github.com", "gitlab.com",
                                         "huggingface.co", "bitbucket.org"};

/* Values that mean "there is none". */
static const char *const absent[] = {"none", "n/a", "na", "-", "无", "暂无",
                                     "todo", "coming soon", "tbd"};

/* Tags after a title that name its track: "Title (Oral)". */
static const char *const tracks[] = {
	"oral", "spotlight", "poster", "highlight", "best paper",
	"best paper award", "best student paper", "honorable mention",
	"award candidate", "outstanding paper", "long paper", "short paper",
	"findings", "demo", "workshop",
};

/* Words that make a line a page's section, not a title: "Program
 * Committee", "Thanks to our sponsors". */
static const char *const section_words[] = {
	"committee", "chair", "organiz", "sponsor", "thank", "acknowledg",
	"congratulat", "award", "honorable mention", "keynote", "copyright",
	"all rights", "posted", "previous", "next page",
};

/* Particles that start a name in lower case. */
static const char *const particles[] = {"van", "von", "de", "der", "den",
                                        "da", "di", "del", "della", "la",
                                        "le", "du", "dos", "das", "bin",
                                        "al", "el", "ter", "ten", "y"};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))
#define FULLWIDTH_COLON "\xEF\xBC\x9A"

static int is_sp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void trim(const char **s, size_t *n)
{
	while (*n && (is_sp((unsigned char)**s) || **s == '*' || **s == '_'))
		(*s)++, (*n)--;
	while (*n && (is_sp((unsigned char)(*s)[*n - 1]) || (*s)[*n - 1] == '*' ||
	              (*s)[*n - 1] == '_'))
		(*n)--;
	/* U+00A0 and U+3000 at either end */
	for (;;) {
		if (*n >= 2 && !memcmp(*s, "\xC2\xA0", 2))
			*s += 2, *n -= 2;
		else if (*n >= 3 && !memcmp(*s, "\xE3\x80\x80", 3))
			*s += 3, *n -= 3;
		else if (*n >= 2 && !memcmp(*s + *n - 2, "\xC2\xA0", 2))
			*n -= 2;
		else if (*n >= 3 && !memcmp(*s + *n - 3, "\xE3\x80\x80", 3))
			*n -= 3;
		else
			break;
	}
}

static int ieq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

static int is_absent(const char *s, size_t n)
{
	trim(&s, &n);
	while (n && (s[n - 1] == '.' || s[n - 1] == ','))
		n--;
	if (!n)
		return 1;
	for (size_t i = 0; i < N_ELEM(absent); i++)
		if (ieq(s, n, absent[i]))
			return 1;
	return 0;
}

static role label_role(const char *s, size_t n)
{
	trim(&s, &n);
	for (size_t i = 0; i < N_ELEM(labels); i++)
		if (ieq(s, n, labels[i].label))
			return labels[i].r;
	return R_NONE;
}

size_t md_label_at(const char *s, size_t n, size_t *value, int known_only)
{
	size_t lim = n < 40 ? n : 40, i;
	for (i = 0; i < lim; i++) {
		if (s[i] == ':' || (i + 3 <= n && !memcmp(s + i, FULLWIDTH_COLON, 3)))
			break;
		if (s[i] == '\n' || s[i] == '[' || s[i] == '(' || s[i] == '.')
			return 0;
	}
	if (i == 0 || i == lim)
		return 0;
	size_t clen = s[i] == ':' ? 1 : 3;
	if (clen == 1 && i + 1 < n && s[i + 1] == '/')
		return 0; /* "https://" */
	const char *l = s;
	size_t ln = i;
	trim(&l, &ln);
	if (!ln)
		return 0;
	if (label_role(l, ln) == R_NONE) {
		/* an unknown label: one to three words */
		if (known_only || ln > 24)
			return 0;
		size_t words = 1;
		for (size_t k = 0; k < ln; k++)
			words += l[k] == ' ';
		if (words > 3)
			return 0;
	}
	size_t v = i + clen;
	while (v < n && is_sp((unsigned char)s[v]))
		v++;
	*value = v;
	return i;
}

int md_link_text_role(const char *s, size_t n)
{
	trim(&s, &n);
	while (n && (*s == '[' || *s == '(')) s++, n--;
	while (n && (s[n - 1] == ']' || s[n - 1] == ')')) n--;
	trim(&s, &n);
	for (size_t i = 0; i < N_ELEM(link_texts); i++)
		if (ieq(s, n, link_texts[i].text))
			return link_texts[i].r;
	return R_NONE;
}

/* ---- authors ---------------------------------------------------------- */

static int is_upper_start(const char *w, size_t n)
{
	unsigned char c = (unsigned char)w[0];
	if (c >= 'A' && c <= 'Z')
		return 1;
	if (c >= 0xC3 && c < 0xE0 && n >= 2)
		return 1; /* Latin letters with accents: Ł, Ø, É */
	for (size_t i = 0; i < N_ELEM(particles); i++)
		if (strlen(particles[i]) == n && !strncmp(w, particles[i], n))
			return 1;
	return 0;
}

/* Splits s[0, n) at the authors' separators; calls fn on each part. */
typedef int (*part_fn)(void *ctx, const char *s, size_t n);

static size_t sep_len(const char *s, size_t n)
{
	if (*s == ',' || *s == ';')
		return 1;
	if (n >= 3 && (!memcmp(s, "，", 3) || !memcmp(s, "；", 3) || !memcmp(s, "、", 3)))
		return 3;
	if (n >= 5 && !memcmp(s, " and ", 5))
		return 5;
	if (n >= 3 && !memcmp(s, " & ", 3))
		return 3;
	return 0;
}

static int split_authors(const char *s, size_t n, part_fn fn, void *ctx)
{
	size_t start = 0;
	for (size_t i = 0; i <= n;) {
		size_t k = i < n ? sep_len(s + i, n - i) : 1;
		if (k) {
			int rc = fn(ctx, s + start, i - start);
			if (rc)
				return rc;
			i += k;
			start = i;
		} else {
			i++;
		}
	}
	return PB_OK;
}

/* Affiliation marks and affiliations after a name: "Li*", "Wu†",
 * "Zhu1", "Ng (Stanford)", "Ng | Stanford". */
static void strip_marks(const char **s, size_t *n)
{
	const char *bar = memchr(*s, '|', *n);
	if (bar)
		*n = (size_t)(bar - *s);
	const char *par = memchr(*s, '(', *n);
	if (par && par > *s)
		*n = (size_t)(par - *s);
	for (int again = 1; again && *n;) {
		again = 0;
		trim(s, n);
		unsigned char c = *n ? (unsigned char)(*s)[*n - 1] : 0;
		if (c == '*' || c == '#' || c == '\'' || (c >= '0' && c <= '9') ||
		    c == ',') {
			(*n)--;
			again = 1;
		} else if (*n >= 3 && (!memcmp(*s + *n - 3, "†", 3) ||
		                       !memcmp(*s + *n - 3, "‡", 3))) {
			*n -= 3;
			again = 1;
		} else if (*n >= 2 && (!memcmp(*s + *n - 2, "§", 2) ||
		                       !memcmp(*s + *n - 2, "¶", 2) ||
		                       !memcmp(*s + *n - 2, "¹", 2) ||
		                       !memcmp(*s + *n - 2, "²", 2) ||
		                       !memcmp(*s + *n - 2, "³", 2))) {
			*n -= 2;
			again = 1;
		}
	}
	trim(s, n);
}

static int initials_word(const char *s, size_t n, int dotted_only);

/* The words of a name s[0, n), split at spaces; each that starts with no
 * capital (and, with initials, is no initials word: "J.") adds to *bad. */
static size_t name_words(const char *s, size_t n, int initials, size_t *bad)
{
	size_t words = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t b = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == b)
			continue;
		words++;
		if (!is_upper_start(s + b, i - b) &&
		    !(initials && initials_word(s + b, i - b, 0)))
			(*bad)++;
	}
	return words;
}

typedef struct line_check {
	size_t parts, bad;
} line_check;

static int check_part(void *ctx, const char *s, size_t n)
{
	line_check *c = ctx;
	strip_marks(&s, &n);
	if (!n)
		return PB_OK;
	c->parts++;
	size_t words = name_words(s, n, 0, &c->bad);
	for (size_t i = 0; i < n; i++)
		if (strchr(":?!/\"“”()[]0123456789", s[i]))
			c->bad++;
	if (words == 0 || words > 5)
		c->bad++;
	return PB_OK;
}

int md_is_author_line(const char *s, size_t n)
{
	trim(&s, &n);
	if (!n || n > 600)
		return 0;
	line_check c = {0, 0};
	split_authors(s, n, check_part, &c);
	if (c.bad || !c.parts)
		return 0;
	if (c.parts == 1) {
		size_t w = 1;
		for (size_t i = 0; i < n; i++)
			w += s[i] == ' ';
		return w >= 2 && w <= 4;
	}
	return 1;
}

static int contains_ci(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, word, k) == 0)
			return 1;
	return 0;
}

int md_is_title_line(const char *s, size_t n)
{
	trim(&s, &n);
	if (n < 8 || n > 400 || !memchr(s, ' ', n))
		return 0;
	char last = s[n - 1];
	if (last == ':' || last == '!' || contains_ci(s, n, "http"))
		return 0;
	for (size_t i = 0; i < N_ELEM(section_words); i++)
		if (contains_ci(s, n, section_words[i]))
			return 0;
	return 1;
}

/* ---- the record being built ------------------------------------------ */

typedef struct build {
	pb_record *rec;
	const char *file;
	const pb_diag_sink *diag;
	unsigned long line;
	pb_buf tmp, abstract;
	pb_venue venue;
	int venue_found; /* the unit named a venue or year (or arXiv) */
	int in_abstract;
	int fields;
	int err;
} build;

static int setn(build *b, pb_field f, const char *s, size_t n)
{
	if (pb_record_setn(b->rec, f, s, n)) {
		b->err = PB_ENOMEM;
		return PB_ENOMEM;
	}
	return PB_OK;
}

static int add_one_author(void *ctx, const char *s, size_t n)
{
	build *b = ctx;
	strip_marks(&s, &n);
	if (!n)
		return PB_OK;
	if (pb_read_is_et_al(s, n)) /* "A, B, et al.": the list goes on */
		return b->rec->n_authors &&
		               pb_record_parse_author(b->rec, "others") == PB_ENOMEM
		           ? (b->err = PB_ENOMEM)
		           : PB_OK;
	pb_buf_reset(&b->tmp);
	if (pb_buf_append(&b->tmp, s, n) || !pb_buf_cstr(&b->tmp))
		return b->err = PB_ENOMEM;
	int rc = pb_record_parse_author(b->rec, b->tmp.data);
	if (rc == PB_ENOMEM)
		return b->err = PB_ENOMEM;
	return PB_OK;
}

/* "Last, First and Last, First": every part between " and " holds one
 * comma (the last may be "others"). */
static int inverted_names(const char *s, size_t n)
{
	size_t parts = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && !(i + 5 <= n && !memcmp(s + i, " and ", 5)))
			continue;
		const char *p = s + start;
		size_t pn = i - start, commas = 0;
		for (size_t k = 0; k < pn; k++)
			commas += p[k] == ',';
		if (commas != 1 && !(i == n && parts && ieq(p, pn, "others")))
			return 0;
		parts++;
		start = i + 5;
		i += 4;
	}
	return parts >= 2;
}

static void add_authors(build *b, const char *s, size_t n)
{
	trim(&s, &n);
	/* the period that ends a sentence of names, not an initial's */
	if (n >= 2 && s[n - 1] == '.' &&
	    !(isupper((unsigned char)s[n - 2]) && (n == 2 || s[n - 3] == ' ' || s[n - 3] == '.')))
		n--;
	trim(&s, &n);
	if (is_absent(s, n))
		return;
	b->fields = 1;
	if (inverted_names(s, n)) {
		size_t start = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i < n && !(i + 5 <= n && !memcmp(s + i, " and ", 5)))
				continue;
			pb_buf_reset(&b->tmp);
			const char *p = s + start;
			size_t pn = i - start;
			trim(&p, &pn);
			if (pb_buf_append(&b->tmp, p, pn) || !pb_buf_cstr(&b->tmp)) {
				b->err = PB_ENOMEM;
				return;
			}
			pb_name nm;
			int rc = memchr(p, ',', pn) ? pb_name_parse_inverted(&nm, b->tmp.data)
			                            : pb_name_parse(&nm, b->tmp.data);
			if (rc == PB_OK) {
				if (pb_record_take_author(b->rec, &nm))
					b->err = PB_ENOMEM;
				pb_name_clear(&nm);
			} else if (rc == PB_ENOMEM) {
				b->err = PB_ENOMEM;
			}
			start = i + 5;
			i += 4;
		}
		return;
	}
	split_authors(s, n, add_one_author, b);
}

/* ---- links ------------------------------------------------------------ */

static int host_is(const char *url, const char *host)
{
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	size_t hn = strcspn(p, "/?#:");
	size_t k = strlen(host);
	if (hn < k || strncasecmp(p + hn - k, host, k) != 0)
		return 0;
	return hn == k || p[hn - k - 1] == '.';
}

static const char *query_param(const char *url, const char *name, size_t *len)
{
	const char *q = strchr(url, '?');
	size_t k = strlen(name);
	while (q) {
		q++;
		if (strncmp(q, name, k) == 0 && q[k] == '=') {
			const char *v = q + k + 1;
			*len = strcspn(v, "&#");
			return *len ? v : NULL;
		}
		q = strchr(q, '&');
	}
	return NULL;
}

static int ends_pdf(const char *url)
{
	size_t n = strcspn(url, "?#");
	return n > 4 && strncasecmp(url + n - 4, ".pdf", 4) == 0;
}

static void set_if_empty(build *b, pb_field f, const char *s, size_t n)
{
	if (!pb_record_get(b->rec, f))
		setn(b, f, s, n);
}

static void add_extra(build *b, const char *key, const char *val, size_t vn)
{
	pb_buf_reset(&b->tmp);
	if (pb_buf_append(&b->tmp, val, vn) || !pb_buf_cstr(&b->tmp) ||
	    pb_record_add_extra(b->rec, key, b->tmp.data))
		b->err = PB_ENOMEM;
}

/* The paper itself: arXiv gives its id and abstract page, OpenReview its
 * id, forum and PDF, a DOI link the DOI. The first paper link wins. */
static void paper_link(build *b, const char *url, int pdf)
{
	pb_record *rec = b->rec;
	size_t idlen;
	const char *id;
	b->fields = 1;
	if (host_is(url, "arxiv.org") &&
	    (strstr(url, "/abs/") || strstr(url, "/pdf/"))) {
		const char *a = strstr(url, "/abs/");
		a = a ? a + 5 : strstr(url, "/pdf/") + 5;
		size_t n = strcspn(a, "?#");
		if (n > 4 && !strncasecmp(a + n - 4, ".pdf", 4))
			n -= 4;
		while (n && a[n - 1] == '/')
			n--;
		if (!rec->url && n) {
			pb_buf_reset(&b->tmp);
			if (pb_buf_puts(&b->tmp, "https://arxiv.org/abs/") ||
			    pb_buf_append(&b->tmp, a, n) || !pb_buf_cstr(&b->tmp)) {
				b->err = PB_ENOMEM;
				return;
			}
			setn(b, PB_F_URL, b->tmp.data, b->tmp.len);
		}
		size_t idn = n;
		/* the id without its version */
		size_t v = idn;
		while (v && isdigit((unsigned char)a[v - 1]))
			v--;
		if (v && v < idn && a[v - 1] == 'v')
			idn = v - 1;
		if (idn)
			set_if_empty(b, PB_F_ID, a, idn);
		if (strstr(url, "/pdf/"))
			set_if_empty(b, PB_F_PDF_URL, url, strlen(url));
		return;
	}
	if (host_is(url, "openreview.net") && (id = query_param(url, "id", &idlen))) {
		set_if_empty(b, PB_F_ID, id, idlen);
		if (!rec->url) {
			pb_buf_reset(&b->tmp);
			if (pb_buf_puts(&b->tmp, "https://openreview.net/forum?id=") ||
			    pb_buf_append(&b->tmp, id, idlen) || !pb_buf_cstr(&b->tmp)) {
				b->err = PB_ENOMEM;
				return;
			}
			setn(b, PB_F_URL, b->tmp.data, b->tmp.len);
		}
		if (!rec->pdf_url) {
			if (strstr(url, "/pdf?")) {
				setn(b, PB_F_PDF_URL, url, strlen(url));
			} else {
				pb_buf_reset(&b->tmp);
				if (pb_buf_puts(&b->tmp, "https://openreview.net/pdf?id=") ||
				    pb_buf_append(&b->tmp, id, idlen) || !pb_buf_cstr(&b->tmp)) {
					b->err = PB_ENOMEM;
					return;
				}
				setn(b, PB_F_PDF_URL, b->tmp.data, b->tmp.len);
			}
		}
		return;
	}
	if (host_is(url, "doi.org")) {
		/* "https://doi.org" alone, or "doi.org?x", names no DOI */
		const char *d = strstr(url, "doi.org/");
		if (d && d[8] && !pb_record_get_extra(rec, "doi"))
			add_extra(b, "doi", d + 8, strlen(d + 8));
	}
	if (pdf || ends_pdf(url))
		set_if_empty(b, PB_F_PDF_URL, url, strlen(url));
	set_if_empty(b, PB_F_URL, url, strlen(url));
}

static int is_code_host(const char *url)
{
	for (size_t i = 0; i < N_ELEM(code_hosts); i++)
		if (host_is(url, code_hosts[i]))
			return 1;
	return 0;
}

/* A link with what its label (hint) and its text say it is. */
static void take_link(build *b, const md_link *l, const char *text, role hint)
{
	const char *url = l->url;
	/* a link around an image only is a badge */
	if (l->image || l->end == l->start || strncasecmp(url, "http", 4) != 0 ||
	    strstr(url, "shields.io") || strstr(url, "/badge"))
		return;
	role r = hint;
	if (r == R_NONE || r == R_LINK) {
		role t = (role)md_link_text_role(text + l->start, l->end - l->start);
		if (t != R_NONE)
			r = t;
	}
	if (r == R_NONE || r == R_LINK) {
		if (is_code_host(url))
			r = R_CODE;
		else if (host_is(url, "doi.org"))
			r = R_DOI;
		else if (ends_pdf(url) && !host_is(url, "arxiv.org"))
			r = R_PDF;
		else
			r = R_PAPER;
	}
	switch (r) {
	case R_CODE:
		b->fields = 1;
		set_if_empty(b, PB_F_CODE_URL, url, strlen(url));
		break;
	case R_PDF:
		paper_link(b, url, !host_is(url, "arxiv.org") && !host_is(url, "openreview.net"));
		break;
	case R_HOME:
		b->fields = 1;
		if (!pb_record_get_extra(b->rec, "homepage"))
			add_extra(b, "homepage", url, strlen(url));
		break;
	case R_OTHER: {
		char key[32];
		size_t n = l->end - l->start;
		const char *t = text + l->start;
		trim(&t, &n);
		while (n && (*t == '[' || *t == '(')) t++, n--;
		while (n && (t[n - 1] == ']' || t[n - 1] == ')')) n--;
		snprintf(key, sizeof key, "%.*s", (int)(n < 31 ? n : 31), t);
		for (char *k = key; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		if (*key && !pb_record_get_extra(b->rec, key))
			add_extra(b, key, url, strlen(url));
		break;
	}
	default:
		paper_link(b, url, 0);
		break;
	}
}

/* ---- venue and year --------------------------------------------------- */

/* The first year (1950-2039) standing alone in s[0, n), or NULL. */
static const char *find_year(const char *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if ((i && isalnum((unsigned char)s[i - 1])) ||
		    (i + 4 < n && isdigit((unsigned char)s[i + 4])))
			continue;
		if ((s[i] == '1' && s[i + 1] == '9' && s[i + 2] >= '5') ||
		    (s[i] == '2' && s[i + 1] == '0' && s[i + 2] <= '3'))
			if (isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]))
				return s + i;
	}
	return NULL;
}

/* Venue text of a unit ("NeurIPS 2018.", "iclr 2021", "(ACL 2019)",
 * "arXiv 2018", "AI Open 2020"). named: the text is a venue field, so an
 * unknown venue's words are its name. */
static void read_venue(build *b, const char *s, size_t n, int named)
{
	trim(&s, &n);
	while (n && (s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ')'))
		n--;
	while (n && (*s == '(' || *s == ','))
		s++, n--;
	trim(&s, &n);
	if (!n || is_absent(s, n))
		return;
	const char *y = find_year(s, n);
	if (y && !b->venue.year) {
		pb_buf_reset(&b->tmp);
		if (pb_buf_append(&b->tmp, y, 4) || !pb_buf_cstr(&b->tmp) ||
		    !(b->venue.year = pb_strdup(b->tmp.data))) {
			b->err = PB_ENOMEM;
			return;
		}
		b->venue_found = 1;
	}
	if (b->venue.short_name || b->venue.name)
		return;
	if (contains_ci(s, n, "arxiv")) {
		b->venue_found = 1;
		return;
	}
	/* a known venue named as a word of its own, in any case */
	for (size_t i = 0; i < n;) {
		while (i < n && !isalpha((unsigned char)s[i]))
			i++;
		size_t st = i;
		while (i < n && isalpha((unsigned char)s[i]))
			i++;
		if (i - st < 2 || i - st > 12)
			continue;
		char w[16];
		snprintf(w, sizeof w, "%.*s", (int)(i - st), s + st);
		const pb_known_venue *k = pb_venue_lookup(w);
		if (k) {
			if (!(b->venue.short_name = pb_strdup(k->short_name)) ||
			    !(b->venue.name = pb_strdup(k->name)) ||
			    (k->publisher && !(b->venue.publisher = pb_strdup(k->publisher))))
				b->err = PB_ENOMEM;
			b->venue_found = 1;
			return;
		}
	}
	pb_buf_reset(&b->tmp);
	if (pb_buf_append(&b->tmp, s, n) || !pb_buf_cstr(&b->tmp)) {
		b->err = PB_ENOMEM;
		return;
	}
	if (pb_venue_detect(b->tmp.data, &b->venue) < 0) {
		b->err = PB_ENOMEM;
		return;
	}
	if (b->venue.name || b->venue.short_name) {
		b->venue_found = 1;
		return;
	}
	if (!named)
		return;
	/* an unknown venue: its words without the year */
	size_t e = y ? (size_t)(y - s) : n;
	const char *v = s;
	if (y && e == 0) {
		v = y + 4;
		e = n - 4;
	}
	trim(&v, &e);
	while (e && (v[e - 1] == ',' || v[e - 1] == '(' || v[e - 1] == '\''))
		e--;
	trim(&v, &e);
	if (e >= 2 && e < 200) {
		if (!(b->venue.name = pb_strndup(v, e)))
			b->err = PB_ENOMEM;
		b->venue_found = 1;
	}
}

/* ---- titles ----------------------------------------------------------- */

/* Cleans a title: numbering ("[12]", "3.", "1)"), bullets, 《》, a tag
 * such as "(Oral)" (kept as the track), a trailing period, runs of spaces
 * and line breaks. */
static void set_title(build *b, const char *s, size_t n)
{
	trim(&s, &n);
	while (n && (*s == '#' || *s == '-' || *s == '+' || *s == '>'))
		s++, n--;
	trim(&s, &n);
	size_t i = 0;
	if (n && *s == '[') {
		for (i = 1; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i > 1 && i < n && s[i] == ']')
			s += i + 1, n -= i + 1;
	} else {
		for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ')
			s += i + 1, n -= i + 1;
	}
	trim(&s, &n);
	const char *open = n >= 3 ? strstr(s, "《") : NULL;
	if (open && open < s + n) {
		const char *close = strstr(open, "》");
		if (close && close < s + n) {
			s = open + 3;
			n = (size_t)(close - s);
		}
	}
	/* a tag at the end: "(Oral)", "[Spotlight]", "(ACL 2019)" */
	for (int again = 1; again && n > 2;) {
		again = 0;
		char c = s[n - 1];
		if (c != ')' && c != ']')
			break;
		char o = c == ')' ? '(' : '[';
		size_t k = n - 1;
		while (k && s[k - 1] != o)
			k--;
		if (!k)
			break;
		const char *t = s + k;
		size_t tn = n - 1 - k;
		int tag = 0;
		for (size_t j = 0; j < N_ELEM(tracks); j++)
			if (ieq(t, tn, tracks[j])) {
				if (!b->rec->venue.track)
					setn(b, PB_F_VENUE_TRACK, t, tn);
				tag = 1;
			}
		if (!tag && find_year(t, tn) && tn < 40) {
			read_venue(b, t, tn, 1);
			tag = 1;
		}
		if (tag) {
			n = k - 1;
			trim(&s, &n);
			again = 1;
		}
	}
	if (n >= 2 && s[n - 1] == '.' && s[n - 2] != '.')
		n--;
	trim(&s, &n);
	if (!n)
		return;
	pb_buf_reset(&b->tmp);
	int space = 0;
	for (size_t j = 0; j < n; j++) {
		if (is_sp((unsigned char)s[j])) {
			space = 1;
			continue;
		}
		if (space && b->tmp.len && pb_buf_putc(&b->tmp, ' '))
			b->err = PB_ENOMEM;
		space = 0;
		if (pb_buf_putc(&b->tmp, s[j]))
			b->err = PB_ENOMEM;
	}
	if (!pb_buf_cstr(&b->tmp))
		b->err = PB_ENOMEM;
	else
		setn(b, PB_F_TITLE, b->tmp.data, b->tmp.len);
}

/* The text of s[from, to) without the text of the links inside it. */
static void text_outside_links(const md_block *blk, size_t from, size_t to,
                               pb_buf *out)
{
	pb_buf_reset(out);
	size_t i = from;
	while (i < to) {
		size_t next = to;
		const md_link *in = NULL;
		for (size_t k = 0; k < blk->n_links; k++) {
			const md_link *l = &blk->links[k];
			if (l->start <= i && l->end > i) {
				in = l;
				break;
			}
			if (l->start > i && l->start < next)
				next = l->start;
		}
		if (in) {
			i = in->end;
			continue;
		}
		pb_buf_append(out, blk->text.data + i, next - i);
		i = next;
	}
	pb_buf_cstr(out);
}

/* ---- blocks ----------------------------------------------------------- */

static void append_abstract(build *b, const char *s, size_t n)
{
	trim(&s, &n);
	if (!n)
		return;
	if (b->abstract.len && pb_buf_putc(&b->abstract, ' '))
		b->err = PB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (pb_buf_putc(&b->abstract, s[i] == '\n' ? ' ' : s[i]))
			b->err = PB_ENOMEM;
}

static void links_in(build *b, const md_block *blk, size_t from, size_t to,
                     role hint)
{
	for (size_t k = 0; k < blk->n_links; k++) {
		const md_link *l = &blk->links[k];
		if (l->start >= from && l->start < to)
			take_link(b, l, blk->text.data, hint);
	}
}

/* A bare identifier or URL in a value that is no link: "10.1234/abcd". */
static void bare_value(build *b, const char *s, size_t n, role r)
{
	trim(&s, &n);
	size_t w = 0;
	while (w < n && !is_sp((unsigned char)s[w]))
		w++;
	if (!w)
		return;
	if (r == R_DOI || (w > 3 && !strncmp(s, "10.", 3) && memchr(s, '/', w))) {
		const char *d = s;
		size_t dn = w;
		const char *o = strstr(s, "doi.org/");
		if (o && o < s + w) {
			dn -= (size_t)(o + 8 - s);
			d = o + 8;
		}
		if (!pb_record_get_extra(b->rec, "doi"))
			add_extra(b, "doi", d, dn);
		b->fields = 1;
	}
}

static void labelled(build *b, const md_block *blk, size_t lab, size_t v)
{
	const char *s = blk->text.data;
	size_t n = blk->text.len;
	const char *l = s;
	size_t ln = lab;
	trim(&l, &ln);
	role r = label_role(l, ln);
	const char *val = s + v;
	size_t vn = n - v;
	trim(&val, &vn);
	b->in_abstract = 0;
	/* a known label is a field even when its value is "None": the unit
	 * is an entry */
	if (r != R_NONE)
		b->fields = 1;
	int has_links = 0;
	for (size_t k = 0; k < blk->n_links; k++)
		has_links |= blk->links[k].start >= v;
	switch (r) {
	case R_AUTHORS:
		add_authors(b, val, vn);
		break;
	case R_PAPER:
	case R_LINK:
	case R_PDF:
	case R_CODE:
	case R_HOME:
	case R_DOI:
		if (has_links)
			links_in(b, blk, v, n, r);
		else if (!is_absent(val, vn))
			bare_value(b, val, vn, r);
		break;
	case R_ABSTRACT:
		b->fields = 1;
		append_abstract(b, val, vn);
		b->in_abstract = 1;
		break;
	case R_KEYWORDS:
		for (size_t i = 0; i < vn;) {
			size_t st = i;
			while (i < vn && val[i] != ',' && val[i] != ';')
				i++;
			const char *k = val + st;
			size_t kn = i - st;
			trim(&k, &kn);
			if (kn && !is_absent(k, kn)) {
				pb_buf_reset(&b->tmp);
				if (pb_buf_append(&b->tmp, k, kn) || !pb_buf_cstr(&b->tmp) ||
				    pb_record_add_keyword(b->rec, b->tmp.data))
					b->err = PB_ENOMEM;
			}
			i++;
		}
		break;
	case R_VENUE:
	case R_YEAR:
		read_venue(b, val, vn, r == R_VENUE);
		break;
	case R_TITLE:
		if (!b->rec->title)
			set_title(b, val, vn);
		break;
	default:
		/* an unknown label: its links by text and host, its text kept
		 * under the label's name when it is a short ASCII word */
		if (has_links) {
			links_in(b, blk, v, n, R_NONE);
		} else if (vn && !is_absent(val, vn) && ln < 24) {
			char key[32];
			size_t j;
			for (j = 0; j < ln; j++)
				if (!isalpha((unsigned char)l[j]) && l[j] != ' ')
					break;
			if (j == ln) {
				snprintf(key, sizeof key, "%.*s", (int)ln, l);
				for (char *c = key; *c; c++)
					*c = (char)tolower((unsigned char)*c);
				if (!pb_record_get_extra(b->rec, key))
					add_extra(b, key, val, vn);
			}
		}
		break;
	}
}

/* A line of the block that is all italic: the authors. */
static int italic_authors(build *b, const md_block *blk)
{
	const char *s = blk->text.data;
	for (size_t k = 0; k < blk->n_spans; k++) {
		const md_span *sp = &blk->spans[k];
		if (sp->strong != 0)
			continue;
		size_t a = sp->start, e = sp->end;
		/* the span must be a line of its own */
		size_t ls = a, le = e;
		while (ls && s[ls - 1] != '\n' && is_sp((unsigned char)s[ls - 1]))
			ls--;
		while (le < blk->text.len && s[le] != '\n' &&
		       (is_sp((unsigned char)s[le]) || s[le] == '.' || s[le] == ','))
			le++;
		if ((ls && s[ls - 1] != '\n') || (le < blk->text.len && s[le] != '\n'))
			continue;
		if (b->rec->n_authors)
			return 1;
		add_authors(b, s + a, e - a);
		return 1;
	}
	return 0;
}

static void body_block(build *b, const md_block *blk)
{
	const char *s = blk->text.data;
	size_t n = blk->text.len;
	if (!s)
		return;
	if (blk->quoted) {
		/* a block quote only continues an abstract */
		if (b->in_abstract)
			append_abstract(b, s, n);
		return;
	}
	size_t i = 0, v;
	while (i < n && is_sp((unsigned char)s[i]))
		i++;
	size_t lab = md_label_at(s + i, n - i, &v, 0);
	if (lab) {
		labelled(b, blk, i + lab, i + v);
		return;
	}
	if (b->in_abstract) {
		append_abstract(b, s, n);
		return;
	}
	if (italic_authors(b, blk))
		return;
	/* links in prose ("see [CVPR 2023](...) for more") are no fields:
	 * only a paragraph of links, or links whose text names them */
	size_t linked = 0, text = 0;
	for (size_t k = 0; k < blk->n_links; k++)
		linked += blk->links[k].end - blk->links[k].start;
	for (size_t k = 0; k < n; k++)
		text += !is_sp((unsigned char)s[k]);
	for (size_t k = 0; k < blk->n_links; k++) {
		const md_link *l = &blk->links[k];
		if (linked * 2 >= text || md_link_text_role(s + l->start, l->end - l->start))
			take_link(b, l, s, R_NONE);
	}
}

/* The title block of a bold or list-item unit: the title (bold text,
 * 《》, a long link, or the text before the first link), then the rest:
 * venue text and links. */
static void title_block(build *b, const md_block *blk, md_shape shape)
{
	const char *s = blk->text.data;
	size_t n = blk->text.len, i = 0;
	if (!s)
		return;
	while (i < n && is_sp((unsigned char)s[i]))
		i++;
	size_t ts = i, te, rest;
	const md_link *first = NULL;
	for (size_t k = 0; k < blk->n_links; k++)
		if (!blk->links[k].image) {
			first = &blk->links[k];
			break;
		}
	const md_span *bold = NULL;
	for (size_t k = 0; k < blk->n_spans; k++)
		if (blk->spans[k].strong == 1 && blk->spans[k].start <= i &&
		    blk->spans[k].end > i) {
			bold = &blk->spans[k];
			break;
		}
	const char *open = strstr(s, "《");
	if (bold && (!first || first->start >= bold->end || first->start <= i)) {
		ts = bold->start;
		te = rest = bold->end;
	} else if (open) {
		const char *close = strstr(open, "》");
		ts = (size_t)(open - s);
		te = rest = close ? (size_t)(close - s) + 3 : n;
	} else if (first && first->start <= i && shape != MD_SHAPE_HEADING) {
		ts = first->start;
		te = first->end;
		rest = first->start; /* the link is the paper's */
	} else if (first && shape != MD_SHAPE_HEADING) {
		te = rest = first->start;
	} else {
		const char *nl = memchr(s + i, '\n', n - i);
		te = rest = nl ? (size_t)(nl - s) : n;
	}
	/* a line break ends the title: what follows is authors or venue */
	const char *nl = memchr(s + ts, '\n', te - ts);
	if (nl && shape != MD_SHAPE_HEADING) {
		te = (size_t)(nl - s);
		if (rest > te)
			rest = te;
	}
	const char *t = s + ts;
	size_t tn = te - ts;
	trim(&t, &tn);
	while (tn && (t[tn - 1] == '[' || t[tn - 1] == '(' || t[tn - 1] == '-' ||
	              t[tn - 1] == ':' || t[tn - 1] == '|' || t[tn - 1] == ','))
		tn--;
	set_title(b, t, tn);
	if (rest >= n)
		return;
	links_in(b, blk, rest, n, R_NONE);
	text_outside_links(blk, rest, n, &b->abstract);
	/* the rest's first line is venue text; a later italic line authors */
	const char *r = b->abstract.data ? b->abstract.data : "";
	size_t rn = strcspn(r, "\n");
	pb_buf copy = {0};
	if (pb_buf_append(&copy, r, rn) || !pb_buf_cstr(&copy)) {
		b->err = PB_ENOMEM;
		pb_buf_free(&copy);
		return;
	}
	pb_buf_reset(&b->abstract);
	const char *c = copy.data;
	size_t cn = copy.len;
	trim(&c, &cn);
	while (cn && strchr(".,[]()|/-:", c[0]))
		c++, cn--;
	while (cn && strchr(".,[]()|/-: ", c[cn - 1]))
		cn--;
	if (cn && cn < 160)
		read_venue(b, c, cn, 1);
	pb_buf_free(&copy);
	italic_authors(b, blk);
}

/* A heading: "[3] [Title](url)": a link that holds most of the heading
 * is the title and the paper; anchors ("[[Back]](#toc)") are dropped. */
static void heading_block(build *b, const md_block *blk)
{
	const char *s = blk->text.data;
	size_t n = blk->text.len;
	if (!s)
		return;
	for (size_t k = 0; k < blk->n_links; k++) {
		const md_link *l = &blk->links[k];
		if (l->image || strncasecmp(l->url, "http", 4) != 0)
			continue;
		size_t ln = l->end - l->start;
		if (ln * 2 >= n && !md_link_text_role(s + l->start, ln)) {
			set_title(b, s + l->start, ln);
			paper_link(b, l->url, 0);
			links_in(b, blk, l->end, n, R_NONE);
			return;
		}
	}
	pb_buf keep = {0};
	/* links out of the page keep their text in the title */
	size_t i = 0;
	while (i < n) {
		const md_link *in = NULL;
		for (size_t k = 0; k < blk->n_links; k++)
			if (blk->links[k].start <= i && blk->links[k].end > i) {
				in = &blk->links[k];
				break;
			}
		if (in && (in->image || strncasecmp(in->url, "http", 4) != 0 ||
		           md_link_text_role(s + in->start, in->end - in->start))) {
			i = in->end;
			continue;
		}
		pb_buf_putc(&keep, s[i]);
		i++;
	}
	if (!pb_buf_cstr(&keep)) {
		b->err = PB_ENOMEM;
		return;
	}
	set_title(b, keep.data, keep.len);
	pb_buf_free(&keep);
	links_in(b, blk, 0, n, R_NONE);
}

static void row_cell(build *b, const md_block *blk)
{
	const char *s = blk->text.data;
	size_t n = blk->text.len;
	if (!s)
		return;
	switch (blk->col) {
	case MD_COL_TITLE_OR_LINK:
	case MD_COL_TITLE: {
		/* "[Title](url)" or "Title": a short link text ("[pdf]") is
		 * no title */
		int titled = 0;
		for (size_t k = 0; k < blk->n_links; k++) {
			const md_link *l = &blk->links[k];
			size_t ln = l->end - l->start;
			if (!md_link_text_role(s + l->start, ln) && ln >= 8 && !titled) {
				set_title(b, s + l->start, ln);
				titled = 1;
			}
		}
		if (!titled) {
			pb_buf keep = {0};
			text_outside_links(blk, 0, n, &keep);
			if (keep.data)
				set_title(b, keep.data, keep.len);
			pb_buf_free(&keep);
		}
		links_in(b, blk, 0, n, R_NONE);
		break;
	}
	case MD_COL_AUTHORS:
		add_authors(b, s, n);
		break;
	case MD_COL_VENUE:
		read_venue(b, s, n, 1);
		break;
	case MD_COL_YEAR:
		read_venue(b, s, n, 0);
		break;
	case MD_COL_PAPER:
		links_in(b, blk, 0, n, R_LINK);
		if (!blk->n_links)
			bare_value(b, s, n, R_LINK);
		break;
	case MD_COL_CODE:
		links_in(b, blk, 0, n, R_CODE);
		break;
	default:
		break;
	}
}

/* ---- formatted references --------------------------------------------- */

/* A reading roadmap's or a paper's bibliography: "Smith, Jane, and Wei
 * Zhang. "A Study of Things." Journal of Stuff 12.3 (2019): 45-67.",
 * "Smith J, Zhang W (2019) A study of things. J Stuff 12:45–67.",
 * "A. Smith, B. Zhang, "Title," in Proc. X, 2019, pp. 1–10.", "Smith, J.,
 * & Zhang, W. (2019). Title. Journal, 12(3), 45–67." The author block
 * ends at the year in parentheses (or ". 2019."), else at a quoted, bold
 * or italic title, else at the first period that follows no initial. */

/* Words before a venue that are no part of its name. */
static const char *const ref_venue_lead[] = {"in:", "in", "presented at",
                                             "published in"};

/* Venue words that make a reference a journal article. */
static const char *const ref_journal_words[] = {
	"journal", "transactions", "letters", "review", "magazine", "j.",
	"nature", "science", "annals", "bulletin"};

/* Venue words that make it proceedings, volume or not. */
static const char *const ref_proceedings_words[] = {
	"conf", "proceedings of", "workshop", "symposium", "meeting",
	"advances in"};

#define NO_POS ((size_t)-1)

typedef struct ref_parts {
	size_t start;    /* after the numbering */
	size_t as, ae;   /* the author block */
	size_t ts, te;   /* the title */
	size_t rest;     /* venue, volume, pages, DOI */
	size_t year;     /* where the year is, or NO_POS */
} ref_parts;

/* A year (1900-2039) at s[i], standing alone, maybe with a letter
 * ("2019a"); returns its length or 0. */
static size_t year_at(const char *s, size_t n, size_t i)
{
	if (i + 4 > n || (i && isalnum((unsigned char)s[i - 1])))
		return 0;
	for (size_t k = 0; k < 4; k++)
		if (!isdigit((unsigned char)s[i + k]))
			return 0;
	if (!((s[i] == '1' && s[i + 1] == '9') ||
	      (s[i] == '2' && s[i + 1] == '0' && s[i + 2] <= '3')))
		return 0;
	size_t k = 4;
	if (i + k < n && s[i + k] >= 'a' && s[i + k] <= 'e' &&
	    (i + k + 1 == n || !isalpha((unsigned char)s[i + k + 1])))
		k++;
	if (i + k < n && isalnum((unsigned char)s[i + k]))
		return 0;
	return k;
}

/* Numbering and marks before a reference: "[7]", "7.", "(7)", bullets,
 * emphasis marks left in raw text. */
static size_t ref_numbering(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		while (i < n && (is_sp((unsigned char)s[i]) || s[i] == '*' || s[i] == '_'))
			i++;
		if (i + 1 < n && (s[i] == '-' || s[i] == '+') && s[i + 1] == ' ') {
			i += 2;
			continue;
		}
		size_t j = i + (i < n && (s[i] == '[' || s[i] == '('));
		size_t d = j;
		while (d < n && isdigit((unsigned char)s[d]))
			d++;
		if (d == j || d - j > 4 || d >= n)
			return i;
		if ((j > i && (s[d] == ']' || s[d] == ')')) ||
		    (j == i && (s[d] == '.' || s[d] == ')') && d + 1 < n &&
		     is_sp((unsigned char)s[d + 1]))) {
			i = d + 1;
			continue;
		}
		return i;
	}
}

/* "J.", "J.-P.", "JR" (Vancouver initials), "J": a word of initials. */
static int initials_word(const char *w, size_t n, int dotted_only)
{
	if (!n)
		return 0;
	size_t letters = 0, dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (isupper((unsigned char)w[i]))
			letters++;
		else if (w[i] == '.')
			dots++;
		else if (w[i] != '-')
			return 0;
	}
	if (dotted_only)
		return dots > 0 && letters <= 3;
	return letters >= 1 && letters <= 3;
}

static int is_et_al(const char *s, size_t n)
{
	trim(&s, &n);
	return pb_read_is_et_al(s, n);
}

typedef struct ref_check {
	size_t parts, bad, seps;
} ref_check;

static int ref_check_part(void *ctx, const char *s, size_t n)
{
	ref_check *c = ctx;
	trim(&s, &n);
	c->seps++;
	if (!n || is_et_al(s, n))
		return PB_OK;
	c->parts++;
	size_t words = name_words(s, n, 1, &c->bad);
	for (size_t i = 0; i < n; i++)
		if (strchr(":?!/\"()[]0123456789", s[i]) ||
		    (i + 3 <= n && (!memcmp(s + i, "\xE2\x80\x9C", 3) ||
		                    !memcmp(s + i, "\xE2\x80\x9D", 3))))
			c->bad++;
	if (words > 4)
		c->bad++;
	return PB_OK;
}

/* s[0, n) reads as a reference's author block. A block of one part
 * without separator ("Deep Residual Learning") is taken only when
 * lone_ok is set (the block ends at a year in parentheses). */
static int ref_authors_ok(const char *s, size_t n, int lone_ok)
{
	trim(&s, &n);
	while (n && (s[n - 1] == ',' || s[n - 1] == '.' || s[n - 1] == '('))
		n--, trim(&s, &n);
	if (n < 2 || n > 500)
		return 0;
	ref_check c = {0, 0, 0};
	split_authors(s, n, ref_check_part, &c);
	if (c.bad || !c.parts)
		return 0;
	return c.seps > 1 || lone_ok;
}

/* The title marked by quotes or emphasis at or after from: its text
 * without the marks. */
static int marked_title(const char *s, size_t n, const md_span *spans,
                        size_t n_spans, size_t from, size_t *ts, size_t *te,
                        size_t *after)
{
	size_t best = NO_POS;
	for (size_t i = from; i < n; i++) {
		size_t open = 0;
		if (s[i] == '"')
			open = 1;
		else if (i + 3 <= n && !memcmp(s + i, "\xE2\x80\x9C", 3))
			open = 3;
		if (!open)
			continue;
		const char *close = NULL;
		size_t clen = 1;
		for (size_t k = i + open; k < n && !close; k++) {
			if (s[k] == '"')
				close = s + k;
			else if (k + 3 <= n && !memcmp(s + k, "\xE2\x80\x9D", 3))
				close = s + k, clen = 3;
		}
		if (!close || (size_t)(close - s) < i + open + 3)
			return 0;
		*ts = i + open;
		*te = (size_t)(close - s);
		*after = *te + clen;
		best = i;
		break;
	}
	for (size_t k = 0; k < n_spans; k++) {
		const md_span *sp = &spans[k];
		if (sp->strong == 2 || sp->start < from || sp->start >= best ||
		    sp->end < sp->start + 4)
			continue;
		*ts = sp->start;
		*te = *after = sp->end;
		best = sp->start;
	}
	return best != NO_POS;
}

/* The end of a sentence at or after from: ". ", "? ", "! " or the end. */
static size_t sentence_end(const char *s, size_t n, size_t from, size_t *next)
{
	for (size_t i = from; i < n; i++)
		if ((s[i] == '.' || s[i] == '?' || s[i] == '!') &&
		    (i + 1 == n || is_sp((unsigned char)s[i + 1]))) {
			*next = i + 1;
			return s[i] == '.' ? i : i + 1;
		}
	*next = n;
	return n;
}

static int ref_parse(const char *s, size_t n, const md_span *spans,
                     size_t n_spans, ref_parts *p)
{
	memset(p, 0, sizeof *p);
	p->year = NO_POS;
	size_t i = ref_numbering(s, n), next;
	p->start = p->as = i;
	if (n - i < 20 || n - i > 2000)
		return 0;
	/* an entry that starts with bold or a link is another shape's
	 * ("**Title.** NeurIPS 2018.", "[Title](url)") */
	for (size_t k = 0; k < n_spans; k++)
		if (spans[k].start <= i && spans[k].end > i)
			return 0;
	/* 1. "Authors (2019)", "Authors. 2019.", "Authors, 2019." */
	for (size_t k = i; k < n; k++) {
		size_t yl = year_at(s, n, k);
		if (!yl)
			continue;
		size_t e = k;
		int paren = e > i && s[e - 1] == '(';
		if (paren)
			e--;
		while (e > i && is_sp((unsigned char)s[e - 1]))
			e--;
		int dotted = e > i && (s[e - 1] == '.' || s[e - 1] == ',');
		size_t after = k + yl;
		if (paren && after < n && s[after] == ')')
			after++;
		else if (paren)
			break;
		if ((!paren && !dotted) || (after < n && !strchr(".,:; ", s[after])))
			break;
		if (!ref_authors_ok(s + i, e - i, paren))
			break;
		p->ae = e;
		p->year = k;
		while (after < n && (strchr(".,:;", s[after]) || is_sp((unsigned char)s[after])))
			after++;
		size_t ts, te, af;
		if (marked_title(s, n, spans, n_spans, after, &ts, &te, &af) &&
		    ts <= after + 3) {
			p->ts = ts, p->te = te, p->rest = af;
		} else {
			p->ts = after;
			p->te = sentence_end(s, n, after, &next);
			p->rest = next;
		}
		return p->te > p->ts + 1;
	}
	/* 2. a quoted, bold or italic title after the authors */
	size_t ts, te, af;
	if (marked_title(s, n, spans, n_spans, i + 2, &ts, &te, &af)) {
		size_t e = ts;
		while (e > i && (is_sp((unsigned char)s[e - 1]) || s[e - 1] == '"' ||
		                 s[e - 1] == '*' || s[e - 1] == '_'))
			e--;
		if (e >= 3 && !memcmp(s + e - 3, "\xE2\x80\x9C", 3))
			e -= 3;
		if (ref_authors_ok(s + i, e - i, 0)) {
			p->ae = e, p->ts = ts, p->te = te, p->rest = af;
			return find_year(s + af, n - af) || strstr(s + af, "doi") ||
			       af < n - 3;
		}
	}
	/* 3. the first period that follows no initial */
	for (size_t k = i + 2; k + 1 < n; k++) {
		if (s[k] != '.' || !is_sp((unsigned char)s[k + 1]))
			continue;
		size_t w = k;
		while (w > i && !is_sp((unsigned char)s[w - 1]))
			w--;
		if (initials_word(s + w, k + 1 - w, 1) || initials_word(s + w, k - w, 1))
			continue;
		/* a Vancouver list ends at its initials: "Smith J, Zhang W." */
		if (!ref_authors_ok(s + i, k - i, 0))
			return 0;
		p->ae = k;
		size_t t = k + 1;
		while (t < n && is_sp((unsigned char)s[t]))
			t++;
		p->ts = t;
		p->te = sentence_end(s, n, t, &next);
		p->rest = next;
		return p->te > p->ts + 1 && p->rest < n &&
		       find_year(s + p->rest, n - p->rest);
	}
	return 0;
}

int md_is_reference(const char *s, size_t n, const md_span *spans,
                    size_t n_spans)
{
	ref_parts p;
	return ref_parse(s, n, spans, n_spans, &p);
}

/* One author of a reference: "Smith, Jane" / "Smith, J." (inverted),
 * "Smith JW" (Vancouver: initials after the family name), else as
 * written ("Jane Smith", "A. Smith"). */
static void ref_author(build *b, const char *family, size_t fn,
                       const char *given, size_t gn)
{
	pb_buf_reset(&b->tmp);
	pb_name nm;
	int rc;
	if (given) {
		if (pb_buf_append(&b->tmp, family, fn) || pb_buf_puts(&b->tmp, ", ") ||
		    pb_buf_append(&b->tmp, given, gn) || !pb_buf_cstr(&b->tmp)) {
			b->err = PB_ENOMEM;
			return;
		}
		rc = pb_name_parse_inverted(&nm, b->tmp.data);
	} else {
		if (pb_buf_append(&b->tmp, family, fn) || !pb_buf_cstr(&b->tmp)) {
			b->err = PB_ENOMEM;
			return;
		}
		rc = pb_name_parse(&nm, b->tmp.data);
	}
	if (rc == PB_OK) {
		if (pb_record_take_author(b->rec, &nm))
			b->err = PB_ENOMEM;
		pb_name_clear(&nm);
	} else if (rc == PB_ENOMEM) {
		b->err = PB_ENOMEM;
	}
}

typedef struct ref_tok {
	const char *s;
	size_t n;
} ref_tok;

static int ref_tok_add(void *ctx, const char *s, size_t n)
{
	ref_tok *t = ctx;
	size_t k = 0;
	while (t[k].s)
		k++;
	trim(&s, &n);
	if (n && k < 63)
		t[k] = (ref_tok){s, n};
	return PB_OK;
}

static size_t word_count(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += !is_sp((unsigned char)s[i]) && (i == 0 || is_sp((unsigned char)s[i - 1]));
	return w;
}

/* Every word of s[0, n) is initials: "J. R.", "J.-P." */
static int initials_token(const char *s, size_t n)
{
	size_t words = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && is_sp((unsigned char)s[i]))
			i++;
		size_t b = i;
		while (i < n && !is_sp((unsigned char)s[i]))
			i++;
		if (i > b && !initials_word(s + b, i - b, 1))
			return 0;
		words += i > b;
	}
	return words > 0;
}

/* A family name alone: one word ("Smith", "García-Márquez") or words
 * after lower-case particles ("van der Berg"), no initials. */
static int family_token(const char *s, size_t n)
{
	size_t words = word_count(s, n);
	if (!words || initials_word(s, n, 0))
		return 0;
	if (words == 1)
		return 1;
	/* every word but the last a particle */
	size_t i = 0;
	for (size_t w = 0; w + 1 < words; w++) {
		size_t b = i;
		while (i < n && !is_sp((unsigned char)s[i]))
			i++;
		int particle = 0;
		for (size_t k = 0; k < N_ELEM(particles); k++)
			if (strlen(particles[k]) == i - b && !strncmp(s + b, particles[k], i - b))
				particle = 1;
		if (!particle)
			return 0;
		while (i < n && is_sp((unsigned char)s[i]))
			i++;
	}
	return 1;
}

/* "Smith, Jane, and Wei Zhang", "Smith, J., & Zhang, W.", "Smith J, Zhang
 * W", "A. Smith, B. Zhang, and C. Lee", "Smith, Jane and Zhang, Wei". */
static void ref_authors(build *b, const char *s, size_t n)
{
	trim(&s, &n);
	while (n && (s[n - 1] == ',' || s[n - 1] == '(' || is_sp((unsigned char)s[n - 1])))
		n--;
	b->fields = 1;
	if (inverted_names(s, n)) {
		add_authors(b, s, n);
		return;
	}
	ref_tok t[64];
	memset(t, 0, sizeof t);
	split_authors(s, n, ref_tok_add, t);
	int others = 0;
	for (size_t k = 0; k < 64 && t[k].s;) {
		const char *a = t[k].s;
		size_t an = t[k].n;
		if (is_et_al(a, an)) {
			others = 1;
			k++;
			continue;
		}
		/* strip a trailing period that ends the block, not an initial's */
		if (an > 2 && a[an - 1] == '.' && !isupper((unsigned char)a[an - 2]))
			an--;
		const ref_tok *nx = k + 1 < 64 && t[k + 1].s ? &t[k + 1] : NULL;
		size_t words = word_count(a, an);
		/* "Smith JW": a family name, then initials without periods */
		size_t last = an;
		while (last && !is_sp((unsigned char)a[last - 1]))
			last--;
		if (words >= 2 && last && initials_word(a + last, an - last, 0) &&
		    !memchr(a + last, '.', an - last) && an - last <= 3) {
			char given[16];
			size_t g = 0;
			for (size_t j = last; j < an && g + 3 < sizeof given; j++) {
				if (g)
					given[g++] = ' ';
				given[g++] = a[j];
				given[g++] = '.';
			}
			size_t fn = last;
			while (fn && is_sp((unsigned char)a[fn - 1]))
				fn--;
			ref_author(b, a, fn, given, g);
			k++;
			continue;
		}
		/* "Smith, Jane": a lone family name, then given names or
		 * initials; the first author of an MLA list, every author of an
		 * APA one */
		if (nx && !is_et_al(nx->s, nx->n) && family_token(a, an) &&
		    (initials_token(nx->s, nx->n) || k == 0)) {
			const char *g = nx->s;
			size_t gn = nx->n;
			ref_author(b, a, an, g, gn);
			k += 2;
			continue;
		}
		ref_author(b, a, an, NULL, 0);
		k++;
	}
	if (others && b->rec->n_authors && pb_record_parse_author(b->rec, "others") == PB_ENOMEM)
		b->err = PB_ENOMEM;
}

/* A number run at s[i]: its length, or 0. */
static size_t digits_at(const char *s, size_t n, size_t i)
{
	size_t k = i;
	while (k < n && isdigit((unsigned char)s[k]))
		k++;
	return k - i;
}

/* The number after a label ("vol. 12", "issue 3") that ends at s[d],
 * into *v and *vn unless one was found before. */
static void labelled_digits(const char *s, size_t n, size_t d, const char **v,
                            size_t *vn)
{
	while (d < n && is_sp((unsigned char)s[d]))
		d++;
	if (!*v && digits_at(s, n, d))
		*v = s + d, *vn = digits_at(s, n, d);
}

/* A page range at s[i]: "45-67", "45–67", "45--67", "e1234", "45". */
static size_t pages_at(const char *s, size_t n, size_t i)
{
	size_t k = i;
	if (k < n && (s[k] == 'e' || s[k] == 'S'))
		k++;
	size_t d = digits_at(s, n, k);
	if (!d)
		return 0;
	k += d;
	size_t dash = 0;
	if (k < n && s[k] == '-')
		dash = k + 1 < n && s[k + 1] == '-' ? 2 : 1;
	else if (k + 3 <= n && !memcmp(s + k, "\xE2\x80\x93", 3))
		dash = 3;
	if (dash && digits_at(s, n, k + dash))
		k += dash + digits_at(s, n, k + dash);
	return k - i;
}

static int word_is(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);
	return i + k <= n && !strncasecmp(s + i, w, k) &&
	       (i == 0 || !isalpha((unsigned char)s[i - 1]));
}

/* What follows the title: "Journal of Stuff 12.3 (2019): 45-67.", "J
 * Stuff 12:45–67. doi:10.1234/abcd", "in Proc. X, 2019, pp. 1–10.",
 * "Journal, 12(3), 45–67. https://doi.org/...". The venue is the text
 * before the first number, parenthesis or "vol."/"pp." mark. */
static void ref_rest(build *b, const char *s, size_t n, size_t year_pos,
                     const char *ys)
{
	size_t i = 0;
	while (i < n && (is_sp((unsigned char)s[i]) || strchr(".,:;\"'*_", s[i]) ||
	                 (i + 3 <= n && (!memcmp(s + i, "\xE2\x80\x9D", 3) ||
	                                 !memcmp(s + i, "\xE2\x80\x99", 3)))))
		i += (unsigned char)s[i] == 0xE2 ? 3 : 1;
	for (size_t k = 0; k < N_ELEM(ref_venue_lead); k++) {
		size_t ln = strlen(ref_venue_lead[k]);
		if (i + ln < n && !strncasecmp(s + i, ref_venue_lead[k], ln) &&
		    (s[i + ln] == ' ' || s[i + ln] == ':')) {
			i += ln;
			while (i < n && (is_sp((unsigned char)s[i]) || s[i] == ':'))
				i++;
			break;
		}
	}
	size_t vs = i, ve = NO_POS;
	const char *vol = NULL, *iss = NULL, *pg = NULL, *doi = NULL;
	size_t voln = 0, issn = 0, pgn = 0, doin = 0;
	for (size_t k = i; k < n; k++) {
		char c = s[k];
		int boundary = k == 0 || is_sp((unsigned char)s[k - 1]) || s[k - 1] == ',' ||
		               s[k - 1] == ':' || s[k - 1] == '(';
		if (word_is(s, n, k, "doi:") || word_is(s, n, k, "doi.org/") ||
		    (boundary && k + 3 < n && !strncmp(s + k, "10.", 3) &&
		     digits_at(s, n, k + 3) >= 4)) {
			size_t d = k;
			if (s[d] != '1')
				d += s[d + 3] == ':' ? 4 : 8;
			while (d < n && is_sp((unsigned char)s[d]))
				d++;
			size_t e = d;
			while (e < n && !is_sp((unsigned char)s[e]))
				e++;
			while (e > d && strchr(".,;)", s[e - 1]))
				e--;
			if (!doi && e > d + 4)
				doi = s + d, doin = e - d;
			if (ve == NO_POS)
				ve = k;
			k = e;
			continue;
		}
		if (word_is(s, n, k, "http") || word_is(s, n, k, "arxiv:") ||
		    word_is(s, n, k, "retrieved") || word_is(s, n, k, "available")) {
			if (ve == NO_POS)
				ve = k;
			break;
		}
		if (word_is(s, n, k, "vol.") || word_is(s, n, k, "volume ")) {
			labelled_digits(s, n, k + (s[k + 3] == '.' ? 4 : 7), &vol, &voln);
			if (ve == NO_POS)
				ve = k;
			continue;
		}
		if (word_is(s, n, k, "no.") || word_is(s, n, k, "issue ")) {
			labelled_digits(s, n, k + (s[k + 2] == '.' ? 3 : 6), &iss, &issn);
			if (ve == NO_POS)
				ve = k;
			continue;
		}
		if (word_is(s, n, k, "pp.") || word_is(s, n, k, "pages ") ||
		    word_is(s, n, k, "p. ")) {
			size_t d = k + (s[k + 1] == 'p' ? 3 : s[k + 1] == '.' ? 2 : 6);
			while (d < n && is_sp((unsigned char)s[d]))
				d++;
			if (!pg && pages_at(s, n, d))
				pg = s + d, pgn = pages_at(s, n, d);
			if (ve == NO_POS)
				ve = k;
			continue;
		}
		/* "(CVPR)" names the venue; "(2019)", "(3)" end it */
		if (c == '(' && ve == NO_POS && k > vs &&
		    !(k + 1 < n && isupper((unsigned char)s[k + 1])))
			ve = k;
		if (!isdigit((unsigned char)c) || !boundary)
			continue;
		size_t d = digits_at(s, n, k);
		if (k + d < n && isalpha((unsigned char)s[k + d]))
			continue; /* "57th" */
		if (year_at(s, n, k)) {
			if (ve == NO_POS)
				ve = k;
			k += d;
			continue;
		}
		if (ve == NO_POS)
			ve = k;
		size_t e = k + d;
		if (!vol && e < n && (s[e] == '(' || s[e] == '.' || s[e] == ':' ||
		                      (s[e] == ',' && e + 1 < n))) {
			/* "12(3)", "12.3", "12:45-67", "12, 45-67" */
			size_t f = e + 1;
			if (s[e] == '(' && digits_at(s, n, f) && f + digits_at(s, n, f) < n &&
			    s[f + digits_at(s, n, f)] == ')') {
				vol = s + k, voln = d;
				iss = s + f, issn = digits_at(s, n, f);
				k = f + issn;
				continue;
			}
			if (s[e] == '.' && digits_at(s, n, f)) {
				vol = s + k, voln = d;
				iss = s + f, issn = digits_at(s, n, f);
				k = f + issn - 1;
				continue;
			}
			if (s[e] == ':' && pages_at(s, n, f)) {
				vol = s + k, voln = d;
				if (!pg)
					pg = s + f, pgn = pages_at(s, n, f);
				k = f + pages_at(s, n, f) - 1;
				continue;
			}
			if (s[e] == '(' || s[e] == ',') {
				vol = s + k, voln = d;
				k = e - 1;
				continue;
			}
		}
		size_t pl = pages_at(s, n, k);
		if (!pg && pl > d) {
			pg = s + k, pgn = pl;
			k += pl - 1;
		} else if (!pg && vol) {
			pg = s + k, pgn = pl;
			k += pl - 1;
		} else if (!vol && !pg) {
			vol = s + k, voln = d;
			k += d - 1;
		}
	}
	if (ve == NO_POS)
		ve = n;
	const char *v = s + vs;
	size_t vn = ve > vs ? ve - vs : 0;
	trim(&v, &vn);
	while (vn && strchr(".,:;(", v[vn - 1]))
		vn--, trim(&v, &vn);
	if (vol)
		add_extra(b, "volume", vol, voln);
	if (iss)
		add_extra(b, "issue", iss, issn);
	if (pg)
		add_extra(b, "pages", pg, pgn);
	if (doi && !pb_record_get_extra(b->rec, "doi"))
		add_extra(b, "doi", doi, doin);
	(void)year_pos;
	if (vn >= 2 && vn < 200) {
		read_venue(b, v, vn, 1);
		int journal = vol != NULL;
		for (size_t k = 0; k < N_ELEM(ref_journal_words) && !journal; k++)
			journal = contains_ci(v, vn, ref_journal_words[k]);
		for (size_t k = 0; k < N_ELEM(ref_proceedings_words) && journal; k++)
			journal = !contains_ci(v, vn, ref_proceedings_words[k]);
		if (journal)
			b->rec->type = PB_TYPE_ARTICLE;
	}
	if (ys)
		read_venue(b, ys, 4, 0);
	else {
		const char *y = find_year(s, n);
		if (y)
			read_venue(b, y, 4, 0);
	}
}

/* A formatted reference: its authors, title, venue, year, volume, pages,
 * DOI and links. */
static void ref_block(build *b, const md_block *blk)
{
	const char *s = blk->text.data;
	size_t n = blk->text.len;
	ref_parts p;
	if (!s || !ref_parse(s, n, blk->spans, blk->n_spans, &p))
		return;
	ref_authors(b, s + p.as, p.ae - p.as);
	/* IEEE puts the comma inside the quotes: "Title," */
	size_t te = p.te;
	while (te > p.ts && strchr(",;: ", s[te - 1]))
		te--;
	set_title(b, s + p.ts, te - p.ts);
	b->fields = 1;
	links_in(b, blk, 0, n, R_NONE);
	pb_buf rest = {0};
	text_outside_links(blk, p.rest, n, &rest);
	if (rest.data)
		ref_rest(b, rest.data, rest.len, p.year,
		         p.year != NO_POS ? s + p.year : NULL);
	else if (!rest.data && b->rec && p.rest < n)
		b->err = PB_ENOMEM;
	pb_buf_free(&rest);
	/* "arXiv:1234.56789" in the text: the paper */
	const char *ax = NULL;
	for (size_t k = p.rest; k + 6 < n && !ax; k++)
		if (!strncasecmp(s + k, "arxiv:", 6) && isdigit((unsigned char)s[k + 6]))
			ax = s + k + 6;
	if (ax && b->rec && !b->rec->url) {
		size_t an = 0;
		while (ax + an < s + n && (isdigit((unsigned char)ax[an]) || ax[an] == '.' ||
		                           ax[an] == 'v'))
			an++;
		while (an && ax[an - 1] == '.')
			an--;
		char url[64];
		snprintf(url, sizeof url, "https://arxiv.org/abs/%.*s", (int)(an < 40 ? an : 40), ax);
		paper_link(b, url, 0);
	}
}

int md_unit_record(const md_unit *u, pb_record *rec, const char *file,
                   const pb_diag_sink *diag, int *titled, int *fields)
{
	build b;
	memset(&b, 0, sizeof b);
	b.rec = rec;
	b.file = file;
	b.diag = diag;
	b.line = u->line;
	pb_venue_init(&b.venue);
	size_t first = 0;
	if (u->shape == MD_SHAPE_ROW) {
		for (size_t i = 0; i < u->n_blocks; i++)
			row_cell(&b, &u->blocks[i]);
		first = u->n_blocks;
	} else if (!u->untitled && u->n_blocks) {
		first = 1;
		if (u->shape == MD_SHAPE_HEADING)
			heading_block(&b, &u->blocks[0]);
		else if (u->shape == MD_SHAPE_LINES)
			set_title(&b, u->blocks[0].text.data, u->blocks[0].text.len);
		else if (u->shape == MD_SHAPE_REF)
			ref_block(&b, &u->blocks[0]);
		else
			title_block(&b, &u->blocks[0], u->shape);
	} else {
		first = u->untitled && u->shape == MD_SHAPE_HEADING ? 1 : 0;
	}
	pb_buf_reset(&b.abstract);
	for (size_t i = first; i < u->n_blocks && !b.err; i++) {
		if (u->shape == MD_SHAPE_LINES)
			add_authors(&b, u->blocks[i].text.data, u->blocks[i].text.len);
		else
			body_block(&b, &u->blocks[i]);
	}
	if (!b.err && b.abstract.len && pb_buf_cstr(&b.abstract))
		setn(&b, PB_F_ABSTRACT, b.abstract.data, b.abstract.len);
	if (!b.err && b.venue_found) {
		pb_record_set(rec, PB_F_VENUE_NAME, b.venue.name);
		pb_record_set(rec, PB_F_VENUE_SHORT, b.venue.short_name);
		pb_record_set(rec, PB_F_VENUE_PUBLISHER, b.venue.publisher);
		if (pb_record_set(rec, PB_F_VENUE_YEAR, b.venue.year))
			b.err = PB_ENOMEM;
	}
	*titled = rec->title != NULL;
	/* a row of a table whose header names a title column is an entry */
	*fields = b.fields || rec->n_authors > 0 || u->shape == MD_SHAPE_ROW;
	pb_venue_clear(&b.venue);
	pb_buf_free(&b.tmp);
	pb_buf_free(&b.abstract);
	return b.err;
}
