/*
 * Main mode (RFC 2409 5, identity protection), initiator and responder:
 *
 *	MM1  I->R  SA, VID...			MM2  R->I  SA (chosen), VID...
 *	MM3  I->R  KE, Ni [, NAT-D...]		MM4  R->I  KE, Nr [, NAT-D...]
 *	MM5  I->R  *ID, HASH_I|SIG [, N(INITIAL-CONTACT)]
 *	MM6  R->I  *ID, HASH_R|SIG		(* = encrypted)
 *
 * A responder entry is created only for an MM1 that parses, comes from a
 * configured peer's address, fits the half-open caps and has a proposal
 * we accept.  Each state expects exactly one message; a copy of the last
 * message received answers its duplicates with our last message (xmit.c).
 * Phase-1 lifetime: at its end the ISAKMP SA is deleted (DELETE sent).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "conf.h"
#include "daemon.h"
#include "ike.h"
#include "ike/dh.h"
#include "log.h"
#include "peer.h"
#include "plugin.h"
#include "sa.h"

#define VID_MAX		16
#define AUTH_PSK	1
#define AUTH_RSA_SIG	3

/* RFC 3706 DPD vendor ID, version 1.0 (FACTS 6.3). */
static const uint8_t dpd_vid[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00
};
#define DPD_VID_MATCH	14

const char *
p1_state_name(enum p1_state s)
{
	switch (s) {
	case P1_I_MM1:
		return "MM1-sent";
	case P1_I_MM3:
		return "MM3-sent";
	case P1_I_MM5:
		return "MM5-sent";
	case P1_R_MM2:
		return "MM2-sent";
	case P1_R_MM4:
		return "MM4-sent";
	case P1_ESTABLISHED:
		return "established";
	case P1_EXPIRED:
		return "expiring";
	}
	return "unknown";
}

static bool
p1_is_up(const struct ike_p1 *p1)
{
	return p1->state == P1_ESTABLISHED || p1->state == P1_EXPIRED;
}

static void
p1_log(const struct ike_p1 *p1, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
p1_log(const struct ike_p1 *p1, int level, const char *fmt, ...)
{
	char text[512], where[80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ike_addr_text(&p1->remote, where, sizeof(where));
	switch (level) {
	case OAKLEY_LOG_WARN:
		log_warn("IKE: phase 1 #%llu with %s (%s): %s",
		    (unsigned long long)p1->serial, ike_peer_name(p1->peer),
		    where, text);
		break;
	case OAKLEY_LOG_DEBUG:
		log_debug("IKE: phase 1 #%llu with %s (%s): %s",
		    (unsigned long long)p1->serial, ike_peer_name(p1->peer),
		    where, text);
		break;
	default:
		log_info("IKE: phase 1 #%llu with %s (%s): %s",
		    (unsigned long long)p1->serial, ike_peer_name(p1->peer),
		    where, text);
	}
}

/* ---- Life of a phase 1 ---- */

static void p1_life_fired(struct timer *, void *);

struct ike_p1 *
p1_new(struct ike *ike, struct peer *peer, bool initiator)
{
	struct ike_p1 *p1;
	char err[256];

	if ((p1 = calloc(1, sizeof(*p1))) == NULL)
		return NULL;
	if ((p1->flags = plugin_flags_new()) == NULL) {
		free(p1);
		return NULL;
	}
	p1->ike = ike;
	p1->peer = peer;
	p1->initiator = initiator;
	if (ike_profile_build(p1, &p1->prof, err, sizeof(err)) != 0) {
		log_warn("IKE: peer %s: %s", peer->conf->name, err);
		plugin_flags_free(p1->flags);
		plugin_flags_free(p1->prof_flags);
		free(p1);
		return NULL;
	}
	p1->serial = ++ike->next_serial;
	TAILQ_INIT(&p1->p2s);
	xmit_init_p1(p1);
	timer_init(&p1->life_timer, p1_life_fired, p1);
	TAILQ_INSERT_TAIL(&ike->p1s, p1, link);
	return p1;
}

static void
p1_wipe_exchange(struct ike_p1 *p1)
{
	dh_key_free(p1->group, p1->dh);
	p1->dh = NULL;
	ike_buf_free(&p1->gxi);
	ike_buf_free(&p1->gxr);
	ike_buf_free(&p1->gxy);
	ike_buf_free(&p1->ni);
	ike_buf_free(&p1->nr);
	ike_buf_free(&p1->sai_b);
	ike_buf_free(&p1->idi_b);
	ike_buf_free(&p1->idr_b);
}

void
p1_free(struct ike_p1 *p1)
{
	struct ike *ike = p1->ike;
	struct ike_p2 *p2;

	while ((p2 = TAILQ_FIRST(&p1->p2s)) != NULL)
		p2_free(p2);
	info_dpd_stop(p1);
	p1_table_remove(&ike->table, &p1->entry);
	TAILQ_REMOVE(&ike->p1s, p1, link);
	timer_remove(ike->d->timers, &p1->life_timer);
	xmit_free(ike, &p1->xmit);
	p1_wipe_exchange(p1);
	ike_p1_keys_free(&p1->keys);
	plugin_flags_free(p1->flags);
	plugin_flags_free(p1->prof_flags);
	explicit_bzero(p1, sizeof(*p1));
	free(p1);
}

void
p1_delete(struct ike_p1 *p1, enum oakley_failure why, bool notify)
{
	struct ike *ike = p1->ike;
	struct peer *peer = p1->peer;
	struct ike_p2 *p2, *next;
	bool up = p1_is_up(p1), initiator = p1->initiator;

	if (notify && up)
		info_send_delete(p1, ISAKMP_PROTO_ISAKMP, p1->entry.icookie,
		    2 * ISAKMP_COOKIE_LEN, 1);
	for (p2 = TAILQ_FIRST(&p1->p2s); p2 != NULL; p2 = next) {
		next = TAILQ_NEXT(p2, link);
		if (p2->state != P2_DONE)
			p2_fail(p2, OAKLEY_FAIL_DELETED);
	}
	if (up) {
		if (peer->phase1_count > 0)
			peer->phase1_count--;
		p1_log(p1, OAKLEY_LOG_INFO, "deleted");
	} else {
		ike->stats.p1_failed++;
		plugin_run_p1_failed(IKE_P1_HANDLE(p1), why);
	}
	plugin_run_p1_deleted(IKE_P1_HANDLE(p1));
	p1_free(p1);
	if (!up)
		ike_peer_p1_failed(ike, peer, initiator, why);
}

static void
p1_fail(struct ike_p1 *p1, enum oakley_failure why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
p1_fail(struct ike_p1 *p1, enum oakley_failure why, const char *fmt, ...)
{
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	p1_log(p1, OAKLEY_LOG_INFO, "failed: %s", text);
	p1_delete(p1, why, false);
}

/* The initiator renews a phase 1 its peer still has SAs or work for. */
static bool
p1_worth_renewing(struct ike_p1 *p1)
{
	struct ike_peer *ip = p1->peer->ike;

	return p1->initiator && p1->state == P1_ESTABLISHED && ip != NULL &&
	    (!TAILQ_EMPTY(&ip->pairs) || !TAILQ_EMPTY(&ip->wants)) &&
	    p1_negotiating_for(p1->ike, p1->peer) == NULL;
}

/*
 * First at IKE_P1_REKEY_PERCENT of the lifetime: a new main mode, made
 * before the old phase 1 goes (it serves until the new one is up); then
 * at the lifetime: deleted, with a DELETE to the peer.
 */
static void
p1_life_fired(struct timer *t, void *arg)
{
	struct ike_p1 *p1 = arg;

	(void)t;
	if (!p1->rekey_done) {
		p1->rekey_done = true;
		timer_add(p1->ike->d->timers, &p1->life_timer, p1->expires_ms);
		if (p1_worth_renewing(p1)) {
			p1_log(p1, OAKLEY_LOG_INFO, "renewing before its "
			    "lifetime ends");
			p1_initiate(p1->ike, p1->peer);
		}
		return;
	}
	p1_log(p1, OAKLEY_LOG_INFO, "lifetime of %llu s reached",
	    (unsigned long long)p1->alg.lifetime);
	p1_delete(p1, OAKLEY_FAIL_DELETED, true);
}

void
p1_arm_life(struct ike_p1 *p1)
{
	struct timers *tm = p1->ike->d->timers;
	uint64_t life_ms = timers_after_s(0, p1->alg.lifetime);

	p1->expires_ms = timers_after_s(timers_now(tm), p1->alg.lifetime);
	p1->rekey_done = false;
	timer_add_in(tm, &p1->life_timer, life_ms / 100 * IKE_P1_REKEY_PERCENT +
	    life_ms % 100 * IKE_P1_REKEY_PERCENT / 100);
}

/* A new phase 1 with the peer is up: the older ones serve no new QM. */
static void
p1_supersede(struct ike_p1 *p1)
{
	struct ike_p1 *old;

	TAILQ_FOREACH(old, &p1->ike->p1s, link) {
		if (old == p1 || old->peer != p1->peer ||
		    old->state != P1_ESTABLISHED)
			continue;
		old->state = P1_EXPIRED;
		p1_log(old, OAKLEY_LOG_INFO, "superseded by phase 1 #%llu",
		    (unsigned long long)p1->serial);
	}
}

struct ike_p1 *
p1_established_for(struct ike *ike, const struct peer *peer)
{
	struct ike_p1 *p1, *best = NULL;

	TAILQ_FOREACH(p1, &ike->p1s, link)
		if (p1->peer == peer && p1->state == P1_ESTABLISHED)
			best = p1;	/* the newest */
	return best;
}

struct ike_p1 *
p1_negotiating_for(struct ike *ike, const struct peer *peer)
{
	struct ike_p1 *p1;

	TAILQ_FOREACH(p1, &ike->p1s, link)
		if (p1->peer == peer && !p1_is_up(p1))
			return p1;
	return NULL;
}

unsigned
p1_count_established(struct ike *ike, const struct peer *peer)
{
	struct ike_p1 *p1;
	unsigned n = 0;

	TAILQ_FOREACH(p1, &ike->p1s, link)
		if (p1->peer == peer && p1_is_up(p1))
			n++;
	return n;
}

int
p1_hash_data(const struct ike_p1 *p1, const uint8_t *data, size_t len,
    uint8_t *out, size_t outlen)
{
	const struct ike_hash_alg *h = ike_hash_by_p1(p1->alg.hash);
	struct ike_chunk in = IKE_CHUNK(data, len);

	if (h == NULL || outlen < h->len || ike_digest(h, &in, 1, out) == -1)
		return -1;
	return (int)h->len;
}

int
p1_route(struct ike_p1 *p1)
{
	return ike_net_route(p1->ike, &p1->remote,
	    &p1->peer->conf->local_address, false, &p1->sock, &p1->local);
}

/* The responder follows the initiator to where its message came from. */
static int
p1_float_responder(struct ike_p1 *p1)
{
	p1->sock = p1->rx_sock;
	p1->local = p1->rx_to;
	p1->local.port = p1->rx_sock->addr.port;
	p1->remote = p1->rx_from;
	p1_log(p1, OAKLEY_LOG_INFO, "moved to the NAT-T port %u (the peer "
	    "sends from port %u)", p1->local.port, p1->remote.port);
	return 0;
}

int
p1_float(struct ike_p1 *p1)
{
	struct ike_sock *s;
	struct pfkey_addr local;

	if (p1->sock != NULL && p1->sock->natt)
		return 0;
	if (!p1->initiator && p1->rx_sock != NULL && p1->rx_sock->natt &&
	    ike_addr_same_host(&p1->rx_from, &p1->remote))
		return p1_float_responder(p1);
	if (ike_net_route(p1->ike, &p1->remote, &p1->local, true, &s,
	    &local) == -1) {
		p1_log(p1, OAKLEY_LOG_WARN, "no NAT-T socket reaches the peer");
		return -1;
	}
	p1->sock = s;
	p1->local.port = s->addr.port;
	p1->remote.port = OAKLEY_PORT_NATT;
	p1_log(p1, OAKLEY_LOG_INFO, "moved to the NAT-T port %u",
	    p1->local.port);
	return 0;
}

int
p1_set_remote(struct ike_p1 *p1, const struct pfkey_addr *a)
{
	char was[80], now[80];

	if (a->family != p1->remote.family ||
	    !ike_addr_same_host(a, &p1->remote)) {
		p1_log(p1, OAKLEY_LOG_WARN, "cannot follow the peer to %s: "
		    "another address", ike_addr_text(a, now, sizeof(now)));
		return -1;
	}
	if (a->port == p1->remote.port)
		return 0;
	ike_addr_text(&p1->remote, was, sizeof(was));
	p1->remote.port = a->port;
	p1_log(p1, OAKLEY_LOG_INFO, "the peer moved from %s to port %u",
	    was, a->port);
	return 0;
}

/* ---- Helpers ---- */

static int
add_vids(struct ike_p1 *p1, struct isakmp_builder *b)
{
	const struct oakley_vendor_id *v[VID_MAX];
	size_t i, n;

	isakmp_add_payload(b, ISAKMP_PT_VID, dpd_vid, sizeof(dpd_vid));
	n = plugin_vendor_ids_to_send(IKE_P1_HANDLE(p1), v, VID_MAX);
	for (i = 0; i < n; i++)
		isakmp_add_payload(b, ISAKMP_PT_VID, v[i]->bytes, v[i]->len);
	return b->failed ? -1 : 0;
}

static void
read_vids(struct ike_p1 *p1, const struct isakmp_msg *m)
{
	const struct isakmp_payload *pl = NULL;
	const char *name;

	while ((pl = isakmp_msg_find(m, ISAKMP_PT_VID, pl)) != NULL) {
		if (pl->len >= DPD_VID_MATCH &&
		    memcmp(pl->body, dpd_vid, DPD_VID_MATCH) == 0) {
			p1->dpd_peer = true;
			p1_log(p1, OAKLEY_LOG_DEBUG, "peer supports DPD");
		}
		name = plugin_vendor_id_name(pl->body, pl->len);
		if (name != NULL)
			p1_log(p1, OAKLEY_LOG_DEBUG, "vendor ID %s", name);
		plugin_run_vendor_id(IKE_P1_HANDLE(p1), pl->body, pl->len);
	}
}

/* Plugins add payloads (msg_build), then seal and send. */
static int
p1_send(struct ike_p1 *p1, struct isakmp_builder *b, unsigned number,
    bool encrypt, bool expect)
{
	struct oakley_msg om;
	uint8_t *pkt;
	size_t len;
	int rc;

	ike_msg_init(&om, p1, NULL, OAKLEY_EXCH_MAIN, number, false);
	om.b = b;
	if (ike_msg_build(&om) != 0) {
		isakmp_builder_free(b);
		return -1;
	}
	rc = ike_msg_seal(b, p1, p1->keys.iv, encrypt, &pkt, &len);
	isakmp_builder_free(b);
	if (rc == -1)
		return -1;
	p1->msg_number = number;
	return xmit_send(p1, NULL, &p1->xmit, pkt, len, expect);
}

/* Plugins see the parsed message: 0, or -1 to drop it. */
static int
p1_parsed(struct ike_p1 *p1, const struct isakmp_msg *m, unsigned number)
{
	struct oakley_msg om;

	ike_msg_init(&om, p1, NULL, OAKLEY_EXCH_MAIN, number, true);
	om.m = m;
	return ike_msg_parsed(&om);
}

static const struct isakmp_payload *
need(const struct isakmp_msg *m, uint8_t type)
{
	return isakmp_msg_find(m, type, NULL);
}

static uint16_t
auth_method(const struct peer *peer)
{
	return peer->conf->auth == CONF_AUTH_RSA ? AUTH_RSA_SIG : AUTH_PSK;
}

static int
p1_keygen(struct ike_p1 *p1, struct ike_buf *pub)
{
	return ike_dh_keygen(p1->alg.group, &p1->group, &p1->dh, pub);
}

/* The peer's KE and nonce; 0 or -1 (logged by the caller). */
static int
p1_take_ke_nonce(struct ike_p1 *p1, const struct isakmp_msg *m,
    struct ike_buf *gx, struct ike_buf *nonce)
{
	const struct isakmp_payload *ke = need(m, ISAKMP_PT_KE);
	const struct isakmp_payload *no = need(m, ISAKMP_PT_NONCE);

	if (ke == NULL || no == NULL || p1->group == NULL ||
	    ke->len != p1->group->public_len ||
	    dh_check_peer(p1->group, ke->body, ke->len) == -1 ||
	    no->len < IKE_NONCE_MIN || no->len > IKE_NONCE_MAX)
		return -1;
	/* A message taken before may have been refused (by a plugin). */
	ike_buf_free(gx);
	ike_buf_free(nonce);
	if (ike_buf_set(gx, ke->body, ke->len) == -1 ||
	    ike_buf_set(nonce, no->body, no->len) == -1)
		return -1;
	return 0;
}

static int
p1_derive(struct ike_p1 *p1)
{
	p1->keys.prf = ike_hash_by_p1(p1->alg.hash);
	p1->keys.cipher = ike_cipher_by_p1(p1->alg.cipher, p1->alg.keylen);
	if (p1->keys.prf == NULL || p1->keys.cipher == NULL ||
	    ike_buf_alloc(&p1->gxy, dh_secret_len(p1->group)) == -1 ||
	    dh_derive(p1->group, p1->dh, p1->initiator ? p1->gxr.data :
	    p1->gxi.data, p1->group->public_len, p1->gxy.data,
	    p1->gxy.len) == -1)
		return -1;
	p1_log(p1, OAKLEY_LOG_DEBUG, "DH group %u (%s): %zu-byte KE, "
	    "%zu-byte g^xy", (unsigned)p1->group->group, p1->group->name,
	    p1->group->public_len, p1->gxy.len);
	if (p1_auth_skeyid(p1) == -1)
		return -1;
	return ike_p1_keys_derive(&p1->keys, IKE_CHUNK_BUF(&p1->gxy),
	    IKE_CHUNK_BUF(&p1->gxi), IKE_CHUNK_BUF(&p1->gxr),
	    p1->entry.icookie, p1->entry.rcookie);
}

/* Decrypt and decode an MM5/MM6; the IV moves only if it decodes. */
static int
p1_open(struct ike_p1 *p1, const uint8_t *pkt, size_t len,
    struct ike_buf *plain, struct isakmp_msg **m, uint8_t *iv)
{
	memset(plain, 0, sizeof(*plain));
	if ((pkt[19] & ISAKMP_FLAG_E) == 0)
		return -1;
	memcpy(iv, p1->keys.iv, sizeof(p1->keys.iv));
	if (ike_msg_open(p1, pkt, len, iv, plain) == -1)
		return -1;
	return ike_msg_decode(p1->ike, plain->data, len, true, m);
}

static int
add_id(struct ike_p1 *p1, struct isakmp_builder *b, struct ike_buf *keep)
{
	uint8_t body[IKE_ID_MAX];
	size_t len = sizeof(body);

	if (p1_auth_id(p1, body, &len) == -1 ||
	    ike_buf_set(keep, body, len) == -1)
		return -1;
	return isakmp_add_payload(b, ISAKMP_PT_ID, body, len);
}

static int
take_id(struct ike_p1 *p1, const struct isakmp_msg *m, struct ike_buf *keep)
{
	const struct isakmp_payload *id = need(m, ISAKMP_PT_ID);

	ike_buf_free(keep);
	if (id == NULL || ike_buf_set(keep, id->body, id->len) == -1)
		return -1;
	ike_id_text(&id->u.id, p1->remote_id, sizeof(p1->remote_id));
	return p1_auth_check_id(p1, &id->u.id);
}

static bool
has_initial_contact(const struct isakmp_msg *m)
{
	const struct isakmp_payload *pl = NULL;

	while ((pl = isakmp_msg_find(m, ISAKMP_PT_N, pl)) != NULL)
		if (pl->u.notify.type == ISAKMP_N_INITIAL_CONTACT)
			return true;
	return false;
}

/* ---- Established ---- */

static void
p1_replace_check(struct ike_p1 *p1)
{
	struct ike_p1 *old, *next;

	for (old = TAILQ_FIRST(&p1->ike->p1s); old != NULL; old = next) {
		next = TAILQ_NEXT(old, link);
		if (old == p1 || old->peer != p1->peer || !p1_is_up(old) ||
		    strcmp(old->remote_id, p1->remote_id) != 0)
			continue;
		if (plugin_run_p1_replace(IKE_P1_HANDLE(p1),
		    IKE_P1_HANDLE(old)) != OAKLEY_P1_REPLACE_OLD)
			continue;
		p1_log(old, OAKLEY_LOG_INFO, "replaced by phase 1 #%llu",
		    (unsigned long long)p1->serial);
		sa_remove_peer(p1->ike->d->sa, p1->peer, SA_REASON_PEER);
		p1_delete(old, OAKLEY_FAIL_DELETED, true);
	}
}

void
p1_established(struct ike_p1 *p1)
{
	struct ike *ike = p1->ike;

	p1->state = P1_ESTABLISHED;
	p1->established_at = time(NULL);
	p1->last_rx_ms = timers_now(ike->d->timers);
	p1_table_established(&ike->table, &p1->entry);
	p1->peer->phase1_count++;
	ike->stats.p1_up++;
	p1_wipe_exchange(p1);
	p1_log(p1, OAKLEY_LOG_INFO, "established (%s %s-%s, group %u, %s, "
	    "lifetime %llu s), remote ID %s", p1->initiator ? "initiator" :
	    "responder", p1->keys.cipher->name, p1->keys.prf->name,
	    p1->alg.group, p1->alg.auth == AUTH_RSA_SIG ? "RSA signatures" :
	    "pre-shared key", (unsigned long long)p1->alg.lifetime,
	    p1->remote_id);
	p1_arm_life(p1);
	p1_supersede(p1);
	plugin_run_p1_established(IKE_P1_HANDLE(p1));
	if (p1->initial_contact)
		info_initial_contact(p1);
	p1_replace_check(p1);
	info_dpd_start(p1);
	ike_peer_p1_up(ike, p1);
}

/* ---- Initiator ---- */

int
p1_initiate(struct ike *ike, struct peer *peer)
{
	struct ike_p1 *p1;
	struct isakmp_builder b;
	struct ike_sa_store st;
	const uint8_t *sa;
	size_t sa_len;
	struct pfkey_addr remote = peer->conf->address;

	remote.port = peer->conf->port != 0 ? peer->conf->port :
	    CONF_DEFAULT_PORT;
	if ((p1 = p1_new(ike, peer, true)) == NULL)
		return -1;
	p1->remote = remote;
	if (p1_route(p1) == -1) {
		/* Sent when a route appears, within the retransmissions. */
		p1_log(p1, OAKLEY_LOG_WARN, "no local socket reaches the "
		    "peer (yet)");
		p1->local = peer->conf->local_address;
	}
	ike_random(p1->entry.icookie, ISAKMP_COOKIE_LEN);
	p1->entry.remote = remote;
	if (ike_p1_sa_spec(&p1->prof, auth_method(peer), &st) == -1) {
		p1_log(p1, OAKLEY_LOG_WARN, "no usable phase 1 proposal");
		p1_free(p1);
		return -1;
	}
	p1_table_insert(&ike->table, &p1->entry, false);
	p1_log(p1, OAKLEY_LOG_INFO, "starting main mode from %s",
	    ike_addr_text(&p1->local, (char[80]){ 0 }, 80));
	plugin_run_p1_started(IKE_P1_HANDLE(p1));
	if (ike_builder_start(&b, p1, ISAKMP_EXCH_IDPROT, 0, false) == -1 ||
	    isakmp_add_sa(&b, &st.sa) == -1 ||
	    (sa = isakmp_builder_body(&b, 0, &sa_len)) == NULL ||
	    ike_buf_set(&p1->sai_b, sa, sa_len) == -1 ||
	    add_vids(p1, &b) == -1) {
		isakmp_builder_free(&b);
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot build MM1");
		return -1;
	}
	p1->state = P1_I_MM1;
	if (p1_send(p1, &b, 1, false, true) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot send MM1");
		return -1;
	}
	return 0;
}

static void
mm2_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	struct isakmp_msg *m;
	const struct isakmp_payload *sa;
	struct isakmp_builder b;
	int rc;

	if (ike_msg_decode(p1->ike, pkt, len, false, &m) == -1)
		return;
	if ((sa = need(m, ISAKMP_PT_SA)) == NULL) {
		p1_log(p1, OAKLEY_LOG_DEBUG, "MM2 without SA; dropped");
		return;
	}
	rc = ike_p1_accept(&p1->prof, auth_method(p1->peer), &sa->u.sa,
	    &p1->alg);
	if (rc != 0) {
		p1_fail(p1, OAKLEY_FAIL_NO_PROPOSAL, "the responder chose a "
		    "proposal we did not offer (%s)", isakmp_notify_name(rc));
		return;
	}
	memcpy(p1->entry.rcookie, m->hdr.rcookie, ISAKMP_COOKIE_LEN);
	read_vids(p1, m);
	if (p1_parsed(p1, m, 2) == -1)
		return;
	if (ike_profile_refresh(p1) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "the peer's profile cannot be "
		    "applied");
		return;
	}
	xmit_answered(p1->ike, &p1->xmit);
	ike_msg_remember_rx(&p1->xmit, pkt, len);
	if (p1_keygen(p1, &p1->gxi) == -1 || ike_nonce(&p1->ni) == -1 ||
	    ike_builder_start(&b, p1, ISAKMP_EXCH_IDPROT, 0, false) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot make a DH key");
		return;
	}
	isakmp_add_payload(&b, ISAKMP_PT_KE, p1->gxi.data, p1->gxi.len);
	isakmp_add_payload(&b, ISAKMP_PT_NONCE, p1->ni.data, p1->ni.len);
	if (p1->alg.auth == AUTH_RSA_SIG)
		p1_cert_request(p1, &b);
	p1->state = P1_I_MM3;
	if (p1_send(p1, &b, 3, false, true) == -1)
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot send MM3");
}

/* INITIAL-CONTACT when we hold nothing with the peer. */
static bool
want_initial_contact(struct ike_p1 *p1)
{
	return p1_count_established(p1->ike, p1->peer) == 0 &&
	    peer_sa_count(p1->peer, p1->ike->d->sa) == 0;
}

static void
mm4_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	struct isakmp_msg *m;
	struct isakmp_builder b;
	struct isakmp_notify n;

	if (ike_msg_decode(p1->ike, pkt, len, false, &m) == -1)
		return;
	if (p1_take_ke_nonce(p1, m, &p1->gxr, &p1->nr) == -1) {
		p1_log(p1, OAKLEY_LOG_DEBUG, "MM4 with a bad or missing KE or "
		    "nonce; dropped");
		return;
	}
	if (p1_parsed(p1, m, 4) == -1)
		return;
	xmit_answered(p1->ike, &p1->xmit);
	ike_msg_remember_rx(&p1->xmit, pkt, len);
	if (p1_derive(p1) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "key derivation failed");
		return;
	}
	if (ike_builder_start(&b, p1, ISAKMP_EXCH_IDPROT, 0, true) == -1 ||
	    add_id(p1, &b, &p1->idi_b) == -1 || p1_auth_make(p1, &b) == -1) {
		isakmp_builder_free(&b);
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot build MM5");
		return;
	}
	if (want_initial_contact(p1)) {
		memset(&n, 0, sizeof(n));
		n.doi = ISAKMP_DOI_IPSEC;
		n.protocol = ISAKMP_PROTO_ISAKMP;
		n.spi_size = 2 * ISAKMP_COOKIE_LEN;
		n.spi = p1->entry.icookie;	/* icookie | rcookie */
		n.type = ISAKMP_N_INITIAL_CONTACT;
		isakmp_add_notify(&b, &n);
	}
	p1->state = P1_I_MM5;
	if (p1_send(p1, &b, 5, true, true) == -1)
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot send MM5");
}

/*
 * MM5 (responder) or MM6 (initiator): decrypt, the peer's identity and
 * its proof.  0 when accepted (the IV moved on); -1 when the message was
 * dropped or the phase 1 failed (and is gone).
 */
static int
p1_take_proof(struct ike_p1 *p1, const uint8_t *pkt, size_t len,
    unsigned number)
{
	const char *who = p1->initiator ? "responder" : "initiator";
	struct isakmp_msg *m;
	struct ike_buf plain;
	uint8_t iv[IKE_BLOCK_MAX];
	int rc = -1;

	if (p1_open(p1, pkt, len, &plain, &m, iv) == -1) {
		ike_buf_free(&plain);
		if (p1->initiator) {
			p1_log(p1, OAKLEY_LOG_DEBUG, "MM6 does not decrypt; "
			    "dropped");
			return -1;
		}
		p1_fail(p1, OAKLEY_FAIL_AUTH, "MM5 does not decrypt (keys "
		    "differ: wrong pre-shared key?)");
		return -1;
	}
	if (take_id(p1, m, p1->initiator ? &p1->idr_b : &p1->idi_b) == -1)
		p1_fail(p1, OAKLEY_FAIL_AUTH, "the %s's identity %s is not "
		    "the one configured", who, p1->remote_id);
	else if (p1_auth_verify(p1, m) == -1)
		p1_fail(p1, OAKLEY_FAIL_AUTH, "authentication of the %s "
		    "failed", who);
	else if (p1_parsed(p1, m, number) == 0) {
		p1->initial_contact = has_initial_contact(m);
		memcpy(p1->keys.iv, iv, sizeof(p1->keys.iv));
		xmit_answered(p1->ike, &p1->xmit);
		ike_msg_remember_rx(&p1->xmit, pkt, len);
		rc = 0;
	}
	ike_buf_free(&plain);
	return rc;
}

static void
mm6_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	if (p1_take_proof(p1, pkt, len, 6) == 0)
		p1_established(p1);
}

/* ---- Responder ---- */

static bool
refuse_half_open(struct ike *ike, const struct pfkey_addr *from)
{
	static time_t last_log;
	char where[80];
	int rc;

	if ((rc = p1_table_admit(&ike->table, from)) == 0)
		return false;
	ike->stats.half_open_refused++;
	if (log_once_a_second(&last_log)) {
		log_warn("IKE: MM1 from %s refused: %s (%zu half-open phase "
		    "1s, %zu from this address)",
		    ike_addr_text(from, where, sizeof(where)),
		    rc == EAGAIN ? "too many half-open phase 1s" :
		    "too many half-open phase 1s from this address",
		    ike->table.half_count, p1_table_half_from(&ike->table,
		    from));
	}
	return true;
}

/*
 * An MM1 we do not answer with MM2: the plugins, which saw its vendor
 * IDs, hear how it ended; no state is kept.
 */
static void
p1_refuse(struct ike_p1 *p1, enum oakley_failure why)
{
	p1->ike->stats.p1_failed++;
	plugin_run_p1_failed(IKE_P1_HANDLE(p1), why);
	plugin_run_p1_deleted(IKE_P1_HANDLE(p1));
	p1_free(p1);
}

static void
p1_respond(struct ike *ike, struct ike_sock *sock, const uint8_t *pkt,
    size_t len, const struct pfkey_addr *from, const struct pfkey_addr *to)
{
	static time_t last_unknown, last_no_proposal;
	struct isakmp_msg *m;
	const struct isakmp_payload *sa;
	const struct isakmp_proposal *prop;
	const struct isakmp_transform *xf;
	struct isakmp_builder b;
	struct ike_p1 *p1;
	struct peer *peer;
	char where[80];
	int rc;

	ike_addr_text(from, where, sizeof(where));
	if ((peer = ike_peer_by_addr(ike, from)) == NULL) {
		ike->stats.dropped++;
		if (log_once_a_second(&last_unknown))
			log_info("IKE: MM1 from %s: no peer with that "
			    "address; dropped", where);
		return;
	}
	if (refuse_half_open(ike, from))
		return;
	if (ike_msg_decode(ike, pkt, len, false, &m) == -1)
		return;
	if ((sa = need(m, ISAKMP_PT_SA)) == NULL || m->payloads[0].type !=
	    ISAKMP_PT_SA) {
		log_debug("IKE: MM1 from %s without SA first; dropped",
		    where);
		return;
	}
	if ((p1 = p1_new(ike, peer, false)) == NULL)
		return;
	p1->sock = sock;
	p1->remote = *from;
	p1->local = *to;
	p1->entry.remote = *from;
	p1_note_rx(p1, sock, from, to);
	memcpy(p1->entry.icookie, m->hdr.icookie, ISAKMP_COOKIE_LEN);
	ike_random(p1->entry.rcookie, ISAKMP_COOKIE_LEN);
	/* The vendor IDs may choose the profile ("auto") we choose from. */
	plugin_run_p1_started(IKE_P1_HANDLE(p1));
	read_vids(p1, m);
	/* Unauthenticated: why at debug; the refusal an admin needs to
	 * see at most once a second, for anyone can send these. */
	if (p1_parsed(p1, m, 1) == -1 || ike_profile_refresh(p1) == -1) {
		p1_log(p1, OAKLEY_LOG_DEBUG, "MM1 refused");
		p1_refuse(p1, OAKLEY_FAIL_OTHER);
		return;
	}
	rc = ike_p1_choose(&p1->prof, auth_method(peer), &sa->u.sa, &p1->alg,
	    &prop, &xf);
	if (rc != 0) {
		p1_log(p1, log_once_a_second(&last_no_proposal) ?
		    OAKLEY_LOG_INFO : OAKLEY_LOG_DEBUG, "no proposal of the "
		    "initiator is acceptable: answering NO-PROPOSAL-CHOSEN");
		info_send_clear_notify(ike, sock, to, from, m->hdr.icookie,
		    p1->entry.rcookie, ISAKMP_N_NO_PROPOSAL_CHOSEN);
		p1_refuse(p1, OAKLEY_FAIL_NO_PROPOSAL);
		return;
	}
	p1_table_insert(&ike->table, &p1->entry, true);
	p1_log(p1, OAKLEY_LOG_INFO, "responding to main mode on %s",
	    ike_addr_text(to, where, sizeof(where)));
	if (ike_buf_set(&p1->sai_b, sa->body, sa->len) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "out of memory");
		return;
	}
	ike_msg_remember_rx(&p1->xmit, pkt, len);
	if ((p1->group = dh_group(p1->alg.group)) == NULL ||
	    ike_builder_start(&b, p1, ISAKMP_EXCH_IDPROT, 0, false) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot build MM2");
		return;
	}
	if (ike_add_chosen_sa(&b, prop, xf, prop->spi, prop->spi_size) ==
	    -1 || add_vids(p1, &b) == -1) {
		isakmp_builder_free(&b);
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot build MM2");
		return;
	}
	p1->state = P1_R_MM2;
	if (p1_send(p1, &b, 2, false, true) == -1)
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot send MM2");
}

static void
mm3_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	struct isakmp_msg *m;
	struct isakmp_builder b;

	if (ike_msg_decode(p1->ike, pkt, len, false, &m) == -1)
		return;
	if (p1_take_ke_nonce(p1, m, &p1->gxi, &p1->ni) == -1) {
		p1_log(p1, OAKLEY_LOG_DEBUG, "MM3 with a bad or missing KE or "
		    "nonce; dropped");
		return;
	}
	if (p1_parsed(p1, m, 3) == -1)
		return;
	xmit_answered(p1->ike, &p1->xmit);
	ike_msg_remember_rx(&p1->xmit, pkt, len);
	if (p1_keygen(p1, &p1->gxr) == -1 || ike_nonce(&p1->nr) == -1 ||
	    p1_derive(p1) == -1 ||
	    ike_builder_start(&b, p1, ISAKMP_EXCH_IDPROT, 0, false) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "key exchange failed");
		return;
	}
	isakmp_add_payload(&b, ISAKMP_PT_KE, p1->gxr.data, p1->gxr.len);
	isakmp_add_payload(&b, ISAKMP_PT_NONCE, p1->nr.data, p1->nr.len);
	if (p1->alg.auth == AUTH_RSA_SIG)
		p1_cert_request(p1, &b);
	p1->state = P1_R_MM4;
	if (p1_send(p1, &b, 4, false, true) == -1)
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot send MM4");
}

static void
mm5_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	struct isakmp_builder b;

	if (p1_take_proof(p1, pkt, len, 5) == -1)
		return;
	if (ike_builder_start(&b, p1, ISAKMP_EXCH_IDPROT, 0, true) == -1 ||
	    add_id(p1, &b, &p1->idr_b) == -1 || p1_auth_make(p1, &b) == -1) {
		isakmp_builder_free(&b);
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot build MM6");
		return;
	}
	if (p1_send(p1, &b, 6, true, false) == -1) {
		p1_fail(p1, OAKLEY_FAIL_OTHER, "cannot send MM6");
		return;
	}
	p1_established(p1);
}

/* ---- Dispatch ---- */

void
p1_input(struct ike *ike, struct ike_p1 *p1, struct ike_sock *sock,
    const uint8_t *pkt, size_t len, const struct pfkey_addr *from,
    const struct pfkey_addr *to)
{
	bool encrypted = (pkt[19] & ISAKMP_FLAG_E) != 0;

	(void)to;
	if (p1 == NULL) {
		p1_respond(ike, sock, pkt, len, from, to);
		return;
	}
	if (!ike_addr_same_host(from, &p1->remote)) {
		p1_log(p1, OAKLEY_LOG_DEBUG, "main mode message from another "
		    "address; dropped");
		return;
	}
	if (xmit_duplicate(p1, &p1->xmit, pkt, len))
		return;
	switch (p1->state) {
	case P1_I_MM1:
		if (!encrypted)
			mm2_input(p1, pkt, len);
		return;
	case P1_I_MM3:
		if (!encrypted)
			mm4_input(p1, pkt, len);
		return;
	case P1_I_MM5:
		if (encrypted)
			mm6_input(p1, pkt, len);
		return;
	case P1_R_MM2:
		if (!encrypted)
			mm3_input(p1, pkt, len);
		return;
	case P1_R_MM4:
		if (encrypted)
			mm5_input(p1, pkt, len);
		else
			p1_log(p1, OAKLEY_LOG_DEBUG, "MM5 in the clear; "
			    "dropped");
		return;
	case P1_ESTABLISHED:
	case P1_EXPIRED:
		p1_log(p1, OAKLEY_LOG_DEBUG, "main mode message for an "
		    "established phase 1; dropped");
		return;
	}
}
