/*
 * pfkeyemud's PF_KEY socket: an AF_UNIX SOCK_SEQPACKET listener whose
 * every connection is one PF_KEY socket, the per-socket state (SA types
 * registered, promiscuous mode), and delivery of the messages the
 * emulated kernel sends: to the requester, to all sockets, or to the
 * registered ones, plus an X_PROMISC-wrapped copy to promiscuous sockets.
 *
 * Sends never block.  A message that does not fit a client's socket
 * buffer waits in that client's queue; when the queue is full the
 * message is dropped (and logged), as a kernel drops with ENOBUFS, so a
 * client that stops reading cannot stall the daemon.  Clients that hang
 * up or fail are closed from a deferred event, never while the client
 * list is being walked.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/event.h>

#include "emu.h"
#include "listen.h"
#include "log.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

#define MAX_CLIENTS	1024
#define READ_BURST	64		/* records read per readable event */
#define OUTQ_MAX_MSGS	8192		/* queued messages per client */
#define OUTQ_MAX_BYTES	(8 * 1024 * 1024)
#define SNDBUF_WANTED	(1024 * 1024)
#define PROMISC_MAX	(PFKEY_BUFSIZE - PFKEY_MSG_HDRLEN)

struct emu_client {
	TAILQ_ENTRY(emu_client) entry;
	unsigned	id;
	int		fd;
	struct event	*ev_read;
	struct event	*ev_write;
	struct pfkey_queue outq;	/* waiting for room in the socket */
	size_t		outq_bytes;
	uint32_t	registered;	/* 1u << satype */
	bool		promisc;
	bool		dead;		/* to be closed by the reaper */
	bool		dropping;	/* a drop was logged, no send since */
	unsigned long	dropped;
};

static TAILQ_HEAD(, emu_client) clients = TAILQ_HEAD_INITIALIZER(clients);
static struct event_base *server_base;
static struct event	*ev_accept, *ev_reap;
static int		 listen_fd = -1;
static unsigned		 nclients, npromisc, next_client_id = 1;
static uint8_t		 rxbuf[PFKEY_BUFSIZE];
static uint8_t		 txbuf[PFKEY_BUFSIZE];
static uint8_t		 wrapbuf[PFKEY_BUFSIZE];

static void	client_read_cb(evutil_socket_t, short, void *);
static void	client_write_cb(evutil_socket_t, short, void *);

static void
buf_wipe_free(struct pfkey_buf *b)
{
	explicit_bzero(b->data, b->len);	/* may hold key bytes */
	b->next = NULL;
	pfkey_chain_free(b);
}

static void
client_kill(struct emu_client *c)
{
	if (c->dead)
		return;
	c->dead = true;
	event_active(ev_reap, EV_READ, 0);
}

static void
client_free(struct emu_client *c)
{
	struct pfkey_buf *b;

	TAILQ_REMOVE(&clients, c, entry);
	nclients--;
	if (c->promisc)
		npromisc--;
	while ((b = pfkey_queue_pop(&c->outq)) != NULL)
		buf_wipe_free(b);
	event_free(c->ev_read);
	event_free(c->ev_write);
	close(c->fd);
	log_debug("client %u closed (%lu messages dropped)", c->id,
	    c->dropped);
	free(c);
}

static void
reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct emu_client *c, *next;

	(void)fd;
	(void)what;
	(void)arg;
	for (c = TAILQ_FIRST(&clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->dead)
			client_free(c);
	}
}

static bool
would_block(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS || e == EINTR;
}

static void
client_drop(struct emu_client *c, size_t len)
{
	c->dropped++;
	if (!c->dropping)
		log_warn("client %u is not reading: dropping messages "
		    "(%zu bytes, %zu queued)", c->id, len, c->outq.count);
	c->dropping = true;
}

static void
client_enqueue(struct emu_client *c, const uint8_t *data, size_t len)
{
	struct pfkey_buf *b;

	if (c->outq.count >= OUTQ_MAX_MSGS ||
	    c->outq_bytes + len > OUTQ_MAX_BYTES) {
		client_drop(c, len);
		return;
	}
	if ((b = pfkey_buf_new(data, len)) == NULL) {
		client_drop(c, len);
		return;
	}
	pfkey_queue_push(&c->outq, b);
	c->outq_bytes += len;
	event_add(c->ev_write, NULL);
}

/* One message to one client, without blocking. */
static void
client_deliver(struct emu_client *c, const uint8_t *data, size_t len)
{
	ssize_t n;

	if (c->dead)
		return;
	if (c->outq.count == 0) {
		n = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n >= 0) {
			c->dropping = false;
			return;
		}
		if (errno == EMSGSIZE) {
			client_drop(c, len);	/* larger than its buffer */
			return;
		}
		if (!would_block(errno)) {
			log_debug("client %u: send: %s", c->id,
			    strerror(errno));
			client_kill(c);
			return;
		}
	}
	client_enqueue(c, data, len);
}

static void
client_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct emu_client *c = arg;
	struct pfkey_buf *b;
	ssize_t n;

	(void)what;
	while ((b = c->outq.head) != NULL) {
		n = send(fd, b->data, b->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && would_block(errno))
			return;		/* still writable-pending */
		if (n == -1) {
			client_kill(c);
			return;
		}
		b = pfkey_queue_pop(&c->outq);
		c->outq_bytes -= b->len;
		buf_wipe_free(b);
		c->dropping = false;
	}
	event_del(c->ev_write);
}

/* A copy, wrapped in an X_PROMISC header, to every promiscuous socket. */
void
server_promisc_copy(const uint8_t *data, size_t len)
{
	struct pfkey_msg *w;
	struct pfkey_error err;
	struct emu_client *c;
	size_t wlen = 0;

	if (npromisc == 0 || len % PFKEY_ALIGN != 0 || len > PROMISC_MAX)
		return;
	if ((w = malloc(sizeof(*w))) == NULL)
		return;
	pfkey_msg_init(w, PFKEY_X_PROMISC, 0, 0, 0);
	w->inner = (uint8_t *)(uintptr_t)data;
	w->inner_len = (uint16_t)len;
	if (pfkey_msg_encode(w, &pfkey_dialect_freebsd, wrapbuf,
	    sizeof(wrapbuf), &wlen, &err) != 0) {
		log_debug("X_PROMISC copy: %s", err.reason);
		free(w);
		return;
	}
	free(w);
	TAILQ_FOREACH(c, &clients, entry)
		if (c->promisc)
			client_deliver(c, wrapbuf, wlen);
	explicit_bzero(wrapbuf, wlen);
}

static bool
is_target(const struct emu_client *c, enum emu_dest dest, uint8_t satype)
{
	switch (dest) {
	case EMU_TO_SENDER:
		return false;
	case EMU_TO_ALL:
		return true;
	case EMU_TO_REGISTERED:
		if (satype == PFKEY_SATYPE_UNSPEC)
			return c->registered != 0;
		return (c->registered & (1u << satype)) != 0;
	}
	return false;
}

static void
deliver(struct emu_client *from, const uint8_t *data, size_t len,
    enum emu_dest dest, uint8_t satype)
{
	struct emu_client *c;

	server_promisc_copy(data, len);
	TAILQ_FOREACH(c, &clients, entry)
		if (c != from && is_target(c, dest, satype))
			client_deliver(c, data, len);
	/* The requester always gets its reply. */
	if (from != NULL)
		client_deliver(from, data, len);
}

void
server_send(struct emu_client *from, const struct pfkey_msg *m,
    enum emu_dest dest, uint8_t satype)
{
	struct pfkey_error err;
	size_t len = 0;

	if (pfkey_msg_encode(m, &pfkey_dialect_freebsd, txbuf, sizeof(txbuf),
	    &len, &err) != 0) {
		log_warn("cannot encode a message of type %u: %s", m->type,
		    err.reason);
		return;
	}
	deliver(from, txbuf, len, dest, satype);
	explicit_bzero(txbuf, len);
}

void
server_send_raw(struct emu_client *to, const uint8_t *data, size_t len)
{
	deliver(to, data, len, EMU_TO_SENDER, 0);
}

void
server_deliver_all(const uint8_t *data, size_t len)
{
	deliver(NULL, data, len, EMU_TO_ALL, 0);
}

int
server_register(struct emu_client *c, uint8_t satype)
{
	if (satype > PFKEY_SATYPE_MAX)
		return EINVAL;
	if (c->registered & (1u << satype))
		return EEXIST;
	c->registered |= 1u << satype;
	return 0;
}

int
server_set_promisc(struct emu_client *c, unsigned on)
{
	if (on > 1)
		return EINVAL;
	if (c->promisc && !on)
		npromisc--;
	else if (!c->promisc && on)
		npromisc++;
	c->promisc = on != 0;
	return 0;
}

unsigned
server_client_count(void)
{
	return nclients;
}

unsigned
server_registered_count(void)
{
	struct emu_client *c;
	unsigned n = 0;

	TAILQ_FOREACH(c, &clients, entry)
		if (!c->dead && c->registered != 0)
			n++;
	return n;
}

unsigned
server_client_id(const struct emu_client *c)
{
	return c->id;
}

/* One record from the client; false when the client is gone. */
static bool
client_read_one(struct emu_client *c)
{
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = rxbuf;
	iov.iov_len = sizeof(rxbuf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(c->fd, &mh, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return false;
	if (n <= 0) {
		if (n == -1)
			log_debug("client %u: recv: %s", c->id,
			    strerror(errno));
		client_kill(c);
		return false;
	}
	dispatch_message(c, rxbuf, (size_t)n, (mh.msg_flags & MSG_TRUNC) != 0);
	explicit_bzero(rxbuf, (size_t)n);	/* may hold key bytes */
	return true;
}

static void
client_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct emu_client *c = arg;
	int i;

	(void)fd;
	(void)what;
	for (i = 0; i < READ_BURST && !c->dead; i++)
		if (!client_read_one(c))
			break;
}

static void
client_new(int fd)
{
	struct emu_client *c;
	int size = SNDBUF_WANTED;

	if (nclients >= MAX_CLIENTS || emu_fd_setup(fd) != 0 ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("refusing a PF_KEY client (%u connected)", nclients);
		close(fd);
		return;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	c->fd = fd;
	c->id = next_client_id++;
	pfkey_queue_init(&c->outq);
	c->ev_read = event_new(server_base, fd, EV_READ | EV_PERSIST,
	    client_read_cb, c);
	c->ev_write = event_new(server_base, fd, EV_WRITE | EV_PERSIST,
	    client_write_cb, c);
	if (c->ev_read == NULL || c->ev_write == NULL ||
	    event_add(c->ev_read, NULL) == -1) {
		log_warn("client %u: cannot set up events", c->id);
		if (c->ev_read != NULL)
			event_free(c->ev_read);
		if (c->ev_write != NULL)
			event_free(c->ev_write);
		close(fd);
		free(c);
		return;
	}
	TAILQ_INSERT_TAIL(&clients, c, entry);
	nclients++;
	log_debug("client %u connected", c->id);
}

static void
accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	int fd, i;

	(void)what;
	(void)arg;
	for (i = 0; i < 16; i++) {
		fd = accept(lfd, NULL, NULL);
		if (fd == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("PF_KEY accept: %s", strerror(errno));
			return;
		}
		client_new(fd);
	}
}

/* Serve PF_KEY on a listening socket (emu_unix_listen). */
int
server_open(struct event_base *base, int fd)
{
	server_base = base;
	listen_fd = fd;
	ev_accept = event_new(base, listen_fd, EV_READ | EV_PERSIST,
	    accept_cb, NULL);
	ev_reap = event_new(base, -1, 0, reap_cb, NULL);
	if (ev_accept == NULL || ev_reap == NULL ||
	    event_add(ev_accept, NULL) == -1) {
		server_close();
		return ENOMEM;
	}
	return 0;
}

void
server_close(void)
{
	struct emu_client *c;

	while ((c = TAILQ_FIRST(&clients)) != NULL)
		client_free(c);
	if (ev_accept != NULL)
		event_free(ev_accept);
	if (ev_reap != NULL)
		event_free(ev_reap);
	ev_accept = ev_reap = NULL;
	if (listen_fd != -1)
		close(listen_fd);
	listen_fd = -1;
}
