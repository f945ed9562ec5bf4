/*
 * oakleyd's struct oakley_engine (see engine.h).  A plugin's handles are
 * the engine's objects: struct oakley_peer * is a struct peer *,
 * struct oakley_phase1 * a struct ike_p1 *, struct oakley_phase2 * a
 * struct ike_p2 *, and struct oakley_msg is defined in ike/ike.h.  Every
 * accessor fails cleanly on a NULL handle.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "engine.h"
#include "ike/ike.h"
#include "peer.h"

/* The one IKE engine, while it runs (engine_set_ike). */
static struct ike *engine_ike;

void
engine_set_ike(struct ike *ike)
{
	engine_ike = ike;
}

static const struct peer *
peer_of(const struct oakley_peer *op)
{
	return (const struct peer *)(const void *)op;
}

static const char *
eng_peer_name(const struct oakley_peer *op)
{
	return op != NULL ? peer_of(op)->conf->name : NULL;
}

static int
eng_peer_address(const struct oakley_peer *op, struct oakley_addr *out)
{
	const struct pfkey_addr *a;

	if (op == NULL)
		return -1;
	a = &peer_of(op)->conf->address;
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	out->port = a->port;
	memcpy(out->addr, a->addr, sizeof(out->addr));
	return 0;
}

static bool
eng_peer_has_phase1(const struct oakley_peer *op)
{
	return op != NULL && peer_of(op)->phase1_count > 0;
}

static struct oakley_flags *
eng_peer_flags(struct oakley_peer *op)
{
	return op != NULL ? ((struct peer *)(void *)op)->flags : NULL;
}

static struct ike_p1 *
p1_from(const struct oakley_phase1 *h)
{
	return (struct ike_p1 *)(void *)(uintptr_t)h;
}

static struct ike_p2 *
p2_from(const struct oakley_phase2 *h)
{
	return (struct ike_p2 *)(void *)(uintptr_t)h;
}

static void
addr_out(const struct pfkey_addr *a, struct oakley_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	out->port = a->port;
	memcpy(out->addr, a->addr, sizeof(out->addr));
}

static struct oakley_peer *
eng_phase1_peer(struct oakley_phase1 *h)
{
	return h != NULL ? IKE_PEER_HANDLE(p1_from(h)->peer) : NULL;
}

static bool
eng_phase1_initiator(const struct oakley_phase1 *h)
{
	return h != NULL && p1_from(h)->initiator;
}

static void
eng_phase1_cookies(const struct oakley_phase1 *h, uint8_t icookie[8],
    uint8_t rcookie[8])
{
	if (h == NULL) {
		memset(icookie, 0, 8);
		memset(rcookie, 0, 8);
		return;
	}
	memcpy(icookie, p1_from(h)->entry.icookie, 8);
	memcpy(rcookie, p1_from(h)->entry.rcookie, 8);
}

static int
eng_phase1_local(const struct oakley_phase1 *h, struct oakley_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (h == NULL || p1_from(h)->local.family == 0)
		return -1;
	addr_out(&p1_from(h)->local, a);
	return 0;
}

static int
eng_phase1_remote(const struct oakley_phase1 *h, struct oakley_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (h == NULL || p1_from(h)->remote.family == 0)
		return -1;
	addr_out(&p1_from(h)->remote, a);
	return 0;
}

static const char *
eng_phase1_remote_id(const struct oakley_phase1 *h)
{
	if (h == NULL || p1_from(h)->remote_id[0] == '\0')
		return NULL;
	return p1_from(h)->remote_id;
}

static int
eng_phase1_hash(const struct oakley_phase1 *h, const uint8_t *data,
    size_t len, uint8_t *out, size_t outlen)
{
	if (h == NULL)
		return -1;
	return p1_hash_data(p1_from(h), data, len, out, outlen);
}

static int
eng_phase1_float(struct oakley_phase1 *h)
{
	if (h == NULL)
		return -1;
	return p1_float(p1_from(h));
}

static void
addr_in(const struct oakley_addr *a, struct pfkey_addr *out)
{
	pfkey_addr_set(out, a->family, a->addr, a->port,
	    a->family == AF_INET6 ? 128 : 32, PFKEY_ULPROTO_ANY);
}

/* Following a peer's new NAT mapping: another port of the same host. */
static int
eng_phase1_set_remote(struct oakley_phase1 *h, const struct oakley_addr *a)
{
	struct pfkey_addr to;

	if (h == NULL || a == NULL ||
	    (a->family != AF_INET && a->family != AF_INET6))
		return -1;
	addr_in(a, &to);
	return p1_set_remote(p1_from(h), &to);
}

static int
eng_peer_sas_refresh(struct oakley_peer *op)
{
	if (op == NULL || engine_ike == NULL)
		return -1;
	return ike_pairs_refresh(engine_ike, (struct peer *)(void *)op);
}

static int
eng_phase1_send_raw(struct oakley_phase1 *h, const uint8_t *buf,
    size_t len)
{
	struct ike_p1 *p1 = p1_from(h);

	if (p1 == NULL || p1->sock == NULL)
		return -1;
	return ike_net_send(p1->sock, &p1->local, &p1->remote, buf, len,
	    false);
}

static struct oakley_flags *
eng_phase1_flags(struct oakley_phase1 *h)
{
	return h != NULL ? p1_from(h)->flags : NULL;
}

static struct oakley_flags *
eng_phase1_profile_flags(struct oakley_phase1 *h)
{
	return h != NULL ? p1_from(h)->prof_flags : NULL;
}

static struct oakley_phase1 *
eng_phase2_phase1(struct oakley_phase2 *h)
{
	return h != NULL ? IKE_P1_HANDLE(p2_from(h)->p1) : NULL;
}

static bool
eng_phase2_initiator(const struct oakley_phase2 *h)
{
	return h != NULL && p2_from(h)->initiator;
}

static int
eng_phase2_mode(const struct oakley_phase2 *h)
{
	if (h != NULL && p2_from(h)->mode == PFKEY_MODE_TUNNEL)
		return OAKLEY_MODE_TUNNEL;
	return OAKLEY_MODE_TRANSPORT;
}

static struct oakley_flags *
eng_phase2_flags(struct oakley_phase2 *h)
{
	return h != NULL ? p2_from(h)->flags : NULL;
}

static struct oakley_phase1 *
eng_msg_phase1(struct oakley_msg *m)
{
	return m != NULL ? IKE_P1_HANDLE(m->p1) : NULL;
}

static struct oakley_phase2 *
eng_msg_phase2(struct oakley_msg *m)
{
	return m != NULL ? IKE_P2_HANDLE(m->p2) : NULL;
}

static unsigned
eng_msg_exchange(const struct oakley_msg *m)
{
	return m != NULL ? m->exchange : 0;
}

static unsigned
eng_msg_number(const struct oakley_msg *m)
{
	return m != NULL ? m->number : 0;
}

static bool
eng_msg_inbound(const struct oakley_msg *m)
{
	return m != NULL && m->inbound;
}

static int
eng_msg_source(const struct oakley_msg *m, struct oakley_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (m == NULL || m->src.family == 0)
		return -1;
	addr_out(&m->src, a);
	return 0;
}

static int
eng_msg_destination(const struct oakley_msg *m, struct oakley_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (m == NULL || m->dst.family == 0)
		return -1;
	addr_out(&m->dst, a);
	return 0;
}

static int
eng_msg_add_payload(struct oakley_msg *m, uint8_t type, const uint8_t *body,
    size_t len)
{
	if (m == NULL || m->inbound || m->b == NULL)
		return -1;
	return isakmp_add_payload(m->b, type, body, len);
}

static int
eng_bypass_add(struct oakley_peer *op, unsigned dir, uint32_t lifetime)
{
	(void)op;
	(void)dir;
	(void)lifetime;
	return -1;
}

static int
eng_bypass_remove(struct oakley_peer *op, unsigned dir)
{
	(void)op;
	(void)dir;
	return -1;
}

const struct oakley_engine daemon_engine = {
	.peer_name = eng_peer_name,
	.peer_address = eng_peer_address,
	.peer_has_phase1 = eng_peer_has_phase1,
	.peer_flags = eng_peer_flags,
	.peer_sas_refresh = eng_peer_sas_refresh,
	.phase1_peer = eng_phase1_peer,
	.phase1_initiator = eng_phase1_initiator,
	.phase1_cookies = eng_phase1_cookies,
	.phase1_local = eng_phase1_local,
	.phase1_remote = eng_phase1_remote,
	.phase1_remote_id = eng_phase1_remote_id,
	.phase1_hash = eng_phase1_hash,
	.phase1_float = eng_phase1_float,
	.phase1_set_remote = eng_phase1_set_remote,
	.phase1_send_raw = eng_phase1_send_raw,
	.phase1_flags = eng_phase1_flags,
	.phase1_profile_flags = eng_phase1_profile_flags,
	.phase2_phase1 = eng_phase2_phase1,
	.phase2_initiator = eng_phase2_initiator,
	.phase2_mode = eng_phase2_mode,
	.phase2_flags = eng_phase2_flags,
	.msg_phase1 = eng_msg_phase1,
	.msg_phase2 = eng_msg_phase2,
	.msg_exchange = eng_msg_exchange,
	.msg_number = eng_msg_number,
	.msg_inbound = eng_msg_inbound,
	.msg_source = eng_msg_source,
	.msg_destination = eng_msg_destination,
	.msg_add_payload = eng_msg_add_payload,
	.bypass_add = eng_bypass_add,
	.bypass_remove = eng_bypass_remove,
};
