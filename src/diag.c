#include <stdarg.h>
#include <stdio.h>

#include "paperbib/diag.h"

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
	sink->emit(sink->ctx, &d);
}
