/* paperbib: configuration from defaults, detection, an INI file and --set. */
#ifndef PAPERBIB_CONFIG_H
#define PAPERBIB_CONFIG_H

#include <stddef.h>
#include "paperbib/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_opt_type {
	PB_OPT_STRING, /* any text */
	PB_OPT_BOOL,   /* yes/no, true/false, on/off, 1/0 */
	PB_OPT_YEAR,   /* four digits */
	PB_OPT_DATE,   /* YYYY, YYYY-MM or YYYY-MM-DD */
	PB_OPT_CHOICE, /* one of the '|'-separated words in choices */
	PB_OPT_LIST    /* comma-separated list */
} pb_opt_type;

/* One key of an INI section. Tables of these end with a {NULL} entry. */
typedef struct pb_option_spec {
	const char *key;
	pb_opt_type type;
	const char *def;     /* default value, NULL when none */
	const char *choices; /* for PB_OPT_CHOICE: "none|keyword|track" */
	const char *doc;     /* one line for --help and the man page */
} pb_option_spec;

/* Sections that are not a format's: [venue], [input], [citekey]. */
typedef struct pb_section_spec {
	const char *name;
	const pb_option_spec *options;
} pb_section_spec;
extern const pb_section_spec pb_core_sections[];

typedef struct pb_config pb_config;

/* A configuration holding only defaults. NULL when out of memory. */
pb_config *pb_config_new(void);
void pb_config_free(pb_config *cfg);

/* Merges the INI file at path (later values win over earlier ones).
 * Every problem (syntax error, unknown section or key, bad value) is
 * reported through diag naming the file, line and key.
 * PB_OK, PB_EIO (errno set) or PB_ECONFIG. */
int pb_config_load(pb_config *cfg, const char *path, const pb_diag_sink *diag);

/* Sets one value from "section.key=value" as --set gives it.
 * PB_OK, PB_ECONFIG (reported through diag) or PB_ENOMEM. */
int pb_config_assign(pb_config *cfg, const char *assignment,
                     const pb_diag_sink *diag);

/* Sets one value, validated. origin names the source in messages. */
int pb_config_set(pb_config *cfg, const char *section, const char *key,
                  const char *value, const char *origin,
                  const pb_diag_sink *diag);

/* The value of section.key: what was set, else the default, else NULL.
 * The string belongs to cfg. */
const char *pb_config_get(const pb_config *cfg, const char *section,
                          const char *key);
/* Non-zero when the value was set by an INI file or --set. */
int pb_config_is_set(const pb_config *cfg, const char *section,
                     const char *key);
/* A boolean value (0 or 1); def when the key has no value. */
int pb_config_get_bool(const pb_config *cfg, const char *section,
                       const char *key, int def);

/* The spec of section.key, or NULL when it is not a known key. */
const pb_option_spec *pb_config_spec(const char *section, const char *key);

/* Iterates over a comma-separated list: returns the next item (trimmed,
 * not NUL-terminated, length in *len) and advances *cursor; NULL at the
 * end. Empty items are skipped. */
const char *pb_list_next(const char **cursor, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
