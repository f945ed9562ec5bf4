/*
 * pfkeyemud's security policy database: policies in id order, exact
 * lookup by selector and direction (X_SPDADD/X_SPDDELETE), by id
 * (X_SPDGET/X_SPDDELETE2), the packet lookup of the data plane (most
 * specific: longest source plus destination prefix, then lowest id),
 * automatic reqids for level "unique", and policy lifetimes (a policy
 * past its lifetime or unused past its validtime is removed with
 * X_SPDEXPIRE, FreeBSD key_flush_spd).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "log.h"

static TAILQ_HEAD(, emu_policy) spd = TAILQ_HEAD_INITIALIZER(spd);
static unsigned	spd_size;
static uint32_t	last_policy_id;
static uint32_t	last_reqid = EMU_REQID_AUTO_MIN;

struct emu_policy *
spd_first(void)
{
	return TAILQ_FIRST(&spd);
}

struct emu_policy *
spd_next(const struct emu_policy *p)
{
	return TAILQ_NEXT(p, entry);
}

struct emu_policy *
spd_find(const struct pfkey_addr *src, const struct pfkey_addr *dst,
    uint8_t dir)
{
	struct emu_policy *p;

	TAILQ_FOREACH(p, &spd, entry)
		if (p->pol.dir == dir && emu_selector_equal(&p->src, src) &&
		    emu_selector_equal(&p->dst, dst))
			return p;
	return NULL;
}

struct emu_policy *
spd_find_id(uint32_t id)
{
	struct emu_policy *p;

	TAILQ_FOREACH(p, &spd, entry)
		if (p->id == id)
			return p;
	return NULL;
}

static bool
matches(const struct emu_policy *p, uint8_t dir, const struct pfkey_addr *src,
    const struct pfkey_addr *dst, uint8_t proto)
{
	if (p->pol.dir != dir)
		return false;
	if (!emu_addr_in_prefix(&p->src, src) ||
	    !emu_addr_in_prefix(&p->dst, dst))
		return false;
	return p->src.proto == PFKEY_ULPROTO_ANY || p->src.proto == proto;
}

/* The policy a packet hits; its last-use time is updated. */
struct emu_policy *
spd_lookup(uint8_t dir, const struct pfkey_addr *src,
    const struct pfkey_addr *dst, uint8_t proto)
{
	struct emu_policy *p, *best = NULL;
	unsigned spec, best_spec = 0;

	TAILQ_FOREACH(p, &spd, entry) {
		if (!matches(p, dir, src, dst, proto))
			continue;
		spec = (unsigned)p->src.prefixlen + p->dst.prefixlen;
		if (best == NULL || spec > best_spec ||
		    (spec == best_spec && p->id < best->id)) {
			best = p;
			best_spec = spec;
		}
	}
	if (best != NULL)
		best->lastused = emu_now();
	return best;
}

static uint32_t
new_policy_id(void)
{
	unsigned tries;

	for (tries = 0; tries < EMU_MAX_POLICIES + 1; tries++) {
		if (++last_policy_id == 0)
			last_policy_id = 1;
		if (spd_find_id(last_policy_id) == NULL)
			return last_policy_id;
	}
	return 0;
}

int
spd_insert(const struct emu_policy *tmpl, struct emu_policy **out)
{
	struct emu_policy *p;
	uint32_t id;

	if (spd_size >= EMU_MAX_POLICIES || (id = new_policy_id()) == 0)
		return ENOBUFS;
	if ((p = malloc(sizeof(*p))) == NULL)
		return ENOBUFS;
	*p = *tmpl;
	p->id = id;
	p->pol.id = id;
	TAILQ_INSERT_TAIL(&spd, p, entry);
	spd_size++;
	if (out != NULL)
		*out = p;
	return 0;
}

void
spd_remove(struct emu_policy *p)
{
	TAILQ_REMOVE(&spd, p, entry);
	spd_size--;
	free(p);
}

void
spd_flush(void)
{
	struct emu_policy *p;

	while ((p = TAILQ_FIRST(&spd)) != NULL)
		spd_remove(p);
}

unsigned
spd_count(void)
{
	return spd_size;
}

/*
 * FreeBSD key_newreqid: above the manual range, the first one being
 * IPSEC_MANUAL_REQID_MAX + 2; wraps within the 16 bits of the wire.
 */
uint32_t
spd_new_reqid(void)
{
	if (last_reqid >= EMU_REQID_AUTO_MAX)
		last_reqid = EMU_REQID_AUTO_MIN;
	return ++last_reqid;
}

static bool
policy_expired(const struct emu_policy *p, time_t now)
{
	if (p->lifetime != 0 && now - p->created > 0 &&
	    (uint64_t)(now - p->created) > p->lifetime)
		return true;
	return p->validtime != 0 && now - p->lastused > 0 &&
	    (uint64_t)(now - p->lastused) > p->validtime;
}

void
spd_expire_run(void)
{
	struct emu_policy *p, *next;
	time_t now = emu_now();

	for (p = TAILQ_FIRST(&spd); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		if (!policy_expired(p, now))
			continue;
		log_debug("policy %u expired", p->id);
		spd_send_expire(p);
		spd_remove(p);
	}
}
