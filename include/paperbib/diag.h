/* paperbib: diagnostics about the input, passed to the caller to print. */
#ifndef PAPERBIB_DIAG_H
#define PAPERBIB_DIAG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_diag_level {
	PB_DIAG_NOTE,    /* information, shown with -v */
	PB_DIAG_WARNING, /* something was repaired or guessed */
	PB_DIAG_ERROR    /* something could not be used */
} pb_diag_level;

/* One diagnostic. All strings are borrowed for the duration of the call. */
typedef struct pb_diag {
	const char *file;   /* may be NULL (no file involved) */
	unsigned long line; /* 0 when unknown */
	unsigned long col;  /* 0 when unknown */
	pb_diag_level level;
	const char *message; /* no trailing newline */
} pb_diag;

/* Where diagnostics go. emit may be NULL to drop them. */
typedef struct pb_diag_sink {
	void (*emit)(void *ctx, const pb_diag *d);
	void *ctx;
} pb_diag_sink;

/* Formats a message and hands it to sink (which may be NULL). */
void pb_diag_emitf(const pb_diag_sink *sink, pb_diag_level level,
                   const char *file, unsigned long line, unsigned long col,
                   const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#ifdef __cplusplus
}
#endif
#endif
