/*
 * Unit tests for daemon/timer.c: heap order, FIFO ties, removal and
 * rescheduling, callbacks that change the heap while it runs, a large
 * random run, and the libevent adaptor with a real event_base.
 */
#include <stdlib.h>

#include <atf-c.h>
#include <event2/event.h>

#include "timer.h"

#define MAX_LOG	64

static uint64_t fake_now;

static uint64_t
fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

/* A timer that logs its number into a shared run log when it fires. */
struct test_timer {
	struct timer	timer;
	int		id;
	struct run_log	*log;
};

struct run_log {
	int		ids[MAX_LOG];
	size_t		count;
	struct timers	*timers;
	struct test_timer *peers;	/* for callbacks that touch others */
};

static void
log_cb(struct timer *timer, void *arg)
{
	struct test_timer *tt = arg;

	ATF_REQUIRE(timer == &tt->timer);
	ATF_REQUIRE(tt->log->count < MAX_LOG);
	tt->log->ids[tt->log->count++] = tt->id;
}

static struct timers *
new_fake_timers(void)
{
	struct timers *timers;

	fake_now = 0;
	timers = timers_new(fake_clock, NULL);
	ATF_REQUIRE(timers != NULL);
	return timers;
}

static void
setup(struct run_log *log, struct test_timer *tt, size_t n, timer_cb *cb)
{
	size_t i;

	for (i = 0; i < n; i++) {
		tt[i].id = (int)i;
		tt[i].log = log;
		timer_init(&tt[i].timer, cb, &tt[i]);
	}
	log->peers = tt;
}

static void
require_log(const struct run_log *log, const int *ids, size_t n)
{
	size_t i;

	ATF_REQUIRE_EQ_MSG(log->count, n, "ran %zu timers, want %zu",
	    log->count, n);
	for (i = 0; i < n; i++)
		ATF_CHECK_EQ_MSG(log->ids[i], ids[i], "run %zu: timer %d, "
		    "want %d", i, log->ids[i], ids[i]);
}

ATF_TC_WITHOUT_HEAD(deadline_order);
ATF_TC_BODY(deadline_order, tc)
{
	static const int want[] = { 1, 2, 0, 3 };
	struct run_log log = { .count = 0 };
	struct test_timer tt[4];
	struct timers *timers = new_fake_timers();
	uint64_t next;

	setup(&log, tt, 4, log_cb);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[0].timer, 30), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[1].timer, 10), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[2].timer, 20), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[3].timer, 40), 0);
	ATF_REQUIRE(timers_next_deadline(timers, &next));
	ATF_CHECK_EQ(next, 10);

	ATF_CHECK_EQ(timers_run(timers, 9), 0);
	ATF_CHECK_EQ(timers_run(timers, 10), 1);
	ATF_CHECK_EQ(timers_run(timers, 35), 2);
	ATF_REQUIRE(timers_next_deadline(timers, &next));
	ATF_CHECK_EQ(next, 40);
	ATF_CHECK(timer_pending(&tt[3].timer));
	ATF_CHECK(!timer_pending(&tt[0].timer));
	ATF_CHECK_EQ(timers_run(timers, 1000), 1);
	require_log(&log, want, 4);
	ATF_CHECK(!timers_next_deadline(timers, &next));
	ATF_CHECK_EQ(timers_count(timers), 0);
	timers_free(timers);
}

ATF_TC_WITHOUT_HEAD(equal_deadlines_fifo);
ATF_TC_BODY(equal_deadlines_fifo, tc)
{
	static const int want[] = { 5, 0, 2, 3, 4, 1, 6 };
	struct run_log log = { .count = 0 };
	struct test_timer tt[7];
	struct timers *timers = new_fake_timers();
	int i;

	setup(&log, tt, 7, log_cb);
	for (i = 0; i < 5; i++)
		ATF_REQUIRE_EQ(timer_add(timers, &tt[i].timer, 50), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[5].timer, 49), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[6].timer, 51), 0);
	/* Re-adding at the same deadline moves timer 1 behind the others. */
	ATF_REQUIRE_EQ(timer_add(timers, &tt[1].timer, 50), 0);
	ATF_CHECK_EQ(timers_count(timers), 7);
	ATF_CHECK_EQ(timers_run(timers, 100), 7);
	require_log(&log, want, 7);
	timers_free(timers);
}

ATF_TC_WITHOUT_HEAD(remove_middle);
ATF_TC_BODY(remove_middle, tc)
{
	static const int want[] = { 0, 1, 2, 4, 6, 8, 9 };
	struct run_log log = { .count = 0 };
	struct test_timer tt[10];
	struct timers *timers = new_fake_timers();
	int i;

	setup(&log, tt, 10, log_cb);
	/* Insert out of order so the heap is not just a sorted array. */
	for (i = 9; i >= 0; i--)
		ATF_REQUIRE_EQ(timer_add(timers, &tt[i].timer,
		    100 + (uint64_t)i * 10), 0);
	timer_remove(timers, &tt[5].timer);
	timer_remove(timers, &tt[3].timer);
	timer_remove(timers, &tt[7].timer);
	timer_remove(timers, &tt[7].timer);	/* not queued: no-op */
	ATF_CHECK(!timer_pending(&tt[5].timer));
	ATF_CHECK_EQ(timers_count(timers), 7);
	ATF_CHECK_EQ(timers_run(timers, 1000), 7);
	require_log(&log, want, 7);
	timers_free(timers);
}

ATF_TC_WITHOUT_HEAD(reschedule);
ATF_TC_BODY(reschedule, tc)
{
	static const int want[] = { 3, 0, 2, 1 };
	struct run_log log = { .count = 0 };
	struct test_timer tt[4];
	struct timers *timers = new_fake_timers();
	uint64_t next;

	setup(&log, tt, 4, log_cb);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[0].timer, 100), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[1].timer, 200), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[2].timer, 300), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[3].timer, 400), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[3].timer, 50), 0);  /* earlier */
	ATF_REQUIRE_EQ(timer_add(timers, &tt[1].timer, 500), 0); /* later */
	ATF_CHECK_EQ(timer_deadline(&tt[3].timer), 50);
	ATF_CHECK_EQ(timers_count(timers), 4);
	ATF_REQUIRE(timers_next_deadline(timers, &next));
	ATF_CHECK_EQ(next, 50);
	/* timer_add_in is relative to the clock. */
	fake_now = 40;
	ATF_REQUIRE_EQ(timer_add_in(timers, &tt[2].timer, 70), 0);
	ATF_CHECK_EQ(timer_deadline(&tt[2].timer), 110);
	ATF_CHECK_EQ(timers_run(timers, 499), 3);
	ATF_CHECK_EQ(timers_run(timers, 500), 1);
	require_log(&log, want, 4);
	timers_free(timers);
}

/*
 * Callbacks that change the heap while it runs.  All of 0..4 are due at
 * 10: 0 removes 1 (due, so 1 never runs) and adds 5 at "now" (it must
 * wait for the next run); 2 reschedules 3 (due) to 20; 4 removes itself
 * and re-adds itself at "now" (next run, once).  6 is due at 30.
 */
static void
busy_cb(struct timer *timer, void *arg)
{
	struct test_timer *tt = arg;
	struct test_timer *peers = tt->log->peers;
	struct timers *timers = tt->log->timers;
	static int readded;

	log_cb(timer, arg);
	switch (tt->id) {
	case 0:
		readded = 0;
		timer_remove(timers, &peers[1].timer);
		ATF_REQUIRE_EQ(timer_add(timers, &peers[5].timer, 10), 0);
		break;
	case 2:
		ATF_REQUIRE_EQ(timer_add(timers, &peers[3].timer, 20), 0);
		break;
	case 4:
		timer_remove(timers, timer);
		if (readded++ == 0)
			ATF_REQUIRE_EQ(timer_add(timers, timer, 10), 0);
		break;
	case 6:
		timer_remove(timers, &peers[6].timer);	/* itself, idle */
		break;
	}
}

ATF_TC_WITHOUT_HEAD(callbacks_change_heap);
ATF_TC_BODY(callbacks_change_heap, tc)
{
	static const int want[] = { 0, 2, 4, 5, 4, 3, 6 };
	struct run_log log = { .count = 0 };
	struct test_timer tt[7];
	struct timers *timers = new_fake_timers();
	int i;

	setup(&log, tt, 7, busy_cb);
	log.timers = timers;
	for (i = 0; i < 5; i++)
		ATF_REQUIRE_EQ(timer_add(timers, &tt[i].timer, 10), 0);
	ATF_REQUIRE_EQ(timer_add(timers, &tt[6].timer, 30), 0);

	ATF_CHECK_EQ(timers_run(timers, 10), 3);	/* 0, 2, 4 */
	ATF_CHECK(!timer_pending(&tt[1].timer));
	ATF_CHECK(timer_pending(&tt[5].timer));
	ATF_CHECK_EQ(timer_deadline(&tt[3].timer), 20);
	ATF_CHECK_EQ(timers_count(timers), 4);		/* 3, 4, 5, 6 */
	ATF_CHECK_EQ(timers_run(timers, 10), 2);	/* 5, 4 */
	ATF_CHECK_EQ(timers_run(timers, 10), 0);
	ATF_CHECK_EQ(timers_run(timers, 30), 2);	/* 3, 6 */
	require_log(&log, want, 7);
	ATF_CHECK_EQ(timers_count(timers), 0);
	timers_free(timers);
}

/* A callback that frees the memory its timer lives in. */
static void
free_self_cb(struct timer *timer, void *arg)
{
	int *fired = arg;

	(*fired)++;
	free(timer);
}

ATF_TC_WITHOUT_HEAD(callback_frees_timer);
ATF_TC_BODY(callback_frees_timer, tc)
{
	struct timers *timers = new_fake_timers();
	struct timer *timer;
	int fired = 0, i;

	for (i = 0; i < 3; i++) {
		timer = malloc(sizeof(*timer));
		ATF_REQUIRE(timer != NULL);
		timer_init(timer, free_self_cb, &fired);
		ATF_REQUIRE_EQ(timer_add(timers, timer, 5), 0);
	}
	ATF_CHECK_EQ(timers_run(timers, 5), 3);
	ATF_CHECK_EQ(fired, 3);
	timers_free(timers);
}

/* 100,000 random timers, some removed or moved, fire in order. */
struct order_state {
	uint64_t	last;
	size_t		fired;
	bool		ordered;
};

struct big_timer {
	struct timer	timer;
	struct order_state *state;
};

static void
order_cb(struct timer *timer, void *arg)
{
	struct big_timer *bt = arg;
	struct order_state *state = bt->state;
	uint64_t deadline = timer_deadline(timer);

	if (deadline < state->last)
		state->ordered = false;
	state->last = deadline;
	state->fired++;
}

#define BIG_COUNT	100000

ATF_TC_WITHOUT_HEAD(random_100k_ordered);
ATF_TC_BODY(random_100k_ordered, tc)
{
	struct order_state state = { 0, 0, true };
	struct timers *timers = new_fake_timers();
	struct big_timer *bt;
	size_t i, queued = 0;
	uint64_t now;

	bt = calloc(BIG_COUNT, sizeof(*bt));
	ATF_REQUIRE(bt != NULL);
	srandom(20240601);
	for (i = 0; i < BIG_COUNT; i++) {
		bt[i].state = &state;
		timer_init(&bt[i].timer, order_cb, &bt[i]);
		ATF_REQUIRE_EQ(timer_add(timers, &bt[i].timer,
		    (uint64_t)(random() % 1000000)), 0);
	}
	for (i = 0; i < BIG_COUNT; i += 7)
		timer_remove(timers, &bt[i].timer);
	for (i = 3; i < BIG_COUNT; i += 11)
		ATF_REQUIRE_EQ(timer_add(timers, &bt[i].timer,
		    (uint64_t)(random() % 1000000)), 0);
	for (i = 0; i < BIG_COUNT; i++)
		if (timer_pending(&bt[i].timer))
			queued++;
	/* i % 7 == 0 removed, but re-added when i % 11 == 3 (i % 77 == 14). */
	ATF_REQUIRE_EQ(queued, BIG_COUNT - (BIG_COUNT + 6) / 7 +
	    (BIG_COUNT - 14 + 76) / 77);
	ATF_REQUIRE_EQ(timers_count(timers), queued);

	/* In steps, then the rest at once. */
	for (now = 0; now < 500000; now += 997)
		timers_run(timers, now);
	timers_run(timers, UINT64_MAX);
	ATF_CHECK(state.ordered);
	ATF_CHECK_EQ(state.fired, queued);
	ATF_CHECK_EQ(timers_count(timers), 0);
	timers_free(timers);
	free(bt);
}

/* Deadlines past the end of the clock saturate: they never come. */
ATF_TC_WITHOUT_HEAD(deadline_saturates);
ATF_TC_BODY(deadline_saturates, tc)
{
	struct timers *timers = new_fake_timers();
	struct timer t;

	ATF_CHECK_EQ(timers_after_s(1500, 60), 61500);
	ATF_CHECK_EQ(timers_after_s(1500, UINT64_MAX / 1000), UINT64_MAX);
	ATF_CHECK_EQ(timers_after_s(0, UINT64_MAX / 1000),
	    UINT64_MAX / 1000 * 1000);
	ATF_CHECK_EQ(timers_after_s(0, UINT64_MAX), UINT64_MAX);
	fake_now = 1000;
	timer_init(&t, NULL, NULL);
	ATF_REQUIRE_EQ(timer_add_in(timers, &t, UINT64_MAX - 10), 0);
	ATF_CHECK_EQ(timer_deadline(&t), UINT64_MAX);
	ATF_CHECK_EQ(timers_run(timers, UINT64_MAX - 1), 0);
	timer_remove(timers, &t);
	timers_free(timers);
}

/* The libevent adaptor, with real time and a real event_base. */
struct loop_state {
	struct event_base *base;
	struct timers	*timers;
	int		order[4];
	int		fired;
};

struct loop_timer {
	struct timer	timer;
	int		id;
	struct loop_state *state;
};

static void
loop_cb(struct timer *timer, void *arg)
{
	struct loop_timer *lt = arg;
	struct loop_state *state = lt->state;

	(void)timer;
	if (state->fired < 4)
		state->order[state->fired] = lt->id;
	state->fired++;
	if (lt->id == 2)
		event_base_loopbreak(state->base);
}

ATF_TC(libevent_adaptor);
ATF_TC_HEAD(libevent_adaptor, tc)
{
	atf_tc_set_md_var(tc, "descr", "one evtimer drives the heap");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(libevent_adaptor, tc)
{
	struct loop_state state = { .fired = 0 };
	struct loop_timer lt[4];
	struct timeval safety = { 10, 0 };
	int i;

	state.base = event_base_new();
	ATF_REQUIRE(state.base != NULL);
	state.timers = timers_new(timers_monotonic_ms, NULL);
	ATF_REQUIRE(state.timers != NULL);
	for (i = 0; i < 4; i++) {
		lt[i].id = i;
		lt[i].state = &state;
		timer_init(&lt[i].timer, loop_cb, &lt[i]);
	}
	/* Queued before attaching, then earlier ones after. */
	ATF_REQUIRE_EQ(timer_add_in(state.timers, &lt[2].timer, 60), 0);
	ATF_REQUIRE_EQ(timers_attach(state.timers, state.base), 0);
	ATF_CHECK_EQ(timers_attach(state.timers, state.base), EINVAL);
	ATF_REQUIRE_EQ(timer_add_in(state.timers, &lt[3].timer, 20), 0);
	ATF_REQUIRE_EQ(timer_add_in(state.timers, &lt[0].timer, 10), 0);
	ATF_REQUIRE_EQ(timer_add_in(state.timers, &lt[1].timer, 30), 0);
	timer_remove(state.timers, &lt[3].timer);
	/* Safety net: the loop ends even if the adaptor never fires. */
	event_base_loopexit(state.base, &safety);
	ATF_REQUIRE_EQ(event_base_dispatch(state.base), 0);

	ATF_REQUIRE_MSG(event_base_got_break(state.base),
	    "the safety net ended the loop: the adaptor did not fire");
	ATF_REQUIRE_EQ(state.fired, 3);
	ATF_CHECK_EQ(state.order[0], 0);
	ATF_CHECK_EQ(state.order[1], 1);
	ATF_CHECK_EQ(state.order[2], 2);
	ATF_CHECK(!timer_pending(&lt[3].timer));

	/* Emptied heap: the loop has nothing left but the safety net. */
	ATF_CHECK_EQ(timers_count(state.timers), 0);
	timers_free(state.timers);
	event_base_free(state.base);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, deadline_order);
	ATF_TP_ADD_TC(tp, equal_deadlines_fifo);
	ATF_TP_ADD_TC(tp, remove_middle);
	ATF_TP_ADD_TC(tp, reschedule);
	ATF_TP_ADD_TC(tp, callbacks_change_heap);
	ATF_TP_ADD_TC(tp, callback_frees_timer);
	ATF_TP_ADD_TC(tp, random_100k_ordered);
	ATF_TP_ADD_TC(tp, deadline_saturates);
	ATF_TP_ADD_TC(tp, libevent_adaptor);
	return atf_no_error();
}
