/* UTF-8 decoding and ASCII folding (internal). */
#ifndef PB_UTF8_H
#define PB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s (n > 0 bytes available) into *cp and returns
 * its length (1 to 4). For an invalid or truncated sequence returns 0 and
 * sets *cp to U+FFFD; the caller skips one byte. Overlong forms,
 * surrogates and values above U+10FFFF are invalid. */
size_t pb_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encodes cp into out and returns its length (1 to 4); surrogates and
 * values above U+10FFFF become U+FFFD. */
size_t pb_utf8_encode(unsigned long cp, char out[4]);

/* Length of the longest valid UTF-8 prefix of s[0..n). */
size_t pb_utf8_valid_prefix(const unsigned char *s, size_t n);

/* ASCII spelling of a letter for citation keys ("c" for U+010D, "ss"
 * for U+00DF, "l" for U+0142), or NULL when cp has none. ASCII maps to
 * itself is not handled here: call only for cp >= 0x80. */
const char *pb_ascii_fold(uint32_t cp);

#endif
