/*
 * Quick mode (RFC 2409 5.5), initiator and responder, under an
 * established phase 1:
 *
 *	QM1  I->R  HASH(1), SA, Ni [, KE] [, IDci, IDcr]
 *	QM2  R->I  HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]
 *	QM3  I->R  HASH(3)
 *
 * all encrypted, the IV of each exchange starting from the last phase-1
 * block and the message ID, then chaining.  The IDs come from the policy
 * (initiator) or select it (responder: the policy whose remote selector
 * is IDci and local selector IDcr; without IDs, a transport policy
 * between the phase-1 addresses).  The initiator installs after QM2, the
 * responder after QM3 (install.c).  A finished exchange stays a minute to
 * answer a duplicate QM2 with QM3 again; anything else arriving for it
 * (the fourth message some Windows servers send) is ignored.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

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

#define ENCAP_TUNNEL	1
#define ENCAP_TRANSPORT	2

const char *
p2_state_name(enum p2_state s)
{
	switch (s) {
	case P2_I_GETSPI:
		return "starting";
	case P2_I_QM1:
		return "QM1-sent";
	case P2_R_QM2:
		return "QM2-sent";
	case P2_DONE:
		return "done";
	}
	return "unknown";
}

static void
p2_log(const struct ike_p2 *p2, bool info, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
p2_log(const struct ike_p2 *p2, bool info, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (info)
		log_info("IKE: quick mode %08x with %s: %s", p2->msgid,
		    ike_peer_name(p2->p1->peer), text);
	else
		log_debug("IKE: quick mode %08x with %s: %s", p2->msgid,
		    ike_peer_name(p2->p1->peer), text);
}

/* ---- Life ---- */

static void
p2_done_fired(struct timer *t, void *arg)
{
	(void)t;
	p2_free(arg);
}

static struct ike_p2 *
p2_find(struct ike_p1 *p1, uint32_t msgid)
{
	struct ike_p2 *p2;

	TAILQ_FOREACH(p2, &p1->p2s, link)
		if (p2->msgid == msgid)
			return p2;
	return NULL;
}

static struct ike_p2 *
p2_new(struct ike_p1 *p1, uint32_t msgid, bool initiator)
{
	struct ike_p2 *p2;

	if ((p2 = calloc(1, sizeof(*p2))) == NULL)
		return NULL;
	if ((p2->flags = plugin_flags_new()) == NULL) {
		free(p2);
		return NULL;
	}
	while (msgid == 0)
		if (p2_find(p1, msgid = ike_random32()) != NULL)
			msgid = 0;
	p2->p1 = p1;
	p2->msgid = msgid;
	p2->initiator = initiator;
	p2->nego_id = ++p1->ike->next_nego;
	xmit_init_p2(p2);
	timer_init(&p2->done_timer, p2_done_fired, p2);
	TAILQ_INSERT_TAIL(&p1->p2s, p2, link);
	plugin_run_p2_started(IKE_P2_HANDLE(p2));
	return p2;
}

void
p2_free(struct ike_p2 *p2)
{
	struct ike *ike = p2->p1->ike;

	plugin_run_p2_deleted(IKE_P2_HANDLE(p2));
	if (p2->want != NULL)
		p2->want->p2 = NULL;
	TAILQ_REMOVE(&p2->p1->p2s, p2, link);
	timer_remove(ike->d->timers, &p2->done_timer);
	xmit_free(ike, &p2->xmit);
	dh_key_free(p2->group, p2->dh);
	ike_buf_free(&p2->ni);
	ike_buf_free(&p2->nr);
	ike_buf_free(&p2->gxi);
	ike_buf_free(&p2->gxr);
	ike_buf_free(&p2->gqm);
	plugin_flags_free(p2->flags);
	explicit_bzero(p2, sizeof(*p2));
	free(p2);
}

void
p2_fail(struct ike_p2 *p2, enum oakley_failure why)
{
	struct ike *ike = p2->p1->ike;
	struct peer *peer = p2->p1->peer;
	struct ike_want *want = p2->want;
	size_t n;

	n = sa_negotiation_abort(ike->d->sa, p2->nego_id);
	p2_log(p2, true, "failed%s", n > 0 ? "; its SAs were removed" : "");
	ike->stats.p2_failed++;
	plugin_run_p2_failed(IKE_P2_HANDLE(p2), why);
	p2->want = NULL;
	if (want != NULL)
		want->p2 = NULL;
	p2_free(p2);
	if (want != NULL)
		ike_want_done(ike, peer, want, false);
}

static void
p2_finished(struct ike_p2 *p2)
{
	struct ike *ike = p2->p1->ike;
	struct peer *peer = p2->p1->peer;
	struct ike_want *want = p2->want;

	p2->state = P2_DONE;
	p2->p1->p2_done++;
	ike->stats.p2_up++;
	timer_add_in(ike->d->timers, &p2->done_timer, IKE_DONE_KEEP_MS);
	plugin_run_p2_established(IKE_P2_HANDLE(p2));
	p2->want = NULL;
	if (want != NULL) {
		want->p2 = NULL;
		ike_want_done(ike, peer, want, true);
	} else
		ike_want_met(ike, peer, p2->policy);
}

/* ---- Helpers ---- */

static int
encap_in(void *arg, uint16_t *attr)
{
	return plugin_run_p2_encap(IKE_P2_HANDLE(arg), true, attr);
}

static const struct conf_policy *
p2_policy(const struct ike_p2 *p2)
{
	const struct conf_peer *cp = p2->p1->peer->conf;

	return p2->policy < cp->npolicies ? &cp->policies[p2->policy] : NULL;
}

static void
host_of(const struct pfkey_addr *in, struct pfkey_addr *out)
{
	pfkey_addr_set(out, in->family, in->addr, 0,
	    in->family == AF_INET6 ? 128 : 32, PFKEY_ULPROTO_ANY);
}

static void
p2_endpoints(struct ike_p2 *p2, const struct conf_policy *cp)
{
	const struct ike_p1 *p1 = p2->p1;

	p2->mode = cp->mode == CONF_MODE_TUNNEL ? PFKEY_MODE_TUNNEL :
	    PFKEY_MODE_TRANSPORT;
	p2->reqid = cp->reqid;
	if (p2->mode == PFKEY_MODE_TUNNEL) {
		host_of(cp->tunnel_local.family != 0 ? &cp->tunnel_local :
		    &p1->local, &p2->sa_local);
		host_of(cp->tunnel_remote.family != 0 ? &cp->tunnel_remote :
		    &p1->remote, &p2->sa_remote);
	} else {
		host_of(&p1->local, &p2->sa_local);
		host_of(&p1->remote, &p2->sa_remote);
	}
}

static int
p2_keygen(struct ike_p2 *p2, uint16_t group, struct ike_buf *pub)
{
	return ike_dh_keygen(group, &p2->group, &p2->dh, pub);
}

static int
p2_take_ke(struct ike_p2 *p2, const struct isakmp_msg *m, struct ike_buf *gx)
{
	const struct isakmp_payload *ke = isakmp_msg_find(m, ISAKMP_PT_KE,
	    NULL);

	if (p2->group == NULL)
		return ke == NULL ? 0 : -1;
	if (ke == NULL || ke->len != p2->group->public_len ||
	    dh_check_peer(p2->group, ke->body, ke->len) == -1)
		return -1;
	ike_buf_free(gx);	/* from a QM2 a plugin refused */
	return ike_buf_set(gx, ke->body, ke->len);
}

static int
p2_derive_gqm(struct ike_p2 *p2)
{
	if (p2->group == NULL)
		return 0;
	if (ike_buf_alloc(&p2->gqm, dh_secret_len(p2->group)) == -1 ||
	    dh_derive(p2->group, p2->dh, p2->initiator ? p2->gxr.data :
	    p2->gxi.data, p2->group->public_len, p2->gqm.data,
	    p2->gqm.len) == -1)
		return -1;
	p2_log(p2, false, "PFS with DH group %u (%s): %zu-byte KE, %zu-byte "
	    "g^xy", (unsigned)p2->group->group, p2->group->name,
	    p2->group->public_len, p2->gqm.len);
	return 0;
}

static int
take_nonce(const struct isakmp_msg *m, struct ike_buf *n)
{
	const struct isakmp_payload *pl = isakmp_msg_find(m, ISAKMP_PT_NONCE,
	    NULL);

	if (pl == NULL || pl->len < IKE_NONCE_MIN || pl->len > IKE_NONCE_MAX)
		return -1;
	ike_buf_free(n);	/* from a QM2 a plugin refused */
	return ike_buf_set(n, pl->body, pl->len);
}

/* HASH(1) or HASH(2) into payload 0 of b, over what follows it. */
static int
fill_hash12(struct ike_p2 *p2, struct isakmp_builder *b, bool second)
{
	const struct ike_p1_keys *k = &p2->p1->keys;
	const uint8_t *rest;
	uint8_t *hash;
	size_t rlen, hlen;

	rest = isakmp_builder_after(b, 0, &rlen);
	hash = isakmp_builder_body(b, 0, &hlen);
	if (rest == NULL || hash == NULL || hlen != k->prf->len)
		return -1;
	if (second)
		return ike_qm_hash2(k->prf, IKE_CHUNK_BUF(&k->skeyid_a),
		    p2->msgid, IKE_CHUNK_BUF(&p2->ni), IKE_CHUNK(rest, rlen),
		    hash);
	return ike_qm_hash1(k->prf, IKE_CHUNK_BUF(&k->skeyid_a), p2->msgid,
	    IKE_CHUNK(rest, rlen), hash);
}

/* HASH(1)/HASH(2) of a received message: payload 0, over the rest. */
static int
check_hash12(const struct ike_p1 *p1, uint32_t msgid,
    const struct ike_buf *ni, const struct isakmp_msg *m)
{
	const struct ike_p1_keys *k = &p1->keys;
	uint8_t h[IKE_HASH_MAX];
	const uint8_t *rest;
	size_t rlen;
	int rc;

	if (m->n_payloads < 2 || m->payloads[0].type != ISAKMP_PT_HASH ||
	    m->payloads[0].len != k->prf->len ||
	    (rest = isakmp_msg_after(m, 0, &rlen)) == NULL)
		return -1;
	if (ni != NULL)
		rc = ike_qm_hash2(k->prf, IKE_CHUNK_BUF(&k->skeyid_a), msgid,
		    IKE_CHUNK_BUF(ni), IKE_CHUNK(rest, rlen), h);
	else
		rc = ike_qm_hash1(k->prf, IKE_CHUNK_BUF(&k->skeyid_a), msgid,
		    IKE_CHUNK(rest, rlen), h);
	if (rc == 0 && CRYPTO_memcmp(h, m->payloads[0].body, k->prf->len) !=
	    0)
		rc = -1;
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}

/* Seal with the exchange's IV chain and send. */
static int
p2_send(struct ike_p2 *p2, struct isakmp_builder *b, bool expect)
{
	uint8_t *pkt;
	size_t len;
	int rc;

	rc = ike_msg_seal(b, p2->p1, p2->iv, true, &pkt, &len);
	isakmp_builder_free(b);
	if (rc == -1)
		return -1;
	return xmit_send(p2->p1, p2, &p2->xmit, pkt, len, expect);
}

static int
p2_build_hook(struct ike_p2 *p2, struct isakmp_builder *b, unsigned number)
{
	struct oakley_msg om;

	ike_msg_init(&om, p2->p1, p2, OAKLEY_EXCH_QUICK, number, false);
	om.b = b;
	return ike_msg_build(&om);
}

static int
p2_parsed_hook(struct ike_p2 *p2, const struct isakmp_msg *m,
    unsigned number)
{
	struct oakley_msg om;

	ike_msg_init(&om, p2->p1, p2, OAKLEY_EXCH_QUICK, number, true);
	om.m = m;
	return ike_msg_parsed(&om);
}

/* ---- Initiator ---- */

int
p2_initiate(struct ike_p1 *p1, struct ike_want *want)
{
	const struct conf_policy *cp;
	struct ike_sa_store st;
	struct isakmp_builder b;
	struct ike_p2 *p2;
	uint16_t encap, group;

	if ((p2 = p2_new(p1, 0, true)) == NULL)
		return -1;
	p2->want = want;
	want->p2 = p2;
	p2->policy = want->policy;
	p2->acquire_seq = want->acquire ? want->seq : 0;
	p2->rekey_of = want->rekey_of;
	p2->state = P2_I_GETSPI;
	if ((cp = p2_policy(p2)) == NULL) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return -1;
	}
	p2_endpoints(p2, cp);
	if (p2_getspi(p2) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return -1;
	}
	encap = p2->mode == PFKEY_MODE_TUNNEL ? ENCAP_TUNNEL : ENCAP_TRANSPORT;
	if (ike_profile_refresh(p1) == -1 ||
	    plugin_run_p2_encap(IKE_P2_HANDLE(p2), false, &encap) != 0 ||
	    ike_p2_sa_spec(&p1->prof, p2->spi_in, encap, &st, &group) == -1) {
		p2_log(p2, true, "no usable phase 2 proposal");
		p2_fail(p2, OAKLEY_FAIL_NO_PROPOSAL);
		return -1;
	}
	p2->idci_len = p2->idcr_len = IKE_ID_MAX;
	if (ike_nonce(&p2->ni) == -1 ||
	    (group != 0 && p2_keygen(p2, group, &p2->gxi) == -1) ||
	    ike_id_from_selector(&cp->local, cp->proto, p2->idci,
	    &p2->idci_len) == -1 ||
	    ike_id_from_selector(&cp->remote, cp->proto, p2->idcr,
	    &p2->idcr_len) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return -1;
	}
	p2->has_ids = true;
	if (ike_builder_start(&b, p1, ISAKMP_EXCH_QUICK, p2->msgid, true) ==
	    -1)
		goto fail;
	isakmp_add_payload(&b, ISAKMP_PT_HASH, NULL, p1->keys.prf->len);
	isakmp_add_sa(&b, &st.sa);
	isakmp_add_payload(&b, ISAKMP_PT_NONCE, p2->ni.data, p2->ni.len);
	if (group != 0)
		isakmp_add_payload(&b, ISAKMP_PT_KE, p2->gxi.data,
		    p2->gxi.len);
	isakmp_add_payload(&b, ISAKMP_PT_ID, p2->idci, p2->idci_len);
	isakmp_add_payload(&b, ISAKMP_PT_ID, p2->idcr, p2->idcr_len);
	if (b.failed || p2_build_hook(p2, &b, 1) != 0 ||
	    fill_hash12(p2, &b, false) == -1) {
		isakmp_builder_free(&b);
		goto fail;
	}
	if (ike_p2_iv(p1->keys.prf, p1->keys.cipher, p1->keys.iv, p2->msgid,
	    p2->iv) == -1) {
		isakmp_builder_free(&b);
		goto fail;
	}
	p2->state = P2_I_QM1;
	p2_log(p2, true, "starting for policy %zu (%s mode, SPI in "
	    "0x%08x)", p2->policy + 1, p2->mode == PFKEY_MODE_TUNNEL ?
	    "tunnel" : "transport", p2->spi_in);
	if (p2_send(p2, &b, true) == -1)
		goto fail;
	return 0;
fail:
	p2_fail(p2, OAKLEY_FAIL_OTHER);
	return -1;
}

/* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): attributes in the data. */
static void
responder_lifetime(struct ike_p2 *p2, const struct isakmp_notify *n)
{
	const uint8_t *d = n->data;
	size_t left = n->data_len, vlen;
	uint64_t type = 0, v;
	uint16_t at;

	while (left >= 4) {
		at = (uint16_t)(d[0] << 8 | d[1]);
		if (at & 0x8000) {
			v = (uint64_t)(d[2] << 8 | d[3]);
			vlen = 0;
		} else {
			vlen = (size_t)(d[2] << 8 | d[3]);
			if (vlen == 0 || vlen > 8 || vlen > left - 4)
				return;
			v = 0;
			for (size_t i = 0; i < vlen; i++)
				v = v << 8 | d[4 + i];
		}
		at &= 0x7fff;
		if (at == IPSEC_ATTR_LIFE_TYPE)
			type = v;
		else if (at == IPSEC_ATTR_LIFE_DURATION && v != 0) {
			if (type == ISAKMP_LIFE_SECONDS && (p2->alg.life_s == 0 ||
			    v < p2->alg.life_s))
				p2->alg.life_s = v;
			if (type == ISAKMP_LIFE_KILOBYTES &&
			    (p2->alg.life_kb == 0 || v < p2->alg.life_kb))
				p2->alg.life_kb = v;
		}
		d += 4 + vlen;
		left -= 4 + vlen;
	}
	p2->responder_lifetime = true;
	p2_log(p2, true, "RESPONDER-LIFETIME: %llu s, %llu KB",
	    (unsigned long long)p2->alg.life_s,
	    (unsigned long long)p2->alg.life_kb);
}

static bool
ids_echoed(const struct ike_p2 *p2, const struct isakmp_msg *m)
{
	const struct isakmp_payload *a = isakmp_msg_find(m, ISAKMP_PT_ID,
	    NULL), *b;

	if (a == NULL)
		return true;	/* not echoed: accepted as ours */
	b = isakmp_msg_find(m, ISAKMP_PT_ID, a);
	return b != NULL && a->len == p2->idci_len && b->len == p2->idcr_len &&
	    memcmp(a->body, p2->idci, a->len) == 0 &&
	    memcmp(b->body, p2->idcr, b->len) == 0;
}

static void
qm2_input(struct ike_p2 *p2, const uint8_t *pkt, size_t len,
    struct isakmp_msg *m, const uint8_t *iv)
{
	struct ike_p1 *p1 = p2->p1;
	const struct isakmp_payload *sa, *pl = NULL;
	struct ike_p2_choice ch;
	struct isakmp_builder b;
	uint8_t *hash;
	size_t hlen;
	int rc;

	if (check_hash12(p1, p2->msgid, &p2->ni, m) == -1) {
		p2_log(p2, false, "QM2 with a bad HASH(2); dropped");
		return;
	}
	p1->last_rx_ms = timers_now(p1->ike->d->timers);
	if ((sa = isakmp_msg_find(m, ISAKMP_PT_SA, NULL)) == NULL ||
	    take_nonce(m, &p2->nr) == -1) {
		p2_log(p2, true, "QM2 without SA or nonce; dropped");
		return;
	}
	rc = ike_p2_accept(&p1->prof, &sa->u.sa, p2->spi_in, p2->mode,
	    encap_in, p2, &ch);
	if (rc != 0 || p2_take_ke(p2, m, &p2->gxr) == -1 ||
	    (p2->group != NULL) != (ch.alg.group != 0) ||
	    !ids_echoed(p2, m)) {
		p2_log(p2, true, "the responder's answer does not match what "
		    "we offered");
		p2_fail(p2, OAKLEY_FAIL_NO_PROPOSAL);
		return;
	}
	p2->alg = ch.alg;
	p2->spi_out = ike_get32(ch.prop->spi);
	while ((pl = isakmp_msg_find(m, ISAKMP_PT_N, pl)) != NULL)
		if (pl->u.notify.type == ISAKMP_N_RESPONDER_LIFETIME)
			responder_lifetime(p2, &pl->u.notify);
	if (p2_parsed_hook(p2, m, 2) == -1)
		return;
	memcpy(p2->iv, iv, sizeof(p2->iv));
	xmit_answered(p1->ike, &p2->xmit);
	ike_msg_remember_rx(&p2->xmit, pkt, len);
	if (p2_derive_gqm(p2) == -1 ||
	    ike_builder_start(&b, p1, ISAKMP_EXCH_QUICK, p2->msgid, true) ==
	    -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	isakmp_add_payload(&b, ISAKMP_PT_HASH, NULL, p1->keys.prf->len);
	hash = isakmp_builder_body(&b, 0, &hlen);
	if (hash == NULL || ike_qm_hash3(p1->keys.prf,
	    IKE_CHUNK_BUF(&p1->keys.skeyid_a), p2->msgid,
	    IKE_CHUNK_BUF(&p2->ni), IKE_CHUNK_BUF(&p2->nr), hash) == -1 ||
	    p2_build_hook(p2, &b, 3) != 0) {
		isakmp_builder_free(&b);
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	if (p2_send(p2, &b, false) == -1 || p2_install(p2) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	p2_finished(p2);
}

/* ---- Responder ---- */

/* The policy the peer's IDs select; -1 if none. */
static int
policy_for_ids(struct ike_p2 *p2, const struct isakmp_msg *m)
{
	const struct conf_peer *cp = p2->p1->peer->conf;
	const struct isakmp_payload *a, *b;
	struct pfkey_addr si, sr, li, lr;
	uint8_t pi, pr;
	size_t i;

	a = isakmp_msg_find(m, ISAKMP_PT_ID, NULL);
	b = a != NULL ? isakmp_msg_find(m, ISAKMP_PT_ID, a) : NULL;
	if (a == NULL) {
		host_of(&p2->p1->remote, &li);
		host_of(&p2->p1->local, &lr);
		for (i = 0; i < cp->npolicies; i++)
			if (cp->policies[i].mode == CONF_MODE_TRANSPORT &&
			    ike_selector_equal(&cp->policies[i].remote,
			    PFKEY_ULPROTO_ANY, &li, PFKEY_ULPROTO_ANY) &&
			    ike_selector_equal(&cp->policies[i].local,
			    PFKEY_ULPROTO_ANY, &lr, PFKEY_ULPROTO_ANY))
				return (int)i;
		return -1;
	}
	if (b == NULL || ike_id_to_selector(&a->u.id, &si, &pi) == -1 ||
	    ike_id_to_selector(&b->u.id, &sr, &pr) == -1 || pi != pr)
		return -1;
	for (i = 0; i < cp->npolicies; i++) {
		const struct conf_policy *pol = &cp->policies[i];

		if (ike_selector_equal(&pol->remote, pol->proto, &si, pi) &&
		    ike_selector_equal(&pol->local, pol->proto, &sr, pr))
			break;
	}
	if (i == cp->npolicies)
		return -1;
	if (a->len > IKE_ID_MAX || b->len > IKE_ID_MAX)
		return -1;
	memcpy(p2->idci, a->body, a->len);
	p2->idci_len = a->len;
	memcpy(p2->idcr, b->body, b->len);
	p2->idcr_len = b->len;
	p2->has_ids = true;
	return (int)i;
}

static void
ids_text(const struct isakmp_msg *m, char *buf, size_t len)
{
	const struct isakmp_payload *a, *b;
	char ta[128], tb[128];

	a = isakmp_msg_find(m, ISAKMP_PT_ID, NULL);
	b = a != NULL ? isakmp_msg_find(m, ISAKMP_PT_ID, a) : NULL;
	if (a == NULL || b == NULL) {
		snprintf(buf, len, "(no IDs)");
		return;
	}
	ike_id_text(&a->u.id, ta, sizeof(ta));
	ike_id_text(&b->u.id, tb, sizeof(tb));
	snprintf(buf, len, "%s <-> %s", ta, tb);
}

static size_t
put_life_attr(uint8_t *p, uint16_t type, uint64_t v)
{
	p[0] = (uint8_t)(0x80 | IPSEC_ATTR_LIFE_TYPE >> 8);
	p[1] = (uint8_t)IPSEC_ATTR_LIFE_TYPE;
	p[2] = 0;
	p[3] = (uint8_t)type;
	if (v <= 0xffff) {
		p[4] = 0x80;
		p[5] = IPSEC_ATTR_LIFE_DURATION;
		p[6] = (uint8_t)(v >> 8);
		p[7] = (uint8_t)v;
		return 8;
	}
	p[4] = 0;
	p[5] = IPSEC_ATTR_LIFE_DURATION;
	p[6] = 0;
	p[7] = 4;
	ike_put32(p + 8, (uint32_t)v);
	return 12;
}

static void
add_responder_lifetime(struct ike_p2 *p2, struct isakmp_builder *b,
    bool secs, bool kb)
{
	struct isakmp_notify n;
	uint8_t data[24], spib[4];
	size_t len = 0;

	if (secs)
		len += put_life_attr(data + len, ISAKMP_LIFE_SECONDS,
		    p2->alg.life_s);
	if (kb)
		len += put_life_attr(data + len, ISAKMP_LIFE_KILOBYTES,
		    p2->alg.life_kb);
	ike_put32(spib, p2->spi_out);
	memset(&n, 0, sizeof(n));
	n.doi = ISAKMP_DOI_IPSEC;
	n.protocol = ISAKMP_PROTO_ESP;
	n.spi_size = 4;
	n.spi = spib;
	n.type = ISAKMP_N_RESPONDER_LIFETIME;
	n.data = data;
	n.data_len = len;
	isakmp_add_notify(b, &n);
	p2_log(p2, true, "our lifetime is shorter: RESPONDER-LIFETIME %llu s, "
	    "%llu KB", (unsigned long long)p2->alg.life_s,
	    (unsigned long long)p2->alg.life_kb);
}

/* Lifetimes: the shorter of ours and theirs; RESPONDER-LIFETIME if ours. */
static void
p2_lifetimes(struct ike_p2 *p2, const struct ike_p2_choice *ch,
    bool *secs, bool *kb)
{
	ike_p2_lifetimes(ch, &p2->alg, secs, kb);
	p2->responder_lifetime = *secs || *kb;
}

static int
qm2_build(struct ike_p2 *p2, const struct ike_p2_choice *ch, bool secs,
    bool kb)
{
	struct ike_p1 *p1 = p2->p1;
	struct isakmp_builder b;
	uint8_t spib[4];

	if (ike_builder_start(&b, p1, ISAKMP_EXCH_QUICK, p2->msgid, true) ==
	    -1)
		return -1;
	isakmp_add_payload(&b, ISAKMP_PT_HASH, NULL, p1->keys.prf->len);
	ike_put32(spib, p2->spi_in);
	ike_add_chosen_sa(&b, ch->prop, ch->xf, spib, sizeof(spib));
	isakmp_add_payload(&b, ISAKMP_PT_NONCE, p2->nr.data, p2->nr.len);
	if (p2->group != NULL)
		isakmp_add_payload(&b, ISAKMP_PT_KE, p2->gxr.data,
		    p2->gxr.len);
	if (p2->has_ids && p2->idci_len > 0) {
		isakmp_add_payload(&b, ISAKMP_PT_ID, p2->idci, p2->idci_len);
		isakmp_add_payload(&b, ISAKMP_PT_ID, p2->idcr, p2->idcr_len);
	}
	if (secs || kb)
		add_responder_lifetime(p2, &b, secs, kb);
	if (b.failed || p2_build_hook(p2, &b, 2) != 0 ||
	    fill_hash12(p2, &b, true) == -1) {
		isakmp_builder_free(&b);
		return -1;
	}
	p2->state = P2_R_QM2;
	return p2_send(p2, &b, true);
}

/*
 * Refuse a QM1: an encrypted notify naming the initiator's SPI (its first
 * ESP proposal), so it can fail that exchange at once; no state left.
 */
static void
qm1_refuse(struct ike_p2 *p2, uint16_t notify, const char *why,
    const struct isakmp_msg *m)
{
	const struct isakmp_payload *sa = isakmp_msg_find(m, ISAKMP_PT_SA,
	    NULL);
	const uint8_t *spi = NULL;
	char ids[300];
	unsigned i;

	for (i = 0; sa != NULL && i < sa->u.sa.n_proposals && spi == NULL;
	    i++)
		if (sa->u.sa.proposals[i].protocol == ISAKMP_PROTO_ESP &&
		    sa->u.sa.proposals[i].spi_size == 4)
			spi = sa->u.sa.proposals[i].spi;
	ids_text(m, ids, sizeof(ids));
	p2_log(p2, true, "refused: %s (%s); answering %s", why, ids,
	    isakmp_notify_name(notify));
	info_send_notify(p2->p1, notify, ISAKMP_PROTO_ESP, spi,
	    spi != NULL ? 4 : 0, NULL, 0);
	p2_fail(p2, notify == ISAKMP_N_NO_PROPOSAL_CHOSEN ?
	    OAKLEY_FAIL_NO_PROPOSAL : OAKLEY_FAIL_OTHER);
}

static void
qm1_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len,
    struct isakmp_msg *m, const uint8_t *iv)
{
	const struct isakmp_payload *sa;
	const struct conf_policy *cp;
	struct ike_p2_choice ch;
	struct ike_p2 *p2;
	bool secs, kb;
	int pol;

	if (check_hash12(p1, m->hdr.msgid, NULL, m) == -1) {
		log_debug("IKE: QM1 %08x from %s with a bad HASH(1); dropped",
		    m->hdr.msgid, ike_peer_name(p1->peer));
		return;
	}
	if (ike_msgid_replayed(&p1->seen_qm, m->hdr.msgid)) {
		log_debug("IKE: QM1 %08x from %s replayed; dropped",
		    m->hdr.msgid, ike_peer_name(p1->peer));
		return;
	}
	p1->last_rx_ms = timers_now(p1->ike->d->timers);
	if ((sa = isakmp_msg_find(m, ISAKMP_PT_SA, NULL)) == NULL ||
	    isakmp_msg_find(m, ISAKMP_PT_NONCE, NULL) == NULL) {
		log_info("IKE: QM1 %08x from %s without SA or nonce; dropped",
		    m->hdr.msgid, ike_peer_name(p1->peer));
		return;
	}
	if ((p2 = p2_new(p1, m->hdr.msgid, false)) == NULL)
		return;
	memcpy(p2->iv, iv, sizeof(p2->iv));
	if ((pol = policy_for_ids(p2, m)) < 0) {
		qm1_refuse(p2, ISAKMP_N_INVALID_ID_INFORMATION, "no policy "
		    "matches the IDs", m);
		return;
	}
	p2->policy = (size_t)pol;
	cp = p2_policy(p2);
	p2_endpoints(p2, cp);
	if (ike_profile_refresh(p1) == -1 ||
	    ike_p2_choose(&p1->prof, &sa->u.sa, p2->mode, encap_in, p2,
	    &ch) != 0) {
		qm1_refuse(p2, ISAKMP_N_NO_PROPOSAL_CHOSEN, "no acceptable "
		    "proposal", m);
		return;
	}
	p2->alg = ch.alg;
	p2->spi_out = ike_get32(ch.prop->spi);
	p2_lifetimes(p2, &ch, &secs, &kb);
	if (ch.alg.group != 0 && p2_keygen(p2, ch.alg.group, &p2->gxr) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	if (p2_take_ke(p2, m, &p2->gxi) == -1 || take_nonce(m, &p2->ni) == -1) {
		qm1_refuse(p2, ISAKMP_N_INVALID_KEY_INFORMATION, "bad KE or "
		    "nonce", m);
		return;
	}
	if (p2_parsed_hook(p2, m, 1) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	ike_msg_remember_rx(&p2->xmit, pkt, len);
	if (ike_nonce(&p2->nr) == -1 || p2_derive_gqm(p2) == -1 ||
	    p2_getspi(p2) == -1 || qm2_build(p2, &ch, secs, kb) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	p2_log(p2, true, "responding for policy %zu (%s mode, SPI in 0x%08x, "
	    "out 0x%08x)", p2->policy + 1, p2->mode == PFKEY_MODE_TUNNEL ?
	    "tunnel" : "transport", p2->spi_in, p2->spi_out);
}

static void
qm3_input(struct ike_p2 *p2, const uint8_t *pkt, size_t len,
    struct isakmp_msg *m, const uint8_t *iv)
{
	const struct ike_p1_keys *k = &p2->p1->keys;
	uint8_t h[IKE_HASH_MAX];
	bool ok;

	ok = m->n_payloads >= 1 && m->payloads[0].type == ISAKMP_PT_HASH &&
	    m->payloads[0].len == k->prf->len &&
	    ike_qm_hash3(k->prf, IKE_CHUNK_BUF(&k->skeyid_a), p2->msgid,
	    IKE_CHUNK_BUF(&p2->ni), IKE_CHUNK_BUF(&p2->nr), h) == 0 &&
	    CRYPTO_memcmp(h, m->payloads[0].body, k->prf->len) == 0;
	OPENSSL_cleanse(h, sizeof(h));
	if (!ok) {
		p2_log(p2, false, "QM3 with a bad HASH(3); dropped");
		return;
	}
	p2->p1->last_rx_ms = timers_now(p2->p1->ike->d->timers);
	if (p2_parsed_hook(p2, m, 3) == -1)
		return;
	memcpy(p2->iv, iv, sizeof(p2->iv));
	xmit_answered(p2->p1->ike, &p2->xmit);
	ike_msg_remember_rx(&p2->xmit, pkt, len);
	if (p2_install(p2) == -1) {
		p2_fail(p2, OAKLEY_FAIL_OTHER);
		return;
	}
	p2_finished(p2);
}

/* ---- Dispatch ---- */

void
p2_input(struct ike_p1 *p1, const uint8_t *pkt, size_t len)
{
	struct ike *ike = p1->ike;
	struct ike_p2 *p2;
	struct isakmp_msg *m;
	struct ike_buf plain;
	uint8_t iv[IKE_BLOCK_MAX];
	uint32_t msgid = ike_get32(pkt + 20);

	if (msgid == 0 || (pkt[19] & ISAKMP_FLAG_E) == 0) {
		log_debug("IKE: quick mode message without message ID or "
		    "encryption; dropped");
		return;
	}
	p2 = p2_find(p1, msgid);
	if (p2 != NULL && xmit_duplicate(p1, &p2->xmit, pkt, len))
		return;
	if (p2 != NULL && (p2->state == P2_DONE ||
	    p2->state == P2_I_GETSPI)) {
		p2_log(p2, false, "another message after the exchange "
		    "(%zu bytes); ignored", len);
		return;
	}
	if (p2 != NULL)
		memcpy(iv, p2->iv, sizeof(iv));
	else if (ike_p2_iv(p1->keys.prf, p1->keys.cipher, p1->keys.iv, msgid,
	    iv) == -1)
		return;
	if (ike_msg_open(p1, pkt, len, iv, &plain) == -1 ||
	    ike_msg_decode(ike, plain.data, len, true, &m) == -1) {
		log_debug("IKE: quick mode %08x does not decrypt; dropped",
		    msgid);
		ike_buf_free(&plain);
		return;
	}
	if (p2 == NULL)
		qm1_input(p1, pkt, len, m, iv);
	else if (p2->state == P2_I_QM1)
		qm2_input(p2, pkt, len, m, iv);
	else if (p2->state == P2_R_QM2)
		qm3_input(p2, pkt, len, m, iv);
	ike_buf_free(&plain);
}
