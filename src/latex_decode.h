/* LaTeX in BibTeX field values back to Unicode (internal). The readers of
 * BibTeX use it; the characters come from the writers' table in latex.c,
 * read in reverse. */
#ifndef PB_LATEX_DECODE_H
#define PB_LATEX_DECODE_H

#include <stddef.h>

#include "buf.h"

/* Appends the text of a BibTeX field value s[0..n) (LaTeX, without its
 * outer braces or quotes) to out as UTF-8:
 *  - accents and special characters ({\'a}, \v{c}, {\l}, \ss, \&, \%,
 *    \textbackslash{}, ``, --, ---, ~) become characters: the letters and
 *    symbols of pb_latex_table() and the ASCII specials of latex_decode.c;
 *    an accent with no precomposed letter gives the letter and a
 *    combining mark;
 *  - braces that only group or protect case ({CATER}) are removed; a
 *    command with no Unicode form stays LaTeX with its braces
 *    (\texttt{FedAvg}, {\it word});
 *  - math stays LaTeX ($\mathcal{O}(T)$), except a lone symbol ($\alpha$,
 *    $\times$), which becomes its character;
 *  - \url{x} gives x, \href{x}{y} gives y;
 *  - runs of white space become one space, none at the ends.
 * PB_OK or PB_ENOMEM. */
int pb_latex_decode(pb_buf *out, const char *s, size_t n);

/* What pb_latex_decode_rich makes besides text. */
#define PB_LATEX_RICH 1u   /* markup as CSL rich text (<i>, <b>, <sc>, <sup>,
                            * <sub>; \mkbibquote as quotes), and math as
                            * Unicode where every token has a character */
#define PB_LATEX_NOCASE 2u /* outermost braces protecting case as
                            * <span class="nocase">: title-like fields */

/* pb_latex_decode with flags (PB_LATEX_*): \emph, \textit, \mkbibemph,
 * {\em }, {\it } give <i>; \textbf, {\bf } <b>; \textsc, {\sc } <sc>;
 * \textsuperscript and ^{} <sup>; \textsubscript <sub>; $\Sigma^{0}$ gives
 * the character and <sup>0</sup>. A '<' or '&' of the text stays as it
 * is (CSL rich text takes only its own tags). Unknown macros stay LaTeX.
 * PB_OK or PB_ENOMEM. */
int pb_latex_decode_rich(pb_buf *out, const char *s, size_t n,
                         unsigned flags);

/* Appends the URL of a BibTeX url field or \url{} argument: the escapes
 * \%, \#, \&, \_ and \~ lose their backslash, white space is dropped,
 * and a percent-encoded unreserved character (%7E) is decoded (RFC 3986,
 * 6.2.2.2: the same URL; the BibTeX writers encode ~ for Zotero).
 * PB_OK or PB_ENOMEM. */
int pb_latex_decode_url(pb_buf *out, const char *s, size_t n);

#endif
