/*
 * Tests of the libpfkey transport (pfkey/transport.c) against a fake
 * kernel: a child process behind a SOCK_SEQPACKET socket in the test's
 * working directory that answers each test's script with hand-built
 * records.  The child checks what it receives and reports through its
 * exit status; every child is reaped and the socket file removed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "pfkey.h"

#define SOCK_PATH	"fakekernel.sock"
#define CHILD_ALARM	30	/* seconds: a stuck child dies */
#define PEER_WAIT_MS	10000	/* bounded waits in the child */

/* struct sadb_msg, host order, as the fake kernel writes it. */
struct raw_hdr {
	uint8_t		version, type, errnum, satype;
	uint16_t	len, reserved;
	uint32_t	seq, pid;
};

/* Exit codes of the child: which check failed. */
enum {
	CHILD_OK = 0,
	CHILD_ACCEPT = 10,
	CHILD_RECV,
	CHILD_SEND,
	CHILD_UNEXPECTED,
	CHILD_NO_EOF
};

typedef int (*script_fn)(int fd);

/* ---- the fake kernel (child side) ---- */

/* Read one record (bounded wait); returns its length or -1. */
static ssize_t
child_recv(int fd, void *buf, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, PEER_WAIT_MS) != 1)
		return -1;
	return recv(fd, buf, size, 0);
}

static int
recv_hdr(int fd, struct raw_hdr *h)
{
	uint8_t buf[PFKEY_BUFSIZE];
	ssize_t n;

	n = child_recv(fd, buf, sizeof(buf));
	if (n < (ssize_t)sizeof(*h))
		return CHILD_RECV;
	memcpy(h, buf, sizeof(*h));
	if (h->version != PFKEY_VERSION || h->len * 8u != (size_t)n)
		return CHILD_UNEXPECTED;
	return CHILD_OK;
}

static int
send_bytes(int fd, const void *data, size_t len)
{
	if (send(fd, data, len, MSG_NOSIGNAL) != (ssize_t)len)
		return CHILD_SEND;
	return CHILD_OK;
}

/* A header-only message. */
static int
send_hdr(int fd, uint8_t type, uint8_t errnum, uint8_t satype, uint32_t seq,
    uint32_t pid, uint16_t reserved)
{
	struct raw_hdr h;

	memset(&h, 0, sizeof(h));
	h.version = PFKEY_VERSION;
	h.type = type;
	h.errnum = errnum;
	h.satype = satype;
	h.len = sizeof(h) / 8;
	h.reserved = reserved;
	h.seq = seq;
	h.pid = pid;
	return send_bytes(fd, &h, sizeof(h));
}

static int
send_msg(int fd, const struct pfkey_msg *m)
{
	uint8_t buf[4096];
	size_t len = 0;
	int rc;

	if (pfkey_msg_encode(m, &pfkey_dialect_freebsd, buf, sizeof(buf),
	    &len, NULL) != 0)
		return CHILD_SEND;
	rc = send_bytes(fd, buf, len);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

/* Wait for the test to close its end (recv returns 0). */
static int
wait_eof(int fd)
{
	uint8_t buf[PFKEY_BUFSIZE];
	int i;

	for (i = 0; i < 100; i++) {
		if (child_recv(fd, buf, sizeof(buf)) <= 0)
			return CHILD_OK;
	}
	return CHILD_NO_EOF;
}

/* Fork the fake kernel; it is listening before this returns. */
static pid_t
fake_kernel_start(script_fn script)
{
	struct sockaddr_un sun;
	pid_t pid;
	int lfd, fd, rc;

	(void)unlink(SOCK_PATH);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, SOCK_PATH, sizeof(SOCK_PATH));
	lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ATF_REQUIRE(lfd != -1);
	ATF_REQUIRE(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ATF_REQUIRE(listen(lfd, 1) == 0);

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		alarm(CHILD_ALARM);
		fd = accept(lfd, NULL, NULL);
		close(lfd);
		if (fd == -1)
			_exit(CHILD_ACCEPT);
		rc = script(fd);
		close(fd);
		_exit(rc);
	}
	close(lfd);
	return pid;
}

static struct pfkey_session *
fake_kernel_open(void)
{
	struct pfkey_session *s;
	struct pfkey_error err;

	s = pfkey_open("unix:" SOCK_PATH, &err);
	ATF_REQUIRE_MSG(s != NULL, "%s", err.reason);
	ATF_REQUIRE(unlink(SOCK_PATH) == 0);
	return s;
}

/* Reap the child and check that its script passed. */
static void
fake_kernel_wait(pid_t pid)
{
	int status;

	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(status), "fake kernel died (status %#x)",
	    status);
	ATF_CHECK_EQ_MSG(WEXITSTATUS(status), CHILD_OK,
	    "fake kernel script failed with %d", WEXITSTATUS(status));
}

static uint8_t
buf_type(const struct pfkey_buf *b)
{
	return b->data[1];
}

static uint32_t
buf_u32(const struct pfkey_buf *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b->data + off, sizeof(v));
	return v;
}

static uint16_t
buf_reserved(const struct pfkey_buf *b)
{
	uint16_t v;

	memcpy(&v, b->data + 6, sizeof(v));
	return v;
}

#define BUF_SEQ(b)	buf_u32((b), 8)
#define BUF_PID(b)	buf_u32((b), 12)

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- request/reply matching ---- */

/*
 * FLUSH request: first a broadcast (EXPIRE header from pid 0), then a
 * FLUSH reply for another seq, then the reply, then one more broadcast.
 */
static int
script_match(int fd)
{
	struct raw_hdr h;
	int rc;

	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_FLUSH || h.satype != PFKEY_SATYPE_ESP ||
	    h.seq == 0 || h.pid != (uint32_t)getppid())
		return CHILD_UNEXPECTED;
	if ((rc = send_hdr(fd, PFKEY_EXPIRE, 0, 3, 900, 0, 1)) != 0 ||
	    (rc = send_hdr(fd, PFKEY_FLUSH, 0, 3, h.seq + 100, h.pid, 2)) ||
	    (rc = send_hdr(fd, PFKEY_FLUSH, 0, 3, h.seq, h.pid, 3)) ||
	    (rc = send_hdr(fd, PFKEY_ACQUIRE, 0, 3, 901, 0, 4)))
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(request_reply_matching);
ATF_TC_BODY(request_reply_matching, tc)
{
	struct pfkey_session *s;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	struct pfkey_buf *b;
	pid_t pid;

	pid = fake_kernel_start(script_match);
	s = fake_kernel_open();
	pfkey_msg_init(&req, PFKEY_FLUSH, PFKEY_SATYPE_ESP, 0, 0);
	ATF_REQUIRE_EQ_MSG(pfkey_request(s, &req, &reply, 5000, &err), 0,
	    "%s", err.reason);
	ATF_CHECK_EQ(req.seq, 1);
	ATF_CHECK_EQ(req.pid, (uint32_t)getpid());
	ATF_CHECK_EQ(req.pid, pfkey_session_pid(s));
	ATF_CHECK_EQ(reply.type, PFKEY_FLUSH);
	ATF_CHECK_EQ(reply.seq, 1);
	ATF_CHECK_EQ(reply.pid, (uint32_t)getpid());
	ATF_CHECK_EQ(reply.reserved, 3);
	ATF_CHECK_EQ(reply.errnum, 0);

	/* The two early arrivals are queued, in arrival order. */
	ATF_REQUIRE_EQ(pfkey_queued_count(s), 2);
	b = pfkey_queued(s);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_EQ(buf_type(b), PFKEY_EXPIRE);
	ATF_CHECK_EQ(BUF_SEQ(b), 900);
	ATF_CHECK_EQ(buf_reserved(b), 1);
	pfkey_chain_free(b);
	/* pfkey_recv gives the queue first, then the socket. */
	ATF_REQUIRE_EQ(pfkey_recv(s, &b, 0, &err), 0);
	ATF_CHECK_EQ(buf_type(b), PFKEY_FLUSH);
	ATF_CHECK_EQ(BUF_SEQ(b), 101);
	ATF_CHECK_EQ(buf_reserved(b), 2);
	pfkey_chain_free(b);
	ATF_CHECK_EQ(pfkey_queued_count(s), 0);
	ATF_REQUIRE_EQ_MSG(pfkey_recv(s, &b, 5000, &err), 0, "%s",
	    err.reason);
	ATF_CHECK_EQ(buf_type(b), PFKEY_ACQUIRE);
	ATF_CHECK_EQ(BUF_SEQ(b), 901);
	ATF_CHECK_EQ(buf_reserved(b), 4);
	ATF_CHECK_EQ(b->len, 16);
	pfkey_chain_free(b);
	/* Nothing left: timeout 0 does not wait. */
	ATF_CHECK_EQ(pfkey_recv(s, &b, 0, &err), ETIMEDOUT);
	ATF_CHECK_EQ(err.code, ETIMEDOUT);
	ATF_CHECK(pfkey_queued(s) == NULL);

	pfkey_close(s);
	fake_kernel_wait(pid);
}

/* GET: the reply is decoded, SA and keys included. */
static int
script_get(int fd)
{
	struct pfkey_msg reply;
	struct raw_hdr h;
	int rc;

	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_GET || h.seq != 77 || h.pid != 4242)
		return CHILD_UNEXPECTED;
	pfkey_msg_init(&reply, PFKEY_GET, PFKEY_SATYPE_ESP, h.seq, h.pid);
	reply.sa.spi = 0xc1000001;
	reply.sa.state = PFKEY_SASTATE_MATURE;
	reply.sa.encrypt = PFKEY_EALG_AESCBC;
	PFKEY_SET(&reply, PFKEY_EXT_SA);
	pfkey_addr_parse(&reply.addr_src, "198.51.100.1");
	pfkey_addr_parse(&reply.addr_dst, "203.0.113.2");
	PFKEY_SET(&reply, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&reply, PFKEY_EXT_ADDRESS_DST);
	reply.key_encrypt.bits = 128;
	memset(reply.key_encrypt.data, 0x5a, 16);
	PFKEY_SET(&reply, PFKEY_EXT_KEY_ENCRYPT);
	reply.life_current.bytes = 10240;
	PFKEY_SET(&reply, PFKEY_EXT_LIFETIME_CURRENT);
	rc = send_msg(fd, &reply);
	pfkey_msg_clear(&reply);
	if (rc != CHILD_OK)
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(request_decodes_reply);
ATF_TC_BODY(request_decodes_reply, tc)
{
	struct pfkey_session *s;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	uint8_t key[16];
	pid_t pid;

	pid = fake_kernel_start(script_get);
	s = fake_kernel_open();
	/* seq and pid given: kept as they are. */
	pfkey_msg_init(&req, PFKEY_GET, PFKEY_SATYPE_ESP, 77, 4242);
	req.sa.spi = 0xc1000001;
	PFKEY_SET(&req, PFKEY_EXT_SA);
	ATF_REQUIRE(pfkey_addr_parse(&req.addr_src, "198.51.100.1") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&req.addr_dst, "203.0.113.2") == 0);
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_DST);
	ATF_REQUIRE_EQ_MSG(pfkey_request(s, &req, &reply, 5000, &err), 0,
	    "%s", err.reason);
	ATF_CHECK_EQ(req.seq, 77);
	ATF_CHECK_EQ(req.pid, 4242);
	ATF_CHECK_EQ(reply.sa.spi, 0xc1000001);
	ATF_CHECK_EQ(reply.sa.encrypt, PFKEY_EALG_AESCBC);
	ATF_CHECK_EQ(reply.key_encrypt.bits, 128);
	memset(key, 0x5a, sizeof(key));
	ATF_CHECK(memcmp(reply.key_encrypt.data, key, sizeof(key)) == 0);
	ATF_CHECK_EQ(reply.life_current.bytes, 10240);
	ATF_CHECK_EQ(pfkey_queued_count(s), 0);
	pfkey_msg_clear(&reply);
	pfkey_close(s);
	fake_kernel_wait(pid);
}

/* ---- timeouts ---- */

static int
script_silent(int fd)
{
	struct raw_hdr h;
	int rc;

	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(request_timeout);
ATF_TC_BODY(request_timeout, tc)
{
	struct pfkey_session *s;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	int64_t start, elapsed;
	pid_t pid;

	pid = fake_kernel_start(script_silent);
	s = fake_kernel_open();
	pfkey_msg_init(&req, PFKEY_X_SPDFLUSH, PFKEY_SATYPE_UNSPEC, 0, 0);
	start = mono_ms();
	ATF_CHECK_EQ(pfkey_request(s, &req, &reply, 200, &err), ETIMEDOUT);
	elapsed = mono_ms() - start;
	ATF_CHECK_EQ(err.code, ETIMEDOUT);
	ATF_CHECK_STREQ(err.reason, "X_SPDFLUSH: no reply within 200 ms");
	/* It waited for (about) the timeout, not less. */
	ATF_CHECK_MSG(elapsed >= 190, "returned after %lld ms",
	    (long long)elapsed);
	pfkey_close(s);
	fake_kernel_wait(pid);
}

/*
 * Broadcasts keep arriving every 10 ms (at most 500 of them, 5 s): the
 * 100 ms bound still holds across reads, so the request gives up long
 * before the flood ends, with the broadcasts queued.
 */
static int
script_flood(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t buf[PFKEY_BUFSIZE];
	struct raw_hdr h;
	int i, rc;

	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	for (i = 0; i < 500; i++) {
		if (send_hdr(fd, PFKEY_ACQUIRE, 0, 3, 1000 + i, 0, 0) != 0)
			return CHILD_OK;	/* the test closed */
		if (poll(&pfd, 1, 10) == 1 &&
		    recv(fd, buf, sizeof(buf), 0) <= 0)
			return CHILD_OK;
	}
	return CHILD_NO_EOF;
}

ATF_TC_WITHOUT_HEAD(request_timeout_under_flood);
ATF_TC_BODY(request_timeout_under_flood, tc)
{
	struct pfkey_session *s;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	struct pfkey_buf *b;
	size_t n;
	pid_t pid;

	pid = fake_kernel_start(script_flood);
	s = fake_kernel_open();
	pfkey_msg_init(&req, PFKEY_FLUSH, PFKEY_SATYPE_ESP, 0, 0);
	ATF_CHECK_EQ(pfkey_request(s, &req, &reply, 100, &err), ETIMEDOUT);
	n = pfkey_queued_count(s);
	ATF_CHECK_MSG(n >= 1 && n < 500, "%zu queued", n);
	/* Queued in order: seq 1000, 1001, ... */
	b = pfkey_queued(s);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_EQ(BUF_SEQ(b), 1000);
	pfkey_chain_free(b);
	if (n >= 2) {
		b = pfkey_queued(s);
		ATF_REQUIRE(b != NULL);
		ATF_CHECK_EQ(BUF_SEQ(b), 1001);
		pfkey_chain_free(b);
	}
	pfkey_close(s);		/* frees what is still queued */
	fake_kernel_wait(pid);
}

/* ---- error replies ---- */

static int
script_errors(int fd)
{
	struct raw_hdr h;
	int rc;

	/* FLUSH -> ESRCH; ADD -> EEXIST as a bare header. */
	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_FLUSH)
		return CHILD_UNEXPECTED;
	if ((rc = send_hdr(fd, h.type, ESRCH, h.satype, h.seq, h.pid, 0)))
		return rc;
	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_ADD || h.seq != 2)
		return CHILD_UNEXPECTED;
	if ((rc = send_hdr(fd, h.type, EEXIST, h.satype, h.seq, h.pid, 0)))
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(request_errno_reply);
ATF_TC_BODY(request_errno_reply, tc)
{
	struct pfkey_session *s;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	char expected[160];
	pid_t pid;

	pid = fake_kernel_start(script_errors);
	s = fake_kernel_open();

	pfkey_msg_init(&req, PFKEY_FLUSH, PFKEY_SATYPE_ESP, 0, 0);
	ATF_CHECK_EQ(pfkey_request(s, &req, &reply, 5000, &err), ESRCH);
	ATF_CHECK_EQ(err.code, ESRCH);
	ATF_CHECK_EQ(reply.errnum, ESRCH);
	ATF_CHECK_EQ(reply.type, PFKEY_FLUSH);
	snprintf(expected, sizeof(expected), "FLUSH: %s", strerror(ESRCH));
	ATF_CHECK_STREQ(err.reason, expected);

	/* An ADD error reply has no SA or addresses: still an answer. */
	pfkey_msg_init(&req, PFKEY_ADD, PFKEY_SATYPE_ESP, 0, 0);
	req.sa.spi = 0x1000;
	req.sa.state = PFKEY_SASTATE_MATURE;
	req.sa.encrypt = PFKEY_EALG_AESCBC;
	PFKEY_SET(&req, PFKEY_EXT_SA);
	ATF_REQUIRE(pfkey_addr_parse(&req.addr_src, "192.0.2.1") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&req.addr_dst, "192.0.2.2") == 0);
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_DST);
	req.key_encrypt.bits = 128;
	PFKEY_SET(&req, PFKEY_EXT_KEY_ENCRYPT);
	ATF_CHECK_EQ(pfkey_request(s, &req, &reply, 5000, &err), EEXIST);
	ATF_CHECK_EQ(req.seq, 2);
	ATF_CHECK_EQ(reply.errnum, EEXIST);
	ATF_CHECK_EQ(reply.type, PFKEY_ADD);
	ATF_CHECK_EQ(reply.seq, 2);
	snprintf(expected, sizeof(expected), "ADD: %s", strerror(EEXIST));
	ATF_CHECK_STREQ(err.reason, expected);

	pfkey_msg_clear(&req);
	pfkey_close(s);
	fake_kernel_wait(pid);
}

/* ---- dumps ---- */

/*
 * DUMP: a broadcast and another process's DUMP reply interleave with
 * ours (seq 2, 1, 0; reserved marks them 10, 11, 12).
 */
static int
script_dump(int fd)
{
	struct raw_hdr h;
	uint32_t me;
	int rc;

	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_DUMP || h.satype != PFKEY_SATYPE_ESP ||
	    h.pid != (uint32_t)getppid())
		return CHILD_UNEXPECTED;
	me = h.pid;
	if ((rc = send_hdr(fd, PFKEY_DUMP, 0, 3, 2, me, 10)) ||
	    (rc = send_hdr(fd, PFKEY_EXPIRE, 0, 3, 55, 0, 20)) ||
	    (rc = send_hdr(fd, PFKEY_DUMP, 0, 3, 1, me, 11)) ||
	    (rc = send_hdr(fd, PFKEY_DUMP, 0, 3, 0, me + 1, 21)) ||
	    (rc = send_hdr(fd, PFKEY_DUMP, 0, 3, 0, me, 12)))
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(dump_collects_chain);
ATF_TC_BODY(dump_collects_chain, tc)
{
	struct pfkey_session *s;
	struct pfkey_error err;
	struct pfkey_buf *chain, *b;
	pid_t pid;

	pid = fake_kernel_start(script_dump);
	s = fake_kernel_open();
	ATF_REQUIRE_EQ_MSG(pfkey_dump(s, PFKEY_DUMP, PFKEY_SATYPE_ESP, &chain,
	    5000, &err), 0, "%s", err.reason);
	ATF_REQUIRE_EQ(pfkey_chain_length(chain), 3);
	b = chain;
	ATF_CHECK_EQ(BUF_SEQ(b), 2);
	ATF_CHECK_EQ(buf_reserved(b), 10);
	b = b->next;
	ATF_CHECK_EQ(BUF_SEQ(b), 1);
	ATF_CHECK_EQ(buf_reserved(b), 11);
	b = b->next;
	ATF_CHECK_EQ(BUF_SEQ(b), 0);
	ATF_CHECK_EQ(buf_reserved(b), 12);
	ATF_CHECK(b->next == NULL);
	pfkey_chain_free(chain);

	ATF_REQUIRE_EQ(pfkey_queued_count(s), 2);
	b = pfkey_queued(s);
	ATF_CHECK_EQ(buf_type(b), PFKEY_EXPIRE);
	ATF_CHECK_EQ(buf_reserved(b), 20);
	pfkey_chain_free(b);
	b = pfkey_queued(s);
	ATF_CHECK_EQ(buf_type(b), PFKEY_DUMP);
	ATF_CHECK_EQ(buf_reserved(b), 21);
	pfkey_chain_free(b);
	pfkey_close(s);
	fake_kernel_wait(pid);
}

/* SPDDUMP: ENOENT (empty); DUMP: EINVAL. */
static int
script_dump_errors(int fd)
{
	struct raw_hdr h;
	int rc;

	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_X_SPDDUMP || h.satype != PFKEY_SATYPE_UNSPEC)
		return CHILD_UNEXPECTED;
	if ((rc = send_hdr(fd, h.type, ENOENT, 0, 0, h.pid, 0)))
		return rc;
	if ((rc = recv_hdr(fd, &h)) != CHILD_OK)
		return rc;
	if (h.type != PFKEY_DUMP)
		return CHILD_UNEXPECTED;
	if ((rc = send_hdr(fd, h.type, 0, 3, 1, h.pid, 0)) ||
	    (rc = send_hdr(fd, h.type, EINVAL, 3, 0, h.pid, 0)))
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(dump_empty_and_error);
ATF_TC_BODY(dump_empty_and_error, tc)
{
	struct pfkey_session *s;
	struct pfkey_error err;
	struct pfkey_buf *chain = (struct pfkey_buf *)&err;
	char expected[160];
	pid_t pid;

	pid = fake_kernel_start(script_dump_errors);
	s = fake_kernel_open();
	ATF_CHECK_EQ(pfkey_dump(s, PFKEY_X_SPDDUMP, PFKEY_SATYPE_UNSPEC,
	    &chain, 5000, &err), 0);
	ATF_CHECK(chain == NULL);

	/* A failure mid-dump frees what was collected. */
	chain = (struct pfkey_buf *)&err;
	ATF_CHECK_EQ(pfkey_dump(s, PFKEY_DUMP, PFKEY_SATYPE_ESP, &chain, 5000,
	    &err), EINVAL);
	ATF_CHECK(chain == NULL);
	snprintf(expected, sizeof(expected), "DUMP: %s", strerror(EINVAL));
	ATF_CHECK_STREQ(err.reason, expected);

	ATF_CHECK_EQ(pfkey_dump(s, PFKEY_FLUSH, 0, &chain, 5000, &err),
	    EINVAL);
	ATF_CHECK(chain == NULL);
	ATF_CHECK_EQ(pfkey_queued_count(s), 0);
	pfkey_close(s);
	fake_kernel_wait(pid);
}

/* ---- the peer going away, bad records ---- */

static int
script_close(int fd)
{
	struct raw_hdr h;

	return recv_hdr(fd, &h);	/* then close without answering */
}

ATF_TC_WITHOUT_HEAD(peer_closes);
ATF_TC_BODY(peer_closes, tc)
{
	struct pfkey_session *s;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	struct pfkey_buf *b;
	pid_t pid;
	int rc;

	pid = fake_kernel_start(script_close);
	s = fake_kernel_open();
	pfkey_msg_init(&req, PFKEY_FLUSH, PFKEY_SATYPE_ESP, 0, 0);
	rc = pfkey_request(s, &req, &reply, 5000, &err);
	ATF_CHECK_MSG(rc == EPIPE || rc == ECONNRESET, "rc %d: %s", rc,
	    err.reason);
	ATF_CHECK_EQ(err.code, rc);
	if (rc == EPIPE)
		ATF_CHECK_STREQ(err.reason,
		    "PF_KEY recv: peer closed the connection");
	fake_kernel_wait(pid);

	/* Reads keep failing; a send fails with EPIPE, no SIGPIPE. */
	rc = pfkey_recv(s, &b, 1000, &err);
	ATF_CHECK_MSG(rc == EPIPE || rc == ECONNRESET, "rc %d", rc);
	ATF_CHECK_EQ(pfkey_send(s, &req, &err), EPIPE);
	ATF_CHECK_EQ(err.code, EPIPE);
	pfkey_close(s);
}

static int
script_bad_records(int fd)
{
	uint8_t big[PFKEY_BUFSIZE + 8];
	struct raw_hdr h;
	int rc;

	memset(&h, 0, sizeof(h));
	h.version = PFKEY_VERSION;
	h.type = PFKEY_EXPIRE;
	h.len = 3;		/* 24 bytes claimed, 16 sent */
	if ((rc = send_bytes(fd, &h, 8)) ||
	    (rc = send_bytes(fd, &h, sizeof(h))))
		return rc;
	memset(big, 0, sizeof(big));
	big[0] = PFKEY_VERSION;
	if ((rc = send_bytes(fd, big, sizeof(big))))
		return rc;
	return wait_eof(fd);
}

ATF_TC_WITHOUT_HEAD(bad_records);
ATF_TC_BODY(bad_records, tc)
{
	struct pfkey_session *s;
	struct pfkey_error err;
	struct pfkey_buf *b = NULL;
	pid_t pid;

	pid = fake_kernel_start(script_bad_records);
	s = fake_kernel_open();
	ATF_CHECK_EQ(pfkey_recv(s, &b, 5000, &err), EBADMSG);
	ATF_CHECK_STREQ(err.reason, "PF_KEY recv: 8-byte record is shorter "
	    "than a message header");
	ATF_CHECK_EQ(pfkey_recv(s, &b, 5000, &err), EBADMSG);
	ATF_CHECK_STREQ(err.reason, "PF_KEY recv: header says 24 bytes, "
	    "record has 16");
	ATF_CHECK_EQ(pfkey_recv(s, &b, 5000, &err), EMSGSIZE);
	ATF_CHECK_STREQ(err.reason, "PF_KEY recv: record larger than 65536 "
	    "bytes");
	pfkey_close(s);
	fake_kernel_wait(pid);
}

/* ---- opening ---- */

ATF_TC_WITHOUT_HEAD(open_bad_specs);
ATF_TC_BODY(open_bad_specs, tc)
{
	struct pfkey_error err;
	char longpath[300];

	ATF_CHECK(pfkey_open("foo", &err) == NULL);
	ATF_CHECK_EQ(err.code, EINVAL);
	ATF_CHECK_STREQ(err.reason, "unknown PF_KEY transport 'foo' (want "
	    "kernel or unix:PATH)");
	ATF_CHECK(pfkey_open("", &err) == NULL);
	ATF_CHECK_EQ(err.code, EINVAL);
	ATF_CHECK_STREQ(err.reason, "unknown PF_KEY transport '' (want "
	    "kernel or unix:PATH)");
	ATF_CHECK(pfkey_open("Kernel", &err) == NULL);
	ATF_CHECK_EQ(err.code, EINVAL);
	ATF_CHECK(pfkey_open(NULL, &err) == NULL);
	ATF_CHECK_EQ(err.code, EINVAL);
	ATF_CHECK(pfkey_open("unix:", &err) == NULL);
	ATF_CHECK_EQ(err.code, EINVAL);
	ATF_CHECK_STREQ(err.reason, "unix: transport needs a socket path");
	ATF_CHECK(pfkey_open("unix:no-such-dir/sock", &err) == NULL);
	ATF_CHECK_EQ(err.code, ENOENT);
	ATF_CHECK_STREQ(err.reason, "unix:no-such-dir/sock: connect: No such "
	    "file or directory");
	memset(longpath, 'x', sizeof(longpath) - 1);
	memcpy(longpath, "unix:", 5);
	longpath[sizeof(longpath) - 1] = '\0';
	ATF_CHECK(pfkey_open(longpath, &err) == NULL);
	ATF_CHECK_EQ(err.code, ENAMETOOLONG);
}

/* "kernel" works where PF_KEY exists; elsewhere it says what to do. */
ATF_TC_WITHOUT_HEAD(open_kernel);
ATF_TC_BODY(open_kernel, tc)
{
	struct pfkey_session *s;
	struct pfkey_error err;
	const char *prefix = "kernel PF_KEY socket: ";

	s = pfkey_open("kernel", &err);
	if (s != NULL) {
		ATF_CHECK(pfkey_fd(s) >= 0);
		ATF_CHECK(pfkey_session_dialect(s) == pfkey_dialect_native());
		pfkey_close(s);
		return;
	}
	ATF_CHECK(err.code != 0);
	ATF_CHECK_MSG(strncmp(err.reason, prefix, strlen(prefix)) == 0,
	    "%s", err.reason);
#ifdef __linux__
	ATF_CHECK_MSG(strstr(err.reason, strerror(err.code)) != NULL &&
	    strstr(err.reason, "(is af_key loaded? use unix:PATH with "
	    "pfkeyemud)") != NULL, "%s", err.reason);
#endif
}

ATF_TC_WITHOUT_HEAD(session_basics);
ATF_TC_BODY(session_basics, tc)
{
	struct pfkey_session *s;
	pid_t pid;

	pid = fake_kernel_start(script_silent);
	s = fake_kernel_open();
	ATF_CHECK(pfkey_session_dialect(s) == &pfkey_dialect_freebsd);
	ATF_CHECK_EQ(pfkey_session_pid(s), (uint32_t)getpid());
	ATF_CHECK(pfkey_fd(s) >= 0);
	ATF_CHECK_EQ(pfkey_next_seq(s), 1);
	ATF_CHECK_EQ(pfkey_next_seq(s), 2);
	{
		struct pfkey_error err;
		uint8_t hdr[16] = { PFKEY_VERSION, PFKEY_FLUSH, 0, 0, 2, 0 };

		ATF_CHECK_EQ(pfkey_send_raw(s, hdr, 8, &err), EMSGSIZE);
		ATF_CHECK_EQ(pfkey_send_raw(s, hdr, sizeof(hdr), &err), 0);
	}
	pfkey_close(s);
	fake_kernel_wait(pid);
	pfkey_close(NULL);
}

ATF_TP_ADD_TCS(tp)
{
	signal(SIGPIPE, SIG_DFL);	/* a SIGPIPE would fail the test */
	ATF_TP_ADD_TC(tp, request_reply_matching);
	ATF_TP_ADD_TC(tp, request_decodes_reply);
	ATF_TP_ADD_TC(tp, request_timeout);
	ATF_TP_ADD_TC(tp, request_timeout_under_flood);
	ATF_TP_ADD_TC(tp, request_errno_reply);
	ATF_TP_ADD_TC(tp, dump_collects_chain);
	ATF_TP_ADD_TC(tp, dump_empty_and_error);
	ATF_TP_ADD_TC(tp, peer_closes);
	ATF_TP_ADD_TC(tp, bad_records);
	ATF_TP_ADD_TC(tp, open_bad_specs);
	ATF_TP_ADD_TC(tp, open_kernel);
	ATF_TP_ADD_TC(tp, session_basics);
	return atf_no_error();
}
