/* Configuration: defaults, then INI files (iniparser), then --set. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser.h>

#include "buf.h"
#include "paperbib/paperbib.h"

static const pb_option_spec venue_options[] = {
	{"name", PB_OPT_STRING, NULL, NULL, "full name of the conference"},
	{"short_name", PB_OPT_STRING, NULL, NULL, "short name, e.g. ICLR"},
	{"year", PB_OPT_YEAR, NULL, NULL, "year of the conference"},
	{"date", PB_OPT_DATE, NULL, NULL,
	 "first day, YYYY-MM-DD (or YYYY-MM)"},
	{"publisher", PB_OPT_STRING, NULL, NULL, "publisher of the proceedings"},
	{"location", PB_OPT_STRING, NULL, NULL, "where it took place"},
	{"track", PB_OPT_STRING, NULL, NULL, "track or session, e.g. Oral"},
	{NULL, 0, NULL, NULL, NULL},
};

static const pb_option_spec input_options[] = {
	{"mathjax", PB_OPT_BOOL, "yes", NULL,
	 "collapse MathJax triplets in abstracts into $...$"},
	{"strict", PB_OPT_BOOL, "no", NULL,
	 "treat invalid UTF-8 as an error"},
	{"duplicates", PB_OPT_CHOICE, "auto", "auto|drop|keep",
	 "a record is a duplicate when it shares a DOI, arXiv id, OpenReview id "
	 "or paper URL with an earlier one, or, with none, its title and "
	 "authors; auto: dropped from paper lists, kept from BibTeX, RIS and "
	 "CSL-JSON unless the key repeats too; drop: dropped from every input; "
	 "keep: every record kept, none reported"},
	{"read_ahead", PB_OPT_BOOL, "yes", NULL,
	 "read the input on a second thread while the first one writes"},
	{NULL, 0, NULL, NULL, NULL},
};

static const pb_option_spec citekey_options[] = {
	{"pattern", PB_OPT_STRING, PB_CITEKEY_DEFAULT_PATTERN, NULL,
	 "citation key pattern"},
	{"unique", PB_OPT_BOOL, "yes", NULL,
	 "add a, b, ... to a key that repeats an earlier one"},
	{NULL, 0, NULL, NULL, NULL},
};

static const pb_option_spec no_options[] = {
	{NULL, 0, NULL, NULL, NULL},
};

const pb_section_spec pb_core_sections[] = {
	{"venue", venue_options},
	{"input", input_options},
	{"citekey", citekey_options},
	{NULL, NULL},
};

typedef struct entry {
	char *section;
	char *key;
	char *value;
} entry;

struct pb_config {
	entry *entries;
	size_t n, cap;
};

pb_config *pb_config_new(void)
{
	return calloc(1, sizeof(pb_config));
}

void pb_config_free(pb_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].section);
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	free(cfg);
}

static const pb_option_spec *section_options(const char *section)
{
	for (const pb_section_spec *s = pb_core_sections; s->name; s++)
		if (strcasecmp(s->name, section) == 0)
			return s->options;
	for (const pb_format *const *f = pb_formats(); *f; f++)
		if (strcasecmp((*f)->name, section) == 0)
			return (*f)->options ? (*f)->options : no_options;
	return NULL;
}

const pb_option_spec *pb_config_spec(const char *section, const char *key)
{
	const pb_option_spec *o = section_options(section);
	for (; o && o->key; o++)
		if (strcasecmp(o->key, key) == 0)
			return o;
	return NULL;
}

static entry *find(const pb_config *cfg, const char *section, const char *key)
{
	for (size_t i = 0; cfg && i < cfg->n; i++)
		if (strcasecmp(cfg->entries[i].section, section) == 0 &&
		    strcasecmp(cfg->entries[i].key, key) == 0)
			return &cfg->entries[i];
	return NULL;
}

const char *pb_config_get(const pb_config *cfg, const char *section,
                          const char *key)
{
	entry *e = find(cfg, section, key);
	if (e)
		return e->value;
	const pb_option_spec *o = pb_config_spec(section, key);
	return o ? o->def : NULL;
}

int pb_config_is_set(const pb_config *cfg, const char *section,
                     const char *key)
{
	return find(cfg, section, key) != NULL;
}

static int parse_bool(const char *v)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

int pb_config_get_bool(const pb_config *cfg, const char *section,
                       const char *key, int def)
{
	const char *v = pb_config_get(cfg, section, key);
	int b = v ? parse_bool(v) : -1;
	return b < 0 ? def : b;
}

const char *pb_list_next(const char **cursor, size_t *len)
{
	const char *p = *cursor;
	while (p && *p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && *p != ',')
			p++;
		const char *end = p;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		if (end > start) {
			*cursor = p;
			*len = (size_t)(end - start);
			return start;
		}
	}
	*cursor = p;
	return NULL;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The two digits at s as a number (the caller has checked they are). */
static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int valid_date(const char *v)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t n = strlen(v);
	if ((n != 4 && n != 7 && n != 10) || !all_digits(v, 4))
		return 0;
	int m = 0;
	if (n >= 7) {
		if (v[4] != '-' || !all_digits(v + 5, 2))
			return 0;
		m = two_digits(v + 5);
		if (m < 1 || m > 12)
			return 0;
	}
	if (n == 10) {
		if (v[7] != '-' || !all_digits(v + 8, 2))
			return 0;
		int d = two_digits(v + 8);
		if (d < 1 || d > days[m - 1])
			return 0;
	}
	return 1;
}

static int valid_choice(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t k = bar ? (size_t)(bar - p) : strlen(p);
		if (k == n && strncasecmp(p, v, n) == 0)
			return 1;
		p += k + (bar != NULL);
	}
	return 0;
}

/* Why value is not valid for o, or NULL when it is. */
static const char *invalid(const pb_option_spec *o, const char *v)
{
	switch (o->type) {
	case PB_OPT_BOOL:
		return parse_bool(v) < 0 ? "is not yes or no" : NULL;
	case PB_OPT_YEAR:
		return strlen(v) == 4 && all_digits(v, 4) ? NULL
		       : "is not a year (four digits)";
	case PB_OPT_DATE:
		return valid_date(v) ? NULL
		       : "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)";
	case PB_OPT_CHOICE:
		return valid_choice(o->choices, v) ? NULL : "is not one of the choices";
	case PB_OPT_STRING:
	case PB_OPT_LIST:
		break;
	}
	return NULL;
}

static void list_names(pb_buf *b, const char *section)
{
	if (section) {
		const pb_option_spec *o = section_options(section);
		for (; o && o->key; o++)
			pb_buf_printf(b, "%s%s", b->len ? ", " : "", o->key);
		return;
	}
	for (const pb_section_spec *s = pb_core_sections; s->name; s++)
		pb_buf_printf(b, "%s%s", b->len ? ", " : "", s->name);
	for (const pb_format *const *f = pb_formats(); *f; f++)
		pb_buf_printf(b, ", %s", (*f)->name);
}

/* Reports a problem with section.key at file:line (file NULL for --set). */
static void complain(const pb_diag_sink *diag, const char *file,
                     unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void complain(const pb_diag_sink *diag, const char *file,
                     unsigned long line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pb_diag_emitf(diag, PB_DIAG_ERROR, file, line, 0, "%s", msg);
}

static int store(pb_config *cfg, const char *section, const char *key,
                 const char *value)
{
	char *v = pb_strdup(value);
	if (!v)
		return PB_ENOMEM;
	entry *e = find(cfg, section, key);
	if (e) {
		free(e->value);
		e->value = v;
		return PB_OK;
	}
	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;
		entry *p = realloc(cfg->entries, cap * sizeof *p);
		if (!p) {
			free(v);
			return PB_ENOMEM;
		}
		cfg->entries = p;
		cfg->cap = cap;
	}
	e = &cfg->entries[cfg->n];
	e->section = pb_strdup(section);
	e->key = pb_strdup(key);
	e->value = v;
	if (!e->section || !e->key) {
		free(e->section);
		free(e->key);
		free(v);
		return PB_ENOMEM;
	}
	for (char *p = e->section; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (char *p = e->key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	cfg->n++;
	return PB_OK;
}

static int set_at(pb_config *cfg, const char *section, const char *key,
                  const char *value, const char *file, unsigned long line,
                  const char *origin, const pb_diag_sink *diag)
{
	pb_buf names = PB_BUF_INIT;
	int rc = PB_ECONFIG;
	const char *pre = origin ? origin : "";
	const char *sep = origin ? ": " : "";
	if (!section_options(section)) {
		list_names(&names, NULL);
		complain(diag, file, line, "%s%sunknown section [%s] (known: %s)", pre,
		         sep, section, pb_buf_cstr(&names));
		goto out;
	}
	const pb_option_spec *o = pb_config_spec(section, key);
	if (!o) {
		list_names(&names, section);
		complain(diag, file, line, "%s%sunknown key '%s' in [%s] (known: %s)",
		         pre, sep, key, section,
		         names.len ? pb_buf_cstr(&names) : "none");
		goto out;
	}
	const char *why = invalid(o, value);
	if (why) {
		if (o->type == PB_OPT_CHOICE)
			complain(diag, file, line, "%s%s[%s] %s: '%s' %s (%s)", pre, sep,
			         section, key, value, why, o->choices);
		else
			complain(diag, file, line, "%s%s[%s] %s: '%s' %s", pre, sep,
			         section, key, value, why);
		goto out;
	}
	if (strcasecmp(section, "citekey") == 0 && strcasecmp(key, "pattern") == 0 &&
	    pb_citekey_check_pattern(value) != PB_OK) {
		complain(diag, file, line,
		         "%s%s[citekey] pattern: '%s' has an unknown or unclosed field "
		         "(known: [auth] [authors] [year] [title] [shorttitle] "
		         "[venue] [id])", pre, sep, value);
		goto out;
	}
	rc = store(cfg, section, key, value);
out:
	pb_buf_free(&names);
	return rc;
}

int pb_config_set(pb_config *cfg, const char *section, const char *key,
                  const char *value, const char *origin,
                  const pb_diag_sink *diag)
{
	return set_at(cfg, section, key, value, NULL, 0, origin, diag);
}

int pb_config_assign(pb_config *cfg, const char *assignment,
                     const pb_diag_sink *diag)
{
	const char *dot = strchr(assignment, '.');
	const char *eq = strchr(assignment, '=');
	if (!dot || !eq || dot > eq || dot == assignment || eq == dot + 1) {
		complain(diag, NULL, 0,
		         "--set '%s': expected SECTION.KEY=VALUE, e.g. venue.year=2020",
		         assignment);
		return PB_ECONFIG;
	}
	char *section = pb_strndup(assignment, (size_t)(dot - assignment));
	char *key = pb_strndup(dot + 1, (size_t)(eq - dot - 1));
	if (!section || !key) {
		free(section);
		free(key);
		return PB_ENOMEM;
	}
	char origin[64];
	snprintf(origin, sizeof origin, "--set %s.%s", section, key);
	int rc = set_at(cfg, section, key, eq + 1, NULL, 0, origin, diag);
	free(section);
	free(key);
	return rc;
}

/* iniparser reports syntax errors through a global callback; keep the
 * first one of a load here. */
static char ini_error[512];

static int capture_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int capture_error(const char *fmt, ...)
{
	if (ini_error[0])
		return 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(ini_error, sizeof ini_error, fmt, ap);
	va_end(ap);
	return n;
}

/* Line numbers of sections and keys, which iniparser does not keep. */
typedef struct where {
	char name[160]; /* "section" or "section:key", lower-case */
	unsigned long line;
} where;

static int scan_lines(FILE *f, where **out, size_t *count)
{
	char line[4096];
	char section[64] = "";
	unsigned long no = 0;
	size_t n = 0, cap = 0;
	where *w = NULL;
	while (fgets(line, sizeof line, f)) {
		no++;
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		char name[160];
		if (*p == '[') {
			char *end = strchr(p, ']');
			if (!end)
				continue;
			snprintf(section, sizeof section, "%.*s", (int)(end - p - 1), p + 1);
			snprintf(name, sizeof name, "%s", section);
		} else if (*p && *p != ';' && *p != '#' && strchr(p, '=')) {
			char *e = strchr(p, '=');
			while (e > p && isspace((unsigned char)e[-1]))
				e--;
			snprintf(name, sizeof name, "%s:%.*s", section, (int)(e - p), p);
		} else {
			continue;
		}
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			where *nw = realloc(w, cap * sizeof *nw);
			if (!nw) {
				free(w);
				return PB_ENOMEM;
			}
			w = nw;
		}
		snprintf(w[n].name, sizeof w[n].name, "%s", name);
		w[n++].line = no;
	}
	*out = w;
	*count = n;
	return PB_OK;
}

static unsigned long line_of(const where *w, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].name, name) == 0)
			return w[i].line;
	return 0;
}

int pb_config_load(pb_config *cfg, const char *path, const pb_diag_sink *diag)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return PB_EIO;
	where *w = NULL;
	size_t nw = 0;
	int rc = scan_lines(f, &w, &nw);
	int read_error = ferror(f);
	fclose(f);
	if (rc)
		return rc;
	if (read_error) {
		free(w);
		errno = EIO;
		return PB_EIO;
	}

	ini_error[0] = '\0';
	iniparser_set_error_callback(capture_error);
	dictionary *d = iniparser_load(path);
	if (!d || ini_error[0]) {
		/* "iniparser: syntax error in FILE (LINE):\n-> TEXT\n" */
		unsigned long line = 0;
		const char *paren = strrchr(ini_error, '(');
		if (paren)
			line = strtoul(paren + 1, NULL, 10);
		const char *text = strstr(ini_error, "-> ");
		char shown[256] = "";
		if (text)
			snprintf(shown, sizeof shown, "%s", text + 3);
		shown[strcspn(shown, "\n")] = '\0';
		if (text)
			complain(diag, path, line, "syntax error: '%s'", shown);
		else
			complain(diag, path, line, "cannot parse INI file");
		iniparser_freedict(d);
		free(w);
		return PB_ECONFIG;
	}

	rc = PB_OK;
	int nsec = iniparser_getnsec(d);
	for (int i = 0; i < nsec; i++) {
		const char *sec = iniparser_getsecname(d, i);
		int nkeys = iniparser_getsecnkeys(d, sec);
		if (!section_options(sec)) {
			pb_buf names = PB_BUF_INIT;
			list_names(&names, NULL);
			complain(diag, path, line_of(w, nw, sec),
			         "unknown section [%s] (known: %s)", sec, pb_buf_cstr(&names));
			pb_buf_free(&names);
			rc = PB_ECONFIG;
			continue;
		}
		if (nkeys <= 0)
			continue;
		const char **keys = malloc((size_t)nkeys * sizeof *keys);
		if (!keys) {
			rc = PB_ENOMEM;
			break;
		}
		iniparser_getseckeys(d, sec, keys);
		for (int k = 0; k < nkeys; k++) {
			const char *full = keys[k]; /* "section:key" */
			const char *key = strchr(full, ':');
			key = key ? key + 1 : full;
			const char *value = iniparser_getstring(d, full, "");
			int r = set_at(cfg, sec, key, value, path, line_of(w, nw, full),
			               NULL, diag);
			if (r && !rc)
				rc = r;
		}
		free(keys);
	}
	/* Keys before the first section have no section to belong to. */
	for (size_t i = 0; i < nw; i++)
		if (w[i].name[0] == ':') {
			complain(diag, path, w[i].line, "key '%s' is outside any section",
			         w[i].name + 1);
			rc = PB_ECONFIG;
		}
	iniparser_freedict(d);
	free(w);
	return rc;
}
