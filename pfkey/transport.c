/*
 * libpfkey transport: one PF_KEY session over either the kernel's
 * socket(PF_KEY, SOCK_RAW, PF_KEY_V2) ("kernel") or an AF_UNIX
 * SOCK_SEQPACKET connection to pfkeyemud ("unix:PATH").  Each PF_KEY
 * message is one datagram/record in both cases.
 *
 * A session remembers the messages that arrived while it waited for a
 * reply (broadcasts: ACQUIRE, EXPIRE, other sockets' ADDs...) in a FIFO
 * queue, so pfkey_recv() and pfkey_queued() hand them out later in
 * arrival order.  Waits are bounded with poll() against CLOCK_MONOTONIC.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "pfkey.h"
#include "pfkey_os.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

#define UNIX_PREFIX	"unix:"
#define KERNEL_RCVBUF	(1024 * 1024)	/* room for a long DUMP */

/* Offsets of the fields of struct sadb_msg (host byte order). */
#define HDR_TYPE	1
#define HDR_ERRNO	2
#define HDR_LEN		4
#define HDR_SEQ		8
#define HDR_PID		12

struct pfkey_session {
	int		fd;
	const struct pfkey_dialect *dialect;
	uint32_t	pid;
	uint32_t	seq;		/* last sequence number handed out */
	struct pfkey_queue queue;	/* arrived while waiting for a reply */
	uint8_t		buf[PFKEY_BUFSIZE]; /* scratch: encode and receive */
};

static int
set_error(struct pfkey_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
set_error(struct pfkey_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return code;
}

static const char *
type_name(unsigned type)
{
	const char *name;

	name = pfkey_msg_type_name(type);
	return name != NULL ? name : "UNKNOWN";
}

/* The sadb_msg header fields of a raw message (len >= header size). */
static uint8_t
hdr_type(const struct pfkey_buf *b)
{
	return b->data[HDR_TYPE];
}

static uint8_t
hdr_errno(const struct pfkey_buf *b)
{
	return b->data[HDR_ERRNO];
}

static uint32_t
hdr_u32(const struct pfkey_buf *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b->data + off, sizeof(v));
	return v;
}

/* Milliseconds on the monotonic clock. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What is left of timeout_ms since start: -1 forever, else >= 0. */
static int
remaining_ms(int64_t start, int timeout_ms)
{
	int64_t left;

	if (timeout_ms < 0)
		return -1;
	left = start + timeout_ms - now_ms();
	if (left < 0)
		return 0;
	return (int)left;
}

static bool
expired(int64_t start, int timeout_ms)
{
	return timeout_ms >= 0 && now_ms() - start >= timeout_ms;
}

static void
set_cloexec(int fd)
{
	int flags;

	flags = fcntl(fd, F_GETFD);
	if (flags != -1)
		(void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static int
open_kernel(struct pfkey_error *err)
{
#ifdef PF_KEY
	int fd, size = KERNEL_RCVBUF;

	fd = socket(PF_KEY, SOCK_RAW, PFKEY_VERSION);
	if (fd == -1) {
		int e = errno;
#ifdef __linux__
		set_error(err, e, "kernel PF_KEY socket: %s (is af_key loaded?"
		    " use unix:PATH with pfkeyemud)", strerror(e));
#else
		set_error(err, e, "kernel PF_KEY socket: %s", strerror(e));
#endif
		return -1;
	}
	/* Best effort: a bigger buffer keeps long dumps from ENOBUFS. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	set_cloexec(fd);
	return fd;
#else
	set_error(err, EAFNOSUPPORT,
	    "kernel PF_KEY socket: not available on this system"
	    " (use unix:PATH with pfkeyemud)");
	return -1;
#endif
}

static int
open_unix(const char *path, struct pfkey_error *err)
{
	struct sockaddr_un sun;
	int fd, e;

	if (*path == '\0') {
		set_error(err, EINVAL, "unix: transport needs a socket path");
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		set_error(err, ENAMETOOLONG, "unix:%s: path longer than %zu "
		    "bytes", path, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd == -1) {
		e = errno;
		set_error(err, e, "unix:%s: socket: %s", path, strerror(e));
		return -1;
	}
	set_cloexec(fd);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		e = errno;
		close(fd);
		set_error(err, e, "unix:%s: connect: %s", path, strerror(e));
		return -1;
	}
	return fd;
}

struct pfkey_session *
pfkey_open(const char *spec, struct pfkey_error *err)
{
	struct pfkey_session *s;
	const struct pfkey_dialect *dialect;
	int fd;

	if (spec == NULL) {
		set_error(err, EINVAL, "no PF_KEY transport given (want kernel"
		    " or unix:PATH)");
		return NULL;
	}
	if (strcmp(spec, "kernel") == 0) {
		fd = open_kernel(err);
		dialect = pfkey_dialect_native();
	} else if (strncmp(spec, UNIX_PREFIX, strlen(UNIX_PREFIX)) == 0) {
		fd = open_unix(spec + strlen(UNIX_PREFIX), err);
		dialect = &pfkey_dialect_freebsd;	/* pfkeyemud's */
	} else {
		set_error(err, EINVAL, "unknown PF_KEY transport '%s' (want "
		    "kernel or unix:PATH)", spec);
		return NULL;
	}
	if (fd == -1)
		return NULL;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		close(fd);
		set_error(err, ENOMEM, "PF_KEY session: out of memory");
		return NULL;
	}
	s->fd = fd;
	s->dialect = dialect;
	s->pid = (uint32_t)getpid();
	s->seq = 0;
	pfkey_queue_init(&s->queue);
	return s;
}

void
pfkey_close(struct pfkey_session *s)
{
	if (s == NULL)
		return;
	if (s->fd != -1)
		close(s->fd);
	pfkey_queue_clear(&s->queue);
	explicit_bzero(s->buf, sizeof(s->buf));
	free(s);
}

int
pfkey_fd(const struct pfkey_session *s)
{
	return s->fd;
}

const struct pfkey_dialect *
pfkey_session_dialect(const struct pfkey_session *s)
{
	return s->dialect;
}

uint32_t
pfkey_session_pid(const struct pfkey_session *s)
{
	return s->pid;
}

uint32_t
pfkey_next_seq(struct pfkey_session *s)
{
	s->seq++;
	if (s->seq == 0)	/* 0 means "not set" to pfkey_request */
		s->seq = 1;
	return s->seq;
}

int
pfkey_send_raw(struct pfkey_session *s, const void *data, size_t len,
    struct pfkey_error *err)
{
	ssize_t n;
	int e;

	if (len < PFKEY_MSG_HDRLEN || len > PFKEY_BUFSIZE)
		return set_error(err, EMSGSIZE, "PF_KEY send: bad message "
		    "length %zu", len);
	do {
		n = send(s->fd, data, len, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		e = errno;
		return set_error(err, e, "PF_KEY send: %s", strerror(e));
	}
	if ((size_t)n != len)
		return set_error(err, EIO, "PF_KEY send: short write (%zd of "
		    "%zu bytes)", n, len);
	return 0;
}

int
pfkey_send(struct pfkey_session *s, const struct pfkey_msg *msg,
    struct pfkey_error *err)
{
	size_t len = 0;
	int error;

	error = pfkey_msg_encode(msg, s->dialect, s->buf, sizeof(s->buf),
	    &len, err);
	if (error == 0)
		error = pfkey_send_raw(s, s->buf, len, err);
	explicit_bzero(s->buf, len);	/* it may hold keys */
	return error;
}

/* Wait until the socket is readable: 0, ETIMEDOUT or an errno. */
static int
wait_readable(struct pfkey_session *s, int64_t start, int timeout_ms,
    struct pfkey_error *err)
{
	struct pollfd pfd;
	int n, e;

	for (;;) {
		pfd.fd = s->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, remaining_ms(start, timeout_ms));
		if (n > 0)
			return 0;
		if (n == 0)
			return set_error(err, ETIMEDOUT, "PF_KEY: no message "
			    "within %d ms", timeout_ms);
		if (errno != EINTR) {
			e = errno;
			return set_error(err, e, "PF_KEY poll: %s",
			    strerror(e));
		}
	}
}

/* Check the record framing: a header and a length that matches it. */
static int
check_framing(const uint8_t *data, size_t n, struct pfkey_error *err)
{
	uint16_t words;

	if (n < PFKEY_MSG_HDRLEN)
		return set_error(err, EBADMSG, "PF_KEY recv: %zu-byte record "
		    "is shorter than a message header", n);
	memcpy(&words, data + HDR_LEN, sizeof(words));
	if ((size_t)words * PFKEY_ALIGN != n)
		return set_error(err, EBADMSG, "PF_KEY recv: header says %zu "
		    "bytes, record has %zu", (size_t)words * PFKEY_ALIGN, n);
	return 0;
}

/* Read exactly one record (the socket is readable). */
static int
read_record(struct pfkey_session *s, struct pfkey_buf **bp,
    struct pfkey_error *err)
{
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;
	int e, error;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = s->buf;
	iov.iov_len = sizeof(s->buf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	do {
		n = recvmsg(s->fd, &mh, 0);
	} while (n == -1 && errno == EINTR);
	if (n == 0)
		return set_error(err, EPIPE, "PF_KEY recv: peer closed the "
		    "connection");
	if (n == -1) {
		e = errno;
		if (e == ECONNRESET)
			return set_error(err, e, "PF_KEY recv: connection reset"
			    " by peer");
		return set_error(err, e, "PF_KEY recv: %s", strerror(e));
	}
	if (mh.msg_flags & MSG_TRUNC) {
		explicit_bzero(s->buf, sizeof(s->buf));
		return set_error(err, EMSGSIZE, "PF_KEY recv: record larger "
		    "than %d bytes", PFKEY_BUFSIZE);
	}
	error = check_framing(s->buf, (size_t)n, err);
	if (error == 0) {
		*bp = pfkey_buf_new(s->buf, (size_t)n);
		if (*bp == NULL)
			error = set_error(err, ENOMEM, "PF_KEY recv: out of "
			    "memory");
	}
	explicit_bzero(s->buf, (size_t)n);
	return error;
}

/* Wait (bounded from start) for one record from the socket. */
static int
read_socket(struct pfkey_session *s, struct pfkey_buf **bp, int64_t start,
    int timeout_ms, struct pfkey_error *err)
{
	int error;

	error = wait_readable(s, start, timeout_ms, err);
	if (error != 0)
		return error;
	return read_record(s, bp, err);
}

int
pfkey_recv(struct pfkey_session *s, struct pfkey_buf **bp, int timeout_ms,
    struct pfkey_error *err)
{
	*bp = pfkey_queue_pop(&s->queue);
	if (*bp != NULL)
		return 0;
	return read_socket(s, bp, now_ms(), timeout_ms, err);
}

struct pfkey_buf *
pfkey_queued(struct pfkey_session *s)
{
	return pfkey_queue_pop(&s->queue);
}

size_t
pfkey_queued_count(const struct pfkey_session *s)
{
	return s->queue.count;
}

static int
reply_error(const struct pfkey_msg *reply, struct pfkey_error *err)
{
	return set_error(err, reply->errnum, "%s: %s", type_name(reply->type),
	    strerror(reply->errnum));
}

/*
 * Decode the reply.  A kernel's error reply is often a bare header, which
 * a strict decoder may refuse for missing extensions: keep its header.
 */
static int
decode_reply(struct pfkey_session *s, const struct pfkey_buf *b,
    struct pfkey_msg *reply, struct pfkey_error *err)
{
	int error;

	error = pfkey_msg_decode(b->data, b->len, s->dialect,
	    PFKEY_FROM_KERNEL, reply, err);
	if (error == 0 || hdr_errno(b) == 0)
		return error;
	pfkey_msg_clear(reply);
	pfkey_msg_init(reply, hdr_type(b), b->data[3], hdr_u32(b, HDR_SEQ),
	    hdr_u32(b, HDR_PID));
	reply->errnum = hdr_errno(b);
	return 0;
}

static bool
is_reply(const struct pfkey_buf *b, const struct pfkey_msg *req)
{
	return hdr_type(b) == req->type && hdr_u32(b, HDR_SEQ) == req->seq &&
	    hdr_u32(b, HDR_PID) == req->pid;
}

int
pfkey_request(struct pfkey_session *s, struct pfkey_msg *req,
    struct pfkey_msg *reply, int timeout_ms, struct pfkey_error *err)
{
	struct pfkey_buf *b;
	int64_t start;
	int error;

	if (req->seq == 0)
		req->seq = pfkey_next_seq(s);
	if (req->pid == 0)
		req->pid = s->pid;
	error = pfkey_send(s, req, err);
	if (error != 0)
		return error;

	start = now_ms();
	for (;;) {
		error = read_socket(s, &b, start, timeout_ms, err);
		if (error == ETIMEDOUT)
			return set_error(err, ETIMEDOUT, "%s: no reply within "
			    "%d ms", type_name(req->type), timeout_ms);
		if (error != 0)
			return error;
		if (is_reply(b, req))
			break;
		pfkey_queue_push(&s->queue, b);
		if (expired(start, timeout_ms))
			return set_error(err, ETIMEDOUT, "%s: no reply within "
			    "%d ms", type_name(req->type), timeout_ms);
	}
	error = decode_reply(s, b, reply, err);
	pfkey_chain_free(b);
	if (error != 0)
		return error;
	if (reply->errnum != 0)
		return reply_error(reply, err);
	return 0;
}

static void
chain_append(struct pfkey_buf **head, struct pfkey_buf **tail,
    struct pfkey_buf *b)
{
	b->next = NULL;
	if (*tail == NULL)
		*head = b;
	else
		(*tail)->next = b;
	*tail = b;
}

/*
 * Collect the replies of a DUMP/X_SPDDUMP: same type, our pid, seq counts
 * down to 0 on the last one.  Returns 0 with *chain set (NULL if empty).
 */
static int
collect_dump(struct pfkey_session *s, uint8_t type, struct pfkey_buf **chain,
    int timeout_ms, struct pfkey_error *err)
{
	struct pfkey_buf *b, *tail = NULL;
	int64_t start = now_ms();
	int error, e;

	for (;;) {
		error = read_socket(s, &b, start, timeout_ms, err);
		if (error == ETIMEDOUT)
			return set_error(err, ETIMEDOUT, "%s: no final reply "
			    "within %d ms", type_name(type), timeout_ms);
		if (error != 0)
			return error;
		if (hdr_type(b) != type || hdr_u32(b, HDR_PID) != s->pid) {
			pfkey_queue_push(&s->queue, b);
		} else if (hdr_errno(b) != 0) {
			e = hdr_errno(b);
			pfkey_chain_free(b);
			if (e == ENOENT)	/* nothing to dump */
				return 0;
			return set_error(err, e, "%s: %s", type_name(type),
			    strerror(e));
		} else {
			chain_append(chain, &tail, b);
			if (hdr_u32(tail, HDR_SEQ) == 0)
				return 0;
		}
		if (expired(start, timeout_ms))
			return set_error(err, ETIMEDOUT, "%s: no final reply "
			    "within %d ms", type_name(type), timeout_ms);
	}
}

int
pfkey_dump(struct pfkey_session *s, uint8_t type, uint8_t satype,
    struct pfkey_buf **chain, int timeout_ms, struct pfkey_error *err)
{
	struct pfkey_msg req;
	int error;

	*chain = NULL;
	if (type != PFKEY_DUMP && type != PFKEY_X_SPDDUMP)
		return set_error(err, EINVAL, "pfkey_dump: message type %u is"
		    " neither DUMP nor X_SPDDUMP", type);
	pfkey_msg_init(&req, type, satype, pfkey_next_seq(s), s->pid);
	error = pfkey_send(s, &req, err);
	if (error == 0)
		error = collect_dump(s, type, chain, timeout_ms, err);
	if (error != 0 && *chain != NULL) {
		pfkey_chain_free(*chain);
		*chain = NULL;
	}
	return error;
}
