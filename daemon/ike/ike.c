/*
 * The IKE engine object and what drives it.
 *
 * Requests.  The negotiation entry point (negotiate.c) hands every
 * ACQUIRE, initiate and rekey of a peer to ike_request_cb.  The engine
 * turns each into "wants": one per policy of the peer that needs an SA
 * pair (a kernel ACQUIRE names one policy, "oakleyctl initiate" all of
 * them, a rekey the policy of the expiring pair).  A want already there
 * absorbs a new request for the same policy (an ACQUIRE arriving during
 * a rekey starts nothing new).  Then ike_peer_advance: with an
 * established phase 1, a quick mode per want; with one being negotiated
 * (either side), wait for it; otherwise start main mode.  When the last
 * want is done the peer's request is finished (ike_finished); a want
 * that failed for a kernel ACQUIRE is reported to the kernel so the next
 * packet asks again.
 *
 * Input.  A datagram's header picks the exchange: main mode by cookies
 * (a new responder for an MM1 with a zero responder cookie), quick mode
 * and informational under the phase 1 their cookies name.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "conf.h"
#include "daemon.h"
#include "engine.h"
#include "ike.h"
#include "ike/dh.h"
#include "kernel.h"
#include "log.h"
#include "negotiate.h"
#include "peer.h"
#include "policy.h"
#include "sa.h"

static const uint8_t zero_cookie[ISAKMP_COOKIE_LEN];

void
ike_random(uint8_t *buf, size_t len)
{
	if (RAND_bytes(buf, (int)len) != 1)
		log_fatal("IKE: the random generator failed");
}

uint32_t
ike_random32(void)
{
	uint8_t b[4];

	ike_random(b, sizeof(b));
	return ike_get32(b);
}

int
ike_nonce(struct ike_buf *n)
{
	if (ike_buf_alloc(n, IKE_NONCE_LEN) == -1)
		return -1;
	ike_random(n->data, n->len);
	return 0;
}

int
ike_dh_keygen(uint16_t group, const struct oakley_dh_group **g,
    struct oakley_dh_key **key, struct ike_buf *pub)
{
	if ((*g = dh_group(group)) == NULL ||
	    ike_buf_alloc(pub, (*g)->public_len) == -1)
		return -1;
	*key = dh_keygen(*g, pub->data, pub->len);
	return *key != NULL ? 0 : -1;
}

const char *
ike_peer_name(const struct peer *p)
{
	return p != NULL && p->conf != NULL ? p->conf->name : "?";
}

struct peer *
ike_peer_by_addr(struct ike *ike, const struct pfkey_addr *a)
{
	struct peer *p;

	TAILQ_FOREACH(p, &ike->d->peers, link)
		if (ike_addr_same_host(&p->conf->address, a))
			return p;
	return NULL;
}

struct ike_peer *
ike_peer_state(struct peer *p)
{
	struct ike_peer *ip;

	if (p->ike != NULL)
		return p->ike;
	if ((ip = calloc(1, sizeof(*ip))) == NULL)
		return NULL;
	TAILQ_INIT(&ip->wants);
	TAILQ_INIT(&ip->pairs);
	p->ike = ip;
	return ip;
}

/* ---- Wants ---- */

static struct ike_want *
want_find(struct ike_peer *ip, size_t policy)
{
	struct ike_want *w;

	TAILQ_FOREACH(w, &ip->wants, link)
		if (w->policy == policy)
			return w;
	return NULL;
}

static void
want_add(struct ike_peer *ip, size_t policy, const struct ike_request *r,
    uint64_t rekey_of)
{
	struct ike_want *w;

	if ((w = want_find(ip, policy)) != NULL) {
		if (r->trigger == IKE_TRIGGER_ACQUIRE) {
			w->seq = r->seq;
			w->satype = r->satype;
			w->acquire = true;
		}
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return;
	w->policy = policy;
	w->seq = r->seq;
	w->satype = r->satype != 0 ? r->satype : PFKEY_SATYPE_ESP;
	w->acquire = r->trigger == IKE_TRIGGER_ACQUIRE;
	w->rekey_of = rekey_of;
	TAILQ_INSERT_TAIL(&ip->wants, w, link);
}

static int
failure_errno(enum oakley_failure why)
{
	switch (why) {
	case OAKLEY_FAIL_NO_RESPONSE:
	case OAKLEY_FAIL_TIMEOUT:
		return ETIMEDOUT;
	case OAKLEY_FAIL_AUTH:
		return EACCES;
	case OAKLEY_FAIL_NO_PROPOSAL:
		return ENOPROTOOPT;
	default:
		return ECONNABORTED;
	}
}

static void
want_free(struct ike_peer *ip, struct ike_want *w)
{
	if (w->p2 != NULL)
		w->p2->want = NULL;
	TAILQ_REMOVE(&ip->wants, w, link);
	free(w);
}

static void
peer_finish(struct peer *peer, struct ike_peer *ip)
{
	if (!ip->busy || !TAILQ_EMPTY(&ip->wants))
		return;
	ip->busy = false;
	ike_finished(peer, !ip->failed);
	ip->failed = false;
}

static void
want_fail(struct ike *ike, struct ike_peer *ip, struct ike_want *w,
    enum oakley_failure why)
{
	if (w->acquire && ike->d->kernel != NULL)
		kernel_acquire_failed(ike->d->kernel, w->seq, w->satype,
		    failure_errno(why));
	ip->failed = true;
	want_free(ip, w);
}

void
ike_want_done(struct ike *ike, struct peer *peer, struct ike_want *w,
    bool ok)
{
	struct ike_peer *ip = ike_peer_state(peer);

	if (ip == NULL)
		return;
	if (ok)
		want_free(ip, w);
	else
		want_fail(ike, ip, w, OAKLEY_FAIL_OTHER);
	peer_finish(peer, ip);
}

void
ike_want_met(struct ike *ike, struct peer *peer, size_t policy)
{
	struct ike_peer *ip = peer->ike;
	struct ike_want *w;

	(void)ike;
	if (ip == NULL || (w = want_find(ip, policy)) == NULL || w->p2 != NULL)
		return;
	log_info("IKE: peer %s: SAs for policy %zu negotiated by the peer; "
	    "our request is met", ike_peer_name(peer), policy + 1);
	want_free(ip, w);
	peer_finish(peer, ip);
}

static void
ike_peer_advance(struct ike *ike, struct peer *peer)
{
	struct ike_peer *ip = ike_peer_state(peer);
	struct ike_want *w, *next;
	struct ike_p1 *p1;

	if (ip == NULL || ike->stopping)
		return;
	if (TAILQ_EMPTY(&ip->wants)) {
		peer_finish(peer, ip);
		return;
	}
	if ((p1 = p1_established_for(ike, peer)) != NULL) {
		for (w = TAILQ_FIRST(&ip->wants); w != NULL; w = next) {
			next = TAILQ_NEXT(w, link);
			if (w->p2 != NULL)
				continue;
			if (w->policy == SIZE_MAX) {
				want_free(ip, w);
				continue;
			}
			p2_initiate(p1, w);	/* a failure removes w */
			if (p1_established_for(ike, peer) != p1)
				return;
		}
		peer_finish(peer, ip);
		return;
	}
	if (p1_negotiating_for(ike, peer) != NULL)
		return;
	if (p1_initiate(ike, peer) == -1)
		ike_peer_p1_failed(ike, peer, true, OAKLEY_FAIL_OTHER);
}

void
ike_peer_p1_up(struct ike *ike, struct ike_p1 *p1)
{
	ike_peer_advance(ike, p1->peer);
}

void
ike_peer_p1_failed(struct ike *ike, struct peer *peer, bool initiator,
    enum oakley_failure why)
{
	struct ike_peer *ip = peer->ike;
	struct ike_want *w, *next;

	if (ip == NULL || ike->stopping)
		return;
	if (!initiator) {
		ike_peer_advance(ike, peer);
		return;
	}
	if (p1_established_for(ike, peer) != NULL ||
	    p1_negotiating_for(ike, peer) != NULL) {
		ike_peer_advance(ike, peer);
		return;
	}
	for (w = TAILQ_FIRST(&ip->wants); w != NULL; w = next) {
		next = TAILQ_NEXT(w, link);
		if (w->p2 == NULL)
			want_fail(ike, ip, w, why);
	}
	peer_finish(peer, ip);
}

/* ---- Requests from the negotiation entry point ---- */

/* The peer's policies an ACQUIRE is for (policy_matches_acquire's rules). */
static bool
policy_wants_acquire(const struct conf_peer *cp, size_t i,
    const struct ike_request *r)
{
	struct conf_peer one = *cp;
	struct pfkey_msg m;

	one.policies = &cp->policies[i];
	one.npolicies = 1;
	pfkey_msg_init(&m, PFKEY_ACQUIRE, r->satype, r->seq, 0);
	if (r->reqid != 0) {
		m.sa2.reqid = r->reqid;
		PFKEY_SET(&m, PFKEY_EXT_X_SA2);
	}
	if (r->src.family != 0) {
		m.addr_src = r->src;
		PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	}
	if (r->dst.family != 0) {
		m.addr_dst = r->dst;
		PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	}
	return policy_matches_acquire(&one, &m);
}

static void
ike_request_cb(void *arg, struct peer *peer, const struct ike_request *r)
{
	struct ike *ike = arg;
	struct ike_peer *ip = ike_peer_state(peer);
	const struct conf_peer *cp = peer->conf;
	struct ike_pair *pair;
	size_t i, added = 0;

	if (ip == NULL)
		return;
	switch (r->trigger) {
	case IKE_TRIGGER_REKEY:
		if ((pair = ike_pair_by_spi(peer, r->spi)) == NULL ||
		    pair->rekeying || pair->rekeyed)
			break;
		pair->rekeying = true;
		want_add(ip, pair->policy, r, pair->serial);
		added++;
		break;
	case IKE_TRIGGER_ACQUIRE:
		for (i = 0; i < cp->npolicies; i++)
			if (policy_wants_acquire(cp, i, r)) {
				want_add(ip, i, r, 0);
				added++;
				break;
			}
		if (added == 0 && cp->npolicies > 0) {
			want_add(ip, 0, r, 0);
			added++;
		}
		break;
	default:
		for (i = 0; i < cp->npolicies; i++, added++)
			want_add(ip, i, r, 0);
		if (cp->npolicies == 0) {
			want_add(ip, SIZE_MAX, r, 0);
			added++;
		}
		break;
	}
	ip->busy = ike_pending(peer) != NULL;
	if (added == 0 && r->trigger == IKE_TRIGGER_ACQUIRE &&
	    ike->d->kernel != NULL)
		kernel_acquire_failed(ike->d->kernel, r->seq, r->satype,
		    ENOENT);
	ike_peer_advance(ike, peer);
}

/* Detach every want, so deleting phase 1s below reports nothing. */
static void
wants_clear(struct ike_peer *ip)
{
	struct ike_want *w;

	while ((w = TAILQ_FIRST(&ip->wants)) != NULL)
		want_free(ip, w);
	ip->busy = false;
	ip->failed = false;
}

/* Our inbound SPIs of the peer's pairs: DELETE them over p1. */
static void
delete_pairs(struct ike_p1 *p1, struct ike_peer *ip)
{
	struct ike_pair *pair;
	uint8_t *spis;
	unsigned n = 0, count = 0;

	TAILQ_FOREACH(pair, &ip->pairs, link)
		count++;
	if (count == 0 || (spis = calloc(count, 4)) == NULL)
		return;
	TAILQ_FOREACH(pair, &ip->pairs, link) {
		ike_put32(spis + 4 * n, pair->spi_in);
		n++;
	}
	info_send_delete(p1, ISAKMP_PROTO_ESP, spis, 4, n);
	free(spis);
}

static void
peer_drop_state(struct ike *ike, struct peer *peer, bool send_deletes)
{
	struct ike_peer *ip = peer->ike;
	struct ike_p1 *p1, *next;

	if (ip != NULL)
		wants_clear(ip);
	if (send_deletes && ip != NULL &&
	    (p1 = p1_established_for(ike, peer)) != NULL)
		delete_pairs(p1, ip);
	for (p1 = TAILQ_FIRST(&ike->p1s); p1 != NULL; p1 = next) {
		next = TAILQ_NEXT(p1, link);
		if (p1->peer == peer)
			p1_delete(p1, OAKLEY_FAIL_DELETED, send_deletes);
	}
	if (ip != NULL)
		ike_pairs_free(ip);
}

static void
ike_terminate_cb(void *arg, struct peer *peer)
{
	struct ike *ike = arg;
	bool stopping = ike->stopping;

	ike->stopping = true;
	peer_drop_state(ike, peer, true);
	ike->stopping = stopping;
}

static void
ike_peer_gone_cb(void *arg, struct peer *peer)
{
	struct ike *ike = arg;
	bool stopping = ike->stopping;

	ike->stopping = true;
	peer_drop_state(ike, peer, !stopping);
	ike->stopping = stopping;
	free(peer->ike);
	peer->ike = NULL;
}

static const struct ike_engine_ops engine_ops = {
	.request = ike_request_cb,
	.terminate = ike_terminate_cb,
	.peer_gone = ike_peer_gone_cb,
};

/* ---- Input ---- */

static struct ike_p1 *
p1_of(struct p1_entry *e)
{
	return (struct ike_p1 *)(void *)e;
}

void
p1_note_rx(struct ike_p1 *p1, struct ike_sock *sock,
    const struct pfkey_addr *from, const struct pfkey_addr *to)
{
	p1->rx_sock = sock;
	p1->rx_from = *from;
	p1->rx_to = *to;
}

void
ike_input(struct ike *ike, struct ike_sock *sock, const uint8_t *pkt,
    size_t len, const struct pfkey_addr *from, const struct pfkey_addr *to)
{
	struct isakmp_hdr h;
	struct isakmp_error err;
	struct p1_entry *e;
	struct ike_p1 *p1;
	char where[80];
	bool first;

	ike->stats.rx++;
	ike_addr_text(from, where, sizeof(where));
	if (isakmp_hdr_decode(pkt, len, &h, &err) == -1) {
		log_debug("IKE: from %s: %s; dropped", where, err.reason);
		ike->stats.dropped++;
		return;
	}
	if (h.exchange == ISAKMP_EXCH_IDPROT && h.msgid != 0) {
		log_debug("IKE: main-mode message from %s with message ID "
		    "%08x; dropped", where, h.msgid);
		ike->stats.dropped++;
		return;
	}
	first = memcmp(h.rcookie, zero_cookie, ISAKMP_COOKIE_LEN) == 0;
	if (h.exchange == ISAKMP_EXCH_IDPROT && first) {
		e = p1_table_find_first(&ike->table, h.icookie, from);
		if (e != NULL && p1_of(e)->initiator)
			return;		/* our own cookie coming back */
		if (e != NULL)
			p1_note_rx(p1_of(e), sock, from, to);
		p1_input(ike, e != NULL ? p1_of(e) : NULL, sock, pkt, len, from,
		    to);
		return;
	}
	e = first ? NULL : p1_table_find(&ike->table, h.icookie, h.rcookie);
	if (e == NULL || !ike_addr_same_host(&p1_of(e)->remote, from)) {
		log_debug("IKE: %s message from %s for unknown cookies; "
		    "dropped", isakmp_exchange_name(h.exchange), where);
		ike->stats.dropped++;
		return;
	}
	p1 = p1_of(e);
	/*
	 * Another source port of the peer's host is not followed here: a
	 * plugin decides, once the message is authenticated (msg_parsed,
	 * phase1_float, phase1_set_remote).
	 */
	p1_note_rx(p1, sock, from, to);
	switch (h.exchange) {
	case ISAKMP_EXCH_IDPROT:
		p1_input(ike, p1, sock, pkt, len, from, to);
		return;
	case ISAKMP_EXCH_QUICK:
		if (p1->state == P1_ESTABLISHED || p1->state == P1_EXPIRED)
			p2_input(p1, pkt, len);
		return;
	case ISAKMP_EXCH_INFO:
		info_input(p1, pkt, len);
		return;
	default:
		log_debug("IKE: %s exchange from %s not supported; dropped",
		    isakmp_exchange_name(h.exchange), where);
		ike->stats.dropped++;
	}
}

/* ---- Life ---- */

struct ike *
ike_alloc(struct daemon *d)
{
	struct ike *ike;

	if ((ike = calloc(1, sizeof(*ike))) == NULL ||
	    (ike->rx = calloc(1, sizeof(*ike->rx))) == NULL) {
		free(ike);
		return NULL;
	}
	ike->d = d;
	p1_table_init(&ike->table, d->conf->half_open,
	    d->conf->half_open_per_source);
	TAILQ_INIT(&ike->p1s);
	TAILQ_INIT(&ike->socks);
	return ike;
}

struct ike *
ike_new(struct daemon *d, char *err, size_t errlen)
{
	struct ike *ike;

	if ((ike = ike_alloc(d)) == NULL) {
		snprintf(err, errlen, "IKE engine: %s", strerror(ENOMEM));
		return NULL;
	}
	if (ike_net_open(ike, err, errlen) == -1) {
		free(ike->rx);
		free(ike);
		return NULL;
	}
	ike_engine_set(&engine_ops, ike);
	engine_set_ike(ike);
	return ike;
}

void
ike_free(struct ike *ike, bool send_deletes)
{
	struct peer *peer;
	struct ike_p1 *p1;

	if (ike == NULL)
		return;
	ike->stopping = true;
	ike_engine_set(NULL, NULL);
	engine_set_ike(NULL);
	TAILQ_FOREACH(peer, &ike->d->peers, link)
		if (peer->ike != NULL)
			wants_clear(peer->ike);
	if (send_deletes)
		TAILQ_FOREACH(peer, &ike->d->peers, link)
			if (peer->ike != NULL &&
			    (p1 = p1_established_for(ike, peer)) != NULL)
				delete_pairs(p1, peer->ike);
	while ((p1 = TAILQ_FIRST(&ike->p1s)) != NULL)
		p1_delete(p1, OAKLEY_FAIL_DELETED, send_deletes);
	TAILQ_FOREACH(peer, &ike->d->peers, link) {
		if (peer->ike == NULL)
			continue;
		ike_pairs_free(peer->ike);
		free(peer->ike);
		peer->ike = NULL;
		peer->phase1_count = 0;
	}
	ike_net_close(ike);
	free(ike->rx);
	free(ike);
}
