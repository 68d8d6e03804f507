/* Unicode to LaTeX, and LaTeX escaping of BibTeX field values.
 *
 * What goes where is data at the top: the character table (sorted by code
 * point, searched both ways), the combining accents, the ASCII specials
 * and the text commands that may pass through. The code below only
 * classifies the input (math, commands, braces) and serialises. */
#include "latex.h"

#include <stdlib.h>
#include <string.h>

/* Runs of plain text are found 16 bytes at a time with SSE2 (every
 * x86-64), else 8 at a time in a 64-bit word (see text_stops). */
#if defined(__SSE2__) && defined(__GNUC__)
#define SCAN_SSE2 1
#include <emmintrin.h>
#else
#define SCAN_SSE2 0
#endif

#include "paperbib/paperbib.h"
#include "utf8.h"

/* Non-ASCII characters, sorted by code point. Text entries are braced
 * when they start with a backslash ({\'a}: one BibTeX "special
 * character", which sorts and abbreviates as the letter); math entries
 * are written $\alpha$ in text. */
static const pb_latex_char latex_chars[] = {
	{0x00A0, "~", 0}, /* no-break space */
	{0x00A1, "\\textexclamdown", 0}, /* inverted exclamation mark */
	{0x00A2, "\\textcent", 0}, /* cent sign */
	{0x00A3, "\\pounds", 0}, /* pound sign */
	{0x00A5, "\\textyen", 0}, /* yen sign */
	{0x00A7, "\\S", 0}, /* section sign */
	{0x00A9, "\\textcopyright", 0}, /* copyright sign */
	{0x00AA, "\\textordfeminine", 0}, /* feminine ordinal indicator */
	{0x00AB, "\\guillemotleft", 0}, /* left-pointing double angle quotation mark */
	{0x00AC, "\\neg", 1}, /* not sign */
	{0x00AD, "\\-", 0}, /* soft hyphen */
	{0x00AE, "\\textregistered", 0}, /* registered sign */
	{0x00AF, "\\textasciimacron", 0}, /* macron */
	{0x00B0, "\\textdegree", 0}, /* degree sign */
	{0x00B1, "\\pm", 1}, /* plus-minus sign */
	{0x00B2, "\\textsuperscript{2}", 0}, /* superscript two */
	{0x00B3, "\\textsuperscript{3}", 0}, /* superscript three */
	{0x00B5, "\\mu", 1}, /* micro sign */
	{0x00B6, "\\P", 0}, /* pilcrow sign */
	{0x00B7, "\\cdot", 1}, /* middle dot */
	{0x00B9, "\\textsuperscript{1}", 0}, /* superscript one */
	{0x00BA, "\\textordmasculine", 0}, /* masculine ordinal indicator */
	{0x00BB, "\\guillemotright", 0}, /* right-pointing double angle quotation mark */
	{0x00BC, "\\textonequarter", 0}, /* vulgar fraction one quarter */
	{0x00BD, "\\textonehalf", 0}, /* vulgar fraction one half */
	{0x00BE, "\\textthreequarters", 0}, /* vulgar fraction three quarters */
	{0x00BF, "\\textquestiondown", 0}, /* inverted question mark */
	{0x00C0, "\\`A", 0}, /* latin capital letter a with grave */
	{0x00C1, "\\'A", 0}, /* latin capital letter a with acute */
	{0x00C2, "\\^A", 0}, /* latin capital letter a with circumflex */
	{0x00C3, "\\~A", 0}, /* latin capital letter a with tilde */
	{0x00C4, "\\\"A", 0}, /* latin capital letter a with diaeresis */
	{0x00C5, "\\AA", 0}, /* latin capital letter a with ring above */
	{0x00C6, "\\AE", 0}, /* latin capital letter ae */
	{0x00C7, "\\c{C}", 0}, /* latin capital letter c with cedilla */
	{0x00C8, "\\`E", 0}, /* latin capital letter e with grave */
	{0x00C9, "\\'E", 0}, /* latin capital letter e with acute */
	{0x00CA, "\\^E", 0}, /* latin capital letter e with circumflex */
	{0x00CB, "\\\"E", 0}, /* latin capital letter e with diaeresis */
	{0x00CC, "\\`I", 0}, /* latin capital letter i with grave */
	{0x00CD, "\\'I", 0}, /* latin capital letter i with acute */
	{0x00CE, "\\^I", 0}, /* latin capital letter i with circumflex */
	{0x00CF, "\\\"I", 0}, /* latin capital letter i with diaeresis */
	{0x00D0, "\\DH", 0}, /* latin capital letter eth */
	{0x00D1, "\\~N", 0}, /* latin capital letter n with tilde */
	{0x00D2, "\\`O", 0}, /* latin capital letter o with grave */
	{0x00D3, "\\'O", 0}, /* latin capital letter o with acute */
	{0x00D4, "\\^O", 0}, /* latin capital letter o with circumflex */
	{0x00D5, "\\~O", 0}, /* latin capital letter o with tilde */
	{0x00D6, "\\\"O", 0}, /* latin capital letter o with diaeresis */
	{0x00D7, "\\times", 1}, /* multiplication sign */
	{0x00D8, "\\O", 0}, /* latin capital letter o with stroke */
	{0x00D9, "\\`U", 0}, /* latin capital letter u with grave */
	{0x00DA, "\\'U", 0}, /* latin capital letter u with acute */
	{0x00DB, "\\^U", 0}, /* latin capital letter u with circumflex */
	{0x00DC, "\\\"U", 0}, /* latin capital letter u with diaeresis */
	{0x00DD, "\\'Y", 0}, /* latin capital letter y with acute */
	{0x00DE, "\\TH", 0}, /* latin capital letter thorn */
	{0x00DF, "\\ss", 0}, /* latin small letter sharp s */
	{0x00E0, "\\`a", 0}, /* latin small letter a with grave */
	{0x00E1, "\\'a", 0}, /* latin small letter a with acute */
	{0x00E2, "\\^a", 0}, /* latin small letter a with circumflex */
	{0x00E3, "\\~a", 0}, /* latin small letter a with tilde */
	{0x00E4, "\\\"a", 0}, /* latin small letter a with diaeresis */
	{0x00E5, "\\aa", 0}, /* latin small letter a with ring above */
	{0x00E6, "\\ae", 0}, /* latin small letter ae */
	{0x00E7, "\\c{c}", 0}, /* latin small letter c with cedilla */
	{0x00E8, "\\`e", 0}, /* latin small letter e with grave */
	{0x00E9, "\\'e", 0}, /* latin small letter e with acute */
	{0x00EA, "\\^e", 0}, /* latin small letter e with circumflex */
	{0x00EB, "\\\"e", 0}, /* latin small letter e with diaeresis */
	{0x00EC, "\\`{\\i}", 0}, /* latin small letter i with grave */
	{0x00ED, "\\'{\\i}", 0}, /* latin small letter i with acute */
	{0x00EE, "\\^{\\i}", 0}, /* latin small letter i with circumflex */
	{0x00EF, "\\\"{\\i}", 0}, /* latin small letter i with diaeresis */
	{0x00F0, "\\dh", 0}, /* latin small letter eth */
	{0x00F1, "\\~n", 0}, /* latin small letter n with tilde */
	{0x00F2, "\\`o", 0}, /* latin small letter o with grave */
	{0x00F3, "\\'o", 0}, /* latin small letter o with acute */
	{0x00F4, "\\^o", 0}, /* latin small letter o with circumflex */
	{0x00F5, "\\~o", 0}, /* latin small letter o with tilde */
	{0x00F6, "\\\"o", 0}, /* latin small letter o with diaeresis */
	{0x00F7, "\\div", 1}, /* division sign */
	{0x00F8, "\\o", 0}, /* latin small letter o with stroke */
	{0x00F9, "\\`u", 0}, /* latin small letter u with grave */
	{0x00FA, "\\'u", 0}, /* latin small letter u with acute */
	{0x00FB, "\\^u", 0}, /* latin small letter u with circumflex */
	{0x00FC, "\\\"u", 0}, /* latin small letter u with diaeresis */
	{0x00FD, "\\'y", 0}, /* latin small letter y with acute */
	{0x00FE, "\\th", 0}, /* latin small letter thorn */
	{0x00FF, "\\\"y", 0}, /* latin small letter y with diaeresis */
	{0x0100, "\\=A", 0}, /* latin capital letter a with macron */
	{0x0101, "\\=a", 0}, /* latin small letter a with macron */
	{0x0102, "\\u{A}", 0}, /* latin capital letter a with breve */
	{0x0103, "\\u{a}", 0}, /* latin small letter a with breve */
	{0x0104, "\\k{A}", 0}, /* latin capital letter a with ogonek */
	{0x0105, "\\k{a}", 0}, /* latin small letter a with ogonek */
	{0x0106, "\\'C", 0}, /* latin capital letter c with acute */
	{0x0107, "\\'c", 0}, /* latin small letter c with acute */
	{0x0108, "\\^C", 0}, /* latin capital letter c with circumflex */
	{0x0109, "\\^c", 0}, /* latin small letter c with circumflex */
	{0x010A, "\\.C", 0}, /* latin capital letter c with dot above */
	{0x010B, "\\.c", 0}, /* latin small letter c with dot above */
	{0x010C, "\\v{C}", 0}, /* latin capital letter c with caron */
	{0x010D, "\\v{c}", 0}, /* latin small letter c with caron */
	{0x010E, "\\v{D}", 0}, /* latin capital letter d with caron */
	{0x010F, "\\v{d}", 0}, /* latin small letter d with caron */
	{0x0110, "\\DJ", 0}, /* latin capital letter d with stroke */
	{0x0111, "\\dj", 0}, /* latin small letter d with stroke */
	{0x0112, "\\=E", 0}, /* latin capital letter e with macron */
	{0x0113, "\\=e", 0}, /* latin small letter e with macron */
	{0x0114, "\\u{E}", 0}, /* latin capital letter e with breve */
	{0x0115, "\\u{e}", 0}, /* latin small letter e with breve */
	{0x0116, "\\.E", 0}, /* latin capital letter e with dot above */
	{0x0117, "\\.e", 0}, /* latin small letter e with dot above */
	{0x0118, "\\k{E}", 0}, /* latin capital letter e with ogonek */
	{0x0119, "\\k{e}", 0}, /* latin small letter e with ogonek */
	{0x011A, "\\v{E}", 0}, /* latin capital letter e with caron */
	{0x011B, "\\v{e}", 0}, /* latin small letter e with caron */
	{0x011C, "\\^G", 0}, /* latin capital letter g with circumflex */
	{0x011D, "\\^g", 0}, /* latin small letter g with circumflex */
	{0x011E, "\\u{G}", 0}, /* latin capital letter g with breve */
	{0x011F, "\\u{g}", 0}, /* latin small letter g with breve */
	{0x0120, "\\.G", 0}, /* latin capital letter g with dot above */
	{0x0121, "\\.g", 0}, /* latin small letter g with dot above */
	{0x0122, "\\c{G}", 0}, /* latin capital letter g with cedilla */
	{0x0123, "\\c{g}", 0}, /* latin small letter g with cedilla */
	{0x0124, "\\^H", 0}, /* latin capital letter h with circumflex */
	{0x0125, "\\^h", 0}, /* latin small letter h with circumflex */
	{0x0128, "\\~I", 0}, /* latin capital letter i with tilde */
	{0x0129, "\\~{\\i}", 0}, /* latin small letter i with tilde */
	{0x012A, "\\=I", 0}, /* latin capital letter i with macron */
	{0x012B, "\\={\\i}", 0}, /* latin small letter i with macron */
	{0x012C, "\\u{I}", 0}, /* latin capital letter i with breve */
	{0x012D, "\\u{\\i}", 0}, /* latin small letter i with breve */
	{0x012E, "\\k{I}", 0}, /* latin capital letter i with ogonek */
	{0x012F, "\\k{\\i}", 0}, /* latin small letter i with ogonek */
	{0x0130, "\\.I", 0}, /* latin capital letter i with dot above */
	{0x0131, "\\i", 0}, /* latin small letter dotless i */
	{0x0132, "IJ", 0}, /* latin capital ligature ij */
	{0x0133, "ij", 0}, /* latin small ligature ij */
	{0x0134, "\\^J", 0}, /* latin capital letter j with circumflex */
	{0x0135, "\\^{\\j}", 0}, /* latin small letter j with circumflex */
	{0x0136, "\\c{K}", 0}, /* latin capital letter k with cedilla */
	{0x0137, "\\c{k}", 0}, /* latin small letter k with cedilla */
	{0x0139, "\\'L", 0}, /* latin capital letter l with acute */
	{0x013A, "\\'l", 0}, /* latin small letter l with acute */
	{0x013B, "\\c{L}", 0}, /* latin capital letter l with cedilla */
	{0x013C, "\\c{l}", 0}, /* latin small letter l with cedilla */
	{0x013D, "\\v{L}", 0}, /* latin capital letter l with caron */
	{0x013E, "\\v{l}", 0}, /* latin small letter l with caron */
	{0x0141, "\\L", 0}, /* latin capital letter l with stroke */
	{0x0142, "\\l", 0}, /* latin small letter l with stroke */
	{0x0143, "\\'N", 0}, /* latin capital letter n with acute */
	{0x0144, "\\'n", 0}, /* latin small letter n with acute */
	{0x0145, "\\c{N}", 0}, /* latin capital letter n with cedilla */
	{0x0146, "\\c{n}", 0}, /* latin small letter n with cedilla */
	{0x0147, "\\v{N}", 0}, /* latin capital letter n with caron */
	{0x0148, "\\v{n}", 0}, /* latin small letter n with caron */
	{0x014A, "\\NG", 0}, /* latin capital letter eng */
	{0x014B, "\\ng", 0}, /* latin small letter eng */
	{0x014C, "\\=O", 0}, /* latin capital letter o with macron */
	{0x014D, "\\=o", 0}, /* latin small letter o with macron */
	{0x014E, "\\u{O}", 0}, /* latin capital letter o with breve */
	{0x014F, "\\u{o}", 0}, /* latin small letter o with breve */
	{0x0150, "\\H{O}", 0}, /* latin capital letter o with double acute */
	{0x0151, "\\H{o}", 0}, /* latin small letter o with double acute */
	{0x0152, "\\OE", 0}, /* latin capital ligature oe */
	{0x0153, "\\oe", 0}, /* latin small ligature oe */
	{0x0154, "\\'R", 0}, /* latin capital letter r with acute */
	{0x0155, "\\'r", 0}, /* latin small letter r with acute */
	{0x0156, "\\c{R}", 0}, /* latin capital letter r with cedilla */
	{0x0157, "\\c{r}", 0}, /* latin small letter r with cedilla */
	{0x0158, "\\v{R}", 0}, /* latin capital letter r with caron */
	{0x0159, "\\v{r}", 0}, /* latin small letter r with caron */
	{0x015A, "\\'S", 0}, /* latin capital letter s with acute */
	{0x015B, "\\'s", 0}, /* latin small letter s with acute */
	{0x015C, "\\^S", 0}, /* latin capital letter s with circumflex */
	{0x015D, "\\^s", 0}, /* latin small letter s with circumflex */
	{0x015E, "\\c{S}", 0}, /* latin capital letter s with cedilla */
	{0x015F, "\\c{s}", 0}, /* latin small letter s with cedilla */
	{0x0160, "\\v{S}", 0}, /* latin capital letter s with caron */
	{0x0161, "\\v{s}", 0}, /* latin small letter s with caron */
	{0x0162, "\\c{T}", 0}, /* latin capital letter t with cedilla */
	{0x0163, "\\c{t}", 0}, /* latin small letter t with cedilla */
	{0x0164, "\\v{T}", 0}, /* latin capital letter t with caron */
	{0x0165, "\\v{t}", 0}, /* latin small letter t with caron */
	{0x0168, "\\~U", 0}, /* latin capital letter u with tilde */
	{0x0169, "\\~u", 0}, /* latin small letter u with tilde */
	{0x016A, "\\=U", 0}, /* latin capital letter u with macron */
	{0x016B, "\\=u", 0}, /* latin small letter u with macron */
	{0x016C, "\\u{U}", 0}, /* latin capital letter u with breve */
	{0x016D, "\\u{u}", 0}, /* latin small letter u with breve */
	{0x016E, "\\r{U}", 0}, /* latin capital letter u with ring above */
	{0x016F, "\\r{u}", 0}, /* latin small letter u with ring above */
	{0x0170, "\\H{U}", 0}, /* latin capital letter u with double acute */
	{0x0171, "\\H{u}", 0}, /* latin small letter u with double acute */
	{0x0172, "\\k{U}", 0}, /* latin capital letter u with ogonek */
	{0x0173, "\\k{u}", 0}, /* latin small letter u with ogonek */
	{0x0174, "\\^W", 0}, /* latin capital letter w with circumflex */
	{0x0175, "\\^w", 0}, /* latin small letter w with circumflex */
	{0x0176, "\\^Y", 0}, /* latin capital letter y with circumflex */
	{0x0177, "\\^y", 0}, /* latin small letter y with circumflex */
	{0x0178, "\\\"Y", 0}, /* latin capital letter y with diaeresis */
	{0x0179, "\\'Z", 0}, /* latin capital letter z with acute */
	{0x017A, "\\'z", 0}, /* latin small letter z with acute */
	{0x017B, "\\.Z", 0}, /* latin capital letter z with dot above */
	{0x017C, "\\.z", 0}, /* latin small letter z with dot above */
	{0x017D, "\\v{Z}", 0}, /* latin capital letter z with caron */
	{0x017E, "\\v{z}", 0}, /* latin small letter z with caron */
	{0x01CD, "\\v{A}", 0}, /* latin capital letter a with caron */
	{0x01CE, "\\v{a}", 0}, /* latin small letter a with caron */
	{0x01CF, "\\v{I}", 0}, /* latin capital letter i with caron */
	{0x01D0, "\\v{\\i}", 0}, /* latin small letter i with caron */
	{0x01D1, "\\v{O}", 0}, /* latin capital letter o with caron */
	{0x01D2, "\\v{o}", 0}, /* latin small letter o with caron */
	{0x01D3, "\\v{U}", 0}, /* latin capital letter u with caron */
	{0x01D4, "\\v{u}", 0}, /* latin small letter u with caron */
	{0x01E6, "\\v{G}", 0}, /* latin capital letter g with caron */
	{0x01E7, "\\v{g}", 0}, /* latin small letter g with caron */
	{0x02BC, "'", 0}, /* modifier letter apostrophe */
	{0x02C6, "\\^{}", 0}, /* modifier letter circumflex accent */
	{0x02DC, "\\~{}", 0}, /* small tilde */
	{0x0391, "\\mathrm{A}", 1}, /* greek capital letter alpha */
	{0x0392, "\\mathrm{B}", 1}, /* greek capital letter beta */
	{0x0393, "\\Gamma", 1}, /* greek capital letter gamma */
	{0x0394, "\\Delta", 1}, /* greek capital letter delta */
	{0x0395, "\\mathrm{E}", 1}, /* greek capital letter epsilon */
	{0x0396, "\\mathrm{Z}", 1}, /* greek capital letter zeta */
	{0x0397, "\\mathrm{H}", 1}, /* greek capital letter eta */
	{0x0398, "\\Theta", 1}, /* greek capital letter theta */
	{0x0399, "\\mathrm{I}", 1}, /* greek capital letter iota */
	{0x039A, "\\mathrm{K}", 1}, /* greek capital letter kappa */
	{0x039B, "\\Lambda", 1}, /* greek capital letter lamda */
	{0x039C, "\\mathrm{M}", 1}, /* greek capital letter mu */
	{0x039D, "\\mathrm{N}", 1}, /* greek capital letter nu */
	{0x039E, "\\Xi", 1}, /* greek capital letter xi */
	{0x039F, "\\mathrm{O}", 1}, /* greek capital letter omicron */
	{0x03A0, "\\Pi", 1}, /* greek capital letter pi */
	{0x03A1, "\\mathrm{P}", 1}, /* greek capital letter rho */
	{0x03A3, "\\Sigma", 1}, /* greek capital letter sigma */
	{0x03A4, "\\mathrm{T}", 1}, /* greek capital letter tau */
	{0x03A5, "\\Upsilon", 1}, /* greek capital letter upsilon */
	{0x03A6, "\\Phi", 1}, /* greek capital letter phi */
	{0x03A7, "\\mathrm{X}", 1}, /* greek capital letter chi */
	{0x03A8, "\\Psi", 1}, /* greek capital letter psi */
	{0x03A9, "\\Omega", 1}, /* greek capital letter omega */
	{0x03B1, "\\alpha", 1}, /* greek small letter alpha */
	{0x03B2, "\\beta", 1}, /* greek small letter beta */
	{0x03B3, "\\gamma", 1}, /* greek small letter gamma */
	{0x03B4, "\\delta", 1}, /* greek small letter delta */
	{0x03B5, "\\varepsilon", 1}, /* greek small letter epsilon */
	{0x03B6, "\\zeta", 1}, /* greek small letter zeta */
	{0x03B7, "\\eta", 1}, /* greek small letter eta */
	{0x03B8, "\\theta", 1}, /* greek small letter theta */
	{0x03B9, "\\iota", 1}, /* greek small letter iota */
	{0x03BA, "\\kappa", 1}, /* greek small letter kappa */
	{0x03BB, "\\lambda", 1}, /* greek small letter lamda */
	{0x03BC, "\\mu", 1}, /* greek small letter mu */
	{0x03BD, "\\nu", 1}, /* greek small letter nu */
	{0x03BE, "\\xi", 1}, /* greek small letter xi */
	{0x03BF, "o", 1}, /* greek small letter omicron */
	{0x03C0, "\\pi", 1}, /* greek small letter pi */
	{0x03C1, "\\rho", 1}, /* greek small letter rho */
	{0x03C2, "\\varsigma", 1}, /* greek small letter final sigma */
	{0x03C3, "\\sigma", 1}, /* greek small letter sigma */
	{0x03C4, "\\tau", 1}, /* greek small letter tau */
	{0x03C5, "\\upsilon", 1}, /* greek small letter upsilon */
	{0x03C6, "\\varphi", 1}, /* greek small letter phi */
	{0x03C7, "\\chi", 1}, /* greek small letter chi */
	{0x03C8, "\\psi", 1}, /* greek small letter psi */
	{0x03C9, "\\omega", 1}, /* greek small letter omega */
	{0x03D1, "\\vartheta", 1}, /* greek theta symbol */
	{0x03D5, "\\phi", 1}, /* greek phi symbol */
	{0x03D6, "\\varpi", 1}, /* greek pi symbol */
	{0x03F1, "\\varrho", 1}, /* greek rho symbol */
	{0x03F5, "\\epsilon", 1}, /* greek lunate epsilon symbol */
	{0x2002, "\\enspace", 0}, /* en space */
	{0x2003, "\\quad", 0}, /* em space */
	{0x2009, "\\,", 0}, /* thin space */
	{0x200B, "\\hspace{0pt}", 0}, /* zero width space */
	{0x2010, "-", 0}, /* hyphen */
	{0x2011, "-", 0}, /* non-breaking hyphen */
	{0x2012, "--", 0}, /* figure dash */
	{0x2013, "--", 0}, /* en dash */
	{0x2014, "---", 0}, /* em dash */
	{0x2016, "\\|", 1}, /* double vertical line */
	{0x2018, "`", 0}, /* left single quotation mark */
	{0x2019, "'", 0}, /* right single quotation mark */
	{0x201A, "\\quotesinglbase", 0}, /* single low-9 quotation mark */
	{0x201C, "``", 0}, /* left double quotation mark */
	{0x201D, "''", 0}, /* right double quotation mark */
	{0x201E, "\\quotedblbase", 0}, /* double low-9 quotation mark */
	{0x2020, "\\dag", 0}, /* dagger */
	{0x2021, "\\ddag", 0}, /* double dagger */
	{0x2022, "\\textbullet", 0}, /* bullet */
	{0x2026, "\\ldots", 0}, /* horizontal ellipsis */
	{0x2030, "\\textperthousand", 0}, /* per mille sign */
	{0x2032, "\\prime", 1}, /* prime */
	{0x2039, "\\guilsinglleft", 0}, /* single left-pointing angle quotation mark */
	{0x203A, "\\guilsinglright", 0}, /* single right-pointing angle quotation mark */
	{0x2044, "/", 0}, /* fraction slash */
	{0x20AC, "\\texteuro", 0}, /* euro sign */
	{0x2113, "\\ell", 1}, /* script small l */
	{0x2122, "\\texttrademark", 0}, /* trade mark sign */
	{0x2190, "\\leftarrow", 1}, /* leftwards arrow */
	{0x2191, "\\uparrow", 1}, /* upwards arrow */
	{0x2192, "\\rightarrow", 1}, /* rightwards arrow */
	{0x2193, "\\downarrow", 1}, /* downwards arrow */
	{0x2194, "\\leftrightarrow", 1}, /* left right arrow */
	{0x21D0, "\\Leftarrow", 1}, /* leftwards double arrow */
	{0x21D2, "\\Rightarrow", 1}, /* rightwards double arrow */
	{0x21D4, "\\Leftrightarrow", 1}, /* left right double arrow */
	{0x2200, "\\forall", 1}, /* for all */
	{0x2202, "\\partial", 1}, /* partial differential */
	{0x2203, "\\exists", 1}, /* there exists */
	{0x2205, "\\emptyset", 1}, /* empty set */
	{0x2207, "\\nabla", 1}, /* nabla */
	{0x2208, "\\in", 1}, /* element of */
	{0x2209, "\\notin", 1}, /* not an element of */
	{0x220B, "\\ni", 1}, /* contains as member */
	{0x220F, "\\prod", 1}, /* n-ary product */
	{0x2211, "\\sum", 1}, /* n-ary summation */
	{0x2212, "-", 1}, /* minus sign */
	{0x2213, "\\mp", 1}, /* minus-or-plus sign */
	{0x2217, "\\ast", 1}, /* asterisk operator */
	{0x2218, "\\circ", 1}, /* ring operator */
	{0x2219, "\\bullet", 1}, /* bullet operator */
	{0x221A, "\\surd", 1}, /* square root */
	{0x221D, "\\propto", 1}, /* proportional to */
	{0x221E, "\\infty", 1}, /* infinity */
	{0x2223, "\\mid", 1}, /* divides */
	{0x2225, "\\parallel", 1}, /* parallel to */
	{0x2227, "\\wedge", 1}, /* logical and */
	{0x2228, "\\vee", 1}, /* logical or */
	{0x2229, "\\cap", 1}, /* intersection */
	{0x222A, "\\cup", 1}, /* union */
	{0x222B, "\\int", 1}, /* integral */
	{0x223C, "\\sim", 1}, /* tilde operator */
	{0x2243, "\\simeq", 1}, /* asymptotically equal to */
	{0x2245, "\\cong", 1}, /* approximately equal to */
	{0x2248, "\\approx", 1}, /* almost equal to */
	{0x2260, "\\neq", 1}, /* not equal to */
	{0x2261, "\\equiv", 1}, /* identical to */
	{0x2264, "\\leq", 1}, /* less-than or equal to */
	{0x2265, "\\geq", 1}, /* greater-than or equal to */
	{0x226A, "\\ll", 1}, /* much less-than */
	{0x226B, "\\gg", 1}, /* much greater-than */
	{0x2282, "\\subset", 1}, /* subset of */
	{0x2283, "\\supset", 1}, /* superset of */
	{0x2286, "\\subseteq", 1}, /* subset of or equal to */
	{0x2287, "\\supseteq", 1}, /* superset of or equal to */
	{0x2295, "\\oplus", 1}, /* circled plus */
	{0x2297, "\\otimes", 1}, /* circled times */
	{0x22A4, "\\top", 1}, /* down tack */
	{0x22A5, "\\bot", 1}, /* up tack */
	{0x22C5, "\\cdot", 1}, /* dot operator */
	{0x22EF, "\\cdots", 1}, /* midline horizontal ellipsis */
	{0x2308, "\\lceil", 1}, /* left ceiling */
	{0x2309, "\\rceil", 1}, /* right ceiling */
	{0x230A, "\\lfloor", 1}, /* left floor */
	{0x230B, "\\rfloor", 1}, /* right floor */
	{0x27E8, "\\langle", 1}, /* mathematical left angle bracket */
	{0x27E9, "\\rangle", 1}, /* mathematical right angle bracket */
	{0xFB00, "ff", 0}, /* latin small ligature ff */
	{0xFB01, "fi", 0}, /* latin small ligature fi */
	{0xFB02, "fl", 0}, /* latin small ligature fl */
	{0xFB03, "ffi", 0}, /* latin small ligature ffi */
	{0xFB04, "ffl", 0}, /* latin small ligature ffl */
};

/* Combining accents after an ASCII letter (text decomposed as NFD). */
static const struct {
	uint32_t cp;
	const char *accent;
} combining[] = {
	{0x0300, "\\`"}, {0x0301, "\\'"}, {0x0302, "\\^"}, {0x0303, "\\~"},
	{0x0304, "\\="}, {0x0306, "\\u"}, {0x0307, "\\."}, {0x0308, "\\\""},
	{0x030A, "\\r"}, {0x030B, "\\H"}, {0x030C, "\\v"}, {0x0327, "\\c"},
	{0x0328, "\\k"},
};

/* ASCII characters that are special to LaTeX or BibTeX in text. Braces,
 * $ and \ are decided by context (see classify). */
static const char *const ascii_special[128] = {
	['&'] = "\\&",
	['%'] = "\\%",
	['#'] = "\\#",
	['_'] = "\\_",
	['~'] = "\\textasciitilde{}",
	['^'] = "\\textasciicircum{}",
	['<'] = "\\textless{}",
	['>'] = "\\textgreater{}",
	['|'] = "\\textbar{}",
};

/* What the emitter may copy without looking closer, per byte: runs of
 * such bytes go out with one append. T: copied as is in text and in
 * math; M: in math only (text escapes it, see ascii_special); L: \, $, {
 * and }, whose meaning classify decides (they never join a run). A space
 * joins a run unless more white space follows (runs of it become one
 * space); control characters, &, %, # and non-ASCII bytes never do. */
enum { B_TEXT = 1, B_MATH = 2, B_LATEX = 4 };
#define T (B_TEXT | B_MATH)
#define M B_MATH
#define L B_LATEX
static const unsigned char byte_class[256] = {
	/* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/*  !"#$%&'()*+,-./ */
	0, T, T, 0, L, 0, 0, T, T, T, T, T, T, T, T, T,
	/* 0123456789:;<=>? */
	T, T, T, T, T, T, T, T, T, T, T, T, M, T, M, T,
	/* @ABCDEFGHIJKLMNO */
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
	/* PQRSTUVWXYZ[\]^_ */
	T, T, T, T, T, T, T, T, T, T, T, T, L, T, M, M,
	/* `abcdefghijklmno */
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
	/* pqrstuvwxyz{|}~ DEL */
	T, T, T, T, T, T, T, T, T, T, T, L, M, L, M, 0,
	/* 0x80..0xFF: 0, UTF-8 goes through put_nonascii */
};
#undef T
#undef M
#undef L

/* A control word of an allow-list, and what it may do. */
struct word {
	const char *name;
	unsigned char kind;
};

/* Text-mode control words that pass through unchanged: font and
 * formatting commands authors write in abstracts, accents, and the
 * letters and symbols of the table above. Anything else after a
 * backslash is a literal backslash. Sorted (strcmp), for find_word's
 * binary search. ANY: also in text from a paper list (PB_LATEX_
 * UNTRUSTED); OWN: only in the user's own LaTeX, as \url and \hspace
 * read their argument as something other than text, \ensuremath enters
 * math without the math allow-list, and \mbox is not needed there. */
enum { OWN = 0, ANY = 1 };
static const struct word text_commands[] = {
	{"AA", ANY}, {"AE", ANY}, {"DH", ANY}, {"DJ", ANY}, {"H", ANY},
	{"L", ANY}, {"LaTeX", ANY}, {"NG", ANY}, {"O", ANY}, {"OE", ANY},
	{"P", ANY}, {"S", ANY}, {"TH", ANY}, {"TeX", ANY}, {"aa", ANY},
	{"ae", ANY}, {"b", ANY}, {"bf", ANY}, {"c", ANY}, {"d", ANY},
	{"dag", ANY}, {"ddag", ANY}, {"dh", ANY}, {"dj", ANY}, {"dots", ANY},
	{"em", ANY}, {"emph", ANY}, {"enspace", ANY}, {"ensuremath", OWN},
	{"guillemotleft", ANY}, {"guillemotright", ANY},
	{"guilsinglleft", ANY}, {"guilsinglright", ANY}, {"hspace", OWN},
	{"i", ANY}, {"it", ANY}, {"j", ANY}, {"k", ANY}, {"l", ANY},
	{"ldots", ANY}, {"mbox", OWN}, {"ng", ANY}, {"o", ANY}, {"oe", ANY},
	{"pounds", ANY}, {"quad", ANY}, {"quotedblbase", ANY},
	{"quotesinglbase", ANY}, {"r", ANY}, {"rm", ANY}, {"sc", ANY},
	{"sf", ANY}, {"sl", ANY}, {"ss", ANY}, {"t", ANY},
	{"textasciicircum", ANY}, {"textasciimacron", ANY},
	{"textasciitilde", ANY}, {"textbackslash", ANY}, {"textbar", ANY},
	{"textbf", ANY}, {"textbraceleft", ANY}, {"textbraceright", ANY},
	{"textbullet", ANY}, {"textcent", ANY}, {"textcopyright", ANY},
	{"textdegree", ANY}, {"textemdash", ANY}, {"textendash", ANY},
	{"texteuro", ANY}, {"textexclamdown", ANY}, {"textgreater", ANY},
	{"textit", ANY}, {"textless", ANY}, {"textmd", ANY},
	{"textonehalf", ANY}, {"textonequarter", ANY},
	{"textordfeminine", ANY}, {"textordmasculine", ANY},
	{"textperthousand", ANY}, {"textquestiondown", ANY},
	{"textquotedblleft", ANY}, {"textquotedblright", ANY},
	{"textquoteleft", ANY}, {"textquoteright", ANY},
	{"textregistered", ANY}, {"textrm", ANY}, {"textsc", ANY},
	{"textsf", ANY}, {"textsl", ANY}, {"textsubscript", ANY},
	{"textsuperscript", ANY}, {"textthreequarters", ANY},
	{"texttrademark", ANY}, {"texttt", ANY}, {"textunderscore", ANY},
	{"textup", ANY}, {"textyen", ANY}, {"th", ANY}, {"tt", ANY},
	{"u", ANY}, {"url", OWN}, {"v", ANY},
};

/* Math-mode control words that text from a paper list (PB_LATEX_
 * UNTRUSTED) may hold between $...$: Greek, operator names, relations,
 * binary and big operators, arrows, delimiters, fractions and roots,
 * math fonts (with the old switches \rm, \bf, \cal...) and accents,
 * sizes and spacing: every command that
 * src/mathjax.c may collapse a formula into, and the like. Each one
 * typesets its arguments, which are checked in turn; TEXT_ARG: the
 * argument is text, checked against text_commands. A fragment with any
 * other command is written as text. Sorted (strcmp), for find_word. */
enum { MATH = 0, TEXT_ARG = 1 };
static const struct word math_commands[] = {
	{"Big", MATH}, {"Bigg", MATH}, {"Biggl", MATH},
	{"Biggr", MATH}, {"Bigl", MATH}, {"Bigr", MATH},
	{"Delta", MATH}, {"Downarrow", MATH}, {"Gamma", MATH},
	{"Im", MATH}, {"Lambda", MATH}, {"Leftarrow", MATH},
	{"Leftrightarrow", MATH}, {"Longleftarrow", MATH},
	{"Longleftrightarrow", MATH}, {"Longrightarrow", MATH},
	{"Omega", MATH}, {"Phi", MATH}, {"Pi", MATH},
	{"Pr", MATH}, {"Psi", MATH}, {"Re", MATH},
	{"Rightarrow", MATH}, {"Sigma", MATH}, {"Theta", MATH},
	{"Uparrow", MATH}, {"Updownarrow", MATH},
	{"Upsilon", MATH}, {"Vert", MATH}, {"Xi", MATH},
	{"acute", MATH}, {"aleph", MATH}, {"alpha", MATH},
	{"angle", MATH}, {"approx", MATH}, {"arccos", MATH},
	{"arcsin", MATH}, {"arctan", MATH}, {"arg", MATH},
	{"ast", MATH}, {"asymp", MATH}, {"backslash", MATH},
	{"bar", MATH}, {"beta", MATH}, {"bf", MATH}, {"big", MATH},
	{"bigcap", MATH}, {"bigcup", MATH}, {"bigg", MATH},
	{"biggl", MATH}, {"biggr", MATH}, {"bigl", MATH},
	{"bigodot", MATH}, {"bigoplus", MATH},
	{"bigotimes", MATH}, {"bigr", MATH}, {"bigsqcup", MATH},
	{"biguplus", MATH}, {"bigvee", MATH}, {"bigwedge", MATH},
	{"binom", MATH}, {"bm", MATH}, {"boldsymbol", MATH},
	{"bot", MATH}, {"breve", MATH}, {"bullet", MATH},
	{"cal", MATH}, {"cap", MATH}, {"cdot", MATH}, {"cdotp", MATH},
	{"cdots", MATH}, {"check", MATH}, {"chi", MATH},
	{"circ", MATH}, {"colon", MATH}, {"cong", MATH},
	{"coprod", MATH}, {"cos", MATH}, {"cosh", MATH},
	{"cot", MATH}, {"coth", MATH}, {"csc", MATH},
	{"cup", MATH}, {"dagger", MATH}, {"dashv", MATH},
	{"ddagger", MATH}, {"ddot", MATH}, {"ddots", MATH},
	{"deg", MATH}, {"delta", MATH}, {"det", MATH},
	{"dfrac", MATH}, {"diamond", MATH}, {"dim", MATH},
	{"displaystyle", MATH}, {"div", MATH}, {"dot", MATH},
	{"doteq", MATH}, {"dots", MATH}, {"downarrow", MATH},
	{"ell", MATH}, {"emptyset", MATH}, {"epsilon", MATH},
	{"equiv", MATH}, {"eta", MATH}, {"exists", MATH},
	{"exp", MATH}, {"forall", MATH}, {"frac", MATH},
	{"gamma", MATH}, {"gcd", MATH}, {"ge", MATH},
	{"geq", MATH}, {"geqslant", MATH}, {"gets", MATH},
	{"gg", MATH}, {"grave", MATH}, {"gtrsim", MATH},
	{"hat", MATH}, {"hbar", MATH}, {"hom", MATH},
	{"hookleftarrow", MATH}, {"hookrightarrow", MATH},
	{"iff", MATH}, {"iiint", MATH}, {"iint", MATH},
	{"imath", MATH}, {"implies", MATH}, {"in", MATH},
	{"inf", MATH}, {"infty", MATH}, {"int", MATH},
	{"iota", MATH}, {"it", MATH}, {"jmath", MATH}, {"kappa", MATH},
	{"ker", MATH}, {"lVert", MATH}, {"lambda", MATH},
	{"land", MATH}, {"langle", MATH}, {"lbrace", MATH},
	{"lceil", MATH}, {"ldots", MATH}, {"le", MATH},
	{"left", MATH}, {"leftarrow", MATH},
	{"leftrightarrow", MATH}, {"leq", MATH},
	{"leqslant", MATH}, {"lesssim", MATH}, {"lfloor", MATH},
	{"lg", MATH}, {"lim", MATH}, {"liminf", MATH},
	{"limits", MATH}, {"limsup", MATH}, {"ll", MATH},
	{"ln", MATH}, {"lnot", MATH}, {"log", MATH},
	{"longleftarrow", MATH}, {"longleftrightarrow", MATH},
	{"longmapsto", MATH}, {"longrightarrow", MATH},
	{"lor", MATH}, {"lvert", MATH}, {"mapsto", MATH},
	{"mathbb", MATH}, {"mathbf", MATH}, {"mathcal", MATH},
	{"mathfrak", MATH}, {"mathit", MATH},
	{"mathnormal", MATH}, {"mathring", MATH},
	{"mathrm", MATH}, {"mathscr", MATH}, {"mathsf", MATH},
	{"mathtt", MATH}, {"max", MATH}, {"mbox", TEXT_ARG},
	{"mid", MATH}, {"middle", MATH}, {"min", MATH}, {"mit", MATH},
	{"models", MATH}, {"mp", MATH}, {"mu", MATH},
	{"nabla", MATH}, {"ne", MATH}, {"nearrow", MATH},
	{"neg", MATH}, {"neq", MATH}, {"nexists", MATH},
	{"ni", MATH}, {"nmid", MATH}, {"nolimits", MATH},
	{"not", MATH}, {"notin", MATH}, {"nu", MATH},
	{"nwarrow", MATH}, {"odot", MATH}, {"oint", MATH},
	{"omega", MATH}, {"ominus", MATH}, {"operatorname", MATH},
	{"oplus", MATH}, {"oslash", MATH}, {"otimes", MATH},
	{"overbrace", MATH}, {"overline", MATH},
	{"overset", MATH}, {"parallel", MATH}, {"partial", MATH},
	{"perp", MATH}, {"phi", MATH}, {"pi", MATH},
	{"pm", MATH}, {"prec", MATH}, {"preceq", MATH},
	{"prime", MATH}, {"prod", MATH}, {"propto", MATH},
	{"psi", MATH}, {"qquad", MATH}, {"quad", MATH},
	{"rVert", MATH}, {"rangle", MATH}, {"rbrace", MATH},
	{"rceil", MATH}, {"rfloor", MATH}, {"rho", MATH},
	{"right", MATH}, {"rightarrow", MATH}, {"rm", MATH}, {"rvert", MATH},
	{"scriptstyle", MATH}, {"searrow", MATH}, {"sec", MATH},
	{"setminus", MATH}, {"sf", MATH}, {"sigma", MATH}, {"sim", MATH},
	{"simeq", MATH}, {"sin", MATH}, {"sinh", MATH},
	{"smallsetminus", MATH}, {"sqcap", MATH}, {"sqcup", MATH},
	{"sqrt", MATH}, {"stackrel", MATH}, {"star", MATH},
	{"subset", MATH}, {"subseteq", MATH}, {"subsetneq", MATH},
	{"succ", MATH}, {"succeq", MATH}, {"sum", MATH},
	{"sup", MATH}, {"supset", MATH}, {"supseteq", MATH},
	{"supsetneq", MATH}, {"surd", MATH}, {"swarrow", MATH},
	{"tan", MATH}, {"tanh", MATH}, {"tau", MATH},
	{"text", TEXT_ARG}, {"textbf", TEXT_ARG}, {"textit", TEXT_ARG},
	{"textnormal", TEXT_ARG}, {"textrm", TEXT_ARG}, {"textsf", TEXT_ARG},
	{"textstyle", MATH}, {"texttt", TEXT_ARG}, {"textup", TEXT_ARG},
	{"tfrac", MATH}, {"theta", MATH}, {"tilde", MATH},
	{"times", MATH}, {"to", MATH}, {"top", MATH},
	{"triangle", MATH}, {"triangleleft", MATH},
	{"triangleq", MATH}, {"triangleright", MATH}, {"tt", MATH},
	{"underbrace", MATH}, {"underline", MATH},
	{"underset", MATH}, {"uparrow", MATH},
	{"updownarrow", MATH}, {"uplus", MATH}, {"upsilon", MATH},
	{"varepsilon", MATH}, {"varkappa", MATH},
	{"varnothing", MATH}, {"varphi", MATH}, {"varpi", MATH},
	{"varrho", MATH}, {"varsigma", MATH}, {"vartheta", MATH},
	{"vdash", MATH}, {"vdots", MATH}, {"vec", MATH},
	{"vee", MATH}, {"vert", MATH}, {"wedge", MATH},
	{"widehat", MATH}, {"widetilde", MATH}, {"wr", MATH},
	{"xi", MATH}, {"zeta", MATH},
};

/* The bytes whose meaning classify decides (the L bytes of byte_class). */
static const char latex_bytes[] = "\\${}";
/* Characters a backslash escapes in text (\% stays \%). */
static const char escapable[] = "%&$#_";
/* Accents written as a backslash and a symbol (\'a). */
static const char symbol_accents[] = "'\"`^~=.";
/* Control symbols that pass through in text (\, thin space, \- hyphen),
 * and those of them that pass in text from a paper list: not \@, which
 * with @ a letter (as in a package) starts a control word such as
 * \@input. */
static const char control_symbols[] = ",-/@";
static const char list_control_symbols[] = ",-/";
/* Control symbols that text from a paper list may hold in math: spacing
 * (\, \; \: \! and a backslash before a space), escaped characters,
 * braces (written \lbrace, \rbrace) and the norm bars \|. */
static const char math_symbols[] = ",;:! %&$#_{}|";

/* Words of a title never braced though capitalised ("A" starts many
 * subtitles; BibTeX keeps the letter after a colon anyway). */
static const char unprotected_capital = 'A';

const pb_latex_char *pb_latex_table(size_t *n)
{
	*n = sizeof latex_chars / sizeof latex_chars[0];
	return latex_chars;
}

const pb_latex_char *pb_latex_lookup(uint32_t cp)
{
	size_t lo = 0, hi = sizeof latex_chars / sizeof latex_chars[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (latex_chars[mid].cp == cp)
			return &latex_chars[mid];
		if (latex_chars[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *combining_accent(uint32_t cp)
{
	for (size_t i = 0; i < sizeof combining / sizeof combining[0]; i++)
		if (combining[i].cp == cp)
			return combining[i].accent;
	return NULL;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_upper(s[i]))
			return 1;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* The entry of the sorted table t (count words) for the control word
 * name[0..len), or NULL. */
static const struct word *find_word(const struct word *t, size_t count,
                                    const char *name, size_t len)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *c = t[mid].name;
		int d = strncmp(c, name, len);
		if (d == 0)
			d = c[len] != '\0'; /* c is longer: after name */
		if (d == 0)
			return &t[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Does the text command name[0..len) pass, under these flags? */
static int known_command(const char *name, size_t len, unsigned flags)
{
	const struct word *w =
	    find_word(text_commands, sizeof text_commands / sizeof text_commands[0],
	              name, len);
	if ((flags & PB_LATEX_PASS) && !(flags & PB_LATEX_UNTRUSTED))
		return 1;
	return w && (w->kind == ANY || !(flags & PB_LATEX_UNTRUSTED));
}
/* What each byte of the input is (only bytes that start a token). */
enum {
	C_TEXT = 0,  /* ordinary */
	C_LITERAL,   /* a \, $, { or } that is a character, to escape */
	C_PAIR,      /* a brace that is a character, with a partner: \{ \} */
	C_GROUP,     /* a brace that groups LaTeX, kept */
	C_COMMAND,   /* a backslash starting a command that passes through */
	C_MATH_OPEN, /* $ starting math */
	C_MATH_CLOSE /* $ ending math */
};

/* Length of a control sequence at s[i] == '\\' (2 for a control symbol,
 * 1 + letters for a control word, 1 at the end). */
static size_t control_len(const char *s, size_t n, size_t i)
{
	if (i + 1 >= n)
		return 1;
	if (!is_alpha(s[i + 1]))
		return 2;
	size_t j = i + 1;
	while (j < n && is_alpha(s[j]))
		j++;
	return j - i;
}

/* The $ closing math opened at s[i], or 0 when s[i] does not open math.
 * Pandoc's rule: the opener is followed by a non-space, the closer is
 * preceded by a non-space and not followed by a digit. */
static size_t math_close(const char *s, size_t n, size_t i)
{
	if (i + 1 >= n || is_space(s[i + 1]) || s[i + 1] == '$')
		return 0;
	for (size_t j = i + 1; j < n; j++) {
		/* Only a backslash and $ matter; s goes on past n with white
		 * space and a NUL, as in classify. */
		j += strcspn(s + j, "\\$");
		if (j >= n)
			break;
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == '$') {
			if (!is_space(s[j - 1]) && j - 1 > i &&
			    !(j + 1 < n && is_digit(s[j + 1])))
				return j;
			return 0;
		}
	}
	return 0;
}

/* Where text from a paper list first holds LaTeX that the allow-lists
 * refuse: s[at .. at + len); len is 0 while there is none. */
typedef struct refusal {
	size_t at, len;
} refusal;

static void refuse(refusal *rf, size_t at, size_t len)
{
	if (rf->len == 0) {
		rf->at = at;
		rf->len = len;
	}
}

/* A backslash before a printable ASCII byte is a control symbol worth
 * naming when refused; before white space or other bytes it is only a
 * backslash. */
static int names_symbol(char c)
{
	return c > ' ' && c < 0x7F;
}

/* Checks the math s[a..b) of text from a paper list against the
 * allow-lists: control words of math_commands (and of text_commands in
 * the argument of a TEXT_ARG command), the control symbols of
 * math_symbols, no control word run into an @, and no ^^ (TeX reads
 * ^^5c as a backslash). 1, with the first refused thing in *rf, when
 * the fragment must be written as text. */
static int math_refused(const char *s, size_t a, size_t b, refusal *rf)
{
	size_t depth = 0, text_depth = 0; /* text_depth: of \text{...}, or 0 */
	int text_arg = 0; /* the last command takes a text argument */
	for (size_t i = a; i < b; i++) {
		char c = s[i];
		if (c == '^' && i + 1 < b && s[i + 1] == '^') {
			refuse(rf, i, 2);
			return 1;
		}
		if (c == '{') {
			depth++;
			if (text_arg && !text_depth)
				text_depth = depth;
			text_arg = 0;
			continue;
		}
		if (c == '}') {
			if (depth > 0 && depth-- == text_depth)
				text_depth = 0;
			continue;
		}
		if (c != '\\') {
			text_arg &= is_space(c);
			continue;
		}
		size_t k = control_len(s, b, i);
		int ok = 0;
		text_arg = 0;
		if (k > 1 && is_alpha(s[i + 1])) {
			if (s[i + k] == '@') {
				refuse(rf, i, k + 1);
				return 1;
			}
			if (text_depth) {
				ok = known_command(s + i + 1, k - 1, PB_LATEX_UNTRUSTED);
			} else {
				const struct word *w = find_word(
				    math_commands,
				    sizeof math_commands / sizeof math_commands[0],
				    s + i + 1, k - 1);
				ok = w != NULL;
				text_arg = w && w->kind == TEXT_ARG;
			}
		} else if (k == 2) {
			char x = s[i + 1];
			ok = text_depth ? strchr(escapable, x) || x == '{' || x == '}' ||
			                      strchr(list_control_symbols, x) ||
			                      strchr(symbol_accents, x)
			                : strchr(math_symbols, x) != NULL;
		}
		if (!ok) {
			refuse(rf, i, k);
			return 1;
		}
		i += k - 1;
	}
	return 0;
}

typedef struct opener {
	size_t pos;
	int group; /* opens a LaTeX group (argument, {\it ...}, math) */
} opener;

/* Marks math, commands and braces (only \, $, { and }: every other byte
 * stays C_TEXT). A { groups when it is inside math,
 * follows a command that passes through, or is followed by a backslash;
 * it and its partner are kept. Any other brace with a partner is a
 * character written \{ or \} (BibTeX counts those too, so only pairs
 * may be written so); a brace without one is a character that must not
 * look like a brace at all. cls and stack have n entries.
 * With PB_LATEX_UNTRUSTED in flags, commands pass only through the
 * allow-lists: a math fragment that math_refused refuses is text, its
 * two $ included, and *rf holds the first thing refused (math or text). */
static void classify(const char *s, size_t n, unsigned char *cls,
                     opener *stack, unsigned flags, refusal *rf)
{
	size_t depth = 0, base = 0, math_end = 0;
	size_t text_dollar = SIZE_MAX; /* the $ closing a refused fragment */
	int in_math = 0, after_cmd = 0;
	int after_word = 0; /* after_cmd, set by a command (not by a group) */
	const int untrusted = (flags & PB_LATEX_UNTRUSTED) != 0;
	memset(cls, C_TEXT, n);
	for (size_t i = 0; i < n; i++) {
		/* Other bytes only end the "just after a command" state (the
		 * closing $ at math_end is one of the four too). s goes on
		 * past n with white space and a NUL (pb_latex_escape trims),
		 * so strcspn may look beyond n. */
		size_t skip = strcspn(s + i, latex_bytes);
		if (skip > 0) {
			/* TeX skips the spaces between a command and its
			 * argument: "\cite {knuth}" keeps its group, which
			 * escaped would be \cite \{knuth\}. A group's end does
			 * not carry across spaces: "{\it x} {DNA}" is two. */
			size_t sp = 0;
			while (sp < skip && is_space(s[i + sp]))
				sp++;
			if (sp < skip || !after_word)
				after_cmd = 0;
			i += skip;
			if (i >= n)
				break;
		}
		char c = s[i];
		int was_after_cmd = after_cmd;
		after_cmd = 0;
		after_word = 0;
		if (in_math && i == math_end) {
			cls[i] = C_MATH_CLOSE;
			while (depth > base)
				cls[stack[--depth].pos] = C_LITERAL;
			in_math = 0;
			base = 0;
			continue;
		}
		if (c == '\\') {
			size_t k = control_len(s, n, i);
			if (in_math) {
				cls[i] = C_COMMAND;
			} else if (k == 1) {
				cls[i] = C_LITERAL;
			} else if (is_alpha(s[i + 1])) {
				/* s[i + k] is readable: s goes on past n. */
				if (known_command(s + i + 1, k - 1, flags) &&
				    !(untrusted && s[i + k] == '@')) {
					cls[i] = C_COMMAND;
					after_cmd = after_word = 1;
				} else {
					if (untrusted)
						refuse(rf, i, k + (s[i + k] == '@'));
					cls[i] = C_LITERAL;
					k = 1;
				}
			} else if (strchr(escapable, s[i + 1]) ||
			           s[i + 1] == '{' || s[i + 1] == '}' ||
			           strchr(untrusted ? list_control_symbols
			                            : control_symbols,
			                  s[i + 1])) {
				cls[i] = C_COMMAND;
			} else if (strchr(symbol_accents, s[i + 1])) {
				cls[i] = C_COMMAND;
				after_cmd = after_word = 1;
			} else if ((flags & PB_LATEX_PASS) && !untrusted &&
			           (unsigned char)s[i + 1] < 0x80) {
				cls[i] = C_COMMAND; /* \\, \[ ...: the file's own */
			} else {
				if (untrusted && names_symbol(s[i + 1]))
					refuse(rf, i, 2);
				cls[i] = C_LITERAL;
				k = 1;
				/* \\ from a list is two backslashes: the second
				 * starts no command (\\b is not \b). */
				if (untrusted && s[i + 1] == '\\') {
					cls[i + 1] = C_LITERAL;
					k = 2;
				}
			}
			i += k - 1;
			continue;
		}
		if (c == '$' && !in_math) {
			size_t j = i == text_dollar ? 0 : math_close(s, n, i);
			if (j && untrusted && math_refused(s, i + 1, j, rf)) {
				text_dollar = j;
				j = 0;
			}
			if (j) {
				cls[i] = C_MATH_OPEN;
				in_math = 1;
				math_end = j;
				base = depth;
			} else {
				cls[i] = C_LITERAL;
			}
			continue;
		}
		if (c == '{') {
			stack[depth].pos = i;
			stack[depth].group = in_math || was_after_cmd ||
			                     (i + 1 < n && s[i + 1] == '\\');
			depth++;
			continue;
		}
		if (c == '}') {
			if (depth > base) {
				opener o = stack[--depth];
				cls[o.pos] = cls[i] = o.group ? C_GROUP : C_PAIR;
				/* \frac{1}{T}: a group after an argument is one too. */
				after_cmd = o.group && !in_math;
			} else {
				cls[i] = C_LITERAL;
			}
		}
	}
	while (depth > 0)
		cls[stack[--depth].pos] = C_LITERAL;
}

/* A span of the input to brace for case protection: [start, end). */
typedef struct span {
	size_t start, end;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

static int spans_add(spans *sp, size_t start, size_t end)
{
	if (sp->n == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 16;
		span *v = realloc(sp->v, cap * sizeof *v);
		if (!v)
			return PB_ENOMEM;
		sp->v = v;
		sp->cap = cap;
	}
	sp->v[sp->n].start = start;
	sp->v[sp->n].end = end;
	sp->n++;
	return PB_OK;
}

static int span_cmp(const void *a, const void *b)
{
	const span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

/* A word that carries LaTeX (math, commands, braces) is left alone. */
static int latex_word(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] == '\\' || s[i] == '{' || s[i] == '}' || s[i] == '$')
			return 1;
	return 0;
}

/* word_char of a non-ASCII character. */
static size_t word_char_utf8(const char *s, size_t n, size_t i)
{
	uint32_t cp;
	size_t k = pb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
	if (k == 0)
		return 0;
	if ((cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	    (cp >= 0x2000 && cp <= 0x206F))
		return 0;
	return k;
}

/* Length of the character at s[i] when it belongs to a word (letters,
 * digits, non-ASCII letters), else 0. Dashes, quotes and other
 * punctuation from U+00A0..U+00BF and U+2000..U+206F split words.
 * Small, so that the ASCII case inlines into the word loops. */
static size_t word_char(const char *s, size_t n, size_t i)
{
	if ((unsigned char)s[i] < 0x80)
		return is_alpha(s[i]) || is_digit(s[i]);
	return word_char_utf8(s, n, i);
}

/* Skips one character (a whole UTF-8 sequence). */
static size_t char_len(const char *s, size_t n, size_t i)
{
	uint32_t cp;
	size_t k = pb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
	return k ? k : 1;
}

/* What case protection needs to know of an ASCII byte. */
enum {
	W_SPACE = 1, /* separates words (is_space) */
	W_LATEX = 2, /* \, $, { or }: the word carries LaTeX, left alone */
	W_WORD = 4,  /* a letter or digit (word_char) */
	W_UPPER = 8,
	W_DIGIT = 16
};
#define S W_SPACE
#define X W_LATEX
#define U (W_WORD | W_UPPER)
#define l W_WORD
#define D (W_WORD | W_DIGIT)
static const unsigned char title_class[128] = {
	/* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, S, S, S, S, S, 0, 0,
	/* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/*  !"#$%&'()*+,-./ */
	S, 0, 0, 0, X, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0123456789:;<=>? */
	D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
	/* @ABCDEFGHIJKLMNO */
	0, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
	/* PQRSTUVWXYZ[\]^_ */
	U, U, U, U, U, U, U, U, U, U, U, 0, X, 0, 0, 0,
	/* `abcdefghijklmno */
	0, l, l, l, l, l, l, l, l, l, l, l, l, l, l, l,
	/* pqrstuvwxyz{|}~ DEL */
	l, l, l, l, l, l, l, l, l, l, l, X, 0, X, 0, 0,
};
#undef S
#undef X
#undef U
#undef l
#undef D

/* Spans of the words that need protection in a title: in each word
 * without LaTeX, the parts between hyphens, dashes, slashes and other
 * punctuation that have a capital after their first letter ("TEmporal",
 * "IID" of "Non-IID"), a capital and a digit ("3D"), or are a lone
 * capital other than unprotected_capital. One pass over each word
 * decides it, the ASCII bytes by table. */
static int word_spans(const char *s, size_t n, spans *sp)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (unsigned char)s[i] < 0x80 &&
		       (title_class[(unsigned char)s[i]] & W_SPACE))
			i++;
		size_t w = i;
		unsigned seen = 0;
		for (; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			unsigned t = c < 0x80 ? title_class[c] : 0;
			if (t & W_SPACE)
				break;
			seen |= t;
		}
		if (w == i || (seen & W_LATEX))
			continue;
		size_t p = w;
		while (p < i) {
			/* Skip to the next word character. */
			while (p < i) {
				unsigned char c = (unsigned char)s[p];
				if (c < 0x80) {
					if (title_class[c] & W_WORD)
						break;
					p++;
				} else if (word_char_utf8(s, i, p)) {
					break;
				} else {
					p += char_len(s, i, p);
				}
			}
			size_t q = p, k;
			int upper = 0, upper_later = 0, digit = 0;
			while (q < i) {
				unsigned char c = (unsigned char)s[q];
				if (c >= 0x80) {
					if ((k = word_char_utf8(s, i, q)) == 0)
						break;
					q += k;
					continue;
				}
				unsigned t = title_class[c];
				if (!(t & W_WORD))
					break;
				if (t & W_UPPER) {
					upper = 1;
					upper_later |= q > p;
				}
				digit |= (t & W_DIGIT) != 0;
				q++;
			}
			if (q > p &&
			    (upper_later || (upper && digit) ||
			     (q - p == 1 && upper && s[p] != unprotected_capital)) &&
			    spans_add(sp, p, q) != PB_OK)
				return PB_ENOMEM;
			p = q;
		}
	}
	return PB_OK;
}

/* Does a word character end just before s[i]? */
static int word_before(const char *s, size_t n, size_t i)
{
	if (i == 0)
		return 0;
	size_t j = i - 1;
	while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
		j--;
	return word_char(s, n, j) > 0;
}

/* One phrase of the protect list. */
typedef struct phrase {
	const char *s; /* in the escaper's copy of the list */
	size_t len;
} phrase;

struct pb_latex_escaper {
	char *list;         /* the protect list, copied; NULL: none */
	phrase *phrases;    /* grouped by their first byte: */
	size_t first[257];  /* phrases[first[b] .. first[b + 1]) start with b */
	unsigned char starts[256]; /* 1: some phrase starts with b */
	/* Scratch space reused by every call, for n + 1 bytes of input. */
	unsigned char *cls;
	opener *stack;
	size_t cap;
	spans sp;
};

/* Spans of the phrases of the protect list, matched as whole words
 * (a plural "s" allowed: "Transformers"), outside LaTeX words. Only the
 * phrases that start with the byte at i are compared there. */
static int phrase_spans(const pb_latex_escaper *esc, const char *s, size_t n,
                        spans *sp)
{
	if (!esc->phrases) /* an empty protect list: no byte starts a phrase */
		return PB_OK;
	for (size_t i = 0; i < n; i++) {
		/* Most bytes start no phrase: skip them in a tight loop. */
		while (i < n && !esc->starts[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		unsigned char b = (unsigned char)s[i];
		for (size_t k = esc->first[b]; k < esc->first[b + 1]; k++) {
			size_t len = esc->phrases[k].len;
			const char *ph = esc->phrases[k].s;
			/* The second byte rejects most before a call. */
			if (len > n - i || (len > 1 && ph[1] != s[i + 1]) ||
			    memcmp(s + i, ph, len) != 0)
				continue;
			if (word_before(s, n, i))
				continue;
			size_t e = i + len;
			size_t after = e < n && s[e] == 's' ? e + 1 : e;
			if (after < n && word_char(s, n, after))
				continue;
			size_t ws = i, we = e;
			while (ws > 0 && !is_space(s[ws - 1]))
				ws--;
			while (we < n && !is_space(s[we]))
				we++;
			if (latex_word(s, ws, we))
				continue;
			if (spans_add(sp, i, e) != PB_OK)
				return PB_ENOMEM;
		}
	}
	return PB_OK;
}

pb_latex_escaper *pb_latex_escaper_new(const char *protect)
{
	pb_latex_escaper *esc = calloc(1, sizeof *esc);
	if (!esc || !protect)
		return esc;
	esc->list = pb_strdup(protect);
	if (!esc->list)
		goto fail;
	/* Counting sort by first byte: count, then place. */
	size_t total = 0, len;
	const char *cur = esc->list, *item;
	while ((item = pb_list_next(&cur, &len)) != NULL) {
		esc->first[(unsigned char)*item + 1]++;
		total++;
	}
	if (total == 0)
		return esc;
	esc->phrases = malloc(total * sizeof *esc->phrases);
	if (!esc->phrases)
		goto fail;
	for (size_t b = 1; b < 257; b++) {
		esc->first[b] += esc->first[b - 1];
		esc->starts[b - 1] = esc->first[b] > esc->first[b - 1];
	}
	size_t next[256];
	memcpy(next, esc->first, sizeof next);
	cur = esc->list;
	while ((item = pb_list_next(&cur, &len)) != NULL) {
		phrase *p = &esc->phrases[next[(unsigned char)*item]++];
		p->s = item;
		p->len = len;
	}
	return esc;
fail:
	pb_latex_escaper_free(esc);
	return NULL;
}

void pb_latex_escaper_free(pb_latex_escaper *esc)
{
	if (!esc)
		return;
	free(esc->list);
	free(esc->phrases);
	free(esc->cls);
	free(esc->stack);
	free(esc->sp.v);
	free(esc);
}

/* Room for n bytes of input in the scratch space. */
static int scratch_reserve(pb_latex_escaper *esc, size_t n)
{
	if (n < esc->cap)
		return PB_OK;
	size_t cap = esc->cap ? esc->cap : 256;
	while (cap <= n)
		cap *= 2;
	unsigned char *cls = realloc(esc->cls, cap);
	if (!cls)
		return PB_ENOMEM;
	esc->cls = cls;
	opener *stack = realloc(esc->stack, cap * sizeof *stack);
	if (!stack)
		return PB_ENOMEM;
	esc->stack = stack;
	esc->cap = cap;
	return PB_OK;
}

/* Sorts spans and merges those that overlap. */
static void spans_merge(spans *sp)
{
	if (sp->n == 0)
		return;
	qsort(sp->v, sp->n, sizeof *sp->v, span_cmp);
	size_t k = 0;
	for (size_t i = 1; i < sp->n; i++) {
		if (sp->v[i].start < sp->v[k].end) {
			if (sp->v[i].end > sp->v[k].end)
				sp->v[k].end = sp->v[i].end;
		} else {
			sp->v[++k] = sp->v[i];
		}
	}
	sp->n = k + 1;
}

typedef struct emitter {
	pb_buf *out;
	unsigned flags;
	pb_latex_report *report;
	int rc;
} emitter;

static inline void put(emitter *e, const char *s, size_t n)
{
	if (e->rc == PB_OK)
		e->rc = pb_buf_append(e->out, s, n);
}

static void put_str(emitter *e, const char *s)
{
	put(e, s, strlen(s));
}

/* A control word written before a letter needs a separator. */
static void put_command(emitter *e, const char *cmd, const char *s,
                        size_t i, size_t n)
{
	put_str(e, cmd);
	size_t len = strlen(cmd);
	if (len > 1 && cmd[0] == '\\' && is_alpha(cmd[len - 1]) && i < n &&
	    is_alpha(s[i]))
		put(e, " ", 1);
}

/* One non-ASCII character at s[i] (k bytes); returns the bytes used. */
static size_t put_nonascii(emitter *e, const char *s, size_t n, size_t i,
                           int in_math)
{
	const unsigned char *u = (const unsigned char *)s + i;
	uint32_t cp;
	size_t k = pb_utf8_len(u, (const unsigned char *)s + n);
	if (k == 2) /* most accented letters: decoded here */
		cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	else
		k = pb_utf8_decode(u, n - i, &cp);
	if (k == 0)
		k = 1;
	if (cp == 0xA0 && in_math) {
		put(e, "~", 1);
		return k;
	}
	const pb_latex_char *m = pb_latex_lookup(cp);
	int ascii = (e->flags & PB_LATEX_ASCII) != 0;
	if (m && m->math) {
		if (in_math) {
			put_command(e, m->latex, s, i + k, n);
		} else {
			put_str(e, (e->flags & PB_LATEX_TITLE) ? "{$" : "$");
			put_str(e, m->latex);
			put_str(e, (e->flags & PB_LATEX_TITLE) ? "$}" : "$");
		}
	} else if (m && ascii) {
		if (m->latex[0] == '\\') {
			put_str(e, in_math ? "\\mbox{{" : "{");
			put_str(e, m->latex);
			put_str(e, in_math ? "}}" : "}");
		} else {
			put_str(e, m->latex);
		}
	} else {
		if (!m && ascii && e->report && e->report->unmapped++ == 0)
			e->report->first = cp;
		put(e, s + i, k);
	}
	return k;
}

/* Where a run of text stops, a block of bytes at a time: at non-ASCII
 * and control bytes, at the bytes that are not B_TEXT (see byte_class),
 * and at a space that more white space follows. text_stops(p) flags
 * those among p[0..SCAN_WIDTH) (reading p[SCAN_WIDTH] too, for the
 * space test), and first_stop gives the index of the first flag. Three
 * plain bytes are flagged too, because they share a test with five
 * specials (low five bits 1C..1F: < = > ? \ ] ^ _): plain_run lets them
 * through. */
#if SCAN_SSE2
#define SCAN_WIDTH 16
typedef unsigned scan_mask;

/* Bit k set: p[k] stops a run. */
static inline scan_mask text_stops(const char *p)
{
	const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i next =
	    _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	/* Controls and non-ASCII (bytes compare signed: 0x80..0xFF are
	 * negative), and { | } ~ DEL. */
	__m128i m = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
	                         _mm_cmpgt_epi8(v, _mm_set1_epi8(0x7A)));
	/* # $ % &, moved to the four lowest signed values. */
	m = _mm_or_si128(
	    m, _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x80 - '#')),
	                      _mm_set1_epi8(-128 + 4)));
	/* < > \ ^ _ (and = ? ]). */
	m = _mm_or_si128(m, _mm_cmpgt_epi8(_mm_and_si128(v, _mm_set1_epi8(0x1F)),
	                                   _mm_set1_epi8(0x1B)));
	/* A space before a byte up to ' ' (unsigned: min(x, 32) == x). */
	const __m128i low_next =
	    _mm_cmpeq_epi8(_mm_min_epu8(next, _mm_set1_epi8(0x20)), next);
	m = _mm_or_si128(
	    m, _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), low_next));
	return (unsigned)_mm_movemask_epi8(m);
}

static inline size_t first_stop(scan_mask m)
{
	return (size_t)__builtin_ctz(m);
}
#else
#define SCAN_WIDTH 8
typedef uint64_t scan_mask;

/* The high bit of byte k set: p[k] stops a run. The tests of buf.h:
 * noise only below the high bits, which the last AND clears, and no sum
 * carries across bytes. */
static inline scan_mask text_stops(const char *p)
{
	const uint64_t w = pb_word_load(p), next = pb_word_load(p + 1);
	const uint64_t w7 = w & PB_WORD_LOW7;
	/* Controls, and { | } ~ DEL; non-ASCII is w's own high bit. */
	uint64_t odd = ~(w7 + PB_WORD_ONES * (0x80 - 0x20)) |
	               (w7 + PB_WORD_ONES * (0x80 - 0x7B));
	/* # $ % & */
	uint64_t hash = (w7 + PB_WORD_ONES * (0x80 - '#')) &
	                ~(w7 + PB_WORD_ONES * (0x7F - '&'));
	/* < > \ ^ _ (and = ? ]) */
	uint64_t tail =
	    (w7 & (PB_WORD_ONES * 0x1F)) + PB_WORD_ONES * (0x80 - 0x1C);
	/* A space before a byte up to ' '. */
	uint64_t space = ~((w7 ^ (PB_WORD_ONES * ' ')) + PB_WORD_LOW7);
	uint64_t low_next =
	    ~(next | ((next & PB_WORD_LOW7) + PB_WORD_ONES * (0x80 - 0x21)));
	return (w | odd | hash | tail | (space & low_next)) & PB_WORD_HIGH;
}

static inline size_t first_stop(scan_mask m)
{
	return pb_word_first(m);
}
#endif

/* The first byte of s[i..limit) at which a run of text stops, or limit.
 * s[limit] is readable (limit <= n, and s is NUL-terminated past n). */
static inline size_t text_scan(const char *s, size_t i, size_t limit)
{
	for (; limit - i >= SCAN_WIDTH; i += SCAN_WIDTH) {
		scan_mask m = text_stops(s + i);
		if (m)
			return i + first_stop(m);
	}
	/* The last bytes (all of a name part) one at a time, by the same
	 * rule: what is not B_TEXT stops, but a single space. */
	for (; i < limit; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(byte_class[c] & B_TEXT) &&
		    !(c == ' ' && (unsigned char)s[i + 1] > ' '))
			return i;
	}
	return limit;
}

/* Length of the run of bytes at s[i] that go out unchanged (see
 * byte_class), ending before limit (the next span boundary); s is
 * NUL-terminated. A run never takes a letter that a combining accent
 * follows: the caller writes that pair as one accented letter. Bytes of
 * a run are never \, $, { or }, so classify left them all C_TEXT. */
static size_t plain_run(const char *s, size_t n, size_t i, size_t limit,
                        int in_math, unsigned flags)
{
	size_t j;
	if (in_math) {
		/* Math is short: a byte at a time. No bound needed: the NUL
		 * after the text is never plain. A scan past limit is cut
		 * back. */
		const unsigned char *p = (const unsigned char *)s + i;
		const unsigned char *end = (const unsigned char *)s + limit;
		for (;;) {
			while (byte_class[*p] & B_MATH)
				p++;
			if (p >= end) {
				p = end;
				break;
			}
			if (*p == ' ' &&
			    (p + 1 == (const unsigned char *)s + n || p[1] > ' '))
				p++; /* a single space */
			else
				break;
		}
		return (size_t)(p - (const unsigned char *)s) - i;
	}
	/* Text: the scan stops at every byte that may need work, and at
	 * three plain ones that share a test, let through here. */
	for (j = text_scan(s, i, limit);
	     j < limit && (byte_class[(unsigned char)s[j]] & B_TEXT);
	     j = text_scan(s, j + 1, limit))
		;
	if (j > i && j < n && (unsigned char)s[j] >= 0x80 &&
	    (flags & PB_LATEX_ASCII) && is_alpha(s[j - 1]))
		j--;
	return j - i;
}

/* Writes the token at s[i] that plain_run did not take, of class cl;
 * returns the bytes used. */
static size_t put_token(emitter *e, const char *s, size_t n, size_t i,
                        unsigned char cl, int *in_math)
{
	char c = s[i];
	size_t used = 1;
	switch (cl) {
	case C_MATH_OPEN:
		put_str(e, (e->flags & PB_LATEX_TITLE) ? "{$" : "$");
		*in_math = 1;
		break;
	case C_MATH_CLOSE:
		put_str(e, (e->flags & PB_LATEX_TITLE) ? "$}" : "$");
		*in_math = 0;
		break;
	case C_GROUP:
		put(e, &c, 1);
		break;
	case C_PAIR:
		put_str(e, c == '{' ? "\\{" : "\\}");
		break;
	case C_LITERAL:
		if (c == '{')
			put_str(e, *in_math ? "\\lbrace " : "\\textbraceleft{}");
		else if (c == '}')
			put_str(e, *in_math ? "\\rbrace " : "\\textbraceright{}");
		else if (c == '$')
			put_str(e, "\\$");
		else
			put_str(e, "\\textbackslash{}");
		break;
	case C_COMMAND:
		used = control_len(s, n, i);
		if (used == 2 && (s[i + 1] == '{' || s[i + 1] == '}')) {
			/* \{ would count as a brace for BibTeX. */
			if (*in_math)
				put_str(e, s[i + 1] == '{' ? "\\lbrace "
				                           : "\\rbrace ");
			else
				put_str(e, s[i + 1] == '{'
				               ? "\\textbraceleft{}"
				               : "\\textbraceright{}");
		} else if ((e->flags & PB_LATEX_TITLE) && !*in_math &&
		           has_upper(s + i + 1, used - 1) && used > 2) {
			/* {\LaTeX}: BibTeX keeps the case of a command
			 * only inside a special character. */
			put(e, "{", 1);
			put(e, s + i, used);
			put(e, "}", 1);
		} else {
			put(e, s + i, used);
		}
		break;
	default:
		if (is_space(c) || (unsigned char)c < 0x20 || c == 0x7F) {
			while (i + used < n &&
			       (is_space(s[i + used]) ||
			        (unsigned char)s[i + used] < 0x20))
				used++;
			put(e, " ", 1);
		} else if ((unsigned char)c >= 0x80) {
			used = put_nonascii(e, s, n, i, *in_math);
		} else if (*in_math) {
			if (c == '%' || c == '#' || c == '&')
				put(e, "\\", 1);
			put(e, &c, 1);
		} else if (is_alpha(c) && (e->flags & PB_LATEX_ASCII) &&
		           i + 1 < n && (unsigned char)s[i + 1] == 0xCC) {
			/* U+0300..U+033F, where the combining accents are. */
			uint32_t cp;
			size_t k = pb_utf8_decode(
			    (const unsigned char *)s + i + 1, n - i - 1, &cp);
			const char *acc = k ? combining_accent(cp) : NULL;
			if (acc) {
				put(e, "{", 1);
				put_str(e, acc);
				put(e, "{", 1);
				put(e, &c, 1);
				put(e, "}}", 2);
				used = 1 + k;
			} else {
				put(e, &c, 1);
			}
		} else if (ascii_special[(unsigned char)c]) {
			put_str(e, ascii_special[(unsigned char)c]);
		} else {
			put(e, &c, 1);
		}
	}
	return used;
}

/* The text between white space at its ends, which never reaches the
 * output: its start, and its length in *n. */
static const char *trimmed(const char *text, size_t *n)
{
	size_t len = strlen(text);
	while (len > 0 && is_space(text[len - 1]))
		len--;
	while (len > 0 && is_space(*text)) {
		text++;
		len--;
	}
	*n = len;
	return text;
}

int pb_latex_escape(pb_latex_escaper *esc, pb_buf *out, const char *text,
                    unsigned flags, pb_latex_report *report)
{
	size_t n;
	const char *s = trimmed(text, &n);
	if (n == 0)
		return PB_OK;
	/* Most name parts, years and keywords, and the start of most other
	 * fields, are plain: that run goes out before any set-up, and a
	 * field that is all plain needs none. Titles are left whole, as
	 * case protection may brace their first word. */
	size_t start = 0;
	if (!(flags & PB_LATEX_TITLE)) {
		start = plain_run(s, n, 0, n, 0, flags);
		if (start == n)
			return pb_buf_append(out, s, n);
	}
	if (scratch_reserve(esc, n) != PB_OK || pb_buf_reserve(out, n) != PB_OK)
		return PB_ENOMEM;
	const unsigned char *cls = esc->cls;
	refusal rf = {0, 0};
	classify(s, n, esc->cls, esc->stack, flags, &rf);
	spans *sp = &esc->sp;
	sp->n = 0;
	int rc = PB_OK;
	if (flags & PB_LATEX_TITLE) {
		rc = word_spans(s, n, sp);
		if (rc == PB_OK)
			rc = phrase_spans(esc, s, n, sp);
		spans_merge(sp);
	}
	emitter e = {out, flags, report, rc};
	put(&e, s, start);
	size_t next_span = 0;
	int in_math = 0;
	for (size_t i = start; i < n && e.rc == PB_OK;) {
		/* A run stops at the next span boundary, where a brace goes. */
		size_t limit = n;
		if (next_span < sp->n) {
			const span *v = &sp->v[next_span];
			if (v->start == i)
				put(&e, "{", 1);
			limit = v->start > i ? v->start : v->end;
		}
		size_t used = plain_run(s, n, i, limit, in_math, flags);
		if (used > 0)
			put(&e, s + i, used);
		else
			used = put_token(&e, s, n, i, cls[i], &in_math);
		i += used;
		while (next_span < sp->n && sp->v[next_span].end <= i) {
			put(&e, "}", 1);
			next_span++;
		}
	}
	return e.rc;
}

int pb_latex_text(pb_buf *out, const char *text, unsigned flags,
                  const char *protect, pb_latex_report *report)
{
	pb_latex_escaper *esc = pb_latex_escaper_new(protect);
	if (!esc)
		return PB_ENOMEM;
	int rc = pb_latex_escape(esc, out, text, flags, report);
	pb_latex_escaper_free(esc);
	return rc;
}

int pb_latex_escaper_refused(pb_latex_escaper *esc, const char *text,
                             char *cmd, size_t size)
{
	if (size > 0)
		cmd[0] = '\0';
	/* Only a backslash, or ^^ in math, is ever refused: text with
	 * neither (most text: two fast scans, for \ and $) is not
	 * classified at all. */
	if (!strchr(text, '\\') && !(strchr(text, '$') && strstr(text, "^^")))
		return 0;
	size_t n;
	const char *s = trimmed(text, &n);
	if (scratch_reserve(esc, n) != PB_OK)
		return PB_ENOMEM;
	refusal rf = {0, 0};
	classify(s, n, esc->cls, esc->stack, PB_LATEX_UNTRUSTED, &rf);
	if (rf.len == 0)
		return 0;
	if (size > 0) {
		size_t k = rf.len < size - 1 ? rf.len : size - 1;
		memcpy(cmd, s + rf.at, k);
		cmd[k] = '\0';
	}
	return 1;
}

int pb_latex_untrusted_refused(const char *text, char *cmd, size_t size)
{
	/* An escaper with no protect list, its scratch space freed after. */
	pb_latex_escaper esc = {0};
	int rc = pb_latex_escaper_refused(&esc, text, cmd, size);
	free(esc.cls);
	free(esc.stack);
	return rc;
}

/* URL bytes that go out as they are (see pb_latex_url): U_FIELD in a
 * url field, U_TEXT in \url{} in text. Printable ASCII but braces and
 * the backslash; % and # only in a url field. */
enum { U_FIELD = 1, U_TEXT = 2 };
#define B (U_FIELD | U_TEXT)
#define F U_FIELD
static const unsigned char url_class[256] = {
	/* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/*  !"#$%&'()*+,-./ */
	0, B, B, F, B, F, B, B, B, B, B, B, B, B, B, B,
	/* 0123456789:;<=>? */
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	/* @ABCDEFGHIJKLMNO */
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	/* PQRSTUVWXYZ[\]^_ */
	B, B, B, B, B, B, B, B, B, B, B, B, 0, B, B, B,
	/* `abcdefghijklmno */
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
	/* pqrstuvwxyz{|}~ DEL */
	B, B, B, B, B, B, B, B, B, B, B, 0, B, 0, B, 0,
	/* 0x80..0xFF: 0, percent-encoded */
};
#undef B
#undef F

int pb_latex_url(pb_buf *out, const char *url, int in_text)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)url;
	const unsigned char want = in_text ? U_TEXT : U_FIELD;
	for (;;) {
		const unsigned char *run = p;
		while (url_class[*p] & want)
			p++;
		if (p > run && pb_buf_append(out, (const char *)run,
		                             (size_t)(p - run)) != PB_OK)
			return PB_ENOMEM;
		unsigned char c = *p++;
		if (c == '\0')
			return PB_OK;
		/* \% and \# (in text only: in a url field they are plain),
		 * else %XX, after a backslash in text. */
		char enc[4] = {'\\', '%', hex[c >> 4], hex[c & 15]};
		const char *e = enc;
		size_t len = 4;
		if (c == '%' || c == '#') {
			enc[1] = (char)c;
			len = 2;
		} else if (!in_text) {
			e = enc + 1;
			len = 3;
		}
		if (pb_buf_append(out, e, len) != PB_OK)
			return PB_ENOMEM;
	}
}
