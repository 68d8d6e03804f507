/* LaTeX back to Unicode, for the BibTeX readers.
 *
 * What maps to what is data: the writers' character table in latex.c
 * (pb_latex_table(), searched by its LaTeX side), and the tables below
 * for what that table does not hold (ASCII specials, text commands,
 * TeX ligatures, accents as combining marks). The code only tokenises:
 * groups, control sequences, accents and their arguments, math. */
#include "latex_decode.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "latex.h"
#include "paperbib/paperbib.h"

/* Control sequences with a text of their own, looked up before the
 * character table. A text of " " is a space between words. */
static const struct {
	const char *latex;
	const char *text;
} specials[] = {
	{"\\&", "&"},
	{"\\%", "%"},
	{"\\#", "#"},
	{"\\_", "_"},
	{"\\$", "$"},
	{"\\{", "{"},
	{"\\}", "}"},
	{"\\ ", " "},
	{"\\\\", " "},
	{"\\-", ""}, /* a hyphenation point, not a character */
	{"\\/", ""},
	{"\\@", ""},
	{"\\textasciitilde", "~"},
	{"\\textasciicircum", "^"},
	{"\\textbackslash", "\\"},
	{"\\backslash", "\\"}, /* bibutils writes {\backslash} in text */
	{"\\textless", "<"},
	{"\\textgreater", ">"},
	{"\\textbar", "|"},
	{"\\textbraceleft", "{"},
	{"\\textbraceright", "}"},
	{"\\textunderscore", "_"},
	{"\\textdollar", "$"},
	{"\\textquotedbl", "\""},
	{"\\textquotesingle", "'"},
	{"\\textendash", "\xE2\x80\x93"},
	{"\\textemdash", "\xE2\x80\x94"},
	{"\\textquotedblleft", "\xE2\x80\x9C"},
	{"\\textquotedblright", "\xE2\x80\x9D"},
	{"\\textquoteleft", "\xE2\x80\x98"},
	{"\\textquoteright", "\xE2\x80\x99"},
	{"\\textellipsis", "\xE2\x80\xA6"},
	{"\\dots", "\xE2\x80\xA6"},
	{"\\lbrace", "{"},
	{"\\rbrace", "}"},
	{"\\LaTeX", "LaTeX"},
	{"\\TeX", "TeX"},
	{"\\BibTeX", "BibTeX"},
};

/* TeX's ligatures in text, longest first. */
static const struct {
	const char *latex;
	const char *text;
} ligatures[] = {
	{"---", "\xE2\x80\x94"},
	{"--", "\xE2\x80\x93"},
	{"``", "\xE2\x80\x9C"},
	{"''", "\xE2\x80\x9D"},
	{"`", "\xE2\x80\x98"},
	{"!`", "\xC2\xA1"},
	{"?`", "\xC2\xBF"},
	{"~", "\xC2\xA0"},
};

/* Accents, by the name of their command, and their combining marks for
 * letters the character table has no precomposed form of. Symbol accents
 * are written \'a, the others \v{c}. */
static const struct {
	const char *name;
	uint32_t combining;
} accents[] = {
	{"`", 0x0300}, {"'", 0x0301}, {"^", 0x0302}, {"~", 0x0303},
	{"=", 0x0304}, {"u", 0x0306}, {".", 0x0307}, {"\"", 0x0308},
	{"r", 0x030A}, {"H", 0x030B}, {"v", 0x030C}, {"d", 0x0323},
	{"c", 0x0327}, {"k", 0x0328}, {"b", 0x0331}, {"t", 0x0361},
};

/* Dotless i and j, as accents take them: \'{\i}. */
static const struct {
	char letter;
	uint32_t cp;
} dotless[] = {
	{'i', 0x0131},
	{'j', 0x0237},
};

typedef struct dec {
	pb_buf *out;
	const char *s;
	size_t n, i;
	size_t start; /* out->len before this value: no space at the start */
	int space;    /* a space is due before the next character */
	int rc;
} dec;

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void emit(dec *d, const char *t, size_t k)
{
	if (d->rc != PB_OK || k == 0)
		return;
	if (d->space && d->out->len > d->start)
		d->rc = pb_buf_putc(d->out, ' ');
	d->space = 0;
	if (d->rc == PB_OK)
		d->rc = pb_buf_append(d->out, t, k);
}

static void emit_str(dec *d, const char *t)
{
	if (strcmp(t, " ") == 0)
		d->space = 1;
	else
		emit(d, t, strlen(t));
}

static void emit_cp(dec *d, uint32_t cp)
{
	pb_buf tmp = PB_BUF_INIT;
	if (pb_buf_put_utf8(&tmp, cp) != PB_OK) {
		d->rc = PB_ENOMEM;
		return;
	}
	emit(d, tmp.data, tmp.len);
	pb_buf_free(&tmp);
}

static void skip_spaces(dec *d)
{
	while (d->i < d->n && is_space(d->s[d->i]))
		d->i++;
}

/* The character whose LaTeX is exactly latex[0..len). Where two share
 * one (\mu: micro sign and Greek mu), the later, the letter, wins. */
static const pb_latex_char *find_char(const char *latex, size_t len,
                                      int text_only)
{
	size_t n;
	const pb_latex_char *t = pb_latex_table(&n);
	const pb_latex_char *hit = NULL;
	for (size_t i = 0; i < n; i++) {
		if (text_only && t[i].math)
			continue;
		if (strlen(t[i].latex) == len && memcmp(t[i].latex, latex, len) == 0)
			hit = &t[i];
	}
	return hit;
}

static const char *find_special(const char *latex, size_t len)
{
	for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
		if (strlen(specials[i].latex) == len &&
		    memcmp(specials[i].latex, latex, len) == 0)
			return specials[i].text;
	return NULL;
}

static int find_accent(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof accents / sizeof accents[0]; i++)
		if (strlen(accents[i].name) == len &&
		    memcmp(accents[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* Length of the control sequence at s[i] == '\\': 2 for a control
 * symbol, 1 + letters for a control word, 1 at the end. */
static size_t control_len(const char *s, size_t n, size_t i)
{
	if (i + 1 >= n)
		return 1;
	if (!is_alpha(s[i + 1]))
		return 2;
	size_t j = i + 1;
	while (j < n && is_alpha(s[j]))
		j++;
	return j - i;
}

/* The offset of the } closing the { at s[i], or n. */
static size_t group_end(const char *s, size_t n, size_t i)
{
	int depth = 0;
	for (size_t j = i; j < n; j++) {
		if (s[j] == '\\') {
			j++;
		} else if (s[j] == '{') {
			depth++;
		} else if (s[j] == '}' && --depth == 0) {
			return j;
		}
	}
	return n;
}

/* Does the control sequence at s[i] become text (rather than stay
 * LaTeX)? */
static int decodable(const char *s, size_t n, size_t i)
{
	size_t k = control_len(s, n, i);
	if (k < 2)
		return 0;
	if (find_accent(s + i + 1, k - 1) >= 0 || find_special(s + i, k) ||
	    find_char(s + i, k, 1))
		return 1;
	return (k == 4 && memcmp(s + i, "\\url", 4) == 0) ||
	       (k == 5 && memcmp(s + i, "\\href", 5) == 0);
}

static void run(dec *d, int in_group);

/* An accent (accents[a]) whose argument starts at d->i. */
static void accent(dec *d, int a, int symbol)
{
	const char *s = d->s;
	char letter = 0;
	int is_dotless = 0;
	size_t arg = d->n, arg_end = d->n; /* a complex argument */
	skip_spaces(d);
	if (d->i < d->n && s[d->i] == '{') {
		size_t e = group_end(s, d->n, d->i);
		size_t b = d->i + 1, k = e;
		while (b < k && is_space(s[b]))
			b++;
		while (k > b && is_space(s[k - 1]))
			k--;
		if (k - b == 1 && is_alpha(s[b])) {
			letter = s[b];
		} else if (k - b == 2 && s[b] == '\\' && (s[b + 1] == 'i' || s[b + 1] == 'j')) {
			letter = s[b + 1];
			is_dotless = 1;
		} else if (k > b) {
			arg = b;
			arg_end = k;
		}
		d->i = e < d->n ? e + 1 : e;
	} else if (d->i + 1 < d->n && s[d->i] == '\\' &&
	           (s[d->i + 1] == 'i' || s[d->i + 1] == 'j') &&
	           (d->i + 2 >= d->n || !is_alpha(s[d->i + 2]))) {
		letter = s[d->i + 1];
		is_dotless = 1;
		d->i += 2;
	} else if (d->i < d->n && is_alpha(s[d->i])) {
		letter = s[d->i++];
	}
	if (arg < arg_end) {
		/* \'{ab}: the decoded argument, the mark after it. */
		dec sub = {d->out, s, arg_end, arg, d->start, d->space, PB_OK};
		run(&sub, 0);
		d->rc = sub.rc;
		d->space = 0;
		emit_cp(d, accents[a].combining);
		return;
	}
	/* The table's spelling: \'a, \'{\i}, \v{c}, \v{\i}, \^{} */
	char canon[16];
	const char *name = accents[a].name;
	if (!letter)
		snprintf(canon, sizeof canon, "\\%s{}", name);
	else if (is_dotless)
		snprintf(canon, sizeof canon, "\\%s{\\%c}", name, letter);
	else if (symbol)
		snprintf(canon, sizeof canon, "\\%s%c", name, letter);
	else
		snprintf(canon, sizeof canon, "\\%s{%c}", name, letter);
	const pb_latex_char *c = find_char(canon, strlen(canon), 1);
	if (!c && letter && !is_dotless && (letter == 'i' || letter == 'j')) {
		snprintf(canon, sizeof canon, "\\%s{\\%c}", name, letter);
		c = find_char(canon, strlen(canon), 1);
	}
	if (c) {
		emit_cp(d, c->cp);
		return;
	}
	if (!letter) {
		emit(d, name, strlen(name));
		return;
	}
	if (is_dotless) {
		for (size_t k = 0; k < sizeof dotless / sizeof dotless[0]; k++)
			if (dotless[k].letter == letter)
				emit_cp(d, dotless[k].cp);
	} else {
		emit(d, &letter, 1);
	}
	emit_cp(d, accents[a].combining);
}

/* The argument {...} at d->i as a URL. */
static void url_arg(dec *d)
{
	skip_spaces(d);
	if (d->i >= d->n || d->s[d->i] != '{')
		return;
	size_t e = group_end(d->s, d->n, d->i);
	pb_buf tmp = PB_BUF_INIT;
	if (pb_latex_decode_url(&tmp, d->s + d->i + 1, e - d->i - 1) != PB_OK)
		d->rc = PB_ENOMEM;
	else
		emit(d, tmp.data, tmp.len);
	pb_buf_free(&tmp);
	d->i = e < d->n ? e + 1 : e;
}

/* Brace arguments of a command kept as LaTeX: kept, contents decoded. */
static void kept_args(dec *d)
{
	while (d->i < d->n && d->s[d->i] == '{' && d->rc == PB_OK) {
		emit(d, "{", 1);
		d->i++;
		run(d, 1);
		emit(d, "}", 1);
	}
}

/* The control sequence at d->s[d->i] == '\\'. */
static void command(dec *d)
{
	const char *s = d->s;
	size_t k = control_len(s, d->n, d->i);
	if (k == 1) {
		emit(d, "\\", 1);
		d->i++;
		return;
	}
	const char *cs = s + d->i;
	int a = find_accent(cs + 1, k - 1);
	if (a >= 0) {
		d->i += k;
		accent(d, a, !is_alpha(cs[1]));
		return;
	}
	const char *text = find_special(cs, k);
	const pb_latex_char *c = text ? NULL : find_char(cs, k, 1);
	if (text || c) {
		d->i += k;
		if (text)
			emit_str(d, text);
		else
			emit_cp(d, c->cp);
		if (is_alpha(cs[1])) /* TeX drops the spaces after a word */
			skip_spaces(d);
		return;
	}
	if (k == 4 && memcmp(cs, "\\url", 4) == 0) {
		d->i += k;
		url_arg(d);
		return;
	}
	if (k == 5 && memcmp(cs, "\\href", 5) == 0) {
		d->i += k;
		skip_spaces(d);
		if (d->i < d->n && s[d->i] == '{') {
			size_t e = group_end(s, d->n, d->i);
			d->i = e < d->n ? e + 1 : e;
		}
		skip_spaces(d);
		if (d->i < d->n && s[d->i] == '{') {
			d->i++;
			run(d, 1);
		}
		return;
	}
	/* Anything else stays LaTeX: \texttt{x}, \it, \cite{x}. */
	emit(d, cs, k);
	d->i += k;
	if (is_alpha(cs[1]) && d->i < d->n && is_space(s[d->i])) {
		skip_spaces(d);
		d->space = 1;
	}
	kept_args(d);
}

/* A lone symbol: "\alpha", "\times", "\times{}" with spaces around. */
static const pb_latex_char *lone_symbol(const char *s, size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n >= 2 && memcmp(s + n - 2, "{}", 2) == 0)
		n -= 2;
	if (n < 2 || s[0] != '\\' || control_len(s, n, 0) != n)
		return NULL;
	return find_char(s, n, 0);
}

/* Math at d->s[d->i] == '$': kept as LaTeX unless it is a lone symbol. */
static void math(dec *d)
{
	const char *s = d->s;
	size_t open = d->i + 1 < d->n && s[d->i + 1] == '$' ? 2 : 1;
	size_t b = d->i + open, e = b;
	while (e < d->n) {
		if (s[e] == '\\') {
			e += 2;
			continue;
		}
		if (s[e] == '$' && (open == 1 || (e + 1 < d->n && s[e + 1] == '$')))
			break;
		e++;
	}
	if (e >= d->n) { /* no closing $: a dollar sign */
		emit(d, "$", 1);
		d->i++;
		return;
	}
	d->i = e + open;
	const pb_latex_char *c = lone_symbol(s + b, e - b);
	if (c) {
		emit_cp(d, c->cp);
		return;
	}
	emit(d, s + b - open, open);
	int sp = 0;
	for (size_t j = b; j < e && d->rc == PB_OK; j++) {
		if (is_space(s[j])) {
			sp = 1;
			continue;
		}
		if (sp)
			d->rc = pb_buf_putc(d->out, ' ');
		sp = 0;
		if (d->rc == PB_OK)
			d->rc = pb_buf_putc(d->out, s[j]);
	}
	if (d->rc == PB_OK)
		d->rc = pb_buf_append(d->out, s + e, open);
}

/* Decodes until the end, or until the } closing the current group. */
static void run(dec *d, int in_group)
{
	const char *s = d->s;
	while (d->i < d->n && d->rc == PB_OK) {
		char c = s[d->i];
		if (c == '}') {
			d->i++;
			if (in_group)
				return;
			continue;
		}
		if (c == '{') {
			if (d->i + 1 < d->n && s[d->i + 1] == '\\' &&
			    !decodable(s, d->n, d->i + 1)) {
				/* {\it ...}: a group of LaTeX, kept */
				emit(d, "{", 1);
				d->i++;
				run(d, 1);
				emit(d, "}", 1);
			} else { /* case protection, {\'a}: only braces */
				d->i++;
				run(d, 1);
			}
			continue;
		}
		if (c == '\\') {
			command(d);
			continue;
		}
		if (c == '$') {
			math(d);
			continue;
		}
		if (is_space(c)) {
			d->space = 1;
			d->i++;
			continue;
		}
		size_t used = 0;
		for (size_t k = 0; k < sizeof ligatures / sizeof ligatures[0]; k++) {
			size_t len = strlen(ligatures[k].latex);
			if (len <= d->n - d->i &&
			    memcmp(s + d->i, ligatures[k].latex, len) == 0) {
				emit_str(d, ligatures[k].text);
				used = len;
				break;
			}
		}
		if (!used) {
			emit(d, &c, 1);
			used = 1;
		}
		d->i += used;
	}
}

int pb_latex_decode(pb_buf *out, const char *s, size_t n)
{
	dec d = {out, s, n, 0, out->len, 0, PB_OK};
	run(&d, 0);
	if (d.rc == PB_OK && !pb_buf_cstr(out))
		d.rc = PB_ENOMEM;
	return d.rc;
}

int pb_latex_decode_url(pb_buf *out, const char *s, size_t n)
{
	static const char escaped[] = "%#&_~$";
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && strchr(escaped, s[i + 1])) {
			c = s[++i];
		} else if (is_space(c) || c == '{' || c == '}') {
			continue;
		}
		if (pb_buf_putc(out, c) != PB_OK)
			return PB_ENOMEM;
	}
	return pb_buf_cstr(out) ? PB_OK : PB_ENOMEM;
}
