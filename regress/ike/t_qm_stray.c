/*
 * Quick mode after the fact (daemon/ike/phase2.c): a copy of a message
 * the responder answered (QM1) is answered again with the same QM2; a
 * copy of QM3, which ended the exchange, is counted and not answered
 * (answering it would have the initiator answer our QM2 with QM3 again,
 * and so on for good); no copy makes new state.  Any other message with
 * its message ID is ignored (the fourth
 * message some Windows servers send after QM3); a message under an
 * unknown message ID that does not decrypt to a quick mode creates no
 * state.  The phase 1 is built by hand, without sockets.
 */
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "daemon.h"
#include "ike/ike.h"
#include "log.h"
#include "peer.h"
#include "timer.h"

static uint64_t fake_ms;

static uint64_t
fake_clock(void *arg)
{
	(void)arg;
	return fake_ms;
}

struct world {
	struct daemon	d;
	struct ike	ike;
	struct ike_p1	p1;
	struct peer	peer;
	struct ike_p2	*p2;
	uint8_t		key[16];
};

/* An established phase 1 (AES-128, SHA1) with one finished QM. */
static void
world_up(struct world *w)
{
	log_init("t_qm_stray", true, LOG_LEVEL_ERR);
	memset(w, 0, sizeof(*w));
	ATF_REQUIRE((w->d.timers = timers_new(fake_clock, NULL)) != NULL);
	TAILQ_INIT(&w->d.peers);
	w->ike.d = &w->d;
	p1_table_init(&w->ike.table, 0, 0);
	TAILQ_INIT(&w->ike.p1s);
	ATF_REQUIRE((w->ike.rx = calloc(1, sizeof(*w->ike.rx))) != NULL);
	w->p1.ike = &w->ike;
	w->p1.peer = &w->peer;
	w->p1.state = P1_ESTABLISHED;
	TAILQ_INIT(&w->p1.p2s);
	w->p1.keys.prf = ike_hash_by_p1(2);
	w->p1.keys.cipher = ike_cipher_by_p1(7, 128);
	ATF_REQUIRE_EQ(ike_buf_set(&w->p1.keys.enc_key, w->key,
	    sizeof(w->key)), 0);
	ATF_REQUIRE((w->p2 = calloc(1, sizeof(*w->p2))) != NULL);
	xmit_init_p2(w->p2);
	w->p2->p1 = &w->p1;
	w->p2->msgid = 0x11223344;
	w->p2->state = P2_DONE;
	TAILQ_INSERT_TAIL(&w->p1.p2s, w->p2, link);
}

static void
world_down(struct world *w)
{
	struct ike_p2 *p2;

	while ((p2 = TAILQ_FIRST(&w->p1.p2s)) != NULL) {
		TAILQ_REMOVE(&w->p1.p2s, p2, link);
		xmit_free(&w->ike, &p2->xmit);
		free(p2);
	}
	ike_buf_free(&w->p1.keys.enc_key);
	free(w->ike.rx);
	timers_free(w->d.timers);
}

/* 28-byte header (quick mode, E flag, msgid) and 32 bytes of body. */
static void
message(uint8_t *pkt, uint32_t msgid, uint8_t fill)
{
	memset(pkt, fill, 60);
	memset(pkt, 0xab, 16);			/* cookies */
	pkt[16] = ISAKMP_PT_HASH;
	pkt[17] = 0x10;
	pkt[18] = ISAKMP_EXCH_QUICK;
	pkt[19] = ISAKMP_FLAG_E;
	ike_put32(pkt + 20, msgid);
	ike_put32(pkt + 24, 60);
}

static unsigned
count_p2(const struct world *w)
{
	const struct ike_p2 *p2;
	unsigned n = 0;

	TAILQ_FOREACH(p2, &w->p1.p2s, link)
		n++;
	return n;
}

ATF_TC_WITHOUT_HEAD(duplicate_answered);
ATF_TC_BODY(duplicate_answered, tc)
{
	struct world w;
	uint8_t qm1[60], qm3[60], *qm2;

	world_up(&w);
	/* The responder took QM1 and answered it with QM2. */
	w.p2->state = P2_R_QM2;
	message(qm1, 0x11223344, 0x11);
	ATF_REQUIRE_EQ(ike_msg_remember_rx(&w.p2->xmit, qm1, sizeof(qm1)), 0);
	ATF_REQUIRE((qm2 = malloc(60)) != NULL);
	message(qm2, 0x11223344, 0x22);
	ATF_REQUIRE_EQ(xmit_send(&w.p1, w.p2, &w.p2->xmit, qm2, 60, true), 0);
	p2_input(&w.p1, qm1, sizeof(qm1));
	p2_input(&w.p1, qm1, sizeof(qm1));
	ATF_CHECK_EQ(w.ike.stats.duplicates, 2);
	ATF_CHECK_EQ(w.ike.stats.resent, 2);
	ATF_CHECK_EQ(w.p2->state, P2_R_QM2);

	/* QM3 ended the exchange: its copies are counted, not answered. */
	message(qm3, 0x11223344, 0x33);
	ATF_REQUIRE_EQ(ike_msg_remember_rx(&w.p2->xmit, qm3, sizeof(qm3)), 0);
	w.p2->state = P2_DONE;
	p2_input(&w.p1, qm3, sizeof(qm3));
	p2_input(&w.p1, qm3, sizeof(qm3));
	ATF_CHECK_EQ(w.ike.stats.duplicates, 4);
	ATF_CHECK_EQ(w.ike.stats.resent, 2);
	ATF_CHECK_EQ(w.ike.stats.dropped, 0);
	ATF_CHECK_EQ(count_p2(&w), 1);
	ATF_CHECK_EQ(w.p2->state, P2_DONE);
	/* QM1 is no longer the message kept: a copy is not a duplicate. */
	p2_input(&w.p1, qm1, sizeof(qm1));
	ATF_CHECK_EQ(w.ike.stats.duplicates, 4);
	ATF_CHECK_EQ(w.ike.stats.resent, 2);
	world_down(&w);
}

ATF_TC_WITHOUT_HEAD(fourth_message_ignored);
ATF_TC_BODY(fourth_message_ignored, tc)
{
	struct world w;
	uint8_t qm3[60], qm4[60];

	world_up(&w);
	message(qm3, 0x11223344, 0x33);
	message(qm4, 0x11223344, 0x44);
	ATF_REQUIRE_EQ(ike_msg_remember_rx(&w.p2->xmit, qm3, sizeof(qm3)), 0);
	p2_input(&w.p1, qm4, sizeof(qm4));
	p2_input(&w.p1, qm4, sizeof(qm4));
	ATF_CHECK_EQ(w.ike.stats.duplicates, 0);
	ATF_CHECK_EQ(w.ike.stats.dropped, 0);
	ATF_CHECK_EQ(count_p2(&w), 1);
	ATF_CHECK_EQ(w.p2->state, P2_DONE);
	/* The copy kept is still QM3: its duplicates are still spotted. */
	p2_input(&w.p1, qm3, sizeof(qm3));
	ATF_CHECK_EQ(w.ike.stats.duplicates, 1);
	ATF_CHECK_EQ(w.ike.stats.resent, 0);
	world_down(&w);
}

ATF_TC_WITHOUT_HEAD(unknown_msgid_no_state);
ATF_TC_BODY(unknown_msgid_no_state, tc)
{
	struct world w;
	uint8_t junk[60];

	world_up(&w);
	message(junk, 0x55667788, 0x5a);
	p2_input(&w.p1, junk, sizeof(junk));
	ATF_CHECK_EQ(count_p2(&w), 1);
	ATF_CHECK_EQ(w.ike.stats.dropped, 1);
	/* Message ID 0 and cleartext are not quick mode at all. */
	message(junk, 0, 0x5a);
	p2_input(&w.p1, junk, sizeof(junk));
	message(junk, 0x01020304, 0x5a);
	junk[19] = 0;
	p2_input(&w.p1, junk, sizeof(junk));
	ATF_CHECK_EQ(count_p2(&w), 1);
	world_down(&w);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, duplicate_answered);
	ATF_TP_ADD_TC(tp, fourth_message_ignored);
	ATF_TP_ADD_TC(tp, unknown_msgid_no_state);
	return atf_no_error();
}
