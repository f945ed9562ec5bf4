/*
 * oakleyctl: the command-line tool.  This file reads the options and
 * dispatches.
 *
 * Flags select the PF_KEY part, which talks to the kernel (or pfkeyemud)
 * directly and so works with oakleyd down: -D, -DP, -F, -FP, -P, -c, -f.
 * As in setkey, -P is a modifier of -D and -F (policies instead of SAs)
 * and the promiscuous monitor on its own.  Words after the options select
 * the daemon part (commands sent to oakleyd's control socket); see
 * ctl_words[] below.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oakleyctl.h"

#define DEFAULT_TRANSPORT	"kernel"
#define TRANSPORT_ENV		"OAKLEY_PFKEY"

/* Which PF_KEY action the flags asked for. */
enum ctl_mode {
	MODE_NONE,
	MODE_DUMP_SA,		/* -D */
	MODE_DUMP_SPD,		/* -D -P */
	MODE_FLUSH_SA,		/* -F */
	MODE_FLUSH_SPD,		/* -F -P */
	MODE_MONITOR,		/* -P */
	MODE_SCRIPT		/* -c, -f FILE */
};

struct ctl_flags {
	bool		D, F, P, a, c;
	const char	*file;		/* -f */
	bool		n, w;		/* -n / -w given */
};

/*
 * Daemon commands, one word each ("show", "initiate", ...), run with the
 * words that follow (cmd_daemon.c).
 */
struct ctl_word {
	const char	*name;
	int		(*run)(const struct ctl_options *, int argc,
			    char **argv);
};

static const struct ctl_word ctl_words[] = {
	{ "show", cmd_daemon },
	{ "initiate", cmd_daemon },
	{ "terminate", cmd_daemon },
	{ "reload", cmd_daemon },
	{ NULL, NULL }
};

void
ctl_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("oakleyctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct pfkey_session *
ctl_open(const struct ctl_options *o)
{
	struct pfkey_session *s;
	struct pfkey_error err;

	memset(&err, 0, sizeof(err));
	s = pfkey_open(o->spec, &err);
	if (s == NULL)
		ctl_warnx("%s", err.reason[0] != '\0' ? err.reason :
		    strerror(err.code));
	return s;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: oakleyctl [-s kernel|unix:path] -D [-a] | -DP | -F | -FP\n"
	    "       oakleyctl [-s kernel|unix:path] -c | -f file\n"
	    "       oakleyctl [-s kernel|unix:path] [-v] [-n count] "
	    "[-w seconds] -P\n"
	    "       oakleyctl [-j] [-S control_socket] show peers | sa | "
	    "plugins\n"
	    "       oakleyctl [-j] [-S control_socket] initiate | terminate "
	    "peer\n"
	    "       oakleyctl [-j] [-S control_socket] reload\n");
}

/* A positive decimal count for -n or -w. */
static int
positive(const char *opt, const char *arg, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    v <= 0 || v > INT_MAX) {
		ctl_warnx("-%s: expected a positive number, got '%s'", opt,
		    arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_flags(int argc, char **argv, struct ctl_flags *f,
    struct ctl_options *o)
{
	int ch;

	while ((ch = getopt(argc, argv, "aDFPcf:s:n:w:vS:j")) != -1) {
		switch (ch) {
		case 'a':
			f->a = true;
			break;
		case 'D':
			f->D = true;
			break;
		case 'F':
			f->F = true;
			break;
		case 'P':
			f->P = true;
			break;
		case 'c':
			f->c = true;
			break;
		case 'f':
			f->file = optarg;
			break;
		case 's':
			o->spec = optarg;
			break;
		case 'S':
			o->control = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'n':
			f->n = true;
			if (positive("n", optarg, &o->count) != 0)
				return -1;
			break;
		case 'w':
			f->w = true;
			if (positive("w", optarg, &o->seconds) != 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/* The one action the flags name, or MODE_NONE if they conflict. */
static enum ctl_mode
flags_mode(const struct ctl_flags *f)
{
	int actions = f->D + f->F + f->c + (f->file != NULL);
	enum ctl_mode mode;

	if (actions > 1)
		return MODE_NONE;
	if (f->D)
		mode = f->P ? MODE_DUMP_SPD : MODE_DUMP_SA;
	else if (f->F)
		mode = f->P ? MODE_FLUSH_SPD : MODE_FLUSH_SA;
	else if (f->c || f->file != NULL)
		mode = f->P ? MODE_NONE : MODE_SCRIPT;
	else if (f->P)
		mode = MODE_MONITOR;
	else
		return MODE_NONE;
	if (f->a && mode != MODE_DUMP_SA)
		return MODE_NONE;
	if ((f->n || f->w) && mode != MODE_MONITOR)
		return MODE_NONE;
	return mode;
}

static int
run_pfkey(enum ctl_mode mode, const struct ctl_options *o)
{
	struct pfkey_session *s;
	int rc;

	if ((s = ctl_open(o)) == NULL)
		return CTL_EXIT_FAIL;
	switch (mode) {
	case MODE_DUMP_SA:
		rc = cmd_dump_sa(s, PFKEY_SATYPE_UNSPEC);
		break;
	case MODE_DUMP_SPD:
		rc = cmd_dump_spd(s);
		break;
	case MODE_FLUSH_SA:
		rc = cmd_flush_sa(s, PFKEY_SATYPE_UNSPEC);
		break;
	default:
		rc = cmd_flush_spd(s);
		break;
	}
	pfkey_close(s);
	return rc == 0 ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}

static int
run_mode(enum ctl_mode mode, const struct ctl_flags *f,
    const struct ctl_options *o)
{
	switch (mode) {
	case MODE_MONITOR:
		return monitor_run(o);
	case MODE_SCRIPT:
		return script_run(o, f->file);
	default:
		return run_pfkey(mode, o);
	}
}

static int
run_word(const struct ctl_options *o, int argc, char **argv)
{
	const struct ctl_word *w;

	for (w = ctl_words; w->name != NULL; w++)
		if (strcmp(w->name, argv[0]) == 0)
			return w->run(o, argc, argv);
	ctl_warnx("unknown command '%s'", argv[0]);
	usage();
	return CTL_EXIT_USAGE;
}

static const char *
default_transport(void)
{
	const char *env = getenv(TRANSPORT_ENV);

	return env != NULL && env[0] != '\0' ? env : DEFAULT_TRANSPORT;
}

int
main(int argc, char **argv)
{
	struct ctl_options o;
	struct ctl_flags f;
	enum ctl_mode mode;

	memset(&o, 0, sizeof(o));
	memset(&f, 0, sizeof(f));
	o.spec = default_transport();
	if (parse_flags(argc, argv, &f, &o) != 0) {
		usage();
		return CTL_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	mode = flags_mode(&f);
	if (argc > 0 && !f.D && !f.F && !f.P && !f.c && f.file == NULL &&
	    !f.a && !f.n && !f.w)
		return run_word(&o, argc, argv);
	if (mode == MODE_NONE || argc > 0 || o.json || o.control != NULL) {
		usage();
		return CTL_EXIT_USAGE;
	}
	return run_mode(mode, &f, &o);
}
