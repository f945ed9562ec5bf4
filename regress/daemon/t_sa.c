/*
 * Unit tests for daemon/sa.c, the phase-2 SA manager, with a fake clock,
 * a fake kernel (ops table) and hooks that record what they are told.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "sa.h"

#define MAX_CALLS	64

struct call {
	uint32_t	spi;
	int		reason;		/* enum sa_reason, or idle seconds */
};

struct fake {
	uint64_t	now_ms;
	struct timers	*timers;
	struct sa_mgr	*mgr;

	/* ops */
	size_t		ninstalls;
	uint32_t	install_fail_spi;	/* install of this SPI -> EIO */
	struct call	deletes[MAX_CALLS];
	size_t		ndeletes;
	uint64_t	bytes;			/* what get_current reports */
	size_t		ngets;
	size_t		nupdates;
	const void	*update_changes;	/* the last update's */
	int		update_error;		/* update returns it */

	/* hooks */
	struct call	rekeys[MAX_CALLS], expires[MAX_CALLS], idles[MAX_CALLS];
	size_t		nrekeys, nexpires, nidles;
	bool		rekey_removes;		/* rekey hook: sa_remove */
	bool		idle_removes;		/* idle hook: sa_remove */
	int		expire_remove_error;	/* sa_remove from expire hook */

	/* injected jitter draws */
	const uint64_t	*draws;
	size_t		ndraws, next_draw;
};

static void
record(struct call *calls, size_t *n, uint32_t spi, int reason)
{
	ATF_REQUIRE(*n < MAX_CALLS);
	calls[*n].spi = spi;
	calls[*n].reason = reason;
	(*n)++;
}

static uint64_t
fake_clock(void *arg)
{
	struct fake *f = arg;

	return f->now_ms;
}

static int
fake_install(void *arg, const struct sa *sa, const void *keys)
{
	struct fake *f = arg;

	(void)keys;
	/* The larval SAs, and only those, are UPDATEs. */
	ATF_CHECK_EQ(sa->getspi, sa->dir == SA_DIR_IN && sa->nego_id != 0);
	/* The soft lifetimes for the message are known already. */
	ATF_CHECK_EQ(sa->soft_seconds == 0, sa->hard_seconds == 0);
	ATF_CHECK_EQ(sa->soft_kbytes == 0, sa->hard_kbytes == 0);
	if (sa->spi == f->install_fail_spi)
		return EIO;
	f->ninstalls++;
	return 0;
}

static int
fake_delete(void *arg, const struct sa *sa, enum sa_reason reason)
{
	struct fake *f = arg;

	record(f->deletes, &f->ndeletes, sa->spi, (int)reason);
	return reason == SA_REASON_KERNEL_HARD ? ESRCH : 0;
}

static int
fake_get_current(void *arg, const struct sa *sa, struct pfkey_lifetime *cur)
{
	struct fake *f = arg;

	(void)sa;
	f->ngets++;
	cur->bytes = f->bytes;
	return 0;
}

static void
hook_rekey(void *arg, struct sa *sa)
{
	struct fake *f = arg;

	ATF_CHECK_EQ(sa->state, SA_STATE_DYING);
	record(f->rekeys, &f->nrekeys, sa->spi, 0);
	if (f->rekey_removes)
		ATF_CHECK_EQ(sa_remove(f->mgr, sa, SA_REASON_REQUEST), 0);
}

static void
hook_expire(void *arg, const struct sa *sa, enum sa_reason reason)
{
	struct fake *f = arg;

	record(f->expires, &f->nexpires, sa->spi, (int)reason);
	ATF_CHECK_EQ(sa->state, SA_STATE_DEAD);
	f->expire_remove_error = sa_remove(f->mgr, (struct sa *)sa,
	    SA_REASON_REQUEST);
	ATF_CHECK(sa_lookup_spi(f->mgr, sa->satype, &sa->dst, sa->spi) == NULL);
}

static void
hook_idle(void *arg, struct sa *sa, uint64_t seconds)
{
	struct fake *f = arg;

	record(f->idles, &f->nidles, sa->spi, (int)seconds);
	if (f->idle_removes)
		ATF_CHECK_EQ(sa_remove(f->mgr, sa, SA_REASON_REQUEST), 0);
}

static uint64_t
fake_random(void *arg)
{
	struct fake *f = arg;

	ATF_REQUIRE(f->next_draw < f->ndraws);
	return f->draws[f->next_draw++];
}

static int
fake_update(void *arg, const struct sa *sa, const void *changes)
{
	struct fake *f = arg;

	ATF_CHECK(sa->state == SA_STATE_MATURE || sa->state == SA_STATE_DYING);
	f->nupdates++;
	f->update_changes = changes;
	return f->update_error;
}

static const struct sa_ops fake_ops = {
	.install = fake_install,
	.delete = fake_delete,
	.get_current = fake_get_current,
	.update = fake_update,
};

static const struct sa_hooks fake_hooks = {
	.rekey = hook_rekey,
	.expire = hook_expire,
	.idle = hook_idle,
};

static void
fake_config(struct fake *f, struct sa_config *config, uint64_t seed)
{
	sa_config_defaults(config);
	config->seed = seed;
	config->ops = &fake_ops;
	config->ops_arg = f;
	config->hooks = &fake_hooks;
	config->hooks_arg = f;
}

static struct fake *
fake_new(uint64_t seed)
{
	struct sa_config config;
	struct fake *f;

	f = calloc(1, sizeof(*f));
	ATF_REQUIRE(f != NULL);
	f->timers = timers_new(fake_clock, f);
	ATF_REQUIRE(f->timers != NULL);
	fake_config(f, &config, seed);
	ATF_REQUIRE_EQ(sa_mgr_new(&config, f->timers, &f->mgr), 0);
	return f;
}

static void
fake_free(struct fake *f, bool flush)
{
	sa_mgr_free(f->mgr, flush);
	ATF_CHECK_EQ(timers_count(f->timers), 0);
	timers_free(f->timers);
	free(f);
}

/*
 * Move the clock to "ms" and run what is due, again while timers run:
 * what a callback re-arms at a passed deadline waits for the next run,
 * which the daemon's event loop starts at once.
 */
static void
advance_to(struct fake *f, uint64_t ms)
{
	f->now_ms = ms;
	while (timers_run(f->timers, ms) > 0)
		continue;
}

static struct pfkey_addr
v4(uint8_t last)
{
	struct pfkey_addr addr;

	memset(&addr, 0, sizeof(addr));
	addr.family = AF_INET;
	addr.prefixlen = 32;
	addr.addr[0] = 192;
	addr.addr[1] = 0;
	addr.addr[2] = 2;
	addr.addr[3] = last;
	return addr;
}

static struct sa_params
params(uint32_t spi, enum sa_dir dir, uint64_t hard_seconds)
{
	struct sa_params p;

	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.satype = PFKEY_SATYPE_ESP;
	p.spi = spi;
	p.src = v4(1);
	p.dst = v4(2);
	p.hard_seconds = hard_seconds;
	return p;
}

static struct sa *
add_sa(struct fake *f, uint32_t spi, uint64_t hard_seconds)
{
	struct sa_params p = params(spi, SA_DIR_OUT, hard_seconds);
	struct sa *sa;

	ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	ATF_REQUIRE(sa != NULL);
	return sa;
}

static struct sa *
find(struct fake *f, uint32_t spi)
{
	struct pfkey_addr dst = v4(2);

	return sa_lookup_spi(f->mgr, PFKEY_SATYPE_ESP, &dst, spi);
}

static bool
deleted(const struct fake *f, uint32_t spi, enum sa_reason reason)
{
	size_t i;

	for (i = 0; i < f->ndeletes; i++)
		if (f->deletes[i].spi == spi &&
		    f->deletes[i].reason == (int)reason)
			return true;
	return false;
}

ATF_TC_WITHOUT_HEAD(config_checked);
ATF_TC_BODY(config_checked, tc)
{
	struct fake f0;
	struct sa_config config;
	struct timers *timers = timers_new(fake_clock, &f0);
	struct sa_mgr *mgr;

	memset(&f0, 0, sizeof(f0));
	fake_config(&f0, &config, 1);
	config.soft_percent = 0;
	ATF_CHECK_EQ(sa_mgr_new(&config, timers, &mgr), EINVAL);
	config.soft_percent = 101;
	ATF_CHECK_EQ(sa_mgr_new(&config, timers, &mgr), EINVAL);
	config.soft_percent = 10;
	config.jitter_percent = 11;
	ATF_CHECK_EQ(sa_mgr_new(&config, timers, &mgr), EINVAL);
	fake_config(&f0, &config, 1);
	config.ops = NULL;
	ATF_CHECK_EQ(sa_mgr_new(&config, timers, &mgr), EINVAL);
	ATF_CHECK(mgr == NULL);
	timers_free(timers);
}

/* Injected draws give soft = hard * 80% - draw % (hard * 10% + 1). */
ATF_TC_WITHOUT_HEAD(soft_jitter_injected);
ATF_TC_BODY(soft_jitter_injected, tc)
{
	static const uint64_t draws[] = { 0, 360, 361 + 200, 7 };
	struct fake *f = fake_new(1);
	struct sa_config config;
	struct sa_params p;
	struct sa *sa[3];

	/* A second manager on the same fake, with the injected draws. */
	sa_mgr_free(f->mgr, false);
	fake_config(f, &config, 1);
	config.random = fake_random;
	config.random_arg = f;
	f->draws = draws;
	f->ndraws = 4;
	ATF_REQUIRE_EQ(sa_mgr_new(&config, f->timers, &f->mgr), 0);

	sa[0] = add_sa(f, 0x100, 3600);
	sa[1] = add_sa(f, 0x101, 3600);
	p = params(0x102, SA_DIR_IN, 3600);
	p.hard_kbytes = 100000;
	ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa[2]), 0);
	ATF_CHECK_EQ(sa[0]->soft_seconds, 2880);
	ATF_CHECK_EQ(sa[1]->soft_seconds, 2520);
	ATF_CHECK_EQ(sa[2]->soft_seconds, 2680);
	ATF_CHECK_EQ(sa[2]->soft_kbytes, 80000 - 7);
	ATF_CHECK_EQ(sa[0]->soft_kbytes, 0);
	ATF_CHECK_EQ(f->next_draw, 4);

	/* The rekey hook fires at exactly the soft deadline, once. */
	advance_to(f, 2520 * 1000 - 1);
	ATF_CHECK_EQ(f->nrekeys, 0);
	advance_to(f, 2520 * 1000);
	ATF_REQUIRE_EQ(f->nrekeys, 1);
	ATF_CHECK_EQ(f->rekeys[0].spi, 0x101);
	advance_to(f, 2680 * 1000);
	advance_to(f, 2880 * 1000);
	ATF_REQUIRE_EQ(f->nrekeys, 3);
	ATF_CHECK_EQ(f->rekeys[1].spi, 0x102);
	ATF_CHECK_EQ(f->rekeys[2].spi, 0x100);
	ATF_CHECK_EQ(sa[0]->state, SA_STATE_DYING);
	ATF_CHECK_EQ(f->ndeletes, 0);
	fake_free(f, false);
}

/* The built-in generator: exact values for seed 12345, within range. */
ATF_TC_WITHOUT_HEAD(soft_jitter_seeded);
ATF_TC_BODY(soft_jitter_seeded, tc)
{
	struct fake *f = fake_new(12345), *g;
	struct sa_params p;
	struct sa *sa[4], *other;
	uint32_t i;

	p = params(1, SA_DIR_OUT, 3600);
	p.hard_kbytes = 100000;
	ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa[0]), 0);
	sa[1] = add_sa(f, 2, 3600);
	sa[2] = add_sa(f, 3, 28800);
	sa[3] = add_sa(f, 4, 100);
	ATF_CHECK_EQ(sa[0]->soft_seconds, 2614);
	ATF_CHECK_EQ(sa[0]->soft_kbytes, 76181);
	ATF_CHECK_EQ(sa[1]->soft_seconds, 2627);
	ATF_CHECK_EQ(sa[2]->soft_seconds, 21379);
	ATF_CHECK_EQ(sa[3]->soft_seconds, 78);

	/* Same seed, same sequence; every value in [70%, 80%] of hard. */
	g = fake_new(12345);
	other = add_sa(g, 1, 3600);
	ATF_CHECK_EQ(other->soft_seconds, 2614);
	for (i = 10; i < 2010; i++) {
		other = add_sa(g, i, 1000 + i);
		ATF_CHECK(other->soft_seconds * 100 >= (1000 + i) * 70ULL);
		ATF_CHECK(other->soft_seconds * 100 <= (1000 + i) * 80ULL);
	}
	/* Tiny lifetimes still get a soft lifetime before the hard one. */
	other = add_sa(g, 5, 1);
	ATF_CHECK_EQ(other->soft_seconds, 1);
	fake_free(g, false);
	fake_free(f, false);
}

/* Hard by our timer first, then the kernel's EXPIRE: one delete. */
ATF_TC_WITHOUT_HEAD(hard_timer_then_kernel);
ATF_TC_BODY(hard_timer_then_kernel, tc)
{
	struct fake *f = fake_new(7);
	struct pfkey_addr dst = v4(2);
	struct sa *sa = add_sa(f, 0x200, 100);
	uint64_t soft_ms = sa->soft_seconds * 1000;

	advance_to(f, soft_ms);
	ATF_CHECK_EQ(f->nrekeys, 1);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x200,
	    false), EALREADY);
	ATF_CHECK_EQ(f->nrekeys, 1);
	advance_to(f, 100 * 1000 - 1);
	ATF_CHECK_EQ(f->ndeletes, 0);
	advance_to(f, 100 * 1000);
	ATF_REQUIRE_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(f->deletes[0].spi, 0x200);
	ATF_CHECK_EQ(f->deletes[0].reason, SA_REASON_HARD_TIMER);
	ATF_REQUIRE_EQ(f->nexpires, 1);
	ATF_CHECK_EQ(f->expires[0].reason, SA_REASON_HARD_TIMER);
	ATF_CHECK_EQ(f->expire_remove_error, EALREADY);
	ATF_CHECK_EQ(sa_count(f->mgr), 0);

	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x200,
	    true), ENOENT);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x200,
	    false), ENOENT);
	ATF_CHECK_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(f->nexpires, 1);
	fake_free(f, false);
}

/* The kernel's EXPIREs first (soft, then hard), then our timers: no-ops. */
ATF_TC_WITHOUT_HEAD(kernel_then_hard_timer);
ATF_TC_BODY(kernel_then_hard_timer, tc)
{
	struct fake *f = fake_new(7);
	struct pfkey_addr dst = v4(2);
	struct sa *sa = add_sa(f, 0x300, 100);
	uint64_t soft_ms = sa->soft_seconds * 1000;

	advance_to(f, 10 * 1000);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x300,
	    false), 0);
	ATF_CHECK_EQ(f->nrekeys, 1);
	ATF_CHECK_EQ(sa->state, SA_STATE_DYING);
	advance_to(f, soft_ms);
	ATF_CHECK_EQ(f->nrekeys, 1);

	advance_to(f, 90 * 1000);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x300,
	    true), 0);
	ATF_REQUIRE_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(f->deletes[0].spi, 0x300);
	ATF_CHECK_EQ(f->deletes[0].reason, SA_REASON_KERNEL_HARD);
	ATF_REQUIRE_EQ(f->nexpires, 1);
	ATF_CHECK_EQ(f->expires[0].reason, SA_REASON_KERNEL_HARD);
	ATF_CHECK_EQ(timers_count(f->timers), 0);

	advance_to(f, 1000 * 1000);
	ATF_CHECK_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(f->nexpires, 1);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x300,
	    true), ENOENT);
	ATF_CHECK_EQ(f->ndeletes, 1);
	fake_free(f, false);
}

/* Volume-only lifetime: no timer; the kernel's EXPIREs drive it. */
ATF_TC_WITHOUT_HEAD(kbytes_only_lifetime);
ATF_TC_BODY(kbytes_only_lifetime, tc)
{
	struct fake *f = fake_new(9);
	struct pfkey_addr dst = v4(2);
	struct sa_params p = params(0x400, SA_DIR_OUT, 0);
	struct sa *sa;

	p.hard_kbytes = 1000;
	ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	ATF_CHECK_EQ(sa->soft_seconds, 0);
	ATF_CHECK(sa->soft_kbytes >= 700 && sa->soft_kbytes <= 800);
	ATF_CHECK_EQ(timers_count(f->timers), 0);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x400,
	    false), 0);
	ATF_CHECK_EQ(f->nrekeys, 1);
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x400,
	    true), 0);
	ATF_CHECK_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(sa_count(f->mgr), 0);
	fake_free(f, false);
}

/*
 * Lifetimes a peer may grant, up to 2^64 - 1: the timer never wraps to
 * an early deadline (it is the end of the clock), nor the bytes PF_KEY
 * is given.
 */
ATF_TC_WITHOUT_HEAD(huge_lifetimes);
ATF_TC_BODY(huge_lifetimes, tc)
{
	struct fake *f = fake_new(9);
	struct pfkey_addr dst = v4(2);
	struct sa_params p = params(0x500, SA_DIR_OUT, UINT64_MAX);
	uint64_t deadline;
	struct sa *sa;

	p.hard_kbytes = UINT64_MAX;
	f->now_ms = 5000;
	ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	ATF_CHECK_EQ(sa->hard_kbytes, SA_KBYTES_MAX);
	ATF_CHECK(sa->soft_kbytes <= SA_KBYTES_MAX);
	ATF_CHECK_EQ(sa->hard_kbytes * 1024 / 1024, sa->hard_kbytes);
	ATF_REQUIRE(timers_next_deadline(f->timers, &deadline));
	ATF_CHECK_EQ(deadline, UINT64_MAX);
	advance_to(f, UINT64_MAX / 2);
	ATF_CHECK_EQ(f->nrekeys, 0);
	/* Soft by the kernel: the hard deadline is the end of the clock too. */
	ATF_CHECK_EQ(sa_kernel_expire(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x500,
	    false), 0);
	ATF_REQUIRE(timers_next_deadline(f->timers, &deadline));
	ATF_CHECK_EQ(deadline, UINT64_MAX);
	ATF_CHECK_EQ(f->ndeletes, 0);
	/* A lifetime that just fits is kept to the millisecond. */
	p = params(0x501, SA_DIR_OUT, (UINT64_MAX - f->now_ms) / 1000);
	ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	ATF_CHECK(timer_deadline(&sa->lifetime_timer) <= UINT64_MAX - 999);
	ATF_CHECK_EQ(timer_deadline(&sa->lifetime_timer),
	    f->now_ms + sa->soft_seconds * 1000);
	fake_free(f, false);
}

/* A rekey hook may remove its own SA. */
ATF_TC_WITHOUT_HEAD(rekey_hook_removes);
ATF_TC_BODY(rekey_hook_removes, tc)
{
	struct fake *f = fake_new(3);

	f->rekey_removes = true;
	add_sa(f, 0x500, 100);
	add_sa(f, 0x501, 100);
	advance_to(f, 100 * 1000);
	ATF_CHECK_EQ(f->nrekeys, 2);
	ATF_CHECK_EQ(f->ndeletes, 2);
	ATF_CHECK(deleted(f, 0x500, SA_REASON_REQUEST));
	ATF_CHECK(deleted(f, 0x501, SA_REASON_REQUEST));
	ATF_CHECK_EQ(f->nexpires, 0);
	ATF_CHECK_EQ(sa_count(f->mgr), 0);
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(idle_without_traffic);
ATF_TC_BODY(idle_without_traffic, tc)
{
	struct fake *f = fake_new(5);
	struct sa *sa = add_sa(f, 0x600, 3600);

	f->bytes = 1000;
	ATF_REQUIRE_EQ(sa_idle_watch(f->mgr, sa, 10), 0);
	ATF_CHECK_EQ(f->ngets, 1);
	advance_to(f, 10 * 1000 - 1);
	ATF_CHECK_EQ(f->nidles, 0);
	advance_to(f, 10 * 1000);
	ATF_REQUIRE_EQ(f->nidles, 1);
	ATF_CHECK_EQ(f->idles[0].spi, 0x600);
	ATF_CHECK_EQ(f->idles[0].reason, 10);
	ATF_CHECK_EQ(f->ngets, 2);
	/* The watch ended with the hook. */
	advance_to(f, 100 * 1000);
	ATF_CHECK_EQ(f->nidles, 1);
	ATF_CHECK_EQ(f->ngets, 2);
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(idle_with_traffic);
ATF_TC_BODY(idle_with_traffic, tc)
{
	struct fake *f = fake_new(5);
	struct sa *sa = add_sa(f, 0x700, 3600);
	uint64_t t;

	ATF_REQUIRE_EQ(sa_idle_watch(f->mgr, sa, 5), 0);
	for (t = 5; t <= 50; t += 5) {
		f->bytes += 1500;	/* traffic during every period */
		advance_to(f, t * 1000);
	}
	ATF_CHECK_EQ(f->nidles, 0);
	ATF_CHECK_EQ(f->ngets, 11);
	/* Traffic stops: idle one full period after the last movement. */
	advance_to(f, 55 * 1000);
	ATF_REQUIRE_EQ(f->nidles, 1);
	ATF_CHECK_EQ(f->idles[0].spi, 0x700);

	/* A new watch, cancelled: no hook. */
	ATF_REQUIRE_EQ(sa_idle_watch(f->mgr, sa, 5), 0);
	sa_idle_unwatch(f->mgr, sa);
	advance_to(f, 100 * 1000);
	ATF_CHECK_EQ(f->nidles, 1);
	ATF_CHECK_EQ(sa_idle_watch(f->mgr, sa, 0), EINVAL);
	fake_free(f, false);
}

/* The idle hook may remove the SA; a watched SA freed by hard expiry. */
ATF_TC_WITHOUT_HEAD(idle_hook_removes);
ATF_TC_BODY(idle_hook_removes, tc)
{
	struct fake *f = fake_new(5);
	struct sa *sa = add_sa(f, 0x800, 3600);
	struct sa *short_lived = add_sa(f, 0x801, 20);

	f->idle_removes = true;
	ATF_REQUIRE_EQ(sa_idle_watch(f->mgr, sa, 30), 0);
	ATF_REQUIRE_EQ(sa_idle_watch(f->mgr, short_lived, 30), 0);
	advance_to(f, 20 * 1000);	/* 0x801 hard-expires while watched */
	ATF_CHECK(deleted(f, 0x801, SA_REASON_HARD_TIMER));
	advance_to(f, 30 * 1000);
	ATF_REQUIRE_EQ(f->nidles, 1);
	ATF_CHECK_EQ(f->idles[0].spi, 0x800);
	ATF_CHECK(deleted(f, 0x800, SA_REASON_REQUEST));
	ATF_CHECK_EQ(sa_count(f->mgr), 0);
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(reqid_alloc);
ATF_TC_BODY(reqid_alloc, tc)
{
	struct fake *f = fake_new(1);
	uint8_t *seen;
	uint32_t reqid, i;

	seen = calloc(PFKEY_REQID_MAX + 1, 1);
	ATF_REQUIRE(seen != NULL);
	for (i = 0; i < PFKEY_REQID_MAX; i++) {
		ATF_REQUIRE_EQ(sa_reqid_alloc(f->mgr, &reqid), 0);
		ATF_REQUIRE(reqid >= 1 && reqid <= PFKEY_REQID_MAX);
		ATF_REQUIRE_EQ_MSG(seen[reqid], 0, "reqid %u twice", reqid);
		seen[reqid] = 1;
	}
	ATF_CHECK_EQ(sa_reqid_alloc(f->mgr, &reqid), ENOSPC);

	/* Freed values come back, oldest freed first. */
	ATF_CHECK_EQ(sa_reqid_free(f->mgr, 5), 0);
	ATF_CHECK_EQ(sa_reqid_free(f->mgr, 0x3fff), 0);
	ATF_CHECK_EQ(sa_reqid_free(f->mgr, 3), 0);
	ATF_CHECK_EQ(sa_reqid_free(f->mgr, 3), EINVAL);	/* twice */
	ATF_CHECK_EQ(sa_reqid_free(f->mgr, 0), EINVAL);
	ATF_CHECK_EQ(sa_reqid_free(f->mgr, 0x4000), EINVAL);
	ATF_REQUIRE_EQ(sa_reqid_alloc(f->mgr, &reqid), 0);
	ATF_CHECK_EQ(reqid, 5);
	ATF_REQUIRE_EQ(sa_reqid_alloc(f->mgr, &reqid), 0);
	ATF_CHECK_EQ(reqid, 0x3fff);
	ATF_REQUIRE_EQ(sa_reqid_alloc(f->mgr, &reqid), 0);
	ATF_CHECK_EQ(reqid, 3);
	ATF_CHECK_EQ(sa_reqid_alloc(f->mgr, &reqid), ENOSPC);

	/* Churn through the ring many times over. */
	for (i = 0; i < 5 * PFKEY_REQID_MAX; i++) {
		ATF_REQUIRE_EQ(sa_reqid_free(f->mgr, i % PFKEY_REQID_MAX + 1),
		    0);
		ATF_REQUIRE_EQ(sa_reqid_alloc(f->mgr, &reqid), 0);
		ATF_REQUIRE_EQ(reqid, i % PFKEY_REQID_MAX + 1);
	}
	free(seen);
	fake_free(f, false);
}

static void
larval(struct fake *f, uint64_t nego, uint32_t spi)
{
	struct sa_params p = params(spi, SA_DIR_IN, 600);
	struct sa *sa;

	ATF_REQUIRE_EQ(sa_larval_add(f->mgr, nego, &p, &sa), 0);
	ATF_CHECK_EQ(sa->state, SA_STATE_LARVAL);
	ATF_CHECK_EQ(sa->nego_id, nego);
}

ATF_TC_WITHOUT_HEAD(negotiation_abort);
ATF_TC_BODY(negotiation_abort, tc)
{
	struct fake *f = fake_new(1);
	struct sa_params p = params(0x1003, SA_DIR_OUT, 600);
	struct sa *sa;

	larval(f, 1, 0x1001);
	larval(f, 1, 0x1002);
	larval(f, 2, 0x2001);
	ATF_REQUIRE_EQ(sa_install(f->mgr, find(f, 0x1001), NULL), 0);
	ATF_REQUIRE_EQ(sa_add(f->mgr, 1, &p, NULL, &sa), 0);
	ATF_CHECK_EQ(f->ndeletes, 0);
	ATF_CHECK_EQ(timers_count(f->timers), 2);

	ATF_CHECK_EQ(sa_negotiation_abort(f->mgr, 1), 3);
	ATF_REQUIRE_EQ(f->ndeletes, 3);
	ATF_CHECK(deleted(f, 0x1001, SA_REASON_ABORT));
	ATF_CHECK(deleted(f, 0x1002, SA_REASON_ABORT));
	ATF_CHECK(deleted(f, 0x1003, SA_REASON_ABORT));
	ATF_CHECK(find(f, 0x1001) == NULL);
	ATF_CHECK(find(f, 0x1003) == NULL);
	ATF_CHECK(find(f, 0x2001) != NULL);
	ATF_CHECK_EQ(sa_count(f->mgr), 1);
	ATF_CHECK_EQ(timers_count(f->timers), 0);
	ATF_CHECK_EQ(sa_negotiation_abort(f->mgr, 1), 0);
	ATF_CHECK_EQ(f->ndeletes, 3);
	/* Shutdown deletes the other negotiation's larval SA too. */
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(negotiation_commit);
ATF_TC_BODY(negotiation_commit, tc)
{
	struct fake *f = fake_new(1);
	struct sa_params p = params(0x5003, SA_DIR_OUT, 600);
	struct sa *sa;

	larval(f, 5, 0x5001);
	larval(f, 5, 0x5002);	/* a proposal the peer did not choose */
	ATF_REQUIRE_EQ(sa_set_hard_lifetime(find(f, 0x5001), 300, 5000), 0);
	ATF_REQUIRE_EQ(sa_install(f->mgr, find(f, 0x5001), NULL), 0);
	ATF_CHECK_EQ(sa_install(f->mgr, find(f, 0x5001), NULL), EINVAL);
	ATF_REQUIRE_EQ(sa_add(f->mgr, 5, &p, NULL, &sa), 0);
	ATF_CHECK_EQ(f->ninstalls, 2);

	ATF_CHECK_EQ(sa_negotiation_commit(f->mgr, 5), 0);
	ATF_REQUIRE_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(f->deletes[0].spi, 0x5002);
	ATF_CHECK_EQ(f->deletes[0].reason, SA_REASON_UNUSED);
	sa = find(f, 0x5001);
	ATF_REQUIRE(sa != NULL);
	ATF_CHECK_EQ(sa->state, SA_STATE_MATURE);
	ATF_CHECK_EQ(sa->nego_id, 0);
	ATF_CHECK_EQ(sa->hard_seconds, 300);
	ATF_CHECK_EQ(sa->hard_kbytes, 5000);
	ATF_CHECK(find(f, 0x5003) != NULL);

	/* Committed SAs are out of reach of an abort. */
	ATF_CHECK_EQ(sa_negotiation_abort(f->mgr, 5), 0);
	ATF_CHECK_EQ(sa_negotiation_commit(f->mgr, 5), ENOENT);
	ATF_CHECK_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(sa_count(f->mgr), 2);
	fake_free(f, false);
	/* fake_free without flush: nothing else was deleted. */
}

ATF_TC_WITHOUT_HEAD(install_failure);
ATF_TC_BODY(install_failure, tc)
{
	struct fake *f = fake_new(1);
	struct sa_params p = params(0x900, SA_DIR_OUT, 600);
	struct sa *sa;

	f->install_fail_spi = 0x900;
	ATF_CHECK_EQ(sa_add(f->mgr, 9, &p, NULL, &sa), EIO);
	ATF_CHECK(sa == NULL);
	ATF_CHECK(find(f, 0x900) == NULL);
	ATF_CHECK_EQ(sa_count(f->mgr), 0);

	/* A larval SA whose UPDATE fails stays larval until the abort. */
	f->install_fail_spi = 0x901;
	larval(f, 9, 0x901);
	ATF_CHECK_EQ(sa_install(f->mgr, find(f, 0x901), NULL), EIO);
	ATF_CHECK_EQ(find(f, 0x901)->state, SA_STATE_LARVAL);
	ATF_CHECK_EQ(timers_count(f->timers), 0);
	ATF_CHECK_EQ(sa_negotiation_abort(f->mgr, 9), 1);
	ATF_REQUIRE_EQ(f->ndeletes, 1);
	ATF_CHECK_EQ(f->deletes[0].spi, 0x901);
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(lookups);
ATF_TC_BODY(lookups, tc)
{
	struct fake *f = fake_new(1);
	struct sa_params p;
	struct pfkey_addr other = v4(99);
	struct sa *sa, *first;
	int peer_a, peer_b;
	uint32_t spi;
	size_t n;

	/* Enough SAs to grow the tables several times. */
	for (spi = 0x10000; spi < 0x10000 + 3000; spi++) {
		p = params(spi, spi % 2 ? SA_DIR_IN : SA_DIR_OUT, 600);
		p.reqid = spi % 3 == 0 ? 42 : spi % 100 + 100;
		p.peer = spi % 5 == 0 ? (void *)&peer_a : (void *)&peer_b;
		ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	}
	ATF_CHECK_EQ(sa_count(f->mgr), 3000);
	sa = find(f, 0x10000 + 1234);
	ATF_REQUIRE(sa != NULL);
	ATF_CHECK_EQ(sa->spi, 0x10000 + 1234);

	/* The key is (satype, dst, spi). */
	p = params(0x10000 + 1234, SA_DIR_IN, 600);
	ATF_CHECK_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), EEXIST);
	p.dst = other;
	ATF_CHECK_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	ATF_CHECK(sa_lookup_spi(f->mgr, PFKEY_SATYPE_AH, &other,
	    0x10000 + 1234) == NULL);
	ATF_CHECK(sa_lookup_spi(f->mgr, PFKEY_SATYPE_ESP, &other,
	    0x10000 + 1234) == sa);
	ATF_CHECK(find(f, 0x99999) == NULL);

	n = 0;
	for (sa = first = sa_first_by_reqid(f->mgr, 42); sa != NULL;
	    sa = sa_next_by_reqid(sa)) {
		ATF_CHECK_EQ(sa->reqid, 42);
		n++;
	}
	ATF_CHECK_EQ(n, 1000);
	ATF_CHECK(sa_first_by_reqid(f->mgr, 7) == NULL);
	ATF_CHECK(sa_first_by_reqid(f->mgr, 0) == NULL);

	n = 0;
	for (sa = sa_first_by_peer(f->mgr, &peer_a); sa != NULL;
	    sa = sa_next_by_peer(sa)) {
		ATF_CHECK(sa->peer == &peer_a);
		ATF_CHECK_EQ(sa->spi % 5, 0);
		n++;
	}
	ATF_CHECK_EQ(n, 600);
	ATF_CHECK(sa_first_by_peer(f->mgr, &n) == NULL);
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(remove_by_peer);
ATF_TC_BODY(remove_by_peer, tc)
{
	struct fake *f = fake_new(1);
	struct sa_params p;
	struct sa *sa;
	int peer_a, peer_b;
	uint32_t spi;

	for (spi = 1; spi <= 5; spi++) {
		p = params(spi, SA_DIR_OUT, 600);
		p.peer = spi <= 3 ? (void *)&peer_a : (void *)&peer_b;
		ATF_REQUIRE_EQ(sa_add(f->mgr, 0, &p, NULL, &sa), 0);
	}
	ATF_CHECK_EQ(sa_remove_peer(f->mgr, &peer_a, SA_REASON_PEER), 3);
	ATF_REQUIRE_EQ(f->ndeletes, 3);
	ATF_CHECK(deleted(f, 1, SA_REASON_PEER));
	ATF_CHECK(deleted(f, 2, SA_REASON_PEER));
	ATF_CHECK(deleted(f, 3, SA_REASON_PEER));
	ATF_CHECK(sa_first_by_peer(f->mgr, &peer_a) == NULL);
	ATF_CHECK(find(f, 4) != NULL && find(f, 5) != NULL);
	ATF_CHECK_EQ(sa_count(f->mgr), 2);
	ATF_CHECK_EQ(timers_count(f->timers), 2);
	ATF_CHECK_EQ(sa_remove_peer(f->mgr, &peer_a, SA_REASON_PEER), 0);
	ATF_CHECK_EQ(sa_remove(f->mgr, find(f, 4), SA_REASON_REQUEST), 0);
	ATF_CHECK(deleted(f, 4, SA_REASON_REQUEST));
	fake_free(f, false);
}

ATF_TC_WITHOUT_HEAD(shutdown_frees_all);
ATF_TC_BODY(shutdown_frees_all, tc)
{
	struct fake *f = fake_new(1);
	struct fake *g;
	uint32_t spi;

	for (spi = 1; spi <= 200; spi++)
		ATF_REQUIRE_EQ(sa_idle_watch(f->mgr, add_sa(f, spi, 600), 60),
		    0);
	larval(f, 77, 0x7701);
	larval(f, 0, 0x7702);
	ATF_CHECK(sa_mgr_memory(f->mgr) > 200 * sizeof(struct sa));
	/* Without flush only the unfinished negotiation and larval SAs go. */
	sa_mgr_free(f->mgr, false);
	ATF_REQUIRE_EQ(f->ndeletes, 2);
	ATF_CHECK(deleted(f, 0x7701, SA_REASON_ABORT));
	ATF_CHECK(deleted(f, 0x7702, SA_REASON_ABORT));
	ATF_CHECK_EQ(timers_count(f->timers), 0);
	timers_free(f->timers);
	free(f);

	/* With flush, every SA is deleted. */
	g = fake_new(1);
	for (spi = 1; spi <= 20; spi++)
		add_sa(g, spi, 600);
	sa_mgr_free(g->mgr, true);
	ATF_CHECK_EQ(g->ndeletes, 20);
	ATF_CHECK(deleted(g, 20, SA_REASON_SHUTDOWN));
	timers_free(g->timers);
	free(g);
}

/*
 * sa_update: only an installed SA (mature or dying), through ops->update
 * with the caller's changes; its error comes back; lifetimes and timers
 * stay as they were.  Without ops->update: EOPNOTSUPP.
 */
ATF_TC_WITHOUT_HEAD(update_in_place);
ATF_TC_BODY(update_in_place, tc)
{
	struct fake *f = fake_new(1);
	struct sa_ops no_update = fake_ops;
	struct sa_config config;
	struct pfkey_addr dst = v4(2);
	struct sa *sa, *lv;
	uint64_t soft;
	int changes = 42;

	larval(f, 1, 0x2001);
	lv = sa_lookup_spi(f->mgr, PFKEY_SATYPE_ESP, &dst, 0x2001);
	ATF_REQUIRE(lv != NULL);
	ATF_CHECK_EQ(sa_update(f->mgr, lv, &changes), EINVAL);
	ATF_CHECK_EQ(f->nupdates, 0);

	sa = add_sa(f, 0x2002, 100);
	soft = sa->soft_seconds;
	ATF_REQUIRE(soft > 0 && soft < 100);
	advance_to(f, 10 * 1000);
	ATF_CHECK_EQ(sa_update(f->mgr, sa, &changes), 0);
	ATF_CHECK_EQ(f->nupdates, 1);
	ATF_CHECK(f->update_changes == &changes);
	ATF_CHECK_EQ(sa->state, SA_STATE_MATURE);
	ATF_CHECK_EQ(sa->soft_seconds, soft);
	ATF_CHECK_EQ(sa->hard_seconds, 100);
	f->update_error = EIO;
	ATF_CHECK_EQ(sa_update(f->mgr, sa, &changes), EIO);
	f->update_error = 0;
	/* The soft deadline is the one from the install. */
	advance_to(f, soft * 1000 - 1);
	ATF_CHECK_EQ(f->nrekeys, 0);
	advance_to(f, soft * 1000);
	ATF_REQUIRE_EQ(f->nrekeys, 1);
	ATF_CHECK_EQ(sa->state, SA_STATE_DYING);
	ATF_CHECK_EQ(sa_update(f->mgr, sa, &changes), 0);
	ATF_CHECK_EQ(f->nupdates, 3);
	ATF_CHECK_EQ(sa->state, SA_STATE_DYING);

	/* A manager whose ops cannot update. */
	sa_mgr_free(f->mgr, false);
	no_update.update = NULL;
	fake_config(f, &config, 1);
	config.ops = &no_update;
	ATF_REQUIRE_EQ(sa_mgr_new(&config, f->timers, &f->mgr), 0);
	sa = add_sa(f, 0x2003, 100);
	ATF_CHECK_EQ(sa_update(f->mgr, sa, &changes), EOPNOTSUPP);
	fake_free(f, false);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, config_checked);
	ATF_TP_ADD_TC(tp, soft_jitter_injected);
	ATF_TP_ADD_TC(tp, soft_jitter_seeded);
	ATF_TP_ADD_TC(tp, hard_timer_then_kernel);
	ATF_TP_ADD_TC(tp, kernel_then_hard_timer);
	ATF_TP_ADD_TC(tp, kbytes_only_lifetime);
	ATF_TP_ADD_TC(tp, huge_lifetimes);
	ATF_TP_ADD_TC(tp, rekey_hook_removes);
	ATF_TP_ADD_TC(tp, idle_without_traffic);
	ATF_TP_ADD_TC(tp, idle_with_traffic);
	ATF_TP_ADD_TC(tp, idle_hook_removes);
	ATF_TP_ADD_TC(tp, reqid_alloc);
	ATF_TP_ADD_TC(tp, negotiation_abort);
	ATF_TP_ADD_TC(tp, negotiation_commit);
	ATF_TP_ADD_TC(tp, install_failure);
	ATF_TP_ADD_TC(tp, lookups);
	ATF_TP_ADD_TC(tp, remove_by_peer);
	ATF_TP_ADD_TC(tp, shutdown_frees_all);
	ATF_TP_ADD_TC(tp, update_in_place);
	return atf_no_error();
}
