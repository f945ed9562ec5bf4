/*
 * Benchmark of the SA manager (daemon/sa.c on daemon/timer.c).
 *
 * Ours: insert 100,000 SAs with random hard lifetimes (60..3600 s) into
 * the manager, then expire them all by moving a fake clock forward one
 * second at a time; each SA fires twice (soft, then hard) and is deleted
 * through a do-nothing ops table.
 *
 * Reference, measured in the same run: the same deadlines as 100,000
 * individual libevent evtimers, one second of ours mapped to one
 * microsecond of real time so the run stays short: event_new+event_add
 * per SA, then the event loop runs until every timer has fired at its soft
 * deadline, been re-added for its hard one, fired again and been freed.
 *
 * Each half runs BENCH_ROUNDS times and the best round counts.  Prints
 * time per operation, the ratio ours/reference and bytes per SA; it never
 * judges the figures.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "sa.h"
#include "timer.h"
#include "timing.h"

#define BENCH_SAS	100000
#define BENCH_ROUNDS	3
#define LIFETIME_MIN	60
#define LIFETIME_MAX	3600

struct result {
	double	insert_s;
	double	expire_s;
	size_t	bytes_per_sa;
};

static uint64_t fake_now_ms;
static size_t deletes;

static uint64_t
fake_clock(void *arg)
{
	(void)arg;
	return fake_now_ms;
}

/* xorshift64: the lifetimes, the same for every round and both halves. */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void
make_lifetimes(uint64_t *hard, size_t n)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < n; i++)
		hard[i] = LIFETIME_MIN + next_random(&state) %
		    (LIFETIME_MAX - LIFETIME_MIN + 1);
}

static int
null_install(void *arg, const struct sa *sa, const void *keys)
{
	(void)arg;
	(void)sa;
	(void)keys;
	return 0;
}

static int
counting_delete(void *arg, const struct sa *sa, enum sa_reason reason)
{
	(void)arg;
	(void)sa;
	(void)reason;
	deletes++;
	return 0;
}

static const struct sa_ops bench_ops = {
	.install = null_install,
	.delete = counting_delete,
};

static void
fill_params(struct sa_params *p, size_t i, uint64_t hard_seconds)
{
	memset(p, 0, sizeof(*p));
	p->dir = i % 2 == 0 ? SA_DIR_IN : SA_DIR_OUT;
	p->satype = PFKEY_SATYPE_ESP;
	p->spi = 0x1000 + (uint32_t)i;
	p->src.family = AF_INET;
	p->dst.family = AF_INET;
	p->dst.addr[0] = 198;
	p->dst.addr[1] = 51;
	p->dst.addr[2] = 100;
	p->dst.addr[3] = (uint8_t)(i % 250 + 1);
	p->reqid = (uint32_t)(i / 2 % PFKEY_REQID_MAX + 1);
	p->peer = (void *)(uintptr_t)(i % 1000 + 1);
	p->hard_seconds = hard_seconds;
}

static int
run_ours(const uint64_t *hard, struct result *res)
{
	struct sa_config config;
	struct sa_params p;
	struct timers *timers;
	struct sa_mgr *mgr;
	struct sa *sa;
	double start;
	uint64_t second;
	size_t i;

	fake_now_ms = 0;
	deletes = 0;
	timers = timers_new(fake_clock, NULL);
	sa_config_defaults(&config);
	config.seed = 1;
	config.ops = &bench_ops;
	if (timers == NULL || sa_mgr_new(&config, timers, &mgr) != 0)
		return -1;

	start = bench_now();
	for (i = 0; i < BENCH_SAS; i++) {
		fill_params(&p, i, hard[i]);
		if (sa_add(mgr, 0, &p, NULL, &sa) != 0)
			return -1;
	}
	res->insert_s = bench_now() - start;
	res->bytes_per_sa = (sa_mgr_memory(mgr) + timers_memory(timers)) /
	    BENCH_SAS;

	start = bench_now();
	for (second = 0; second <= LIFETIME_MAX; second++) {
		fake_now_ms = second * 1000;
		while (timers_run(timers, fake_now_ms) > 0)
			continue;
	}
	res->expire_s = bench_now() - start;

	if (deletes != BENCH_SAS || sa_count(mgr) != 0) {
		fprintf(stderr, "bench_sa: %zu of %d SAs expired\n", deletes,
		    BENCH_SAS);
		return -1;
	}
	sa_mgr_free(mgr, false);
	timers_free(timers);
	return 0;
}

/* Reference: one evtimer per SA, soft then hard, like our lifetime timer. */
struct ref_timer {
	struct event	*event;
	uint64_t	soft_us, hard_us;
	bool		soft_done;
};

static size_t ref_fired;

static void
ref_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ref_timer *rt = arg;
	struct timeval tv = { 0, 0 };

	(void)fd;
	(void)what;
	ref_fired++;
	if (!rt->soft_done) {
		rt->soft_done = true;
		tv.tv_usec = (suseconds_t)(rt->hard_us - rt->soft_us);
		event_add(rt->event, &tv);
		return;
	}
	event_free(rt->event);
	rt->event = NULL;
}

static int
run_reference(const uint64_t *hard, struct ref_timer *rt, struct result *res)
{
	struct event_base *base;
	struct timeval tv;
	double start;
	size_t i;

	base = event_base_new();
	if (base == NULL)
		return -1;
	ref_fired = 0;
	start = bench_now();
	for (i = 0; i < BENCH_SAS; i++) {
		rt[i].hard_us = hard[i];
		rt[i].soft_us = hard[i] * 75 / 100;	/* mid soft range */
		rt[i].soft_done = false;
		rt[i].event = event_new(base, -1, 0, ref_cb, &rt[i]);
		if (rt[i].event == NULL)
			return -1;
		tv.tv_sec = 0;
		tv.tv_usec = (suseconds_t)rt[i].soft_us;
		event_add(rt[i].event, &tv);
	}
	res->insert_s = bench_now() - start;

	start = bench_now();
	event_base_dispatch(base);
	res->expire_s = bench_now() - start;
	event_base_free(base);
	if (ref_fired != 2 * BENCH_SAS) {
		fprintf(stderr, "bench_sa: reference fired %zu of %d\n",
		    ref_fired, 2 * BENCH_SAS);
		return -1;
	}
	return 0;
}

static void
keep_best(struct result *best, const struct result *res, int round)
{
	if (round == 0 || res->insert_s < best->insert_s)
		best->insert_s = res->insert_s;
	if (round == 0 || res->expire_s < best->expire_s)
		best->expire_s = res->expire_s;
	best->bytes_per_sa = res->bytes_per_sa;
}

static void
print_line(const char *what, double ours_s, double ref_s)
{
	printf("  %-7s ours %7.3f us/SA   reference %7.3f us/SA   "
	    "ratio ours/reference %.2f\n", what, ours_s * 1e6 / BENCH_SAS,
	    ref_s * 1e6 / BENCH_SAS, ours_s / ref_s);
}

int
main(void)
{
	struct result ours, ref, res;
	struct ref_timer *rt;
	uint64_t *hard;
	int round;

	hard = calloc(BENCH_SAS, sizeof(*hard));
	rt = calloc(BENCH_SAS, sizeof(*rt));
	if (hard == NULL || rt == NULL)
		return 1;
	make_lifetimes(hard, BENCH_SAS);
	memset(&ours, 0, sizeof(ours));
	memset(&ref, 0, sizeof(ref));
	for (round = 0; round < BENCH_ROUNDS; round++) {
		if (run_ours(hard, &res) != 0)
			return 1;
		keep_best(&ours, &res, round);
		if (run_reference(hard, rt, &res) != 0)
			return 1;
		keep_best(&ref, &res, round);
	}
	printf("bench_sa: %d SAs, hard lifetimes %d..%d s, soft and hard "
	    "timer per SA, best of %d\n", BENCH_SAS, LIFETIME_MIN,
	    LIFETIME_MAX, BENCH_ROUNDS);
	printf("  reference: one libevent evtimer per SA (1 s -> 1 us)\n");
	print_line("insert", ours.insert_s, ref.insert_s);
	print_line("expire", ours.expire_s, ref.expire_s);
	print_line("total", ours.insert_s + ours.expire_s,
	    ref.insert_s + ref.expire_s);
	printf("  memory  %zu bytes per SA (struct sa %zu, the rest tables "
	    "and timer heap)\n", ours.bytes_per_sa, sizeof(struct sa));
	free(rt);
	free(hard);
	return 0;
}
