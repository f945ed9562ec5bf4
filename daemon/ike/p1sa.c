/*
 * The phase-1 table: every ISAKMP SA and main-mode exchange by its
 * cookies, and the caps on half-open responder exchanges (an MM1 creates
 * state; a flood of them must not exhaust memory).
 *
 * Entries hash on the initiator cookie (random bytes), so the table works
 * before the responder cookie is known.  A half-open entry is also on a
 * list by its source address, which the caps count, globally and per
 * source (a count walks one such list, not all of up to 65536 entries);
 * it leaves the list when its phase 1 is established or when it is
 * removed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>

#include "ike.h"

static const uint8_t zero_cookie[ISAKMP_COOKIE_LEN];

bool
ike_addr_same_host(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	size_t len;

	if (a->family != b->family)
		return false;
	len = a->family == AF_INET6 ? 16 : 4;
	return memcmp(a->addr, b->addr, len) == 0;
}

static size_t
half_bucket_of(const struct pfkey_addr *a)
{
	size_t h = 0, i, len = a->family == AF_INET6 ? 16 : 4;

	for (i = 0; i < len; i++)
		h = h * 31 + a->addr[i];
	return h % P1_HALF_BUCKETS;
}

static size_t
bucket_of(const uint8_t *icookie)
{
	size_t h = 0;
	int i;

	for (i = 0; i < ISAKMP_COOKIE_LEN; i++)
		h = h * 31 + icookie[i];
	return h % P1_TABLE_BUCKETS;
}

void
p1_table_init(struct p1_table *t, size_t half_max, size_t half_per_src)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < P1_TABLE_BUCKETS; i++)
		TAILQ_INIT(&t->buckets[i]);
	for (i = 0; i < P1_HALF_BUCKETS; i++)
		TAILQ_INIT(&t->half_open[i]);
	t->half_max = half_max != 0 ? half_max : IKE_HALF_OPEN_MAX;
	t->half_per_src = half_per_src != 0 ? half_per_src :
	    IKE_HALF_OPEN_PER_SRC;
}

size_t
p1_table_half_from(const struct p1_table *t, const struct pfkey_addr *remote)
{
	const struct p1_entry *e;
	size_t n = 0;

	TAILQ_FOREACH(e, &t->half_open[half_bucket_of(remote)], half_link)
		if (ike_addr_same_host(&e->remote, remote))
			n++;
	return n;
}

int
p1_table_admit(const struct p1_table *t, const struct pfkey_addr *remote)
{
	if (t->half_count >= t->half_max)
		return EAGAIN;
	if (p1_table_half_from(t, remote) >= t->half_per_src)
		return EMFILE;
	return 0;
}

void
p1_table_insert(struct p1_table *t, struct p1_entry *e, bool half_open)
{
	if (e->in_table)
		return;
	TAILQ_INSERT_TAIL(&t->buckets[bucket_of(e->icookie)], e, hash_link);
	e->in_table = true;
	t->count++;
	e->half_open = half_open;
	if (half_open) {
		TAILQ_INSERT_TAIL(&t->half_open[half_bucket_of(&e->remote)], e,
		    half_link);
		t->half_count++;
	}
}

void
p1_table_established(struct p1_table *t, struct p1_entry *e)
{
	if (!e->half_open)
		return;
	TAILQ_REMOVE(&t->half_open[half_bucket_of(&e->remote)], e, half_link);
	t->half_count--;
	e->half_open = false;
}

void
p1_table_remove(struct p1_table *t, struct p1_entry *e)
{
	if (!e->in_table)
		return;
	p1_table_established(t, e);
	TAILQ_REMOVE(&t->buckets[bucket_of(e->icookie)], e, hash_link);
	e->in_table = false;
	t->count--;
}

struct p1_entry *
p1_table_find(const struct p1_table *t, const uint8_t *icookie,
    const uint8_t *rcookie)
{
	struct p1_entry *e;

	TAILQ_FOREACH(e, &t->buckets[bucket_of(icookie)], hash_link) {
		if (memcmp(e->icookie, icookie, ISAKMP_COOKIE_LEN) != 0)
			continue;
		if (memcmp(e->rcookie, rcookie, ISAKMP_COOKIE_LEN) == 0)
			return e;
		/* Our MM1 is answered: the entry has no rcookie yet. */
		if (memcmp(e->rcookie, zero_cookie, ISAKMP_COOKIE_LEN) == 0)
			return e;
	}
	return NULL;
}

struct p1_entry *
p1_table_find_first(const struct p1_table *t, const uint8_t *icookie,
    const struct pfkey_addr *remote)
{
	struct p1_entry *e;

	TAILQ_FOREACH(e, &t->buckets[bucket_of(icookie)], hash_link)
		if (memcmp(e->icookie, icookie, ISAKMP_COOKIE_LEN) == 0 &&
		    ike_addr_same_host(&e->remote, remote))
			return e;
	return NULL;
}
