/* A paper's identifiers: arXiv ids, DOIs, OpenReview ids and paper URLs,
 * each brought to one form so that two spellings of one identifier
 * compare equal. */
#include "ident.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* arXiv's archives before April 2007, when an id was "archive/YYMMNNN"
 * (https://arxiv.org/help/arxiv_identifier). Only these make an old-style
 * id: "abs/0901001" or "foo/9901001" are not arXiv ids. */
static const char *const arxiv_archives[] = {
	"acc-phys", "adap-org", "alg-geom", "ao-sci",   "astro-ph", "atom-ph",
	"bayes-an", "chao-dyn", "chem-ph",  "cmp-lg",   "comp-gas", "cond-mat",
	"cs",       "dg-ga",    "funct-an", "gr-qc",    "hep-ex",   "hep-lat",
	"hep-ph",   "hep-th",   "math",     "math-ph",  "mtrl-th",  "nlin",
	"nucl-ex",  "nucl-th",  "patt-sol", "physics",  "plasm-ph", "q-alg",
	"q-bio",    "q-fin",    "quant-ph", "solv-int", "stat",     "supr-con",
};

/* The paths of arxiv.org under which an id names a paper. */
static const char *const arxiv_paths[] = {"abs/", "pdf/", "html/", "format/",
                                          "ps/"};

/* Extra fields that hold an arXiv id on their own, bare ids included
 * (BibTeX's eprint, as arXiv and DBLP write it; readers' own names).
 * Other fields count only with "arXiv:" or an arxiv.org link. */
static const char *const arxiv_fields[] = {"eprint", "arxiv", "arxivid",
                                           "arxiv_id", "arxiv-id"};

/* DOIs that arXiv registers for its papers: "10.48550/arXiv.2101.00042". */
static const char arxiv_doi[] = "10.48550/arxiv.";

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Case-insensitive prefix (prefix in lower case): the length of prefix
 * when s starts with it. */
static size_t skip_prefix(const char *s, const char *prefix)
{
	/* by hand: called for most records, mostly failing at once */
	size_t n = 0;
	for (; prefix[n]; n++)
		if (tolower((unsigned char)s[n]) != prefix[n])
			return 0;
	return n;
}

/* The arXiv id at the start of s, without its version, into out. The
 * length of s it takes (the version included), or 0 when s does not start
 * with an id or out is too small. */
static size_t parse_arxiv(const char *s, char *out, size_t size)
{
	size_t n = 0, keep = 0, skip = 0;
	if (is_digits(s, 4) && s[4] == '.') {
		/* new style: YYMM.NNNN from 0704 to 1412, YYMM.NNNNN since */
		int yymm = two_digits(s) * 100 + two_digits(s + 2);
		size_t digits = yymm >= 1501 ? 5 : 4;
		if (yymm < 704 || two_digits(s + 2) < 1 || two_digits(s + 2) > 12 ||
		    !is_digits(s + 5, digits))
			return 0;
		n = keep = 5 + digits;
	} else {
		/* old style: archive, an optional subject class ("math.GT",
		 * dropped: arXiv reads the id without it), "/YYMMNNN" */
		size_t a = 0;
		while (islower((unsigned char)s[a]) || s[a] == '-')
			a++;
		/* "/" or ".XX/" follows the archive: look it up only then */
		if (s[a] != '/' && !(s[a] == '.' && isupper((unsigned char)s[a + 1]) &&
		                     isupper((unsigned char)s[a + 2]) && s[a + 3] == '/'))
			return 0;
		size_t i;
		for (i = 0; i < sizeof arxiv_archives / sizeof arxiv_archives[0]; i++)
			if (strncmp(arxiv_archives[i], s, a) == 0 &&
			    arxiv_archives[i][a] == '\0')
				break;
		if (a == 0 || i == sizeof arxiv_archives / sizeof arxiv_archives[0])
			return 0;
		n = a;
		if (s[n] == '.' && isupper((unsigned char)s[n + 1]) &&
		    isupper((unsigned char)s[n + 2])) {
			skip = 3;
			n += 3;
		}
		int mm = s[n] == '/' && is_digits(s + n + 1, 7)
		         ? two_digits(s + n + 3) : 0;
		if (mm < 1 || mm > 12)
			return 0;
		n += 8;
		keep = n - skip;
	}
	if (s[n] == 'v' && isdigit((unsigned char)s[n + 1]))
		for (n++; isdigit((unsigned char)s[n]);)
			n++;
	/* "2101.000421" is not "2101.00042" */
	if (isalnum((unsigned char)s[n]) || keep >= size)
		return 0;
	if (skip) {
		size_t a = keep - 8;
		memcpy(out, s, a);
		memcpy(out + a, s + a + skip, 8);
	} else {
		memcpy(out, s, keep);
	}
	out[keep] = '\0';
	return n;
}

/* The rest of a URL after its scheme, "www." and host, when the host is
 * host (or a subdomain named in subs); NULL when not. */
static const char *url_on_host(const char *s, const char *host,
                               const char *const *subs)
{
	size_t n;
	if ((n = skip_prefix(s, "https://")) || (n = skip_prefix(s, "http://")))
		s += n;
	else if (strstr(s, "://"))
		return NULL;
	for (; *subs; subs++)
		if ((n = skip_prefix(s, *subs))) {
			s += n;
			break;
		}
	if (!(n = skip_prefix(s, host)))
		return NULL;
	s += n;
	if (*s == ':') /* a port */
		s += strspn(s + 1, "0123456789") + 1;
	return *s == '/' || *s == '\0' ? s : NULL;
}

/* The end of an id in a link: the path or the link ends there. */
static int link_end(const char *s)
{
	return *s == '\0' || *s == '/' || *s == '?' || *s == '#' ||
	       isspace((unsigned char)*s);
}

/* Only blanks left. */
static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* Whether s can name an arXiv paper other than as a bare id: "arxiv"
 * (any case) or arXiv's DOI prefix in it. Most links are neither, and
 * every record's links are asked: one scan instead of the parses. */
static int arxiv_mark(const char *s)
{
	for (const char *p = strpbrk(s, "aA"); p; p = strpbrk(p + 1, "aA"))
		if (skip_prefix(p + 1, "rxiv"))
			return 1;
	return strstr(s, "10.48550/") != NULL;
}

/* pb_arxiv_id, where bare says whether a bare id counts. */
static int find_arxiv(const char *s, int bare, char *out, size_t size)
{
	static const char *const arxiv_subs[] = {"www.", "export.", NULL};
	static const char *const doi_subs[] = {"dx.", "www.", NULL};
	size_t n;
	const char *p;
	if (size)
		*out = '\0';
	if (!s)
		return 0;
	s += strspn(s, " \t\r\n");
	if (!bare && !arxiv_mark(s))
		return 0;
	if ((n = skip_prefix(s, "arxiv:"))) {
		s += n;
		s += strspn(s, " ");
		n = parse_arxiv(s, out, size);
		return n ? 1 : (*out = '\0', 0);
	}
	if ((p = url_on_host(s, "arxiv.org", arxiv_subs)) && *p == '/') {
		p++;
		for (size_t i = 0; i < sizeof arxiv_paths / sizeof arxiv_paths[0]; i++)
			if ((n = skip_prefix(p, arxiv_paths[i]))) {
				p += n;
				if ((n = parse_arxiv(p, out, size))) {
					p += n;
					p += skip_prefix(p, ".pdf");
					if (link_end(p))
						return 1;
				}
				break;
			}
		*out = '\0';
		return 0;
	}
	if ((p = url_on_host(s, "doi.org", doi_subs)) && *p == '/')
		s = p + 1;
	else if ((n = skip_prefix(s, "doi:")))
		s += n + strspn(s + n, " ");
	if ((n = skip_prefix(s, arxiv_doi))) {
		if ((n = parse_arxiv(s + n, out, size)) &&
		    link_end(s + strlen(arxiv_doi) + n))
			return 1;
		*out = '\0';
		return 0;
	}
	if (bare && (n = parse_arxiv(s, out, size)) && blank(s + n))
		return 1;
	if (size)
		*out = '\0';
	return 0;
}

int pb_arxiv_id(const char *s, char *out, size_t size)
{
	return find_arxiv(s, 1, out, size);
}

int pb_arxiv_year(const char *id)
{
	char buf[PB_IDENT_MAX];
	if (!pb_arxiv_id(id, buf, sizeof buf))
		return 0;
	const char *slash = strchr(buf, '/');
	int yy = two_digits(slash ? slash + 1 : buf);
	/* old-style ids began in 1991 and ended in March 2007 */
	return slash && yy >= 91 ? 1900 + yy : 2000 + yy;
}

static int is_arxiv_field(const char *key)
{
	for (size_t i = 0; i < sizeof arxiv_fields / sizeof arxiv_fields[0]; i++)
		if (strcasecmp(key, arxiv_fields[i]) == 0)
			return 1;
	return 0;
}

/* pb_record_arxiv_id; links = 0 skips r's id and links (already read). */
static int record_arxiv(const pb_record *r, int links, char *out, size_t size)
{
	/* eprint is an arXiv id unless the entry says it is something else */
	const char *prefix = pb_record_get_extra(r, "archiveprefix");
	if (!prefix)
		prefix = pb_record_get_extra(r, "eprinttype");
	int eprint_ok = !prefix || strcasecmp(prefix, "arxiv") == 0;
	if (links && (find_arxiv(r->id, 1, out, size) || find_arxiv(r->url, 0, out, size) ||
	              find_arxiv(r->pdf_url, 0, out, size)))
		return 1;
	for (size_t i = 0; i < r->n_extra; i++) {
		const char *k = r->extra[i].key;
		int named = is_arxiv_field(k) &&
		            (eprint_ok || strcasecmp(k, "eprint") != 0);
		if (find_arxiv(r->extra[i].value, named, out, size))
			return 1;
	}
	/* journal = {arXiv preprint arXiv:2101.00042}, as Google Scholar
	 * writes a preprint */
	const char *v = r->venue.name;
	for (; v && (v = strpbrk(v, "aA")); v++)
		if (skip_prefix(v, "arxiv:") && find_arxiv(v, 0, out, size))
			return 1;
	if (size)
		*out = '\0';
	return 0;
}

int pb_record_arxiv_id(const pb_record *r, char *out, size_t size)
{
	return record_arxiv(r, 1, out, size);
}

/* Copies the n bytes of s after prefix into out; 0 when they do not fit. */
static int put_key(char *out, size_t size, const char *prefix, const char *s,
                   size_t n)
{
	size_t k = strlen(prefix);
	if (k + n >= size) {
		if (size)
			*out = '\0';
		return 0;
	}
	memcpy(out, prefix, k);
	memcpy(out + k, s, n);
	out[k + n] = '\0';
	return 1;
}

int pb_doi(const char *s, char *out, size_t size)
{
	static const char *const doi_subs[] = {"dx.", "www.", NULL};
	const char *p;
	size_t n;
	int link = 0;
	if (size)
		*out = '\0';
	if (!s)
		return 0;
	s += strspn(s, " \t\r\n");
	if ((p = url_on_host(s, "doi.org", doi_subs)) && *p == '/') {
		s = p + 1;
		link = 1;
	} else if ((n = skip_prefix(s, "doi:"))) {
		s += n + strspn(s + n, " ");
	}
	/* "10." registrant "/" suffix (s may be shorter than "10.") */
	if (strncmp(s, "10.", 3) != 0)
		return 0;
	n = strspn(s + 3, "0123456789.");
	if (n == 0 || s[3 + n] != '/')
		return 0;
	size_t len = strcspn(s, link ? " \t\r\n?#" : " \t\r\n");
	if (len <= 4 + n || !blank(s + len + (link ? strcspn(s + len, " \t\r\n") : 0)))
		return 0;
	if (!put_key(out, size, "", s, len))
		return 0;
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return 1;
}

/* The value of the query parameter name in a link, and its length. */
static const char *query_param(const char *url, const char *name, size_t *len)
{
	size_t k = strlen(name);
	for (const char *q = strchr(url, '?'); q; q = strchr(q, '&')) {
		q++;
		if (strncmp(q, name, k) == 0 && q[k] == '=') {
			*len = strcspn(q + k + 1, "&# \t");
			return *len ? q + k + 1 : NULL;
		}
	}
	return NULL;
}

/* Any other http(s) link: "url:host/path?query". */
static int generic_url(const char *url, char *out, size_t size)
{
	size_t n;
	if ((n = skip_prefix(url, "https://")) || (n = skip_prefix(url, "http://")))
		url += n;
	else if (!skip_prefix(url, "www."))
		return 0;
	url += skip_prefix(url, "www.");
	size_t host = strcspn(url, "/?# \t\r\n:");
	const char *p = url + host;
	if (host == 0)
		return 0;
	if (*p == ':') /* a port: the default ones say nothing */
		p += strcspn(p, "/?# \t\r\n");
	size_t port = (size_t)(p - (url + host));
	int default_port = port == 0 || (port == 3 && strncmp(url + host, ":80", 3) == 0) ||
	                   (port == 4 && strncmp(url + host, ":443", 4) == 0);
	size_t path = strcspn(p, "?# \t\r\n");
	size_t query = p[path] == '?' ? strcspn(p + path + 1, "# \t\r\n") : 0;
	size_t keep = path;
	while (keep && p[keep - 1] == '/')
		keep--;
	/* a specific item: a query, two path segments, or one with a digit */
	int specific = query > 0;
	for (size_t i = 1; i < keep && !specific; i++)
		specific = p[i] == '/' || isdigit((unsigned char)p[i]);
	if (!specific)
		return 0;
	size_t need = 4 + host + (default_port ? 0 : port) + keep + (query ? 1 + query : 0);
	if (need >= size)
		return 0;
	char *d = out;
	memcpy(d, "url:", 4);
	d += 4;
	for (size_t i = 0; i < host; i++)
		*d++ = (char)tolower((unsigned char)url[i]);
	if (!default_port) {
		memcpy(d, url + host, port);
		d += port;
	}
	memcpy(d, p, keep);
	d += keep;
	if (query) {
		memcpy(d, p + path, 1 + query);
		d += 1 + query;
	}
	*d = '\0';
	return 1;
}

int pb_url_ident(const char *url, char *out, size_t size)
{
	static const char *const or_subs[] = {"www.", "api.", NULL};
	static const char *const doi_subs[] = {"dx.", "www.", NULL};
	char id[PB_IDENT_MAX];
	const char *p, *v;
	size_t n;
	if (size)
		*out = '\0';
	if (!url)
		return -1;
	url += strspn(url, " \t\r\n");
	if (find_arxiv(url, 0, id, sizeof id))
		return put_key(out, size, "arxiv:", id, strlen(id)) ? PB_IDENT_ARXIV : -1;
	if ((p = url_on_host(url, "openreview.net", or_subs))) {
		if ((v = query_param(p, "id", &n)))
			return put_key(out, size, "openreview:", v, n) ? PB_IDENT_OPENREVIEW
			                                              : -1;
		return generic_url(url, out, size) ? PB_IDENT_URL : -1;
	}
	if (url_on_host(url, "doi.org", doi_subs)) {
		if (pb_doi(url, id, sizeof id))
			return put_key(out, size, "doi:", id, strlen(id)) ? PB_IDENT_DOI : -1;
		return -1;
	}
	return generic_url(url, out, size) ? PB_IDENT_URL : -1;
}

/* Adds an identifier unless r has it already. */
static void add_ident(pb_idents *ids, pb_ident_kind kind, int from_link,
                      const char *key)
{
	for (size_t i = 0; i < ids->n; i++)
		if (strcmp(ids->id[i].key, key) == 0)
			return;
	if (ids->n == PB_IDENTS_MAX)
		return;
	ids->id[ids->n].kind = kind;
	ids->id[ids->n].from_link = from_link;
	memcpy(ids->id[ids->n].key, key, strlen(key) + 1);
	ids->n++;
}

static void add_link(pb_idents *ids, const char *url)
{
	char key[PB_IDENT_MAX];
	int kind = pb_url_ident(url, key, sizeof key);
	if (kind >= 0)
		add_ident(ids, (pb_ident_kind)kind, 1, key);
}

/* An OpenReview id: letters, digits, '-' and '_' (paper lists take it
 * from the link's id=). */
static int openreview_like(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                     "0123456789-_");
	return n > 0 && s[n] == '\0';
}

/* A DOI, unless it is not one; arXiv's own DOIs name the arXiv paper. */
static void add_doi(pb_idents *out, const char *value)
{
	char id[PB_IDENT_MAX], key[PB_IDENT_MAX];
	if (!value || !pb_doi(value, id, sizeof id) ||
	    !put_key(key, sizeof key, "doi:", id, strlen(id)))
		return;
	char ax[PB_IDENT_MAX];
	if (find_arxiv(id, 0, ax, sizeof ax) &&
	    put_key(key, sizeof key, "arxiv:", ax, strlen(ax)))
		add_ident(out, PB_IDENT_ARXIV, 0, key);
	else
		add_ident(out, PB_IDENT_DOI, 0, key);
}

size_t pb_record_idents(const pb_record *r, pb_idents *out)
{
	char id[PB_IDENT_MAX], key[PB_IDENT_MAX];
	out->n = 0;
	add_link(out, r->url);
	add_link(out, r->pdf_url);
	for (size_t i = 0; i < r->n_extra; i++)
		if (strcasecmp(r->extra[i].key, "url") == 0)
			add_link(out, r->extra[i].value);
	if (r->id && pb_arxiv_id(r->id, id, sizeof id)) {
		if (put_key(key, sizeof key, "arxiv:", id, strlen(id)))
			add_ident(out, PB_IDENT_ARXIV, 0, key);
	} else if (r->id && openreview_like(r->id) &&
	           put_key(key, sizeof key, "openreview:", r->id, strlen(r->id))) {
		add_ident(out, PB_IDENT_OPENREVIEW, 0, key);
	}
	add_doi(out, pb_record_var(r, "DOI"));
	for (size_t i = 0; i < r->n_extra; i++)
		if (strcasecmp(r->extra[i].key, "doi") == 0)
			add_doi(out, r->extra[i].value);
	if (record_arxiv(r, 0, id, sizeof id) &&
	    put_key(key, sizeof key, "arxiv:", id, strlen(id)))
		add_ident(out, PB_IDENT_ARXIV, 0, key);
	return out->n;
}

const char *pb_ident_label(pb_ident_kind k, int from_link)
{
	static const char *const labels[] = {
		[PB_IDENT_DOI] = "DOI",
		[PB_IDENT_ARXIV] = "arXiv id",
		[PB_IDENT_OPENREVIEW] = "OpenReview id",
		[PB_IDENT_URL] = "URL",
	};
	return from_link ? "URL" : labels[k];
}
