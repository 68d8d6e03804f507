/* Helpers the readers of BibTeX, RIS and CSL-JSON share: they read back
 * what the writers make of the venue, the date, keywords and notes. */
#include "readutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paperbib/csl.h"
#include "paperbib/paperbib.h"

/* Month names as BibTeX macros and people write them: the first three
 * letters decide. */
static const char *const month_names[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

/* Labelled values inside a note, as the writers put them there. */
static const struct note_label {
	const char *label;
	pb_field field;
	int url; /* the value must look like a URL */
} note_labels[] = {
	{"Code:", PB_F_CODE_URL, 1},
	{"PDF:", PB_F_PDF_URL, 1},
	{"Citation Key:", PB_F_KEY, 0},
};

/* Separators of a keyword list. */
static const char keyword_seps[] = ",;";
/* Characters of a citation key besides ASCII letters and digits. */
static const char key_chars[] = "-_:./+";

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s))
		(*s)++, (*n)--;
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static int set_if_empty(pb_record *r, pb_field f, const char *s, size_t n)
{
	if (pb_record_get(r, f) || n == 0)
		return PB_OK;
	return pb_record_setn(r, f, s, n);
}

/* A four-digit year. */
static int is_year(const char *s, size_t n)
{
	return n == 4 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
	       is_digit(s[3]);
}

/* "SHORT YEAR", "SHORT" or "YEAR" (inside the parentheses). */
static int short_and_year(pb_record *r, const char *s, size_t n)
{
	trim(&s, &n);
	const char *sp = NULL;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == ' ') {
			sp = s + i - 1;
			break;
		}
	if (is_year(s, n))
		return set_if_empty(r, PB_F_VENUE_YEAR, s, n);
	if (sp && is_year(sp + 1, (size_t)(s + n - sp - 1))) {
		if (set_if_empty(r, PB_F_VENUE_YEAR, sp + 1, 4))
			return PB_ENOMEM;
		n = (size_t)(sp - s);
		trim(&s, &n);
	}
	return set_if_empty(r, PB_F_VENUE_SHORT, s, n);
}

int pb_read_event(pb_record *r, const char *event)
{
	const char *s = event;
	size_t n = strlen(event);
	trim(&s, &n);
	if (n == 0)
		return PB_OK;
	const char *open = NULL;
	if (s[n - 1] == ')')
		for (size_t i = n - 1; i > 0; i--)
			if (s[i - 1] == '(') {
				open = s + i - 1;
				break;
			}
	if (open && open > s) {
		size_t name_len = (size_t)(open - s);
		const char *name = s;
		trim(&name, &name_len);
		if (short_and_year(r, open + 1, (size_t)(s + n - 1 - open - 1)))
			return PB_ENOMEM;
		return set_if_empty(r, PB_F_VENUE_NAME, name, name_len);
	}
	/* "ICLR 2020": one word and a year */
	const char *sp = memchr(s, ' ', n);
	if (sp && !memchr(sp + 1, ' ', (size_t)(s + n - sp - 1)) &&
	    is_year(sp + 1, (size_t)(s + n - sp - 1)))
		return short_and_year(r, s, n);
	return set_if_empty(r, PB_F_VENUE_NAME, s, n);
}

int pb_read_date_parts(pb_record *r, long year, long month, long day)
{
	char buf[32];
	if (year <= 0 || year > 9999)
		return 0;
	if (month < 1 || month > 12)
		month = day = 0;
	if (day < 1 || day > 31)
		day = 0;
	snprintf(buf, sizeof buf, "%04ld", year);
	if (set_if_empty(r, PB_F_VENUE_YEAR, buf, 4))
		return PB_ENOMEM;
	if (!month)
		return 1;
	if (day)
		snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", year, month, day);
	else
		snprintf(buf, sizeof buf, "%04ld-%02ld", year, month);
	if (pb_record_set(r, PB_F_VENUE_DATE, buf))
		return PB_ENOMEM;
	return 1;
}

/* Digits at *s (at most max), as a number; -1 when there are none. */
static long number(const char **s, int max)
{
	long v = 0;
	int k = 0;
	while (k < max && is_digit(**s)) {
		v = v * 10 + (**s - '0');
		(*s)++;
		k++;
	}
	return k ? v : -1;
}

int pb_read_date(pb_record *r, const char *text)
{
	const char *s = text;
	while (is_space(*s))
		s++;
	const char *y0 = s;
	long year = number(&s, 4);
	if (year < 0 || s - y0 != 4 || is_digit(*s))
		return 0;
	long month = 0, day = 0;
	if (*s == '-' || *s == '/') {
		s++;
		long m = number(&s, 2);
		if (m > 0)
			month = m;
		if (*s == '-' || *s == '/') {
			s++;
			long d = number(&s, 2);
			if (d > 0)
				day = d;
		}
	}
	return pb_read_date_parts(r, year, month, day);
}

int pb_read_month(const char *text)
{
	const char *s = text;
	while (is_space(*s))
		s++;
	if (is_digit(*s)) {
		long m = number(&s, 2);
		return m >= 1 && m <= 12 ? (int)m : 0;
	}
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, month_names[i], 3) == 0)
			return i + 1;
	return 0;
}

int pb_read_keywords(pb_record *r, const char *list)
{
	pb_buf one = PB_BUF_INIT;
	int rc = PB_OK;
	const char *p = list;
	while (*p && rc == PB_OK) {
		size_t n = strcspn(p, keyword_seps);
		const char *w = p;
		size_t wn = n;
		trim(&w, &wn);
		pb_buf_reset(&one);
		if (wn && (pb_buf_append(&one, w, wn) ||
		           pb_record_add_keyword(r, pb_buf_cstr(&one))))
			rc = PB_ENOMEM;
		p += n;
		if (*p)
			p++;
	}
	pb_buf_free(&one);
	return rc;
}

/* What says that a list of names goes on. */
static const char *const et_al[] = {"et al.", "et al", "et. al.", "et.al.",
                                    "others", "and others"};

int pb_read_is_et_al(const char *s, size_t n)
{
	/* asked of every author: most names are none of these at once */
	if (n < 5 || n > 10 || !strchr("eEaAoO", s[0]))
		return 0;
	for (size_t i = 0; i < sizeof et_al / sizeof et_al[0]; i++)
		if (strncasecmp(s, et_al[i], n) == 0 && et_al[i][n] == '\0')
			return 1;
	return 0;
}

int pb_read_key_ok(const char *key)
{
	if (!key || !*key)
		return 0;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      is_digit(*p) || strchr(key_chars, *p)))
			return 0;
	return 1;
}

/* The labelled value at note[i], or NULL; its end in *end. */
static const struct note_label *labelled(const char *note, size_t i,
                                         const char **value, size_t *vlen,
                                         size_t *end)
{
	if (i > 0 && !is_space(note[i - 1]))
		return NULL;
	for (size_t k = 0; k < sizeof note_labels / sizeof note_labels[0]; k++) {
		const struct note_label *l = &note_labels[k];
		size_t n = strlen(l->label);
		if (strncasecmp(note + i, l->label, n) != 0)
			continue;
		size_t j = i + n;
		while (note[j] == ' ' || note[j] == '\t')
			j++;
		size_t e = j;
		while (note[e] && !is_space(note[e]))
			e++;
		if (e == j || (l->url && !strstr(note + j, "://")) ||
		    (l->url && (size_t)(strstr(note + j, "://") - note) >= e))
			continue;
		*value = note + j;
		*vlen = e - j;
		*end = e;
		return l;
	}
	return NULL;
}

/* The CSL variable or role a note line's label names, as Zotero's Extra
 * field writes them: "original-date", "Original Date", "DOI"; only those
 * a record keeps in vars or people. */
/* The variables a record keeps in its venue: container-title(-short),
 * publisher, publisher-place. A writer with no field for one of them
 * writes it as a note line too. */
static int venue_member(const pb_csl_var *v)
{
	return v->home == PB_CSL_IN_MEMBER &&
	       (v->member == PB_F_VENUE_NAME || v->member == PB_F_VENUE_SHORT ||
	        v->member == PB_F_VENUE_PUBLISHER ||
	        v->member == PB_F_VENUE_LOCATION);
}

static const pb_csl_var *csl_label(const char *s, size_t n)
{
	char name[40];
	if (n == 0 || n >= sizeof name)
		return NULL;
	for (size_t i = 0; i < n; i++)
		name[i] = s[i] == ' ' ? '-' : s[i];
	name[n] = '\0';
	for (size_t i = 0; i < pb_csl_n_vars; i++) {
		const pb_csl_var *v = &pb_csl_vars[i];
		if ((v->home == PB_CSL_IN_VARS || v->home == PB_CSL_IN_PEOPLE ||
		     venue_member(v)) &&
		    strcasecmp(v->name, name) == 0)
			return v;
	}
	return NULL;
}

int pb_read_date_var(pb_record *r, const char *name, const char *text)
{
	pb_date d;
	pb_date_parse(text, &d);
	pb_buf lit = PB_BUF_INIT;
	/* d.text is text itself when text is no date and has no prefix */
	if (d.text == text && pb_buf_printf(&lit, "literal:%s", text))
		return PB_ENOMEM;
	const char *date = lit.data ? lit.data : text;
	int rc = strcmp(name, "issued") == 0 ? pb_record_set_issued(r, date)
	                                     : pb_record_set_var(r, name, date);
	pb_buf_free(&lit);
	return rc;
}

int pb_read_bars_name(pb_name *nm, const char *s)
{
	const char *bar = strstr(s, "||");
	if (!bar) {
		nm->literal = pb_strdup(s);
		return nm->literal ? PB_OK : PB_ENOMEM;
	}
	const char *fam = s, *giv = bar + 2;
	size_t fn = (size_t)(bar - s), gn = strlen(giv);
	trim(&fam, &fn);
	trim(&giv, &gn);
	if (!fn && !gn)
		return PB_EDATA;
	if (!fn) /* no family to split a particle off */
		return (nm->given = pb_strndup(giv, gn)) ? PB_OK : PB_ENOMEM;
	/* "van der Schaar || Mihaela" is BibTeX's "van der Schaar, Mihaela":
	 * the particle is found as there; "Doe, " is the family alone */
	pb_buf inv = PB_BUF_INIT;
	int rc = pb_buf_append(&inv, fam, fn) || pb_buf_puts(&inv, ", ") ||
	                 pb_buf_append(&inv, giv, gn) || !pb_buf_cstr(&inv)
	             ? PB_ENOMEM
	             : pb_name_parse_inverted(nm, inv.data);
	pb_buf_free(&inv);
	if (rc == PB_ENOMEM || (rc == PB_OK && (nm->family || nm->literal)))
		return rc;
	pb_name_clear(nm);
	pb_name_init(nm);
	if (!(nm->family = pb_strndup(fam, fn)) ||
	    (gn && !(nm->given = pb_strndup(giv, gn))))
		return PB_ENOMEM;
	return PB_OK;
}

int pb_read_csl_line(pb_record *r, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n);
	/* "label: value", with something after the ": " */
	if (!colon || colon == line || (size_t)(colon - line) + 2 >= n ||
	    colon[1] != ' ')
		return 0;
	const pb_csl_var *v = csl_label(line, (size_t)(colon - line));
	if (!v)
		return 0;
	const char *val = colon + 2;
	size_t vn = n - (size_t)(val - line);
	trim(&val, &vn);
	if (!vn)
		return 0;
	/* a variable set already keeps its value: the same value again is
	 * read (nothing new), another stays a line */
	int issued = strcmp(v->name, "issued") == 0;
	const char *had = v->home == PB_CSL_IN_MEMBER ? pb_record_get(r, v->member)
	                  : v->home == PB_CSL_IN_VARS ? pb_record_var(r, v->name)
	                                              : NULL;
	if (had)
		return strlen(had) == vn && memcmp(had, val, vn) == 0;
	if (issued && (r->venue.year || r->venue.date))
		return 0;
	char *copy = pb_strndup(val, vn);
	if (!copy)
		return PB_ENOMEM;
	int rc = PB_OK;
	if (v->home == PB_CSL_IN_MEMBER) {
		rc = pb_record_set(r, v->member, copy);
	} else if (v->home == PB_CSL_IN_PEOPLE) {
		pb_name nm;
		pb_name_init(&nm);
		rc = pb_read_bars_name(&nm, copy);
		if (rc == PB_OK)
			rc = pb_record_add_person(r, v->name, &nm);
		pb_name_clear(&nm);
		if (rc == PB_EDATA) { /* no name at all ("translator: ||") */
			free(copy);
			return 0;
		}
	} else if (v->kind == PB_CSL_DATE) {
		/* a "raw:" or "literal:" with nothing after it is no date */
		pb_date d;
		pb_date_parse(copy, &d);
		rc = d.text && !*d.text ? PB_EDATA
		                        : pb_read_date_var(r, v->name, copy);
		if (rc == PB_EDATA) {
			free(copy);
			return 0;
		}
	} else {
		rc = pb_record_set_var(r, v->name, copy);
	}
	free(copy);
	return rc ? rc : 1;
}

/* Labels of a paper list's extra fields that name a CSL variable under
 * another name; a label that is a variable's own name names it too. */
static const struct list_alias {
	const char *label;
	const char *var;
} list_aliases[] = {
	{"pages", "page"},      {"pp", "page"},       {"vol", "volume"},
	{"no", "issue"},        {"series", "collection-title"},
};

int pb_read_list_vars(pb_record *r)
{
	size_t kept = 0;
	int rc = PB_OK;
	for (size_t i = 0; i < r->n_extra; i++) {
		pb_extra e = r->extra[i];
		const char *name = NULL;
		for (size_t k = 0; k < sizeof list_aliases / sizeof list_aliases[0];
		     k++)
			if (strcasecmp(e.key, list_aliases[k].label) == 0)
				name = list_aliases[k].var;
		const pb_csl_var *v = csl_label(e.key, strlen(e.key));
		if (!name && v && v->home == PB_CSL_IN_VARS &&
		    v->kind != PB_CSL_DATE)
			name = v->name;
		if (name && !pb_record_var(r, name) && *e.value) {
			if ((rc = pb_record_set_var(r, name, e.value)))
				return rc;
			continue;
		}
		r->extra[kept++] = e;
	}
	r->n_extra = kept;
	return rc;
}

int pb_read_add_note_line(pb_record *r, const char *text)
{
	if (!r->note)
		return pb_record_set(r, PB_F_NOTE, text);
	pb_buf all = PB_BUF_INIT;
	int rc = pb_buf_printf(&all, "%s\n%s", r->note, text) ||
	                 pb_record_setn(r, PB_F_NOTE, all.data, all.len)
	             ? PB_ENOMEM
	             : PB_OK;
	pb_buf_free(&all);
	return rc;
}

int pb_read_note(pb_record *r, const char *note)
{
	pb_buf rest = PB_BUF_INIT;
	pb_buf val = PB_BUF_INIT;
	int rc = PB_OK;
	for (size_t i = 0; note[i] && rc == PB_OK;) {
		const char *v;
		size_t vlen, end;
		const struct note_label *l = labelled(note, i, &v, &vlen, &end);
		if (!l) {
			rc = pb_buf_putc(&rest, note[i]);
			i++;
			continue;
		}
		pb_buf_reset(&val);
		if (pb_buf_append(&val, v, vlen)) {
			rc = PB_ENOMEM;
			break;
		}
		if (!pb_record_get(r, l->field) &&
		    (l->field != PB_F_KEY || pb_read_key_ok(val.data)))
			rc = pb_record_set(r, l->field, val.data);
		i = end;
	}
	/* What is left, line by line, without empty lines; a line that
	 * names a CSL variable or role, as Zotero's Extra does, sets it. */
	pb_buf_reset(&val);
	const char *p = rest.data ? rest.data : "";
	while (*p && rc == PB_OK) {
		size_t n = strcspn(p, "\n");
		const char *line = p;
		size_t ln = n;
		trim(&line, &ln);
		int set = 0;
		if (ln && (rc = pb_read_csl_line(r, line, ln)) > 0)
			set = 1, rc = PB_OK;
		if (ln && !set && rc == PB_OK &&
		    ((val.len && pb_buf_putc(&val, '\n')) ||
		     pb_buf_append(&val, line, ln)))
			rc = PB_ENOMEM;
		p += n;
		if (*p)
			p++;
	}
	if (rc == PB_OK && val.len)
		rc = pb_read_add_note_line(r, val.data);
	pb_buf_free(&rest);
	pb_buf_free(&val);
	return rc;
}
