/*
 * Retransmission.  Every exchange keeps the last message it sent; when an
 * answer is expected a timer resends it with exponential backoff: the
 * first wait is the peer's retransmit interval (profile retransmit_ms),
 * then twice that, four times..., capped at XMIT_MAX_MS, for at most the
 * profile's retransmit_count resends.  When the timer fires the plugins'
 * retransmit verdict is asked first:
 *
 *   DEFAULT      the schedule above; past the count, the exchange fails
 *   AFTER        resend now, next wait *next_ms (no count applies)
 *   GIVE_UP      fail now
 *   NEW_PHASE1   (quick mode) drop the phase 1, start a fresh main mode
 *
 * A duplicate of the last message received is answered by resending the
 * last message sent, without processing it again, if that message was
 * the answer to it (xmit_duplicate); a duplicate of the message that
 * ended an exchange is only counted.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "ike.h"
#include "log.h"
#include "peer.h"
#include "plugin.h"

#define XMIT_MIN_MS	100
#define XMIT_MAX_MS	60000

uint32_t
xmit_backoff_ms(uint32_t first_ms, unsigned sent)
{
	uint64_t ms = first_ms < XMIT_MIN_MS ? XMIT_MIN_MS : first_ms;
	unsigned i;

	for (i = 1; i < sent && ms < XMIT_MAX_MS; i++)
		ms *= 2;
	return ms > XMIT_MAX_MS ? XMIT_MAX_MS : (uint32_t)ms;
}

static struct timers *
timers_of(struct ike *ike)
{
	return ike->d->timers;
}

static void
xmit_transmit(struct ike_p1 *p1, struct ike_xmit *x)
{
	if (p1->sock == NULL && p1->initiator && p1->state == P1_I_MM1)
		p1_route(p1);
	if (x->pkt == NULL || p1->sock == NULL)
		return;
	ike_net_send(p1->sock, &p1->local, &p1->remote, x->pkt, x->len, true);
}

static void
xmit_fire(struct ike_p1 *p1, struct ike_p2 *p2, struct ike_xmit *x)
{
	struct ike *ike = p1->ike;
	enum oakley_retransmit v;
	enum oakley_failure why;
	uint32_t next = 0;
	char peer[80];

	v = plugin_run_retransmit(IKE_P1_HANDLE(p1), IKE_P2_HANDLE(p2),
	    x->sent, &next);
	why = x->answered ? OAKLEY_FAIL_TIMEOUT : OAKLEY_FAIL_NO_RESPONSE;
	ike_addr_text(&p1->remote, peer, sizeof(peer));
	if (v == OAKLEY_RETRANSMIT_DEFAULT &&
	    x->sent > p1->prof.retransmit_count)
		v = OAKLEY_RETRANSMIT_GIVE_UP;
	if (v == OAKLEY_RETRANSMIT_NEW_PHASE1 && p2 == NULL)
		v = OAKLEY_RETRANSMIT_GIVE_UP;
	switch (v) {
	case OAKLEY_RETRANSMIT_GIVE_UP:
		log_info("IKE: %s to %s: no answer after %u transmissions; "
		    "giving up", p2 != NULL ? "quick mode" : "main mode", peer,
		    x->sent);
		x->waiting = false;
		if (p2 != NULL)
			p2_fail(p2, why);
		else
			p1_delete(p1, why, false);
		return;
	case OAKLEY_RETRANSMIT_NEW_PHASE1:
		log_info("IKE: quick mode to %s unanswered: a plugin asks for "
		    "a new phase 1", peer);
		x->waiting = false;
		p1_delete(p1, OAKLEY_FAIL_TIMEOUT, true);
		return;
	case OAKLEY_RETRANSMIT_AFTER:
		break;
	case OAKLEY_RETRANSMIT_DEFAULT:
		next = xmit_backoff_ms(p1->prof.retransmit_ms, x->sent + 1);
		break;
	}
	log_info("IKE: retransmitting %s message to %s (transmission %u)",
	    p2 != NULL ? "quick mode" : "main mode", peer, x->sent + 1);
	ike->stats.retransmits++;
	xmit_transmit(p1, x);
	x->sent++;
	timer_add_in(timers_of(ike), &x->timer, next);
}

static void
xmit_p1_cb(struct timer *t, void *arg)
{
	struct ike_p1 *p1 = arg;

	(void)t;
	xmit_fire(p1, NULL, &p1->xmit);
}

static void
xmit_p2_cb(struct timer *t, void *arg)
{
	struct ike_p2 *p2 = arg;

	(void)t;
	xmit_fire(p2->p1, p2, &p2->xmit);
}

void
xmit_init_p1(struct ike_p1 *p1)
{
	timer_init(&p1->xmit.timer, xmit_p1_cb, p1);
}

void
xmit_init_p2(struct ike_p2 *p2)
{
	timer_init(&p2->xmit.timer, xmit_p2_cb, p2);
}

int
xmit_send(struct ike_p1 *p1, struct ike_p2 *p2, struct ike_xmit *x,
    uint8_t *pkt, size_t len, bool expect_answer)
{
	(void)p2;
	free(x->pkt);
	x->pkt = pkt;
	x->len = len;
	x->rx_answered = x->rx != NULL;
	x->sent = 1;
	x->waiting = expect_answer;
	xmit_transmit(p1, x);
	timer_remove(timers_of(p1->ike), &x->timer);
	if (!expect_answer)
		return 0;
	x->next_ms = xmit_backoff_ms(p1->prof.retransmit_ms, 1);
	return timer_add_in(timers_of(p1->ike), &x->timer, x->next_ms) == 0 ?
	    0 : -1;
}

bool
xmit_duplicate(struct ike_p1 *p1, struct ike_xmit *x, const uint8_t *pkt,
    size_t len)
{
	char peer[80];

	if (!ike_msg_duplicate(x, pkt, len))
		return false;
	p1->ike->stats.duplicates++;
	ike_addr_text(&p1->remote, peer, sizeof(peer));
	if (x->pkt == NULL || !x->rx_answered) {
		log_debug("IKE: duplicate from %s of a message we do not "
		    "answer; ignored", peer);
		return true;
	}
	log_debug("IKE: duplicate from %s: resending our last message", peer);
	p1->ike->stats.resent++;
	xmit_transmit(p1, x);
	return true;
}

void
xmit_answered(struct ike *ike, struct ike_xmit *x)
{
	x->waiting = false;
	x->answered = true;
	timer_remove(timers_of(ike), &x->timer);
}

void
xmit_free(struct ike *ike, struct ike_xmit *x)
{
	timer_remove(timers_of(ike), &x->timer);
	free(x->pkt);
	free(x->rx);
	x->pkt = x->rx = NULL;
	x->len = x->rx_len = 0;
}
