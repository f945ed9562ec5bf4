/*
 * pfkeyemud: the emulated PF_KEY kernel (see pfkeyemud.8).
 *
 * Start-up: options, log, sockets (stale files removed), daemonize
 * unless -d, pidfile (written in both modes, after the sockets listen,
 * so a pidfile means "ready"), then the libevent loop with a one-second
 * lifetime tick.  SIGTERM and SIGINT remove the sockets and the pidfile
 * and exit 0.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "emu.h"
#include "listen.h"
#include "log.h"

#define DEFAULT_SOCKET		"/var/run/pfkeyemud.sock"
#define DEFAULT_TRAFFIC		"/var/run/pfkeyemud.traffic"
#define DEFAULT_PIDFILE		"/var/run/pfkeyemud.pid"
#define LARVAL_MAX		86400

struct options {
	bool		foreground;
	bool		verbose;
	const char	*socket_path;
	const char	*traffic_path;
	const char	*pidfile;
	unsigned	larval;
};

static char	abs_socket[PATH_MAX], abs_traffic[PATH_MAX], abs_pidfile[PATH_MAX];

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: pfkeyemud [-dv] [-l larval_seconds] "
	    "[-p pidfile] [-s socket]\n"
	    "                 [-t traffic_socket]\n");
	exit(1);
}

static unsigned
parse_larval(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    v == 0 || v > LARVAL_MAX) {
		fprintf(stderr, "pfkeyemud: -l %s: want 1..%d seconds\n", s,
		    LARVAL_MAX);
		exit(1);
	}
	return (unsigned)v;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->socket_path = DEFAULT_SOCKET;
	o->traffic_path = DEFAULT_TRAFFIC;
	o->pidfile = DEFAULT_PIDFILE;
	o->larval = EMU_LARVAL_LIFETIME;
	while ((ch = getopt(argc, argv, "dl:p:s:t:v")) != -1) {
		switch (ch) {
		case 'd':
			o->foreground = true;
			break;
		case 'l':
			o->larval = parse_larval(optarg);
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 's':
			o->socket_path = optarg;
			break;
		case 't':
			o->traffic_path = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* Paths stay valid after daemon(3) changes to /. */
static const char *
absolute(const char *path, char *buf, size_t size)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/')
		n = snprintf(buf, size, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		log_fatal("getcwd: %s", strerror(errno));
	else
		n = snprintf(buf, size, "%s/%s", cwd, path);
	if (n < 0 || (size_t)n >= size)
		log_fatal("%s: path too long", path);
	return buf;
}

static void
write_pidfile(const char *path)
{
	char line[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		log_fatal("%s: %s", path, strerror(errno));
	n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (write(fd, line, (size_t)n) != n)
		log_fatal("%s: write: %s", path, strerror(errno));
	close(fd);
}

static void
cleanup_files(void)
{
	unlink(abs_socket);
	unlink(abs_traffic);
	unlink(abs_pidfile);
}

void
emu_expire_all(void)
{
	sadb_expire_run();
	spd_expire_run();
	acquire_expire_run();
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	emu_expire_all();
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	log_info("signal %d: exiting", (int)sig);
	event_base_loopbreak(arg);
}

/* Before daemon(3), so that start-up errors reach the terminal. */
static void
listen_sockets(int *pfkey_fd, int *traffic_fd)
{
	int error;

	if ((error = emu_unix_listen(abs_socket, SOCK_SEQPACKET,
	    pfkey_fd)) != 0)
		log_fatal("PF_KEY socket %s: %s", abs_socket, strerror(error));
	if ((error = emu_unix_listen(abs_traffic, SOCK_STREAM,
	    traffic_fd)) != 0) {
		unlink(abs_socket);
		log_fatal("traffic socket %s: %s", abs_traffic,
		    strerror(error));
	}
}

static void
serve_sockets(struct event_base *base, int pfkey_fd, int traffic_fd)
{
	if (server_open(base, pfkey_fd) != 0 ||
	    traffic_open(base, traffic_fd) != 0) {
		cleanup_files();
		log_fatal("cannot set up the socket events");
	}
}

static void
run(struct event_base *base)
{
	struct timeval second = { 1, 0 };
	struct event *tick, *sigterm, *sigint;

	tick = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	sigterm = evsignal_new(base, SIGTERM, signal_cb, base);
	sigint = evsignal_new(base, SIGINT, signal_cb, base);
	if (tick == NULL || sigterm == NULL || sigint == NULL ||
	    event_add(tick, &second) == -1 || event_add(sigterm, NULL) == -1 ||
	    event_add(sigint, NULL) == -1)
		log_fatal("cannot set up timer and signal events");
	event_base_dispatch(base);
	event_free(tick);
	event_free(sigterm);
	event_free(sigint);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct event_base *base;
	int pfkey_fd, traffic_fd;

	parse_options(argc, argv, &o);
	log_init("pfkeyemud", o.foreground,
	    o.verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	absolute(o.socket_path, abs_socket, sizeof(abs_socket));
	absolute(o.traffic_path, abs_traffic, sizeof(abs_traffic));
	absolute(o.pidfile, abs_pidfile, sizeof(abs_pidfile));
	signal(SIGPIPE, SIG_IGN);
	emu_random_init();
	sadb_set_larval_lifetime(o.larval);

	listen_sockets(&pfkey_fd, &traffic_fd);
	if (!o.foreground && daemon(0, 0) == -1)
		log_fatal("daemon: %s", strerror(errno));
	if ((base = event_base_new()) == NULL)
		log_fatal("cannot create the event base");
	serve_sockets(base, pfkey_fd, traffic_fd);
	write_pidfile(abs_pidfile);
	log_info("listening on %s (PF_KEY) and %s (traffic)", abs_socket,
	    abs_traffic);

	run(base);

	traffic_close();
	server_close();
	sadb_clear();
	spd_flush();
	acquire_clear();
	cleanup_files();
	event_base_free(base);
	return 0;
}
