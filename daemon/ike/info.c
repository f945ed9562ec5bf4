/*
 * Informational exchanges (RFC 2408 4.8, RFC 2409 5.7): notifies and
 * deletes protected by an established phase 1 (HASH(1) =
 * prf(SKEYID_a, M-ID | N/D), each message with its own message ID and
 * IV), the few unprotected notifies a responder sends before keys exist,
 * INITIAL-CONTACT and dead peer detection (RFC 3706).
 *
 * Received: a DELETE of the ISAKMP SA removes that phase 1; a DELETE of
 * ESP SPIs (the peer's inbound SPIs, our outbound) removes both SAs of
 * each pair from the kernel.  R-U-THERE is answered with R-U-THERE-ACK.
 * Other notifies are logged.  Unprotected messages are only logged, but
 * for an error notify answering our MM1, which ends that main mode.
 * Plugins see every protected message: msg_build before its HASH,
 * msg_parsed after the HASH check and before it is acted on (exchange
 * OAKLEY_EXCH_INFO, number 1); unprotected ones they do not see.
 * Windows' status notify (type 12345, FACTS 1.5) is a number below the
 * errors' limit, but for a peer whose profile has OAKLEY_QUIRK_MS_STATUS
 * it is only logged, protected or not.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "conf.h"
#include "daemon.h"
#include "ike.h"
#include "log.h"
#include "peer.h"
#include "sa.h"

#define DPD_MIN_MS	1000
#define N_MS_STATUS	12345	/* MS_NOTIFY_STATUS: a Windows error code */

/* ---- Sending ---- */

static int
info_send(struct ike_p1 *p1, struct isakmp_builder *b, uint32_t msgid)
{
	const struct ike_p1_keys *k = &p1->keys;
	struct oakley_msg om;
	uint8_t iv[IKE_BLOCK_MAX], *hash, *pkt;
	const uint8_t *rest;
	size_t rlen, hlen, len;
	int rc;

	ike_msg_init(&om, p1, NULL, OAKLEY_EXCH_INFO, 1, false);
	om.b = b;
	if (ike_msg_build(&om) != 0) {
		isakmp_builder_free(b);
		return -1;
	}
	rest = isakmp_builder_after(b, 0, &rlen);
	hash = isakmp_builder_body(b, 0, &hlen);
	if (b->failed || rest == NULL || hash == NULL ||
	    ike_info_hash(k->prf, IKE_CHUNK_BUF(&k->skeyid_a), msgid,
	    IKE_CHUNK(rest, rlen), hash) == -1 ||
	    ike_p2_iv(k->prf, k->cipher, k->iv, msgid, iv) == -1) {
		isakmp_builder_free(b);
		return -1;
	}
	rc = ike_msg_seal(b, p1, iv, true, &pkt, &len);
	isakmp_builder_free(b);
	if (rc == -1)
		return -1;
	if (p1->sock != NULL)
		rc = ike_net_send(p1->sock, &p1->local, &p1->remote, pkt, len,
		    true);
	free(pkt);
	return rc;
}

/* b is ready for isakmp_builder_free whatever this returns. */
static int
info_start(struct ike_p1 *p1, struct isakmp_builder *b, uint32_t *msgid)
{
	memset(b, 0, sizeof(*b));
	if (p1->state != P1_ESTABLISHED && p1->state != P1_EXPIRED)
		return -1;
	*msgid = 0;
	while (*msgid == 0)
		*msgid = ike_random32();
	if (ike_builder_start(b, p1, ISAKMP_EXCH_INFO, *msgid, true) == -1)
		return -1;
	return isakmp_add_payload(b, ISAKMP_PT_HASH, NULL, p1->keys.prf->len);
}

int
info_send_notify(struct ike_p1 *p1, uint16_t type, uint8_t proto,
    const uint8_t *spi, size_t spi_size, const uint8_t *data,
    size_t data_len)
{
	struct isakmp_builder b;
	struct isakmp_notify n;
	uint32_t msgid;

	if (info_start(p1, &b, &msgid) == -1) {
		isakmp_builder_free(&b);
		return -1;
	}
	memset(&n, 0, sizeof(n));
	n.doi = ISAKMP_DOI_IPSEC;
	n.protocol = proto;
	n.spi_size = (uint8_t)spi_size;
	n.spi = spi;
	n.type = type;
	n.data = data;
	n.data_len = data_len;
	isakmp_add_notify(&b, &n);
	log_debug("IKE: sending %s to %s", isakmp_notify_name(type),
	    ike_peer_name(p1->peer));
	return info_send(p1, &b, msgid);
}

int
info_send_delete(struct ike_p1 *p1, uint8_t proto, const uint8_t *spis,
    size_t spi_size, unsigned count)
{
	struct isakmp_builder b;
	struct isakmp_delete d;
	uint32_t msgid;

	if (count == 0)
		return 0;
	if (info_start(p1, &b, &msgid) == -1) {
		isakmp_builder_free(&b);
		return -1;
	}
	memset(&d, 0, sizeof(d));
	d.doi = ISAKMP_DOI_IPSEC;
	d.protocol = proto;
	d.spi_size = (uint8_t)spi_size;
	d.count = (uint16_t)count;
	d.spis = spis;
	isakmp_add_delete(&b, &d);
	log_info("IKE: sending DELETE for %u %s SA%s to %s", count,
	    isakmp_protocol_name(proto), count == 1 ? "" : "s",
	    ike_peer_name(p1->peer));
	return info_send(p1, &b, msgid);
}

void
info_send_clear_notify(struct ike *ike, struct ike_sock *sock,
    const struct pfkey_addr *from, const struct pfkey_addr *to,
    const uint8_t *icookie, const uint8_t *rcookie, uint16_t type)
{
	struct isakmp_builder b;
	struct isakmp_notify n;
	struct isakmp_hdr h;
	const uint8_t *pkt;
	uint8_t spi[2 * ISAKMP_COOKIE_LEN];
	size_t len;

	(void)ike;
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, rcookie, ISAKMP_COOKIE_LEN);
	h.exchange = ISAKMP_EXCH_INFO;
	memcpy(spi, icookie, ISAKMP_COOKIE_LEN);
	memcpy(spi + ISAKMP_COOKIE_LEN, rcookie, ISAKMP_COOKIE_LEN);
	memset(&n, 0, sizeof(n));
	n.doi = ISAKMP_DOI_IPSEC;
	n.protocol = ISAKMP_PROTO_ISAKMP;
	n.spi_size = sizeof(spi);
	n.spi = spi;
	n.type = type;
	if (isakmp_builder_init(&b, &h) == 0 && isakmp_add_notify(&b, &n) == 0 &&
	    (pkt = isakmp_builder_finish(&b, &len)) != NULL)
		ike_net_send(sock, from, to, pkt, len, true);
	isakmp_builder_free(&b);
}

/* ---- INITIAL-CONTACT ---- */

void
info_initial_contact(struct ike_p1 *p1)
{
	struct ike *ike = p1->ike;
	struct ike_p1 *old, *next;
	struct ike_peer *ip;
	size_t n;

	p1->ic_done = true;
	for (old = TAILQ_FIRST(&ike->p1s); old != NULL; old = next) {
		next = TAILQ_NEXT(old, link);
		if (old != p1 && old->peer == p1->peer &&
		    (old->state == P1_ESTABLISHED || old->state == P1_EXPIRED))
			p1_delete(old, OAKLEY_FAIL_DELETED, false);
	}
	n = sa_remove_peer(ike->d->sa, p1->peer, SA_REASON_PEER);
	if ((ip = ike_peer_state(p1->peer)) != NULL)
		ike_pairs_free(ip);
	log_info("IKE: INITIAL-CONTACT from %s: its old state removed (%zu "
	    "SAs)", ike_peer_name(p1->peer), n);
}

/* ---- Receiving ---- */

static void
info_delete(struct ike_p1 *p1, const struct isakmp_delete *d)
{
	struct ike *ike = p1->ike;
	struct peer *peer = p1->peer;
	struct p1_entry *e;
	const uint8_t *spi;
	unsigned i;

	for (i = 0; i < d->count; i++) {
		spi = isakmp_delete_spi(d, i);
		if (d->protocol == ISAKMP_PROTO_ISAKMP && d->spi_size == 16) {
			e = p1_table_find(&ike->table, spi, spi + 8);
			if (e == NULL || ((struct ike_p1 *)(void *)e)->peer !=
			    peer)
				continue;
			log_info("IKE: peer %s deleted its ISAKMP SA",
			    ike_peer_name(peer));
			/* p1 itself may go: nothing after this uses it. */
			p1_delete((struct ike_p1 *)(void *)e,
			    OAKLEY_FAIL_DELETED, false);
			return;
		}
		if (d->protocol == ISAKMP_PROTO_ESP && d->spi_size == 4)
			ike_pairs_remove_spi(ike, peer, ike_get32(spi));
	}
}

static void
dpd_ack(struct ike_p1 *p1, const struct isakmp_notify *n)
{
	uint32_t seq;

	if (n->data_len != 4)
		return;
	seq = ike_get32(n->data);
	if (seq == p1->dpd_seq) {
		p1->dpd_pending = false;
		p1->dpd_missed = 0;
		log_debug("IKE: R-U-THERE-ACK %u from %s", seq,
		    ike_peer_name(p1->peer));
	}
}

/* An error notify naming the SPI of our quick mode ends it now. */
static void
info_error_for_p2(struct ike_p1 *p1, const struct isakmp_notify *n)
{
	struct ike_p2 *p2;
	uint32_t spi;

	if (n->protocol != ISAKMP_PROTO_ESP || n->spi_size != 4)
		return;
	spi = ike_get32(n->spi);
	TAILQ_FOREACH(p2, &p1->p2s, link)
		if (p2->initiator && p2->state == P2_I_QM1 &&
		    p2->spi_in == spi)
			break;
	if (p2 != NULL)
		p2_fail(p2, n->type == ISAKMP_N_NO_PROPOSAL_CHOSEN ?
		    OAKLEY_FAIL_NO_PROPOSAL : OAKLEY_FAIL_NOTIFY);
}

/* A Windows status notify, for a peer with the quirk: logged, ignored. */
static bool
ms_status(const struct ike_p1 *p1, const struct isakmp_notify *n,
    bool protected)
{
	if (n->type != N_MS_STATUS ||
	    (p1->prof.quirks & OAKLEY_QUIRK_MS_STATUS) == 0)
		return false;
	if (n->data_len == 4)
		log_info("IKE: %sWindows status notify from %s: error "
		    "code %lu; ignored", protected ? "" : "unprotected ",
		    ike_peer_name(p1->peer), (unsigned long)ike_get32(n->data));
	else
		log_info("IKE: %sWindows status notify from %s (%zu bytes); "
		    "ignored", protected ? "" : "unprotected ",
		    ike_peer_name(p1->peer), n->data_len);
	return true;
}

static void
info_notify(struct ike_p1 *p1, const struct isakmp_notify *n)
{
	uint8_t spi[16];

	switch (n->type) {
	case ISAKMP_N_INITIAL_CONTACT:
		/* RFC 2407 4.6.3.3: about the SAs before this phase 1. */
		if (p1->ic_done || p1->p2_done > 0) {
			log_info("IKE: INITIAL-CONTACT from %s after its first "
			    "or a quick mode; ignored", ike_peer_name(p1->peer));
			return;
		}
		info_initial_contact(p1);
		return;
	case ISAKMP_N_DPD_R_U_THERE:
		if (n->data_len != 4)
			return;
		memcpy(spi, p1->entry.icookie, 8);
		memcpy(spi + 8, p1->entry.rcookie, 8);
		info_send_notify(p1, ISAKMP_N_DPD_R_U_THERE_ACK,
		    ISAKMP_PROTO_ISAKMP, spi, sizeof(spi), n->data, 4);
		return;
	case ISAKMP_N_DPD_R_U_THERE_ACK:
		dpd_ack(p1, n);
		return;
	default:
		if (ms_status(p1, n, true))
			return;
		log_info("IKE: %s from %s", isakmp_notify_name(n->type),
		    ike_peer_name(p1->peer));
		if (n->type < ISAKMP_N_CONNECTED)
			info_error_for_p2(p1, n);
	}
}

static void
info_clear(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	struct isakmp_msg *m;
	const struct isakmp_payload *pl = NULL;
	uint16_t type;

	if (ike_msg_decode(p1->ike, pkt, len, false, &m) == -1)
		return;
	while ((pl = isakmp_msg_find(m, ISAKMP_PT_N, pl)) != NULL) {
		if (ms_status(p1, &pl->u.notify, false))
			continue;
		type = pl->u.notify.type;
		log_info("IKE: unprotected %s from %s",
		    isakmp_notify_name(type), ike_peer_name(p1->peer));
		if (p1->state == P1_I_MM1 && type > 0 && type < 16384) {
			p1_delete(p1, OAKLEY_FAIL_NOTIFY, false);
			return;
		}
	}
}

/* A decrypted informational: its hash, replay, the plugins, then acted on. */
static void
info_protected(struct ike_p1 *p1, uint32_t msgid, struct isakmp_msg *m)
{
	const struct ike_p1_keys *k = &p1->keys;
	struct oakley_msg om;
	const struct isakmp_payload *pl;
	uint8_t h[IKE_HASH_MAX];
	const uint8_t *rest;
	size_t rlen;
	unsigned i;
	bool ok;

	ok = m->n_payloads >= 2 && m->payloads[0].type == ISAKMP_PT_HASH &&
	    m->payloads[0].len == k->prf->len &&
	    (rest = isakmp_msg_after(m, 0, &rlen)) != NULL &&
	    ike_info_hash(k->prf, IKE_CHUNK_BUF(&k->skeyid_a), msgid,
	    IKE_CHUNK(rest, rlen), h) == 0 &&
	    CRYPTO_memcmp(h, m->payloads[0].body, k->prf->len) == 0;
	if (!ok) {
		log_debug("IKE: informational from %s with a bad hash; "
		    "dropped", ike_peer_name(p1->peer));
		return;
	}
	if (ike_msgid_replayed(&p1->seen_info, msgid)) {
		log_debug("IKE: informational %08x from %s replayed; dropped",
		    msgid, ike_peer_name(p1->peer));
		return;
	}
	ike_msg_init(&om, p1, NULL, OAKLEY_EXCH_INFO, 1, true);
	om.m = m;
	if (ike_msg_parsed(&om) != 0)
		return;
	p1->last_rx_ms = timers_now(p1->ike->d->timers);
	/* Notifies first: a DELETE may take p1 away. */
	for (i = 1; i < m->n_payloads; i++) {
		pl = &m->payloads[i];
		if (pl->type == ISAKMP_PT_N)
			info_notify(p1, &pl->u.notify);
	}
	for (i = 1; i < m->n_payloads; i++) {
		pl = &m->payloads[i];
		if (pl->type == ISAKMP_PT_D) {
			if (pl->u.del.protocol == ISAKMP_PROTO_ISAKMP) {
				info_delete(p1, &pl->u.del);
				break;
			}
			info_delete(p1, &pl->u.del);
		}
	}
}

void
info_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	const struct ike_p1_keys *k = &p1->keys;
	struct isakmp_msg *m;
	struct ike_buf plain;
	uint8_t iv[IKE_BLOCK_MAX];
	uint32_t msgid;

	if ((pkt[19] & ISAKMP_FLAG_E) == 0) {
		info_clear(p1, pkt, len);
		return;
	}
	if (p1->state != P1_ESTABLISHED && p1->state != P1_EXPIRED)
		return;
	msgid = ike_get32(pkt + 20);
	memset(&plain, 0, sizeof(plain));
	if (ike_p2_iv(k->prf, k->cipher, k->iv, msgid, iv) == -1 ||
	    ike_msg_open(p1, pkt, len, iv, &plain) == -1 ||
	    ike_msg_decode(p1->ike, plain.data, len, true, &m) == -1)
		log_debug("IKE: informational from %s does not decrypt",
		    ike_peer_name(p1->peer));
	else
		info_protected(p1, msgid, m);
	ike_buf_free(&plain);	/* p1 may be gone */
}

/* ---- Dead peer detection ---- */

static uint64_t
dpd_interval_ms(const struct ike_p1 *p1)
{
	uint64_t ms = p1->peer->conf->dpd_interval * 1000;

	return ms < DPD_MIN_MS ? DPD_MIN_MS : ms;
}

static void
dpd_dead(struct ike_p1 *p1)
{
	struct ike *ike = p1->ike;
	struct peer *peer = p1->peer;
	struct ike_p1 *q, *next;
	struct ike_peer *ip;
	size_t n;

	log_warn("IKE: peer %s is dead (%u R-U-THERE unanswered): its SAs "
	    "are removed", ike_peer_name(peer), p1->dpd_missed);
	n = sa_remove_peer(ike->d->sa, peer, SA_REASON_PEER);
	if ((ip = ike_peer_state(peer)) != NULL)
		ike_pairs_free(ip);
	for (q = TAILQ_FIRST(&ike->p1s); q != NULL; q = next) {
		next = TAILQ_NEXT(q, link);
		if (q->peer == peer)
			p1_delete(q, OAKLEY_FAIL_TIMEOUT, false);
	}
	log_info("IKE: peer %s: %zu SAs removed after DPD",
	    ike_peer_name(peer), n);
}

static void
dpd_fired(struct timer *t, void *arg)
{
	struct ike_p1 *p1 = arg;
	struct timers *tm = p1->ike->d->timers;
	uint64_t now = timers_now(tm), iv = dpd_interval_ms(p1);
	uint8_t spi[16], seq[4];

	(void)t;
	if (!p1->dpd_pending && now - p1->last_rx_ms < iv) {
		timer_add(tm, &p1->dpd_timer, p1->last_rx_ms + iv);
		return;
	}
	if (p1->dpd_pending && ++p1->dpd_missed >=
	    p1->peer->conf->dpd_retries) {
		dpd_dead(p1);
		return;
	}
	p1->dpd_seq = p1->dpd_seq == 0 ? ike_random32() & 0x7fffffff :
	    p1->dpd_seq + 1;
	ike_put32(seq, p1->dpd_seq);
	memcpy(spi, p1->entry.icookie, 8);
	memcpy(spi + 8, p1->entry.rcookie, 8);
	p1->dpd_pending = true;
	log_debug("IKE: R-U-THERE %u to %s", p1->dpd_seq,
	    ike_peer_name(p1->peer));
	info_send_notify(p1, ISAKMP_N_DPD_R_U_THERE, ISAKMP_PROTO_ISAKMP, spi,
	    sizeof(spi), seq, sizeof(seq));
	timer_add_in(tm, &p1->dpd_timer, iv);
}

void
info_dpd_start(struct ike_p1 *p1)
{
	timer_init(&p1->dpd_timer, dpd_fired, p1);
	if (p1->peer->conf->dpd_interval == 0 || !p1->dpd_peer)
		return;
	timer_add_in(p1->ike->d->timers, &p1->dpd_timer, dpd_interval_ms(p1));
}

void
info_dpd_stop(struct ike_p1 *p1)
{
	if (p1->dpd_timer.cb != NULL)
		timer_remove(p1->ike->d->timers, &p1->dpd_timer);
}
