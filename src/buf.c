#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"
#include "utf8.h"

int pb_buf_reserve(pb_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return PB_OK;
	if (need < b->len) /* overflow */
		return PB_ENOMEM;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > (size_t)-1 / 2)
			return PB_ENOMEM;
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p)
		return PB_ENOMEM;
	b->data = p;
	b->cap = cap;
	return PB_OK;
}

int pb_buf_append_grow(pb_buf *b, const char *s, size_t n)
{
	if (pb_buf_reserve(b, n) != PB_OK)
		return PB_ENOMEM;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return PB_OK;
}

int pb_buf_vprintf(pb_buf *b, const char *fmt, va_list ap)
{
	/* Format straight into the spare room first: most calls fit, and
	 * only those that do not pay for a second vsnprintf. */
	size_t room = b->cap - b->len;
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, copy);
	va_end(copy);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return PB_OK;
	}
	if (room) /* a truncated attempt overwrote the terminator */
		b->data[b->len] = '\0';
	if (n < 0 || pb_buf_reserve(b, (size_t)n) != PB_OK)
		return PB_ENOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return PB_OK;
}

int pb_buf_printf(pb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = pb_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int pb_buf_put_utf8(pb_buf *b, unsigned long cp)
{
	char s[4];
	return pb_buf_append(b, s, pb_utf8_encode(cp, s));
}

const char *pb_buf_cstr(pb_buf *b)
{
	if (!b->data && pb_buf_reserve(b, 0) != PB_OK)
		return NULL;
	b->data[b->len] = '\0';
	return b->data;
}

char *pb_buf_detach(pb_buf *b)
{
	char *p = NULL;
	if (b->len) {
		p = b->data;
		p[b->len] = '\0';
		b->data = NULL;
		b->cap = 0;
	}
	b->len = 0;
	return p;
}

void pb_buf_reset(pb_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void pb_buf_free(pb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *pb_strdup(const char *s)
{
	return pb_strndup(s, strlen(s));
}

char *pb_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* The key is each string as a marker byte (1: present, 2: NULL) and,
 * when present, its bytes and a NUL. */
int pb_memo_hit(const pb_memo *m, const char *const *s, size_t n)
{
	if (!m->valid)
		return 0;
	const char *k = m->key.data, *end = k + m->key.len;
	for (size_t i = 0; i < n; i++) {
		if (k == end || *k++ != (s[i] ? 1 : 2))
			return 0;
		if (!s[i])
			continue;
		size_t len = strlen(s[i]);
		if ((size_t)(end - k) < len + 1 || memcmp(k, s[i], len + 1) != 0)
			return 0;
		k += len + 1;
	}
	return k == end;
}

int pb_memo_set(pb_memo *m, const char *const *s, size_t n)
{
	m->valid = 0;
	pb_buf_reset(&m->key);
	pb_buf_reset(&m->val);
	for (size_t i = 0; i < n; i++) {
		if (pb_buf_putc(&m->key, s[i] ? 1 : 2) ||
		    (s[i] && pb_buf_append(&m->key, s[i], strlen(s[i]) + 1)))
			return PB_ENOMEM;
	}
	m->valid = 1;
	return PB_OK;
}

void pb_memo_invalidate(pb_memo *m)
{
	m->valid = 0;
}

void pb_memo_free(pb_memo *m)
{
	pb_buf_free(&m->key);
	pb_buf_free(&m->val);
	m->valid = 0;
}

size_t pb_utf8_len_slow(const unsigned char *p, const unsigned char *end)
{
	uint32_t cp;
	return pb_utf8_decode(p, (size_t)(end - p), &cp);
}
