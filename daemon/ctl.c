/*
 * The control socket (see ctl.h for the protocol): listening, one
 * bufferevent per client, the request line split into words, the answer
 * framed as "ok LENGTH" or "error MESSAGE".
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "ctl.h"
#include "daemon.h"
#include "log.h"

struct ctl_client {
	TAILQ_ENTRY(ctl_client) link;
	struct ctl		*ctl;
	struct bufferevent	*bev;
	bool			 answered;
};

struct ctl {
	struct daemon		*daemon;
	char			*path;
	int			 fd;
	struct event		*accept_ev;
	TAILQ_HEAD(, ctl_client) clients;
	size_t			 nclients;
};

static void
client_free(struct ctl_client *c)
{
	TAILQ_REMOVE(&c->ctl->clients, c, link);
	c->ctl->nclients--;
	bufferevent_free(c->bev);
	free(c);
}

/* The answer is out: close once it is written. */
static void
client_written(struct bufferevent *bev, void *arg)
{
	(void)bev;
	client_free(arg);
}

static void	client_event(struct bufferevent *, short, void *);

/* Blank-separated words, in place; -1 when there are too many. */
static int
split_words(char *line, char **argv, int max)
{
	int argc = 0;
	char *w;

	while ((w = strsep(&line, " \t")) != NULL) {
		if (*w == '\0')
			continue;
		if (argc == max)
			return -1;
		argv[argc++] = w;
	}
	return argc;
}

static void
client_answer(struct ctl_client *c, int rc, struct evbuffer *body,
    const char *err)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	c->answered = true;
	if (rc == 0) {
		evbuffer_add_printf(out, "ok %zu\n",
		    evbuffer_get_length(body));
		evbuffer_add_buffer(out, body);
	} else
		evbuffer_add_printf(out, "error %s\n", err);
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setcb(c->bev, NULL, client_written, client_event, c);
}

static void
client_request(struct ctl_client *c, char *line)
{
	char *argv[CTL_ARGS_MAX + 1], err[1024];
	struct evbuffer *body;
	bool json = false;
	int argc, rc = -1;

	if ((body = evbuffer_new()) == NULL) {
		client_free(c);
		return;
	}
	snprintf(err, sizeof(err), "too many words in the request");
	argc = split_words(line, argv, CTL_ARGS_MAX + 1);
	if (argc > 0 && strcmp(argv[0], "json") == 0) {
		json = true;
		argc--;
		memmove(argv, argv + 1, (size_t)argc * sizeof(*argv));
	}
	if (argc >= 0 && argc <= CTL_ARGS_MAX)
		rc = ctl_command(c->ctl->daemon, argc, argv, json, body, err,
		    sizeof(err));
	if (rc != 0)
		log_debug("control: %s", err);
	client_answer(c, rc, body, err);
	evbuffer_free(body);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct ctl_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;

	line = evbuffer_readln(in, &len, EVBUFFER_EOL_CRLF);
	if (line == NULL) {
		if (evbuffer_get_length(in) >= CTL_LINE_MAX)
			client_answer(c, -1, NULL, "request too long");
		return;
	}
	if (len >= CTL_LINE_MAX)
		client_answer(c, -1, NULL, "request too long");
	else
		client_request(c, line);
	free(line);
}

/* What is left when the client stops sending is the request. */
static void
client_read_last(struct ctl_client *c, struct evbuffer *in)
{
	size_t len = evbuffer_get_length(in);
	char *line;

	if ((line = malloc(len + 1)) == NULL)
		return;
	evbuffer_remove(in, line, len);
	line[len] = '\0';
	line[strcspn(line, "\r")] = '\0';
	client_request(c, line);
	free(line);
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	if ((what & BEV_EVENT_EOF) && !c->answered &&
	    evbuffer_get_length(in) > 0 &&
	    evbuffer_get_length(in) < CTL_LINE_MAX) {
		client_read_last(c, in);
		if (c->answered)
			return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		client_free(c);
}

static void
ctl_accept(evutil_socket_t fd, short what, void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_client *c;
	struct timeval tv = { CTL_TIMEOUT_SECONDS, 0 };
	int s;

	(void)what;
	if ((s = accept(fd, NULL, NULL)) == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control: accept: %s", strerror(errno));
		return;
	}
	if (ctl->nclients >= CTL_CLIENTS_MAX ||
	    evutil_make_socket_nonblocking(s) != 0 ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		close(s);
		return;
	}
	c->ctl = ctl;
	c->bev = bufferevent_socket_new(ctl->daemon->base, s,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(s);
		free(c);
		return;
	}
	TAILQ_INSERT_TAIL(&ctl->clients, c, link);
	ctl->nclients++;
	bufferevent_setcb(c->bev, client_read, NULL, client_event, c);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_enable(c->bev, EV_READ);
}

static int
ctl_fail(char *err, size_t errlen, const char *path, const char *what,
    int errnum)
{
	if (errnum != 0)
		snprintf(err, errlen, "control socket %s: %s: %s", path, what,
		    strerror(errnum));
	else
		snprintf(err, errlen, "control socket %s: %s", path, what);
	return -1;
}

/*
 * A socket file left by a dead oakleyd is removed; one that answers
 * belongs to a running daemon; anything else is not ours to remove.
 */
static int
ctl_clear_stale(const struct sockaddr_un *sun, char *err, size_t errlen)
{
	struct stat st;
	int s, rc;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 :
		    ctl_fail(err, errlen, sun->sun_path, "lstat", errno);
	if (!S_ISSOCK(st.st_mode))
		return ctl_fail(err, errlen, sun->sun_path,
		    "exists and is not a socket", 0);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return ctl_fail(err, errlen, sun->sun_path, "socket", errno);
	rc = connect(s, (const struct sockaddr *)sun, sizeof(*sun));
	close(s);
	if (rc == 0)
		return ctl_fail(err, errlen, sun->sun_path, "in use by a "
		    "running oakleyd", 0);
	if (unlink(sun->sun_path) == -1 && errno != ENOENT)
		return ctl_fail(err, errlen, sun->sun_path, "removing the "
		    "stale socket", errno);
	return 0;
}

static int
ctl_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	mode_t old;
	int s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return ctl_fail(err, errlen, path, "path too long", 0);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (ctl_clear_stale(&sun, err, errlen) == -1)
		return -1;
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return ctl_fail(err, errlen, path, "socket", errno);
	old = umask(077);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		ctl_fail(err, errlen, path, "bind", errno);
		close(s);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) == -1 || listen(s, CTL_CLIENTS_MAX) == -1 ||
	    evutil_make_socket_nonblocking(s) != 0 ||
	    fcntl(s, F_SETFD, FD_CLOEXEC) == -1) {
		ctl_fail(err, errlen, path, "listen", errno);
		close(s);
		unlink(path);
		return -1;
	}
	return s;
}

struct ctl *
ctl_open(struct daemon *d, const char *path, char *err, size_t errlen)
{
	struct ctl *ctl;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL ||
	    (ctl->path = strdup(path)) == NULL) {
		free(ctl);
		ctl_fail(err, errlen, path, "out of memory", 0);
		return NULL;
	}
	ctl->daemon = d;
	ctl->fd = -1;
	TAILQ_INIT(&ctl->clients);
	if ((ctl->fd = ctl_listen(path, err, errlen)) == -1) {
		free(ctl->path);
		free(ctl);
		return NULL;
	}
	ctl->accept_ev = event_new(d->base, ctl->fd, EV_READ | EV_PERSIST,
	    ctl_accept, ctl);
	if (ctl->accept_ev == NULL || event_add(ctl->accept_ev, NULL) != 0) {
		ctl_fail(err, errlen, path, "out of memory", 0);
		ctl_close(ctl);
		return NULL;
	}
	log_info("control socket %s", path);
	return ctl;
}

void
ctl_close(struct ctl *ctl)
{
	if (ctl == NULL)
		return;
	while (!TAILQ_EMPTY(&ctl->clients))
		client_free(TAILQ_FIRST(&ctl->clients));
	if (ctl->accept_ev != NULL)
		event_free(ctl->accept_ev);
	if (ctl->fd != -1) {
		close(ctl->fd);
		unlink(ctl->path);
	}
	free(ctl->path);
	free(ctl);
}
