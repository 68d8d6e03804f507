/* The buffered line source every text reader uses. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"

#define CHUNK (64 * 1024)
/* Encoding problems reported one by one before the rest are only counted. */
#define MAX_REPORTS 20

struct pb_lines {
	FILE *in;
	char *name;
	const pb_diag_sink *diag;
	int strict;
	unsigned char *buf;
	size_t pos, end;
	int eof;
	int err;
	int started;  /* the BOM check has been done */
	int skip_lf;  /* the last line ended in CR: a following LF belongs to it */
	pb_buf raw;   /* the line as read */
	pb_buf clean; /* the line with bad bytes replaced */
	unsigned long lineno;
	unsigned long bad;
};

pb_lines *pb_lines_new(FILE *in, const char *name, const pb_diag_sink *diag,
                       int strict)
{
	pb_lines *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->buf = malloc(CHUNK);
	l->name = pb_strdup(name ? name : "-");
	if (!l->buf || !l->name) {
		pb_lines_free(l);
		return NULL;
	}
	l->in = in;
	l->diag = diag;
	l->strict = strict;
	return l;
}

void pb_lines_free(pb_lines *l)
{
	if (!l)
		return;
	free(l->buf);
	free(l->name);
	pb_buf_free(&l->raw);
	pb_buf_free(&l->clean);
	free(l);
}

/* Reads more bytes, keeping the unconsumed ones. Returns the number of new
 * bytes; 0 at the end of the input or on error. */
static size_t fill(pb_lines *l)
{
	if (l->eof || l->err)
		return 0;
	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, l->end - l->pos);
		l->end -= l->pos;
		l->pos = 0;
	}
	if (l->end == CHUNK)
		return 0;
	size_t n = fread(l->buf + l->end, 1, CHUNK - l->end, l->in);
	if (n == 0) {
		if (ferror(l->in))
			l->err = errno ? errno : EIO;
		l->eof = 1;
	}
	l->end += n;
	return n;
}

static void start(pb_lines *l)
{
	if (l->started)
		return;
	l->started = 1;
	while (l->end - l->pos < 3 && fill(l))
		;
	if (l->end - l->pos >= 3 && memcmp(l->buf + l->pos, "\xEF\xBB\xBF", 3) == 0)
		l->pos += 3;
}

int pb_lines_peek(pb_lines *l, size_t n, const char **buf, size_t *len)
{
	start(l);
	if (n > CHUNK)
		n = CHUNK;
	while (l->end - l->pos < n && fill(l))
		;
	*buf = (const char *)l->buf + l->pos;
	*len = l->end - l->pos < n ? l->end - l->pos : n;
	return l->err ? PB_EIO : PB_OK;
}

size_t pb_lines_read(pb_lines *l, char *buf, size_t n)
{
	start(l);
	size_t got = 0;
	if (l->pos < l->end) {
		got = l->end - l->pos < n ? l->end - l->pos : n;
		memcpy(buf, l->buf + l->pos, got);
		l->pos += got;
	}
	if (got < n && !l->eof && !l->err) {
		size_t k = fread(buf + got, 1, n - got, l->in);
		if (k == 0 && ferror(l->in))
			l->err = errno ? errno : EIO;
		got += k;
	}
	return got;
}

int pb_lines_error(const pb_lines *l)
{
	if (l->err) {
		errno = l->err;
		return PB_EIO;
	}
	return PB_OK;
}

unsigned long pb_lines_lineno(const pb_lines *l)
{
	return l->lineno;
}

unsigned long pb_lines_bad_bytes(const pb_lines *l)
{
	return l->bad;
}

const char *pb_lines_name(const pb_lines *l)
{
	return l->name;
}

static void report(pb_lines *l, size_t col, const char *what)
{
	l->bad++;
	if (l->bad <= MAX_REPORTS)
		pb_diag_emitf(l->diag, l->strict ? PB_DIAG_ERROR : PB_DIAG_WARNING,
		              l->name, l->lineno, (unsigned long)col + 1,
		              "%s replaced by U+FFFD", what);
	else if (l->bad == MAX_REPORTS + 1)
		pb_diag_emitf(l->diag, PB_DIAG_WARNING, l->name, l->lineno, 0,
		              "more encoding problems; not reported one by one");
}

/* 1 when s[0..n) is valid UTF-8 without NUL bytes: the common case, so
 * runs of ASCII are checked eight bytes at a time. */
static int clean_utf8(const unsigned char *s, size_t n)
{
	const uint64_t high = 0x8080808080808080ULL;
	const uint64_t ones = 0x0101010101010101ULL;
	size_t i = 0;
	while (i < n) {
		if (n - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			/* no byte >= 0x80 and no zero byte */
			if (!((w | ((w - ones) & ~w)) & high)) {
				i += 8;
				continue;
			}
		}
		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = pb_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Replaces NUL bytes and invalid UTF-8 in the line s[0..n), which is
 * NUL-terminated; returns the clean line. */
static int sanitise(pb_lines *l, const char *line_in, size_t n,
                    const char **line, size_t *len)
{
	const unsigned char *s = (const unsigned char *)line_in;
	if (clean_utf8(s, n)) {
		*line = line_in;
		*len = n;
		return PB_OK;
	}
	pb_buf_reset(&l->clean);
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && s[run] && s[run] < 0x80)
			run++;
		if (pb_buf_append(&l->clean, (const char *)s + i, run - i))
			return PB_ENOMEM;
		i = run;
		if (i == n)
			break;
		uint32_t cp;
		size_t k = s[i] ? pb_utf8_decode(s + i, n - i, &cp) : 0;
		if (k) {
			if (pb_buf_append(&l->clean, (const char *)s + i, k))
				return PB_ENOMEM;
			i += k;
			continue;
		}
		if (s[i] == 0) {
			report(l, i, "NUL byte");
		} else {
			char what[48];
			snprintf(what, sizeof what, "invalid UTF-8 byte 0x%02X", s[i]);
			report(l, i, what);
		}
		if (pb_buf_put_utf8(&l->clean, 0xFFFD))
			return PB_ENOMEM;
		i++;
	}
	*line = pb_buf_cstr(&l->clean);
	*len = l->clean.len;
	return PB_OK;
}

int pb_lines_next(pb_lines *l, const char **line, size_t *len)
{
	start(l);
	pb_buf_reset(&l->raw);
	int have = 0; /* bytes or a line end were seen */
	for (;;) {
		if (l->pos == l->end && !fill(l))
			break;
		if (l->skip_lf) {
			l->skip_lf = 0;
			if (l->buf[l->pos] == '\n') {
				l->pos++;
				continue;
			}
		}
		unsigned char *p = l->buf + l->pos;
		size_t avail = l->end - l->pos;
		unsigned char *nl = memchr(p, '\n', avail);
		size_t upto = nl ? (size_t)(nl - p) : avail;
		unsigned char *cr = memchr(p, '\r', upto);
		if (cr)
			upto = (size_t)(cr - p);
		if ((cr || nl) && !have) {
			/* The whole line is in the buffer: hand it out from there,
			 * its line end (consumed) overwritten by the NUL. */
			p[upto] = '\0';
			l->pos += upto + 1;
			if (cr)
				l->skip_lf = 1;
			l->lineno++;
			return sanitise(l, (const char *)p, upto, line, len);
		}
		if (!cr && !nl && !have && l->pos > 0) {
			if (fill(l))
				continue; /* moved to the front, more read: look again */
			/* the end of the input; fill() still moved the bytes */
			p = l->buf + l->pos;
			upto = l->end - l->pos;
		}
		if (pb_buf_append(&l->raw, (const char *)p, upto))
			return PB_ENOMEM;
		have = 1;
		l->pos += upto;
		if (cr || nl) {
			l->pos++;
			if (cr)
				l->skip_lf = 1;
			goto done;
		}
	}
	if (l->err)
		return pb_lines_error(l);
	if (!have)
		return PB_EOF;
done:
	l->lineno++;
	return sanitise(l, pb_buf_cstr(&l->raw), l->raw.len, line, len);
}
