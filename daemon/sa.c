/*
 * The phase-2 SA manager (see sa.h for the model and the rules).
 *
 * Every SA sits in up to four hash indices, each a chained table whose
 * chains are doubly linked through struct sa_link, so unlinking is O(1):
 *
 *   SA_IX_SPI    (satype, dst, spi)   every SA
 *   SA_IX_REQID  reqid                SAs with a reqid
 *   SA_IX_PEER   peer handle          SAs with a peer
 *   SA_IX_NEGO   negotiation id       SAs of an unfinished negotiation
 *
 * The four tables share one power-of-two size, grown fourfold (and every
 * SA rehashed) when there are two SAs per bucket.  SAs sharing a reqid, peer or
 * negotiation share a chain, so iterating them never scans the table.
 *
 * Each SA has one lifetime timer: armed for the soft deadline while the SA
 * is MATURE, then for the hard one.  Idle watches are allocated only for
 * the SAs a plugin asked about.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sa.h"

#define SA_TABLE_INITIAL	64
#define SA_TABLE_LOAD		2	/* SAs per bucket before growing */
#define SA_TABLE_GROWTH		4	/* fewer rehashes than doubling */

enum sa_index {
	SA_IX_SPI = 0,
	SA_IX_REQID,
	SA_IX_PEER,
	SA_IX_NEGO
};

struct sa_idle {
	struct timer	timer;
	struct sa	*sa;
	uint64_t	seconds;	/* the idle timeout, also the period */
	uint64_t	last_bytes;	/* counter at the previous reading */
};

/*
 * Reqids: "next_fresh" hands out never-used values first; freed values
 * wait in a FIFO ring, so the one freed longest ago is reused first.
 */
struct sa_reqids {
	uint32_t	next_fresh;
	uint32_t	ring_head;
	uint32_t	ring_count;
	uint16_t	ring[PFKEY_REQID_MAX];
	uint8_t		used[PFKEY_REQID_MAX / 8 + 1];
};

struct sa_mgr {
	struct sa_config config;
	struct timers	*timers;
	uint64_t	random_state;	/* splitmix64 */
	uint64_t	hash_seed;
	struct sa	**table[SA_INDEX_COUNT];
	size_t		table_size;	/* power of two */
	size_t		count;
	size_t		idle_count;
	struct sa_reqids reqids;
};

static void	sa_lifetime_fired(struct timer *, void *);
static void	sa_idle_fired(struct timer *, void *);

static const char *const sa_reason_names[] = {
	[SA_REASON_HARD_TIMER] = "hard lifetime",
	[SA_REASON_KERNEL_HARD] = "kernel hard expire",
	[SA_REASON_ABORT] = "negotiation aborted",
	[SA_REASON_UNUSED] = "unused larval",
	[SA_REASON_PEER] = "peer removed",
	[SA_REASON_REQUEST] = "request",
	[SA_REASON_SHUTDOWN] = "shutdown",
};

static const char *const sa_state_names[] = {
	[SA_STATE_LARVAL] = "larval",
	[SA_STATE_MATURE] = "mature",
	[SA_STATE_DYING] = "dying",
	[SA_STATE_DEAD] = "dead",
};

const char *
sa_reason_name(enum sa_reason reason)
{
	if ((unsigned)reason >= sizeof(sa_reason_names) / sizeof(char *))
		return "unknown";
	return sa_reason_names[reason];
}

const char *
sa_state_name(enum sa_state state)
{
	if ((unsigned)state >= sizeof(sa_state_names) / sizeof(char *))
		return "unknown";
	return sa_state_names[state];
}

/* Jitter generator and hashing */

static uint64_t
splitmix64_next(uint64_t *state)
{
	uint64_t z;

	*state += 0x9e3779b97f4a7c15ULL;
	z = *state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
sa_random(struct sa_mgr *mgr)
{
	if (mgr->config.random != NULL)
		return mgr->config.random(mgr->config.random_arg);
	return splitmix64_next(&mgr->random_state);
}

static uint64_t
entropy_seed(void)
{
	uint64_t seed = 0;

	if (getentropy(&seed, sizeof(seed)) != 0 || seed == 0)
		seed = (uint64_t)(uintptr_t)&seed ^ 0x5bd1e9955bd1e995ULL;
	return seed;
}

/* floor(x * percent / 100) without overflow. */
static uint64_t
percent_floor(uint64_t x, unsigned percent)
{
	return x / 100 * percent + x % 100 * percent / 100;
}

/* ceil(x * percent / 100) without overflow. */
static uint64_t
percent_ceil(uint64_t x, unsigned percent)
{
	return x / 100 * percent + (x % 100 * percent + 99) / 100;
}

/* PF_KEY counts bytes: a larger volume limit is as good as none. */
static uint64_t
kbytes_clamp(uint64_t kbytes)
{
	return kbytes > SA_KBYTES_MAX ? SA_KBYTES_MAX : kbytes;
}

/*
 * The rule of sa.h: uniform in [ceil(hard * (soft% - jitter%)),
 * floor(hard * soft%)], counted down from the top; at least 1.
 */
static uint64_t
sa_soft_lifetime(struct sa_mgr *mgr, uint64_t hard)
{
	uint64_t top, bottom, span, jitter = 0;

	if (hard == 0)
		return 0;
	top = percent_floor(hard, mgr->config.soft_percent);
	bottom = percent_ceil(hard, mgr->config.soft_percent -
	    mgr->config.jitter_percent);
	span = top > bottom ? top - bottom : 0;
	if (span > 0)
		jitter = span == UINT64_MAX ? sa_random(mgr) :
		    sa_random(mgr) % (span + 1);
	if (top <= jitter)
		return 1;
	return top - jitter;
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static size_t
addr_len(const struct pfkey_addr *addr)
{
	return addr->family == AF_INET ? 4 : sizeof(addr->addr);
}

/* The kernel's SA key compares the destination address only. */
static bool
addr_equal(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET6 && a->scope_id != b->scope_id)
		return false;
	return memcmp(a->addr, b->addr, addr_len(a)) == 0;
}

static uint64_t
spi_hash(const struct sa_mgr *mgr, uint8_t satype,
    const struct pfkey_addr *dst, uint32_t spi)
{
	uint64_t lo = 0, hi = 0, h;
	size_t len = addr_len(dst);

	memcpy(&lo, dst->addr, len < 8 ? len : 8);
	if (len > 8)
		memcpy(&hi, dst->addr + 8, len - 8);
	h = mix64(mgr->hash_seed ^ ((uint64_t)satype << 32 | spi));
	h = mix64(h ^ lo);
	return mix64(h ^ hi);
}

static uint64_t
key_hash(const struct sa_mgr *mgr, uint64_t key)
{
	return mix64(mgr->hash_seed ^ key);
}

static uint64_t
sa_hash(const struct sa_mgr *mgr, const struct sa *sa, enum sa_index ix)
{
	switch (ix) {
	case SA_IX_SPI:
		return spi_hash(mgr, sa->satype, &sa->dst, sa->spi);
	case SA_IX_REQID:
		return key_hash(mgr, sa->reqid);
	case SA_IX_PEER:
		return key_hash(mgr, (uint64_t)(uintptr_t)sa->peer);
	case SA_IX_NEGO:
		return key_hash(mgr, sa->nego_id);
	}
	return 0;
}

static bool
sa_in_index(const struct sa *sa, enum sa_index ix)
{
	switch (ix) {
	case SA_IX_SPI:
		return true;
	case SA_IX_REQID:
		return sa->reqid != 0;
	case SA_IX_PEER:
		return sa->peer != NULL;
	case SA_IX_NEGO:
		return sa->nego_id != 0;
	}
	return false;
}

/* Hash indices */

static struct sa **
bucket_of(const struct sa_mgr *mgr, enum sa_index ix, uint64_t hash)
{
	return &mgr->table[ix][hash & (mgr->table_size - 1)];
}

static void
link_insert(struct sa **head, struct sa *sa, enum sa_index ix)
{
	struct sa_link *link = &sa->link[ix];

	link->next = *head;
	if (*head != NULL)
		(*head)->link[ix].pprev = &link->next;
	*head = sa;
	link->pprev = head;
}

static void
link_remove(struct sa *sa, enum sa_index ix)
{
	struct sa_link *link = &sa->link[ix];

	if (link->pprev == NULL)
		return;
	*link->pprev = link->next;
	if (link->next != NULL)
		link->next->link[ix].pprev = link->pprev;
	link->next = NULL;
	link->pprev = NULL;
}

static void
index_insert(struct sa_mgr *mgr, struct sa *sa, enum sa_index ix)
{
	if (!sa_in_index(sa, ix))
		return;
	link_insert(bucket_of(mgr, ix, sa_hash(mgr, sa, ix)), sa, ix);
}

static void
index_insert_all(struct sa_mgr *mgr, struct sa *sa)
{
	int ix;

	for (ix = 0; ix < SA_INDEX_COUNT; ix++)
		index_insert(mgr, sa, ix);
}

static void
index_remove_all(struct sa *sa)
{
	int ix;

	for (ix = 0; ix < SA_INDEX_COUNT; ix++)
		link_remove(sa, ix);
}

static void
tables_free(struct sa **table[SA_INDEX_COUNT])
{
	int ix;

	for (ix = 0; ix < SA_INDEX_COUNT; ix++) {
		free(table[ix]);
		table[ix] = NULL;
	}
}

static int
tables_alloc(struct sa **table[SA_INDEX_COUNT], size_t size)
{
	int ix;

	for (ix = 0; ix < SA_INDEX_COUNT; ix++) {
		table[ix] = calloc(size, sizeof(struct sa *));
		if (table[ix] == NULL) {
			tables_free(table);
			return ENOMEM;
		}
	}
	return 0;
}

/* Grow the tables and rehash every SA into them. */
static int
tables_grow(struct sa_mgr *mgr)
{
	struct sa **old[SA_INDEX_COUNT];
	struct sa *sa, *next;
	size_t old_size = mgr->table_size, i;
	int ix, error;

	if (old_size > SIZE_MAX / SA_TABLE_GROWTH / sizeof(struct sa *))
		return ENOMEM;
	for (ix = 0; ix < SA_INDEX_COUNT; ix++)
		old[ix] = mgr->table[ix];
	error = tables_alloc(mgr->table, old_size * SA_TABLE_GROWTH);
	if (error != 0) {
		for (ix = 0; ix < SA_INDEX_COUNT; ix++)
			mgr->table[ix] = old[ix];
		return error;
	}
	mgr->table_size = old_size * SA_TABLE_GROWTH;
	for (i = 0; i < old_size; i++) {
		for (sa = old[SA_IX_SPI][i]; sa != NULL; sa = next) {
			next = sa->link[SA_IX_SPI].next;
			memset(sa->link, 0, sizeof(sa->link));
			index_insert_all(mgr, sa);
		}
	}
	tables_free(old);
	return 0;
}

/* Manager */

void
sa_config_defaults(struct sa_config *config)
{
	memset(config, 0, sizeof(*config));
	config->soft_percent = 80;
	config->jitter_percent = 10;
}

int
sa_mgr_new(const struct sa_config *config, struct timers *timers,
    struct sa_mgr **mgrp)
{
	struct sa_mgr *mgr;

	*mgrp = NULL;
	if (config->ops == NULL || timers == NULL ||
	    config->soft_percent == 0 || config->soft_percent > 100 ||
	    config->jitter_percent > config->soft_percent)
		return EINVAL;
	mgr = calloc(1, sizeof(*mgr));
	if (mgr == NULL)
		return ENOMEM;
	mgr->config = *config;
	mgr->timers = timers;
	mgr->random_state = config->seed != 0 ? config->seed : entropy_seed();
	mgr->hash_seed = entropy_seed();
	mgr->reqids.next_fresh = 1;
	mgr->table_size = SA_TABLE_INITIAL;
	if (tables_alloc(mgr->table, mgr->table_size) != 0) {
		free(mgr);
		return ENOMEM;
	}
	*mgrp = mgr;
	return 0;
}

static void
sa_idle_free(struct sa_mgr *mgr, struct sa *sa)
{
	if (sa->idle == NULL)
		return;
	timer_remove(mgr->timers, &sa->idle->timer);
	free(sa->idle);
	sa->idle = NULL;
	mgr->idle_count--;
}

/* Out of every table and timer; the SA itself is still allocated. */
static void
sa_detach(struct sa_mgr *mgr, struct sa *sa)
{
	index_remove_all(sa);
	timer_remove(mgr->timers, &sa->lifetime_timer);
	sa_idle_free(mgr, sa);
	sa->state = SA_STATE_DEAD;
	mgr->count--;
}

static void
sa_kernel_delete(struct sa_mgr *mgr, struct sa *sa, enum sa_reason reason)
{
	const struct sa_ops *ops = mgr->config.ops;
	int error;

	if (ops->delete == NULL)
		return;
	error = ops->delete(mgr->config.ops_arg, sa, reason);
	if (error == 0 || (error == ESRCH && reason == SA_REASON_KERNEL_HARD))
		return;
	log_warn("SA spi 0x%08x: kernel delete (%s) failed: %s", sa->spi,
	    sa_reason_name(reason), strerror(error));
}

void
sa_mgr_free(struct sa_mgr *mgr, bool flush)
{
	struct sa *sa, *next;
	size_t i;

	if (mgr == NULL)
		return;
	for (i = 0; i < mgr->table_size; i++) {
		for (sa = mgr->table[SA_IX_SPI][i]; sa != NULL; sa = next) {
			next = sa->link[SA_IX_SPI].next;
			if (sa->nego_id != 0 || sa->state == SA_STATE_LARVAL)
				sa_kernel_delete(mgr, sa, SA_REASON_ABORT);
			else if (flush)
				sa_kernel_delete(mgr, sa, SA_REASON_SHUTDOWN);
			timer_remove(mgr->timers, &sa->lifetime_timer);
			sa_idle_free(mgr, sa);
			free(sa);
		}
	}
	tables_free(mgr->table);
	free(mgr);
}

size_t
sa_count(const struct sa_mgr *mgr)
{
	return mgr->count;
}

size_t
sa_mgr_memory(const struct sa_mgr *mgr)
{
	return sizeof(*mgr) +
	    SA_INDEX_COUNT * mgr->table_size * sizeof(struct sa *) +
	    mgr->count * sizeof(struct sa) +
	    mgr->idle_count * sizeof(struct sa_idle);
}

/* Recording and installing */

static int
sa_params_check(const struct sa_params *params)
{
	if (params->dir != SA_DIR_IN && params->dir != SA_DIR_OUT)
		return EINVAL;
	if (params->satype == PFKEY_SATYPE_UNSPEC ||
	    params->satype > PFKEY_SATYPE_MAX)
		return EINVAL;
	if (params->dst.family != AF_INET && params->dst.family != AF_INET6)
		return EINVAL;
	if (params->reqid > PFKEY_REQID_MAX)
		return EINVAL;
	return 0;
}

/* A new LARVAL record in every index it belongs to. */
static int
sa_record(struct sa_mgr *mgr, uint64_t nego_id,
    const struct sa_params *params, struct sa **sap)
{
	struct sa *sa;
	int error;

	*sap = NULL;
	error = sa_params_check(params);
	if (error != 0)
		return error;
	if (sa_lookup_spi(mgr, params->satype, &params->dst,
	    params->spi) != NULL)
		return EEXIST;
	if (mgr->count >= mgr->table_size * SA_TABLE_LOAD) {
		error = tables_grow(mgr);
		if (error != 0)
			return error;
	}
	sa = calloc(1, sizeof(*sa));
	if (sa == NULL)
		return ENOMEM;
	sa->src = params->src;
	sa->dst = params->dst;
	sa->spi = params->spi;
	sa->reqid = params->reqid;
	sa->satype = params->satype;
	sa->dir = (uint8_t)params->dir;
	sa->state = SA_STATE_LARVAL;
	sa->peer = params->peer;
	sa->nego_id = nego_id;
	sa->hard_seconds = params->hard_seconds;
	sa->hard_kbytes = kbytes_clamp(params->hard_kbytes);
	sa->mgr = mgr;
	timer_init(&sa->lifetime_timer, sa_lifetime_fired, sa);
	index_insert_all(mgr, sa);
	mgr->count++;
	*sap = sa;
	return 0;
}

int
sa_larval_add(struct sa_mgr *mgr, uint64_t nego_id,
    const struct sa_params *params, struct sa **sap)
{
	int error;

	error = sa_record(mgr, nego_id, params, sap);
	if (error == 0)
		(*sap)->getspi = true;
	return error;
}

int
sa_set_hard_lifetime(struct sa *sa, uint64_t seconds, uint64_t kbytes)
{
	if (sa->state != SA_STATE_LARVAL)
		return EINVAL;
	sa->hard_seconds = seconds;
	sa->hard_kbytes = kbytes_clamp(kbytes);
	return 0;
}

/* Arm the lifetime timer for the next deadline of the SA's state. */
static int
sa_lifetime_schedule(struct sa_mgr *mgr, struct sa *sa)
{
	uint64_t seconds;

	seconds = sa->state == SA_STATE_MATURE ? sa->soft_seconds :
	    sa->hard_seconds;
	if (seconds == 0) {
		timer_remove(mgr->timers, &sa->lifetime_timer);
		return 0;
	}
	return timer_add(mgr->timers, &sa->lifetime_timer,
	    timers_after_s(sa->installed_ms, seconds));
}

int
sa_install(struct sa_mgr *mgr, struct sa *sa, const void *keys)
{
	int error;

	if (sa->state != SA_STATE_LARVAL)
		return EINVAL;
	sa->soft_seconds = sa_soft_lifetime(mgr, sa->hard_seconds);
	sa->soft_kbytes = sa_soft_lifetime(mgr, sa->hard_kbytes);
	sa->installed_ms = timers_now(mgr->timers);
	sa->state = SA_STATE_MATURE;
	error = sa_lifetime_schedule(mgr, sa);
	if (error == 0 && mgr->config.ops->install != NULL)
		error = mgr->config.ops->install(mgr->config.ops_arg, sa, keys);
	if (error != 0) {
		timer_remove(mgr->timers, &sa->lifetime_timer);
		sa->state = SA_STATE_LARVAL;
	}
	return error;
}

int
sa_add(struct sa_mgr *mgr, uint64_t nego_id, const struct sa_params *params,
    const void *keys, struct sa **sap)
{
	struct sa *sa;
	int error;

	*sap = NULL;
	error = sa_record(mgr, nego_id, params, &sa);
	if (error != 0)
		return error;
	error = sa_install(mgr, sa, keys);
	if (error != 0) {
		sa_detach(mgr, sa);
		free(sa);
		return error;
	}
	*sap = sa;
	return 0;
}

int
sa_update(struct sa_mgr *mgr, struct sa *sa, const void *changes)
{
	if (sa->state != SA_STATE_MATURE && sa->state != SA_STATE_DYING)
		return EINVAL;
	if (mgr->config.ops->update == NULL)
		return EOPNOTSUPP;
	return mgr->config.ops->update(mgr->config.ops_arg, sa, changes);
}

/* Removing */

int
sa_remove(struct sa_mgr *mgr, struct sa *sa, enum sa_reason reason)
{
	if (sa->state == SA_STATE_DEAD)
		return EALREADY;
	sa_detach(mgr, sa);
	sa_kernel_delete(mgr, sa, reason);
	free(sa);
	return 0;
}

size_t
sa_remove_peer(struct sa_mgr *mgr, void *peer, enum sa_reason reason)
{
	struct sa *sa, *next;
	size_t removed = 0;

	if (peer == NULL)
		return 0;
	sa = *bucket_of(mgr, SA_IX_PEER, key_hash(mgr, (uintptr_t)peer));
	for (; sa != NULL; sa = next) {
		next = sa->link[SA_IX_PEER].next;
		if (sa->peer != peer)
			continue;
		sa_remove(mgr, sa, reason);
		removed++;
	}
	return removed;
}

/* Negotiations */

int
sa_negotiation_commit(struct sa_mgr *mgr, uint64_t nego_id)
{
	struct sa *sa, *next;
	bool found = false;

	if (nego_id == 0)
		return EINVAL;
	sa = *bucket_of(mgr, SA_IX_NEGO, key_hash(mgr, nego_id));
	for (; sa != NULL; sa = next) {
		next = sa->link[SA_IX_NEGO].next;
		if (sa->nego_id != nego_id)
			continue;
		found = true;
		if (sa->state == SA_STATE_LARVAL) {
			sa_remove(mgr, sa, SA_REASON_UNUSED);
			continue;
		}
		link_remove(sa, SA_IX_NEGO);
		sa->nego_id = 0;
	}
	return found ? 0 : ENOENT;
}

size_t
sa_negotiation_abort(struct sa_mgr *mgr, uint64_t nego_id)
{
	struct sa *sa, *next;
	size_t removed = 0;

	if (nego_id == 0)
		return 0;
	sa = *bucket_of(mgr, SA_IX_NEGO, key_hash(mgr, nego_id));
	for (; sa != NULL; sa = next) {
		next = sa->link[SA_IX_NEGO].next;
		if (sa->nego_id != nego_id)
			continue;
		sa_remove(mgr, sa, SA_REASON_ABORT);
		removed++;
	}
	return removed;
}

/* Expiry */

static void
sa_soft_expire(struct sa_mgr *mgr, struct sa *sa)
{
	const struct sa_hooks *hooks = mgr->config.hooks;

	sa->state = SA_STATE_DYING;
	if (sa_lifetime_schedule(mgr, sa) != 0)
		log_warn("SA spi 0x%08x: no memory for the hard lifetime "
		    "timer; the kernel's will do", sa->spi);
	if (hooks != NULL && hooks->rekey != NULL)
		hooks->rekey(mgr->config.hooks_arg, sa);
}

static void
sa_hard_expire(struct sa_mgr *mgr, struct sa *sa, enum sa_reason reason)
{
	const struct sa_hooks *hooks = mgr->config.hooks;
	bool was_larval = sa->state == SA_STATE_LARVAL;

	sa_detach(mgr, sa);
	sa_kernel_delete(mgr, sa, reason);
	if (!was_larval && hooks != NULL && hooks->expire != NULL)
		hooks->expire(mgr->config.hooks_arg, sa, reason);
	free(sa);
}

static void
sa_lifetime_fired(struct timer *timer, void *arg)
{
	struct sa *sa = arg;

	(void)timer;
	if (sa->state == SA_STATE_MATURE)
		sa_soft_expire(sa->mgr, sa);
	else
		sa_hard_expire(sa->mgr, sa, SA_REASON_HARD_TIMER);
}

int
sa_kernel_expire(struct sa_mgr *mgr, uint8_t satype,
    const struct pfkey_addr *dst, uint32_t spi, bool hard)
{
	struct sa *sa;

	sa = sa_lookup_spi(mgr, satype, dst, spi);
	if (sa == NULL)
		return ENOENT;
	if (hard) {
		sa_hard_expire(mgr, sa, SA_REASON_KERNEL_HARD);
		return 0;
	}
	if (sa->state != SA_STATE_MATURE)
		return EALREADY;
	sa_soft_expire(mgr, sa);
	return 0;
}

/* Idle watches */

int
sa_idle_watch(struct sa_mgr *mgr, struct sa *sa, uint64_t idle_seconds)
{
	const struct sa_ops *ops = mgr->config.ops;
	struct pfkey_lifetime current;
	struct sa_idle *idle;
	int error;

	if (idle_seconds == 0 || idle_seconds > UINT64_MAX / 1000 ||
	    (sa->state != SA_STATE_MATURE && sa->state != SA_STATE_DYING))
		return EINVAL;
	if (ops->get_current == NULL)
		return EOPNOTSUPP;
	memset(&current, 0, sizeof(current));
	error = ops->get_current(mgr->config.ops_arg, sa, &current);
	if (error != 0)
		return error;
	idle = sa->idle;
	if (idle == NULL) {
		idle = calloc(1, sizeof(*idle));
		if (idle == NULL)
			return ENOMEM;
		timer_init(&idle->timer, sa_idle_fired, idle);
		idle->sa = sa;
	}
	error = timer_add_in(mgr->timers, &idle->timer, idle_seconds * 1000);
	if (error != 0) {
		if (sa->idle == NULL)
			free(idle);
		return error;
	}
	if (sa->idle == NULL)
		mgr->idle_count++;
	sa->idle = idle;
	idle->seconds = idle_seconds;
	idle->last_bytes = current.bytes;
	return 0;
}

void
sa_idle_unwatch(struct sa_mgr *mgr, struct sa *sa)
{
	sa_idle_free(mgr, sa);
}

static void
sa_idle_fired(struct timer *timer, void *arg)
{
	struct sa_idle *idle = arg;
	struct sa *sa = idle->sa;
	struct sa_mgr *mgr = sa->mgr;
	const struct sa_hooks *hooks = mgr->config.hooks;
	struct pfkey_lifetime current;
	uint64_t seconds = idle->seconds;
	int error;

	memset(&current, 0, sizeof(current));
	error = mgr->config.ops->get_current(mgr->config.ops_arg, sa, &current);
	if (error != 0 || current.bytes != idle->last_bytes) {
		if (error != 0)
			log_debug("SA spi 0x%08x: idle check: %s", sa->spi,
			    strerror(error));
		else
			idle->last_bytes = current.bytes;
		if (timer_add_in(mgr->timers, timer, seconds * 1000) != 0)
			sa_idle_free(mgr, sa);
		return;
	}
	sa_idle_free(mgr, sa);
	if (hooks != NULL && hooks->idle != NULL)
		hooks->idle(mgr->config.hooks_arg, sa, seconds);
}

/* Lookups */

struct sa *
sa_lookup_spi(const struct sa_mgr *mgr, uint8_t satype,
    const struct pfkey_addr *dst, uint32_t spi)
{
	struct sa *sa;

	sa = *bucket_of(mgr, SA_IX_SPI, spi_hash(mgr, satype, dst, spi));
	for (; sa != NULL; sa = sa->link[SA_IX_SPI].next)
		if (sa->spi == spi && sa->satype == satype &&
		    addr_equal(&sa->dst, dst))
			return sa;
	return NULL;
}

struct sa *
sa_first_by_reqid(const struct sa_mgr *mgr, uint32_t reqid)
{
	struct sa *sa;

	if (reqid == 0)
		return NULL;
	sa = *bucket_of(mgr, SA_IX_REQID, key_hash(mgr, reqid));
	while (sa != NULL && sa->reqid != reqid)
		sa = sa->link[SA_IX_REQID].next;
	return sa;
}

struct sa *
sa_next_by_reqid(const struct sa *prev)
{
	struct sa *sa = prev->link[SA_IX_REQID].next;

	while (sa != NULL && sa->reqid != prev->reqid)
		sa = sa->link[SA_IX_REQID].next;
	return sa;
}

struct sa *
sa_first_by_peer(const struct sa_mgr *mgr, const void *peer)
{
	struct sa *sa;

	if (peer == NULL)
		return NULL;
	sa = *bucket_of(mgr, SA_IX_PEER, key_hash(mgr, (uintptr_t)peer));
	while (sa != NULL && sa->peer != peer)
		sa = sa->link[SA_IX_PEER].next;
	return sa;
}

struct sa *
sa_next_by_peer(const struct sa *prev)
{
	struct sa *sa = prev->link[SA_IX_PEER].next;

	while (sa != NULL && sa->peer != prev->peer)
		sa = sa->link[SA_IX_PEER].next;
	return sa;
}

/* Reqid allocation */

static bool
reqid_used(const struct sa_reqids *reqids, uint32_t reqid)
{
	return (reqids->used[reqid / 8] & (1u << (reqid % 8))) != 0;
}

static void
reqid_mark(struct sa_reqids *reqids, uint32_t reqid, bool used)
{
	if (used)
		reqids->used[reqid / 8] |= (uint8_t)(1u << (reqid % 8));
	else
		reqids->used[reqid / 8] &= (uint8_t)~(1u << (reqid % 8));
}

int
sa_reqid_alloc(struct sa_mgr *mgr, uint32_t *reqidp)
{
	struct sa_reqids *reqids = &mgr->reqids;
	uint32_t reqid;

	if (reqids->next_fresh <= PFKEY_REQID_MAX) {
		reqid = reqids->next_fresh++;
	} else if (reqids->ring_count > 0) {
		reqid = reqids->ring[reqids->ring_head];
		reqids->ring_head = (reqids->ring_head + 1) % PFKEY_REQID_MAX;
		reqids->ring_count--;
	} else {
		return ENOSPC;
	}
	reqid_mark(reqids, reqid, true);
	*reqidp = reqid;
	return 0;
}

int
sa_reqid_free(struct sa_mgr *mgr, uint32_t reqid)
{
	struct sa_reqids *reqids = &mgr->reqids;
	uint32_t tail;

	if (reqid == 0 || reqid > PFKEY_REQID_MAX || !reqid_used(reqids, reqid))
		return EINVAL;
	reqid_mark(reqids, reqid, false);
	tail = (reqids->ring_head + reqids->ring_count) % PFKEY_REQID_MAX;
	reqids->ring[tail] = (uint16_t)reqid;
	reqids->ring_count++;
	return 0;
}
