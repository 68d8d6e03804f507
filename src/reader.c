/* Opening readers: the format named, or the one the content looks like. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paperbib/paperbib.h"
#include "readutil.h"

/* How much of the input format detection looks at. */
#define PROBE_BYTES 4096

static int has_extension(const char *name, const char *extensions)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot || strchr(dot, '/'))
		return 0;
	size_t n = strlen(dot + 1);
	for (const char *p = extensions; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t k = bar ? (size_t)(bar - p) : strlen(p);
		if (k == n && strncasecmp(p, dot + 1, n) == 0)
			return 1;
		p += k + (bar != NULL);
	}
	return 0;
}

static const pb_input_format *detect(pb_lines *lines, const char *name)
{
	const char *head;
	size_t len;
	const pb_input_format *best = &pb_paperlist_format;
	int best_score = -1;
	if (pb_lines_peek(lines, PROBE_BYTES, &head, &len) != PB_OK)
		return best;
	for (const pb_input_format *const *f = pb_input_formats(); *f; f++) {
		int score = (*f)->probe ? (*f)->probe(head, len) : 0;
		if (score > 0 && has_extension(name, (*f)->extensions))
			score += 10; /* the extension breaks ties, never decides alone */
		if (score > best_score) {
			best = *f;
			best_score = score;
		}
	}
	return best;
}

pb_reader *pb_reader_open(FILE *in, const char *name,
                          const pb_input_format *fmt, const pb_config *config,
                          const pb_diag_sink *diag, int *status)
{
	pb_reader *r = calloc(1, sizeof *r);
	if (!r) {
		*status = PB_ENOMEM;
		return NULL;
	}
	int strict = pb_config_get_bool(config, "input", "strict", 0);
	r->lines = pb_lines_new(in, name, diag, strict);
	if (!r->lines) {
		free(r);
		*status = PB_ENOMEM;
		return NULL;
	}
	r->name = pb_lines_name(r->lines);
	r->config = config;
	r->diag = diag;
	pb_venue_init(&r->detected);
	r->format = fmt ? fmt : detect(r->lines, name);
	*status = r->format->open ? r->format->open(r) : PB_OK;
	if (*status) {
		pb_reader_free(r);
		return NULL;
	}
	return r;
}

int pb_reader_next(pb_reader *r, pb_record *out)
{
	pb_record_reset(out);
	int rc = r->format->next(r, out);
	out->origin = r->format->origin;
	if (rc == PB_OK && out->origin == PB_ORIGIN_LIST)
		rc = pb_read_list_vars(out);
	return rc;
}

void pb_reader_free(pb_reader *r)
{
	if (!r)
		return;
	if (r->format && r->format->free)
		r->format->free(r);
	pb_venue_clear(&r->detected);
	pb_lines_free(r->lines);
	free(r);
}
