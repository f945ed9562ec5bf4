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
 * "sent N received M".  Exit 0, or 1 on a usage or socket error.
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
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: iketool mm1 -b BIND -t TARGET [-p PORT] "
	    "[-n COOKIES] [-r REPEAT] [-w WAIT_MS]\n");
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
	while ((ch = getopt(argc, argv, "b:t:p:n:r:w:")) != -1) {
		switch (ch) {
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
	if (o->bind == NULL || o->target == NULL || o->port == 0 ||
	    o->port > 65535)
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

static int
open_socket(const struct opts *o, struct sockaddr_in *to)
{
	struct sockaddr_in from;
	int fd;

	memset(&from, 0, sizeof(from));
	memset(to, 0, sizeof(*to));
	from.sin_family = to->sin_family = AF_INET;
	to->sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->bind, &from.sin_addr) != 1 ||
	    inet_pton(AF_INET, o->target, &to->sin_addr) != 1)
		usage();
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&from, sizeof(from)) == -1) {
		perror("iketool: socket");
		exit(1);
	}
	return fd;
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

	if (argc < 2 || strcmp(argv[1], "mm1") != 0)
		usage();
	memset(&o, 0, sizeof(o));
	parse(argc - 1, argv + 1, &o);
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
