/* Growable byte buffers (internal). */
#ifndef PB_BUF_H
#define PB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
int pb_buf_vprintf(pb_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
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

/* A value a writer derives from a few strings and keeps until they
 * change: the records of a list mostly share their venue, so its titles
 * are built and escaped once. The key is a copy of the strings, compared
 * in full on every lookup; val is the caller's to fill. */
typedef struct pb_memo {
	pb_buf key;
	pb_buf val;
	int valid;
} pb_memo;

#define PB_MEMO_INIT {PB_BUF_INIT, PB_BUF_INIT, 0}

/* 1 when m holds the value for the n strings s[] (each may be NULL),
 * else 0. */
int pb_memo_hit(const pb_memo *m, const char *const *s, size_t n);
/* Makes s[] the key and empties val for the caller to fill; m is valid
 * from then on. PB_OK, or PB_ENOMEM with m invalid. */
int pb_memo_set(pb_memo *m, const char *const *s, size_t n);
/* Forgets the value (after a failure to fill it). */
void pb_memo_invalidate(pb_memo *m);
void pb_memo_free(pb_memo *m);

/* ---- Scanning text 8 bytes at a time ----------------------------------
 * The escapers look for the few bytes that need attention (a quote, a
 * control character, a byte of a UTF-8 sequence) and copy the runs
 * between them with one append. A word of 8 bytes is tested at once
 * with the tests below, which are exact for every byte: no carry
 * crosses from one byte into the next, so any flagged byte is one that
 * matched. */
#define PB_WORD_ONES 0x0101010101010101ull
#define PB_WORD_HIGH 0x8080808080808080ull
#define PB_WORD_LOW7 0x7F7F7F7F7F7F7F7Full

/* The 8 bytes at p, the first in the lowest byte whatever the machine's
 * byte order. */
static inline uint64_t pb_word_load(const void *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Tests on w7, a word with the high bit of every byte cleared (w &
 * PB_WORD_LOW7), that leave the high bit of a byte set where the byte
 * passes and clear where it fails; the other bits are noise. AND them
 * together, and the bytes to look at are those whose high bit ends up
 * clear (or that had it set in w, bytes >= 0x80). No sum carries into
 * the next byte: 0x7F + 0x7F < 0x100. */

/* Passes where the byte differs from c (c < 0x80). */
static inline uint64_t pb_word_ne7(uint64_t w7, unsigned char c)
{
	return (w7 ^ (PB_WORD_ONES * c)) + PB_WORD_LOW7;
}

/* Passes where the byte is c or more (0 < c <= 0x80). */
static inline uint64_t pb_word_ge7(uint64_t w7, unsigned char c)
{
	return w7 + PB_WORD_ONES * (unsigned char)(0x80 - c);
}

/* The index (0 to 7) of the first byte flagged in mask (non-zero). */
static inline size_t pb_word_first(uint64_t mask)
{
#if defined(__GNUC__)
	return (size_t)__builtin_ctzll(mask) / 8;
#else
	size_t i = 0;
	while (!(mask & 0x80))
		mask >>= 8, i++;
	return i;
#endif
}

/* The index of the first byte at or after i in s[0..n) that flag
 * marks (flag returns the high bit of each byte to look at), or n. The
 * last few bytes are tested as a whole word too, padded with a letter,
 * which no scanner flags. */
static inline size_t pb_scan(const char *s, size_t i, size_t n,
                             uint64_t (*flag)(uint64_t))
{
	/* Two words a round: text is mostly long plain runs. */
	for (; n - i >= 16; i += 16) {
		uint64_t m = flag(pb_word_load(s + i));
		uint64_t m2 = flag(pb_word_load(s + i + 8));
		if (m | m2)
			return i + (m ? pb_word_first(m) : 8 + pb_word_first(m2));
	}
	for (; n - i >= 8; i += 8) {
		uint64_t m = flag(pb_word_load(s + i));
		if (m)
			return i + pb_word_first(m);
	}
	if (i < n) {
		char last[8];
		memset(last, 'a', sizeof last);
		memcpy(last, s + i, n - i);
		uint64_t m = flag(pb_word_load(last));
		if (m)
			return i + pb_word_first(m);
	}
	return n;
}

/* The length of the well-formed UTF-8 character at p (p < end, *p >=
 * 0x80), else 0: what pb_utf8_decode returns, with the two- and
 * three-byte forms that make up nearly all text decided inline. */
size_t pb_utf8_len_slow(const unsigned char *p, const unsigned char *end);
static inline size_t pb_utf8_len(const unsigned char *p,
                                 const unsigned char *end)
{
	unsigned char c = p[0];
	if (c >= 0xC2 && c <= 0xDF && end - p >= 2 && (p[1] & 0xC0) == 0x80)
		return 2;
	/* E1..EC and EE..EF: any continuation bytes (E0 and ED restrict
	 * the second byte against overlong forms and surrogates). */
	if (c >= 0xE1 && c <= 0xEF && c != 0xED && end - p >= 3 &&
	    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
		return 3;
	return pb_utf8_len_slow(p, end);
}

#endif
