/* paperbib: the command line. Arguments, options, the pipeline, exit
 * codes; no format knowledge lives here. */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "paperbib/paperbib.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_DATA = 1,  /* bad input data: errors in the input, no records */
	EXIT_USAGE = 2, /* bad arguments or configuration */
	EXIT_IO = 3     /* a file could not be read or written */
};

#define OUT_BUFFER (256 * 1024)

typedef struct counts {
	unsigned long warnings, errors;
	int verbose, quiet;
} counts;

static void print_diag(void *ctx, const pb_diag *d)
{
	counts *c = ctx;
	static const char *const level[] = {"note", "warning", "error"};
	if (d->level == PB_DIAG_WARNING)
		c->warnings++;
	else if (d->level == PB_DIAG_ERROR)
		c->errors++;
	if ((d->level == PB_DIAG_NOTE && !c->verbose) ||
	    (d->level == PB_DIAG_WARNING && c->quiet))
		return;
	fputs("paperbib: ", stderr);
	if (d->file) {
		fputs(d->file, stderr);
		if (d->line)
			fprintf(stderr, ":%lu", d->line);
		if (d->line && d->col)
			fprintf(stderr, ":%lu", d->col);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: %s\n", level[d->level], d->message);
}

static void die_usage(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("paperbib: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'paperbib --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

static void usage(void)
{
	printf(
	    "Usage: paperbib [OPTION]... [FILE|-]...\n"
	    "Convert paper lists (and bibliographies) to BibTeX, BibLaTeX, RIS,\n"
	    "CSL-JSON and OPML. Reads standard input when no FILE is given.\n"
	    "\n"
	    "  -t, --to FORMAT[,FORMAT...]  output format (default: from the -o\n"
	    "                               file's extension, else bibtex)\n"
	    "  -f, --from FORMAT            input format (default: detected)\n"
	    "  -o, --output FILE            write FILE (replaced atomically)\n"
	    "  -O, --output-dir DIR         one file per format in DIR (all\n"
	    "                               formats unless -t is given)\n"
	    "  -c, --config FILE            INI configuration file\n"
	    "      --set SECTION.KEY=VALUE  override one configuration value\n"
	    "      --strict                 invalid UTF-8 in the input is an error\n"
	    "      --check                  report problems, write nothing\n"
	    "  -q, --quiet                  no warnings and no summary\n"
	    "  -v, --verbose                also print notes (detected venue, ...)\n"
	    "      --list-formats           list the input and output formats\n"
	    "      --list-options           list the INI sections, keys, defaults\n"
	    "  -h, --help                   show this help\n"
	    "  -V, --version                show the version\n"
	    "\n"
	    "Configuration: -c FILE, else $PAPERBIB_CONFIG, else ./paperbib.ini,\n"
	    "else $XDG_CONFIG_HOME/paperbib/config.ini; see paperbib.ini(5).\n"
	    "Exit status: 0 success, 1 bad input data, 2 usage or configuration\n"
	    "error, 3 input/output error.\n");
}

static void list_section(const char *name, const pb_option_spec *o)
{
	printf("[%s]\n", name);
	for (; o && o->key; o++) {
		/* a template that loads as it is: keys with no default commented */
		printf("%s%s = %s\n", o->def ? "" : ";", o->key, o->def ? o->def : "");
		if (o->choices)
			printf("    ; one of: %s\n", o->choices);
		printf("    ; %s\n", o->doc);
	}
	putchar('\n');
}

/* Every INI section and key with its default, as an INI file that loads
 * unchanged: paperbib.ini(5) in short. */
static void list_options(void)
{
	for (const pb_section_spec *s = pb_core_sections; s->name; s++)
		list_section(s->name, s->options);
	for (const pb_format *const *f = pb_formats(); *f; f++)
		list_section((*f)->name, (*f)->options);
}

static void list_formats(void)
{
	printf("Output formats (-t):\n");
	for (const pb_format *const *f = pb_formats(); *f; f++)
		printf("  %-10s .%-5s %s\n", (*f)->name, (*f)->extension,
		       (*f)->description);
	printf("Input formats (-f):\n");
	for (const pb_input_format *const *f = pb_input_formats(); *f; f++)
		printf("  %-10s       %s\n", (*f)->name, (*f)->description);
}

/* Where one format goes: standard output (path NULL), or a file written
 * beside its target and renamed over it at the end, so that the target is
 * either the old file or the complete new one. */
typedef struct output {
	char *path;
	char *tmp;  /* the temporary's name once it has one */
	FILE *f;
	int direct; /* a device or FIFO, written in place */
	const pb_format *format;
	pb_writer *w;
} output;

/* Named temporaries that a signal must remove. */
static output *live_outputs;
static size_t n_live_outputs;

static void remove_temporaries(int sig)
{
	for (size_t i = 0; i < n_live_outputs; i++)
		if (live_outputs[i].tmp)
			unlink(live_outputs[i].tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Drops the temporary's name; the pointer is cleared before the memory
 * is freed, so that the signal handler never reads a freed name. */
static void forget_tmp(output *o)
{
	char *name = o->tmp;
	o->tmp = NULL;
	free(name);
}

/* Removes named temporaries on SIGINT, SIGTERM and SIGHUP, unless the
 * signal was ignored when paperbib started (nohup): then it stays
 * ignored. */
static void catch_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = remove_temporaries;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return pb_strdup(".");
	if (slash == path)
		return pb_strdup("/");
	return pb_strndup(path, (size_t)(slash - path));
}

/* The mode of the file being replaced, else the 0666 & ~umask that a
 * plain fopen would give. */
static mode_t output_mode(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* Opens where the output goes. A device or a FIFO (-o /dev/null) is
 * written as it is: renaming over it would replace it. A file is written
 * to a temporary in its folder: an unnamed one (O_TMPFILE) where the file
 * system has them, so that not even SIGKILL leaves one behind, else a
 * named one that a signal handler removes. 0, or -1 with errno set. */
static int output_open(output *o)
{
	struct stat st;
	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->f = fopen(o->path, "w");
		o->direct = 1;
		return o->f ? 0 : -1;
	}
	mode_t mode = output_mode(o->path);
	char *dir = dir_of(o->path);
	if (!dir)
		return -1;
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0) {
		pb_buf name = PB_BUF_INIT;
		pb_buf_printf(&name, "%s/.paperbib-XXXXXX", dir);
		o->tmp = pb_buf_detach(&name);
		fd = o->tmp ? mkstemp(o->tmp) : -1;
		if (fd < 0) {
			int e = errno;
			forget_tmp(o);
			free(dir);
			errno = e;
			return -1;
		}
	}
	free(dir);
	fchmod(fd, mode);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;
		close(fd);
		if (o->tmp)
			unlink(o->tmp);
		errno = e;
		return -1;
	}
	setvbuf(o->f, NULL, _IOFBF, OUT_BUFFER);
	return 0;
}

/* Syncs the folder holding path, so that a rename in it is durable. */
static int sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
	close(fd);
	return rc;
}

/* Gives an unnamed temporary a name beside its target, for the rename. */
static int output_link(output *o)
{
	char *dir = dir_of(o->path);
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->f));
	for (unsigned n = 0; dir && n < 100; n++) {
		pb_buf name = PB_BUF_INIT;
		pb_buf_printf(&name, "%s/.paperbib-%ld-%u", dir, (long)getpid(), n);
		o->tmp = pb_buf_detach(&name);
		if (!o->tmp)
			break;
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0) {
			free(dir);
			return 0;
		}
		int e = errno;
		forget_tmp(o);
		errno = e;
		if (e != EEXIST)
			break;
	}
	free(dir);
	return -1;
}

/* Flushes and syncs the output, names an unnamed temporary, and closes.
 * 0 or -1 with errno set. */
static int output_close(output *o)
{
	int rc = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		rc = -1;
	else if (!o->direct && fsync(fileno(o->f)) != 0 && errno != EINVAL)
		rc = -1;
	else if (!o->direct && !o->tmp && output_link(o) != 0)
		rc = -1;
	int e = errno;
	if (fclose(o->f) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	o->f = NULL;
	errno = e;
	return rc;
}

static void output_discard(output *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp) {
		unlink(o->tmp);
		forget_tmp(o);
	}
}

typedef struct options {
	const char *to;
	const char *from;
	const char *output;
	const char *output_dir;
	const char *config;
	int check;
} options;

/* The formats named in a comma-separated list; all when list is NULL. */
static size_t parse_formats(const char *list, const pb_format **out,
                            size_t max)
{
	size_t n = 0;
	if (!list) {
		for (const pb_format *const *f = pb_formats(); *f && n < max; f++)
			out[n++] = *f;
		return n;
	}
	const char *cursor = list, *item;
	size_t len;
	while ((item = pb_list_next(&cursor, &len))) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)len, item);
		const pb_format *f = pb_format_find(name);
		if (!f)
			die_usage("unknown output format '%s' (see --list-formats)", name);
		if (n < max)
			out[n++] = f;
	}
	if (!n)
		die_usage("no output format in '%s'", list);
	return n;
}

/* The format whose extension ends path, or NULL. */
static const pb_format *format_for_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return NULL;
	for (const pb_format *const *f = pb_formats(); *f; f++)
		if (strcmp((*f)->extension, dot + 1) == 0)
			return *f;
	return NULL;
}

/* "examples/iclr2020-talks.txt" gives "iclr2020-talks". */
static char *base_name(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return pb_strdup("paperbib");
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');
	return dot && dot != b ? pb_strndup(b, (size_t)(dot - b)) : pb_strdup(b);
}

static int load_config(pb_config *cfg, const char *explicit_path,
                       const pb_diag_sink *sink)
{
	const char *path = explicit_path;
	int must_exist = 1;
	char xdg[PATH_MAX];
	if (!path && (path = getenv("PAPERBIB_CONFIG")) && !*path)
		path = NULL;
	if (!path) {
		must_exist = 0;
		if (access("paperbib.ini", F_OK) == 0) {
			path = "paperbib.ini";
		} else {
			const char *home = getenv("XDG_CONFIG_HOME");
			const char *h = getenv("HOME");
			if (home && *home)
				snprintf(xdg, sizeof xdg, "%s/paperbib/config.ini", home);
			else if (h && *h)
				snprintf(xdg, sizeof xdg, "%s/.config/paperbib/config.ini", h);
			else
				xdg[0] = '\0';
			if (xdg[0] && access(xdg, F_OK) == 0)
				path = xdg;
		}
	}
	if (!path)
		return PB_OK;
	int rc = pb_config_load(cfg, path, sink);
	if (rc == PB_EIO) {
		if (!must_exist && errno == ENOENT)
			return PB_OK;
		fprintf(stderr, "paperbib: %s: error: cannot read configuration: %s\n",
		        path, strerror(errno));
	}
	return rc;
}

static int report_io(const char *what, const char *path)
{
	fprintf(stderr, "paperbib: %s: error: %s: %s\n", path, what,
	        strerror(errno));
	return EXIT_IO;
}

/* A writer failed: names the output whose stream has the error (errno
 * still says why). */
static int report_write(const output *outs, size_t n)
{
	int e = errno;
	for (size_t i = 0; i < n; i++) {
		if (!outs[i].f || !ferror(outs[i].f))
			continue;
		errno = e;
		if (!outs[i].path) {
			fprintf(stderr, "paperbib: error writing standard output: %s\n",
			        strerror(e));
			return EXIT_IO;
		}
		return report_io("cannot write", outs[i].path);
	}
	fprintf(stderr, "paperbib: error: writing failed: %s\n", strerror(e));
	return EXIT_IO;
}

int main(int argc, char **argv)
{
	enum { OPT_SET = 256, OPT_STRICT, OPT_CHECK, OPT_LIST, OPT_OPTIONS };
	static const struct option long_options[] = {
		{"to", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"output-dir", required_argument, NULL, 'O'},
		{"config", required_argument, NULL, 'c'},
		{"set", required_argument, NULL, OPT_SET},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"check", no_argument, NULL, OPT_CHECK},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"list-formats", no_argument, NULL, OPT_LIST},
		{"list-options", no_argument, NULL, OPT_OPTIONS},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	options opt = {0};
	counts cnt = {0};
	pb_diag_sink sink = {print_diag, &cnt};
	const char **sets = calloc((size_t)argc, sizeof *sets);
	size_t n_sets = 0;
	int strict = 0;
	if (!sets)
		return EXIT_IO;

	int c;
	while ((c = getopt_long(argc, argv, "t:f:o:O:c:qvhV", long_options, NULL)) != -1) {
		switch (c) {
		case 't': opt.to = optarg; break;
		case 'f': opt.from = optarg; break;
		case 'o': opt.output = optarg; break;
		case 'O': opt.output_dir = optarg; break;
		case 'c': opt.config = optarg; break;
		case OPT_SET: sets[n_sets++] = optarg; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_CHECK: opt.check = 1; break;
		case 'q': cnt.quiet = 1; break;
		case 'v': cnt.verbose = 1; break;
		case OPT_LIST: list_formats(); free(sets); return EXIT_OK;
		case OPT_OPTIONS: list_options(); free(sets); return EXIT_OK;
		case 'h': usage(); free(sets); return EXIT_OK;
		case 'V': printf("paperbib %s\n", PB_VERSION); free(sets); return EXIT_OK;
		default:
			fputs("Try 'paperbib --help' for more information.\n", stderr);
			free(sets);
			return EXIT_USAGE;
		}
	}
	if (opt.output && opt.output_dir)
		die_usage("%s", "-o and -O cannot be used together");
	if (opt.check && (opt.output || opt.output_dir))
		die_usage("%s", "--check writes nothing; -o and -O do not apply");

	const pb_input_format *from = NULL;
	if (opt.from && !(from = pb_input_format_find(opt.from)))
		die_usage("unknown input format '%s' (see --list-formats)", opt.from);

	enum { MAX_FORMATS = 16 };
	const pb_format *formats[MAX_FORMATS];
	size_t n_formats = 0;
	if (!opt.check) {
		if (opt.output_dir) {
			n_formats = parse_formats(opt.to, formats, MAX_FORMATS);
		} else if (opt.to) {
			n_formats = parse_formats(opt.to, formats, MAX_FORMATS);
			if (n_formats > 1)
				die_usage("%s", "several formats need -O DIR");
		} else {
			const pb_format *f = opt.output ? format_for_path(opt.output) : NULL;
			formats[0] = f ? f : pb_format_find("bibtex");
			if (!formats[0])
				formats[0] = pb_formats()[0];
			n_formats = 1;
		}
	}

	int status = EXIT_OK;
	pb_config *cfg = pb_config_new();
	pb_pipeline *pipe = NULL;
	output *outs = NULL;
	FILE **inputs = NULL;
	const char **names = NULL;
	int n_inputs = argc - optind;
	if (!cfg)
		goto nomem;
	if (load_config(cfg, opt.config, &sink) != PB_OK) {
		status = cnt.errors ? EXIT_USAGE : EXIT_IO;
		goto done;
	}
	for (size_t i = 0; i < n_sets; i++)
		if (pb_config_assign(cfg, sets[i], &sink) != PB_OK)
			status = EXIT_USAGE;
	if (strict && pb_config_set(cfg, "input", "strict", "yes", "--strict", &sink))
		status = EXIT_USAGE;
	if (status)
		goto done;

	/* Open every input before writing anything. */
	if (n_inputs == 0)
		n_inputs = 1;
	inputs = calloc((size_t)n_inputs, sizeof *inputs);
	names = calloc((size_t)n_inputs, sizeof *names);
	if (!inputs || !names)
		goto nomem;
	for (int i = 0; i < n_inputs; i++) {
		const char *name = optind + i < argc ? argv[optind + i] : "-";
		names[i] = name;
		if (strcmp(name, "-") == 0) {
			inputs[i] = stdin;
			continue;
		}
		struct stat st;
		if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			status = report_io("cannot read", name);
			goto done;
		}
		if (!(inputs[i] = fopen(name, "r"))) {
			status = report_io("cannot read", name);
			goto done;
		}
	}

	int rc;
	pipe = pb_pipeline_new(cfg, &sink, &rc);
	if (!pipe) {
		if (rc == PB_ENOMEM)
			goto nomem;
		status = EXIT_USAGE;
		goto done;
	}

	outs = calloc(n_formats ? n_formats : 1, sizeof *outs);
	if (!outs)
		goto nomem;
	live_outputs = outs;
	catch_signals();
	char *base = opt.output_dir ? base_name(names[0]) : NULL;
	for (size_t i = 0; i < n_formats; i++) {
		output *o = &outs[i];
		o->format = formats[i];
		if (opt.output_dir) {
			/* a second format with the same extension gets its name added */
			int shared = 0;
			for (size_t j = 0; j < i; j++)
				shared |= strcmp(formats[j]->extension, formats[i]->extension) == 0;
			pb_buf p = PB_BUF_INIT;
			if (shared)
				pb_buf_printf(&p, "%s/%s-%s.%s", opt.output_dir, base,
				              formats[i]->name, formats[i]->extension);
			else
				pb_buf_printf(&p, "%s/%s.%s", opt.output_dir, base,
				              formats[i]->extension);
			o->path = pb_buf_detach(&p);
		} else if (opt.output) {
			o->path = pb_strdup(opt.output);
		}
		if (o->path) {
			n_live_outputs = i + 1;
			if (output_open(o) != 0) {
				free(base);
				status = report_io("cannot write", o->path);
				goto done;
			}
		} else {
			o->f = stdout;
			setvbuf(stdout, NULL, _IOFBF, OUT_BUFFER);
		}
		o->w = pb_writer_new(o->format, o->f, cfg, &sink);
		if (!o->w || pb_pipeline_add_writer(pipe, o->w)) {
			free(base);
			goto nomem;
		}
	}
	free(base);

	pb_stats stats = {0};
	for (int i = 0; i < n_inputs && status == EXIT_OK; i++) {
		pb_reader *r = pb_reader_open(inputs[i], names[i], from, cfg, &sink, &rc);
		if (!r) {
			status = rc == PB_ENOMEM ? EXIT_IO : EXIT_DATA;
			break;
		}
		unsigned long before = stats.records + stats.duplicates;
		rc = pb_pipeline_run(pipe, r);
		pb_reader_free(r);
		pb_pipeline_stats(pipe, &stats);
		if (rc == PB_EIO && errno && inputs[i] && ferror(inputs[i])) {
			status = report_io("cannot read", names[i]);
		} else if (rc == PB_EIO) {
			status = report_write(outs, n_formats);
		} else if (rc == PB_ENOMEM) {
			goto nomem;
		} else if (rc) {
			status = EXIT_DATA;
		} else if (stats.records + stats.duplicates == before) {
			pb_diag_emitf(&sink, PB_DIAG_ERROR, names[i], 0, 0,
			              "no records found");
			status = EXIT_DATA;
		}
	}
	if (status == EXIT_OK && (rc = pb_pipeline_finish(pipe)) != PB_OK) {
		if (rc == PB_ENOMEM)
			goto nomem;
		status = rc == PB_EIO ? report_write(outs, n_formats) : EXIT_DATA;
	}
	if (status == EXIT_OK && cnt.errors)
		status = EXIT_DATA;

	/* Files: all complete, or none replaced. */
	for (size_t i = 0; i < n_formats; i++) {
		output *o = &outs[i];
		if (!o->path)
			continue;
		if (status == EXIT_OK && output_close(o) != 0)
			status = report_io("cannot write", o->path);
	}
	for (size_t i = 0; i < n_formats; i++) {
		output *o = &outs[i];
		if (!o->path || !o->tmp)
			continue;
		if (status == EXIT_OK && rename(o->tmp, o->path) != 0)
			status = report_io("cannot replace", o->path);
		else if (status == EXIT_OK)
			forget_tmp(o);
	}
	/* The renames reach the disk with their folder: one folder for -o or
	 * -O. */
	if (status == EXIT_OK && n_formats && outs[0].path && !outs[0].direct &&
	    sync_dir(outs[0].path) != 0)
		status = report_io("cannot sync the folder of", outs[0].path);
	/* The summary counts what was read; after a usage or I/O error it
	 * would only distract from the message. */
	if (!cnt.quiet && (status == EXIT_OK || status == EXIT_DATA)) {
		fprintf(stderr, "paperbib: %lu record%s, %lu warning%s", stats.records,
		        stats.records == 1 ? "" : "s", cnt.warnings,
		        cnt.warnings == 1 ? "" : "s");
		if (cnt.errors)
			fprintf(stderr, ", %lu error%s", cnt.errors, cnt.errors == 1 ? "" : "s");
		if (stats.duplicates)
			fprintf(stderr, ", %lu duplicate%s dropped", stats.duplicates,
			        stats.duplicates == 1 ? "" : "s");
		if (stats.kept_duplicates)
			fprintf(stderr, ", %lu duplicate%s kept", stats.kept_duplicates,
			        stats.kept_duplicates == 1 ? "" : "s");
		fputc('\n', stderr);
	}
	goto done;

nomem:
	fputs("paperbib: error: out of memory\n", stderr);
	status = EXIT_IO;
done:
	for (size_t i = 0; outs && i < n_formats; i++) {
		if (outs[i].path)
			output_discard(&outs[i]);
		pb_writer_free(outs[i].w);
		free(outs[i].path);
	}
	n_live_outputs = 0;
	free(outs);
	for (int i = 0; inputs && i < n_inputs; i++)
		if (inputs[i] && inputs[i] != stdin)
			fclose(inputs[i]);
	free(inputs);
	free(names);
	pb_pipeline_free(pipe);
	pb_config_free(cfg);
	free(sets);
	/* A full disk or a closed pipe shows only here. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (status == EXIT_OK) {
			fprintf(stderr, "paperbib: error writing standard output: %s\n",
			        strerror(errno));
			status = EXIT_IO;
		}
	}
	return status;
}
