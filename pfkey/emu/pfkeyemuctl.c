/*
 * pfkeyemuctl: send traffic commands to pfkeyemud (see pfkeyemud.8).
 *
 *   pfkeyemuctl [-t traffic_socket] [-T timeout_ms] [command ...]
 *
 * With a command (the arguments joined by spaces) it prints the one
 * answer line; without, it sends each line of standard input and prints
 * each answer.  Exit status: 0 when every answer is not an error, 1 when
 * one starts with "error", 2 when the daemon cannot be reached or does
 * not answer in time.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

#define DEFAULT_TRAFFIC	"/var/run/pfkeyemud.traffic"
#define LINE_MAX_LEN	512	/* answers */
#define CMD_MAX_LEN	4096	/* commands: the daemon judges length */
#define TIMEOUT_MS	10000

struct conn {
	int	fd;
	int	timeout_ms;
	char	in[LINE_MAX_LEN + 2];
	size_t	inlen;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: pfkeyemuctl [-t traffic_socket] "
	    "[-T timeout_ms] [command ...]\n");
	exit(2);
}

static int
conn_open(struct conn *c, const char *path)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "pfkeyemuctl: %s: path too long\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "pfkeyemuctl: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Milliseconds left of timeout_ms since start. */
static int
remaining(const struct timespec *start, int timeout_ms)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
	return ms >= timeout_ms ? 0 : (int)(timeout_ms - ms);
}

/* One answer line (newline stripped) into line; -1 on failure. */
static int
read_line(struct conn *c, char *line, size_t size)
{
	struct timespec start;
	struct pollfd pfd;
	char *nl;
	ssize_t n;
	size_t len;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((nl = memchr(c->in, '\n', c->inlen)) == NULL) {
		if (c->inlen >= LINE_MAX_LEN)
			return -1;
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, remaining(&start, c->timeout_ms)) <= 0)
			return -1;
		n = recv(c->fd, c->in + c->inlen, LINE_MAX_LEN - c->inlen, 0);
		if (n <= 0)
			return -1;
		c->inlen += (size_t)n;
	}
	len = (size_t)(nl - c->in);
	if (len >= size)
		len = size - 1;
	memcpy(line, c->in, len);
	line[len] = '\0';
	c->inlen -= (size_t)(nl - c->in) + 1;
	memmove(c->in, nl + 1, c->inlen);
	return 0;
}

/* 0 answer ok, 1 error answer, 2 no answer. */
static int
command(struct conn *c, const char *cmd)
{
	char answer[LINE_MAX_LEN + 1], line[CMD_MAX_LEN + 1];
	int n;

	n = snprintf(line, sizeof(line), "%s\n", cmd);
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    send_all(c->fd, line, (size_t)n) == -1 ||
	    read_line(c, answer, sizeof(answer)) == -1) {
		fprintf(stderr, "pfkeyemuctl: no answer from pfkeyemud\n");
		return 2;
	}
	printf("%s\n", answer);
	fflush(stdout);
	return strncmp(answer, "error", 5) == 0 ? 1 : 0;
}

static int
join_args(int argc, char **argv, char *buf, size_t size)
{
	size_t len = 0, n;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]);
		if (len + n + 2 > size)
			return -1;
		if (i > 0)
			buf[len++] = ' ';
		memcpy(buf + len, argv[i], n + 1);
		len += n;
	}
	return 0;
}

static int
from_stdin(struct conn *c)
{
	char line[CMD_MAX_LEN];
	int rc, status = 0;
	size_t len;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0)
			continue;
		rc = command(c, line);
		if (rc == 2)
			return 2;
		if (rc == 1)
			status = 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	const char *path = DEFAULT_TRAFFIC;
	char cmd[CMD_MAX_LEN];
	struct conn c;
	int ch, rc;

	memset(&c, 0, sizeof(c));
	c.timeout_ms = TIMEOUT_MS;
	/* "+": stop at the command, whose words may look like options. */
	while ((ch = getopt(argc, argv, "+t:T:")) != -1) {
		switch (ch) {
		case 't':
			path = optarg;
			break;
		case 'T':
			c.timeout_ms = atoi(optarg);
			if (c.timeout_ms <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && join_args(argc, argv, cmd, sizeof(cmd)) == -1) {
		fprintf(stderr, "pfkeyemuctl: command too long\n");
		return 2;
	}
	if (conn_open(&c, path) == -1)
		return 2;
	rc = argc > 0 ? command(&c, cmd) : from_stdin(&c);
	close(c.fd);
	return rc;
}
