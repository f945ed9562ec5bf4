/*
 * Plugin host: SAs as the plugins see them.  struct oakley_sa is a view
 * the engine builds around the PF_KEY message it is about to send
 * (ADD/UPDATE, for sa_install) or has received (EXPIRE, GET); plugins
 * read it and, during sa_install only, add lifetimes and the NAT-T
 * extensions to it.  The ABI stays free of pfkey.h this way.
 */
#include <sys/socket.h>

#include <string.h>

#include "log.h"
#include "plugin_priv.h"

void
plugin_sa_init(struct oakley_sa *sa, struct pfkey_msg *msg,
    struct oakley_peer *peer, struct oakley_phase2 *phase2, bool inbound)
{
	memset(sa, 0, sizeof(*sa));
	sa->msg = msg;
	sa->peer = peer;
	sa->phase2 = phase2;
	sa->inbound = inbound;
}

static void
addr_export(const struct pfkey_addr *in, struct oakley_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = in->family;
	out->port = in->port;
	memcpy(out->addr, in->addr, sizeof(out->addr));
}

static int
addr_import(const struct oakley_addr *in, struct pfkey_addr *out)
{
	if (in->family != AF_INET && in->family != AF_INET6)
		return -1;
	pfkey_addr_set(out, in->family, in->addr, in->port,
	    in->family == AF_INET ? 32 : 128, PFKEY_ULPROTO_ANY);
	return 0;
}

/* Changes are allowed during sa_install only. */
static bool
sa_writable(const struct oakley_host *h, const struct oakley_sa *sa,
    const char *what)
{
	if (sa->writable)
		return true;
	log_warn("plugin %s: %s outside sa_install; ignored",
	    plugin_of(h)->name, what);
	return false;
}

static struct oakley_peer *
host_sa_peer(const struct oakley_host *h, const struct oakley_sa *sa)
{
	(void)h;
	return sa->peer;
}

static struct oakley_phase2 *
host_sa_phase2(const struct oakley_host *h, const struct oakley_sa *sa)
{
	(void)h;
	return sa->phase2;
}

static uint32_t
host_sa_spi(const struct oakley_host *h, const struct oakley_sa *sa)
{
	(void)h;
	return sa->msg->sa.spi;
}

static bool
host_sa_inbound(const struct oakley_host *h, const struct oakley_sa *sa)
{
	(void)h;
	return sa->inbound;
}

static int
host_sa_addresses(const struct oakley_host *h, const struct oakley_sa *sa,
    struct oakley_addr *src, struct oakley_addr *dst)
{
	const struct pfkey_msg *m = sa->msg;

	(void)h;
	if (!PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC) ||
	    !PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST))
		return -1;
	addr_export(&m->addr_src, src);
	addr_export(&m->addr_dst, dst);
	return 0;
}

static struct pfkey_lifetime *
sa_life(struct pfkey_msg *m, enum oakley_lifetime_kind kind, int *ext)
{
	switch (kind) {
	case OAKLEY_LIFETIME_CURRENT:
		*ext = PFKEY_EXT_LIFETIME_CURRENT;
		return &m->life_current;
	case OAKLEY_LIFETIME_SOFT:
		*ext = PFKEY_EXT_LIFETIME_SOFT;
		return &m->life_soft;
	case OAKLEY_LIFETIME_HARD:
		*ext = PFKEY_EXT_LIFETIME_HARD;
		return &m->life_hard;
	}
	return NULL;
}

static int
host_sa_lifetime(const struct oakley_host *h, const struct oakley_sa *sa,
    enum oakley_lifetime_kind kind, struct oakley_lifetime *out)
{
	const struct pfkey_lifetime *l;
	int ext;

	(void)h;
	if ((l = sa_life(sa->msg, kind, &ext)) == NULL ||
	    !PFKEY_HAS(sa->msg, ext))
		return -1;
	out->allocations = l->allocations;
	out->bytes = l->bytes;
	out->addtime = l->addtime;
	out->usetime = l->usetime;
	return 0;
}

static int
host_sa_set_lifetime(const struct oakley_host *h, struct oakley_sa *sa,
    enum oakley_lifetime_kind kind, const struct oakley_lifetime *in)
{
	struct pfkey_lifetime *l;
	int ext;

	if (!sa_writable(h, sa, "sa_set_lifetime"))
		return -1;
	if (kind == OAKLEY_LIFETIME_CURRENT ||
	    (l = sa_life(sa->msg, kind, &ext)) == NULL)
		return -1;
	l->allocations = in->allocations;
	l->bytes = in->bytes;
	l->addtime = in->addtime;
	l->usetime = in->usetime;
	PFKEY_SET(sa->msg, ext);
	return 0;
}

static int
host_sa_set_natt(const struct oakley_host *h, struct oakley_sa *sa,
    const struct oakley_natt *n)
{
	struct pfkey_msg *m = sa->msg;
	struct pfkey_addr oai, oar;

	if (!sa_writable(h, sa, "sa_set_natt"))
		return -1;
	if (n->sport == 0 || n->dport == 0 ||
	    (n->oai.family != 0 && addr_import(&n->oai, &oai) == -1) ||
	    (n->oar.family != 0 && addr_import(&n->oar, &oar) == -1))
		return -1;
	m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = n->sport;
	m->natt_dport = n->dport;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
	if (n->oai.family != 0) {
		m->natt_oai = oai;
		PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAI);
	}
	if (n->oar.family != 0) {
		m->natt_oar = oar;
		PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAR);
	}
	return 0;
}

/* The SA's NAT-T data (what sa_set_natt gave, or the kernel reported). */
static int
host_sa_natt(const struct oakley_host *h, const struct oakley_sa *sa,
    struct oakley_natt *out)
{
	const struct pfkey_msg *m = sa->msg;

	(void)h;
	memset(out, 0, sizeof(*out));
	if (!PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE))
		return -1;
	out->sport = m->natt_sport;
	out->dport = m->natt_dport;
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAI))
		addr_export(&m->natt_oai, &out->oai);
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAR))
		addr_export(&m->natt_oar, &out->oar);
	return 0;
}

static int
host_sa_set_idle_timeout(const struct oakley_host *h, struct oakley_sa *sa,
    uint32_t seconds)
{
	if (!sa_writable(h, sa, "sa_set_idle_timeout"))
		return -1;
	sa->idle_timeout = seconds;
	return 0;
}

static uint32_t
host_sa_idle_timeout(const struct oakley_host *h, const struct oakley_sa *sa)
{
	(void)h;
	return sa->idle_timeout;
}

void
plugin_host_set_sa(struct oakley_host *h)
{
	h->sa_peer = host_sa_peer;
	h->sa_phase2 = host_sa_phase2;
	h->sa_spi = host_sa_spi;
	h->sa_inbound = host_sa_inbound;
	h->sa_addresses = host_sa_addresses;
	h->sa_lifetime = host_sa_lifetime;
	h->sa_set_lifetime = host_sa_set_lifetime;
	h->sa_set_natt = host_sa_set_natt;
	h->sa_natt = host_sa_natt;
	h->sa_set_idle_timeout = host_sa_set_idle_timeout;
	h->sa_idle_timeout = host_sa_idle_timeout;
}
