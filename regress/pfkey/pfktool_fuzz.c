/*
 * pfktool: raw bytes and random messages for pfkeyemud's robustness
 * tests, sent on a plain SOCK_SEQPACKET connection (no libpfkey framing
 * checks in the way).
 *
 *   raw HEX...          send the bytes, print "type=N errno=NAME" of the
 *                       reply (or "timeout")
 *   fuzzsend COUNT SEED [all]
 *                       send COUNT mutants of valid messages (truncated,
 *                       bytes flipped, bogus message/extension lengths
 *                       and types, appended or random garbage), read and
 *                       discard the replies, print
 *                       "sent=N replies=N errors=N"
 *
 *   noread COUNT SECONDS
 *                       send COUNT DUMP requests and read nothing, print
 *                       "flooded", keep the socket open SECONDS, exit
 *
 * fuzzsend must not change the SADB or SPD by luck: a mutant that still
 * decodes as a valid message is sent only if its type only reads (GET,
 * DUMP, X_SPDGET, X_SPDDUMP); otherwise it is mutated again, and after a
 * few tries its version byte is broken.  So "the dump is the same after
 * the fuzz" is a fair test.  With "all", every mutant is sent as it is,
 * valid state-changing ones included (a test of survival, not of state).
 * The same SEED sends the same messages.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pfktool.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

#define FUZZ_BUF	1024
#define MAX_TEMPLATES	20
#define MAX_EXTS	32
#define REMUTATE_TRIES	8
#define QUIET_MS	300		/* final drain: this long silent */
#define DRAIN_MAX_MS	15000		/* final drain: at most this long */

struct sample {
	uint8_t		buf[FUZZ_BUF];
	size_t		len;
};

struct fuzz {
	struct sample	tpl[MAX_TEMPLATES];
	unsigned	ntpl;
	uint32_t	rng;
	bool		all;		/* send valid state changers too */
	unsigned long	replies, errors;
	uint8_t		rxbuf[PFKEY_BUFSIZE];
};

static uint32_t
rnd(struct fuzz *fz)
{
	uint32_t x = fz->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	fz->rng = x;
	return x;
}

static void
set_host(struct pfkey_addr *a, const char *text)
{
	tool_parse_host(a, text);
}

static void
add_template(struct fuzz *fz, struct pfkey_msg *m)
{
	struct sample *s = &fz->tpl[fz->ntpl];
	struct pfkey_error err;

	if (fz->ntpl == MAX_TEMPLATES)
		return;
	m->seq = 1000 + fz->ntpl;
	m->pid = (uint32_t)getpid();
	if (pfkey_msg_encode(m, &pfkey_dialect_freebsd, s->buf, sizeof(s->buf),
	    &s->len, &err) != 0) {
		fprintf(stderr, "pfktool: template %u: %s\n", fz->ntpl,
		    err.reason);
		return;
	}
	fz->ntpl++;
}

static void
sa_template(struct fuzz *fz, uint8_t type, uint8_t satype, uint32_t spi,
    bool v6)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, type, satype, 0, 0);
	set_host(&m.addr_src, v6 ? "2001:db8::1" : "192.0.2.1");
	set_host(&m.addr_dst, v6 ? "2001:db8::2" : "192.0.2.2");
	m.present = (1u << PFKEY_EXT_ADDRESS_SRC) |
	    (1u << PFKEY_EXT_ADDRESS_DST) | (1u << PFKEY_EXT_SA) |
	    (1u << PFKEY_EXT_X_SA2) | (1u << PFKEY_EXT_LIFETIME_HARD) |
	    (1u << PFKEY_EXT_LIFETIME_SOFT) | (1u << PFKEY_EXT_KEY_AUTH) |
	    (1u << PFKEY_EXT_IDENTITY_SRC);
	m.sa.spi = spi;
	m.sa.state = PFKEY_SASTATE_MATURE;
	m.sa.auth = PFKEY_AALG_SHA1HMAC;
	m.key_auth.bits = 160;
	memset(m.key_auth.data, 0xa5, 20);
	m.sa2.mode = PFKEY_MODE_TUNNEL;
	m.sa2.reqid = 5;
	m.life_hard.addtime = 3600;
	m.life_soft.addtime = 2880;
	m.ident_src.type = 2;
	m.ident_src.len = 11;
	memcpy(m.ident_src.data, "example.org", 12);
	if (satype == PFKEY_SATYPE_ESP) {
		m.sa.encrypt = PFKEY_EALG_AESCBC;
		m.key_encrypt.bits = 128;
		memset(m.key_encrypt.data, 0x5a, 16);
		m.natt_type = PFKEY_NAT_T_ESPINUDP;
		m.natt_sport = m.natt_dport = 4500;
		set_host(&m.natt_oai, "192.0.2.10");
		m.present |= (1u << PFKEY_EXT_KEY_ENCRYPT) |
		    (1u << PFKEY_EXT_X_NAT_T_TYPE) |
		    (1u << PFKEY_EXT_X_NAT_T_SPORT) |
		    (1u << PFKEY_EXT_X_NAT_T_DPORT);
		if (!v6)
			m.present |= 1u << PFKEY_EXT_X_NAT_T_OAI;
	}
	add_template(fz, &m);
	pfkey_msg_clear(&m);
}

static void
small_template(struct fuzz *fz, uint8_t type, uint8_t satype, uint32_t exts)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, type, satype, 0, 0);
	set_host(&m.addr_src, "192.0.2.1");
	set_host(&m.addr_dst, "192.0.2.2");
	m.sa.spi = 0x3000;
	m.spirange.min = 0x1000;
	m.spirange.max = 0x1fff;
	m.sa2.mode = PFKEY_MODE_TRANSPORT;
	m.policy.id = 1;
	m.proposal.ncomb = 1;
	m.proposal.comb[0].auth = PFKEY_AALG_SHA1HMAC;
	m.proposal.comb[0].encrypt = PFKEY_EALG_AESCBC;
	m.present = exts;
	add_template(fz, &m);
}

static void
spd_template(struct fuzz *fz)
{
	struct pfkey_msg m;
	struct pfkey_ipsecrequest *r;

	pfkey_msg_init(&m, PFKEY_X_SPDADD, 0, 0, 0);
	set_host(&m.addr_src, "192.0.2.0");
	set_host(&m.addr_dst, "198.51.100.0");
	m.addr_src.prefixlen = m.addr_dst.prefixlen = 24;
	m.addr_src.proto = m.addr_dst.proto = 6;
	m.addr_dst.port = 80;
	m.policy.type = PFKEY_POLICY_IPSEC;
	m.policy.dir = PFKEY_DIR_OUTBOUND;
	m.policy.nreq = 2;
	r = &m.policy.req[0];
	r->proto = 50;
	r->mode = PFKEY_MODE_TUNNEL;
	r->level = PFKEY_LEVEL_REQUIRE;
	r->has_endpoints = true;
	set_host(&r->src, "203.0.113.1");
	set_host(&r->dst, "203.0.113.2");
	r = &m.policy.req[1];
	r->proto = 51;
	r->mode = PFKEY_MODE_TRANSPORT;
	r->level = PFKEY_LEVEL_UNIQUE;
	r->reqid = 7;
	m.life_hard.addtime = 60;
	m.present = (1u << PFKEY_EXT_ADDRESS_SRC) |
	    (1u << PFKEY_EXT_ADDRESS_DST) | (1u << PFKEY_EXT_X_POLICY) |
	    (1u << PFKEY_EXT_LIFETIME_HARD);
	add_template(fz, &m);
}

static void
build_templates(struct fuzz *fz)
{
	const uint32_t sd = (1u << PFKEY_EXT_ADDRESS_SRC) |
	    (1u << PFKEY_EXT_ADDRESS_DST);
	const uint32_t pol = 1u << PFKEY_EXT_X_POLICY;

	sa_template(fz, PFKEY_ADD, PFKEY_SATYPE_ESP, 0x2000, false);
	sa_template(fz, PFKEY_UPDATE, PFKEY_SATYPE_ESP, 0x2001, false);
	sa_template(fz, PFKEY_ADD, PFKEY_SATYPE_AH, 0x2002, true);
	small_template(fz, PFKEY_GETSPI, PFKEY_SATYPE_ESP,
	    sd | (1u << PFKEY_EXT_SPIRANGE) | (1u << PFKEY_EXT_X_SA2));
	small_template(fz, PFKEY_DELETE, PFKEY_SATYPE_ESP,
	    sd | (1u << PFKEY_EXT_SA));
	small_template(fz, PFKEY_DELETE, PFKEY_SATYPE_ESP, sd);
	small_template(fz, PFKEY_GET, PFKEY_SATYPE_ESP,
	    sd | (1u << PFKEY_EXT_SA));
	small_template(fz, PFKEY_DUMP, PFKEY_SATYPE_UNSPEC, 0);
	small_template(fz, PFKEY_FLUSH, PFKEY_SATYPE_ESP, 0);
	small_template(fz, PFKEY_REGISTER, PFKEY_SATYPE_ESP, 0);
	small_template(fz, PFKEY_ACQUIRE, PFKEY_SATYPE_ESP,
	    sd | (1u << PFKEY_EXT_PROPOSAL));
	small_template(fz, PFKEY_X_PROMISC, 1, 0);
	spd_template(fz);
	small_template(fz, PFKEY_X_SPDDELETE2, 0, pol);
	small_template(fz, PFKEY_X_SPDGET, 0, pol);
	small_template(fz, PFKEY_X_SPDDUMP, 0, 0);
	small_template(fz, PFKEY_X_SPDFLUSH, 0, 0);
}

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Offsets of the extensions that lie inside the message. */
static unsigned
ext_offsets(const struct sample *s, size_t *off)
{
	size_t o = PFKEY_MSG_HDRLEN, len;
	uint16_t words;
	unsigned n = 0;

	while (o + 4 <= s->len && n < MAX_EXTS) {
		memcpy(&words, s->buf + o, sizeof(words));
		len = (size_t)words * PFKEY_ALIGN;
		if (len == 0 || o + len > s->len)
			break;
		off[n++] = o;
		o += len;
	}
	return n;
}

static uint16_t
bogus_len(struct fuzz *fz, uint16_t real)
{
	switch (rnd(fz) % 5) {
	case 0:
		return 0;
	case 1:
		return (uint16_t)(real + 1);
	case 2:
		return (uint16_t)(real - 1);
	case 3:
		return 0xffff;
	}
	return (uint16_t)rnd(fz);
}

static void
mutate_ext(struct fuzz *fz, struct sample *s, bool type)
{
	size_t off[MAX_EXTS];
	unsigned n = ext_offsets(s, off);
	uint16_t words;
	size_t o;

	if (n == 0)
		return;
	o = off[rnd(fz) % n];
	if (type) {
		put16(s->buf + o + 2, (uint16_t)(rnd(fz) % 2 ? 0 :
		    29 + rnd(fz) % 1000));
		return;
	}
	memcpy(&words, s->buf + o, sizeof(words));
	put16(s->buf + o, bogus_len(fz, words));
}

static void
garbage(struct fuzz *fz, struct sample *s)
{
	size_t i;

	s->len = 1 + rnd(fz) % 512;
	for (i = 0; i < s->len; i++)
		s->buf[i] = (uint8_t)rnd(fz);
	if (s->len >= PFKEY_MSG_HDRLEN && rnd(fz) % 2) {
		/* A plausible header, so the extension walk gets a go. */
		s->len &= ~(size_t)7;
		s->buf[0] = PFKEY_VERSION;
		s->buf[1] = (uint8_t)(1 + rnd(fz) % PFKEY_MSG_MAX);
		put16(s->buf + 4, (uint16_t)(s->len / PFKEY_ALIGN));
	}
}

static void
mutate(struct fuzz *fz, struct sample *s)
{
	uint16_t words;
	size_t i, extra;

	switch (rnd(fz) % 8) {
	case 0:
		if (s->len > 1)
			s->len = 1 + rnd(fz) % (s->len - 1);
		break;
	case 1:
		for (i = 0; i < 1 + rnd(fz) % 4; i++)
			s->buf[rnd(fz) % s->len] ^= (uint8_t)(1 + rnd(fz) % 255);
		break;
	case 2:
		if (s->len >= 6) {
			memcpy(&words, s->buf + 4, sizeof(words));
			put16(s->buf + 4, bogus_len(fz, words));
		}
		break;
	case 3:
	case 4:
		mutate_ext(fz, s, rnd(fz) % 2);
		break;
	case 5:
		garbage(fz, s);
		break;
	case 6:
		extra = 8 * (1 + rnd(fz) % 4);
		if (s->len + extra <= FUZZ_BUF) {
			for (i = 0; i < extra; i++)
				s->buf[s->len + i] = (uint8_t)rnd(fz);
			s->len += extra;
			if (rnd(fz) % 2 && s->len % PFKEY_ALIGN == 0)
				put16(s->buf + 4,
				    (uint16_t)(s->len / PFKEY_ALIGN));
		}
		break;
	default:
		s->buf[0] = (uint8_t)(PFKEY_VERSION + 1 + rnd(fz) % 250);
		break;
	}
}

/* Would the daemon treat it as a valid request that may change state? */
static bool
harmless(const struct sample *s)
{
	struct pfkey_msg m;
	uint8_t type;

	if (s->len < PFKEY_MSG_HDRLEN)
		return true;
	if (s->len == PFKEY_MSG_HDRLEN && s->buf[1] == PFKEY_ACQUIRE)
		return true;	/* at most releases a pending ACQUIRE */
	if (pfkey_msg_decode(s->buf, s->len, &pfkey_dialect_freebsd,
	    PFKEY_TO_KERNEL, &m, NULL) != 0)
		return true;
	type = m.type;
	pfkey_msg_clear(&m);
	return type == PFKEY_GET || type == PFKEY_DUMP ||
	    type == PFKEY_X_SPDGET || type == PFKEY_X_SPDDUMP;
}

static void
make_mutant(struct fuzz *fz, struct sample *s)
{
	unsigned tries, k;

	for (tries = 0; tries < REMUTATE_TRIES; tries++) {
		*s = fz->tpl[rnd(fz) % fz->ntpl];
		for (k = 0; k < 1 + rnd(fz) % 3; k++)
			mutate(fz, s);
		if (fz->all || harmless(s))
			return;
	}
	s->buf[0] = 0;		/* a bad version: surely refused */
}

/* Read what is there (waiting up to wait_ms for the first); -1 if gone. */
static int
drain(struct fuzz *fz, int fd, int wait_ms, unsigned *got)
{
	struct pollfd pfd;
	ssize_t n;

	*got = 0;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, *got == 0 ? wait_ms : 0) > 0) {
		n = recv(fd, fz->rxbuf, sizeof(fz->rxbuf), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0)
			return -1;
		fz->replies++;
		(*got)++;
		if (n >= 3 && fz->rxbuf[2] != 0)
			fz->errors++;
	}
	return 0;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
final_drain(struct fuzz *fz, int fd)
{
	int64_t start = now_ms();
	unsigned got;

	do {
		if (drain(fz, fd, QUIET_MS, &got) == -1)
			return -1;
	} while (got > 0 && now_ms() - start < DRAIN_MAX_MS);
	return 0;
}

static int
fuzz_run(struct fuzz *fz, int fd, uint32_t count)
{
	struct sample s;
	unsigned got;
	uint32_t i;

	for (i = 0; i < count; i++) {
		make_mutant(fz, &s);
		if (send(fd, s.buf, s.len, MSG_NOSIGNAL) != (ssize_t)s.len) {
			fprintf(stderr, "pfktool: send %u: %s\n", i,
			    strerror(errno));
			return tool_fail(errno);
		}
		if (drain(fz, fd, 0, &got) == -1)
			return tool_fail(EPIPE);
	}
	if (final_drain(fz, fd) == -1)
		return tool_fail(EPIPE);
	printf("sent=%u replies=%lu errors=%lu\n", count, fz->replies,
	    fz->errors);
	return 0;
}

int
cmd_fuzzsend(struct tool *t, int argc, char **argv)
{
	struct fuzz *fz;
	uint32_t count, seed;
	int fd, rc;

	if (argc < 2 || argc > 3 || tool_parse_u32(argv[0], &count) == -1 ||
	    tool_parse_u32(argv[1], &seed) == -1 ||
	    (argc == 3 && strcmp(argv[2], "all") != 0))
		return tool_usage("fuzzsend COUNT SEED [all]");
	if ((fz = calloc(1, sizeof(*fz))) == NULL)
		return tool_fail(ENOMEM);
	fz->rng = seed != 0 ? seed : 0x2545f491;
	fz->all = argc == 3;
	build_templates(fz);
	if (fz->ntpl == 0 || (fd = tool_raw_connect(t->path)) == -1) {
		fprintf(stderr, "pfktool: cannot start the fuzz\n");
		free(fz);
		return 2;
	}
	rc = fuzz_run(fz, fd, count);
	close(fd);
	free(fz);
	return rc;
}

int
cmd_raw(struct tool *t, int argc, char **argv)
{
	uint8_t buf[FUZZ_BUF], reply[PFKEY_BUFSIZE];
	struct pollfd pfd;
	char hex[4 * FUZZ_BUF];
	ssize_t n;
	int fd, len, i;

	hex[0] = '\0';
	for (i = 0; i < argc; i++)
		if (strlen(hex) + strlen(argv[i]) + 2 < sizeof(hex)) {
			strcat(hex, argv[i]);
			strcat(hex, " ");
		}
	if (argc < 1 || (len = tool_hex_decode(hex, buf, sizeof(buf))) <= 0)
		return tool_usage("raw HEX...");
	if ((fd = tool_raw_connect(t->path)) == -1)
		return 2;
	if (send(fd, buf, (size_t)len, MSG_NOSIGNAL) != len) {
		close(fd);
		return tool_fail(errno);
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, t->timeout_ms) <= 0 ||
	    (n = recv(fd, reply, sizeof(reply), 0)) < 3) {
		close(fd);
		printf("timeout\n");
		return 1;
	}
	close(fd);
	printf("type=%u errno=%s\n", reply[1],
	    reply[2] == 0 ? "0" : tool_errname(reply[2]));
	return 0;
}

/* A client that asks and never reads: the daemon must not stall. */
int
cmd_noread(struct tool *t, int argc, char **argv)
{
	uint8_t hdr[PFKEY_MSG_HDRLEN];
	uint32_t count, seconds, i, pid = (uint32_t)getpid();
	uint16_t words = PFKEY_MSG_HDRLEN / PFKEY_ALIGN;
	int fd;

	if (argc != 2 || tool_parse_u32(argv[0], &count) == -1 ||
	    tool_parse_u32(argv[1], &seconds) == -1 || seconds > 600)
		return tool_usage("noread COUNT SECONDS");
	if ((fd = tool_raw_connect(t->path)) == -1)
		return 2;
	memset(hdr, 0, sizeof(hdr));
	hdr[0] = PFKEY_VERSION;
	hdr[1] = PFKEY_DUMP;
	memcpy(hdr + 4, &words, sizeof(words));
	memcpy(hdr + 12, &pid, sizeof(pid));
	for (i = 0; i < count; i++) {
		memcpy(hdr + 8, &i, sizeof(i));
		if (send(fd, hdr, sizeof(hdr), MSG_NOSIGNAL) != sizeof(hdr)) {
			close(fd);
			return tool_fail(errno);
		}
	}
	printf("flooded\n");
	fflush(stdout);
	poll(NULL, 0, (int)seconds * 1000);
	close(fd);
	return 0;
}
