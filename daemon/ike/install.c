/*
 * From a finished quick mode to the kernel: the inbound SPI (GETSPI,
 * carrying the ACQUIRE's sequence number, recorded larval in the SA
 * manager under the exchange's negotiation), the keys (KEYMAT, RFC 2409
 * 5.5: the encryption key, then the authentication key, each direction
 * keyed with the SPI of the receiving side), the plugins' sa_install
 * hooks, then UPDATE for the inbound SA and ADD for the outbound one.
 * A failure halfway aborts the negotiation, which deletes whatever it
 * put in the kernel, the larval SA included.
 *
 * The engine remembers each installed pair (struct ike_pair) per peer,
 * so a DELETE naming one SPI removes both directions, and a rekey knows
 * which policy an SA served; with the NAT-T data of each SA, so that
 * after the peer's NAT mapping changed (ike_pairs_refresh) its SAs are
 * moved to the new ports in place: UPDATE of the mature SA, as FreeBSD's
 * kernel allows (no keys; the SPI, keys, replay state and lifetimes are
 * kept; a DELETE and ADD would lose the replay state and open a gap).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "ike.h"
#include "kernel.h"
#include "log.h"
#include "peer.h"
#include "plugin.h"
#include "sa.h"

#define REPLAY_WINDOW	32

/* What the SA manager records of one direction of the exchange's pair. */
static void
sa_params_of(const struct ike_p2 *p2, enum sa_dir dir, struct sa_params *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->dir = dir;
	sp->satype = PFKEY_SATYPE_ESP;
	sp->spi = dir == SA_DIR_IN ? p2->spi_in : p2->spi_out;
	sp->src = dir == SA_DIR_IN ? p2->sa_remote : p2->sa_local;
	sp->dst = dir == SA_DIR_IN ? p2->sa_local : p2->sa_remote;
	sp->reqid = p2->reqid;
	sp->peer = p2->p1->peer;
}

int
p2_getspi(struct ike_p2 *p2)
{
	struct daemon *d = p2->p1->ike->d;
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	struct sa_params sp;
	struct sa *sa;
	int rc;

	if (d->kernel == NULL)
		return -1;
	pfkey_msg_init(&req, PFKEY_GETSPI, PFKEY_SATYPE_ESP, p2->acquire_seq,
	    0);
	req.addr_src = p2->sa_remote;
	req.addr_dst = p2->sa_local;
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_DST);
	req.spirange.min = IKE_P2_SPI_MIN;
	req.spirange.max = IKE_P2_SPI_MAX;
	PFKEY_SET(&req, PFKEY_EXT_SPIRANGE);
	req.sa2.mode = p2->mode;
	req.sa2.reqid = p2->reqid;
	PFKEY_SET(&req, PFKEY_EXT_X_SA2);
	memset(&err, 0, sizeof(err));
	rc = kernel_request(d->kernel, &req, &reply, &err);
	if (rc != 0) {
		log_warn("IKE: GETSPI: %s", err.reason[0] != '\0' ?
		    err.reason : strerror(rc));
		pfkey_msg_clear(&reply);
		return -1;
	}
	p2->spi_in = reply.sa.spi;
	pfkey_msg_clear(&reply);
	log_debug("IKE: GETSPI seq=%u: inbound SPI 0x%08x", p2->acquire_seq,
	    p2->spi_in);
	sa_params_of(p2, SA_DIR_IN, &sp);
	if (sa_larval_add(d->sa, p2->nego_id, &sp, &sa) != 0) {
		log_warn("IKE: cannot record the larval SA 0x%08x",
		    p2->spi_in);
		return -1;
	}
	return 0;
}

/* The keys and algorithms of one direction, as a pfkey_msg. */
static int
sa_keys_msg(struct ike_p2 *p2, uint32_t spi, bool inbound,
    struct pfkey_msg *m)
{
	const struct ike_p1_keys *k = &p2->p1->keys;
	const struct ike_cipher_alg *c;
	const struct ike_hash_alg *a;
	struct ike_buf ek, ak;
	int rc;

	if (ike_esp_algs(p2->alg.cipher, p2->alg.keylen, p2->alg.auth, &c,
	    &a) == -1)
		return -1;
	memset(&ek, 0, sizeof(ek));
	memset(&ak, 0, sizeof(ak));
	if (ike_esp_keys(k->prf, IKE_CHUNK_BUF(&k->skeyid_d),
	    IKE_CHUNK_BUF(&p2->gqm), spi, IKE_CHUNK_BUF(&p2->ni),
	    IKE_CHUNK_BUF(&p2->nr), c, a, &ek, &ak) == -1)
		return -1;
	pfkey_msg_init(m, PFKEY_ADD, PFKEY_SATYPE_ESP, 0, 0);
	m->sa.spi = spi;
	m->sa.replay = REPLAY_WINDOW;
	m->sa.state = PFKEY_SASTATE_MATURE;
	m->sa.auth = a != NULL ? a->pfkey_aalg : PFKEY_AALG_NONE;
	m->sa.encrypt = c->pfkey_ealg;
	m->sa.flags = p2->group != NULL ? PFKEY_SAFLAGS_PFS : 0;
	PFKEY_SET(m, PFKEY_EXT_SA);
	m->addr_src = inbound ? p2->sa_remote : p2->sa_local;
	m->addr_dst = inbound ? p2->sa_local : p2->sa_remote;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	rc = -1;
	if (ek.len <= PFKEY_KEY_MAX && ak.len <= PFKEY_KEY_MAX) {
		/* No key (AES-GCM's auth): no extension, and no memcpy from
		 * the NULL data of an empty buffer. */
		if (ek.len > 0) {
			m->key_encrypt.bits = (uint16_t)(ek.len * 8);
			memcpy(m->key_encrypt.data, ek.data, ek.len);
			PFKEY_SET(m, PFKEY_EXT_KEY_ENCRYPT);
		}
		if (ak.len > 0) {
			m->key_auth.bits = (uint16_t)(ak.len * 8);
			memcpy(m->key_auth.data, ak.data, ak.len);
			PFKEY_SET(m, PFKEY_EXT_KEY_AUTH);
		}
		rc = 0;
	}
	ike_buf_free(&ek);
	ike_buf_free(&ak);
	m->sa2.mode = p2->mode;
	m->sa2.reqid = p2->reqid;
	PFKEY_SET(m, PFKEY_EXT_X_SA2);
	return rc;
}

/*
 * The sa_install hooks on m; what they set that the SA manager owns
 * (hard lifetimes) goes back to it; the idle timeout comes out.
 */
static int
run_install_hooks(struct ike_p2 *p2, struct pfkey_msg *m, bool inbound,
    uint64_t *hard_s, uint64_t *hard_kb, uint32_t *idle)
{
	struct oakley_sa osa;

	plugin_sa_init(&osa, m, IKE_PEER_HANDLE(p2->p1->peer),
	    IKE_P2_HANDLE(p2), inbound);
	osa.idle_timeout = p2->p1->prof.idle_timeout;	/* plugins may change it */
	if (plugin_run_sa_install(&osa) != 0)
		return -1;
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD)) {
		*hard_s = m->life_hard.addtime;
		/* Rounded up, without wrapping near 2^64. */
		*hard_kb = m->life_hard.bytes / 1024 +
		    (m->life_hard.bytes % 1024 != 0);
	}
	*idle = osa.idle_timeout;
	return 0;
}

static void
installed_hook(struct ike_p2 *p2, struct pfkey_msg *m, bool inbound)
{
	struct oakley_sa osa;

	plugin_sa_init(&osa, m, IKE_PEER_HANDLE(p2->p1->peer),
	    IKE_P2_HANDLE(p2), inbound);
	plugin_run_sa_installed(&osa);
}

static struct sa *
larval_of(struct ike_p2 *p2)
{
	struct daemon *d = p2->p1->ike->d;

	return sa_lookup_spi(d->sa, PFKEY_SATYPE_ESP, &p2->sa_local,
	    p2->spi_in);
}

/* What the hooks put in m's NAT-T extensions. */
static void
natt_of_msg(const struct pfkey_msg *m, struct ike_sa_natt *n)
{
	memset(n, 0, sizeof(*n));
	if (!PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE))
		return;
	n->set = true;
	n->sport = m->natt_sport;
	n->dport = m->natt_dport;
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAI))
		n->oai = m->natt_oai;
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAR))
		n->oar = m->natt_oar;
}

static void
natt_to_msg(const struct ike_sa_natt *n, struct pfkey_msg *m)
{
	if (!n->set)
		return;
	m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = n->sport;
	m->natt_dport = n->dport;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
	if (n->oai.family != 0) {
		m->natt_oai = n->oai;
		PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAI);
	}
	if (n->oar.family != 0) {
		m->natt_oar = n->oar;
		PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAR);
	}
}

static void
pair_record(struct ike_p2 *p2, const struct pfkey_msg *in,
    const struct pfkey_msg *out)
{
	struct ike_peer *ip = ike_peer_state(p2->p1->peer);
	struct ike_pair *pair;

	if (ip == NULL)
		return;
	/* The newest pair of a policy is the one to renew: the others
	 * (the one rekeyed, one from a simultaneous rekey) run out. */
	TAILQ_FOREACH(pair, &ip->pairs, link)
		if (pair->policy == p2->policy) {
			pair->rekeyed = true;
			pair->rekeying = false;
		}
	if ((pair = calloc(1, sizeof(*pair))) == NULL)
		return;
	pair->serial = ++p2->p1->ike->next_serial;
	pair->policy = p2->policy;
	pair->spi_in = p2->spi_in;
	pair->spi_out = p2->spi_out;
	pair->local = p2->sa_local;
	pair->remote = p2->sa_remote;
	pair->mode = p2->mode;
	natt_of_msg(in, &pair->natt_in);
	natt_of_msg(out, &pair->natt_out);
	pair->life_s = p2->alg.life_s;
	TAILQ_INSERT_TAIL(&ip->pairs, pair, link);
}

/* ", idle N s" for the install log, when the SAs have an idle timeout. */
static const char *
idle_text(uint32_t idle_in, uint32_t idle_out, char *buf, size_t len)
{
	if (idle_in == 0 && idle_out == 0)
		return "";
	if (idle_in == idle_out)
		snprintf(buf, len, ", idle %lu s", (unsigned long)idle_in);
	else
		snprintf(buf, len, ", idle %lu/%lu s", (unsigned long)idle_in,
		    (unsigned long)idle_out);
	return buf;
}

int
p2_install(struct ike_p2 *p2)
{
	struct daemon *d = p2->p1->ike->d;
	struct pfkey_msg in, out;
	struct sa_params sp;
	struct sa *sa_in, *sa_out = NULL;
	uint64_t hs = p2->alg.life_s, hkb = p2->alg.life_kb;
	uint64_t os = hs, okb = hkb;
	uint32_t idle_in = 0, idle_out = 0;
	char idle[48];
	int rc = -1;

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	if ((sa_in = larval_of(p2)) == NULL ||
	    sa_keys_msg(p2, p2->spi_in, true, &in) == -1 ||
	    sa_keys_msg(p2, p2->spi_out, false, &out) == -1 ||
	    run_install_hooks(p2, &in, true, &hs, &hkb, &idle_in) == -1 ||
	    run_install_hooks(p2, &out, false, &os, &okb, &idle_out) == -1)
		goto out;
	if (sa_set_hard_lifetime(sa_in, hs, hkb) != 0 ||
	    sa_install(d->sa, sa_in, &in) != 0)
		goto out;
	sa_params_of(p2, SA_DIR_OUT, &sp);
	sp.hard_seconds = os;
	sp.hard_kbytes = okb;
	if (sa_add(d->sa, p2->nego_id, &sp, &out, &sa_out) != 0)
		goto out;
	if (sa_negotiation_commit(d->sa, p2->nego_id) != 0)
		goto out;
	if (idle_in != 0)
		sa_idle_watch(d->sa, sa_in, idle_in);
	if (idle_out != 0)
		sa_idle_watch(d->sa, sa_out, idle_out);
	installed_hook(p2, &in, true);
	installed_hook(p2, &out, false);
	pair_record(p2, &in, &out);
	log_info("IKE: quick mode %08x with %s: SAs installed: in 0x%08x, "
	    "out 0x%08x (%s, %s, %llu s%s%s)", p2->msgid,
	    ike_peer_name(p2->p1->peer), p2->spi_in, p2->spi_out,
	    pfkey_ealg_name(in.sa.encrypt), pfkey_aalg_name(in.sa.auth),
	    (unsigned long long)hs, idle_text(idle_in, idle_out, idle,
	    sizeof(idle)),
	    p2->group != NULL ? ", PFS" : "");
	rc = 0;
out:
	if (rc == -1)
		sa_negotiation_abort(d->sa, p2->nego_id);
	pfkey_msg_clear(&in);
	pfkey_msg_clear(&out);
	return rc;
}

/* ---- Installed pairs ---- */

struct ike_pair *
ike_pair_by_spi(struct peer *peer, uint32_t spi)
{
	struct ike_peer *ip = ike_peer_state(peer);
	struct ike_pair *pair;

	if (ip == NULL)
		return NULL;
	TAILQ_FOREACH(pair, &ip->pairs, link)
		if (pair->spi_in == spi || pair->spi_out == spi)
			return pair;
	return NULL;
}

static void
pair_remove(struct ike_peer *ip, struct ike_pair *pair)
{
	TAILQ_REMOVE(&ip->pairs, pair, link);
	free(pair);
}

/* A DELETE from the peer names its inbound SPI: our outbound. */
void
ike_pairs_remove_spi(struct ike *ike, struct peer *peer, uint32_t spi_out)
{
	struct ike_peer *ip = ike_peer_state(peer);
	struct ike_pair *pair;
	struct sa *sa;
	size_t n = 0;

	if (ip == NULL)
		return;
	TAILQ_FOREACH(pair, &ip->pairs, link)
		if (pair->spi_out == spi_out)
			break;
	if (pair == NULL) {
		log_info("IKE: peer %s deleted SPI 0x%08x, which we do not "
		    "have", ike_peer_name(peer), spi_out);
		return;
	}
	if ((sa = sa_lookup_spi(ike->d->sa, PFKEY_SATYPE_ESP, &pair->remote,
	    pair->spi_out)) != NULL && sa_remove(ike->d->sa, sa,
	    SA_REASON_REQUEST) == 0)
		n++;
	if ((sa = sa_lookup_spi(ike->d->sa, PFKEY_SATYPE_ESP, &pair->local,
	    pair->spi_in)) != NULL && sa_remove(ike->d->sa, sa,
	    SA_REASON_REQUEST) == 0)
		n++;
	log_info("IKE: peer %s deleted SA 0x%08x: pair in 0x%08x / out "
	    "0x%08x removed (%zu SAs)", ike_peer_name(peer), spi_out,
	    pair->spi_in, pair->spi_out, n);
	pair_remove(ip, pair);
}

/* An SA left the SA manager: forget its pair once both are gone. */
void
ike_pair_forget_sa(struct ike *ike, const struct sa *sa)
{
	struct peer *peer = sa->peer;
	struct ike_peer *ip;
	struct ike_pair *pair;

	if (peer == NULL || (ip = ike_peer_state(peer)) == NULL)
		return;
	if ((pair = ike_pair_by_spi(peer, sa->spi)) == NULL)
		return;
	if (sa_lookup_spi(ike->d->sa, PFKEY_SATYPE_ESP, &pair->remote,
	    pair->spi_out) != NULL || sa_lookup_spi(ike->d->sa,
	    PFKEY_SATYPE_ESP, &pair->local, pair->spi_in) != NULL)
		return;
	pair_remove(ip, pair);
}

void
ike_pairs_free(struct ike_peer *ip)
{
	struct ike_pair *pair;

	while ((pair = TAILQ_FIRST(&ip->pairs)) != NULL)
		pair_remove(ip, pair);
}

void
ike_sa_expired(struct ike *ike, const struct sa *sa, int reason)
{
	struct peer *peer = sa->peer;
	struct ike_p1 *p1;
	uint8_t spi[4];

	if (peer == NULL)
		return;
	if (sa->dir == SA_DIR_IN && (reason == SA_REASON_HARD_TIMER ||
	    reason == SA_REASON_KERNEL_HARD) &&
	    (p1 = p1_established_for(ike, peer)) != NULL) {
		ike_put32(spi, sa->spi);
		info_send_delete(p1, ISAKMP_PROTO_ESP, spi, 4, 1);
	}
	ike_pair_forget_sa(ike, sa);
}

/* ---- A peer's NAT mapping changed ---- */

static bool
natt_same(const struct ike_sa_natt *a, const struct ike_sa_natt *b)
{
	return a->set == b->set && a->sport == b->sport &&
	    a->dport == b->dport &&
	    pfkey_addr_cmp(&a->oai, &b->oai) == 0 &&
	    pfkey_addr_cmp(&a->oar, &b->oar) == 0;
}

/*
 * One SA of a pair: the message it would be installed with now (the SPI,
 * its mode, the NAT-T data it has) through the sa_install hooks, without
 * its quick mode (gone, or not: the plugins read the SA's own data);
 * then, if the NAT-T data changed, the kernel's SA is updated in place.
 */
static int
refresh_sa(struct ike *ike, struct peer *peer, struct ike_pair *pair,
    bool inbound)
{
	struct ike_sa_natt *have = inbound ? &pair->natt_in : &pair->natt_out;
	struct ike_sa_natt now;
	struct oakley_sa osa;
	struct pfkey_msg m;
	struct sa *sa;
	uint32_t spi = inbound ? pair->spi_in : pair->spi_out;
	int rc;

	sa = sa_lookup_spi(ike->d->sa, PFKEY_SATYPE_ESP, inbound ?
	    &pair->local : &pair->remote, spi);
	if (sa == NULL || (sa->state != SA_STATE_MATURE &&
	    sa->state != SA_STATE_DYING))
		return 0;
	pfkey_msg_init(&m, PFKEY_UPDATE, PFKEY_SATYPE_ESP, 0, 0);
	m.sa.spi = spi;
	m.sa.state = PFKEY_SASTATE_MATURE;
	PFKEY_SET(&m, PFKEY_EXT_SA);
	m.addr_src = sa->src;
	m.addr_dst = sa->dst;
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	m.sa2.mode = pair->mode;
	m.sa2.reqid = sa->reqid;
	PFKEY_SET(&m, PFKEY_EXT_X_SA2);
	natt_to_msg(have, &m);
	plugin_sa_init(&osa, &m, IKE_PEER_HANDLE(peer), NULL, inbound);
	if (plugin_run_sa_install(&osa) != 0) {
		log_warn("IKE: peer %s: SA 0x%08x: a plugin refused its new "
		    "NAT-T data", ike_peer_name(peer), spi);
		pfkey_msg_clear(&m);
		return -1;
	}
	natt_of_msg(&m, &now);
	if (natt_same(&now, have) || !now.set) {
		pfkey_msg_clear(&m);
		return 0;
	}
	rc = sa_update(ike->d->sa, sa, &m);
	pfkey_msg_clear(&m);
	if (rc != 0) {
		log_warn("IKE: peer %s: SA 0x%08x (%s): cannot move it to "
		    "UDP ports %u -> %u: %s", ike_peer_name(peer), spi,
		    inbound ? "in" : "out", now.sport, now.dport,
		    strerror(rc));
		return -1;
	}
	log_info("IKE: peer %s: SA 0x%08x (%s) moved from UDP ports %u -> %u "
	    "to %u -> %u", ike_peer_name(peer), spi, inbound ? "in" : "out",
	    have->sport, have->dport, now.sport, now.dport);
	*have = now;
	return 0;
}

int
ike_pairs_refresh(struct ike *ike, struct peer *peer)
{
	struct ike_peer *ip = peer->ike;
	struct ike_pair *pair;
	int rc = 0;

	if (ip == NULL)
		return 0;
	TAILQ_FOREACH(pair, &ip->pairs, link) {
		if (refresh_sa(ike, peer, pair, true) != 0)
			rc = -1;
		if (refresh_sa(ike, peer, pair, false) != 0)
			rc = -1;
	}
	return rc;
}
