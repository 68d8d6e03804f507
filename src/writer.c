#include <stdlib.h>

#include "paperbib/paperbib.h"

pb_writer *pb_writer_new(const pb_format *fmt, FILE *out,
                         const pb_config *config, const pb_diag_sink *diag)
{
	pb_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->format = fmt;
	w->out = out;
	w->config = config;
	w->diag = diag;
	return w;
}

int pb_stream_status(FILE *out)
{
	return ferror(out) ? PB_EIO : PB_OK;
}

int pb_writer_begin(pb_writer *w)
{
	int rc = w->format->begin ? w->format->begin(w) : PB_OK;
	return rc ? rc : pb_stream_status(w->out);
}

int pb_writer_write(pb_writer *w, const pb_record *r)
{
	int rc = w->format->record(w, r);
	if (rc)
		return rc;
	w->count++;
	return pb_stream_status(w->out);
}

int pb_writer_end(pb_writer *w)
{
	int rc = w->format->end ? w->format->end(w) : PB_OK;
	if (rc)
		return rc;
	if (fflush(w->out) != 0)
		return PB_EIO;
	return pb_stream_status(w->out);
}

void pb_writer_free(pb_writer *w)
{
	if (!w)
		return;
	if (w->format->free)
		w->format->free(w);
	free(w);
}
