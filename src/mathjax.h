/* MathJax clean-up of text copied from web pages (internal). */
#ifndef PB_MATHJAX_H
#define PB_MATHJAX_H

#include "buf.h"

/* Copies text to out (appending), collapsing every MathJax triplet (the
 * spoken form, the LaTeX source, the rendered form of one formula) into
 * one LaTeX fragment between $...$. All other text is copied unchanged.
 * *collapsed (may be NULL) receives the number of triplets collapsed.
 * PB_OK or PB_ENOMEM. */
int pb_mathjax_collapse(const char *text, pb_buf *out, unsigned *collapsed);

#endif
