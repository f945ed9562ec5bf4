/*
 * The NAT-T port and what travels on it: the packet filter (RFC 3948 2:
 * IKE behind a 4-octet zero non-ESP marker, a NAT-keepalive is the one
 * octet 0xFF, anything else is ESP for the kernel), NAT-keepalives from
 * the end behind a NAT (RFC 3948 4), and following a peer whose NAT
 * mapping changed (RFC 3947 4).
 */
#include "natt.h"

static const uint8_t non_esp_marker[NATT_MARKER_LEN];

static enum oakley_packet
natt_classify(const struct oakley_host *h, const uint8_t *pkt, size_t len,
    size_t *ike_offset)
{
	(void)h;
	if (len < NATT_MARKER_LEN)
		return OAKLEY_PACKET_DROP;	/* keepalive, or runt */
	if (pkt[0] != 0 || pkt[1] != 0 || pkt[2] != 0 || pkt[3] != 0)
		return OAKLEY_PACKET_DROP;	/* ESP: a non-zero SPI */
	*ike_offset = NATT_MARKER_LEN;
	return OAKLEY_PACKET_IKE;
}

const struct oakley_port natt_port = {
	.port = OAKLEY_PORT_NATT,
	.flags = OAKLEY_PORT_ESPINUDP,
	.marker = non_esp_marker,
	.marker_len = NATT_MARKER_LEN,
	.classify = natt_classify,
};

/* ---- Keepalives ---- */

static void
keepalive_fire(const struct oakley_host *h, void *arg)
{
	static const uint8_t ka[1] = { NATT_KEEPALIVE_BYTE };
	struct natt_p1 *st = arg;

	if (h->engine->phase1_send_raw(st->p1, ka, sizeof(ka)) != 0)
		h->log(h, OAKLEY_LOG_WARN, "peer %s: cannot send a "
		    "NAT-keepalive", natt_peer_name(h, st->p1));
	h->timer_set(h, st->keepalive, natt_conf.keepalive_s * 1000);
}

/* Established: keepalives every keepalive_s if we are behind a NAT. */
void
natt_keepalive_start(const struct oakley_host *h, struct natt_p1 *st)
{
	if (natt_conf.keepalive_s == 0 || !st->floated || !st->nat_local ||
	    st->keepalive != NULL)
		return;
	if ((st->keepalive = h->timer_new(h, keepalive_fire, st)) == NULL ||
	    h->timer_set(h, st->keepalive, natt_conf.keepalive_s * 1000) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot arm the "
		    "NAT-keepalive timer", natt_peer_name(h, st->p1));
		natt_keepalive_stop(h, st);
		return;
	}
	h->log(h, OAKLEY_LOG_DEBUG, "peer %s: NAT-keepalive every %u s",
	    natt_peer_name(h, st->p1), (unsigned)natt_conf.keepalive_s);
}

void
natt_keepalive_stop(const struct oakley_host *h, struct natt_p1 *st)
{
	if (st->keepalive == NULL)
		return;
	h->timer_free(h, st->keepalive);
	st->keepalive = NULL;
}

/* ---- Following the peer ---- */

/*
 * An authenticated message of a phase 1 on the NAT-T ports came from
 * another address or port than the phase 1's: the peer's NAT mapping
 * changed.  Send there from now on and move the peer's SAs along.
 */
void
natt_follow(const struct oakley_host *h, struct oakley_msg *m)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase1 *p1 = e->msg_phase1(m);
	struct natt_p1 *st = natt_p1_find(p1);
	struct oakley_addr src, remote;
	char was[64], now[64];

	if (st == NULL || !st->floated || e->msg_source(m, &src) != 0 ||
	    e->phase1_remote(p1, &remote) != 0 ||
	    natt_addr_equal(&src, &remote) || src.family != remote.family)
		return;
	h->log(h, OAKLEY_LOG_NOTICE, "peer %s moved from %s to %s; following",
	    natt_peer_name(h, p1), natt_addr_str(&remote, was, sizeof(was)),
	    natt_addr_str(&src, now, sizeof(now)));
	if (e->phase1_set_remote(p1, &src) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot follow it to %s",
		    natt_peer_name(h, p1), now);
		return;
	}
	natt_note_remote(h, p1);
	if (st->established &&
	    e->peer_sas_refresh(e->phase1_peer(p1)) != 0)
		h->log(h, OAKLEY_LOG_WARN, "peer %s: its SAs could not all be "
		    "moved to %s", natt_peer_name(h, p1), now);
}
