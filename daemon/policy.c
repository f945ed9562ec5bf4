/*
 * oakleyd.conf policies as SPD entries (see policy.h), and the match of
 * an ACQUIRE against a peer's outbound policies.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "policy.h"

static uint8_t
policy_level(const struct conf_policy *cp)
{
	if (cp->reqid != 0)
		return PFKEY_LEVEL_UNIQUE;
	return cp->level == CONF_LEVEL_USE ? PFKEY_LEVEL_USE :
	    PFKEY_LEVEL_REQUIRE;
}

static void
policy_common(const struct conf_policy *cp, struct kernel_policy *kp)
{
	memset(kp, 0, sizeof(*kp));
	kp->ulproto = cp->proto;
	kp->ipsec_proto = IPPROTO_ESP;
	kp->mode = cp->mode == CONF_MODE_TUNNEL ? PFKEY_MODE_TUNNEL :
	    PFKEY_MODE_TRANSPORT;
	kp->level = policy_level(cp);
	kp->reqid = cp->reqid;
}

void
policy_outbound(const struct conf_policy *cp, struct kernel_policy *kp)
{
	policy_common(cp, kp);
	kp->dir = PFKEY_DIR_OUTBOUND;
	kp->src = cp->local;
	kp->dst = cp->remote;
	if (kp->mode == PFKEY_MODE_TUNNEL) {
		kp->tunnel_src = cp->tunnel_local;
		kp->tunnel_dst = cp->tunnel_remote;
	}
}

void
policy_inbound(const struct conf_policy *cp, struct kernel_policy *kp)
{
	policy_common(cp, kp);
	kp->dir = PFKEY_DIR_INBOUND;
	kp->src = cp->remote;
	kp->dst = cp->local;
	if (kp->mode == PFKEY_MODE_TUNNEL) {
		kp->tunnel_src = cp->tunnel_remote;
		kp->tunnel_dst = cp->tunnel_local;
	}
}

static size_t
policy_total(const struct config *cfg)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->npeers; i++)
		n += cfg->peers[i].npolicies;
	return n;
}

int
policy_build(const struct config *cfg, struct kernel_policy **out,
    size_t *n)
{
	struct kernel_policy *set;
	const struct conf_peer *peer;
	size_t i, j, k = 0, total = policy_total(cfg);

	*out = NULL;
	*n = 0;
	if (total == 0)
		return 0;
	if ((set = calloc(total * 2, sizeof(*set))) == NULL)
		return ENOMEM;
	for (i = 0; i < cfg->npeers; i++) {
		peer = &cfg->peers[i];
		for (j = 0; j < peer->npolicies; j++) {
			policy_outbound(&peer->policies[j], &set[k++]);
			policy_inbound(&peer->policies[j], &set[k++]);
		}
	}
	*out = set;
	*n = k;
	return 0;
}

static int
policy_fail(const struct conf_policy *cp, char *err, size_t errlen,
    const char *what, const char *peer)
{
	snprintf(err, errlen, "%s:%d:%d: peer '%s': %s",
	    cp->file != NULL ? cp->file : "?", cp->line, cp->col, peer, what);
	return -1;
}

/* The same outbound selector earlier in the configuration, or NULL. */
static const struct conf_policy *
policy_earlier(const struct config *cfg, size_t peer, size_t pol)
{
	struct kernel_policy a, b;
	const struct conf_peer *p;
	size_t i, j;

	policy_outbound(&cfg->peers[peer].policies[pol], &a);
	for (i = 0; i <= peer; i++) {
		p = &cfg->peers[i];
		for (j = 0; j < p->npolicies && (i < peer || j < pol); j++) {
			policy_outbound(&p->policies[j], &b);
			if (kernel_policy_same_selector(&a, &b))
				return &p->policies[j];
		}
	}
	return NULL;
}

int
policy_check_config(const struct config *cfg, char *err, size_t errlen)
{
	const struct conf_policy *cp, *dup;
	const struct conf_peer *peer;
	char what[256];
	size_t i, j;

	for (i = 0; i < cfg->npeers; i++) {
		peer = &cfg->peers[i];
		for (j = 0; j < peer->npolicies; j++) {
			cp = &peer->policies[j];
			if (cp->mode == CONF_MODE_TUNNEL &&
			    cp->tunnel_local.family == 0)
				return policy_fail(cp, err, errlen, "a tunnel "
				    "policy needs a local endpoint (set "
				    "local-address or endpoints)", peer->name);
			if ((dup = policy_earlier(cfg, i, j)) == NULL)
				continue;
			snprintf(what, sizeof(what), "the same selectors as "
			    "the policy at %s:%d:%d",
			    dup->file != NULL ? dup->file : "?", dup->line,
			    dup->col);
			return policy_fail(cp, err, errlen, what, peer->name);
		}
	}
	return 0;
}

/* ---- ACQUIRE matching ---- */

static bool
addr_same_host(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	size_t len;

	if (a->family != b->family)
		return false;
	len = a->family == AF_INET6 ? 16 : 4;
	return memcmp(a->addr, b->addr, len) == 0;
}

/* Is host within the selector's prefix? */
static bool
addr_in_prefix(const struct pfkey_addr *host, const struct pfkey_addr *net)
{
	unsigned bits = net->prefixlen, whole, rest;
	uint8_t mask;

	if (host->family != net->family)
		return false;
	if (bits > pfkey_addr_bits(net))
		bits = (unsigned)pfkey_addr_bits(net);
	whole = bits / 8;
	rest = bits % 8;
	if (memcmp(host->addr, net->addr, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (host->addr[whole] & mask) == (net->addr[whole] & mask);
}

static bool
port_matches(uint16_t selector, uint16_t port)
{
	return selector == PFKEY_PORT_ANY || selector == port;
}

static bool
transport_matches(const struct conf_policy *cp, const struct pfkey_msg *m)
{
	const struct pfkey_addr *src = &m->addr_src, *dst = &m->addr_dst;

	if (cp->proto != PFKEY_ULPROTO_ANY && src->proto != cp->proto)
		return false;
	return addr_in_prefix(src, &cp->local) &&
	    addr_in_prefix(dst, &cp->remote) &&
	    port_matches(cp->local.port, src->port) &&
	    port_matches(cp->remote.port, dst->port);
}

static bool
tunnel_matches(const struct conf_policy *cp, const struct pfkey_msg *m)
{
	if (!addr_same_host(&m->addr_dst, &cp->tunnel_remote))
		return false;
	return cp->tunnel_local.family == 0 ||
	    addr_same_host(&m->addr_src, &cp->tunnel_local);
}

static bool
acquire_has_addresses(const struct pfkey_msg *m)
{
	return PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC) &&
	    PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST);
}

bool
policy_matches_acquire(const struct conf_peer *peer,
    const struct pfkey_msg *m)
{
	const struct conf_policy *cp;
	bool has_reqid = PFKEY_HAS(m, PFKEY_EXT_X_SA2) && m->sa2.reqid != 0;
	size_t i;

	for (i = 0; i < peer->npolicies; i++) {
		cp = &peer->policies[i];
		if (has_reqid && cp->reqid == m->sa2.reqid)
			return true;
		if (!acquire_has_addresses(m))
			continue;
		if (cp->mode == CONF_MODE_TUNNEL ? tunnel_matches(cp, m) :
		    transport_matches(cp, m))
			return true;
	}
	return false;
}

bool
policy_acquire_to_peer(const struct conf_peer *peer,
    const struct pfkey_msg *m)
{
	return PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST) &&
	    addr_same_host(&m->addr_dst, &peer->address);
}
