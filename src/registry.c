/* The one table of formats. Adding a format means adding its vtable here. */
#include <string.h>

#include "paperbib/paperbib.h"

extern const pb_format pb_bibtex_format;
extern const pb_format pb_biblatex_format;
extern const pb_format pb_csljson_format;
extern const pb_format pb_opml_format;
extern const pb_format pb_ris_format;

static const pb_format *const writers[] = {
	&pb_bibtex_format,
	&pb_biblatex_format,
	&pb_csljson_format,
	&pb_opml_format,
	&pb_ris_format,
	NULL,
};

extern const pb_input_format pb_bibtex_input;
extern const pb_input_format pb_ris_input;
extern const pb_input_format pb_csljson_input;
extern const pb_input_format pb_markdown_format;

static const pb_input_format *const readers[] = {
	&pb_paperlist_format,
	&pb_bibtex_input,
	&pb_ris_input,
	&pb_csljson_input,
	&pb_markdown_format,
	NULL,
};

const pb_format *const *pb_formats(void)
{
	return writers;
}

const pb_format *pb_format_find(const char *name)
{
	for (const pb_format *const *f = writers; *f; f++)
		if (strcmp((*f)->name, name) == 0)
			return *f;
	return NULL;
}

const pb_input_format *const *pb_input_formats(void)
{
	return readers;
}

const pb_input_format *pb_input_format_find(const char *name)
{
	for (const pb_input_format *const *f = readers; *f; f++)
		if (strcmp((*f)->name, name) == 0)
			return *f;
	return NULL;
}
