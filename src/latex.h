/* Unicode to LaTeX, and LaTeX escaping of text for BibTeX and BibLaTeX
 * (internal). The writers use it now; a BibTeX reader will use the same
 * table in reverse. */
#ifndef PB_LATEX_H
#define PB_LATEX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* One character's LaTeX form. latex is what goes inside a group: "\'a",
 * "\v{c}", "\l", "--", "``"; math entries are math-mode commands
 * ("\alpha", "\times", "\leq") and need $...$ in text. */
typedef struct pb_latex_char {
	uint32_t cp;
	const char *latex;
	unsigned char math; /* 1: math mode only */
} pb_latex_char;

/* The whole table, sorted by code point (strictly increasing), with its
 * length in *n. Static data, never freed. */
const pb_latex_char *pb_latex_table(size_t *n);

/* The entry for cp (binary search), or NULL when cp has no LaTeX form.
 * ASCII is not in the table: its specials are escaped by pb_latex_text. */
const pb_latex_char *pb_latex_lookup(uint32_t cp);

/* Groups nested deeper than this are copied undecoded by the BibTeX
 * readers' decoder (latex_decode.c: deeper, its recursion would run out
 * of stack), so its rich text nests no deeper; the BibTeX writers take
 * rich text as deep (formats/bibtex.c, rich()). */
#define PB_LATEX_MAX_DEPTH 1000

/* Flags for pb_latex_text. */
enum {
	/* Every non-ASCII character as LaTeX (BibTeX's encoding = latex).
	 * Without it, letters and punctuation stay UTF-8 and only math
	 * symbols (Greek, operators) are written as LaTeX. */
	PB_LATEX_ASCII = 1u << 0,
	/* A title: math and capitalised words are braced so that BibTeX's
	 * sentence-casing keeps them (see pb_latex_text). */
	PB_LATEX_TITLE = 1u << 1,
	/* Text whose LaTeX is not the user's own (a paper list, RIS,
	 * CSL-JSON: see pb_origin): math and commands pass only through an
	 * allow-list, and anything else is escaped as text. */
	PB_LATEX_UNTRUSTED = 1u << 2,
	/* A BibTeX file's own text (origin BIBTEX): every control word and
	 * control symbol passes through as it is, with the braces after it
	 * (\mkbibquote{...}, \noopsort{...}, \\), never escaped into
	 * \textbackslash{}. Ignored with PB_LATEX_UNTRUSTED. */
	PB_LATEX_PASS = 1u << 3
};

/* What pb_latex_text could not map. */
typedef struct pb_latex_report {
	unsigned long unmapped; /* characters written as UTF-8 under ASCII */
	uint32_t first;         /* the first of them */
} pb_latex_report;

/* Appends text (UTF-8) as the value of a BibTeX field, without the outer
 * braces. The output's braces always balance, so BibTeX can read it:
 *  - LaTeX specials are escaped (\&, \%, \#, \_, \$, \textasciitilde{},
 *    \textasciicircum{}, \textbackslash{}, \textless{}, \textgreater{},
 *    \textbar{}); braces that are characters are \{ and \} when they
 *    pair up, else \textbraceleft{} or \textbraceright{}.
 *  - LaTeX already in the text passes through: $...$ math (opened by a $
 *    followed by a non-space, closed by a $ preceded by a non-space and
 *    not followed by a digit), known text commands (\texttt{...},
 *    {\it ...}, accents \'a, escapes \%), and the braces that belong to
 *    them. Inside math only %, # and & are escaped.
 *  - Whitespace runs (newlines, tabs) become one space; ends are trimmed.
 * With PB_LATEX_UNTRUSTED (text from a paper list, RIS or CSL-JSON),
 * LaTeX passes only through allow-lists, and anything else is text:
 *  - math may hold the math commands of a list (Greek, operator names
 *    such as \log, relations, operators, arrows, delimiters, \frac,
 *    \sqrt, \mathcal and the other math fonts, math accents such as
 *    \hat, \left and \right, sizes, \quad: every command src/mathjax.c
 *    may write), \text{...} and its kin with a text argument checked as
 *    text, and the control symbols \, \; \: \! \<space> \% \& \$ \#
 *    \_ \{ \} \|. A fragment with anything else, a control word run
 *    into an @, or ^^ (TeX reads ^^5c as a backslash) is written as
 *    text, its $, braces and backslashes escaped:
 *    "$\input{x}$" -> "\$\textbackslash{}input\{x\}\$".
 *  - text may hold the known text commands above (fonts: \emph,
 *    \textit, \textbf, \texttt, {\it ...}, {\bf ...}, ...; accents;
 *    letters and symbols such as \ss or \ldots; escapes \% \& \$ \#
 *    \_; \, \- \/) but \url, \hspace, \mbox, \ensuremath, \@ and a
 *    control word run into an @ (\c@page). Anything else (\input, \def,
 *    \csname, \catcode, any unknown control word, \( ...) is a literal
 *    backslash, as it already is without the flag, and \\ is two; ^
 *    outside math is always \textasciicircum{}.
 * With PB_LATEX_TITLE, math is written {$...$} and protect (a comma-
 * separated list of words and phrases, may be NULL) and every word with
 * a capital after its first letter ("TEmporal", "BackPACK", "IID" in
 * "Non-IID", "3D"), or a lone capital other than "A" ("Q" in
 * "Meta-Q-Learning"), is braced: "{CATER}: A dataset for {Bayesian}".
 * report may be NULL. PB_OK or PB_ENOMEM. */
int pb_latex_text(pb_buf *out, const char *text, unsigned flags,
                  const char *protect, pb_latex_report *report);

/* A protect list parsed once, with the scratch space pb_latex_escape
 * reuses from call to call: a writer makes one in begin and escapes
 * every field with it, with no parsing or allocation per field. */
typedef struct pb_latex_escaper pb_latex_escaper;

/* A new escaper for the protect list (as for pb_latex_text; may be NULL).
 * The list is copied. NULL when out of memory; free with
 * pb_latex_escaper_free. */
pb_latex_escaper *pb_latex_escaper_new(const char *protect);
void pb_latex_escaper_free(pb_latex_escaper *esc);

/* pb_latex_text with the escaper's protect list: the same output.
 * PB_OK or PB_ENOMEM. */
int pb_latex_escape(pb_latex_escaper *esc, pb_buf *out, const char *text,
                    unsigned flags, pb_latex_report *report);

/* Whether text, escaped with PB_LATEX_UNTRUSTED, holds LaTeX that the
 * allow-lists refuse and write as text: 1, with the first thing refused
 * ("\input", "\@", "^^") copied into cmd (size bytes, truncated, NUL-
 * terminated; may be NULL when size is 0); 0 when nothing is refused;
 * PB_ENOMEM. The same scanner as pb_latex_escape decides; text without
 * a backslash or ^^ returns 0 after one scan. */
int pb_latex_untrusted_refused(const char *text, char *cmd, size_t size);

/* pb_latex_untrusted_refused with the escaper's scratch space, reused
 * from call to call (a reader checks every field with one escaper). */
int pb_latex_escaper_refused(pb_latex_escaper *esc, const char *text,
                             char *cmd, size_t size);

/* Appends a URL for a BibTeX url field (in_text == 0) or for the argument
 * of \url{} inside a text field (in_text != 0). Braces, backslashes,
 * spaces, control characters and non-ASCII bytes are percent-encoded;
 * ~, _ and & stay as they are. In a url field % and # stay too: the field
 * is verbatim to biber and to \url, and biber would turn \% into %5C%
 * (pandoc keeps the backslash). In text, where \url{} sits in another
 * command's argument, % and # are written \% and \#.
 * PB_OK or PB_ENOMEM. */
int pb_latex_url(pb_buf *out, const char *url, int in_text);

#endif
