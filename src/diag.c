#include <stdarg.h>
#include <stdio.h>

#include "diag_hold.h"
#include "paperbib/diag.h"

/* Per thread: the pipeline's reader thread holds its diagnostics while
 * the main thread emits its own. */
static _Thread_local pb_diag_hold_fn *hold_fn;
static _Thread_local void *hold_ctx;

void pb_diag_hold(pb_diag_hold_fn *hold, void *ctx)
{
	hold_fn = hold;
	hold_ctx = ctx;
}

void pb_diag_emitf(const pb_diag_sink *sink, pb_diag_level level,
                   const char *file, unsigned long line, unsigned long col,
                   const char *fmt, ...)
{
	if (!sink || !sink->emit)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pb_diag d = {file, line, col, level, msg};
	if (hold_fn)
		hold_fn(hold_ctx, sink, &d);
	else
		sink->emit(sink->ctx, &d);
}
