/*
 * pfkeyemud's traffic-command socket: AF_UNIX SOCK_STREAM, one command
 * per line in, one answer per line out (dataplane.c does the work).
 * Lines are bounded (TRAFFIC_LINE_MAX): a longer one is answered
 * "error line too long" and discarded up to its newline, and the
 * commands after it are served.  A client that does not read its
 * answers stops being read once TRAFFIC_OUT_MAX bytes wait.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "emu.h"
#include "listen.h"
#include "log.h"

#define TRAFFIC_LINE_MAX	512
#define TRAFFIC_OUT_MAX		(64 * 1024)
#define TRAFFIC_MAX_CONNS	256
#define ANSWER_MAX		256

struct traffic_conn {
	TAILQ_ENTRY(traffic_conn) entry;
	struct bufferevent *bev;
	bool		skipping;	/* discarding a too long line */
};

static TAILQ_HEAD(, traffic_conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static struct event_base *traffic_base;
static struct event	*ev_accept;
static int		 listen_fd = -1;
static unsigned		 nconns;

static void
conn_free(struct traffic_conn *tc)
{
	TAILQ_REMOVE(&conns, tc, entry);
	nconns--;
	bufferevent_free(tc->bev);
	free(tc);
}

static void
answer(struct traffic_conn *tc, const char *text)
{
	bufferevent_write(tc->bev, text, strlen(text));
	bufferevent_write(tc->bev, "\n", 1);
}

/* Drop input up to and including the next newline; true if found. */
static bool
skip_line(struct evbuffer *in)
{
	struct evbuffer_ptr eol;
	size_t eol_len = 0;

	eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);
	if (eol.pos == -1) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return false;
	}
	evbuffer_drain(in, (size_t)eol.pos + eol_len);
	return true;
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct traffic_conn *tc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char out[ANSWER_MAX], *line;
	size_t n;

	for (;;) {
		if (tc->skipping) {
			if (!skip_line(in))
				return;		/* the newline is yet to come */
			tc->skipping = false;
		}
		if (evbuffer_get_length(bufferevent_get_output(bev)) >
		    TRAFFIC_OUT_MAX) {
			bufferevent_disable(bev, EV_READ);
			return;		/* resumed by conn_write_cb */
		}
		line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);
		if (line == NULL && evbuffer_get_length(in) > TRAFFIC_LINE_MAX) {
			answer(tc, "error line too long");
			tc->skipping = true;
			continue;
		}
		if (line == NULL)
			return;
		if (n > TRAFFIC_LINE_MAX)
			answer(tc, "error line too long");
		else {
			dataplane_command(line, out, sizeof(out));
			answer(tc, out);
		}
		free(line);
	}
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	/* Called when the output buffer has drained. */
	if (!(bufferevent_get_enabled(bev) & EV_READ)) {
		bufferevent_enable(bev, EV_READ);
		conn_read_cb(bev, arg);
	}
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		conn_free(arg);
}

static void
conn_new(int fd)
{
	struct traffic_conn *tc;

	if (nconns >= TRAFFIC_MAX_CONNS || emu_fd_setup(fd) != 0 ||
	    (tc = calloc(1, sizeof(*tc))) == NULL) {
		log_warn("refusing a traffic client (%u connected)", nconns);
		close(fd);
		return;
	}
	tc->bev = bufferevent_socket_new(traffic_base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (tc->bev == NULL) {
		close(fd);
		free(tc);
		return;
	}
	bufferevent_setcb(tc->bev, conn_read_cb, conn_write_cb, conn_event_cb,
	    tc);
	bufferevent_enable(tc->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&conns, tc, entry);
	nconns++;
}

static void
accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	int fd, i;

	(void)what;
	(void)arg;
	for (i = 0; i < 16; i++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("traffic accept: %s", strerror(errno));
			return;
		}
		conn_new(fd);
	}
}

/* Serve traffic commands on a listening socket (emu_unix_listen). */
int
traffic_open(struct event_base *base, int fd)
{
	traffic_base = base;
	listen_fd = fd;
	ev_accept = event_new(base, listen_fd, EV_READ | EV_PERSIST,
	    accept_cb, NULL);
	if (ev_accept == NULL || event_add(ev_accept, NULL) == -1) {
		traffic_close();
		return ENOMEM;
	}
	return 0;
}

void
traffic_close(void)
{
	while (TAILQ_FIRST(&conns) != NULL)
		conn_free(TAILQ_FIRST(&conns));
	if (ev_accept != NULL)
		event_free(ev_accept);
	ev_accept = NULL;
	if (listen_fd != -1)
		close(listen_fd);
	listen_fd = -1;
}
