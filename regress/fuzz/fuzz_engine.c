/*
 * libFuzzer target for the IKE engine as a responder, in one process
 * (regress/ike/ikeworld.h: no sockets, no kernel, a fake clock).  Each
 * input sets up a world with the configuration below, feeds it datagrams
 * as if from the peer, and frees everything (LeakSanitizer sees what an
 * input left behind).  Every log message is formatted, at debug level,
 * into /dev/null (to stderr with FUZZ_ENGINE_LOG set in the environment,
 * to see what a seed reaches).
 *
 * Input: one byte of world options, then up to FUZZ_MAX_DGRAMS records
 *
 *	ctl (1 byte)  length (2 bytes, big-endian)  datagram (length bytes)
 *
 * (a length past the end takes what is left).  World options:
 *
 *	0x01	start with an established phase 1 (ikeworld_established:
 *		cookies 11..11/22..22, AES-128, SHA1, group 2, fixed keys)
 *	0x02	after the last datagram, run the clock for ten minutes
 *	0x04	after the last datagram, run the clock for nine hours (past
 *		a phase 1's lifetime, 8 hours by default)
 *
 * ctl, for the record's datagram:
 *
 *	0x01	protect it (ikeworld_protect) under the target phase 1:
 *		cookies set, a HASH of zero bytes filled in (quick mode,
 *		informational, an MM5's HASH_I), encrypted; skipped when
 *		the target has no keys or the datagram does not decode
 *	0x02	the target is the established phase 1 of option 0x01 (by
 *		its cookies) instead of the newest phase 1
 *	0x04	the target's cookies into the header (as a peer echoes the
 *		responder cookie it got in MM2)
 *	0x08	from another address (not the peer's)
 *	0xf0	before it, advance the clock by n * n * 500 ms, n = ctl >> 4
 *
 * A record of length 0 only advances the clock.  The seed corpus is
 * regress/fuzz/corpus/engine/ (made by regress/fuzz/capture_seeds.sh).
 *
 * Out of reach: a quick mode past GETSPI (the world has no kernel, so
 * the responder never sends QM2), the initiator's side (no sockets to
 * start from), and the plugins (none is loaded: NAT-D payloads, for one,
 * are refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/ike.h"
#include "log.h"

#include "ikeworld.h"

#define FUZZ_MAX_DGRAMS	16
#define FUZZ_MAX_INPUT	(64 * 1024)

#define W_ESTABLISHED	0x01
#define W_RUN_CLOCK	0x02
#define W_RUN_LIFE	0x04

#define C_PROTECT	0x01
#define C_ESTABLISHED	0x02
#define C_COOKIES	0x04
#define C_STRANGER	0x08

#define FUZZ_STRANGER	"192.0.2.99"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * ikeworld_conf's peer, with the main-mode proposals of oakleyd's
 * default, charon's (aes128-sha256) and Windows' legacy (3DES) peers, and
 * beside the transport policy the tunnels of the charon seeds and of the
 * ISAKMP target's hand-made quick modes.
 */
static const char fuzz_conf[] =
    IKEWORLD_PEER_HEAD
    "\tphase1 encryption aes128 hash sha1 group modp1024;\n"
    "\tphase1 encryption aes128 hash sha256 group modp1024;\n"
    "\tphase1 encryption 3des hash sha1 group modp1024;\n"
    "\tphase2 encryption aes128 auth hmac-sha1 pfs none;\n"
    "\tphase2 encryption aes128 auth hmac-sha256 pfs modp1024;\n"
    "\tpolicy local " IKEWORLD_ME " remote " IKEWORLD_PEER
    " transport require;\n"
    "\tpolicy local 198.51.100.0/24 remote 203.0.113.0/24 tunnel "
    "require;\n"
    "\tpolicy local 203.0.113.0/24 remote 192.0.2.0/24 tunnel require;\n"
    "}\n";

static const uint8_t est_icookie[ISAKMP_COOKIE_LEN] = {
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11
};
static const uint8_t est_rcookie[ISAKMP_COOKIE_LEN] = {
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null;

	(void)argc;
	(void)argv;
	log_init("fuzz_engine", true, LOG_LEVEL_DEBUG);
	if (getenv("FUZZ_ENGINE_LOG") != NULL)
		return 0;
	if ((null = fopen("/dev/null", "w")) == NULL) {
		perror("fuzz_engine: /dev/null");
		abort();
	}
	log_set_stream(null);
	return 0;
}

/* The established phase 1 of W_ESTABLISHED, if it is still there. */
static struct ike_p1 *
established(const struct ikeworld *w)
{
	struct ike_p1 *p1;

	TAILQ_FOREACH(p1, &w->ike->p1s, link)
		if (memcmp(p1->entry.icookie, est_icookie,
		    ISAKMP_COOKIE_LEN) == 0 &&
		    memcmp(p1->entry.rcookie, est_rcookie,
		    ISAKMP_COOKIE_LEN) == 0)
			return p1;
	return NULL;
}

static void
one(struct ikeworld *w, uint8_t ctl, const uint8_t *data, size_t len)
{
	struct ike_p1 *p1;
	uint8_t *pkt = NULL, *copy = NULL;
	size_t pktlen;
	unsigned n = ctl >> 4;

	if (n != 0)
		ikeworld_advance(w, (uint64_t)n * n * 500);
	if (len == 0)
		return;
	p1 = (ctl & C_ESTABLISHED) ? established(w) : ikeworld_last_p1(w);
	if (ctl & C_PROTECT) {
		if (p1 == NULL ||
		    ikeworld_protect(w, p1, data, len, &pkt, &pktlen) == -1)
			return;
		data = pkt;
		len = pktlen;
	} else if ((ctl & C_COOKIES) && p1 != NULL &&
	    len >= 2 * ISAKMP_COOKIE_LEN) {
		if ((copy = malloc(len)) == NULL)
			abort();
		memcpy(copy, data, len);
		memcpy(copy, p1->entry.icookie, ISAKMP_COOKIE_LEN);
		memcpy(copy + ISAKMP_COOKIE_LEN, p1->entry.rcookie,
		    ISAKMP_COOKIE_LEN);
		data = copy;
	}
	if (ctl & C_STRANGER)
		ikeworld_input_from(w, FUZZ_STRANGER, data, len);
	else
		ikeworld_input(w, data, len);
	free(pkt);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ikeworld w;
	size_t off, len;
	unsigned count;
	uint8_t opts, ctl;

	if (size < 1 || size > FUZZ_MAX_INPUT)
		return 0;
	if (ikeworld_init(&w, fuzz_conf) != 0)
		abort();
	opts = data[0];
	if ((opts & W_ESTABLISHED) && ikeworld_established(&w) == NULL)
		abort();
	off = 1;
	for (count = 0; count < FUZZ_MAX_DGRAMS && size - off >= 3; count++) {
		ctl = data[off];
		len = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		one(&w, ctl, data + off, len);
		off += len;
	}
	if (opts & W_RUN_CLOCK)
		ikeworld_advance(&w, 600 * 1000);
	if (opts & W_RUN_LIFE)
		ikeworld_advance(&w, 9 * 3600 * 1000);
	ikeworld_free(&w);
	return 0;
}
