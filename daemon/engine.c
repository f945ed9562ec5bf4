/*
 * oakleyd's struct oakley_engine (see engine.h).  A plugin's handle
 * struct oakley_peer * is a struct peer *.  No phase 1, phase 2 or
 * message exists yet, so their accessors are never reached with a valid
 * handle; they fail cleanly if called with NULL.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "conf.h"
#include "engine.h"
#include "peer.h"

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

static int
eng_peer_sas_refresh(struct oakley_peer *op)
{
	(void)op;
	return -1;
}

static struct oakley_peer *
eng_phase1_peer(struct oakley_phase1 *p1)
{
	(void)p1;
	return NULL;
}

static bool
eng_phase1_initiator(const struct oakley_phase1 *p1)
{
	(void)p1;
	return false;
}

static void
eng_phase1_cookies(const struct oakley_phase1 *p1, uint8_t icookie[8],
    uint8_t rcookie[8])
{
	(void)p1;
	memset(icookie, 0, 8);
	memset(rcookie, 0, 8);
}

static int
eng_phase1_addr(const struct oakley_phase1 *p1, struct oakley_addr *a)
{
	(void)p1;
	memset(a, 0, sizeof(*a));
	return -1;
}

static const char *
eng_phase1_remote_id(const struct oakley_phase1 *p1)
{
	(void)p1;
	return NULL;
}

static int
eng_phase1_hash(const struct oakley_phase1 *p1, const uint8_t *data,
    size_t len, uint8_t *out, size_t outlen)
{
	(void)p1;
	(void)data;
	(void)len;
	(void)out;
	(void)outlen;
	return -1;
}

static int
eng_phase1_float(struct oakley_phase1 *p1)
{
	(void)p1;
	return -1;
}

static int
eng_phase1_set_remote(struct oakley_phase1 *p1, const struct oakley_addr *a)
{
	(void)p1;
	(void)a;
	return -1;
}

static int
eng_phase1_send_raw(struct oakley_phase1 *p1, const uint8_t *buf,
    size_t len)
{
	(void)p1;
	(void)buf;
	(void)len;
	return -1;
}

static struct oakley_flags *
eng_phase1_flags(struct oakley_phase1 *p1)
{
	(void)p1;
	return NULL;
}

static struct oakley_phase1 *
eng_phase2_phase1(struct oakley_phase2 *p2)
{
	(void)p2;
	return NULL;
}

static bool
eng_phase2_initiator(const struct oakley_phase2 *p2)
{
	(void)p2;
	return false;
}

static int
eng_phase2_mode(const struct oakley_phase2 *p2)
{
	(void)p2;
	return OAKLEY_MODE_TRANSPORT;
}

static struct oakley_flags *
eng_phase2_flags(struct oakley_phase2 *p2)
{
	(void)p2;
	return NULL;
}

static struct oakley_phase1 *
eng_msg_phase1(struct oakley_msg *m)
{
	(void)m;
	return NULL;
}

static struct oakley_phase2 *
eng_msg_phase2(struct oakley_msg *m)
{
	(void)m;
	return NULL;
}

static unsigned
eng_msg_unsigned(const struct oakley_msg *m)
{
	(void)m;
	return 0;
}

static bool
eng_msg_inbound(const struct oakley_msg *m)
{
	(void)m;
	return false;
}

static int
eng_msg_addr(const struct oakley_msg *m, struct oakley_addr *a)
{
	(void)m;
	memset(a, 0, sizeof(*a));
	return -1;
}

static int
eng_msg_add_payload(struct oakley_msg *m, uint8_t type, const uint8_t *body,
    size_t len)
{
	(void)m;
	(void)type;
	(void)body;
	(void)len;
	return -1;
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
	.phase1_local = eng_phase1_addr,
	.phase1_remote = eng_phase1_addr,
	.phase1_remote_id = eng_phase1_remote_id,
	.phase1_hash = eng_phase1_hash,
	.phase1_float = eng_phase1_float,
	.phase1_set_remote = eng_phase1_set_remote,
	.phase1_send_raw = eng_phase1_send_raw,
	.phase1_flags = eng_phase1_flags,
	.phase2_phase1 = eng_phase2_phase1,
	.phase2_initiator = eng_phase2_initiator,
	.phase2_mode = eng_phase2_mode,
	.phase2_flags = eng_phase2_flags,
	.msg_phase1 = eng_msg_phase1,
	.msg_phase2 = eng_msg_phase2,
	.msg_exchange = eng_msg_unsigned,
	.msg_number = eng_msg_unsigned,
	.msg_inbound = eng_msg_inbound,
	.msg_source = eng_msg_addr,
	.msg_destination = eng_msg_addr,
	.msg_add_payload = eng_msg_add_payload,
	.bypass_add = eng_bypass_add,
	.bypass_remove = eng_bypass_remove,
};
