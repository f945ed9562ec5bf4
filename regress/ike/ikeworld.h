/*
 * ikeworld: the IKE engine in one process, without sockets, kernel or
 * wall clock, for unit tests and the engine's fuzz target.
 *
 * A world is a struct daemon with a configuration parsed from text, the
 * plugin host (DH group 2, and the plugins the text loads), a fake clock,
 * an SA manager whose "kernel" accepts everything, the peers, and the
 * engine (struct ike) with no listening socket.  Datagrams are handed to
 * ike_input as if they came from the first peer's address to ours; what
 * the engine sends goes to a socket that is not open (fd -1), so nothing
 * leaves the process.  There is no PF_KEY session: a quick mode stops at
 * GETSPI.
 *
 *	ikeworld_init(&w, conf_text)	set up (the first peer is "the peer")
 *	ikeworld_input(&w, pkt, len)	one datagram from the peer
 *	ikeworld_advance(&w, ms)	move the clock, run the due timers
 *	ikeworld_established(&w)	a responder phase 1 with fixed keys
 *	ikeworld_protect(&w, p1, ...)	encrypt a cleartext message for p1,
 *					HASH(1)/(2)/(3), the informational
 *					hash or an MM5's HASH_I filled in
 *					when it is a HASH of zero bytes
 *	ikeworld_free(&w)		everything freed
 */
#ifndef OAKLEY_REGRESS_IKEWORLD_H
#define OAKLEY_REGRESS_IKEWORLD_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "ike/ike.h"
#include "peer.h"

/* The addresses of the world: ours and the (first) peer's. */
#define IKEWORLD_ME	"192.0.2.1"
#define IKEWORLD_PEER	"192.0.2.2"

/*
 * The start of ikeworld_conf's peer block: address, PSK, retransmission
 * (1 s, 3 times) and DPD (10 s, 3 retries); the rest is the caller's.
 */
#define IKEWORLD_PEER_HEAD						\
    "peer peer {\n"							\
    "\taddress " IKEWORLD_PEER ";\n"					\
    "\tlocal-address " IKEWORLD_ME ";\n"				\
    "\tauth psk \"a shared secret for the test\";\n"			\
    "\tretransmit interval 1s count 3;\n"				\
    "\tdpd interval 10s retries 3;\n"

/* A configuration with one PSK peer at IKEWORLD_PEER and one policy. */
extern const char ikeworld_conf[];

struct ikeworld {
	struct daemon	 d;
	struct ike	*ike;
	struct ike_sock	 sock;		/* fd -1: sends go nowhere */
	struct pfkey_addr me, them;	/* with port 500 */
	struct peer	*peer;		/* the first peer */
	uint64_t	 now;		/* the fake clock, ms */
	struct isakmp_msg *scratch;	/* for ikeworld_protect */
};

/* 0, or -1 with the reason on stderr. */
int	ikeworld_init(struct ikeworld *, const char *conf_text);
void	ikeworld_free(struct ikeworld *);
void	ikeworld_input(struct ikeworld *, const uint8_t *pkt, size_t len);
/* The same, from another address (text) of the same family. */
void	ikeworld_input_from(struct ikeworld *, const char *addr,
	    const uint8_t *pkt, size_t len);
void	ikeworld_advance(struct ikeworld *, uint64_t ms);
/* Phase 1s of the engine and the half-open ones among them. */
size_t	ikeworld_p1_count(const struct ikeworld *);
/* The newest phase 1 (NULL: none). */
struct ike_p1 *ikeworld_last_p1(const struct ikeworld *);

/*
 * An established responder phase 1 with the peer: AES-128-CBC, SHA1,
 * group 2, cookies 11..11 / 22..22, SKEYID_d/a/e and the cipher key
 * filled with the bytes 0xd0, 0xa0, 0xe0, 0x0e and the IV 0x1f.
 */
struct ike_p1 *ikeworld_established(struct ikeworld *);

/*
 * A cleartext message (header and payloads; cookies, length and the E
 * flag are set here) as the peer would send it under p1: the hash filled
 * (when payload 0 is a HASH of the PRF's length, all zero: any other
 * value is sent as it is; in an MM5 to a responder p1 waiting for it,
 * the first HASH so, filled with HASH_I over the first ID payload),
 * padded, encrypted with the exchange's IV.  *pkt is malloc'ed.  0, or
 * -1 when p1 has no keys yet or the message does not even decode in the
 * clear.
 */
int	ikeworld_protect(struct ikeworld *, struct ike_p1 *,
	    const uint8_t *plain, size_t len, uint8_t **pkt, size_t *pktlen);

/* The profile a phase 1 with the peer starting now would have: 0, -1. */
int	ikeworld_profile(struct ikeworld *, struct oakley_profile *);

/*
 * An MM1 with the first proposal of the peer's profile (as a phase 1
 * starting now would have it), from the peer, icookie given; _vid adds a
 * vendor-ID payload.
 */
int	ikeworld_mm1(struct ikeworld *, const uint8_t *icookie,
	    uint8_t **pkt, size_t *len);
int	ikeworld_mm1_vid(struct ikeworld *, const uint8_t *icookie,
	    const uint8_t *vid, size_t vidlen, uint8_t **pkt, size_t *len);

/*
 * Freed memory that still holds a secret: from ikeworld_watch_frees on,
 * count the blocks freed (by the engine or anything else the program
 * links) that contain the len bytes of secret, which stay the caller's;
 * (or reallocated: the old block may be freed as it is);
 * ikeworld_freed_holding stops and returns the count, or -1 where the
 * system has no malloc_usable_size.  In ikeworld_watch.c: a program
 * that links it links with -Wl,--wrap=free,--wrap=realloc.
 */
void	ikeworld_watch_frees(const uint8_t *secret, size_t len);
long	ikeworld_freed_holding(void);

#endif /* OAKLEY_REGRESS_IKEWORLD_H */
