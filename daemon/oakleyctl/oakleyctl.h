/*
 * oakleyctl internals: what oakleyctl.c (options and dispatch), script.c
 * (setkey commands from a file or stdin), cmd_pfkey.c (PF_KEY requests
 * and their output) and monitor.c (-P) share.
 */
#ifndef OAKLEY_OAKLEYCTL_H
#define OAKLEY_OAKLEYCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "pfkey.h"
#include "setkey.h"

#define CTL_EXIT_OK	0
#define CTL_EXIT_FAIL	1	/* a command failed */
#define CTL_EXIT_USAGE	2

/* Everything the command line selected. */
struct ctl_options {
	const char	*spec;		/* PF_KEY transport: kernel, unix:PATH */
	long		count;		/* -n: monitor stops after this many */
	long		seconds;	/* -w: monitor stops after this long */
	bool		verbose;	/* -v: progress notes on stderr */
	const char	*control;	/* -S: oakleyd's control socket */
	bool		json;		/* -j: daemon answers in JSON */
};

/* oakleyctl.c: "oakleyctl: " + message on stderr. */
void	ctl_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the transport, or report why not and return NULL. */
struct pfkey_session *ctl_open(const struct ctl_options *);

/* cmd_pfkey.c: each returns 0 or an errno value (already reported). */
int	cmd_dump_sa(struct pfkey_session *, uint8_t satype);
int	cmd_dump_spd(struct pfkey_session *);
int	cmd_flush_sa(struct pfkey_session *, uint8_t satype);
int	cmd_flush_spd(struct pfkey_session *);
/* A parsed setkey command; where names it in messages ("FILE:LINE"). */
int	cmd_run(struct pfkey_session *, struct setkey_cmd *, const char *where);

/* script.c: read, parse all, then run; path NULL means stdin. */
int	script_run(const struct ctl_options *, const char *path);

/* monitor.c: -P; returns an exit status. */
int	monitor_run(const struct ctl_options *);

/* cmd_daemon.c: a command for oakleyd's control socket; an exit status. */
int	cmd_daemon(const struct ctl_options *, int argc, char **argv);

#endif /* OAKLEY_OAKLEYCTL_H */
