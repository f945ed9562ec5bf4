/*
 * iketool: a raw ISAKMP sender for the engine's robustness tests.
 *
 *	iketool mm1 -b BIND -t TARGET [-p PORT] [-n COOKIES] [-r REPEAT]
 *	    [-w WAIT_MS]
 *
 * Sends, from BIND (an address; the port is chosen by the system), for
 * each of COOKIES initiator cookies REPEAT copies of the same main-mode
 * first message (one proposal: AES-128-CBC, SHA1, pre-shared key, group
 * 2, 28800 s) to TARGET:PORT, then collects answers until WAIT_MS pass
 * without one.  Prints one line per answer,
 *
 *	reply exchange=2 icookie=HEX rcookie=HEX length=N sum=HEX
 *
 * (sum: FNV-1a of the whole datagram, to compare answers), then
 * "sent N received M".
 *
 *	iketool answer -b BIND [-p PORT] -N TYPE [-d CODE] [-w WAIT_MS]
 *
 * Plays a responder that answers with an error: binds BIND:PORT, waits
 * up to WAIT_MS for a main-mode first message and answers it with an
 * unprotected informational message holding one notify of TYPE (DOI
 * IPsec, protocol ISAKMP, no SPI, CODE as 4 bytes of data, default 0),
 * the initiator's cookie and a responder cookie of its own.  Then counts
 * the main-mode messages with that initiator cookie that arrive until
 * WAIT_MS pass without one (the initiator's retransmissions).  Prints
 * "answered icookie=HEX type=TYPE" and "then received N", or "no MM1".
 *
 * Exit 0, or 1 on a usage or socket error.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ike/isakmp.h"

struct opts {
	const char	*bind, *target;
	unsigned	 port, cookies, repeat, wait_ms;
	unsigned	 notify, code;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: iketool mm1 -b BIND -t TARGET [-p PORT] "
	    "[-n COOKIES] [-r REPEAT] [-w WAIT_MS]\n"
	    "       iketool answer -b BIND [-p PORT] -N TYPE [-d CODE] "
	    "[-w WAIT_MS]\n");
	exit(1);
}

static unsigned
number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > 1000000)
		usage();
	return (unsigned)v;
}

static void
parse(int argc, char **argv, struct opts *o)
{
	int ch;

	o->port = 500;
	o->cookies = 1;
	o->repeat = 1;
	o->wait_ms = 1000;
	while ((ch = getopt(argc, argv, "b:t:p:n:r:w:N:d:")) != -1) {
		switch (ch) {
		case 'N':
			o->notify = number(optarg);
			break;
		case 'd':
			o->code = number(optarg);
			break;
		case 'b':
			o->bind = optarg;
			break;
		case 't':
			o->target = optarg;
			break;
		case 'p':
			o->port = number(optarg);
			break;
		case 'n':
			o->cookies = number(optarg);
			break;
		case 'r':
			o->repeat = number(optarg);
			break;
		case 'w':
			o->wait_ms = number(optarg);
			break;
		default:
			usage();
		}
	}
	if (o->bind == NULL || o->port == 0 || o->port > 65535 ||
	    o->notify > 65535)
		usage();
}

/* MM1 with cookie number i; *len set, NULL on error. */
static uint8_t *
build_mm1(unsigned i, size_t *len)
{
	static const struct isakmp_attr_spec attrs[] = {
		{ ISAKMP_ATTR_ENC, ISAKMP_ATTR_INT, 7, NULL, 0 },
		{ ISAKMP_ATTR_KEY_LENGTH, ISAKMP_ATTR_INT, 128, NULL, 0 },
		{ ISAKMP_ATTR_HASH, ISAKMP_ATTR_INT, 2, NULL, 0 },
		{ ISAKMP_ATTR_AUTH, ISAKMP_ATTR_INT, 1, NULL, 0 },
		{ ISAKMP_ATTR_GROUP_DESC, ISAKMP_ATTR_INT, 2, NULL, 0 },
		{ ISAKMP_ATTR_LIFE_TYPE, ISAKMP_ATTR_INT, 1, NULL, 0 },
		{ ISAKMP_ATTR_LIFE_DURATION, ISAKMP_ATTR_INT, 28800, NULL, 0 },
	};
	struct isakmp_transform_spec xf = { 1, ISAKMP_XF_KEY_IKE, attrs,
	    sizeof(attrs) / sizeof(attrs[0]) };
	struct isakmp_proposal_spec prop = { 1, ISAKMP_PROTO_ISAKMP, NULL, 0,
	    &xf, 1 };
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, &prop, 1 };
	struct isakmp_builder b;
	struct isakmp_hdr h;
	uint8_t *out = NULL;
	const uint8_t *msg;

	memset(&h, 0, sizeof(h));
	h.icookie[0] = 0x1c;
	h.icookie[1] = (uint8_t)getpid();
	h.icookie[4] = (uint8_t)(i >> 24);
	h.icookie[5] = (uint8_t)(i >> 16);
	h.icookie[6] = (uint8_t)(i >> 8);
	h.icookie[7] = (uint8_t)i;
	h.exchange = ISAKMP_EXCH_IDPROT;
	if (isakmp_builder_init(&b, &h) == 0 && isakmp_add_sa(&b, &sa) == 0 &&
	    (msg = isakmp_builder_finish(&b, len)) != NULL &&
	    (out = malloc(*len)) != NULL)
		memcpy(out, msg, *len);
	isakmp_builder_free(&b);
	return out;
}

static uint32_t
fnv1a(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	while (len-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void
hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static unsigned
collect(int fd, unsigned wait_ms)
{
	uint8_t buf[65536];
	char ic[17], rc[17];
	struct pollfd pfd = { fd, POLLIN, 0 };
	unsigned n = 0;
	ssize_t len;

	while (poll(&pfd, 1, (int)wait_ms) == 1) {
		if ((len = recv(fd, buf, sizeof(buf), 0)) < ISAKMP_HDR_LEN)
			continue;
		hex(buf, 8, ic);
		hex(buf + 8, 8, rc);
		printf("reply exchange=%u icookie=%s rcookie=%s length=%zd "
		    "sum=%08x\n", buf[18], ic, rc, len,
		    fnv1a(buf, (size_t)len));
		n++;
	}
	return n;
}

/* A UDP socket bound to addr:port (port 0: the system's choice). */
static int
bound_socket(const char *addr, unsigned port)
{
	struct sockaddr_in me;
	int fd;

	memset(&me, 0, sizeof(me));
	me.sin_family = AF_INET;
	me.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &me.sin_addr) != 1)
		usage();
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me)) == -1) {
		perror("iketool: socket");
		exit(1);
	}
	return fd;
}

static int
open_socket(const struct opts *o, struct sockaddr_in *to)
{
	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->target, &to->sin_addr) != 1)
		usage();
	return bound_socket(o->bind, 0);
}

/* ---- answer: an error notify for the first MM1 ---- */

/* A main-mode message of at least a header, from *from; its length. */
static ssize_t
recv_mm(int fd, unsigned wait_ms, uint8_t *buf, size_t size,
    struct sockaddr_in *from)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	socklen_t flen;
	ssize_t len;

	while (poll(&pfd, 1, (int)wait_ms) == 1) {
		flen = sizeof(*from);
		len = recvfrom(fd, buf, size, 0, (struct sockaddr *)from,
		    &flen);
		if (len >= ISAKMP_HDR_LEN && buf[18] == ISAKMP_EXCH_IDPROT)
			return len;
	}
	return -1;
}

static uint8_t *
build_notify(const struct opts *o, const uint8_t *icookie, size_t *len)
{
	struct isakmp_builder b;
	struct isakmp_notify n;
	struct isakmp_hdr h;
	uint8_t data[4], *out = NULL;
	const uint8_t *msg;

	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, icookie, ISAKMP_COOKIE_LEN);
	h.rcookie[0] = 0x2e;
	h.rcookie[7] = (uint8_t)getpid();
	h.exchange = ISAKMP_EXCH_INFO;
	data[0] = (uint8_t)(o->code >> 24);
	data[1] = (uint8_t)(o->code >> 16);
	data[2] = (uint8_t)(o->code >> 8);
	data[3] = (uint8_t)o->code;
	memset(&n, 0, sizeof(n));
	n.doi = ISAKMP_DOI_IPSEC;
	n.protocol = ISAKMP_PROTO_ISAKMP;
	n.type = (uint16_t)o->notify;
	n.data = data;
	n.data_len = sizeof(data);
	if (isakmp_builder_init(&b, &h) == 0 && isakmp_add_notify(&b, &n) ==
	    0 && (msg = isakmp_builder_finish(&b, len)) != NULL &&
	    (out = malloc(*len)) != NULL)
		memcpy(out, msg, *len);
	isakmp_builder_free(&b);
	return out;
}

static int
answer(const struct opts *o)
{
	struct sockaddr_in from, again;
	uint8_t buf[65536], icookie[ISAKMP_COOKIE_LEN], *pkt;
	char ic[17];
	size_t len;
	unsigned n = 0;
	int fd;

	fd = bound_socket(o->bind, o->port);
	if (recv_mm(fd, o->wait_ms, buf, sizeof(buf), &from) == -1) {
		printf("no MM1\n");
		close(fd);
		return 0;
	}
	memcpy(icookie, buf, sizeof(icookie));
	if ((pkt = build_notify(o, icookie, &len)) == NULL) {
		fprintf(stderr, "iketool: cannot build the notify\n");
		return 1;
	}
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&from,
	    sizeof(from)) == -1) {
		perror("iketool: sendto");
		return 1;
	}
	free(pkt);
	hex(icookie, sizeof(icookie), ic);
	printf("answered icookie=%s type=%u\n", ic, o->notify);
	fflush(stdout);
	while (recv_mm(fd, o->wait_ms, buf, sizeof(buf), &again) != -1)
		if (memcmp(buf, icookie, sizeof(icookie)) == 0)
			n++;
	printf("then received %u\n", n);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in to;
	struct opts o;
	uint8_t *pkt;
	size_t len;
	unsigned i, r, sent = 0, got;
	int fd;

	if (argc < 2)
		usage();
	memset(&o, 0, sizeof(o));
	if (strcmp(argv[1], "answer") == 0) {
		parse(argc - 1, argv + 1, &o);
		return answer(&o);
	}
	if (strcmp(argv[1], "mm1") != 0)
		usage();
	parse(argc - 1, argv + 1, &o);
	if (o.target == NULL)
		usage();
	fd = open_socket(&o, &to);
	for (i = 0; i < o.cookies; i++) {
		if ((pkt = build_mm1(i, &len)) == NULL) {
			fprintf(stderr, "iketool: cannot build MM1\n");
			return 1;
		}
		for (r = 0; r < o.repeat; r++) {
			if (sendto(fd, pkt, len, 0, (struct sockaddr *)&to,
			    sizeof(to)) == -1) {
				perror("iketool: sendto");
				return 1;
			}
			sent++;
			usleep(20000);	/* let the answer go before the copy */
		}
		free(pkt);
	}
	got = collect(fd, o.wait_ms);
	printf("sent %u received %u\n", sent, got);
	close(fd);
	return 0;
}
