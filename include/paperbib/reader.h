/* paperbib: the reader interface. The paper-list reader is in src/,
 * readers of bibliography formats under formats/; all are listed in the
 * registry (src/registry.c) and produce the same pb_record model. */
#ifndef PAPERBIB_READER_H
#define PAPERBIB_READER_H

#include <stdio.h>
#include "paperbib/config.h"
#include "paperbib/diag.h"
#include "paperbib/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Buffered line source over a FILE: LF, CRLF and CR line ends, a UTF-8
 * BOM skipped, invalid UTF-8 and NUL bytes replaced by U+FFFD and reported
 * as FILE:LINE:COL warnings (errors when strict). Lines may be of any
 * length; memory grows with the longest line only. */
typedef struct pb_lines pb_lines;

/* in is borrowed. name is copied; it is used in diagnostics. */
pb_lines *pb_lines_new(FILE *in, const char *name, const pb_diag_sink *diag,
                       int strict);
void pb_lines_free(pb_lines *l);
/* The next line without its line end, NUL-terminated, valid UTF-8; valid
 * until the next call. PB_OK, PB_EOF, PB_EIO or PB_ENOMEM. */
int pb_lines_next(pb_lines *l, const char **line, size_t *len);
/* The number of the line last returned (1-based). */
unsigned long pb_lines_lineno(const pb_lines *l);
/* Up to n bytes from the current position, without consuming them (the
 * BOM excluded). PB_OK or PB_EIO. */
int pb_lines_peek(pb_lines *l, size_t n, const char **buf, size_t *len);
/* Raw bytes, for readers that are not line-based (JSON): like fread.
 * Returns the count read; 0 at the end or on error (see pb_lines_error). */
size_t pb_lines_read(pb_lines *l, char *buf, size_t n);
/* PB_OK, or PB_EIO when reading failed (errno kept). */
int pb_lines_error(const pb_lines *l);
/* Number of encoding problems found so far. */
unsigned long pb_lines_bad_bytes(const pb_lines *l);
const char *pb_lines_name(const pb_lines *l);

typedef struct pb_reader pb_reader;

/* An input format's vtable. */
typedef struct pb_input_format {
	const char *name;        /* "paperlist": -f */
	const char *extensions;  /* "txt|md": hints for detection */
	const char *description; /* one line for --list-formats */
	pb_origin origin;        /* what pb_reader_next sets in each record */
	/* How sure the format is that the head of a file is its own: 0 (no)
	 * to 100 (certain). */
	int (*probe)(const char *head, size_t len);
	int (*open)(pb_reader *r);                /* may be NULL */
	int (*next)(pb_reader *r, pb_record *out); /* PB_OK, PB_EOF or error */
	void (*free)(pb_reader *r);               /* frees r->state */
} pb_input_format;

struct pb_reader {
	const pb_input_format *format;
	pb_lines *lines;
	const char *name; /* file name for diagnostics and pb_record.file */
	const pb_config *config;
	const pb_diag_sink *diag;
	void *state;
	pb_venue detected;       /* venue found in the input, if any */
	unsigned long detected_line;
};

/* All input formats, NULL-terminated, and lookup by name. */
const pb_input_format *const *pb_input_formats(void);
const pb_input_format *pb_input_format_find(const char *name);

/* Opens a reader on in (borrowed). fmt NULL means: detect from the
 * content, with name's extension as a hint. NULL on failure, with the
 * status in *status. */
pb_reader *pb_reader_open(FILE *in, const char *name,
                          const pb_input_format *fmt, const pb_config *config,
                          const pb_diag_sink *diag, int *status);
/* Reads the next record into out, emptied first (pb_record_reset: reading
 * a list into one record reuses its storage).
 * PB_OK, PB_EOF, PB_EIO or PB_ENOMEM. Bad data is reported through diag
 * and skipped or repaired, never returned as an error. */
int pb_reader_next(pb_reader *r, pb_record *out);
void pb_reader_free(pb_reader *r);

/* The paper-list reader (src/paperlist.c). */
extern const pb_input_format pb_paperlist_format;

#ifdef __cplusplus
}
#endif
#endif
