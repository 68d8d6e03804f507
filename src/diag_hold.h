/* Holding diagnostics back on one thread (internal): the pipeline's
 * read-ahead thread hands what its reader reports to the thread that
 * writes, which emits it in the order a single thread would have. */
#ifndef PB_DIAG_HOLD_H
#define PB_DIAG_HOLD_H

#include "paperbib/diag.h"

/* Receives every diagnostic pb_diag_emitf formats on this thread for a
 * sink that has an emit function, instead of that sink. */
typedef void pb_diag_hold_fn(void *ctx, const pb_diag_sink *sink,
                             const pb_diag *d);

/* Installs hold for the calling thread only; NULL restores direct
 * emission. */
void pb_diag_hold(pb_diag_hold_fn *hold, void *ctx);

#endif
