/*
 * oakleyctl's daemon part: "show peers|sa|plugins", "initiate PEER",
 * "terminate PEER" and "reload", sent to oakleyd's control socket (-S,
 * else $OAKLEY_CONTROL, else the default path).  The protocol is in
 * daemon/ctl.h: one request line, then "ok LENGTH" and the output, or
 * "error MESSAGE".  -j asks for JSON.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "oakleyctl.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

#define CONTROL_ENV		"OAKLEY_CONTROL"
#define REQUEST_MAX		1024	/* CTL_LINE_MAX in daemon/ctl.h */
#define ANSWER_MAX		(16 * 1024 * 1024)
#define ANSWER_TIMEOUT_MS	30000

struct answer {
	char	*buf;
	size_t	 len, size;
};

static const char *
control_path(const struct ctl_options *o)
{
	const char *env = getenv(CONTROL_ENV);

	if (o->control != NULL)
		return o->control;
	return env != NULL && env[0] != '\0' ? env :
	    CONF_DEFAULT_CONTROL_SOCKET;
}

/* The words make a request the daemon knows; else a usage message. */
static int
check_words(int argc, char **argv)
{
	const char *cmd = argv[0];

	if (strcmp(cmd, "show") == 0) {
		if (argc == 2 && (strcmp(argv[1], "peers") == 0 ||
		    strcmp(argv[1], "sa") == 0 ||
		    strcmp(argv[1], "plugins") == 0))
			return 0;
		ctl_warnx("usage: show peers | sa | plugins");
		return -1;
	}
	if (strcmp(cmd, "initiate") == 0 || strcmp(cmd, "terminate") == 0) {
		if (argc == 2)
			return 0;
		ctl_warnx("usage: %s PEER", cmd);
		return -1;
	}
	if (argc == 1)
		return 0;
	ctl_warnx("usage: %s", cmd);
	return -1;
}

static int
build_request(const struct ctl_options *o, int argc, char **argv,
    char *buf, size_t len)
{
	size_t used;
	int i;

	used = (size_t)snprintf(buf, len, "%s", o->json ? "json" : "");
	for (i = 0; i < argc && used < len; i++) {
		if (argv[i][0] == '\0' || strpbrk(argv[i], " \t\r\n") != NULL) {
			ctl_warnx("'%s': arguments cannot be empty or contain "
			    "blanks", argv[i]);
			return -1;
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? " " : "", argv[i]);
	}
	if (used + 1 >= len) {
		ctl_warnx("request too long");
		return -1;
	}
	buf[used++] = '\n';
	buf[used] = '\0';
	return 0;
}

static int
control_connect(const char *path)
{
	struct sockaddr_un sun;
	int s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		ctl_warnx("control socket %s: path too long", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		ctl_warnx("control socket %s: %s (is oakleyd running?)", path,
		    strerror(errno));
		if (s != -1)
			close(s);
		return -1;
	}
	return s;
}

static int
send_all(int s, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(s, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Everything up to the daemon's close, within ANSWER_TIMEOUT_MS. */
static int
read_answer(int s, struct answer *a)
{
	struct pollfd pfd = { s, POLLIN, 0 };
	char *nbuf;
	ssize_t n;
	int rc;

	for (;;) {
		if (a->size - a->len < 4096) {
			if (a->size >= ANSWER_MAX ||
			    (nbuf = realloc(a->buf, a->size + 65536)) == NULL)
				return -1;
			a->buf = nbuf;
			a->size += 65536;
		}
		rc = poll(&pfd, 1, ANSWER_TIMEOUT_MS);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == 0)
			errno = ETIMEDOUT;
		if (rc <= 0)
			return -1;
		n = recv(s, a->buf + a->len, a->size - a->len - 1, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		a->len += (size_t)n;
	}
	a->buf[a->len] = '\0';
	return 0;
}

/* "ok LENGTH\n" + body, or "error MESSAGE\n". */
static int
print_answer(const struct answer *a)
{
	char *nl, *end;
	unsigned long long want;

	if (a->len == 0 || (nl = memchr(a->buf, '\n', a->len)) == NULL) {
		ctl_warnx("oakleyd closed the connection without an answer");
		return CTL_EXIT_FAIL;
	}
	*nl = '\0';
	if (strncmp(a->buf, "error ", 6) == 0) {
		ctl_warnx("%s", a->buf + 6);
		return CTL_EXIT_FAIL;
	}
	if (strncmp(a->buf, "ok ", 3) == 0) {
		errno = 0;
		want = strtoull(a->buf + 3, &end, 10);
		if (errno == 0 && *end == '\0' &&
		    want == (unsigned long long)(a->len - (size_t)(nl + 1 -
		    a->buf))) {
			fwrite(nl + 1, 1, (size_t)want, stdout);
			return fflush(stdout) == 0 ? CTL_EXIT_OK :
			    CTL_EXIT_FAIL;
		}
	}
	ctl_warnx("malformed answer from oakleyd: '%.60s'", a->buf);
	return CTL_EXIT_FAIL;
}

int
cmd_daemon(const struct ctl_options *o, int argc, char **argv)
{
	struct answer a = { NULL, 0, 0 };
	char req[REQUEST_MAX + 1];
	const char *path = control_path(o);
	int s, rc;

	if (check_words(argc, argv) != 0)
		return CTL_EXIT_USAGE;
	if (build_request(o, argc, argv, req, sizeof(req)) != 0)
		return CTL_EXIT_USAGE;
	if ((s = control_connect(path)) == -1)
		return CTL_EXIT_FAIL;
	if (send_all(s, req, strlen(req)) != 0 || read_answer(s, &a) != 0) {
		ctl_warnx("control socket %s: %s", path, errno != 0 ?
		    strerror(errno) : "no answer");
		close(s);
		free(a.buf);
		return CTL_EXIT_FAIL;
	}
	close(s);
	rc = print_answer(&a);
	free(a.buf);
	return rc;
}
