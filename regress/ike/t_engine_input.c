/*
 * The engine's input path in one process (ikeworld.h): what a flood of
 * first messages leaves behind, duplicates, and what unauthenticated or
 * replayed messages may (not) do to an established phase 1.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "ike/dh.h"
#include "ike/ike.h"
#include "log.h"
#include "peer.h"
#include "plugin.h"
#include "sa.h"

#include "ikeworld.h"
#include "testutil.h"

static void
world_up(struct ikeworld *w, const char *conf)
{
	log_init("t_engine_input", true, LOG_LEVEL_ERR);
	ATF_REQUIRE_EQ(ikeworld_init(w, conf != NULL ? conf : ikeworld_conf),
	    0);
}

/* MM1 number n (its initiator cookie) from the peer. */
static void
send_mm1(struct ikeworld *w, const char *from, uint32_t n)
{
	uint8_t cookie[ISAKMP_COOKIE_LEN] = { 0xc0, 0x0c };
	uint8_t *pkt;
	size_t len;

	ike_put32(cookie + 4, n);
	ATF_REQUIRE_EQ(ikeworld_mm1(w, cookie, &pkt, &len), 0);
	if (from == NULL)
		ikeworld_input(w, pkt, len);
	else
		ikeworld_input_from(w, from, pkt, len);
	free(pkt);
}

ATF_TC_WITHOUT_HEAD(mm1_flood_one_address);
ATF_TC_BODY(mm1_flood_one_address, tc)
{
	struct ikeworld w;
	uint32_t i;

	world_up(&w, NULL);
	for (i = 0; i < 2000; i++)
		send_mm1(&w, NULL, i);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), IKE_HALF_OPEN_PER_SRC);
	ATF_CHECK_EQ(w.ike->table.half_count, IKE_HALF_OPEN_PER_SRC);
	ATF_CHECK_EQ(w.ike->stats.half_open_refused,
	    2000 - IKE_HALF_OPEN_PER_SRC);
	/* Unanswered, they go with their retransmissions (1 s, count 3). */
	ikeworld_advance(&w, 60000);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 0);
	ATF_CHECK_EQ(w.ike->table.half_count, 0);
	ATF_CHECK_EQ(w.ike->table.count, 0);
	send_mm1(&w, NULL, 5000);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 1);
	ikeworld_free(&w);
}

ATF_TC_WITHOUT_HEAD(mm1_unknown_addresses);
ATF_TC_BODY(mm1_unknown_addresses, tc)
{
	struct ikeworld w;
	char from[32];
	uint32_t i;

	world_up(&w, NULL);
	for (i = 0; i < 2000; i++) {
		snprintf(from, sizeof(from), "%s.%u", i % 2 ? "198.51.100" :
		    "203.0.113", i % 250 + 1);
		send_mm1(&w, from, i);
	}
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 0);
	ATF_CHECK_EQ(w.ike->table.count, 0);
	ATF_CHECK_EQ(w.ike->stats.dropped, 2000);
	ikeworld_free(&w);
}

/* 40 peers, each flooding: the global cap holds. */
ATF_TC_WITHOUT_HEAD(mm1_flood_many_peers);
ATF_TC_BODY(mm1_flood_many_peers, tc)
{
	struct ikeworld w;
	char conf[40 * 200], from[32];
	size_t off = 0;
	uint32_t i, n = 0;

	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(conf + off, sizeof(conf) - off,
		    "peer p%u { address 192.0.2.%u; auth psk \"k\"; "
		    "retransmit interval 1s count 3; }\n", i, i + 100);
	world_up(&w, conf);
	for (i = 0; i < 40; i++) {
		snprintf(from, sizeof(from), "192.0.2.%u", i + 100);
		for (uint32_t j = 0; j < 50; j++)
			send_mm1(&w, from, n++);
	}
	ATF_CHECK_EQ(ikeworld_p1_count(&w), IKE_HALF_OPEN_MAX);
	ATF_CHECK_EQ(w.ike->table.half_count, IKE_HALF_OPEN_MAX);
	ATF_CHECK_EQ(w.ike->stats.half_open_refused, 2000 - IKE_HALF_OPEN_MAX);
	ikeworld_advance(&w, 60000);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 0);
	ikeworld_free(&w);
}

/* The caps from the configuration: half-open 30 per-source 3. */
ATF_TC_WITHOUT_HEAD(mm1_flood_configured_caps);
ATF_TC_BODY(mm1_flood_configured_caps, tc)
{
	struct ikeworld w;
	char conf[20 * 200], from[32];
	size_t off;
	uint32_t i, n = 0;

	off = (size_t)snprintf(conf, sizeof(conf),
	    "half-open 30 per-source 3;\n");
	for (i = 0; i < 20; i++)
		off += (size_t)snprintf(conf + off, sizeof(conf) - off,
		    "peer p%u { address 192.0.2.%u; auth psk \"k\"; "
		    "retransmit interval 1s count 3; }\n", i, i + 100);
	world_up(&w, conf);
	for (i = 0; i < 20; i++)
		send_mm1(&w, "192.0.2.100", n++);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 3);
	for (i = 1; i < 20; i++) {
		snprintf(from, sizeof(from), "192.0.2.%u", i + 100);
		send_mm1(&w, from, n++);
		send_mm1(&w, from, n++);
	}
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 30);
	ATF_CHECK_EQ(w.ike->table.half_count, 30);
	ATF_CHECK_EQ(w.ike->stats.half_open_refused, n - 30);
	ikeworld_advance(&w, 60000);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 0);
	ikeworld_free(&w);
}

ATF_TC_WITHOUT_HEAD(mm1_duplicate);
ATF_TC_BODY(mm1_duplicate, tc)
{
	struct ikeworld w;

	world_up(&w, NULL);
	send_mm1(&w, NULL, 7);
	send_mm1(&w, NULL, 7);
	send_mm1(&w, NULL, 7);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 1);
	ATF_CHECK_EQ(w.ike->stats.duplicates, 2);
	ATF_CHECK_EQ(w.ike->stats.resent, 2);	/* MM2 again, each time */
	ATF_CHECK_EQ(ikeworld_last_p1(&w)->state, P1_R_MM2);
	ikeworld_free(&w);
}

/* A main-mode message must have message ID 0 (RFC 2408 3.1). */
ATF_TC_WITHOUT_HEAD(mm1_msgid_nonzero);
ATF_TC_BODY(mm1_msgid_nonzero, tc)
{
	struct ikeworld w;
	uint8_t cookie[ISAKMP_COOKIE_LEN] = { 0xc1 }, *pkt;
	size_t len;

	world_up(&w, NULL);
	ATF_REQUIRE_EQ(ikeworld_mm1(&w, cookie, &pkt, &len), 0);
	ike_put32(pkt + 20, 0x01020304);
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 0);
	ATF_CHECK_EQ(w.ike->stats.dropped, 1);
	ike_put32(pkt + 20, 0);
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 1);
	free(pkt);
	ikeworld_free(&w);
}

/* MM3 from the peer for the responder p1: a fresh DH value, a nonce. */
static void
mm3(struct ikeworld *w, const struct ike_p1 *p1, uint8_t nonce_byte,
    uint8_t **pkt, size_t *len)
{
	const struct oakley_dh_group *g;
	struct oakley_dh_key *key;
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct ike_buf pub;
	const uint8_t *raw;
	uint8_t nonce[20];

	(void)w;
	memset(nonce, nonce_byte, sizeof(nonce));
	ATF_REQUIRE_EQ(ike_dh_keygen(2, &g, &key, &pub), 0);
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, p1->entry.icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, p1->entry.rcookie, ISAKMP_COOKIE_LEN);
	h.major = ISAKMP_VERSION_MAJOR;
	h.exchange = ISAKMP_EXCH_IDPROT;
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	isakmp_add_payload(&b, ISAKMP_PT_KE, pub.data, pub.len);
	isakmp_add_payload(&b, ISAKMP_PT_NONCE, nonce, sizeof(nonce));
	ATF_REQUIRE((raw = isakmp_builder_finish(&b, len)) != NULL);
	ATF_REQUIRE((*pkt = malloc(*len)) != NULL);
	memcpy(*pkt, raw, *len);
	isakmp_builder_free(&b);
	ike_buf_free(&pub);
	dh_key_free(g, key);
}

/*
 * After MM4 the responder waits for an encrypted MM5: a message in the
 * clear (a re-built MM3, or anyone's) is dropped, not taken for an MM5
 * that does not decrypt (which ends the phase 1).
 */
ATF_TC_WITHOUT_HEAD(mm5_in_clear_dropped);
ATF_TC_BODY(mm5_in_clear_dropped, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt;
	size_t len;

	world_up(&w, NULL);
	send_mm1(&w, NULL, 1);
	ATF_REQUIRE((p1 = ikeworld_last_p1(&w)) != NULL);
	mm3(&w, p1, 0x33, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_REQUIRE_EQ(p1->state, P1_R_MM4);
	mm3(&w, p1, 0x34, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 1);
	ATF_CHECK_EQ(ikeworld_last_p1(&w), p1);
	ATF_CHECK_EQ(p1->state, P1_R_MM4);
	ATF_CHECK_EQ(w.ike->stats.p1_failed, 0);
	ikeworld_free(&w);
}

/*
 * MM5 from the peer for p1 (waiting for it): ID 192.0.2.2 and a HASH_I
 * of zero bytes, which ikeworld_protect fills in unless wrong is set.
 */
static void
mm5(struct ikeworld *w, struct ike_p1 *p1, bool wrong, uint8_t **pkt,
    size_t *len)
{
	static const uint8_t addr[4] = { 192, 0, 2, 2 };
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct isakmp_id id;
	const uint8_t *raw;
	uint8_t hash[20];
	size_t rlen;

	memset(&h, 0, sizeof(h));
	h.major = ISAKMP_VERSION_MAJOR;
	h.exchange = ISAKMP_EXCH_IDPROT;
	memset(&id, 0, sizeof(id));
	id.type = ISAKMP_ID_IPV4_ADDR;
	id.protocol = 17;
	id.port = 500;
	id.data = addr;
	id.len = sizeof(addr);
	memset(hash, wrong ? 0x55 : 0, sizeof(hash));
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_id(&b, &id), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_HASH, hash,
	    sizeof(hash)), 0);
	ATF_REQUIRE((raw = isakmp_builder_finish(&b, &rlen)) != NULL);
	ATF_REQUIRE_EQ(ikeworld_protect(w, p1, raw, rlen, pkt, len), 0);
	isakmp_builder_free(&b);
}

/*
 * The peer plays a whole main mode (ikeworld_protect proves MM5): the
 * responder's phase 1 is established with the keys of a real DH.  The
 * same with a wrong HASH_I fails the phase 1.
 */
ATF_TC_WITHOUT_HEAD(mm_responder_whole);
ATF_TC_BODY(mm_responder_whole, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt;
	size_t len;
	int wrong;

	for (wrong = 0; wrong <= 1; wrong++) {
		world_up(&w, NULL);
		send_mm1(&w, NULL, 1);
		ATF_REQUIRE((p1 = ikeworld_last_p1(&w)) != NULL);
		/* No keys before MM3: nothing to protect with. */
		ATF_CHECK_EQ(ikeworld_protect(&w, p1, (const uint8_t *)"x", 1,
		    &pkt, &len), -1);
		mm3(&w, p1, 0x33, &pkt, &len);
		ikeworld_input(&w, pkt, len);
		free(pkt);
		ATF_REQUIRE_EQ(p1->state, P1_R_MM4);
		mm5(&w, p1, wrong, &pkt, &len);
		ikeworld_input(&w, pkt, len);
		free(pkt);
		if (wrong) {
			ATF_CHECK_EQ(ikeworld_p1_count(&w), 0);
			ATF_CHECK_EQ(w.ike->stats.p1_failed, 1);
		} else {
			ATF_CHECK_EQ(ikeworld_p1_count(&w), 1);
			ATF_CHECK_EQ(p1->state, P1_ESTABLISHED);
			ATF_CHECK_EQ(w.ike->stats.p1_up, 1);
			ATF_CHECK_STREQ(p1->remote_id, "192.0.2.2");
		}
		ikeworld_free(&w);
	}
}

/* The world with test_plugin (regress/plugins/test_plugin) loaded. */
static void
world_with_test_plugin(struct ikeworld *w, const atf_tc_t *tc)
{
	char conf[4096];

	snprintf(conf, sizeof(conf), "plugin-dir \"%s/../plugins/test_plugin\";\n"
	    "plugin test_plugin { }\n%s",
	    atf_tc_get_config_var(tc, "srcdir"), ikeworld_conf);
	world_up(w, conf);
}

/* Make test_plugin's msg_parsed hook refuse messages (1) or not (0). */
static void
refuse_parsed(struct ikeworld *w, int64_t on)
{
	ATF_REQUIRE_EQ(plugin_flags_set_int(w->peer->flags,
	    "test.fail.msg_parsed", on), 0);
}

/*
 * A message a plugin refuses is as if it never came: the next one is
 * taken in its place, with nothing of the first left behind (the
 * ASan/LSan build of the suite sees the buffers of the first).
 */
ATF_TC(refused_then_taken);
ATF_TC_HEAD(refused_then_taken, tc)
{
	atf_tc_set_md_var(tc, "descr", "MM3 refused by a plugin, then a "
	    "second MM3 taken: the first one's KE and nonce are freed");
}
ATF_TC_BODY(refused_then_taken, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt;
	size_t len;

	world_with_test_plugin(&w, tc);
	send_mm1(&w, NULL, 1);
	ATF_REQUIRE((p1 = ikeworld_last_p1(&w)) != NULL);
	ATF_REQUIRE_EQ(p1->state, P1_R_MM2);
	refuse_parsed(&w, 1);
	mm3(&w, p1, 0x33, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_REQUIRE_EQ(p1->state, P1_R_MM2);
	refuse_parsed(&w, 0);
	mm3(&w, p1, 0x34, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_CHECK_EQ(p1->state, P1_R_MM4);
	ikeworld_free(&w);
}

/* ---- Under an established phase 1 ---- */

/* Start a message of the peer's: header, then HASH (all bytes "hash":
 * 0 is filled in by ikeworld_protect, anything else is a wrong hash). */
static void
msg_start(struct isakmp_builder *b, uint8_t exchange, uint32_t msgid,
    uint8_t hash)
{
	struct isakmp_hdr h;
	uint8_t body[20];

	memset(&h, 0, sizeof(h));
	h.major = ISAKMP_VERSION_MAJOR;
	h.exchange = exchange;
	h.msgid = msgid;
	memset(body, hash, sizeof(body));
	ATF_REQUIRE_EQ(isakmp_builder_init(b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(b, ISAKMP_PT_HASH, body,
	    sizeof(body)), 0);
}

/* Finish b and protect it for p1: *pkt (malloc'ed). */
static void
msg_seal(struct ikeworld *w, struct ike_p1 *p1, struct isakmp_builder *b,
    uint8_t **pkt, size_t *len)
{
	const uint8_t *raw;
	size_t rlen;

	ATF_REQUIRE((raw = isakmp_builder_finish(b, &rlen)) != NULL);
	ATF_REQUIRE_EQ(ikeworld_protect(w, p1, raw, rlen, pkt, len), 0);
	isakmp_builder_free(b);
}

/* An informational with one notify about the phase 1 itself. */
static void
info_notify(struct ikeworld *w, struct ike_p1 *p1, uint32_t msgid,
    uint16_t type, const uint8_t *data, size_t dlen, uint8_t **pkt,
    size_t *len)
{
	struct isakmp_builder b;
	struct isakmp_notify n;
	uint8_t spi[16];

	memcpy(spi, p1->entry.icookie, 8);
	memcpy(spi + 8, p1->entry.rcookie, 8);
	msg_start(&b, ISAKMP_EXCH_INFO, msgid, 0);
	memset(&n, 0, sizeof(n));
	n.doi = ISAKMP_DOI_IPSEC;
	n.protocol = ISAKMP_PROTO_ISAKMP;
	n.spi_size = sizeof(spi);
	n.spi = spi;
	n.type = type;
	n.data = data;
	n.data_len = dlen;
	ATF_REQUIRE_EQ(isakmp_add_notify(&b, &n), 0);
	msg_seal(w, p1, &b, pkt, len);
}

/* QM1 offering our own phase-2 proposals back, without IDs. */
static void
qm1(struct ikeworld *w, struct ike_p1 *p1, uint32_t msgid, uint8_t hash,
    uint8_t **pkt, size_t *len)
{
	struct isakmp_builder b;
	struct ike_sa_store st;
	uint8_t nonce[16];
	uint16_t group;

	memset(nonce, 0x4e, sizeof(nonce));
	ATF_REQUIRE_EQ(ike_p2_sa_spec(&p1->prof, 0x01020304, 2, &st, &group),
	    0);
	msg_start(&b, ISAKMP_EXCH_QUICK, msgid, hash);
	ATF_REQUIRE_EQ(isakmp_add_sa(&b, &st.sa), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, nonce,
	    sizeof(nonce)), 0);
	msg_seal(w, p1, &b, pkt, len);
}

/*
 * Dead peer detection counts only authenticated messages: a quick mode
 * that decrypts but has a wrong HASH(1) is no sign of life.
 */
ATF_TC_WITHOUT_HEAD(qm_bad_hash_not_alive);
ATF_TC_BODY(qm_bad_hash_not_alive, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt;
	size_t len;
	uint64_t before;

	world_up(&w, NULL);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	before = p1->last_rx_ms;
	ikeworld_advance(&w, 5000);
	qm1(&w, p1, 0x0a0b0c0d, 0x55, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_CHECK_EQ(p1->last_rx_ms, before);
	ATF_CHECK(TAILQ_EMPTY(&p1->p2s));
	ATF_CHECK_EQ(w.ike->stats.p2_failed, 0);
	/* The same with the right hash is (and fails at GETSPI). */
	qm1(&w, p1, 0x0a0b0c0d, 0, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_CHECK_EQ(p1->last_rx_ms, before + 5000);
	ATF_CHECK_EQ(w.ike->stats.p2_failed, 1);
	ikeworld_free(&w);
}

/* A replayed QM1 (its exchange already gone) starts nothing new. */
ATF_TC_WITHOUT_HEAD(qm1_replay);
ATF_TC_BODY(qm1_replay, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt;
	size_t len;

	world_up(&w, NULL);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	qm1(&w, p1, 0x31323334, 0, &pkt, &len);
	ikeworld_input(&w, pkt, len);
	ATF_REQUIRE_EQ(w.ike->stats.p2_failed, 1);
	ATF_REQUIRE(TAILQ_EMPTY(&p1->p2s));
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(w.ike->stats.p2_failed, 1);
	free(pkt);
	ikeworld_free(&w);
}

/* R-U-THERE-ACK for our sequence number 77, then the same again. */
ATF_TC_WITHOUT_HEAD(info_replay);
ATF_TC_BODY(info_replay, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t seq[4], *pkt;
	size_t len;
	uint64_t alive;

	world_up(&w, NULL);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	p1->dpd_seq = 77;
	p1->dpd_pending = true;
	ike_put32(seq, 77);
	info_notify(&w, p1, 0x41424344, ISAKMP_N_DPD_R_U_THERE_ACK, seq, 4,
	    &pkt, &len);
	ikeworld_advance(&w, 1000);
	ikeworld_input(&w, pkt, len);
	ATF_CHECK(!p1->dpd_pending);
	alive = p1->last_rx_ms;
	ATF_CHECK_EQ(alive, w.now);
	/* The peer is silent now; someone replays its answer. */
	p1->dpd_pending = true;
	ikeworld_advance(&w, 1000);
	ikeworld_input(&w, pkt, len);
	ATF_CHECK(p1->dpd_pending);
	ATF_CHECK_EQ(p1->last_rx_ms, alive);
	free(pkt);
	ikeworld_free(&w);
}

/* One SA of the peer's in the SA manager (the fake kernel takes it). */
static void
add_peer_sa(struct ikeworld *w, uint32_t spi)
{
	struct sa_params sp;
	struct sa *sa;

	memset(&sp, 0, sizeof(sp));
	sp.dir = SA_DIR_OUT;
	sp.satype = PFKEY_SATYPE_ESP;
	sp.spi = spi;
	sp.src = w->me;
	sp.dst = w->them;
	sp.src.port = sp.dst.port = 0;
	sp.peer = w->peer;
	ATF_REQUIRE_EQ(sa_add(w->d.sa, 0, &sp, NULL, &sa), 0);
}

/*
 * INITIAL-CONTACT in an informational: the peer's older SAs go, once.
 * A replay of it, or another one later, leaves the SAs made since.
 */
ATF_TC_WITHOUT_HEAD(initial_contact_once);
ATF_TC_BODY(initial_contact_once, tc)
{
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt, *again;
	size_t len, alen;

	world_up(&w, NULL);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	add_peer_sa(&w, 0x1001);
	add_peer_sa(&w, 0x1002);
	ATF_REQUIRE_EQ(peer_sa_count(w.peer, w.d.sa), 2);
	info_notify(&w, p1, 0x51525354, ISAKMP_N_INITIAL_CONTACT, NULL, 0,
	    &pkt, &len);
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(peer_sa_count(w.peer, w.d.sa), 0);
	add_peer_sa(&w, 0x2001);
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(peer_sa_count(w.peer, w.d.sa), 1);
	info_notify(&w, p1, 0x61626364, ISAKMP_N_INITIAL_CONTACT, NULL, 0,
	    &again, &alen);
	ikeworld_input(&w, again, alen);
	ATF_CHECK_EQ(peer_sa_count(w.peer, w.d.sa), 1);
	ATF_CHECK_EQ(ikeworld_p1_count(&w), 1);
	free(pkt);
	free(again);
	ikeworld_free(&w);
}


/* ---- "profile auto" and forged first messages ---- */

/* ./plugins holding both compat plugins, for a world's plugin-dir. */
static void
compat_plugin_dir(const atf_tc_t *tc, char *dir, size_t len)
{
	static const char *const names[] = { "compat_legacy", "compat_modern" };
	char src[PATH_MAX], rel[64], dst[64];
	size_t i;

	ATF_REQUIRE(mkdir("plugins", 0755) == 0 || errno == EEXIST);
	for (i = 0; i < 2; i++) {
		snprintf(rel, sizeof(rel), "../../plugins/%s/%s.so", names[i],
		    names[i]);
		tu_srcdir_path(atf_tc_get_config_var(tc, "srcdir"), rel, src,
		    sizeof(src));
		snprintf(dst, sizeof(dst), "plugins/%s.so", names[i]);
		(void)unlink(dst);
		ATF_REQUIRE_MSG(symlink(src, dst) == 0, "%s", strerror(errno));
	}
	ATF_REQUIRE(realpath("plugins", dir) != NULL);
	(void)len;
}

/*
 * An MM1 from the peer's address names a profile in its MS NT5
 * ISAKMPOAKLEY vendor ID, and anyone can send one: what it says is for
 * the phase 1 it starts, not for the peer.  The peer (profile auto, last
 * seen as Windows XP: legacy) keeps its record, and its established
 * phase 1 keeps the legacy proposals for its next quick mode; the forged
 * phase 1 alone is under the modern profile it asked for.  (The main
 * mode is configured, so the forged MM1 matches under either profile
 * and its phase 1 stays to be looked at; quick mode is the profile's.)
 */
ATF_TC(forged_mm1_profile);
ATF_TC_HEAD(forged_mm1_profile, tc)
{
	atf_tc_set_md_var(tc, "descr", "A forged MM1 with a Windows 7 vendor "
	    "ID changes neither the peer's profile nor its phase 1's");
}
ATF_TC_BODY(forged_mm1_profile, tc)
{
	/* MD5("MS NT5 ISAKMPOAKLEY"), version 7: Windows 7 (FACTS 1.2). */
	static const char win7_vid[] = "1e2b516905991c7d7c96fcbfb587e461"
	    "00000007";
	uint8_t vid[20], cookie[ISAKMP_COOKIE_LEN] = { 0xf0, 0x4e };
	char dir[PATH_MAX], conf[PATH_MAX + 512];
	struct ike_p1 *p1, *forged;
	struct ikeworld w;
	uint8_t *pkt;
	size_t len;

	compat_plugin_dir(tc, dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "plugin-dir \"%s\";\n"
	    "plugin compat_legacy;\nplugin compat_modern;\n"
	    "peer peer {\n\taddress " IKEWORLD_PEER ";\n"
	    "\tlocal-address " IKEWORLD_ME ";\n"
	    "\tauth psk \"a shared secret for the test\";\n"
	    "\tprofile auto;\n"
	    "\tphase1 encryption aes128 hash sha1 group modp1024;\n"
	    "\tpolicy local " IKEWORLD_ME " remote " IKEWORLD_PEER
	    " transport require;\n}\n", dir);
	world_up(&w, conf);
	ATF_REQUIRE_EQ(plugin_flags_set_str(w.peer->flags, OAKLEY_FLAG_PROFILE,
	    "legacy"), 0);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	ATF_REQUIRE_EQ(p1->prof.n_phase2, 1);
	ATF_CHECK_EQ(p1->prof.phase2[0].cipher, 3);	/* ESP_3DES */

	ATF_REQUIRE_EQ(tu_hex_decode(win7_vid, vid, sizeof(vid)), 20);
	ATF_REQUIRE_EQ(ikeworld_mm1_vid(&w, cookie, vid, sizeof(vid), &pkt,
	    &len), 0);
	ikeworld_input(&w, pkt, len);
	free(pkt);

	/* The forged phase 1 chose modern for itself... */
	ATF_REQUIRE_EQ(ikeworld_p1_count(&w), 2);
	ATF_REQUIRE((forged = ikeworld_last_p1(&w)) != p1);
	ATF_CHECK_STREQ(plugin_flags_get_str(forged->flags,
	    OAKLEY_FLAG_PROFILE), "modern");
	ATF_CHECK_EQ(forged->prof.phase2[0].cipher, 12);	/* ESP_AES */
	/* ...and nothing else changed. */
	ATF_CHECK_STREQ(plugin_flags_get_str(w.peer->flags,
	    OAKLEY_FLAG_PROFILE), "legacy");
	ATF_CHECK(plugin_flags_get_str(w.peer->flags,
	    OAKLEY_FLAG_PROFILE_EVIDENCE) == NULL);
	ATF_REQUIRE_EQ(ike_profile_refresh(p1), 0);
	ATF_CHECK_EQ(p1->prof.phase2[0].cipher, 3);
	ATF_CHECK_STREQ(plugin_flags_get_str(p1->prof_flags,
	    "compat.profile"), "legacy");

	/*
	 * A first message without the MS vendor ID: its phase 1 starts
	 * under the peer's record (legacy) and ends under none; what
	 * legacy noted for it (send our vendor ID, draft NAT-T, the
	 * Windows backoff) goes with it.
	 */
	cookie[2] = 0x01;
	ATF_REQUIRE_EQ(ikeworld_mm1(&w, cookie, &pkt, &len), 0);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	ATF_REQUIRE_EQ(ikeworld_p1_count(&w), 3);
	forged = ikeworld_last_p1(&w);
	ATF_CHECK_STREQ(plugin_flags_get_str(forged->flags,
	    OAKLEY_FLAG_PROFILE), "default");
	ATF_CHECK_EQ(plugin_flags_count(forged->prof_flags), 0);
	ATF_CHECK_EQ(forged->prof.retransmit_count, 5);	/* the core's */
	ikeworld_free(&w);
}

/* ---- What unauthenticated junk logs ---- */

/* A main-mode message in the clear with one nonce, cookies given. */
static void
clear_nonce(const uint8_t *icookie, const uint8_t *rcookie, uint8_t **pkt,
    size_t *len)
{
	struct isakmp_builder b;
	struct isakmp_hdr h;
	const uint8_t *raw;
	uint8_t nonce[16];

	memset(nonce, 0x4e, sizeof(nonce));
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, icookie, ISAKMP_COOKIE_LEN);
	if (rcookie != NULL)
		memcpy(h.rcookie, rcookie, ISAKMP_COOKIE_LEN);
	h.major = ISAKMP_VERSION_MAJOR;
	h.exchange = ISAKMP_EXCH_IDPROT;
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, nonce,
	    sizeof(nonce)), 0);
	ATF_REQUIRE((raw = isakmp_builder_finish(&b, len)) != NULL);
	ATF_REQUIRE((*pkt = malloc(*len)) != NULL);
	memcpy(*pkt, raw, *len);
	isakmp_builder_free(&b);
}

/* pkt from the peer logs nothing at info or above. */
static void
input_quietly(struct ikeworld *w, uint8_t *pkt, size_t len, const char *what)
{
	char logs[4096];

	tu_stderr_start();
	ikeworld_input(w, pkt, len);
	tu_stderr_end(logs, sizeof(logs));
	ATF_CHECK_MSG(logs[0] == '\0', "%s logged: %s", what, logs);
	free(pkt);
}

/*
 * Malformed and unauthenticated messages (issue #4) are dropped with
 * their reason at debug: anyone may send them, as often as they like.
 */
ATF_TC(junk_logged_at_debug);
ATF_TC_HEAD(junk_logged_at_debug, tc)
{
	atf_tc_set_md_var(tc, "descr", "An MM1 without SA, an MM3 without "
	    "KE, a QM1 and an informational with a bad hash, a replayed "
	    "informational: nothing at log level info");
}
ATF_TC_BODY(junk_logged_at_debug, tc)
{
	uint8_t icookie[ISAKMP_COOKIE_LEN] = { 0x1c }, seq[4] = { 0x5e };
	uint8_t *pkt, *again;
	struct isakmp_builder b;
	struct ikeworld w;
	struct ike_p1 *p1;
	size_t len;

	world_up(&w, NULL);
	log_set_level(LOG_LEVEL_INFO);
	clear_nonce(icookie, NULL, &pkt, &len);
	input_quietly(&w, pkt, len, "MM1 without SA");
	send_mm1(&w, NULL, 1);
	ATF_REQUIRE((p1 = ikeworld_last_p1(&w)) != NULL);
	clear_nonce(p1->entry.icookie, p1->entry.rcookie, &pkt, &len);
	input_quietly(&w, pkt, len, "MM3 without KE");
	ATF_CHECK_EQ(p1->state, P1_R_MM2);

	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	qm1(&w, p1, 0x0a0b0c0d, 0x55, &pkt, &len);
	input_quietly(&w, pkt, len, "QM1 with a bad HASH(1)");
	msg_start(&b, ISAKMP_EXCH_INFO, 0x71727374, 0x55);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, seq,
	    sizeof(seq)), 0);
	msg_seal(&w, p1, &b, &pkt, &len);
	input_quietly(&w, pkt, len, "informational with a bad hash");
	ike_put32(seq, 77);
	info_notify(&w, p1, 0x41424344, ISAKMP_N_DPD_R_U_THERE_ACK, seq, 4,
	    &pkt, &len);
	ATF_REQUIRE((again = malloc(len)) != NULL);
	memcpy(again, pkt, len);
	ikeworld_input(&w, pkt, len);
	free(pkt);
	input_quietly(&w, again, len, "replayed informational");
	ikeworld_free(&w);
}

/* ---- Plaintext is wiped before it is freed ---- */

static const uint8_t secret[] = "a nonce or HASH_I, not for the heap";

static void
watch_start(void)
{
	if (ikeworld_freed_holding() == -1)
		atf_tc_skip("no malloc_usable_size to look into freed blocks");
	ikeworld_watch_frees(secret, sizeof(secret));
}

/*
 * What ike_msg_open decrypted (an informational's notify data, a QM1's
 * nonce) is wiped before it is freed, like what the engine keeps.
 */
ATF_TC_WITHOUT_HEAD(plaintext_wiped);
ATF_TC_BODY(plaintext_wiped, tc)
{
	struct isakmp_builder b;
	struct ikeworld w;
	struct ike_p1 *p1;
	uint8_t *pkt;
	size_t len;

	world_up(&w, NULL);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	info_notify(&w, p1, 0x81828384, 40000, secret, sizeof(secret), &pkt,
	    &len);
	watch_start();
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(ikeworld_freed_holding(), 0);
	free(pkt);
	msg_start(&b, ISAKMP_EXCH_QUICK, 0x91929394, 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, secret,
	    sizeof(secret)), 0);
	msg_seal(&w, p1, &b, &pkt, &len);
	watch_start();
	ikeworld_input(&w, pkt, len);
	ATF_CHECK_EQ(ikeworld_freed_holding(), 0);
	free(pkt);
	ikeworld_free(&w);
}

/*
 * A message we build is wiped: the builder's buffer, and each block it
 * outgrew (a nonce, then a KE that does not fit: a QM1).
 */
ATF_TC_WITHOUT_HEAD(builder_wiped);
ATF_TC_BODY(builder_wiped, tc)
{
	uint8_t ke[1024] = { 0 };
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct ikeworld w;
	struct ike_p1 *p1;

	memset(&h, 0, sizeof(h));
	watch_start();
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, secret,
	    sizeof(secret)), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_KE, ke, sizeof(ke)),
	    0);
	isakmp_builder_free(&b);
	ATF_CHECK_EQ(ikeworld_freed_holding(), 0);
	/* The engine's own: an informational with the secret in a notify. */
	world_up(&w, NULL);
	ATF_REQUIRE((p1 = ikeworld_established(&w)) != NULL);
	watch_start();
	info_send_notify(p1, 40000, ISAKMP_PROTO_ISAKMP, NULL, 0, secret,
	    sizeof(secret));
	ATF_CHECK_EQ(ikeworld_freed_holding(), 0);
	ikeworld_free(&w);
}

/* ---- Sending without an established phase 1 ---- */

/* Junk where the next call's locals go (a builder never initialised). */
static void __attribute__((noinline))
dirty_stack(void)
{
	volatile uint8_t junk[16384];
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = 0xa5;
}

/*
 * A notify or DELETE for a phase 1 still in main mode is refused; the
 * builder they free was never started (the ASan build sees a bad free).
 */
ATF_TC_WITHOUT_HEAD(info_send_wrong_state);
ATF_TC_BODY(info_send_wrong_state, tc)
{
	uint8_t spi[4] = { 1, 2, 3, 4 };
	struct ikeworld w;
	struct ike_p1 *p1;
	int rc;

	world_up(&w, NULL);
	send_mm1(&w, NULL, 1);
	ATF_REQUIRE((p1 = ikeworld_last_p1(&w)) != NULL);
	ATF_REQUIRE_EQ(p1->state, P1_R_MM2);
	dirty_stack();
	rc = info_send_notify(p1, ISAKMP_N_DPD_R_U_THERE, ISAKMP_PROTO_ISAKMP,
	    NULL, 0, NULL, 0);
	ATF_CHECK_EQ(rc, -1);
	dirty_stack();
	rc = info_send_delete(p1, ISAKMP_PROTO_ESP, spi, sizeof(spi), 1);
	ATF_CHECK_EQ(rc, -1);
	ATF_CHECK_EQ(p1->state, P1_R_MM2);
	ikeworld_free(&w);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mm1_flood_one_address);
	ATF_TP_ADD_TC(tp, mm1_unknown_addresses);
	ATF_TP_ADD_TC(tp, mm1_flood_many_peers);
	ATF_TP_ADD_TC(tp, mm1_flood_configured_caps);
	ATF_TP_ADD_TC(tp, mm1_duplicate);
	ATF_TP_ADD_TC(tp, mm1_msgid_nonzero);
	ATF_TP_ADD_TC(tp, mm5_in_clear_dropped);
	ATF_TP_ADD_TC(tp, mm_responder_whole);
	ATF_TP_ADD_TC(tp, refused_then_taken);
	ATF_TP_ADD_TC(tp, qm_bad_hash_not_alive);
	ATF_TP_ADD_TC(tp, qm1_replay);
	ATF_TP_ADD_TC(tp, info_replay);
	ATF_TP_ADD_TC(tp, initial_contact_once);
	ATF_TP_ADD_TC(tp, forged_mm1_profile);
	ATF_TP_ADD_TC(tp, junk_logged_at_debug);
	ATF_TP_ADD_TC(tp, plaintext_wiped);
	ATF_TP_ADD_TC(tp, builder_wiped);
	ATF_TP_ADD_TC(tp, info_send_wrong_state);
	return atf_no_error();
}
