/* Growable byte buffers (internal). */
#ifndef PB_BUF_H
#define PB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "paperbib/paperbib.h"

/* data is NUL-terminated whenever len > 0 or after pb_buf_cstr. */
typedef struct pb_buf {
	char *data;
	size_t len;
	size_t cap;
} pb_buf;

#define PB_BUF_INIT {NULL, 0, 0}

/* Every function returns PB_OK or PB_ENOMEM; on PB_ENOMEM the buffer is
 * unchanged. */
int pb_buf_reserve(pb_buf *b, size_t extra);
/* pb_buf_append when the buffer may have to grow; call pb_buf_append. */
int pb_buf_append_grow(pb_buf *b, const char *s, size_t n);

/* Appending is most of what every writer does, often a few bytes at a
 * time: when the room is there, it costs no call and no size check
 * beyond one comparison. (cap - len never wraps: cap >= len + 1 once
 * data is allocated, and both are 0 before.) */
static inline int pb_buf_append(pb_buf *b, const char *s, size_t n)
{
	if (n < b->cap - b->len) {
		if (n)
			memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return PB_OK;
	}
	return pb_buf_append_grow(b, s, n);
}

static inline int pb_buf_puts(pb_buf *b, const char *s)
{
	return pb_buf_append(b, s, strlen(s));
}

static inline int pb_buf_putc(pb_buf *b, char c)
{
	if (b->cap - b->len > 1) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return PB_OK;
	}
	return pb_buf_append_grow(b, &c, 1);
}

int pb_buf_printf(pb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pb_buf_vprintf(pb_buf *b, const char *fmt, va_list ap);
/* Appends the UTF-8 encoding of code point cp. */
int pb_buf_put_utf8(pb_buf *b, unsigned long cp);
/* The contents as a C string ("" when empty; never NULL unless out of
 * memory). */
const char *pb_buf_cstr(pb_buf *b);
/* Hands the contents to the caller (malloc'd, NUL-terminated; NULL when
 * empty) and empties the buffer. */
char *pb_buf_detach(pb_buf *b);
/* Empties the buffer, keeping its memory. */
void pb_buf_reset(pb_buf *b);
void pb_buf_free(pb_buf *b);

/* strdup/strndup that return NULL only when out of memory (s non-NULL). */
char *pb_strdup(const char *s);
char *pb_strndup(const char *s, size_t n);

#endif
