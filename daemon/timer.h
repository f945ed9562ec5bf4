/*
 * Timers for oakleyd: a binary min-heap of caller-owned struct timer.
 *
 * Time is an unsigned count of milliseconds read from a clock function
 * given at creation: CLOCK_MONOTONIC in the daemon (timers_monotonic_ms),
 * a plain variable in the tests, so nothing here ever sleeps.  Deadlines
 * are absolute values of that clock.
 *
 * Each timer keeps its position in the heap, so adding, removing and
 * rescheduling cost O(log n) and removing a timer that is not queued is a
 * no-op.  Timers with equal deadlines run in the order they were (re)added.
 *
 * timers_run(timers, now) runs every timer due at "now".  Its callbacks may
 * add, remove or reschedule any timer, themselves included; a timer (re)added
 * by a callback runs in a later timers_run, never in the current one, so a
 * callback that re-adds itself at "now" cannot loop forever.
 *
 * In the daemon, timers_attach() ties the heap to a libevent event_base with
 * a single evtimer kept armed for the earliest deadline.
 */
#ifndef OAKLEY_TIMER_H
#define OAKLEY_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct timer;
struct timers;

typedef uint64_t timers_clock_fn(void *arg);
typedef void timer_cb(struct timer *, void *arg);

/* Where a timer is: nowhere, in the heap, or collected by a running run. */
enum timer_state {
	TIMER_IDLE = 0,
	TIMER_QUEUED,
	TIMER_DUE
};

/* Owned and allocated by the caller; fields are private to timer.c. */
struct timer {
	uint64_t	deadline;	/* absolute, milliseconds */
	uint32_t	index;		/* position in the heap or due list */
	uint32_t	state;		/* enum timer_state */
	timer_cb	*cb;
	void		*arg;
};

/* The daemon's clock: CLOCK_MONOTONIC in milliseconds (arg unused). */
uint64_t	timers_monotonic_ms(void *arg);

struct timers	*timers_new(timers_clock_fn *clock, void *clock_arg);
/* Frees the heap; queued timers are forgotten, not run.  Not from a
 * callback. */
void	timers_free(struct timers *);
uint64_t timers_now(const struct timers *);

void	timer_init(struct timer *, timer_cb *cb, void *arg);
/* Queue at an absolute deadline, rescheduling if already queued.
 * 0 or ENOMEM. */
int	timer_add(struct timers *, struct timer *, uint64_t deadline);
/* Same, "delay_ms" from now (a deadline past the clock's end: never). */
int	timer_add_in(struct timers *, struct timer *, uint64_t delay_ms);
/*
 * The deadline "seconds" after start_ms, or UINT64_MAX (never) when it
 * does not fit: lifetimes come from peers, up to 2^64 - 1 seconds.
 */
uint64_t timers_after_s(uint64_t start_ms, uint64_t seconds);
/* Dequeue; a no-op for a timer that is not queued. */
void	timer_remove(struct timers *, struct timer *);
bool	timer_pending(const struct timer *);
/* Only meaningful while pending. */
uint64_t timer_deadline(const struct timer *);

/* Runs every timer due at "now"; returns how many ran.  Not reentrant. */
size_t	timers_run(struct timers *, uint64_t now);
/* False when nothing is queued. */
bool	timers_next_deadline(const struct timers *, uint64_t *deadline);
size_t	timers_count(const struct timers *);
/* Bytes the structure itself uses (heap arrays, not the timers). */
size_t	timers_memory(const struct timers *);

/*
 * Drive the timers from an event_base: one evtimer armed for the earliest
 * deadline, re-armed whenever it changes.  0, or ENOMEM / EINVAL.
 */
int	timers_attach(struct timers *, struct event_base *);
void	timers_detach(struct timers *);

#endif /* OAKLEY_TIMER_H */
