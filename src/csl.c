/* The CSL 1.0.2 data model: its variables and their homes in a record,
 * and dates in text form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paperbib/csl.h"
#include "paperbib/paperbib.h"

/* Every variable of the CSL 1.0.2 schema (csl-data.json), with the
 * specification's spellings of the number variables the schema shortens
 * (part-number, printing-number, supplement-number) and editor-translator;
 * "issued" lives in vars only when venue.date cannot hold it (record.h). */
const pb_csl_var pb_csl_vars[] = {
	{"id", PB_CSL_STANDARD, PB_CSL_NOT_HELD, PB_F_COUNT},
	{"type", PB_CSL_STANDARD, PB_CSL_NOT_HELD, PB_F_COUNT},
	{"abstract", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_ABSTRACT},
	{"annote", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"archive", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"archive_collection", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"archive_location", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"archive-place", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"authority", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"call-number", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"citation-key", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_KEY},
	{"citation-label", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"collection-title", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"container-title", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_VENUE_NAME},
	{"container-title-short", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_VENUE_SHORT},
	{"dimensions", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"division", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"DOI", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"event", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"event-title", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"event-place", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"genre", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"ISBN", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"ISSN", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"jurisdiction", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"keyword", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_COUNT},
	{"language", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"license", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"medium", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"note", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_NOTE},
	{"original-publisher", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"original-publisher-place", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"original-title", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"part-title", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"PMCID", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"PMID", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"publisher", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_VENUE_PUBLISHER},
	{"publisher-place", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_VENUE_LOCATION},
	{"references", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"reviewed-genre", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"reviewed-title", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"scale", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"section", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"source", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"status", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"title", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_TITLE},
	{"title-short", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"URL", PB_CSL_STANDARD, PB_CSL_IN_MEMBER, PB_F_URL},
	{"version", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"volume-title", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"volume-title-short", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"year-suffix", PB_CSL_STANDARD, PB_CSL_IN_VARS, PB_F_COUNT},
	{"chapter-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"citation-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"collection-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"edition", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"first-reference-note-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"issue", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"locator", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"number-of-pages", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"number-of-volumes", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"page", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"page-first", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"part", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"part-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"printing", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"printing-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"supplement", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"supplement-number", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"volume", PB_CSL_NUMBER, PB_CSL_IN_VARS, PB_F_COUNT},
	{"accessed", PB_CSL_DATE, PB_CSL_IN_VARS, PB_F_COUNT},
	{"available-date", PB_CSL_DATE, PB_CSL_IN_VARS, PB_F_COUNT},
	{"event-date", PB_CSL_DATE, PB_CSL_IN_VARS, PB_F_COUNT},
	{"issued", PB_CSL_DATE, PB_CSL_IN_VARS, PB_F_COUNT},
	{"original-date", PB_CSL_DATE, PB_CSL_IN_VARS, PB_F_COUNT},
	{"submitted", PB_CSL_DATE, PB_CSL_IN_VARS, PB_F_COUNT},
	{"author", PB_CSL_NAME, PB_CSL_IN_MEMBER, PB_F_COUNT},
	{"chair", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"collection-editor", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"compiler", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"composer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"container-author", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"contributor", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"curator", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"director", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"editor", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"editorial-director", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"editor-translator", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"executive-producer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"guest", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"host", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"illustrator", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"interviewer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"narrator", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"organizer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"original-author", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"performer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"producer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"recipient", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"reviewed-author", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"script-writer", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"series-creator", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
	{"translator", PB_CSL_NAME, PB_CSL_IN_PEOPLE, PB_F_COUNT},
};
const size_t pb_csl_n_vars = sizeof pb_csl_vars / sizeof pb_csl_vars[0];

const pb_csl_var *pb_csl_var_findn(const char *name, size_t len)
{
	for (size_t i = 0; i < pb_csl_n_vars; i++)
		if (strncmp(pb_csl_vars[i].name, name, len) == 0 &&
		    pb_csl_vars[i].name[len] == '\0')
			return &pb_csl_vars[i];
	return NULL;
}

const pb_csl_var *pb_csl_var_find(const char *name)
{
	return pb_csl_var_findn(name, strlen(name));
}

static const char *const season_names[] = {"Spring", "Summer", "Autumn",
                                           "Winter"};

const char *pb_season_name(int season)
{
	return season >= 1 && season <= 4 ? season_names[season - 1] : NULL;
}

int pb_season_from_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcasecmp(name, season_names[i]) == 0)
			return i + 1;
	if (strcasecmp(name, "Fall") == 0)
		return 3;
	return 0;
}

/* Reads up to max digits at *p into *v; the count read. */
static int digits(const char **p, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* One end of a range: [-]Y+[-MM[-DD]], a season as month 21-24. */
static int parse_end(const char **p, pb_date *d, int end)
{
	int neg = 0, v;
	if (**p == '-') {
		neg = 1;
		(*p)++;
	}
	if (digits(p, 6, &v) < 1 || v == 0)
		return -1;
	d->year[end] = neg ? -v : v;
	if (**p != '-')
		return 0;
	(*p)++;
	if (digits(p, 2, &v) != 2)
		return -1;
	if (v >= 21 && v <= 24) {
		if (end)
			return -1;
		d->season = v - 20;
		return 0;
	}
	if (v < 1 || v > 12)
		return -1;
	d->month[end] = v;
	if (**p != '-')
		return 0;
	(*p)++;
	if (digits(p, 2, &v) != 2 || v < 1 || v > 31)
		return -1;
	d->day[end] = v;
	return 0;
}

int pb_date_parse(const char *text, pb_date *out)
{
	memset(out, 0, sizeof *out);
	if (strncmp(text, "literal:", 8) == 0) {
		out->text = text + 8;
		return PB_OK;
	}
	if (strncmp(text, "raw:", 4) == 0) {
		out->text = text + 4;
		out->raw = 1;
		return PB_OK;
	}
	const char *p = text;
	pb_date d;
	memset(&d, 0, sizeof d);
	if (parse_end(&p, &d, 0) == 0) {
		if (*p == '/') {
			p++;
			d.has_end = 1;
			if (parse_end(&p, &d, 1) != 0)
				goto literal;
		}
		if (*p == '~') {
			d.circa = 1;
			p++;
		}
		if (*p == '\0') {
			*out = d;
			return PB_OK;
		}
	}
literal:
	out->text = text;
	return PB_OK;
}

/* One end: the year padded to four digits as EDTF writes it. */
static int format_end(const pb_date *d, int end, char *out, size_t size)
{
	int y = d->year[end];
	int n = snprintf(out, size, "%s%04d", y < 0 ? "-" : "", y < 0 ? -y : y);
	if (d->season && !end)
		n += snprintf(out + n, size - (size_t)n, "-%02d", d->season + 20);
	else if (d->month[end]) {
		n += snprintf(out + n, size - (size_t)n, "-%02d", d->month[end]);
		if (d->day[end])
			n += snprintf(out + n, size - (size_t)n, "-%02d", d->day[end]);
	}
	return n;
}

size_t pb_date_format(const pb_date *d, char *out, size_t size)
{
	int n;
	if (d->text)
		n = snprintf(out, size, "%s%s", d->raw ? "raw:" : "literal:", d->text);
	else if (!d->year[0])
		n = snprintf(out, size, "%s", "");
	else {
		char a[32], b[32] = "";
		format_end(d, 0, a, sizeof a);
		if (d->has_end && d->year[1])
			format_end(d, 1, b, sizeof b);
		n = snprintf(out, size, "%s%s%s%s", a, *b ? "/" : "", b,
		             d->circa ? "~" : "");
	}
	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

const char *pb_date_display(const char *text, char *buf, size_t size)
{
	pb_date d;
	pb_date_parse(text, &d);
	if (d.text)
		return d.text;
	if (!pb_date_format(&d, buf, size))
		return text;
	return buf;
}
