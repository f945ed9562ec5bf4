/*
 * Quick mode and the kernel: the UDP-encapsulated Encapsulation Modes
 * (RFC 3947 5.1: 3 and 4, drafts 61443 and 61444), the NAT-OA payloads of
 * transport mode (RFC 3947 5.2) and the NAT-T data of each SA.
 *
 * Phase-2 flags: natt.udp (1: the proposal is UDP-encapsulated),
 * natt.oai and natt.oar (the original addresses the peer sent, as text),
 * natt.oa_msg and natt.oa_count (NAT-OA payloads of the message being
 * read).  Peer flag natt.remote_port: the peer's current port, for SAs
 * re-installed after its NAT mapping changed (no phase 2 then).
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <string.h>

#include "natt.h"

static struct natt_p1 *
p2_state(const struct oakley_host *h, struct oakley_phase2 *p2)
{
	return natt_p1_find(h->engine->phase2_phase1(p2));
}

/*
 * Outbound: tunnel or transport becomes its UDP-encapsulated value of
 * the negotiated revision when UDP encapsulation is in use.  Inbound: a
 * UDP-encapsulated value (of any revision) becomes plain tunnel or
 * transport for the core, only when UDP encapsulation is in use.
 */
int
natt_p2_encap(const struct oakley_host *h, struct oakley_phase2 *p2,
    bool inbound, uint16_t *attr)
{
	struct natt_p1 *st = p2_state(h, p2);
	struct oakley_flags *f = h->engine->phase2_flags(p2);
	const struct natt_version *v;
	uint16_t mode;

	if (inbound) {
		if ((mode = natt_udp_mode(*attr)) == 0)
			return 0;
		if (!natt_p1_udp(h, st)) {
			h->log(h, OAKLEY_LOG_INFO, "peer %s proposes UDP "
			    "encapsulation (%u) without NAT traversal; "
			    "refused", natt_peer_name(h,
			    h->engine->phase2_phase1(p2)), (unsigned)*attr);
			return 0;
		}
		h->log(h, OAKLEY_LOG_DEBUG, "peer %s: encapsulation mode %u "
		    "(UDP-encapsulated %s)", natt_peer_name(h,
		    h->engine->phase2_phase1(p2)), (unsigned)*attr,
		    mode == NATT_ENCAP_TUNNEL ? "tunnel" : "transport");
		*attr = mode;
		h->flag_set_int(h, f, "natt.udp", 1);
		return 0;
	}
	if (!natt_p1_udp(h, st))
		return 0;
	v = &natt_versions[natt_rev(h, st)];
	if (*attr == NATT_ENCAP_TUNNEL)
		*attr = v->udp_tunnel;
	else if (*attr == NATT_ENCAP_TRANSPORT)
		*attr = v->udp_transport;
	else
		return 0;
	h->flag_set_int(h, f, "natt.udp", 1);
	h->log(h, OAKLEY_LOG_DEBUG, "peer %s: proposing encapsulation mode %u "
	    "(%s)", natt_peer_name(h, h->engine->phase2_phase1(p2)),
	    (unsigned)*attr, v->name);
	return 0;
}

/* ---- NAT-OA ---- */

static int
add_natoa(const struct oakley_host *h, struct oakley_msg *m, uint8_t type,
    const struct oakley_addr *a)
{
	uint8_t body[4 + 16];
	size_t alen = a->family == AF_INET6 ? 16 : 4;

	memset(body, 0, sizeof(body));
	body[0] = a->family == AF_INET6 ? NATT_ID_IPV6_ADDR :
	    NATT_ID_IPV4_ADDR;
	memcpy(body + 4, a->addr, alen);
	return h->engine->msg_add_payload(m, type, body, 4 + alen);
}

/*
 * Quick-mode message 1 or 2 going out, UDP-encapsulated transport mode:
 * NAT-OAi (the initiator's address), then NAT-OAr (the responder's), each
 * as this end knows it: its own address, the peer's as seen.
 */
int
natt_natoa_build(const struct oakley_host *h, struct oakley_msg *m)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase2 *p2 = e->msg_phase2(m);
	struct oakley_phase1 *p1;
	struct oakley_addr local, remote;
	uint8_t type;
	int rev;

	if (p2 == NULL || e->phase2_mode(p2) != OAKLEY_MODE_TRANSPORT ||
	    natt_flag_int(h, e->phase2_flags(p2), "natt.udp", 0) != 1)
		return 0;
	p1 = e->phase2_phase1(p2);
	if ((rev = natt_rev(h, natt_p1_find(p1))) == NATT_NONE)
		return 0;
	type = natt_versions[rev].natoa;
	if (e->phase1_local(p1, &local) != 0 ||
	    e->phase1_remote(p1, &remote) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: no addresses for NAT-OA",
		    natt_peer_name(h, p1));
		return -1;
	}
	if (e->phase2_initiator(p2))
		return add_natoa(h, m, type, &local) == 0 &&
		    add_natoa(h, m, type, &remote) == 0 ? 0 : -1;
	return add_natoa(h, m, type, &remote) == 0 &&
	    add_natoa(h, m, type, &local) == 0 ? 0 : -1;
}

/* The address of a NAT-OA body, or -1 with the reason logged. */
static int
natoa_decode(const struct oakley_host *h, struct oakley_phase1 *p1,
    const uint8_t *body, size_t len, struct oakley_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (len >= 4 && body[0] == NATT_ID_IPV4_ADDR && len == 4 + 4)
		a->family = AF_INET;
	else if (len >= 4 && body[0] == NATT_ID_IPV6_ADDR && len == 4 + 16)
		a->family = AF_INET6;
	else {
		h->log(h, OAKLEY_LOG_WARN, "peer %s: malformed NAT-OA (%zu "
		    "bytes, ID type %d); message dropped",
		    natt_peer_name(h, p1), len, len > 0 ? body[0] : -1);
		return -1;
	}
	memcpy(a->addr, body + 4, len - 4);
	return 0;
}

int
natt_natoa_parse(const struct oakley_host *h, struct oakley_msg *m,
    uint8_t type, const uint8_t *body, size_t len)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase2 *p2 = e->msg_phase2(m);
	struct oakley_phase1 *p1 = e->msg_phase1(m);
	struct oakley_flags *f;
	struct oakley_addr a;
	char ip[INET6_ADDRSTRLEN];
	unsigned num = e->msg_number(m);
	int rev = natt_rev(h, natt_p1_find(p1)), n;

	if (p2 == NULL || rev == NATT_NONE ||
	    type != natt_versions[rev].natoa || (num != 1 && num != 2)) {
		h->log(h, OAKLEY_LOG_INFO, "peer %s: NAT-OA (payload %u) out "
		    "of place; ignored", natt_peer_name(h, p1), (unsigned)type);
		return 0;
	}
	if (natoa_decode(h, p1, body, len, &a) != 0)
		return -1;
	f = e->phase2_flags(p2);
	n = 0;
	if (natt_flag_int(h, f, "natt.oa_msg", 0) == (int)num)
		n = natt_flag_int(h, f, "natt.oa_count", 0);
	h->flag_set_int(h, f, "natt.oa_msg", num);
	h->flag_set_int(h, f, "natt.oa_count", n + 1);
	if (n >= 2) {
		h->log(h, OAKLEY_LOG_INFO, "peer %s: NAT-OA number %d "
		    "ignored", natt_peer_name(h, p1), n + 1);
		return 0;
	}
	h->flag_set_str(h, f, n == 0 ? "natt.oai" : "natt.oar",
	    natt_ip_str(&a, ip, sizeof(ip)));
	return 0;
}

/*
 * After quick-mode message 1 or 2 was read.  A draft peer may send one
 * NAT-OA only, its own address: from a responder that is NAT-OAr.
 */
void
natt_natoa_finish(const struct oakley_host *h, struct oakley_msg *m)
{
	struct oakley_phase2 *p2 = h->engine->msg_phase2(m);
	struct oakley_flags *f;
	const char *one;

	if (p2 == NULL)
		return;
	f = h->engine->phase2_flags(p2);
	if (natt_flag_int(h, f, "natt.oa_count", 0) == 1 &&
	    h->engine->msg_number(m) == 2 &&
	    (one = h->flag_get_str(h, f, "natt.oai")) != NULL) {
		h->flag_set_str(h, f, "natt.oar", one);
		h->flag_unset(h, f, "natt.oai");
	}
	h->flag_unset(h, f, "natt.oa_msg");
	h->flag_unset(h, f, "natt.oa_count");
}

/* ---- SAs ---- */

static void
natt_oa(const struct oakley_host *h, struct oakley_flags *f,
    struct oakley_natt *n)
{
	if (natt_ip_parse(h->flag_get_str(h, f, "natt.oai"), &n->oai) != 0)
		memset(&n->oai, 0, sizeof(n->oai));
	if (natt_ip_parse(h->flag_get_str(h, f, "natt.oar"), &n->oar) != 0)
		memset(&n->oar, 0, sizeof(n->oar));
}

/* From a quick mode: the phase 1's ports, the OA the peer sent. */
static int
natt_from_phase2(const struct oakley_host *h, struct oakley_phase2 *p2,
    uint16_t *lport, uint16_t *rport, struct oakley_natt *n)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase1 *p1 = e->phase2_phase1(p2);
	struct oakley_addr local, remote;

	if (natt_flag_int(h, e->phase2_flags(p2), "natt.udp", 0) != 1)
		return 1;
	if (e->phase1_local(p1, &local) != 0 ||
	    e->phase1_remote(p1, &remote) != 0)
		return -1;
	*lport = local.port;
	*rport = remote.port;
	natt_oa(h, e->phase2_flags(p2), n);
	return 0;
}

/* Re-installed without its quick mode: the peer's port may be new. */
static int
natt_from_sa(const struct oakley_host *h, struct oakley_sa *sa,
    uint16_t *lport, uint16_t *rport, struct oakley_natt *n)
{
	struct oakley_flags *pf;
	bool in = h->sa_inbound(h, sa);

	if (h->sa_natt(h, sa, n) != 0)
		return 1;
	*lport = in ? n->dport : n->sport;
	*rport = in ? n->sport : n->dport;
	pf = h->engine->peer_flags(h->sa_peer(h, sa));
	*rport = (uint16_t)natt_flag_int(h, pf, "natt.remote_port", *rport);
	return 0;
}

/*
 * Each SA gets its own direction's ports: an outbound SA goes from our
 * port to the peer's, an inbound one comes from the peer's port to ours.
 */
int
natt_sa_install(const struct oakley_host *h, struct oakley_sa *sa)
{
	struct oakley_phase2 *p2 = h->sa_phase2(h, sa);
	struct oakley_natt n;
	uint16_t lport = 0, rport = 0;
	bool in = h->sa_inbound(h, sa);
	int rc;

	memset(&n, 0, sizeof(n));
	if (p2 != NULL)
		rc = natt_from_phase2(h, p2, &lport, &rport, &n);
	else
		rc = natt_from_sa(h, sa, &lport, &rport, &n);
	if (rc == 1)
		return 0;
	n.sport = in ? rport : lport;
	n.dport = in ? lport : rport;
	if (rc != 0 || h->sa_set_natt(h, sa, &n) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "SA %08x: cannot set its NAT-T "
		    "ports %u -> %u", h->sa_spi(h, sa), (unsigned)n.sport,
		    (unsigned)n.dport);
		return -1;
	}
	h->log(h, OAKLEY_LOG_DEBUG, "SA %08x %s: UDP-encapsulated, ports %u "
	    "-> %u", h->sa_spi(h, sa), in ? "in" : "out", (unsigned)n.sport,
	    (unsigned)n.dport);
	return 0;
}
