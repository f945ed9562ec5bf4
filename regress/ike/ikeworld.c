/*
 * ikeworld: the IKE engine in one process (see ikeworld.h).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon.h"
#include "ike/ike.h"
#include "peer.h"
#include "plugin.h"
#include "sa.h"
#include "timer.h"

#include "ikeworld.h"

const char ikeworld_conf[] =
    IKEWORLD_PEER_HEAD
    "\tphase1 encryption aes128 hash sha1 group modp1024;\n"
    "\tphase2 encryption aes128 auth hmac-sha1 pfs none;\n"
    "\tpolicy local " IKEWORLD_ME " remote " IKEWORLD_PEER
    " transport require;\n"
    "}\n";

/* ---- A kernel that accepts everything ---- */

static int
fake_install(void *arg, const struct sa *sa, const void *keys)
{
	(void)arg;
	(void)sa;
	(void)keys;
	return 0;
}

static int
fake_delete(void *arg, const struct sa *sa, enum sa_reason why)
{
	(void)arg;
	(void)sa;
	(void)why;
	return 0;
}

static int
fake_current(void *arg, const struct sa *sa, struct pfkey_lifetime *cur)
{
	(void)arg;
	(void)sa;
	memset(cur, 0, sizeof(*cur));
	return 0;
}

static const struct sa_ops fake_ops = {
	.install = fake_install,
	.delete = fake_delete,
	.get_current = fake_current,
};

static uint64_t
world_clock(void *arg)
{
	return ((const struct ikeworld *)arg)->now;
}

static int
addr_of(const char *text, struct pfkey_addr *a)
{
	struct in_addr in;

	if (inet_pton(AF_INET, text, &in) != 1)
		return -1;
	pfkey_addr_set(a, AF_INET, &in, 500, 32, PFKEY_ULPROTO_ANY);
	return 0;
}

/* ---- Life ---- */

static int
world_engine(struct ikeworld *w)
{
	struct ike *ike;

	if ((ike = ike_alloc(&w->d)) == NULL)
		return -1;
	w->ike = w->d.ike = ike;
	w->sock.ike = ike;
	w->sock.fd = -1;
	w->sock.addr = w->me;
	return 0;
}

int
ikeworld_init(struct ikeworld *w, const char *text)
{
	struct sa_config sc;
	char err[512];

	memset(w, 0, sizeof(*w));
	TAILQ_INIT(&w->d.peers);
	w->now = 1000;
	if (addr_of(IKEWORLD_ME, &w->me) == -1 ||
	    addr_of(IKEWORLD_PEER, &w->them) == -1)
		return -1;
	if ((w->d.conf = conf_parse_string(text, "ikeworld.conf", err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "ikeworld: %s\n", err);
		return -1;
	}
	w->d.boot_conf = w->d.conf;
	w->d.log_level = -1;
	if ((w->d.timers = timers_new(world_clock, w)) == NULL ||
	    daemon_plugin_host_init(w->d.timers) != 0)
		goto fail;
	w->d.plugins_up = true;
	if (plugin_load_config(w->d.conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "ikeworld: %s\n", err);
		goto fail;
	}
	sa_config_defaults(&sc);
	sc.ops = &fake_ops;
	sc.seed = 1;
	if (sa_mgr_new(&sc, w->d.timers, &w->d.sa) != 0 ||
	    peers_sync(&w->d.peers, w->d.conf, w->d.sa) != 0 ||
	    (w->peer = TAILQ_FIRST(&w->d.peers)) == NULL ||
	    (w->scratch = calloc(1, sizeof(*w->scratch))) == NULL ||
	    world_engine(w) == -1)
		goto fail;
	return 0;
fail:
	ikeworld_free(w);
	return -1;
}

void
ikeworld_free(struct ikeworld *w)
{
	if (w->ike != NULL)
		ike_free(w->ike, false);
	w->ike = w->d.ike = NULL;
	if (w->d.sa != NULL)
		sa_mgr_free(w->d.sa, false);
	w->d.sa = NULL;
	peers_free(&w->d.peers);
	if (w->d.plugins_up)
		plugin_host_fini();
	w->d.plugins_up = false;
	if (w->d.timers != NULL)
		timers_free(w->d.timers);
	w->d.timers = NULL;
	conf_free(w->d.conf);
	w->d.conf = w->d.boot_conf = NULL;
	free(w->scratch);
	w->scratch = NULL;
}

/* ---- Input and time ---- */

void
ikeworld_input(struct ikeworld *w, const uint8_t *pkt, size_t len)
{
	ike_input(w->ike, &w->sock, pkt, len, &w->them, &w->me);
}

void
ikeworld_input_from(struct ikeworld *w, const char *addr,
    const uint8_t *pkt, size_t len)
{
	struct pfkey_addr from;

	if (addr_of(addr, &from) == 0)
		ike_input(w->ike, &w->sock, pkt, len, &from, &w->me);
}

void
ikeworld_advance(struct ikeworld *w, uint64_t ms)
{
	uint64_t end = w->now + ms, next;

	/* Deadline by deadline, so timers armed on the way run too. */
	while (timers_next_deadline(w->d.timers, &next) && next <= end) {
		if (next > w->now)
			w->now = next;
		timers_run(w->d.timers, w->now);
	}
	w->now = end;
}

size_t
ikeworld_p1_count(const struct ikeworld *w)
{
	const struct ike_p1 *p1;
	size_t n = 0;

	TAILQ_FOREACH(p1, &w->ike->p1s, link)
		n++;
	return n;
}

struct ike_p1 *
ikeworld_last_p1(const struct ikeworld *w)
{
	return TAILQ_LAST(&w->ike->p1s, ike_p1_list);
}

/* ---- An established phase 1 ---- */

static int
fill(struct ike_buf *b, uint8_t byte, size_t len)
{
	if (ike_buf_alloc(b, len) == -1)
		return -1;
	memset(b->data, byte, len);
	return 0;
}

struct ike_p1 *
ikeworld_established(struct ikeworld *w)
{
	struct ike_p1 *p1;
	struct ike_p1_keys *k;

	if ((p1 = p1_new(w->ike, w->peer, false)) == NULL)
		return NULL;
	p1->sock = &w->sock;
	p1->remote = p1->entry.remote = w->them;
	p1->local = w->me;
	memset(p1->entry.icookie, 0x11, ISAKMP_COOKIE_LEN);
	memset(p1->entry.rcookie, 0x22, ISAKMP_COOKIE_LEN);
	p1_table_insert(&w->ike->table, &p1->entry, true);
	p1->alg.cipher = 7;
	p1->alg.keylen = 128;
	p1->alg.hash = 2;
	p1->alg.group = 2;
	p1->alg.auth = 1;
	p1->alg.lifetime = 28800;
	k = &p1->keys;
	k->prf = ike_hash_by_p1(2);
	k->cipher = ike_cipher_by_p1(7, 128);
	if (fill(&k->skeyid, 0x5d, 20) == -1 ||
	    fill(&k->skeyid_d, 0xd0, 20) == -1 ||
	    fill(&k->skeyid_a, 0xa0, 20) == -1 ||
	    fill(&k->skeyid_e, 0xe0, 20) == -1 ||
	    fill(&k->enc_key, 0x0e, 16) == -1) {
		p1_free(p1);
		return NULL;
	}
	memset(k->iv, 0x1f, sizeof(k->iv));
	snprintf(p1->remote_id, sizeof(p1->remote_id), "%s", IKEWORLD_PEER);
	p1_established(p1);
	return p1;
}

static struct ike_p2 *
p2_of(struct ike_p1 *p1, uint32_t msgid)
{
	struct ike_p2 *p2;

	TAILQ_FOREACH(p2, &p1->p2s, link)
		if (p2->msgid == msgid)
			return p2;
	return NULL;
}

/* The hash of payload 0 as the peer computes it for this message. */
static int
hash_of(struct ike_p1 *p1, const struct isakmp_msg *m, uint8_t *out)
{
	const struct ike_p1_keys *k = &p1->keys;
	struct ike_chunk a = IKE_CHUNK_BUF(&k->skeyid_a), rest;
	struct ike_p2 *p2 = p2_of(p1, m->hdr.msgid);
	const uint8_t *r;
	size_t rlen;

	r = isakmp_msg_after(m, 0, &rlen);
	rest = IKE_CHUNK(r, rlen);
	if (m->hdr.exchange == ISAKMP_EXCH_INFO)
		return ike_info_hash(k->prf, a, m->hdr.msgid, rest, out);
	if (p2 == NULL)
		return ike_qm_hash1(k->prf, a, m->hdr.msgid, rest, out);
	if (p2->initiator)
		return ike_qm_hash2(k->prf, a, m->hdr.msgid,
		    IKE_CHUNK_BUF(&p2->ni), rest, out);
	return ike_qm_hash3(k->prf, a, m->hdr.msgid, IKE_CHUNK_BUF(&p2->ni),
	    IKE_CHUNK_BUF(&p2->nr), out);
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	while (len > 0 && *p == 0) {
		p++;
		len--;
	}
	return len == 0;
}

/*
 * The HASH payload to fill in m, or NULL: payload 0 of a quick mode or
 * informational, the first HASH of an MM5 to a responder p1 that sent
 * MM4; either of the PRF's length and all zero.
 */
static const struct isakmp_payload *
hash_to_fill(const struct ike_p1 *p1, const struct isakmp_msg *m)
{
	const struct isakmp_payload *hp = NULL;

	if (m->hdr.exchange != ISAKMP_EXCH_IDPROT) {
		if (m->n_payloads > 0 && m->payloads[0].type == ISAKMP_PT_HASH)
			hp = &m->payloads[0];
	} else if (!p1->initiator && p1->state == P1_R_MM4)
		hp = isakmp_msg_find(m, ISAKMP_PT_HASH, NULL);
	if (hp == NULL || hp->len != p1->keys.prf->len ||
	    !all_zero(hp->body, hp->len))
		return NULL;
	return hp;
}

/* HASH_I of an MM5, over the message's (first) ID payload. */
static int
hash_i_of(struct ike_p1 *p1, const struct isakmp_msg *m, uint8_t *out)
{
	const struct ike_p1_keys *k = &p1->keys;
	const struct isakmp_payload *id = isakmp_msg_find(m, ISAKMP_PT_ID,
	    NULL);

	if (id == NULL)
		return -1;
	return ike_hash_i(k->prf, IKE_CHUNK_BUF(&k->skeyid),
	    IKE_CHUNK_BUF(&p1->gxi), IKE_CHUNK_BUF(&p1->gxr),
	    p1->entry.icookie, p1->entry.rcookie, IKE_CHUNK_BUF(&p1->sai_b),
	    IKE_CHUNK(id->body, id->len), out);
}

int
ikeworld_protect(struct ikeworld *w, struct ike_p1 *p1, const uint8_t *plain,
    size_t len, uint8_t **pkt, size_t *pktlen)
{
	const struct ike_p1_keys *k = &p1->keys;
	const struct isakmp_msg *m = w->scratch;
	const struct isakmp_payload *hp;
	struct isakmp_error err;
	struct ike_p2 *p2;
	uint8_t *buf, iv[IKE_BLOCK_MAX];
	size_t padded, block;
	int rc = -1;

	*pkt = NULL;
	if (k->cipher == NULL || k->prf == NULL ||
	    k->enc_key.len < k->cipher->keylen)
		return -1;	/* no keys (yet) */
	block = k->cipher->blocklen;
	if (len < ISAKMP_HDR_LEN || len > IKE_PKT_MAX - 2 * block ||
	    (buf = calloc(1, len + block)) == NULL)
		return -1;
	memcpy(buf, plain, len);
	memcpy(buf, p1->entry.icookie, ISAKMP_COOKIE_LEN);
	memcpy(buf + 8, p1->entry.rcookie, ISAKMP_COOKIE_LEN);
	buf[19] &= (uint8_t)~ISAKMP_FLAG_E;
	ike_put32(buf + 24, (uint32_t)len);
	if (isakmp_decode(buf, len, 0, w->scratch, &err) == -1)
		goto out;
	if ((hp = hash_to_fill(p1, m)) != NULL &&
	    (m->hdr.exchange == ISAKMP_EXCH_IDPROT ?
	    hash_i_of(p1, m, buf + hp->offset + 4) :
	    hash_of(p1, m, buf + hp->offset + 4)) == -1)
		goto out;
	padded = (len - ISAKMP_HDR_LEN + block - 1) / block * block;
	buf[19] |= ISAKMP_FLAG_E;
	ike_put32(buf + 24, (uint32_t)(ISAKMP_HDR_LEN + padded));
	if ((p2 = p2_of(p1, m->hdr.msgid)) != NULL)
		memcpy(iv, p2->iv, sizeof(iv));
	else if (m->hdr.exchange == ISAKMP_EXCH_IDPROT)
		memcpy(iv, k->iv, sizeof(iv));
	else if (ike_p2_iv(k->prf, k->cipher, k->iv, m->hdr.msgid, iv) == -1)
		goto out;
	if (ike_cbc(k->cipher, true, k->enc_key.data, iv, buf + ISAKMP_HDR_LEN,
	    buf + ISAKMP_HDR_LEN, padded) == -1)
		goto out;
	*pkt = buf;
	*pktlen = ISAKMP_HDR_LEN + padded;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	return rc;
}

/* ---- Main mode from the peer ---- */

int
ikeworld_mm1(struct ikeworld *w, const uint8_t *icookie, uint8_t **pkt,
    size_t *len)
{
	return ikeworld_mm1_vid(w, icookie, NULL, 0, pkt, len);
}

int
ikeworld_profile(struct ikeworld *w, struct oakley_profile *prof)
{
	struct ike_p1 scratch;
	char err[256];
	int rc;

	memset(&scratch, 0, sizeof(scratch));
	scratch.peer = w->peer;
	if ((scratch.flags = plugin_flags_new()) == NULL)
		return -1;
	rc = ike_profile_build(&scratch, prof, err, sizeof(err));
	plugin_flags_free(scratch.flags);
	plugin_flags_free(scratch.prof_flags);
	return rc;
}

int
ikeworld_mm1_vid(struct ikeworld *w, const uint8_t *icookie,
    const uint8_t *vid, size_t vidlen, uint8_t **pkt, size_t *len)
{
	struct oakley_profile prof;
	struct ike_sa_store st;
	struct isakmp_builder b;
	struct isakmp_hdr h;
	const uint8_t *raw;
	int rc = -1;

	*pkt = NULL;
	if (ikeworld_profile(w, &prof) != 0 ||
	    ike_p1_sa_spec(&prof, 1, &st) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, icookie, ISAKMP_COOKIE_LEN);
	h.major = ISAKMP_VERSION_MAJOR;
	h.exchange = ISAKMP_EXCH_IDPROT;
	if (isakmp_builder_init(&b, &h) == 0 && isakmp_add_sa(&b, &st.sa) == 0 &&
	    (vid == NULL ||
	    isakmp_add_payload(&b, ISAKMP_PT_VID, vid, vidlen) == 0) &&
	    (raw = isakmp_builder_finish(&b, len)) != NULL &&
	    (*pkt = malloc(*len)) != NULL) {
		memcpy(*pkt, raw, *len);
		rc = 0;
	}
	isakmp_builder_free(&b);
	return rc;
}
