/* The buffered line source every text reader uses. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"

/* PB_LINES_PORTABLE selects the portable line scan on SSE2 machines too
 * (to test it). */
#if defined(__SSE2__) && !defined(PB_LINES_PORTABLE)
#define LINES_SSE2 1
#include <emmintrin.h>
#endif

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

/* Finding line ends and checking the bytes of a line are one pass: most
 * bytes are printable ASCII, skipped 64 (SSE2) or 16 bytes at a time;
 * only the bytes below 0x0E (NUL, '\n', '\r', and a few rare controls
 * such as tab, let through by the one compare) and those >= 0x80 are
 * looked at one by one. */
#ifdef LINES_SSE2
/* The index of the first byte at or after i in s[0..n) below 0x0E or
 * >= 0x80, else n. */
static size_t skip_plain(const unsigned char *s, size_t i, size_t n)
{
	/* Compared as signed bytes, those >= 0x80 are negative: one compare
	 * tells the plain bytes (above 0x0D) from the controls and them. */
	const __m128i ctl = _mm_set1_epi8(0x0D);
	for (; n - i >= 64; i += 64) {
		const __m128i *p = (const void *)(s + i);
		__m128i a = _mm_cmpgt_epi8(_mm_loadu_si128(p), ctl);
		__m128i b = _mm_cmpgt_epi8(_mm_loadu_si128(p + 1), ctl);
		__m128i c = _mm_cmpgt_epi8(_mm_loadu_si128(p + 2), ctl);
		__m128i d = _mm_cmpgt_epi8(_mm_loadu_si128(p + 3), ctl);
		__m128i all = _mm_and_si128(_mm_and_si128(a, b), _mm_and_si128(c, d));
		if (_mm_movemask_epi8(all) != 0xFFFF) {
			uint64_t m = (uint64_t)_mm_movemask_epi8(a) |
			             (uint64_t)_mm_movemask_epi8(b) << 16 |
			             (uint64_t)_mm_movemask_epi8(c) << 32 |
			             (uint64_t)_mm_movemask_epi8(d) << 48;
			return i + (size_t)__builtin_ctzll(~m);
		}
	}
	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const void *)(s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, ctl));
		if (m != 0xFFFF)
			return i + (size_t)__builtin_ctz(~m);
	}
	for (; i < n; i++)
		if (s[i] < 0x0E || s[i] >= 0x80)
			return i;
	return n;
}
#else
/* Flags bytes below 0x0E or >= 0x80 (see pb_scan). */
static uint64_t not_plain(uint64_t w)
{
	return (~pb_word_ge7(w & PB_WORD_LOW7, 0x0E) | w) & PB_WORD_HIGH;
}

static size_t skip_plain(const unsigned char *s, size_t i, size_t n)
{
	return pb_scan((const char *)s, i, n, not_plain);
}
#endif

/* Where a line ends and whether its bytes need replacing. */
typedef struct line_scan {
	size_t end; /* the index of the first '\n' or '\r', else the length */
	int dirty;  /* a byte before end is NUL or not well-formed UTF-8 */
} line_scan;

/* Scans s[0..n). A sequence is checked against the end of s rather than
 * of the line, which comes to the same: the bytes after its first are
 * >= 0x80, never a line end. */
static line_scan line_end(const unsigned char *s, size_t n)
{
	line_scan r = {0, 0};
	size_t i = 0;
	while ((i = skip_plain(s, i, n)) < n) {
		if (s[i] >= 0x80) {
			/* text that is not ASCII comes in runs */
			do {
				size_t k = pb_utf8_len(s + i, s + n);
				if (!k) {
					r.dirty = 1;
					k = 1;
				}
				i += k;
			} while (i < n && s[i] >= 0x80);
		} else if (s[i] == '\n' || s[i] == '\r') {
			r.end = i;
			return r;
		} else {
			if (!s[i])
				r.dirty = 1;
			i++;
		}
	}
	r.end = n;
	return r;
}

/* Returns the line s[0..n), which is NUL-terminated, with NUL bytes and
 * invalid UTF-8 replaced. */
static int replace_bad(pb_lines *l, const char *line_in, size_t n,
                       const char **line, size_t *len)
{
	const unsigned char *s = (const unsigned char *)line_in;
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

/* Hands out the line s[0..n) (NUL-terminated), replacing its bad bytes
 * when it is dirty (see line_scan). */
static inline int sanitise(pb_lines *l, const char *s, size_t n, int dirty,
                           const char **line, size_t *len)
{
	if (dirty)
		return replace_bad(l, s, n, line, len);
	*line = s;
	*len = n;
	return PB_OK;
}

int pb_lines_next(pb_lines *l, const char **line, size_t *len)
{
	start(l);
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
		line_scan sc = line_end(p, avail);
		size_t upto = sc.end;
		int ended = upto < avail;
		int cr = ended && p[upto] == '\r';
		if (ended && !have) {
			/* The whole line is in the buffer: hand it out from there,
			 * its line end (consumed) overwritten by the NUL. */
			p[upto] = '\0';
			l->pos += upto + 1;
			if (cr)
				l->skip_lf = 1;
			l->lineno++;
			return sanitise(l, (const char *)p, upto, sc.dirty, line, len);
		}
		if (!ended && !have && l->pos > 0) {
			if (fill(l))
				continue; /* moved to the front, more read: look again */
			/* the end of the input; fill() still moved the bytes */
			p = l->buf + l->pos;
			upto = l->end - l->pos;
		}
		if (!have)
			pb_buf_reset(&l->raw);
		if (pb_buf_append(&l->raw, (const char *)p, upto))
			return PB_ENOMEM;
		have = 1;
		l->pos += upto;
		if (ended) {
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
	/* pieces from several reads: check the line as a whole (it holds no
	 * line end) */
	const char *raw = pb_buf_cstr(&l->raw);
	line_scan sc = line_end((const unsigned char *)raw, l->raw.len);
	return sanitise(l, raw, l->raw.len, sc.dirty, line, len);
}
