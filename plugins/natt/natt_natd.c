/*
 * NAT discovery (RFC 3947 3.2) in main mode: the NAT-D payloads of
 * messages 3 and 4, what they say about who is behind a NAT, the Windows
 * rule for servers behind NAT, and the move to the NAT-T ports from
 * message 5 on (RFC 3947 4).
 *
 * A NAT-D payload is HASH(CKY-I | CKY-R | IP | Port) with the phase 1's
 * negotiated hash; the first one of a message hashes the address the
 * sender sends to, the others the addresses it sends from.  So a first
 * hash that is not that of our own address means we are behind a NAT,
 * and no other hash matching the packet's source means the peer is.
 */
#include <sys/socket.h>

#include <string.h>

#include "natt.h"

#define COOKIE_LEN	8

int
natt_natd_hash(const struct oakley_host *h, struct oakley_phase1 *p1,
    const struct oakley_addr *a, uint8_t *out, size_t outlen)
{
	uint8_t buf[2 * COOKIE_LEN + 16 + 2];
	size_t n = 2 * COOKIE_LEN, alen;

	if (a->family == AF_INET)
		alen = 4;
	else if (a->family == AF_INET6)
		alen = 16;
	else
		return -1;
	h->engine->phase1_cookies(p1, buf, buf + COOKIE_LEN);
	memcpy(buf + n, a->addr, alen);
	n += alen;
	buf[n++] = (uint8_t)(a->port >> 8);
	buf[n++] = (uint8_t)(a->port & 0xff);
	return h->engine->phase1_hash(p1, buf, n, out, outlen);
}

/* The source and destination of a message, as it travels. */
static int
msg_ends(const struct oakley_host *h, struct oakley_msg *m,
    struct oakley_addr *src, struct oakley_addr *dst)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase1 *p1 = e->msg_phase1(m);
	bool in = e->msg_inbound(m);

	if (e->msg_source(m, src) == 0 && e->msg_destination(m, dst) == 0)
		return 0;
	if (in)
		return e->phase1_remote(p1, src) == 0 &&
		    e->phase1_local(p1, dst) == 0 ? 0 : -1;
	return e->phase1_local(p1, src) == 0 &&
	    e->phase1_remote(p1, dst) == 0 ? 0 : -1;
}

static int
add_natd(const struct oakley_host *h, struct oakley_msg *m, uint8_t type,
    const struct oakley_addr *a)
{
	struct oakley_phase1 *p1 = h->engine->msg_phase1(m);
	uint8_t hash[NATT_HASH_MAX];
	int len;

	if ((len = natt_natd_hash(h, p1, a, hash, sizeof(hash))) <= 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot compute a NAT-D "
		    "hash", natt_peer_name(h, p1));
		return -1;
	}
	return h->engine->msg_add_payload(m, type, hash, (size_t)len);
}

/* Main-mode message 3 or 4 going out: NAT-D of where to, then from. */
int
natt_natd_build(const struct oakley_host *h, struct oakley_msg *m)
{
	struct oakley_phase1 *p1 = h->engine->msg_phase1(m);
	struct oakley_addr src, dst;
	int rev = natt_rev(h, natt_p1_find(p1));

	if (rev == NATT_NONE)
		return 0;
	if (msg_ends(h, m, &src, &dst) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: no addresses for NAT-D",
		    natt_peer_name(h, p1));
		return -1;
	}
	if (add_natd(h, m, natt_versions[rev].natd, &dst) != 0 ||
	    add_natd(h, m, natt_versions[rev].natd, &src) != 0)
		return -1;
	return 0;
}

/* Whether a received NAT-D payload is one to read; logs why not. */
static bool
natd_wanted(const struct oakley_host *h, struct oakley_msg *m, uint8_t type,
    int rev)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase1 *p1 = e->msg_phase1(m);
	unsigned num = e->msg_number(m);

	if (rev == NATT_NONE) {
		h->log(h, OAKLEY_LOG_INFO, "peer %s sent NAT-D without "
		    "announcing NAT-T; ignored", natt_peer_name(h, p1));
		return false;
	}
	if (type != natt_versions[rev].natd) {
		h->log(h, OAKLEY_LOG_INFO, "peer %s sent NAT-D as payload %u, "
		    "but %s uses %u; ignored", natt_peer_name(h, p1),
		    (unsigned)type, natt_versions[rev].name,
		    (unsigned)natt_versions[rev].natd);
		return false;
	}
	if (e->msg_exchange(m) != OAKLEY_EXCH_MAIN || (num != 3 && num != 4)) {
		h->log(h, OAKLEY_LOG_INFO, "peer %s sent NAT-D in exchange %u "
		    "message %u; ignored", natt_peer_name(h, p1),
		    e->msg_exchange(m), num);
		return false;
	}
	return true;
}

/* The message is dropped: forget its NAT-D read so far. */
static int
natd_drop(struct natt_p1 *st)
{
	st->rx_msg = 0;
	st->rx_count = 0;
	return -1;
}

int
natt_natd_parse(const struct oakley_host *h, struct oakley_msg *m,
    uint8_t type, const uint8_t *body, size_t len)
{
	struct oakley_phase1 *p1 = h->engine->msg_phase1(m);
	struct oakley_addr src, dst;
	uint8_t want[NATT_HASH_MAX];
	struct natt_p1 *st;
	unsigned num = h->engine->msg_number(m);
	int hlen;
	bool match;

	if ((st = natt_p1_get(h, p1)) == NULL)
		return -1;
	if (!natd_wanted(h, m, type, natt_rev(h, st)))
		return 0;
	if (st->rx_msg != num) {
		st->rx_msg = num;
		st->rx_count = 0;
		st->rx_dst_match = st->rx_src_match = false;
	}
	if (msg_ends(h, m, &src, &dst) != 0 ||
	    (hlen = natt_natd_hash(h, p1, st->rx_count == 0 ? &dst : &src,
	    want, sizeof(want))) <= 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot compute a NAT-D "
		    "hash", natt_peer_name(h, p1));
		return natd_drop(st);
	}
	if (len != (size_t)hlen) {
		h->log(h, OAKLEY_LOG_WARN, "peer %s: NAT-D payload of %zu "
		    "bytes, the negotiated hash has %d; message dropped",
		    natt_peer_name(h, p1), len, hlen);
		return natd_drop(st);
	}
	match = memcmp(body, want, len) == 0;
	if (st->rx_count++ == 0)
		st->rx_dst_match = match;
	else
		st->rx_src_match = st->rx_src_match || match;
	return 0;
}

static const char *
nat_word(const struct natt_p1 *st)
{
	if (st->nat_local && st->nat_remote)
		return "both";
	if (st->nat_local)
		return "local";
	return st->nat_remote ? "remote" : "none";
}

static const char *
nat_sentence(const struct natt_p1 *st)
{
	if (st->nat_local && st->nat_remote)
		return "both ends are behind NATs";
	if (st->nat_local)
		return "we are behind a NAT";
	return st->nat_remote ? "the peer is behind a NAT" :
	    "no NAT between us";
}

/* After main-mode message 3 or 4 was read: the verdict. */
void
natt_natd_finish(const struct oakley_host *h, struct oakley_msg *m)
{
	struct oakley_phase1 *p1 = h->engine->msg_phase1(m);
	struct natt_p1 *st = natt_p1_find(p1);
	unsigned num = h->engine->msg_number(m);
	int rev = natt_rev(h, st);

	if (rev == NATT_NONE)
		return;
	if (st->rx_msg != num || st->rx_count == 0) {
		h->log(h, OAKLEY_LOG_INFO, "peer %s announced %s but sent no "
		    "NAT-D: no NAT traversal", natt_peer_name(h, p1),
		    natt_versions[rev].name);
		return;
	}
	st->detected = true;
	st->nat_local = !st->rx_dst_match;
	st->nat_remote = !st->rx_src_match;
	st->rx_msg = 0;
	st->rx_count = 0;
	h->flag_set_str(h, h->engine->phase1_flags(p1), "natt.nat",
	    nat_word(st));
	h->log(h, OAKLEY_LOG_INFO, "peer %s: NAT-T %s, %s",
	    natt_peer_name(h, p1), natt_versions[rev].name, nat_sentence(st));
}

/*
 * AssumeUDPEncapsulationContextOnSendRule, applied by the initiator
 * (Windows' client): 0 no SA with a responder behind a NAT, 1 a responder
 * behind a NAT allowed, 2 both ends behind NATs allowed too.
 */
const char *
natt_send_rule_refuses(unsigned rule, bool nat_local, bool nat_remote)
{
	if (!nat_remote || rule >= 2)
		return NULL;
	if (rule == 0)
		return "the responder (server) is behind a NAT";
	return nat_local ? "both ends are behind NATs" : NULL;
}

/* Main-mode message 5 being built by the initiator. */
int
natt_float_initiator(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	struct natt_p1 *st = natt_p1_find(p1);
	const char *why;

	if (st == NULL || !st->detected || (!st->nat_local && !st->nat_remote))
		return 0;
	why = natt_send_rule_refuses(natt_conf.send_rule, st->nat_local,
	    st->nat_remote);
	if (why != NULL) {
		h->flag_set_int(h, h->engine->phase1_flags(p1),
		    "natt.refused", natt_conf.send_rule);
		h->log(h, OAKLEY_LOG_NOTICE, "peer %s: refused by "
		    NATT_SEND_RULE_KEY " %u: %s (%s allows it)",
		    natt_peer_name(h, p1), natt_conf.send_rule, why,
		    st->nat_local ? "2" : "1 or 2");
		return -1;
	}
	if (h->engine->phase1_float(p1) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot move to the NAT-T "
		    "port", natt_peer_name(h, p1));
		return -1;
	}
	st->floated = true;
	natt_note_remote(h, p1);
	h->log(h, OAKLEY_LOG_INFO, "peer %s: moved to the NAT-T port",
	    natt_peer_name(h, p1));
	return 0;
}

/* Main-mode message 5 read by the responder: did it come to the NAT-T port? */
void
natt_float_responder(const struct oakley_host *h, struct oakley_msg *m)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase1 *p1 = e->msg_phase1(m);
	struct oakley_addr dst, local;
	struct natt_p1 *st = natt_p1_find(p1);

	if (natt_rev(h, st) == NATT_NONE || st->floated ||
	    e->msg_destination(m, &dst) != 0 ||
	    e->phase1_local(p1, &local) != 0 || dst.port == local.port)
		return;
	if (e->phase1_float(p1) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot move to the NAT-T "
		    "port", natt_peer_name(h, p1));
		return;
	}
	st->floated = true;
	natt_note_remote(h, p1);
	h->log(h, OAKLEY_LOG_INFO, "peer %s moved to the NAT-T port",
	    natt_peer_name(h, p1));
}
