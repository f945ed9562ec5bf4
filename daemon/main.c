/*
 * oakleyd: start-up, signals, pidfile, daemonizing.
 *
 *	oakleyd [-dnv] [-D level] [-f file]
 *
 * The configuration is read first; -n stops after checking it (and
 * loading its plugins, whose own configuration errors then show).
 * Without -d the process forks and the parent waits until the child is
 * ready (or failed, with its message still on the terminal's stderr) so
 * that its exit status tells whether oakleyd runs.  Start-up then
 * happens in the child: daemon_start(), pidfile, signal events, and the
 * libevent loop.  SIGHUP reloads; SIGTERM and SIGINT stop the loop,
 * after which our SAs and policies are removed when flush-on-exit says
 * so, and oakleyd exits 0.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf.h"
#include "daemon.h"
#include "engine.h"
#include "log.h"
#include "plugin.h"
#include "timer.h"

#ifndef OAKLEYD_CONF
#define OAKLEYD_CONF		"/usr/local/etc/oakleyd.conf"
#endif

#define ERR_MAX			1024

struct options {
	bool		 foreground;	/* -d */
	bool		 check;		/* -n */
	bool		 verbose;	/* -v */
	int		 log_level;	/* -D, or -1 */
	const char	*conf_path;	/* -f */
};

struct pidfile {
	char		*path;
	int		 fd;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: oakleyd [-dnv] [-D level] [-f file]\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->log_level = -1;
	o->conf_path = OAKLEYD_CONF;
	while ((ch = getopt(argc, argv, "dnvD:f:")) != -1) {
		switch (ch) {
		case 'd':
			o->foreground = true;
			break;
		case 'n':
			o->check = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'D':
			if ((o->log_level = log_level_by_name(optarg)) == -1) {
				fprintf(stderr, "oakleyd: -D: unknown level "
				    "'%s' (error, warning, notice, info, "
				    "debug)\n", optarg);
				exit(1);
			}
			break;
		case 'f':
			o->conf_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* Without -n, -v means debug logging unless -D says otherwise. */
	if (o->verbose && !o->check && o->log_level == -1)
		o->log_level = LOG_LEVEL_DEBUG;
}

/* -n: the configuration, its policies and its plugins. */
static int
check_config(struct config *cfg, const struct options *o)
{
	struct timers *timers;
	char err[ERR_MAX];
	int rc = 0;

	if (daemon_check_config(cfg, err, sizeof(err)) == -1) {
		log_err("%s", err);
		return 1;
	}
	if ((timers = timers_new(timers_monotonic_ms, NULL)) == NULL ||
	    daemon_plugin_host_init(timers) != 0) {
		log_err("cannot start the plugin host");
		timers_free(timers);
		return 1;
	}
	if (plugin_load_config(cfg, err, sizeof(err)) == -1) {
		log_err("%s", err);
		rc = 1;
	}
	plugin_host_fini();
	timers_free(timers);
	if (rc == 0 && o->verbose)
		conf_print(stdout, cfg);
	return rc;
}

/* ---- pidfile: locked while we run, so a second oakleyd refuses ---- */

static int
pidfile_open(struct pidfile *pf, const char *path, char *err, size_t errlen)
{
	char buf[32];
	ssize_t n;

	pf->fd = -1;
	if ((pf->path = strdup(path)) == NULL ||
	    (pf->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		snprintf(err, errlen, "pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(pf->fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	n = read(pf->fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(err, errlen, "pidfile %s: oakleyd already running (pid %s)",
	    path, buf[0] != '\0' ? buf : "unknown");
	close(pf->fd);
	pf->fd = -1;
	return -1;
}

static void
pidfile_write(struct pidfile *pf)
{
	char buf[32];
	int len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(pf->fd, 0) == -1 ||
	    pwrite(pf->fd, buf, (size_t)len, 0) != len)
		log_warn("pidfile %s: %s", pf->path, strerror(errno));
}

static void
pidfile_remove(struct pidfile *pf)
{
	if (pf->fd != -1) {
		unlink(pf->path);
		close(pf->fd);
	}
	pf->fd = -1;
	free(pf->path);
	pf->path = NULL;
}

/* ---- Daemonizing: the parent exits with the child's verdict ---- */

static void __attribute__((noreturn))
parent_wait(pid_t child, int ready_fd)
{
	char c;
	ssize_t n;
	int status;

	do
		n = read(ready_fd, &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	if (waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	    WEXITSTATUS(status) != 0)
		_exit(WEXITSTATUS(status));
	_exit(1);
}

/* Returns the write end of the readiness pipe in the child. */
static int
daemonize_begin(void)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) == -1)
		log_fatal("pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		log_fatal("fork: %s", strerror(errno));
	if (pid != 0) {
		close(fds[1]);
		parent_wait(pid, fds[0]);
	}
	close(fds[0]);
	if (setsid() == -1)
		log_fatal("setsid: %s", strerror(errno));
	return fds[1];
}

/* Ready: stdio detached, the parent told. */
static void
daemonize_end(int ready_fd)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (write(ready_fd, "1", 1) != 1)
		log_warn("telling the parent we are ready: %s",
		    strerror(errno));
	close(ready_fd);
}

/* ---- Signals and the loop ---- */

struct signals {
	struct event	*hup, *term, *intr;
};

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;
	char err[ERR_MAX];

	(void)sig;
	(void)what;
	log_info("SIGHUP: reloading %s", d->conf_path);
	daemon_reload(d, err, sizeof(err));
}

static void
on_term(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	log_notice("%s: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	event_base_loopbreak(d->base);
}

static int
signals_add(struct signals *s, struct daemon *d)
{
	s->hup = evsignal_new(d->base, SIGHUP, on_hup, d);
	s->term = evsignal_new(d->base, SIGTERM, on_term, d);
	s->intr = evsignal_new(d->base, SIGINT, on_term, d);
	if (s->hup == NULL || s->term == NULL || s->intr == NULL ||
	    evsignal_add(s->hup, NULL) != 0 ||
	    evsignal_add(s->term, NULL) != 0 ||
	    evsignal_add(s->intr, NULL) != 0)
		return -1;
	return 0;
}

static void
signals_free(struct signals *s)
{
	if (s->hup != NULL)
		event_free(s->hup);
	if (s->term != NULL)
		event_free(s->term);
	if (s->intr != NULL)
		event_free(s->intr);
}

/* In daemon mode logs go to syslog; the terminal still hears why. */
static void __attribute__((noreturn))
start_failed(struct daemon *d, struct pidfile *pf, const char *err,
    bool detached)
{
	log_err("%s", err);
	if (detached)
		fprintf(stderr, "oakleyd: error: %s\n", err);
	daemon_stop(d, true);
	pidfile_remove(pf);
	exit(1);
}

static int
run(struct config *cfg, const struct options *o, const char *conf_path)
{
	struct daemon d;
	struct signals sigs;
	struct pidfile pf = { NULL, -1 };
	char err[ERR_MAX];
	int ready_fd = -1;
	bool flush;

	memset(&d, 0, sizeof(d));
	memset(&sigs, 0, sizeof(sigs));
	d.conf_path = conf_path;
	d.log_level = o->log_level;
	TAILQ_INIT(&d.peers);
	if (!o->foreground) {
		ready_fd = daemonize_begin();
		log_init("oakleyd", false, log_get_level());
	}
	signal(SIGPIPE, SIG_IGN);
	if ((d.base = event_base_new()) == NULL)
		log_fatal("event_base_new failed");
	if (pidfile_open(&pf, cfg->pidfile != NULL ? cfg->pidfile :
	    CONF_DEFAULT_PIDFILE, err, sizeof(err)) == -1) {
		conf_free(cfg);
		start_failed(&d, &pf, err, ready_fd != -1);
	}
	if (daemon_start(&d, d.base, cfg, err, sizeof(err)) == -1)
		start_failed(&d, &pf, err, ready_fd != -1);
	if (signals_add(&sigs, &d) == -1)
		start_failed(&d, &pf, "cannot watch signals", ready_fd != -1);
	pidfile_write(&pf);
	if (ready_fd != -1)
		daemonize_end(ready_fd);
	event_base_dispatch(d.base);
	flush = d.conf->flush_on_exit;
	daemon_stop(&d, flush);
	log_notice("oakleyd stopped; %s", flush ? "policies and SAs removed" :
	    "policies and SAs left in place (flush-on-exit no)");
	signals_free(&sigs);
	pidfile_remove(&pf);
	event_base_free(d.base);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct config *cfg;
	char err[ERR_MAX], *abs_path;
	int rc;

	parse_options(argc, argv, &o);
	log_init("oakleyd", true, o.log_level >= 0 ?
	    (enum log_level)o.log_level : LOG_LEVEL_INFO);
	if ((cfg = conf_load(o.conf_path, err, sizeof(err))) == NULL) {
		log_err("%s", err);
		return 1;
	}
	if (o.check) {
		/* Quiet on success: warnings and errors only, unless -D. */
		if (o.log_level == -1)
			log_set_level(LOG_LEVEL_WARN);
		rc = check_config(cfg, &o);
		conf_free(cfg);
		return rc;
	}
	/* A reload re-reads the same file whatever the directory. */
	if ((abs_path = realpath(o.conf_path, NULL)) == NULL) {
		log_err("%s: %s", o.conf_path, strerror(errno));
		conf_free(cfg);
		return 1;
	}
	rc = run(cfg, &o, abs_path);
	free(abs_path);
	return rc;
}
